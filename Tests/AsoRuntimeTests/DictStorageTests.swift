// Tests of a dict's packed entries: a value of every case stored as a key and as a value reads
// back as itself.

import Testing
@testable import AsoRuntime

@Test func aDictEntryKeepsValuesOfEveryCase() {
    let rt = Runtime(options: RuntimeOptions(), writeOut: { _ in }, writeErr: { _ in })
    let s = rt.newStr("text")
    let values: [Value] = [.none, .null, .bool(false), .bool(true), .int(0), .int(-1), .int(Int.max), .int(Int.min),
                           .float(0.0), .float(-0.0), .float(.infinity), .float(.nan), .float(1.5), s]
    #expect(MemoryLayout<DictEntry>.stride == 32)
    for k in values {
        for v in values {
            var e = DictEntry(hash: 7, key: k, value: v)
            #expect(e.key.isIdentical(to: k) && e.value.isIdentical(to: v) && e.hash == 7)
            e.value = k
            e.key = v
            #expect(e.key.isIdentical(to: v) && e.value.isIdentical(to: k) && e.hash == 7)
        }
    }
    // `.none` and `.null` share no payload case: each reads back as itself, not as the other.
    #expect(DictEntry(hash: 0, key: .null, value: .none).key.isNull)
    #expect(DictEntry(hash: 0, key: .null, value: .none).value.isNone)
}
