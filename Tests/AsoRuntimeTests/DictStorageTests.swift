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

@Test func aDictKeepsItsKeysAsItsProbeTableMovesOutOfTheObjectAndBack() throws {
    let rt = Runtime(options: RuntimeOptions(), writeOut: { _ in }, writeErr: { _ in })
    let d = DictObj(type: rt.types.dict)
    let key = { (i: Int) -> Value in i % 2 == 0 ? .int(i) : rt.newStr("k\(i)") }
    for n in [1, 5, 6, 11, 40] {
        // Up to five keys the table is in the object; more take a block.
        for i in 0..<n { try d.set(key(i), .int(i * 10), rt) }
        #expect(d.count == n)
        for i in 0..<n { #expect(try d.get(key(i), rt)?.isIdentical(to: .int(i * 10)) == true) }
        #expect(try d.get(.int(-1), rt) == nil)
        let copy = DictObj(type: rt.types.dict)
        copy.copyContents(of: d, rt)
        for i in 0..<n { #expect(try copy.get(key(i), rt)?.isIdentical(to: .int(i * 10)) == true) }
        // Removing all but one key compacts the entries: the table shrinks back.
        for i in 1..<n { #expect(try d.remove(key(i), rt) != nil) }
        d.compact()
        let kept = try d.get(key(0), rt)
        #expect(d.count == 1 && kept?.isIdentical(to: .int(0)) == true)
        #expect(try d.get(key(1), rt) == nil)
        d.emptyForPool()
        let gone = try d.get(key(0), rt)
        #expect(d.count == 0 && gone == nil)
        d.removeAll()
    }
}
