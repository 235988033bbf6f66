// The builtins module: installs builtin functions, types and exception classes.

extension Runtime {
    func installBuiltins() {
        for t in types.all { builtins.set(t.name, Value(t)) }
        for t in exc.ordered { builtins.set(t.name, Value(t)) }
        builtins.set("None", .none)
        builtins.set("NotImplemented", notImplemented)
        builtins.set("Ellipsis", ellipsis)
        builtins.set("__name__", newStr("builtins"))
        installCoreBuiltins()
    }

    /// The builtin functions and the constructors of the builtin types.
    private func installCoreBuiltins() {
        installCoreFunctions()
        installAsyncBuiltins()
        installNumericFunctions()
        installIterableFunctions()
        installIteratorConstructors()
        installNumberConstructors()
        installContainerConstructors()
        installExceptionConstructors()
        installMethods()
        installSubclassSupport()
        installBytearray()
        installGeneratorMethods()
        installAsyncGeneratorMethods()
        installClassSupport()
        installUnionType()
        installIntrospection()
        installMatcher()
        installNativeModules()
    }

    /// `len(v)`.
    func length(_ v: Value, builtin: Bool = false) throws -> Int {
        if case .object(let u) = v,
           // (Borrowed: `v` keeps the object alive; a local would retain it.)
           let n = try u._withUnsafeGuaranteedRef({ o -> Int? in
                if !builtin && o.isNativeSubclass, o.kind != .other, let f = userMethod(v, "__len__") {
                    return try lengthFromDunder(try callFunction(f, [v], keywords: []))
                }
                if let n = Runtime.containerCount(o) { return n }
                switch o.kind {
                case .bytes: return unsafeDowncast(o, to: BytesObj.self).bytes.count
                case .range:
                    let r = unsafeDowncast(o, to: RangeObj.self)
                    if let b = r.big { return try bigRangeLength(b) }
                    return r.length
                case .other:
                    if let slots = o.type.containerSlots { return slots.length(o) }
                case .instance:
                    if let m = instanceMethod(v, "__len__") { return try lengthFromDunder(try call(m, one: v)) }
                case .type:
                    if let f = userMethod(v, "__len__") { return try lengthFromDunder(try callFunction(f, [v], keywords: [])) }
                default: break
                }
                return nil
           }) {
            return n
        }
        throw typeError("object of type '\(typeName(v))' has no len()")
    }
}
