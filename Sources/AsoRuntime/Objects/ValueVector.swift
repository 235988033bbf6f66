// A list's elements: a growable block of raw memory that the list owns.
//
// One idea: as CPython's list, the elements sit in one block the list allocates, grows (by
// `realloc`, an eighth again, as CPython's `list_resize`) and frees itself. Values are POD, so
// reading, writing and moving them costs no reference counting. The vector is noncopyable: a
// second owner of the block could free it or move it under the first, so the compiler refuses
// every copy, and code that wants the elements beyond one access copies them out (`array`).
//
// Borrowing: `buffer` is valid until the list changes. Code that runs script code (which may
// change the list) between reading an element and the next re-reads `count` and indexes again, or
// works on `array`, a copy.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `block` resized to `bytes` (a new block for nil), the first `kept` bytes kept. Memory the system
/// cannot give stops the process, as the standard library's allocation does.
func reallocateBlock(_ block: UnsafeMutableRawPointer?, _ bytes: Int, keeping kept: Int) -> UnsafeMutableRawPointer {
    if let b = realloc(block, max(bytes, 1)) { return b }
    let b = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 16)
    if let old = block {
        b.copyMemory(from: old, byteCount: kept)
        free(old)
    }
    return b
}

struct ValueVector: ~Copyable {
    /// Room for `capacity` values, the first `count` of them set; nil when the capacity is 0.
    private var base: UnsafeMutablePointer<Value>?
    /// How many values.
    private(set) var count: Int
    /// How many values fit before the block grows.
    private(set) var capacity: Int

    init() { base = nil; count = 0; capacity = 0 }

    /// A copy of `items`.
    init(_ items: UnsafeBufferPointer<Value>) {
        count = items.count
        capacity = items.count
        base = ValueVector.copy(items)
    }

    /// A copy of `items`.
    init(_ items: __shared [Value]) {
        count = items.count
        capacity = items.count
        base = items.withUnsafeBufferPointer(ValueVector.copy)
    }

    /// A new block holding `items` (nil for none).
    private static func copy(_ items: UnsafeBufferPointer<Value>) -> UnsafeMutablePointer<Value>? {
        guard let src = items.baseAddress, items.count > 0 else { return nil }
        let b = block(nil, items.count, keeping: 0)
        b.update(from: src, count: items.count)
        return b
    }

    /// Room for `capacity` values, none set.
    init(capacity: Int) {
        self.init()
        reserveCapacity(capacity)
    }

    deinit { free(base) }

    @inline(__always) private static func block(_ old: UnsafeMutablePointer<Value>?, _ n: Int, keeping kept: Int) -> UnsafeMutablePointer<Value> {
        reallocateBlock(old.map { UnsafeMutableRawPointer($0) }, n &* MemoryLayout<Value>.stride,
                        keeping: kept &* MemoryLayout<Value>.stride).assumingMemoryBound(to: Value.self)
    }

    // MARK: Reading

    @inline(__always) var isEmpty: Bool { count == 0 }
    /// The values, borrowed (valid until the vector changes).
    @inline(__always) var buffer: UnsafeBufferPointer<Value> { UnsafeBufferPointer(start: base, count: count) }
    /// The values, borrowed for writing (valid until the vector changes).
    @inline(__always) var mutableBuffer: UnsafeMutableBufferPointer<Value> { UnsafeMutableBufferPointer(start: base, count: count) }
    /// A copy of the values.
    var array: [Value] { Array(buffer) }

    @inline(__always) subscript(i: Int) -> Value {
        get {
            precondition(i >= 0 && i < count, "list index out of range")
            return base.unsafelyUnwrapped[i]
        }
        set {
            precondition(i >= 0 && i < count, "list index out of range")
            base.unsafelyUnwrapped[i] = newValue
        }
    }

    // MARK: Changing

    /// Makes room for at least `n` values.
    mutating func reserveCapacity(_ n: Int) {
        if n <= capacity { return }
        base = ValueVector.block(base, n, keeping: count)
        capacity = n
    }

    /// Room for `needed` values, with CPython's over-allocation (an eighth, plus a little).
    @inline(__always) private mutating func grow(to needed: Int) {
        if needed <= capacity { return }
        reserveCapacity((needed &+ (needed >> 3) &+ 6) & ~3)
    }

    @inline(__always) mutating func append(_ v: Value) {
        if count == capacity { grow(to: count &+ 1) }
        (base.unsafelyUnwrapped + count).initialize(to: v)
        count &+= 1
    }

    /// Where `items` starts within this vector's own block, if it does (then growing the block
    /// moves it too).
    @inline(__always) private func offsetOfOwn(_ items: UnsafeBufferPointer<Value>) -> Int? {
        guard let src = items.baseAddress, let b = base, src >= UnsafePointer(b), src < UnsafePointer(b + capacity) else { return nil }
        return src - UnsafePointer(b)
    }

    mutating func append(contentsOf items: UnsafeBufferPointer<Value>) {
        guard var src = items.baseAddress, items.count > 0 else { return }
        let own = offsetOfOwn(items)
        grow(to: count &+ items.count)
        if let own { src = UnsafePointer(base.unsafelyUnwrapped + own) }
        (base.unsafelyUnwrapped + count).update(from: src, count: items.count)
        count &+= items.count
    }

    mutating func append(contentsOf items: __shared [Value]) {
        items.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    /// Inserts `v` before index `i` (0 <= i <= count).
    mutating func insert(_ v: Value, at i: Int) {
        precondition(i >= 0 && i <= count, "list index out of range")
        grow(to: count &+ 1)
        let b = base.unsafelyUnwrapped
        (b + i + 1).update(from: b + i, count: count &- i)
        (b + i).initialize(to: v)
        count &+= 1
    }

    @discardableResult
    mutating func remove(at i: Int) -> Value {
        precondition(i >= 0 && i < count, "list index out of range")
        let b = base.unsafelyUnwrapped
        let v = b[i]
        (b + i).update(from: b + i + 1, count: count &- i &- 1)
        count &-= 1
        return v
    }

    @discardableResult
    mutating func removeLast() -> Value {
        precondition(count > 0, "pop from empty list")
        count &-= 1
        return base.unsafelyUnwrapped[count]
    }

    mutating func popLast() -> Value? {
        if count == 0 { return nil }
        count &-= 1
        return base.unsafelyUnwrapped[count]
    }

    mutating func removeSubrange(_ range: Range<Int>) {
        replaceSubrange(range, with: .empty)
    }

    /// Empties the vector; its block is freed unless `keepingCapacity`.
    mutating func removeAll(keepingCapacity: Bool = false) {
        count = 0
        if !keepingCapacity {
            free(base)
            base = nil
            capacity = 0
        }
    }

    /// Replaces the values in `range` with `items` (which may be of another length).
    mutating func replaceSubrange(_ range: Range<Int>, with items: UnsafeBufferPointer<Value>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "list index out of range")
        // (Items from this very block are copied first: the moves below would overwrite them.)
        if offsetOfOwn(items) != nil { return replaceSubrange(range, with: Array(items)) }
        let newCount = count &- range.count &+ items.count
        grow(to: newCount)
        let b = base.unsafelyUnwrapped
        let tail = count &- range.upperBound
        (b + range.lowerBound + items.count).update(from: b + range.upperBound, count: tail)
        if let src = items.baseAddress { (b + range.lowerBound).update(from: src, count: items.count) }
        count = newCount
    }

    mutating func replaceSubrange(_ range: Range<Int>, with items: __shared [Value]) {
        items.withUnsafeBufferPointer { replaceSubrange(range, with: $0) }
    }

    /// Makes the values those of `items`.
    mutating func replaceAll(with items: __shared [Value]) {
        items.withUnsafeBufferPointer { replaceAll(with: $0) }
    }

    mutating func replaceAll(with items: UnsafeBufferPointer<Value>) {
        count = 0
        append(contentsOf: items)
    }

    mutating func reverse() {
        var b = mutableBuffer
        b.reverse()
    }

    mutating func swapAt(_ i: Int, _ j: Int) {
        precondition(i >= 0 && i < count && j >= 0 && j < count, "list index out of range")
        var b = mutableBuffer
        b.swapAt(i, j)
    }
}
