// `X | Y` on classes: `types.UnionType`, as `isinstance`, `issubclass` and annotations use it.
//
// One idea: a union is an instance of the builtin `UnionType` whose `__args__` tuple lists its
// members flattened and without repeats (`None` stands for `NoneType`), as CPython builds it;
// `isinstance` and `issubclass` test each member.

extension Runtime {
    /// Whether `v` may be a member of a union: a class, `None` or another union.
    func isUnionable(_ v: Value) -> Bool {
        if v.isNone || v.asType != nil { return true }
        let t = v.asObject(.instance, InstanceObj.self)?.type
        return t === types.unionType || t === types.genericAlias
    }

    /// `list[int]`: a generic alias of a class (`types.GenericAlias(origin, args)`).
    func makeGenericAlias(_ origin: Value, _ key: Value) -> Value {
        let g = heap.register(InstanceObj(type: types.genericAlias))
        g.attributes["__origin__"] = origin
        g.attributes["__args__"] = key.asTuple != nil ? key : newTuple([key])
        return Value(g)
    }

    /// How `typing` and the aliases write a member: a builtin class by its name, another class
    /// as `module.Name`, `...` and `None` as themselves.
    func typeReprForAlias(_ v: Value) throws -> String {
        if let t = v.asType {
            if t === types.none { return "None" }
            if let module = t.moduleName ?? t.nativeModuleName { return "\(module).\(t.qualifiedName)" }
            return t.qualifiedName
        }
        if v.isIdentical(to: ellipsis) { return "..." }
        return try repr(v)
    }

    /// The repr of a generic alias: `list[int]`, `dict[str, list[int]]`, `tuple[()]`.
    func genericAliasRepr(_ g: InstanceObj) throws -> String {
        let origin = try typeReprForAlias(g.attributes["__origin__"] ?? .none)
        let args = g.attributes["__args__"]?.tupleArray ?? []
        if args.isEmpty { return origin + "[()]" }
        return origin + "[" + (try args.map { try typeReprForAlias($0) }.joined(separator: ", ")) + "]"
    }

    /// The members of a union, or `[v]` for anything else.
    func unionMembers(_ v: Value) -> [Value] {
        if let u = v.asObject(.instance, InstanceObj.self), u.hasType(types.unionType) {
            return u.attributes["__args__"]?.tupleArray ?? []
        }
        return [v]
    }

    /// `a | b` for two unionable operands: the union of their members (a class alone when both
    /// are the same class).
    func makeUnion(_ a: Value, _ b: Value) -> Value {
        var members: [Value] = []
        for m in unionMembers(a) + unionMembers(b) {
            let member = m.isNone ? Value(types.none) : m
            if !members.contains(where: { $0.isIdentical(to: member) }) { members.append(member) }
        }
        if members.count == 1 { return members[0] }
        let u = heap.register(InstanceObj(type: types.unionType))
        u.attributes["__args__"] = newTuple(members)
        return Value(u)
    }

    /// The repr of a union: its members as `typing` writes them, joined by ` | `.
    func unionRepr(_ u: InstanceObj) throws -> String {
        try (u.attributes["__args__"]?.tupleArray ?? []).map { try typeReprForAlias($0) }.joined(separator: " | ")
    }

    /// Whether subscribing class `t` makes a generic alias natively, as CPython's builtin and
    /// `_asyncio` classes with a `__class_getitem__` do (their subclasses too).
    func isNativeGeneric(_ t: TypeObject) -> Bool {
        t.mro.contains { c in
            c === types.list || c === types.dict || c === types.tuple || c === types.set || c === types.frozenset
                || c === types.enumerate || c === types.future || c === types.asyncGenerator
                || c === exc.baseExceptionGroup || c === exc.exceptionGroup
        }
    }

    func installUnionType() {
        types.genericAlias.construct = { rt, args in
            try rt.noKeywords(args, "GenericAlias")
            try rt.checkCount(args.count - 1, "GenericAlias", min: 2, max: 2)
            return rt.makeGenericAlias(args[1], args[2])
        }
        types.genericAlias.dict["__call__"] = native("__call__", owner: "types.GenericAlias") { rt, args in
            guard args.count >= 1, let g = args[0].asObject(.instance, InstanceObj.self), let origin = g.attributes["__origin__"] else {
                throw rt.typeError("descriptor '__call__' requires a 'types.GenericAlias' object")
            }
            return try rt.call(origin, Array(args.positional.dropFirst()), keywords: args.keywords)
        }
        types.unionType.dict["__or__"] = native("__or__", owner: "types.UnionType") { rt, args in
            guard args.count == 2, rt.isUnionable(args[1]) else { return rt.notImplemented }
            return rt.makeUnion(args[0], args[1])
        }
        types.unionType.dict["__ror__"] = native("__ror__", owner: "types.UnionType") { rt, args in
            guard args.count == 2, rt.isUnionable(args[1]) else { return rt.notImplemented }
            return rt.makeUnion(args[1], args[0])
        }
    }
}
