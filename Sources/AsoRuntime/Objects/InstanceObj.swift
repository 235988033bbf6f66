// Instances of classes defined in script code (and of `object()`).
//
// One idea: an instance is its class plus an attribute table whose layout (the shape) it shares
// with the other instances that got the same attributes in the same order (AttributeTable.swift).

/// An instance of a class defined in script code (and of `object()`).
class InstanceObj: Obj {
    /// Instance attributes. Every change goes through `_modify`, which runs the write barrier.
    final var attributes: AttributeTable {
        @inline(__always) _read { yield storedAttributes }
        @inline(__always) _modify { writeBarrier(); yield &storedAttributes }
    }
    /// (No dynamic exclusivity checks: the dispatch loop's cached reads and writes are the hot
    /// path, and no access to them overlaps another.)
    @exclusivity(unchecked) private final var storedAttributes: AttributeTable
    init(type: __shared TypeObject) {
        storedAttributes = AttributeTable(root: type.instanceShape)
        super.init(kind: .instance, type: type)
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        for v in storedAttributes.buffer { t.mark(v) }
    }
    /// A dead instance the heap keeps in its pool forgets its attributes.
    final func emptyForPool() { storedAttributes.emptyForPool() }
    /// A dead instance from the heap's pool made new, of class `type`, with the bits of a new object.
    @inline(__always) final func revive(type: Unmanaged<TypeObject>) {
        storedAttributes.restart(root: type._withUnsafeGuaranteedRef { $0.instanceShape })
        renew(type: type)
    }
}

/// A `super()` object: the class whose method called it and the receiver, as fields (a script
/// reads them as `__thisclass__` and `__self__`). Tagged in `aux8` (a tag among instances; the
/// queue and semaphore cores' tags are among `.other` objects), so the method cache finds it
/// without a dynamic cast.
final class SuperObj: InstanceObj {
    let thisClass: Ref<TypeObject>
    let this: Value
    static let tag: UInt8 = 2

    init(thisClass: TypeObject, this: Value, type: __shared TypeObject) {
        self.thisClass = Ref(thisClass)
        self.this = this
        super.init(type: type)
        aux8 = SuperObj.tag
    }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(Value(thisClass.object))
        t.mark(this)
    }
}

/// An instance of a script subclass of `int` or `float` (`class Celsius(float)`): an instance
/// whose number is `core` (an inline int or float, or a big int object). It has
/// `Obj.subclassFlag`, which no other instance has, so the operations find its number after the
/// class's own special methods.
final class NumberSubObj: InstanceObj {
    let core: Value
    init(type: __shared TypeObject, core: Value) {
        self.core = core
        super.init(type: type)
        flags |= Obj.subclassFlag
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(core)
    }
}
