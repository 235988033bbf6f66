// Script classes derived from the builtin container and text types: which builtins may be
// bases, what instances of such classes are made of, and how `X.__new__` makes one.
//
// One idea: an instance of `class L(list)` is a list object whose class is `L`
// (Objects/NativeSubclasses.swift), so the builtins take it as a list; the operations look for
// the subclass's own special methods first (they test `Obj.isNativeSubclass`).

extension Runtime {
    /// Whether script classes may derive from the builtin type `t`.
    func isSubclassableBuiltin(_ t: TypeObject) -> Bool {
        t === types.list || t === types.tuple || t === types.dict || t === types.set || t === types.frozenset
            || t === types.str || t === types.bytes || t === types.int || t === types.float
    }

    /// The number an instance of a script subclass of int or float holds; nil for other values.
    @inline(__always) func numberCore(_ v: Value) -> Value? {
        guard case .object(let u) = v else { return nil }
        let o = u.takeUnretainedValue()
        guard o.kind == .instance, o.isNativeSubclass else { return nil }
        return (o as? NumberSubObj)?.core
    }

    /// `v`, or the number it holds when it is an instance of a subclass of int or float.
    @inline(__always) func plainNumber(_ v: Value) -> Value { numberCore(v) ?? v }

    /// The builtin type whose objects the instances of `t` are (list, tuple, dict, set,
    /// frozenset, str or bytes), nil for a class without one.
    func nativeBase(_ t: TypeObject) -> TypeObject? {
        if let m = t.mroList {
            for c in m where c.moduleName == nil && isSubclassableBuiltin(c) { return c }
            return nil
        }
        var c: TypeObject? = t
        while let k = c {
            if k.moduleName == nil { return isSubclassableBuiltin(k) ? k : nil }
            c = k.base
        }
        return nil
    }

    /// `v` as an instance of a script subclass of a builtin type, if it is one.
    func nativeSubclassInstance(_ v: Value) -> NativeSubclassInstance? {
        guard case .object(let u) = v else { return nil }
        let o = u.takeUnretainedValue()
        guard o.kind != .other, o.isNativeSubclass else { return nil }
        return o as? NativeSubclassInstance
    }

    /// A new instance of `cls` (a script subclass of the builtin type of `base`) holding what the
    /// builtin object `base` holds.
    func subclassInstance(_ cls: TypeObject, of base: Value) throws -> Value {
        if isIntegral(base) || { if case .float = base { return true }; return false }() {
            return Value(heap.register(NumberSubObj(type: cls, core: base.asPlainInt)))
        }
        guard case .object(let u) = base else {
            throw typeError("cannot make a '\(cls.name)' instance from '\(typeName(base))'")
        }
        let o = u.takeUnretainedValue()
        let made: Obj
        switch o.kind {
        case .list: made = ListSubObj(unsafeDowncast(o, to: ListObj.self).items.array, type: cls)
        case .tuple: made = TupleSubObj(Array(unsafeDowncast(o, to: TupleObj.self).items), type: cls)
        case .dict:
            let d = DictSubObj(type: cls)
            d.copyContents(of: unsafeDowncast(o, to: DictObj.self), self)
            made = d
        case .set, .frozenset:
            let s = SetSubObj(frozen: o.kind == .frozenset, type: cls)
            s.table = unsafeDowncast(o, to: SetObj.self).table.copy()
            s.table.finger = 0
            made = s
        case .str: made = StrSubObj(unsafeDowncast(o, to: StrObj.self).value, type: cls)
        case .bytes: made = BytesSubObj(unsafeDowncast(o, to: BytesObj.self).bytes, type: cls)
        default: throw typeError("cannot make a '\(cls.name)' instance from '\(typeName(base))'")
        }
        return Value(heap.register(made))
    }

    /// `base.__new__(cls, *args, **kwargs)` for a builtin `base` and a subclass `cls` of it: an
    /// empty list, dict or set (their `__init__` fills them), or the tuple, str, bytes or
    /// frozenset the arguments make, as an instance of `cls`.
    func nativeNew(_ base: TypeObject, _ cls: TypeObject, _ args: [Value],
                   keywords: [(name: String, value: Value)]) throws -> Value {
        if base === types.list { return cls === base ? newList([]) : Value(heap.register(ListSubObj([], type: cls))) }
        if base === types.dict { return cls === base ? Value(newDict()) : Value(heap.register(DictSubObj(type: cls))) }
        if base === types.set { return cls === base ? Value(newSet()) : Value(heap.register(SetSubObj(frozen: false, type: cls))) }
        guard let make = base.construct else { throw typeError("cannot create '\(cls.name)' instances") }
        let all = [Value(base)] + args
        let plain = try all.withUnsafeBufferPointer { try make(self, Args(positional: $0, keywords: keywords)) }
        if cls === base { return plain }
        tempRoots.append(plain)
        defer { tempRoots.removeLast() }
        return try subclassInstance(cls, of: plain)
    }
}
