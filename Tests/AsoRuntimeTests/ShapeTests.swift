// Tests of attribute shapes: shared transitions, private shapes past the limits, deletion.

import Testing
@testable import AsoRuntime

private func int(_ v: Value?) -> Int? {
    if case .int(let i)? = v { return i }
    return nil
}

@Test func tablesBuiltTheSameWayShareAShape() {
    let root = Shape()
    var a = AttributeTable(root: root), b = AttributeTable(root: root)
    a["x"] = .int(1); a["y"] = .int(2)
    b["x"] = .int(3); b["y"] = .int(4)
    #expect(a.shape === b.shape)
    #expect(a.shape.isShared)
    #expect(int(a["y"]) == 2 && int(b["y"]) == 4)
    var c = AttributeTable(root: root)
    c["y"] = .int(5); c["x"] = .int(6)
    #expect(c.shape !== a.shape)
    #expect(c.pairs.map(\.0) == ["y", "x"])
}

@Test func manyNamesMoveToAPrivateShape() {
    let root = Shape()
    var t = AttributeTable(root: root)
    for i in 0..<1000 { t["a\(i)"] = .int(i) }
    #expect(!t.shape.isShared)
    #expect(t.shape.count == 1000)
    for i in stride(from: 0, to: 1000, by: 37) { #expect(int(t["a\(i)"]) == i) }
    // The shared tree stops at the limit: a second table walks the same shared prefix.
    var u = AttributeTable(root: root)
    for i in 0..<Shape.sharedLimit { u["a\(i)"] = .int(-i) }
    #expect(u.shape.isShared)
    u["a\(Shape.sharedLimit)"] = .int(0)
    #expect(!u.shape.isShared)
    #expect(t.shape !== u.shape)
}

@Test func manyBranchesFromOneShapeGoPrivate() {
    let root = Shape()
    var shared: [Bool] = []
    var value150: Int?
    for i in 0..<200 {
        var t = AttributeTable(root: root)
        t["n\(i)"] = .int(i)
        shared.append(t.shape.isShared)
        if i == 150 { value150 = int(t["n150"]) }
    }
    #expect(shared.prefix(64).allSatisfy { $0 })
    #expect(shared.suffix(100).allSatisfy { !$0 })
    #expect(value150 == 150)
}

@Test func deletingGivesAPrivateShapeInOrder() {
    let root = Shape()
    var t = AttributeTable(root: root)
    t["a"] = .int(1); t["b"] = .int(2); t["c"] = .int(3)
    let shared = t.shape
    #expect(int(t.removeValue(forKey: "b")) == 2)
    #expect(t.shape !== shared && !t.shape.isShared)
    #expect(t["b"] == nil && int(t["c"]) == 3)
    t["b"] = .int(4)
    #expect(t.pairs.map(\.0) == ["a", "c", "b"])
    #expect(int(t["b"]) == 4)
}

@Test func slotsGrowPastTheReservationAndCloseUpOnDeletion() {
    let root = Shape()
    var first = AttributeTable(root: root)
    first["a"] = .int(0); first["b"] = .int(1)
    // A later table reserves what the first had, then grows block by block.
    var t = AttributeTable(root: root)
    for i in 0..<40 { t["k\(i)"] = .int(i * 3) }
    #expect(t.count == 40 && t.buffer.count == 40)
    #expect((0..<40).allSatisfy { int(t["k\($0)"]) == $0 * 3 })
    for i in stride(from: 0, to: 40, by: 4) { #expect(int(t.removeValue(forKey: "k\(i)")) == i * 3) }
    #expect(t.count == 30)
    #expect(t.pairs.map(\.0).first == "k1" && t.pairs.map(\.0).last == "k39")
    #expect(t.values.compactMap { int($0) } == (0..<40).filter { $0 % 4 != 0 }.map { $0 * 3 })
    t["k0"] = .int(-1)
    #expect(t.pairs.last?.0 == "k0" && int(t[slot: 30]) == -1)
    #expect(int(first["b"]) == 1)
}
