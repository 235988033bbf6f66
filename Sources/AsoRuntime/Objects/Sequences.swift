// Lists, tuples, big ints and bytes: objects that are little more than their Swift storage.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A list: its elements in a growable block of raw memory the list owns (`ValueVector`).
class ListObj: Obj {
    /// The elements, in order. Every change goes through `_modify`, which runs the write barrier
    /// (and, for an old list, has the next young collection trace every element).
    final var items: ValueVector {
        @inline(__always) _read { yield storedItems }
        @inline(__always) _modify {
            if gcBits & Obj.gcOld != 0 {
                changedFrom = 0
                writeBarrier()
            }
            yield &storedItems
        }
    }
    @exclusivity(unchecked) private final var storedItems: ValueVector
    /// While the list is remembered: the elements before this index are as the last collection
    /// found them (only appends came since), so a young collection traces from here.
    @exclusivity(unchecked) private final var changedFrom = 0

    /// `items.append(v)`, with a write barrier that lets a young collection trace only what was
    /// appended to an old list (none at all for a number or None).
    @inline(__always) final func append(_ v: Value) {
        if case .object = v, gcBits & (Obj.gcOld | Obj.gcRemembered) == Obj.gcOld {
            changedFrom = storedItems.count
            rememberWrite()
        }
        storedItems.append(v)
    }
    /// `items[i] = v` (0 <= i < count), with a write barrier that lets a young collection trace an
    /// old list from the lowest index stored since (none at all for a number or None).
    @inline(__always) final func store(_ v: Value, at i: Int) {
        if case .object = v, gcBits & Obj.gcOld != 0 {
            if gcBits & Obj.gcRemembered == 0 {
                changedFrom = i
                rememberWrite()
            } else if i < changedFrom {
                changedFrom = i
            }
        }
        storedItems[i] = v
    }
    override func traceRemembered(_ t: inout Tracer) -> Int {
        super.trace(&t)
        let b = storedItems.buffer
        let from = min(changedFrom, b.count)
        for i in from..<b.count { t.mark(b[i]) }
        return 64 &+ (b.count &- from) &* MemoryLayout<Value>.stride
    }
    init(_ items: __shared [Value], type: __shared TypeObject) {
        storedItems = ValueVector(items)
        super.init(kind: .list, type: type)
    }
    init(_ items: UnsafeBufferPointer<Value>, type: __shared TypeObject) {
        storedItems = ValueVector(items)
        super.init(kind: .list, type: type)
    }
    /// A list that takes `items` as its elements.
    init(taking items: consuming ValueVector, type: __shared TypeObject) {
        storedItems = items
        super.init(kind: .list, type: type)
    }
    /// A dead list the heap keeps in its pool gives its block back.
    final func emptyForPool() {
        storedItems = ValueVector()
    }
    /// A dead list from the heap's pool made new, with `items` as its elements and the bits of a
    /// new object.
    @inline(__always) final func revive(taking items: inout ValueVector, type: Unmanaged<TypeObject>) {
        storedItems = items
        items = ValueVector()
        changedFrom = 0
        renew(type: type)
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        for v in storedItems.buffer { t.mark(v) }
    }
    override var estimatedSize: Int { 64 &+ items.capacity &* MemoryLayout<Value>.stride }
}

/// A tuple: its elements in one block of raw memory the tuple owns (values are POD), so reading
/// them costs no reference counting and a tuple is two allocations (CPython's is one).
///
/// `items` is a view of that block, valid while the tuple lives: whoever reads it holds the tuple
/// (a root, a traced field or a value on a stack), as for every object this runtime borrows.
class TupleObj: Obj {
    /// The elements (nil when there are none). (Variables only for the heap's pool of dead
    /// tuples, `revive`: a tuple's items never change while it is alive.)
    @exclusivity(unchecked) private final var base: UnsafeMutablePointer<Value>?
    /// How many elements.
    @exclusivity(unchecked) private(set) final var count: Int
    // (No cached hash, as CPython's: a tuple is 48 bytes, and the tuples hashed most, keys made
    // for one lookup, are hashed once; dicts and sets keep their keys' hashes.)

    /// A tuple of `items`.
    init(_ items: __shared [Value], type: __shared TypeObject) {
        count = items.count
        base = items.withUnsafeBufferPointer(TupleObj.copy)
        super.init(kind: .tuple, type: type)
    }
    /// A tuple of the elements of `items`.
    init(_ items: UnsafeBufferPointer<Value>, type: __shared TypeObject) {
        count = items.count
        base = TupleObj.copy(items)
        super.init(kind: .tuple, type: type)
    }
    /// A tuple of `count` elements that `fill` writes (every one of them, in order, from the
    /// pointer it is given).
    init(count: Int, type: __shared TypeObject, fill: (UnsafeMutablePointer<Value>) throws -> Void) rethrows {
        self.count = count
        base = TupleObj.allocate(count)
        if let b = base {
            do { try fill(b) } catch { free(b); throw error }
        }
        super.init(kind: .tuple, type: type)
    }
    /// A pair.
    init(_ a: Value, _ b: Value, type: __shared TypeObject) {
        count = 2
        let p = TupleObj.allocate(2).unsafelyUnwrapped
        p.initialize(to: a)
        (p + 1).initialize(to: b)
        base = p
        super.init(kind: .tuple, type: type)
    }
    deinit { free(base) }

    /// A block for `n` values (nil for none), from `malloc` as a list's (`reallocateBlock`):
    /// `UnsafeMutablePointer.allocate` takes the runtime's aligned path (`posix_memalign`), about
    /// twice the instructions. Memory the system cannot give stops the process, as the standard
    /// library's allocation does.
    @inline(__always) private static func allocate(_ n: Int) -> UnsafeMutablePointer<Value>? {
        if n <= 0 { return nil }
        return reallocateBlock(nil, n &* MemoryLayout<Value>.stride, keeping: 0).assumingMemoryBound(to: Value.self)
    }

    /// A new block holding `items` (nil for none).
    private static func copy(_ items: UnsafeBufferPointer<Value>) -> UnsafeMutablePointer<Value>? {
        guard let b = allocate(items.count) else { return nil }
        b.update(from: items.baseAddress.unsafelyUnwrapped, count: items.count)
        return b
    }

    /// The elements, borrowed from the tuple (see the type's note).
    @inline(__always) final var items: UnsafeBufferPointer<Value> { UnsafeBufferPointer(start: base, count: count) }

    /// A dead tuple from the heap's pool (`Heap.pooledTuple`) made new: the items are written by
    /// `fill` (every one, as for `init(count:type:fill:)`) into the block it kept, and the object's
    /// bits are those of a new one. When `fill` throws, the tuple is still dead.
    @inline(__always) final func revive(type: Unmanaged<TypeObject>, _ fill: (UnsafeMutablePointer<Value>) throws -> Void) rethrows {
        try fill(base.unsafelyUnwrapped)
        renew(type: type)
    }

    /// Set by `trace` on a tuple that refers to no object (a tuple of numbers): as its items never
    /// change, later traversals mark it without tracing it (`Tracer.mark`), as CPython's collector
    /// stops tracking such tuples.
    static let atomicFlag: UInt8 = 1

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        var refers = false
        for v in items { if case .object(let u) = v { refers = true; t.mark(u) } }
        if !refers { flags |= TupleObj.atomicFlag }
    }
    override var estimatedSize: Int { 48 &+ count &* MemoryLayout<Value>.stride }
}

extension UnsafeBufferPointer where Element == Value {
    /// No values (what a missing tuple's `items` reads as).
    @inline(__always) static var empty: Self { Self(start: nil, count: 0) }
}


import BigInt

/// An int too large for 64 bits. Always normalised: a value that fits in `Int` is stored inline
/// in `Value.int` instead, so two equal ints never differ in representation.
///
/// It is kept in one or both of two forms: the BigInt package's type, for the operations the
/// package does (powers, shifts, bitwise operations, conversions), and the magnitude's words, which
/// the arithmetic kernels (`BigKernels`) work on. Each is made from the other on first use.
final class BigIntObj: Obj {
    /// The package's form, when made.
    private var big: BigInt?
    /// The magnitude's words, least significant first (empty until made: the value is never 0).
    private var magnitude: [UInt]
    let negative: Bool

    init(_ value: BigInt, type: __shared TypeObject) {
        big = value
        magnitude = []
        negative = value.sign == .minus
        super.init(kind: .bigint, type: type)
    }

    init(words: [UInt], negative: Bool, type: __shared TypeObject) {
        magnitude = words
        self.negative = negative
        super.init(kind: .bigint, type: type)
    }

    /// The value in the package's form.
    var value: BigInt {
        if let b = big { return b }
        let b = BigInt(sign: negative ? .minus : .plus, magnitude: BigUInt(words: magnitude))
        big = b
        return b
    }

    /// The value in the kernels' form.
    var words: BigWords {
        if magnitude.isEmpty { magnitude = BigKernels.words(value.magnitude) }
        return BigWords(negative: negative, words: magnitude)
    }

    override var estimatedSize: Int {
        48 &+ (magnitude.isEmpty ? (big?.magnitude.bitWidth ?? 0) / 8 : magnitude.count &* 8 &* (big == nil ? 1 : 2))
    }
}

/// `bytes`, and `bytearray` (the same kind of object with the class `bytearray`, whose methods
/// change `bytes`).
class BytesObj: Obj {
    final var bytes: [UInt8]
    init(_ bytes: [UInt8], type: __shared TypeObject) {
        self.bytes = bytes
        super.init(kind: .bytes, type: type)
    }
    override var estimatedSize: Int { 48 + bytes.count }
}
