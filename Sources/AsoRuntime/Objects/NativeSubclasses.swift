// Instances of script classes derived from a builtin container or text type (`class L(list)`,
// `class AttrDict(dict)`, `class Name(str)`, ...).
//
// One idea: such an instance *is* the native object, with the subclass as its class and an
// attribute table of its own, so every builtin that takes a list takes it as one. Its
// `Obj.subclassFlag` tells the runtime's operations to look for the subclass's own special
// methods (`__getitem__`, `__len__`, `__repr__`, ...) before doing what the base does; objects of
// the builtin types themselves never have the flag, so their paths test one bit and go on.

/// What every such instance has besides its native part: its own attributes (`__dict__`).
protocol NativeSubclassInstance: Obj {
    var attributes: AttributeTable { get set }
}

extension Obj {
    /// Marks an instance of a script subclass of a builtin type (kinds list, tuple, dict, set,
    /// frozenset, str and bytes; other kinds use the bit for themselves).
    static let subclassFlag: UInt8 = 0x80

    /// Whether this list, tuple, dict, set, str or bytes object belongs to a script subclass.
    @inline(__always) final var isNativeSubclass: Bool { flags & Obj.subclassFlag != 0 }
}

final class ListSubObj: ListObj, NativeSubclassInstance {
    @exclusivity(unchecked) var attributes: AttributeTable
    override init(_ items: [Value], type: __shared TypeObject) {
        attributes = AttributeTable(root: type.instanceShape)
        super.init(items, type: type)
        flags |= Obj.subclassFlag
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        for v in attributes.buffer { t.mark(v) }
    }
}

final class TupleSubObj: TupleObj, NativeSubclassInstance {
    @exclusivity(unchecked) var attributes: AttributeTable
    override init(_ items: [Value], type: __shared TypeObject) {
        attributes = AttributeTable(root: type.instanceShape)
        super.init(items, type: type)
        flags |= Obj.subclassFlag
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        for v in attributes.buffer { t.mark(v) }
    }
}

final class DictSubObj: DictObj, NativeSubclassInstance {
    @exclusivity(unchecked) var attributes: AttributeTable
    override init(type: __shared TypeObject) {
        attributes = AttributeTable(root: type.instanceShape)
        super.init(type: type)
        flags |= Obj.subclassFlag
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        for v in attributes.buffer { t.mark(v) }
    }
}

final class SetSubObj: SetObj, NativeSubclassInstance {
    @exclusivity(unchecked) var attributes: AttributeTable
    override init(frozen: Bool, type: __shared TypeObject) {
        attributes = AttributeTable(root: type.instanceShape)
        super.init(frozen: frozen, type: type)
        flags |= Obj.subclassFlag
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        for v in attributes.buffer { t.mark(v) }
    }
}

final class BytesSubObj: BytesObj, NativeSubclassInstance {
    @exclusivity(unchecked) var attributes: AttributeTable
    override init(_ bytes: [UInt8], type: __shared TypeObject) {
        attributes = AttributeTable(root: type.instanceShape)
        super.init(bytes, type: type)
        flags |= Obj.subclassFlag
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        for v in attributes.buffer { t.mark(v) }
    }
}
