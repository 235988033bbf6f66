// The special methods of list, tuple, dict, set, frozenset, str and bytes that script
// subclasses reach by name: `__new__`, `__init__`, `__getitem__`, `__setitem__`, `__len__`,
// `__repr__`, ... (`super().__getitem__(k)`, `dict.__init__(self, ...)`,
// `__getattr__ = dict.__getitem__`).
//
// One idea: each does what the builtin type does, never the subclass's override of the same
// method (the operations' `builtin:` forms), so an override that calls its base does not call
// itself.

import AsoBytecode

extension Runtime {
    func installSubclassSupport() {
        installNumberSubclassSupport()
        let containers: [TypeObject] = [types.list, types.tuple, types.dict, types.set, types.frozenset, types.str, types.bytes,
                                        types.bytearray]
        for t in containers {
            let owner = t.name
            t.dict["__new__"] = native("__new__", owner: owner) { [unowned t] rt, args in
                guard args.count >= 1 else { throw rt.typeError("\(owner).__new__(): not enough arguments") }
                guard let cls = args[0].asType else {
                    throw rt.typeError("\(owner).__new__(X): X is not a type object (\(rt.typeName(args[0])))")
                }
                guard cls.isSubtype(of: t) else {
                    throw rt.typeError("\(owner).__new__(\(cls.name)): \(cls.name) is not a subtype of \(owner)")
                }
                return try rt.nativeNew(t, cls, Array(args.positional.dropFirst()), keywords: args.keywords)
            }
            defineMethod(t, "__len__") { rt, me, a in
                try a.none(rt)
                return .int(try rt.length(me, builtin: true))
            }
            defineMethod(t, "__contains__") { rt, me, a in
                .bool(try rt.contains(me, try a.one(rt), builtin: true))
            }
            defineMethod(t, "__iter__") { rt, me, a in
                try a.none(rt)
                return try rt.iterate(me, builtin: true)
            }
            defineMethod(t, "__repr__") { rt, me, a in
                try a.none(rt)
                guard case .object(let u) = me else { return .none }
                return rt.newStr(try rt.objectRepr(u.takeUnretainedValue(), builtin: true))
            }
            defineMethod(t, "__eq__") { rt, me, a in
                let other = try a.one(rt)
                guard case .object(let u) = me, case .object(let w) = other else { return rt.notImplemented }
                let x = u.takeUnretainedValue(), y = w.takeUnretainedValue()
                guard rt.sameBuiltinFamily(x.kind, y.kind) else { return rt.notImplemented }
                return .bool(try rt.builtinEquals(me, x, other, y))
            }
            defineMethod(t, "__ne__") { rt, me, a in
                let other = try a.one(rt)
                guard case .object(let u) = me, case .object(let w) = other else { return rt.notImplemented }
                let x = u.takeUnretainedValue(), y = w.takeUnretainedValue()
                guard rt.sameBuiltinFamily(x.kind, y.kind) else { return rt.notImplemented }
                return .bool(!(try rt.builtinEquals(me, x, other, y)))
            }
            if t !== types.set && t !== types.frozenset {
                defineMethod(t, "__getitem__") { rt, me, a in
                    try rt.getItem(me, try a.one(rt), builtin: true)
                }
            }
            if t === types.str || t === types.tuple || t === types.bytes || t === types.frozenset {
                defineMethod(t, "__hash__") { rt, me, a in
                    try a.none(rt)
                    return .int(try rt.builtinHash(me))
                }
            }
        }
        // Operators: the builtin operation on plain copies of the operands, so that neither side's
        // overrides run again (`str.__add__(self, other)` inside an `__add__`).
        let sequenceOperators: [(String, BinaryOperator, Bool)] = [("__add__", .add, false), ("__mul__", .multiply, false),
                                                                  ("__rmul__", .multiply, true)]
        let setOperators: [(String, BinaryOperator, Bool)] = [("__or__", .or, false), ("__and__", .and, false),
                                                             ("__sub__", .subtract, false), ("__xor__", .xor, false),
                                                             ("__ror__", .or, true), ("__rand__", .and, true),
                                                             ("__rsub__", .subtract, true), ("__rxor__", .xor, true)]
        var operatorTable: [(TypeObject, [(String, BinaryOperator, Bool)])] = [
            (types.list, sequenceOperators), (types.tuple, sequenceOperators), (types.bytes, sequenceOperators),
            (types.bytearray, sequenceOperators),
            (types.str, sequenceOperators + [("__mod__", .remainder, false)]),
            (types.set, setOperators), (types.frozenset, setOperators),
        ]
        operatorTable.append((types.dict, [("__or__", .or, false), ("__ror__", .or, true)]))
        for (t, ops) in operatorTable {
            for (name, op, reflected) in ops {
                defineMethod(t, name) { rt, me, a in
                    let other = rt.plainCopy(try a.one(rt))
                    let mine = rt.plainCopy(me)
                    rt.tempRoots.append(mine)
                    rt.tempRoots.append(other)
                    defer { rt.tempRoots.removeLast(2) }
                    return try reflected ? rt.binaryOp(op, other, mine) : rt.binaryOp(op, mine, other)
                }
            }
            let orders: [(String, ComparisonOperator)] = [("__lt__", .lt), ("__le__", .le), ("__gt__", .gt), ("__ge__", .ge)]
            for (name, op) in orders where t !== types.dict {
                defineMethod(t, name) { rt, me, a in
                    let other = rt.plainCopy(try a.one(rt))
                    let mine = rt.plainCopy(me)
                    rt.tempRoots.append(mine)
                    rt.tempRoots.append(other)
                    defer { rt.tempRoots.removeLast(2) }
                    return try rt.compare(mine, other, op)
                }
            }
        }
        defineMethod(types.list, "__iadd__") { rt, me, a in
            let items = try rt.collectValues(try a.one(rt))
            me.asList?.items.append(contentsOf: items)
            return me
        }
        for t in [types.list, types.dict, types.bytearray] {
            defineMethod(t, "__setitem__") { rt, me, a in
                try a.noKeywords(rt)
                if a.count != 2 { throw rt.typeError("expected 2 arguments, got \(a.count)") }
                try rt.setItem(me, a[0], a[1], builtin: true)
                return .none
            }
            defineMethod(t, "__delitem__") { rt, me, a in
                try rt.deleteItem(me, try a.one(rt), builtin: true)
                return .none
            }
        }
        defineMethod(types.str, "__str__") { rt, me, a in
            try a.none(rt)
            guard let s = me.asStr else { return me }
            return s.isNativeSubclass ? rt.newStr(s.value) : me
        }
        // __init__ of the mutable ones: list and set start again from the iterable; dict adds.
        defineMethod(types.list, "__init__") { rt, me, a in
            if !a.keywords.isEmpty { throw rt.typeError("list() takes no keyword arguments") }
            if a.count > 1 { throw rt.typeError("list expected at most 1 argument, got \(a.count)") }
            guard let l = me.asList else { return .none }
            l.items.replaceAll(with: [])
            if a.count == 1 { l.items.replaceAll(with: try rt.collectValues(a[0])) }
            return .none
        }
        defineMethod(types.set, "__init__") { rt, me, a in
            let name = rt.typeName(me)
            if !a.keywords.isEmpty { throw rt.typeError("\(name)() takes no keyword arguments") }
            if a.count > 1 { throw rt.typeError("\(name) expected at most 1 argument, got \(a.count)") }
            guard let s = me.asSet else { return .none }
            s.table = SetTable()
            s.version &+= 1
            if a.count == 1 { try rt.setUpdate(s, from: a[0]) }
            return .none
        }
        defineMethod(types.dict, "__init__") { rt, me, a in
            if a.count > 1 { throw rt.typeError("dict expected at most 1 argument, got \(a.count)") }
            guard let d = me.asDict else { return .none }
            if a.count == 1 { try rt.dictUpdate(d, from: a[0]) }
            for kw in a.keywords { try d.set(rt.intern(kw.name), kw.value, rt) }
            return .none
        }
    }

    /// `int.__new__`, `float.__new__` and the special methods of int and float that subclasses
    /// call by name (`int.__or__(self, other)`, `super().__repr__()`): each works on the numbers
    /// the operands hold (`defineMethod` unwraps the receiver), and returns NotImplemented for an
    /// operand that is no number.
    private func installNumberSubclassSupport() {
        for t in [types.int, types.float] {
            let owner = t.name
            t.dict["__new__"] = native("__new__", owner: owner) { [unowned t] rt, args in
                guard args.count >= 1 else { throw rt.typeError("\(owner).__new__(): not enough arguments") }
                guard let cls = args[0].asType else {
                    throw rt.typeError("\(owner).__new__(X): X is not a type object (\(rt.typeName(args[0])))")
                }
                guard cls.isSubtype(of: t) else {
                    throw rt.typeError("\(owner).__new__(\(cls.name)): \(cls.name) is not a subtype of \(owner)")
                }
                return try rt.nativeNew(t, cls, Array(args.positional.dropFirst()), keywords: args.keywords)
            }
            let isInt = t === types.int
            // (Takes the runtime as an argument: a closure in a type's table must not keep it.)
            let isNumber: (Runtime, Value) -> Bool = { rt, v in
                switch v {
                case .int, .bool: return true
                case .float: return !isInt
                default: return rt.isIntegral(v)
                }
            }
            var operators: [(String, BinaryOperator)] = [("add", .add), ("sub", .subtract), ("mul", .multiply),
                                                          ("truediv", .trueDivide), ("floordiv", .floorDivide),
                                                          ("mod", .remainder), ("pow", .power)]
            if isInt { operators += [("and", .and), ("or", .or), ("xor", .xor), ("lshift", .lshift), ("rshift", .rshift)] }
            for (n, op) in operators {
                defineMethod(t, "__\(n)__") { rt, me, a in
                    let other = rt.plainNumber(try a.one(rt))
                    guard isNumber(rt, other) else { return rt.notImplemented }
                    return try rt.binaryOp(op, me, other)
                }
                defineMethod(t, "__r\(n)__") { rt, me, a in
                    let other = rt.plainNumber(try a.one(rt))
                    guard isNumber(rt, other) else { return rt.notImplemented }
                    return try rt.binaryOp(op, other, me)
                }
            }
            let comparisons: [(String, ComparisonOperator)] = [("eq", .eq), ("ne", .ne), ("lt", .lt), ("le", .le), ("gt", .gt), ("ge", .ge)]
            for (n, op) in comparisons {
                defineMethod(t, "__\(n)__") { rt, me, a in
                    let other = rt.plainNumber(try a.one(rt))
                    guard isNumber(rt, other) || { if case .float = other { return true }; return false }() else { return rt.notImplemented }
                    return try rt.compare(me, other, op)
                }
            }
            defineMethod(t, "__neg__") { rt, me, a in try a.none(rt); return try rt.negate(me) }
            defineMethod(t, "__pos__") { rt, me, a in try a.none(rt); return try rt.positive(me) }
            defineMethod(t, "__abs__") { rt, me, a in
                try a.none(rt)
                if case .float(let d) = me { return .float(Swift.abs(d)) }
                return try rt.truthy(try rt.compare(me, .int(0), .lt)) ? try rt.negate(me) : me
            }
            defineMethod(t, "__bool__") { rt, me, a in try a.none(rt); return .bool(try rt.truthy(me)) }
            defineMethod(t, "__int__") { rt, me, a in try a.none(rt); return try rt.toInt(me) }
            defineMethod(t, "__float__") { rt, me, a in try a.none(rt); return .float(try rt.toFloat(me)) }
            defineMethod(t, "__hash__") { rt, me, a in try a.none(rt); return .int(try rt.hash(me)) }
            defineMethod(t, "__repr__") { rt, me, a in try a.none(rt); return rt.newStr(try rt.repr(me)) }
            defineMethod(t, "__format__") { rt, me, a in
                guard let spec = try a.one(rt).asStr?.value else {
                    throw rt.typeError("\(owner).__format__() argument must be str, not \(rt.typeName(a[0]))")
                }
                return rt.newStr(try rt.format(me, spec))
            }
            if isInt {
                defineMethod(t, "__index__") { rt, me, a in try a.none(rt); return me }
                defineMethod(t, "__invert__") { rt, me, a in try a.none(rt); return try rt.invert(me) }
            }
        }
    }

    /// A builtin object with what an instance of a subclass of a builtin type holds (the value
    /// itself for anything else).
    func plainCopy(_ v: Value) -> Value {
        guard case .object(let u) = v else { return v }
        let o = u.takeUnretainedValue()
        guard o.isNativeSubclass else { return v }
        switch o.kind {
        case .list: return newList(unsafeDowncast(o, to: ListObj.self).items.array)
        case .tuple: return newTuple(unsafeDowncast(o, to: TupleObj.self).items)
        case .str: return newStr(unsafeDowncast(o, to: StrObj.self).value)
        case .bytes: return newBytes(unsafeDowncast(o, to: BytesObj.self).bytes)
        case .dict: return Value(copyDict(unsafeDowncast(o, to: DictObj.self)))
        case .set, .frozenset:
            let s = newSet(frozen: o.kind == .frozenset)
            s.table = unsafeDowncast(o, to: SetObj.self).table.copy()
            s.table.finger = 0
            return Value(s)
        case .instance: return numberCore(v) ?? v
        default: return v
        }
    }

    /// Whether `==` between objects of these kinds is the builtin types' own business (so their
    /// `__eq__` answers rather than returning NotImplemented).
    func sameBuiltinFamily(_ a: ObjKind, _ b: ObjKind) -> Bool {
        switch (a, b) {
        case (.set, .set), (.set, .frozenset), (.frozenset, .set), (.frozenset, .frozenset): return true
        default: return a == b
        }
    }
}
