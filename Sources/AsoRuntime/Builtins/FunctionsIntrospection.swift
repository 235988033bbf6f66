// Introspection: `vars`, `dir`, `globals` and `locals`.
//
// One idea: module globals live in numbered slots and function locals on the fiber's stack, not
// in dicts, so `globals()` and `locals()` (in a function) give a snapshot dict of what is bound
// now; a class body's namespace is a real dict, which `locals()` there gives itself.

extension Runtime {
    func installIntrospection() {
        builtins.set("globals", native("globals") { rt, args in
            try rt.checkCount(args.count, "globals", min: 0, max: 0)
            return rt.globalsSnapshot()
        })
        builtins.set("locals", native("locals") { rt, args in
            try rt.checkCount(args.count, "locals", min: 0, max: 0)
            return try rt.localsOfRunningFrame()
        })
        builtins.set("vars", native("vars") { rt, args in
            try rt.noKeywords(args, "vars")
            try rt.checkCount(args.count, "vars", min: 0, max: 1)
            if args.count == 0 { return try rt.localsOfRunningFrame() }
            do {
                if let d = try rt.findAttribute(args[0], "__dict__") { return d }
            } catch let e as ScriptError where e.exception.type.isSubtype(of: rt.exc.attributeError) {}
            throw rt.typeError("vars() argument must have __dict__ attribute")
        })
        builtins.set("dir", native("dir") { rt, args in
            try rt.noKeywords(args, "dir")
            try rt.checkCount(args.count, "dir", min: 0, max: 1)
            if args.count == 0 {
                let d = try rt.localsOfRunningFrame()
                let keys = d.asDict?.liveKeys.compactMap { $0.asStr?.value } ?? []
                return rt.newList(keys.sorted().map { rt.newStr($0) })
            }
            return try rt.directory(args[0])
        })
    }

    /// The frame that called the running builtin.
    private func runningFrame() -> (Fiber, Frame)? {
        guard let fiber = activeFibers.last, fiber.frameCount > 0 else { return nil }
        return (fiber, fiber.frames[fiber.frameCount - 1])
    }

    /// `globals()`: the running module's names, as a new dict.
    func globalsSnapshot() -> Value {
        let d = newDict()
        guard let (_, f) = runningFrame() else { return Value(d) }
        let m = f.code.takeUnretainedValue().module
        for (k, v) in m.boundNames { try? d.set(intern(k), v, self) }
        if m.get("__name__") == nil { try? d.set(intern("__name__"), newStr(m.name), self) }
        return Value(d)
    }

    /// `locals()`: a class body's namespace, a function's bound locals (cells read through), or
    /// at module level the globals.
    func localsOfRunningFrame() throws -> Value {
        guard let (fiber, f) = runningFrame() else { return Value(newDict()) }
        if f.namespace.asDict != nil { return f.namespace }
        if f.function.isNone { return globalsSnapshot() }
        let code = f.code.takeUnretainedValue()
        let names = code.code.localNames
        let cells = Set(code.code.cellSlots)
        let firstFree = names.count - code.code.freeCount
        let d = newDict()
        for (i, n) in names.enumerated() {
            var v = fiber.stack[f.base + i]
            if cells.contains(i) || i >= firstFree {
                guard let c = v.asObject(.cell, CellObj.self) else { continue }
                v = c.contents
            }
            if v.isNull { continue }
            try d.set(intern(n), v, self)
        }
        return Value(d)
    }

    /// `dir(obj)`: the sorted names of a module, of a class and its bases, or of an instance and
    /// its class (`__dir__` when the class defines one).
    func directory(_ v: Value) throws -> Value {
        if let f = userMethod(v, "__dir__") {
            let r = try callFunction(f, [v], keywords: [])
            let names = try iterateToArray(r).compactMap { $0.asStr?.value }
            return newList(names.sorted().map { newStr($0) })
        }
        var names = Set<String>()
        if let m = v.asModule {
            for (k, _) in m.boundNames { names.insert(k) }
            // Names that are there on first use: the library parts' and asyncio's submodules.
            for part in LibraryPart.byModule[m.name] ?? [] { names.formUnion(part.names) }
            names.formUnion(lazyModuleAttributes(m))
        } else if let t = v.asType {
            for c in t.mro { names.formUnion(c.dict.keys) }
            names.formUnion(["__class__", "__doc__", "__module__"])
        } else {
            if let i = v.asObject(.instance, InstanceObj.self) {
                for (k, _) in i.attributes.pairs { names.insert(k) }
            } else if let e = v.asException {
                for (k, _) in e.attributes.pairs { names.insert(k) }
                names.formUnion(["args", "__cause__", "__context__", "__suppress_context__", "__traceback__"])
            } else if let fn = v.asFunction, let d = fn.dict {
                for k in d.liveKeys { if let s = k.asStr?.value { names.insert(s) } }
            }
            for c in typeOf(v).mro { names.formUnion(c.dict.keys) }
            names.insert("__class__")
        }
        names.remove(Runtime.propertyNameKey)
        return newList(names.sorted().map { newStr($0) })
    }
}
