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
final class BigIntObj: Obj {
    let value: BigInt
    init(_ value: BigInt, type: __shared TypeObject) {
        self.value = value
        super.init(kind: .bigint, type: type)
    }
    override var estimatedSize: Int { 48 + value.magnitude.words.count * 8 }
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
