// Methods of the builtin types: installation and the argument checks they share.
//
// One idea: a method is a native function in its type's attribute table that receives the object
// as `args[0]` (so `x.m(a)` and `type(x).m(x, a)` are the same call). `defineMethod` checks that
// receiver once; the `MethodArgs` view then numbers the remaining arguments from 0 and raises
// CPython's exact messages for wrong counts and keywords, which differ by how CPython declares
// each method (no arguments, exactly one, positional-only ranges, keyword-capable parameters).

extension Runtime {
    /// Installs the methods of str, list, dict, set, bytes, int, float and exceptions.
    /// Call once from `installBuiltins()`.
    func installMethods() {
        installStrMethods()
        installStrFormatMethods()
        installListMethods()
        installTupleMethods()
        installDictMethods()
        installSetMethods()
        installBytesMethods()
        installNumberMethods()
        installExceptionMethods()
        installExceptionGroupMethods()
        installFastStrMethods()
        installFastDictGet()
    }

    /// Installs the native modules (math, time, json, sys, os, gc, ...). Call once from `installBuiltins()`.
    func installNativeModules() {
        nativeModules["math"] = { rt in rt.makeMathModule() }
        nativeModules["contextvars"] = { rt in rt.makeContextvarsModule() }
        nativeModules["time"] = { rt in rt.makeTimeModule() }
        nativeModules["json"] = { rt in rt.makeJsonModule() }
        nativeModules["sys"] = { rt in rt.makeSysModule() }
        nativeModules["os"] = { rt in rt.makeOsModule() }
        nativeModules["os.path"] = { rt in rt.makeOsPathModule() }
        nativeModules["random"] = { rt in rt.makeRandomModule() }
        nativeModules["asyncio"] = { rt in rt.makeAsyncioModule() }
        nativeModules["signal"] = { rt in rt.makeSignalModule() }
        nativeModules["gc"] = { rt in rt.makeGcModule() }
        nativeModules["_aso"] = { rt in rt.makeAsoHelpersModule() }
        nativeModules["builtins"] = { rt in rt.builtins }
    }

    /// Puts a method named `name` on `type`. `body` gets the receiver and the other arguments.
    /// `accepts` lists extra types the receiver may have (frozenset for set methods).
    func defineMethod(_ type: TypeObject, _ name: String, also accepts: [TypeObject] = [], fastPath: NativeFastPath = .none,
                      _ body: @escaping (Runtime, Value, MethodArgs) throws -> Value) {
        let owner = type.name
        // int and float methods work on the number an instance of a subclass holds.
        let numeric = type === types.int || type === types.float
        // A receiver of the type itself passes on its class's address, read without reference
        // counting; others are checked against the type's subclasses and `accepts`.
        let exact = Unmanaged.passUnretained(type).toOpaque()
        type.dict[name] = native(name, owner: owner, fastPath: fastPath) { rt, args in
            guard args.count >= 1 else {
                throw rt.typeError("unbound method \(owner).\(name)() needs an argument")
            }
            let me = numeric ? rt.plainNumber(args[0]) : args[0]
            if rt.typeKey(me) != exact {
                let t = rt.typeOf(me)
                if !t.isSubtype(of: type) && !accepts.contains(where: { t.isSubtype(of: $0) }) {
                    throw rt.typeError("descriptor '\(name)' for '\(owner)' objects doesn't apply to a '\(rt.typeName(me))' object")
                }
            }
            return try body(rt, me, MethodArgs(args: args, name: name, owner: owner))
        }
    }
}

extension Runtime {
    /// `defineMethod` for a receiver that is a `T` (a list, dict, set or frozenset, ...: any
    /// object whose kind is `kind`, or a frozenset where `kind` is `.set`), which `body` gets
    /// borrowed beside the receiver's value: no reference counting of the receiver.
    /// (One closure does both checks and calls `body`: wrapped around `defineMethod`'s, each call
    /// went through two more closures and their context thunks, ~60 instructions.)
    func defineMethod<T: Obj>(_ type: TypeObject, _ name: String, receiver: T.Type, kind: ObjKind, also accepts: [TypeObject] = [],
                              fastPath: NativeFastPath = .none, _ body: @escaping (Runtime, Value, T, MethodArgs) throws -> Value) {
        let owner = type.name
        let exact = Unmanaged.passUnretained(type).toOpaque()
        type.dict[name] = native(name, owner: owner, fastPath: fastPath) { rt, args in
            guard args.count >= 1 else {
                throw rt.typeError("unbound method \(owner).\(name)() needs an argument")
            }
            let me = args[0]
            // A receiver of the type itself (its class's address) is of the right kind.
            if case .object(let u) = me, u._withUnsafeGuaranteedRef({ $0.typeAddress == exact }) {
                return try Unmanaged<T>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef {
                    try body(rt, me, $0, MethodArgs(args: args, name: name, owner: owner))
                }
            }
            let t = rt.typeOf(me)
            if !t.isSubtype(of: type) && !accepts.contains(where: { t.isSubtype(of: $0) }) {
                throw rt.typeError("descriptor '\(name)' for '\(owner)' objects doesn't apply to a '\(rt.typeName(me))' object")
            }
            guard case .object(let u) = me, u._withUnsafeGuaranteedRef({ $0.kind == kind || (kind == .set && $0.kind == .frozenset) }) else {
                return .none
            }
            return try Unmanaged<T>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef {
                try body(rt, me, $0, MethodArgs(args: args, name: name, owner: owner))
            }
        }
    }
}

/// The arguments of a method call after the receiver.
struct MethodArgs {
    let args: Args
    /// The method's name (`split`) and its type's name (`str`), for messages.
    let name: String
    let owner: String

    var count: Int { args.count - 1 }
    subscript(i: Int) -> Value { args[i + 1] }
    var keywords: [(name: String, value: Value)] { args.keywords }
    /// The positional arguments as an array (safe to keep across calls into script code).
    var array: [Value] { Array(args.positional.dropFirst()) }

    func noKeywords(_ rt: Runtime) throws {
        if !args.keywords.isEmpty { throw rt.typeError("\(owner).\(name)() takes no keyword arguments") }
    }

    /// CPython's METH_NOARGS: `str.upper() takes no arguments (1 given)`.
    func none(_ rt: Runtime) throws {
        try noKeywords(rt)
        if count != 0 { throw rt.typeError("\(owner).\(name)() takes no arguments (\(count) given)") }
    }

    /// CPython's METH_O: `list.append() takes exactly one argument (0 given)`.
    func one(_ rt: Runtime) throws -> Value {
        try noKeywords(rt)
        if count != 1 { throw rt.typeError("\(owner).\(name)() takes exactly one argument (\(count) given)") }
        return self[0]
    }

    /// Positional-only arguments checked as `_PyArg_CheckPositional` does
    /// (`pop expected at most 1 argument, got 2`).
    func positional(_ rt: Runtime, _ min: Int, _ max: Int) throws {
        try noKeywords(rt)
        if count < min {
            throw rt.typeError("\(name) expected \(min == max ? "" : "at least ")\(min) argument\(min == 1 ? "" : "s"), got \(count)")
        }
        if count > max {
            throw rt.typeError("\(name) expected \(min == max ? "" : "at most ")\(max) argument\(max == 1 ? "" : "s"), got \(count)")
        }
    }

    /// Positional-only arguments checked the `PyArg_ParseTuple` way
    /// (`find() takes at least 1 argument (0 given)`).
    func counted(_ rt: Runtime, _ min: Int, _ max: Int) throws {
        try noKeywords(rt)
        if count < min {
            throw rt.typeError("\(name)() takes at least \(min) argument\(min == 1 ? "" : "s") (\(count) given)")
        }
        if count > max {
            throw rt.typeError("\(name)() takes at most \(max) argument\(max == 1 ? "" : "s") (\(count) given)")
        }
    }

    /// Parameters that may be passed by position or keyword (argument clinic). Returns one entry
    /// per name, nil where not given.
    func parameters(_ rt: Runtime, _ names: [String], required: Int = 0, keywordOnly: Int = 0) throws -> [Value?] {
        let positionalMax = names.count - keywordOnly
        if count > positionalMax {
            if positionalMax == 0 { throw rt.typeError("\(name)() takes no positional arguments") }
            throw rt.typeError("\(name)() takes at most \(positionalMax) argument\(positionalMax == 1 ? "" : "s") (\(count) given)")
        }
        var out = [Value?](filledWith: nil, count: names.count)
        for i in 0..<count { out[i] = self[i] }
        for kw in keywords {
            guard let ix = names.firstIndex(of: kw.name) else {
                throw rt.typeError("'\(kw.name)' is an invalid keyword argument for \(name)()")
            }
            if out[ix] != nil {
                throw rt.typeError("argument for \(name)() given by name ('\(kw.name)') and position (\(ix + 1))")
            }
            out[ix] = kw.value
        }
        for i in 0..<required where out[i] == nil {
            if i < count || keywords.isEmpty {
                throw rt.typeError("\(name)() missing required argument '\(names[i])' (pos \(i + 1))")
            }
            throw rt.typeError("\(name)() missing required argument '\(names[i])' (pos \(i + 1))")
        }
        return out
    }
}

extension Runtime {
    /// An integer argument (`'str' object cannot be interpreted as an integer` otherwise),
    /// clamped to the Int range like CPython's Py_ssize_t conversions of huge values are not:
    /// huge values raise OverflowError.
    func intArgument(_ v: Value) throws -> Int {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default:
            if bigValue(v) != nil {
                throw overflowError("Python int too large to convert to C ssize_t")
            }
            if let r = try indexFromDunder(v) { return try intArgument(r) }
            throw typeError("'\(typeName(v))' object cannot be interpreted as an integer")
        }
    }
}
