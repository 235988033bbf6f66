// Lists, tuples, big ints and bytes: objects that are little more than their Swift storage.

class ListObj: Obj {
    /// The elements, in order.
    @exclusivity(unchecked) final var items: [Value]
    init(_ items: [Value], type: __shared TypeObject) {
        self.items = items
        super.init(kind: .list, type: type)
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        items.withUnsafeBufferPointer { for v in $0 { t.mark(v) } }
    }
    override var estimatedSize: Int { 56 + items.capacity * MemoryLayout<Value>.stride }
}

class TupleObj: Obj {
    /// The elements; never changed after creation.
    final let items: [Value]
    /// Cached hash (valid when `hashComputed`).
    final var cachedHash = 0
    final var hashComputed = false
    init(_ items: [Value], type: __shared TypeObject) {
        self.items = items
        super.init(kind: .tuple, type: type)
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        items.withUnsafeBufferPointer { for v in $0 { t.mark(v) } }
    }
    override var estimatedSize: Int { 56 + items.count * MemoryLayout<Value>.stride }
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
