// The object-level builtins: print, input, len, repr, ascii, format, hash, id, callable, type,
// iter, next, getattr/setattr/hasattr/delattr, isinstance and issubclass.
//
// One idea: each builtin is a thin shell over a runtime operation (`rt.str`, `rt.hash`,
// `rt.findAttribute`, `TypeObject.isSubtype`, ...); what lives here is the argument checking and
// the exact error messages CPython gives for each entry point.

extension Runtime {
    func installCoreFunctions() {
        builtins.set("print", native("print") { rt, args in try rt.builtinPrint(args) })
        builtins.set("input", native("input") { rt, args in
            try rt.noKeywords(args, "input")
            try rt.checkCount(args.count, "input", min: 0, max: 1)
            if args.count == 1 { rt.writeOut(try rt.str(args[0])) }
            guard let line = rt.options.readLine.map({ $0() }) ?? Swift.readLine(strippingNewline: true) else {
                throw rt.error(rt.exc.eofError, "EOF when reading a line")
            }
            return rt.newStr(line)
        })
        builtins.set("len", native("len", fastPath: .len) { rt, args in
            .int(try rt.length(try rt.exactlyOne(args, "len")))
        })
        builtins.set("repr", native("repr") { rt, args in rt.newStr(try rt.repr(try rt.exactlyOne(args, "repr"))) })
        builtins.set("ascii", native("ascii") { rt, args in
            rt.newStr(rt.asciiRepr(try rt.repr(try rt.exactlyOne(args, "ascii"))))
        })
        builtins.set("format", native("format") { rt, args in
            try rt.noKeywords(args, "format")
            try rt.checkCount(args.count, "format", min: 1, max: 2)
            var spec = ""
            if args.count == 2 {
                guard let s = args[1].asStr else {
                    throw rt.typeError("format() argument 2 must be str, not \(rt.typeName(args[1]))")
                }
                spec = s.value
            }
            return rt.newStr(try rt.format(args[0], spec))
        })
        builtins.set("hash", native("hash") { rt, args in .int(try rt.hash(try rt.exactlyOne(args, "hash"))) })
        builtins.set("id", native("id") { rt, args in .int(rt.identity(try rt.exactlyOne(args, "id"))) })
        builtins.set("callable", native("callable") { rt, args in
            .bool(rt.isCallable(try rt.exactlyOne(args, "callable")))
        })
        types.type.construct = { rt, args in
            // args[0] is `type` itself; then the call's arguments.
            if args.count == 2 && args.keywords.isEmpty { return Value(rt.typeOf(args[1])) }
            return Value(try rt.typeNew(rt.types.type, Array(args.positional.dropFirst()), keywords: args.keywords))
        }
        let callableIteratorType = makeHelperType("callable_iterator")
        builtins.set("iter", native("iter") { rt, args in
            try rt.noKeywords(args, "iter")
            try rt.checkCount(args.count, "iter", min: 1, max: 2)
            if args.count == 1 { return try rt.iterate(args[0]) }
            return try rt.callableIterator(args[0], sentinel: args[1], type: callableIteratorType)
        })
        builtins.set("next", native("next") { rt, args in
            try rt.noKeywords(args, "next")
            try rt.checkCount(args.count, "next", min: 1, max: 2)
            return try rt.nextItem(args[0], default: args.count == 2 ? args[1] : nil)
        })
        installAttributeFunctions()
        builtins.set("isinstance", native("isinstance") { rt, args in
            try rt.noKeywords(args, "isinstance")
            try rt.checkCount(args.count, "isinstance", min: 2, max: 2)
            return .bool(try rt.isInstance(args[0], args[1]))
        })
        builtins.set("issubclass", native("issubclass") { rt, args in
            try rt.noKeywords(args, "issubclass")
            try rt.checkCount(args.count, "issubclass", min: 2, max: 2)
            guard let cls = args[0].asType else { throw rt.typeError("issubclass() arg 1 must be a class") }
            return .bool(try rt.isSubclass(cls, args[1]))
        })
    }

    private func installAttributeFunctions() {
        func name(_ rt: Runtime, _ v: Value) throws -> String {
            guard let s = v.asStr else { throw rt.typeError("attribute name must be string, not '\(rt.typeName(v))'") }
            return s.value
        }
        builtins.set("getattr", native("getattr") { rt, args in
            try rt.noKeywords(args, "getattr")
            try rt.checkCount(args.count, "getattr", min: 2, max: 3)
            let obj = args[0], key = try name(rt, args[1])
            let fallback: Value? = args.count == 3 ? args[2] : nil
            do {
                if let v = try rt.findAttribute(obj, key) { return v }
            } catch let e as ScriptError where fallback != nil && e.exception.type.isSubtype(of: rt.exc.attributeError) {
                return fallback ?? .none
            }
            if let d = fallback { return d }
            throw rt.noAttribute(obj, key)
        })
        builtins.set("hasattr", native("hasattr") { rt, args in
            try rt.noKeywords(args, "hasattr")
            try rt.checkCount(args.count, "hasattr", min: 2, max: 2)
            let obj = args[0], key = try name(rt, args[1])
            do {
                return .bool(try rt.findAttribute(obj, key) != nil)
            } catch let e as ScriptError where e.exception.type.isSubtype(of: rt.exc.attributeError) {
                return .bool(false)
            }
        })
        builtins.set("setattr", native("setattr") { rt, args in
            try rt.noKeywords(args, "setattr")
            try rt.checkCount(args.count, "setattr", min: 3, max: 3)
            _ = try name(rt, args[1])
            try rt.setAttribute(args[0], args[1], args[2])
            return .none
        })
        builtins.set("delattr", native("delattr") { rt, args in
            try rt.noKeywords(args, "delattr")
            try rt.checkCount(args.count, "delattr", min: 2, max: 2)
            _ = try name(rt, args[1])
            try rt.deleteAttribute(args[0], args[1])
            return .none
        })
    }

    /// `print(*objects, sep=' ', end='\n', file=None, flush=False)`.
    func builtinPrint(_ args: Args) throws -> Value {
        try checkKeywords(args, ["sep", "end", "file", "flush"], "print")
        func text(_ key: String, _ dflt: String) throws -> String {
            guard let v = args.keyword(key), !v.isNone else { return dflt }
            guard let s = v.asStr else { throw typeError("\(key) must be None or a string, not \(typeName(v))") }
            return s.value
        }
        let sep = try text("sep", " "), end = try text("end", "\n")
        let items = Array(args.positional)
        var file = args.keyword("file") ?? .none
        if file.isNone, let out = replacedStream("stdout") { file = out }
        if file.isNone {
            var out = ""
            for (i, v) in items.enumerated() {
                if i > 0 { out += sep }
                out += try str(v)
            }
            out += end
            try chargeOutput(out.utf8.count)
            writeOut(out)
            if let flush = args.keyword("flush"), try truthy(flush) { flushOut() }
            return .none
        }
        // A file object: its `write` is called once per piece, as CPython does.
        guard let write = try findAttribute(file, "write") else { throw noAttribute(file, "write") }
        tempRoots.append(write)
        defer { tempRoots.removeLast() }
        for (i, v) in items.enumerated() {
            if i > 0 { _ = try call(write, one: newStr(sep)) }
            _ = try call(write, [newStr(try str(v))])
        }
        _ = try call(write, one: newStr(end))
        if let flush = args.keyword("flush"), try truthy(flush), let f = try findAttribute(file, "flush") {
            _ = try call(f, [])
        }
        return .none
    }

    /// `id(v)`: an object's address; for inline values an odd number derived from the value
    /// (object addresses are even, so the two never collide), equal for equal values.
    func identity(_ v: Value) -> Int {
        func odd(_ x: UInt64) -> Int { Int(truncatingIfNeeded: (x &* 0x9E37_79B9_7F4A_7C15) >> 2) | 1 }
        switch v {
        case .none: return odd(1)
        case .bool(let b): return odd(b ? 3 : 2)
        case .int(let i): return odd(UInt64(bitPattern: Int64(i)) &+ 0x1000)
        case .float(let d): return odd(d.bitPattern ^ 0x5555_5555_5555_5555)
        case .null: return 0
        case .object(let u): return Int(bitPattern: UInt(bitPattern: u.toOpaque()))
        }
    }

    /// `callable(v)`.
    func isCallable(_ v: Value) -> Bool {
        guard case .object(let u) = v else { return false }
        let o = u.takeUnretainedValue()
        switch o.kind {
        case .function, .native, .boundMethod, .type: return true
        case .instance: return o.type.lookup("__call__") != nil
        default: return false
        }
    }

    /// `isinstance(obj, info)`: a class whose metaclass defines `__instancecheck__` decides for
    /// itself (`abc.ABCMeta`), except for an object of exactly that class, as in CPython.
    func isInstance(_ obj: Value, _ info: Value) throws -> Bool {
        // A class whose metaclass is `type` (the usual case), borrowed: no reference counting.
        if case .object(let u) = info, u._withUnsafeGuaranteedRef({ $0.kind == .type }),
           let verdict = Unmanaged<TypeObject>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef({ t -> Bool? in
               guard t.hasType(types.type) else { return nil }
               return withTypeOf(obj) { $0.isSubtype(of: t) }
           }) {
            return verdict
        }
        if let t = info.asType {
            if t.type !== types.type, let hook = userMethod(info, "__instancecheck__") {
                if typeOf(obj) === t { return true }
                return try truthy(try callFunction(hook, [info, obj], keywords: []))
            }
            return typeOf(obj).isSubtype(of: t)
        }
        if let tuple = info.asTuple {
            try enterRecursion(" in __instancecheck__")
            defer { depth -= 1 }
            for item in tuple.items where try isInstance(obj, item) { return true }
            return false
        }
        // Any other object whose class defines `__instancecheck__` (typing's aliases).
        if let hook = userMethod(info, "__instancecheck__") {
            return try truthy(try callFunction(hook, [info, obj], keywords: []))
        }
        return try matchesClassInfo(typeOf(obj), info, isinstance: true)
    }

    /// `issubclass(cls, info)`: a class whose metaclass defines `__subclasscheck__` decides.
    func isSubclass(_ cls: TypeObject, _ info: Value) throws -> Bool {
        if let t = info.asType {
            if t.type !== types.type, let hook = userMethod(info, "__subclasscheck__") {
                return try truthy(try callFunction(hook, [info, Value(cls)], keywords: []))
            }
            return cls.isSubtype(of: t)
        }
        if let tuple = info.asTuple {
            try enterRecursion(" in __subclasscheck__")
            defer { depth -= 1 }
            for item in tuple.items where try isSubclass(cls, item) { return true }
            return false
        }
        if let hook = userMethod(info, "__subclasscheck__") {
            return try truthy(try callFunction(hook, [info, Value(cls)], keywords: []))
        }
        return try matchesClassInfo(cls, info, isinstance: false)
    }

    /// `isinstance`/`issubclass` against a class or a (nested) tuple of classes, checked in order.
    func matchesClassInfo(_ cls: TypeObject, _ info: Value, isinstance: Bool) throws -> Bool {
        if let t = info.asType { return cls.isSubtype(of: t) }
        if let g = info.asObject(.instance, InstanceObj.self), g.hasType(types.genericAlias) {
            throw typeError(isinstance ? "isinstance() argument 2 cannot be a parameterized generic"
                                       : "issubclass() argument 2 cannot be a parameterized generic")
        }
        if let u = info.asObject(.instance, InstanceObj.self), u.hasType(types.unionType) {
            for m in unionMembers(info) where try matchesClassInfo(cls, m, isinstance: isinstance) { return true }
            return false
        }
        if let tuple = info.asTuple {
            try enterRecursion(isinstance ? " in __instancecheck__" : " in __subclasscheck__")
            defer { depth -= 1 }
            for item in tuple.items where try matchesClassInfo(cls, item, isinstance: isinstance) { return true }
            return false
        }
        throw typeError(isinstance ? "isinstance() arg 2 must be a type, a tuple of types, or a union"
                                   : "issubclass() arg 2 must be a class, a tuple of classes, or a union")
    }

    /// `iter(callable, sentinel)`: calls until the result equals the sentinel.
    func callableIterator(_ fn: Value, sentinel: Value, type: TypeObject) throws -> Value {
        guard isCallable(fn) else { throw typeError("iter(v, w): v must be callable") }
        var done = false
        return newIterator(.native(next: { rt in
            if done { return nil }
            let v = try rt.call(fn, [])
            if try rt.equals(v, sentinel) { done = true; return nil }
            return v
        }, traced: [fn, sentinel]), type: type)
    }

    /// A class that scripts see only through `type(x)` (`callable_iterator`, ...), kept alive as a
    /// root of this runtime.
    func makeHelperType(_ name: String) -> TypeObject {
        let t = heap.register(TypeObject(name: name, base: types.object, isException: false, metatype: types.type))
        extraRoots.append { $0.mark(t) }
        return t
    }
}
