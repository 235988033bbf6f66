// Tests of the pool of dead strings: the text of a dead string is rewritten in place.

import Testing
@testable import AsoRuntime

@Test func theTextOfAStringIsFoundAndRewrittenInPlace() throws {
    let rt = Runtime(options: RuntimeOptions(), writeOut: { _ in }, writeErr: { _ in })
    // The layout was found: strings are pooled in this build.
    let text = try #require(rt.heap.strText)
    let s = StrObj.make("short", type: rt.types.str)
    text.replace(s, with: String(repeating: "long text ", count: 10))
    #expect(s.value == String(repeating: "long text ", count: 10))
    text.replace(s, with: "é")
    #expect(s.value == "é" && s.value.utf8.count == 2)
    text.replace(s, with: "")
    #expect(s.value.isEmpty)
    text.fill(s, with: String(repeating: "filled ", count: 5))
    #expect(s.value == String(repeating: "filled ", count: 5))
}

@Test func aStringFromThePoolIsANewString() throws {
    let rt = Runtime(options: RuntimeOptions(), writeOut: { _ in }, writeErr: { _ in })
    // Strings made and dropped until collections have pooled some, then strings made from the
    // pool: each reads as its own text, measured afresh, with its hash computed again.
    var kept: [String] = []
    for round in 0..<4 {
        for i in 0..<20_000 {
            let v = rt.newStr("text \(round) \(i) " + String(repeating: "x", count: i % 40))
            if i % 5_000 == 0, let o = v.asStr { kept.append(o.value) }
        }
        rt.collectGarbage(full: round % 2 == 1)
    }
    let pooled = rt.heap.pooledCount(Heap.strPool)
    #expect(pooled > 0)
    let v = rt.newStr("abc")
    #expect(rt.heap.pooledCount(Heap.strPool) == pooled - 1)
    let o = try #require(v.asStr)
    #expect(o.value == "abc" && o.count == 3 && o.isASCII && !o.hashComputed)
    #expect(try rt.hash(v) == (try rt.hash(rt.newStr(String("abc")))))
    #expect(kept.count == 16)
}
