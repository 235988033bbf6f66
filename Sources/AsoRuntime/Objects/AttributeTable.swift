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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// An object's attribute table: its shape and the values by slot, in a block of raw memory the
/// table owns (values are POD). Noncopyable, as a list's `ValueVector`: a copy could grow the block
/// and leave the owner's pointer dangling, so the compiler refuses every copy; the owner reads it
/// borrowed and changes it in place.
///
/// (A Swift array was a header of 32 bytes and an object of its own, freed through the reference
/// counting runtime: an instance with two attributes was three blocks, 64 + 64 bytes; it is now
/// two, 64 + 32.)
struct AttributeTable: ~Copyable {
    /// Where each name lives. Unmanaged: the shape tree is kept by the object's class (its root
    /// shape), and a private shape by the `privateShape` reference.
    private(set) var shapeRef: Unmanaged<Shape>
    /// Keeps a private shape alive (nil while the shape is shared).
    private var privateShape: Shape?
    /// Room for `capacity` values, the first `count` of them set; nil when the capacity is 0.
    private var base: UnsafeMutablePointer<Value>?
    /// How many attributes.
    private(set) var count: Int32 = 0
    /// How many values fit before the block grows.
    private var capacity: Int32 = 0

    /// An empty table starting at `root` (a class's shared root shape), with room for as many
    /// attributes as tables from that root have had.
    init(root: Shape) {
        shapeRef = .passUnretained(root)
        if root.expectedSlots > 0 { reserve(root.expectedSlots) }
    }

    /// An empty table with a private shape (objects without a class root of their own).
    init() {
        let s = Shape()
        shapeRef = .passUnretained(s)
        privateShape = s
    }

    deinit { free(base) }

    /// The table of a dead object the heap keeps in its pool: no attributes and no private shape;
    /// the block kept when it is small.
    mutating func emptyForPool() {
        privateShape = nil
        count = 0
        if capacity > Int32(Shape.reserveLimit) {
            free(base)
            base = nil
            capacity = 0
        }
    }

    /// The table of a pooled object made new: empty, from `root` (as `init(root:)`).
    @inline(__always) mutating func restart(root: Shape) {
        shapeRef = .passUnretained(root)
        if root.expectedSlots > Int(capacity) { reserve(root.expectedSlots) }
    }

    var shape: Shape {
        get { shapeRef.takeUnretainedValue() }
        set { shapeRef = .passUnretained(newValue) }
    }
    /// The shape's identity, as the dispatch loop's caches compare it.
    @inline(__always) var shapeAddress: UnsafeMutableRawPointer { shapeRef.toOpaque() }

    var isEmpty: Bool { count == 0 }
    /// The values by slot, borrowed: valid until the table changes.
    @inline(__always) var buffer: UnsafeBufferPointer<Value> { UnsafeBufferPointer(start: base, count: Int(count)) }
    /// The values by slot (a copy).
    var values: [Value] { Array(buffer) }
    /// (name, value) pairs in slot order (a copy).
    var pairs: [(String, Value)] { Array(zip(shape.names, buffer)) }

    /// The value in slot `i` (the caller checked the shape, which proves `i` in range).
    @inline(__always) subscript(slot i: Int) -> Value { base.unsafelyUnwrapped[i] }

    subscript(name: String) -> Value? {
        get {
            guard let i = shape.slot(of: name) else { return nil }
            return self[slot: i]
        }
        set {
            if let i = shape.slot(of: name) {
                if let v = newValue { set(slot: i, v) } else { removeSlot(i) }
            } else if let v = newValue {
                add(name, v)
            }
        }
    }

    /// Room for at least `n` values.
    private mutating func reserve(_ n: Int) {
        let kept = Int(count) &* MemoryLayout<Value>.stride
        base = reallocateBlock(base.map { UnsafeMutableRawPointer($0) }, n &* MemoryLayout<Value>.stride, keeping: kept)
            .assumingMemoryBound(to: Value.self)
        capacity = Int32(truncatingIfNeeded: n)
    }

    /// Appends a value in the next slot.
    @inline(__always) private mutating func push(_ v: Value) {
        if count == capacity { grow() }
        (base.unsafelyUnwrapped + Int(count)).initialize(to: v)
        count &+= 1
    }

    @inline(never) private mutating func grow() {
        let n = Int(capacity)
        reserve(n < 4 ? 4 : n &+ n / 2)
    }

    /// Appends a new attribute (the caller checked that `name` is absent).
    mutating func add(_ name: String, _ v: Value) {
        let next = shape.adding(name)
        if !next.isShared { privateShape = next }
        shape = next
        push(v)
    }

    /// Writes slot `i` (the caller checked the shape, which proves `i` in range).
    @inline(__always) mutating func set(slot i: Int, _ v: Value) {
        base.unsafelyUnwrapped[i] = v
    }

    /// Adds an attribute whose shared child shape the caller already knows (a cached transition
    /// from the current shape).
    @inline(__always) mutating func append(_ v: Value, movingTo next: UnsafeMutableRawPointer) {
        shapeRef = Unmanaged.fromOpaque(next)
        push(v)
    }

    @discardableResult
    mutating func removeValue(forKey name: String) -> Value? {
        guard let i = shape.slot(of: name) else { return nil }
        let v = self[slot: i]
        removeSlot(i)
        return v
    }

    private mutating func removeSlot(_ i: Int) {
        let next = shape.removing(at: i)
        privateShape = next
        shape = next
        let b = base.unsafelyUnwrapped
        let n = Int(count)
        var j = i
        while j &+ 1 < n { b[j] = b[j &+ 1]; j &+= 1 }
        count &-= 1
    }
}
