// The attributes of an instance or exception: a shape (hidden class) and a slot array.
//
// One idea: objects made the same way get their attributes in the same order, so they can share
// one description of where each name lives. A `Shape` lists names in insertion order (the order
// `__dict__` shows); adding a name moves the table to a child shape, found again next time through
// the parent's transitions, so `Vec(1, 2, 3)` and `Vec(4, 5, 6)` end on the same shape. The
// dispatch loop caches (shape, slot) per instruction and then reads or writes the slot directly.
// A table that grows past `sharedLimit` names, or deletes one, or takes a path with too many
// branches, moves to a private shape of its own that is changed in place (dictionary mode), so
// hostile programs cannot make the shape tree grow without bound.

final class Shape {
    /// Names by slot, in insertion order.
    private(set) var names: [String]
    /// Slot by name, kept once a shape has more than `linearLimit` names.
    private var index: [String: Int] = [:]
    /// Child shapes by the name they add (shared shapes only).
    private var transitions: [String: Shape] = [:]
    /// False for a table's private shape (changed in place, never a transition's target).
    let isShared: Bool
    /// For a shared shape below a root, its root (nil for a root and for private shapes).
    /// Unmanaged: the root keeps its children, not the other way round.
    private var rootRef: Unmanaged<Shape>?
    /// On a root: the most names any shared shape under it holds, so a new table from the root
    /// reserves its slots at once (an instance's attributes are one allocation, not a growth
    /// per attribute). At most `reserveLimit`.
    private(set) var expectedSlots = 0

    static let sharedLimit = 64
    static let reserveLimit = 16
    private static let linearLimit = 8
    private static let transitionLimit = 64

    /// An empty, shared root.
    init() {
        names = []
        isShared = true
    }

    private init(names: [String], shared: Bool) {
        self.names = names
        self.isShared = shared
        if names.count > Shape.linearLimit {
            for (i, n) in names.enumerated() { index[n] = i }
        }
    }

    var count: Int { names.count }

    /// The slot of `name`, if the shape has it.
    @inline(__always) func slot(of name: String) -> Int? {
        if names.count > Shape.linearLimit { return index[name] }
        var i = 0
        let n = names.count
        while i < n {
            if names[i] == name { return i }
            i &+= 1
        }
        return nil
    }

    /// The shape with `name` added as the last slot: a shared child while the tree stays small,
    /// else a private shape.
    func adding(_ name: String) -> Shape {
        if !isShared {
            if names.count >= Shape.linearLimit { index[name] = names.count }
            names.append(name)
            if names.count == Shape.linearLimit + 1 { for (i, n) in names.enumerated() { index[n] = i } }
            return self
        }
        if let s = transitions[name] { return s }
        let grown = names + [name]
        if names.count >= Shape.sharedLimit || transitions.count >= Shape.transitionLimit {
            return Shape(names: grown, shared: false)
        }
        let s = Shape(names: grown, shared: true)
        let root = rootRef ?? Unmanaged.passUnretained(self)
        s.rootRef = root
        root._withUnsafeGuaranteedRef { r in
            if grown.count > r.expectedSlots && grown.count <= Shape.reserveLimit { r.expectedSlots = grown.count }
        }
        transitions[name] = s
        return s
    }

    /// A private shape without the name at `slot`.
    func removing(at slot: Int) -> Shape {
        var rest = names
        rest.remove(at: slot)
        return Shape(names: rest, shared: false)
    }
}

struct AttributeTable: Sequence {
    /// Where each name lives. Unmanaged: the shape tree is kept by the object's class (its root
    /// shape), and a private shape by the `privateShape` reference.
    private(set) var shapeRef: Unmanaged<Shape>
    /// Keeps a private shape alive (nil while the shape is shared).
    private var privateShape: Shape?
    /// Values by slot.
    private(set) var slots: [Value] = []

    /// An empty table starting at `root` (a class's shared root shape), with room for as many
    /// attributes as tables from that root have had.
    init(root: Shape) {
        shapeRef = .passUnretained(root)
        if root.expectedSlots > 0 { slots.reserveCapacity(root.expectedSlots) }
    }

    /// An empty table with a private shape (objects without a class root of their own).
    init() {
        let s = Shape()
        shapeRef = .passUnretained(s)
        privateShape = s
    }

    var shape: Shape {
        get { shapeRef.takeUnretainedValue() }
        set { shapeRef = .passUnretained(newValue) }
    }
    /// The shape's identity, as the dispatch loop's caches compare it.
    @inline(__always) var shapeAddress: UnsafeMutableRawPointer { shapeRef.toOpaque() }

    var isEmpty: Bool { slots.isEmpty }
    var values: [Value] { slots }

    subscript(name: String) -> Value? {
        get {
            guard let i = shape.slot(of: name) else { return nil }
            return slots[i]
        }
        set {
            if let i = shape.slot(of: name) {
                if let v = newValue { slots[i] = v } else { removeSlot(i) }
            } else if let v = newValue {
                add(name, v)
            }
        }
    }

    /// Appends a new attribute (the caller checked that `name` is absent).
    mutating func add(_ name: String, _ v: Value) {
        let next = shape.adding(name)
        if !next.isShared { privateShape = next }
        shape = next
        slots.append(v)
    }

    /// Writes slot `i` (the caller checked the shape).
    /// (Through the buffer: the shape proved `i` in range, and a range check the optimizer does not
    /// inline into the dispatch loop costs a call per store.)
    @inline(__always) mutating func set(slot i: Int, _ v: Value) {
        slots.withUnsafeMutableBufferPointer { $0[i] = v }
    }

    /// Adds an attribute whose shared child shape the caller already knows (a cached transition
    /// from the current shape).
    @inline(__always) mutating func append(_ v: Value, movingTo next: UnsafeMutableRawPointer) {
        shapeRef = Unmanaged.fromOpaque(next)
        slots.append(v)
    }

    @discardableResult
    mutating func removeValue(forKey name: String) -> Value? {
        guard let i = shape.slot(of: name) else { return nil }
        let v = slots[i]
        removeSlot(i)
        return v
    }

    private mutating func removeSlot(_ i: Int) {
        let next = shape.removing(at: i)
        privateShape = next
        shape = next
        slots.remove(at: i)
    }

    func makeIterator() -> Zip2Sequence<[String], [Value]>.Iterator { zip(shape.names, slots).makeIterator() }
}
