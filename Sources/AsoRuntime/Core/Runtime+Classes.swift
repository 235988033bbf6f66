// Classes defined in scripts: `class` statements, instances, bound methods, `super()`,
// `staticmethod`, `classmethod`, `property`, and the special methods (`__init__`, `__repr__`,
// `__eq__`, `__len__`, ...) that the runtime's operations consult.
//
// One idea: a user class is a `TypeObject` whose attribute table the class body filled; builtin
// operations ask `userMethod(v, "__x__")`, which finds only functions written in script code, so
// builtin types keep their fast native paths and classes override exactly what they define.

extension Runtime {
    /// `__build_class__(body, name, *bases, metaclass=, **kwargs)`: picks the metaclass, runs the
    /// class body on a fresh namespace (or the one `__prepare__` gives) and makes the class.
    func buildClass(_ args: Args) throws -> Value {
        guard args.count >= 2, let body = args[0].asFunction, let name = args[1].asStr?.value else {
            throw typeError("__build_class__: func must be a function")
        }
        let originalBases = Array(args.positional.dropFirst(2))
        let baseValues = try resolvedBases(originalBases)
        var keywords = args.keywords
        var explicitMeta: Value?
        if let i = keywords.firstIndex(where: { $0.name == "metaclass" }) {
            explicitMeta = keywords[i].value
            keywords.remove(at: i)
        }
        var meta: TypeObject = types.type
        if let m = explicitMeta {
            guard let t = m.asType else { throw typeError("metaclass must be a type") }
            meta = t
        }
        if explicitMeta == nil || meta.isSubtype(of: types.type) {
            meta = try winningMetaclass(meta, baseValues)
        }
        let basesTuple = newTuple(baseValues)
        tempRoots.append(basesTuple)
        defer { tempRoots.removeLast() }
        var ns = newDict()
        if meta !== types.type, let prepare = meta.lookup("__prepare__"), prepare.asFunction != nil
            || prepare.asObject(.instance, InstanceObj.self) != nil {
            let p = try call(try bindClassAttribute(prepare, instance: nil, owner: meta), [args[1], basesTuple], keywords: keywords)
            guard let d = p.asDict else {
                throw typeError("\(meta.name).__prepare__() must return a mapping, not \(typeName(p))")
            }
            ns = d
        }
        tempRoots.append(Value(ns))
        defer { tempRoots.removeLast() }
        let cell = try callFunction(body, [], keywords: [], namespace: Value(ns))
        if baseValues.count != originalBases.count || zip(baseValues, originalBases).contains(where: { !$0.isIdentical(to: $1) }) {
            try ns.set(newStr("__orig_bases__"), newTuple(originalBases), self)
        }
        let cls: Value
        if meta === types.type {
            cls = Value(try makeClass(meta: meta, name: name, bases: baseValues, namespace: ns, keywords: keywords))
        } else {
            cls = try call(Value(meta), [args[1], basesTuple, Value(ns)], keywords: keywords)
        }
        if let c = cell.asObject(.cell, CellObj.self), c.contents.isNull || c.contents.isNone { c.contents = cls }
        return cls
    }

    /// The bases of a class statement with each base that is not a class replaced by what its
    /// `__mro_entries__(bases)` returns (`class Box(Generic[T])`: the alias stands for Generic).
    private func resolvedBases(_ bases: [Value]) throws -> [Value] {
        guard bases.contains(where: { $0.asType == nil }) else { return bases }
        let original = newTuple(bases)
        tempRoots.append(original)
        defer { tempRoots.removeLast() }
        var out: [Value] = []
        for b in bases {
            guard b.asType == nil, let entries = try findAttribute(b, "__mro_entries__") else {
                out.append(b)
                continue
            }
            let r = try call(entries, one: original)
            guard let t = r.asTuple else { throw typeError("__mro_entries__ must return a tuple") }
            out.append(contentsOf: t.items)
        }
        return out
    }

    /// The most derived of `meta` and the metaclasses of `bases` (CPython's
    /// `_PyType_CalculateMetaclass`).
    func winningMetaclass(_ meta: TypeObject, _ bases: [Value]) throws -> TypeObject {
        var winner = meta
        for b in bases {
            let bm = typeOf(b)
            if winner.isSubtype(of: bm) { continue }
            if bm.isSubtype(of: winner) { winner = bm; continue }
            throw typeError("metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases")
        }
        return winner
    }

    /// `type.__new__(meta, name, bases, namespace, **kwargs)`: makes a class whose class is
    /// `meta`, computes its method resolution order, calls `__set_name__` on what the namespace
    /// holds and the base's `__init_subclass__`.
    func makeClass(meta: TypeObject, name: String, bases baseValues: [Value], namespace ns: DictObj,
                   keywords: [(name: String, value: Value)]) throws -> TypeObject {
        var bases: [TypeObject] = []
        for b in baseValues {
            guard let t = b.asType else { throw typeError("bases must be types") }
            if t.moduleName == nil && !t.isException && t !== types.object && t !== types.type && !isSubclassableBuiltin(t) {
                if t === types.bool || t === types.range || t === types.slice || t === types.function
                    || t === types.none || t === types.generator {
                    throw typeError("type '\(t.name)' is not an acceptable base type")
                }
                throw typeError("subclassing the builtin type '\(t.name)' is not supported")
            }
            if bases.contains(where: { $0 === t }) { throw typeError("duplicate base class \(t.name)") }
            bases.append(t)
        }
        let natives = bases.compactMap { nativeBase($0) }
        if natives.contains(where: { $0 !== natives[0] }) || (!natives.isEmpty && bases.contains { $0.isException }) {
            throw typeError("multiple bases have instance lay-out conflict")
        }
        if bases.count > 1 {
            // Two native layouts (two different builtin exception classes' instances are one
            // Swift class here, but `type` and an exception are not).
            let solid = bases.filter { $0.isSubtype(of: types.type) || $0.isException }
            if solid.contains(where: { $0.isSubtype(of: types.type) }) && solid.contains(where: { $0.isException }) {
                throw typeError("multiple bases have instance lay-out conflict")
            }
        }
        let first = bases.first ?? types.object
        let cls = heap.register(TypeObject(name: name, base: first, isException: bases.contains { $0.isException },
                                           metatype: meta))
        tempRoots.append(Value(cls))
        defer { tempRoots.removeLast() }
        if bases.count > 1 || bases.contains(where: { $0.mroList != nil }) {
            cls.extraBases = bases.count > 1 ? bases : []
            cls.mroList = [cls] + (try c3Merge(bases))
        }
        if bases.count > 1 { cls.extraBases = bases }
        cls.moduleName = (try ns.get(intern("__module__"), self))?.asStr?.value ?? "__main__"
        var named: [(String, Value)] = []
        for (k, v) in ns.entries {
            guard let key = k.asStr?.value, key != "__classcell__" else { continue }
            var value = v
            // As in CPython, these are class methods (and `__new__` a static method) without saying so.
            if (key == "__init_subclass__" || key == "__class_getitem__") && v.asFunction != nil {
                value = wrapMethod(types.classmethod, v)
            } else if key == "__new__" && v.asFunction != nil {
                value = wrapMethod(types.staticmethod, v)
            }
            cls.dict[key] = value
            if let p = v.asObject(.instance, InstanceObj.self) {
                if p.hasType(types.property) {
                    if p.attributes[Runtime.propertyNameKey] == nil { p.attributes[Runtime.propertyNameKey] = k }
                } else {
                    named.append((key, v))
                }
            }
        }
        if let c = (try ns.get(intern("__classcell__"), self))?.asObject(.cell, CellObj.self) { c.contents = Value(cls) }
        // As in CPython, a class that defines __eq__ but not __hash__ is unhashable.
        if cls.dict["__eq__"] != nil && cls.dict["__hash__"] == nil { cls.dict["__hash__"] = Value.none }
        if let slots = cls.dict["__slots__"] { try installSlots(cls, slots) }
        hot.pointee.typeEpoch &+= 1
        for (key, v) in named {
            if let setName = userMethod(v, "__set_name__") {
                do {
                    _ = try callFunction(setName, [v, Value(cls), intern(key)], keywords: [])
                } catch let e as ScriptError {
                    // CPython 3.11 raises a RuntimeError caused by the error.
                    let wrapped = newException(exc.runtimeError, "Error calling __set_name__ on '\(typeOf(v).name)' instance '\(key)' in '\(name)'")
                    wrapped.cause = Value(e.exception)
                    wrapped.context = Value(e.exception)
                    wrapped.suppressContext = true
                    throw ScriptError(exception: wrapped)
                }
            }
        }
        // super(cls, cls).__init_subclass__(**kwargs)
        let mro = cls.mro
        for c in mro.dropFirst() {
            guard let f = c.dict["__init_subclass__"] else { continue }
            if let w = f.asObject(.instance, InstanceObj.self), w.hasType(types.classmethod), let fn = w.attributes["__func__"] {
                _ = try call(fn, [Value(cls)], keywords: keywords)
            } else if !keywords.isEmpty {
                throw typeError("\(name).__init_subclass__() takes no keyword arguments")
            }
            break
        }
        return cls
    }

    /// A `staticmethod` or `classmethod` around `f`.
    func wrapMethod(_ kind: TypeObject, _ f: Value) -> Value {
        let w = heap.register(InstanceObj(type: kind))
        w.attributes["__func__"] = f
        return Value(w)
    }

    /// C3 linearization of `bases` (without the new class itself), with CPython's error when
    /// there is none.
    func c3Merge(_ bases: [TypeObject]) throws -> [TypeObject] {
        var seqs = bases.map { $0.mro } + [bases]
        var out: [TypeObject] = []
        while true {
            seqs.removeAll { $0.isEmpty }
            if seqs.isEmpty { return out }
            var candidate: TypeObject?
            for s in seqs {
                let head = s[0]
                if !seqs.contains(where: { $0.dropFirst().contains { $0 === head } }) { candidate = head; break }
            }
            guard let next = candidate else {
                var names: [String] = []
                for s in seqs {
                    let n = s[0].name
                    if !names.contains(n) { names.append(n) }
                }
                throw typeError("Cannot create a consistent method resolution\norder (MRO) for bases \(names.joined(separator: ", "))")
            }
            out.append(next)
            for i in seqs.indices where seqs[i][0] === next { seqs[i].removeFirst() }
        }
    }

    /// The function a script class (or one of its script bases) defines for `name`, if any.
    func userMethod(_ v: Value, _ name: String) -> FunctionObj? {
        guard case .object(let u) = v else { return nil }
        return u._withUnsafeGuaranteedRef { $0.typeUnmanaged }._withUnsafeGuaranteedRef { t -> FunctionObj? in
            // A builtin class with one base has no script methods: no lookup at all.
            if t.moduleName == nil && t.mroList == nil { return nil }
            let epoch = hot.pointee.typeEpoch
            if t.userMethodEpoch == epoch {
                if let hit = t.userMethodCache[name] { return hit.asFunction }
            } else {
                t.userMethodCache.removeAll(keepingCapacity: true)
                t.userMethodEpoch = epoch
            }
            let f = userMethodLookup(t, name)
            t.userMethodCache[name] = f.map { Value($0) } ?? .null
            return f
        }
    }

    /// `userMethod` for a special method given by number (`SpecialMethod`): the same answer
    /// from a per-class table (no name is hashed), unmanaged (the class dict holds it).
    func userMethod(_ v: Value, special i: Int) -> Unmanaged<FunctionObj>? {
        guard case .object(let u) = v else { return nil }
        return u._withUnsafeGuaranteedRef { $0.typeUnmanaged }._withUnsafeGuaranteedRef { t -> Unmanaged<FunctionObj>? in
            if t.moduleName == nil && t.mroList == nil { return nil }
            let epoch = hot.pointee.typeEpoch
            let table: UnsafeMutablePointer<Value>
            if let m = t.specialMethods {
                table = m
                if t.specialMethodsEpoch != epoch { table.update(repeating: .null, count: SpecialMethod.count) }
            } else {
                table = .allocate(capacity: SpecialMethod.count)
                table.initialize(repeating: .null, count: SpecialMethod.count)
                t.specialMethods = table
            }
            t.specialMethodsEpoch = epoch
            if case .null = table[i] {
                table[i] = userMethodLookup(t, SpecialMethod.names[i]).map { Value($0) } ?? .none
            }
            guard case .object(let f) = table[i] else { return nil }
            return Unmanaged.fromOpaque(f.toOpaque())
        }
    }

    /// `callUserMethod` with no argument, for a special method given by number.
    func callUserMethod(_ v: Value, special i: Int) throws -> Value? {
        guard let f = userMethod(v, special: i) else { return nil }
        return try withUnsafePointer(to: v) { p in
            try f._withUnsafeGuaranteedRef { try callFunction($0, UnsafeBufferPointer(start: p, count: 1)) }
        }
    }

    /// `callUserMethod` with one argument, for a special method given by number: nothing is
    /// hashed, retained or put in an array.
    func callUserMethod(_ v: Value, special i: Int, _ arg: Value) throws -> Value? {
        guard let f = userMethod(v, special: i) else { return nil }
        return try withUnsafeTemporaryAllocation(of: Value.self, capacity: 2) { b in
            let p = b.baseAddress.unsafelyUnwrapped
            p.initialize(to: v)
            (p + 1).initialize(to: arg)
            return try f._withUnsafeGuaranteedRef { try callFunction($0, UnsafeBufferPointer(start: p, count: 2)) }
        }
    }

    /// `userMethod` without its cache: the class's script-defined function `name`, if any.
    func userMethodLookup(_ type: TypeObject, _ name: String) -> FunctionObj? {
        if let m = type.mroList {
            // Several bases: the method resolution order, where a builtin class that has the
            // method natively answers itself (`class C(str, Mixin)` keeps str's `__len__`).
            for c in m {
                guard let f = c.dict[name] else { continue }
                return c.moduleName != nil ? f.asFunction : nil
            }
            return nil
        }
        var t: TypeObject? = type
        while let c = t, c.moduleName != nil {
            if let f = c.dict[name] { return f.asFunction }
            t = c.base
        }
        return nil
    }

    /// A special method as the interpreter looks it up: on the class of `v` (never the instance),
    /// bound to `v`; nil when the class has none.
    func specialMethod(_ v: Value, _ name: String) throws -> Value? {
        let t = typeOf(v)
        guard let m = t.lookup(name) else { return nil }
        return try bindClassAttribute(m, instance: v, owner: t)
    }

    /// Calls `v.name(*args)` when the class of `v` defines it in script code; nil otherwise.
    func callUserMethod(_ v: Value, _ name: String, _ args: [Value]) throws -> Value? {
        guard let f = userMethod(v, name) else { return nil }
        return try callFunction(f, [v] + args, keywords: [])
    }

    /// `callUserMethod` with one argument (an operator's other operand).
    func callUserMethod(_ v: Value, _ name: String, _ arg: Value) throws -> Value? {
        guard let f = userMethod(v, name) else { return nil }
        return try callFunction(f, [v, arg], keywords: [])
    }

    /// Instantiates a script class: the metaclass's `__call__` if it has one of its own, else
    /// `__new__` and `__init__`.
    func constructUserClass(_ t: TypeObject, _ args: [Value], keywords: [(name: String, value: Value)]) throws -> Value {
        if t.constructionEpoch != hot.pointee.typeEpoch { planConstruction(t) }
        if t.constructionPlain {
            // The common case, decided once per type epoch: no __new__, metaclass or native base.
            let obj = args.withUnsafeBufferPointer { plainInstance(of: t, positional: $0) }
            if let initFn = t.constructionInit {
                tempRoots.append(obj)
                defer { tempRoots.removeLast() }
                let r = try callFunction(initFn, [obj] + args, keywords: keywords)
                if !r.isNone { throw typeError("__init__() should return None, not '\(typeName(r))'") }
            } else if !t.isException && (!args.isEmpty || !keywords.isEmpty) {
                throw typeError("\(t.name)() takes no arguments")
            } else if t.isException && !keywords.isEmpty {
                throw typeError("\(t.name)() takes no keyword arguments")
            }
            return obj
        }
        if t.type !== types.type, t.type.moduleName != nil, let f = userMethod(Value(t), "__call__") {
            return try callFunction(f, [Value(t)] + args, keywords: keywords)
        }
        return try defaultTypeCall(t, args, keywords: keywords)
    }

    /// A new object of a class whose instances are made plainly (`TypeObject.constructionPlain`):
    /// an exception keeps the positional arguments as `args`, as `BaseException.__new__` does.
    @inline(__always)
    func plainInstance(of t: TypeObject, positional: UnsafeBufferPointer<Value>) -> Value {
        if t.isException { return Value(heap.register(ExceptionObj(type: t, args: newTuple(positional)))) }
        return newInstance(of: t)
    }

    /// Decides whether calling `t` can take `constructUserClass`'s direct path (see
    /// `TypeObject.constructionPlain`).
    @inline(never) func planConstruction(_ t: TypeObject) {
        var plain = t.hasType(types.type) && !t.isSubtype(of: types.type) && t.construct == nil
            && !t.isSubtype(of: exc.baseExceptionGroup)
        if plain, let n = t.lookup("__new__"), n.asObject(.native, NativeFunctionObj.self) == nil { plain = false }
        if plain {
            for c in t.mro where c.moduleName == nil && c !== types.object && !c.isException { plain = false }
        }
        t.constructionPlain = plain
        var initFn: FunctionObj?
        if case .object(let u)? = t.lookup("__init__"), u.takeUnretainedValue().kind == .function {
            initFn = unsafeDowncast(u.takeUnretainedValue(), to: FunctionObj.self)
        }
        t.constructionInitRef = initFn.map { Unmanaged.passUnretained($0) }
        t.constructionEpoch = hot.pointee.typeEpoch
    }

    /// `type.__call__(cls, *args, **kwargs)`: `cls.__new__`, then `__init__` on what it made when
    /// that is an instance of `cls`.
    func defaultTypeCall(_ t: TypeObject, _ args: [Value], keywords: [(name: String, value: Value)]) throws -> Value {
        let newFn = t.lookup("__new__")
        let scriptNew = newFn.flatMap { v -> Value? in
            if let w = v.asObject(.instance, InstanceObj.self), w.hasType(types.staticmethod) { return w.attributes["__func__"] }
            return v.asFunction != nil ? v : nil
        }
        let obj: Value
        if let f = scriptNew {
            obj = try call(f, [Value(t)] + args, keywords: keywords)
        } else if t.isSubtype(of: types.type) {
            if args.count == 1 && keywords.isEmpty && t === types.type { return Value(typeOf(args[0])) }
            obj = Value(try typeNew(t, args, keywords: keywords))
        } else if let owner = nativeConstructorOwner(Value(t)) {
            return try constructNatively(owner, t, args, keywords: keywords)
        } else if let base = nativeBase(t) {
            obj = try nativeNew(base, t, args, keywords: keywords)
        } else if t.isSubtype(of: exc.baseExceptionGroup) {
            // BaseExceptionGroup.__new__ checks and keeps the message and the exceptions.
            let all = [Value(t)] + args
            obj = try all.withUnsafeBufferPointer { try makeExceptionGroup(Args(positional: $0, keywords: keywords)) }
        } else if t.isException {
            obj = Value(heap.register(ExceptionObj(type: t, args: newTuple(args))))
        } else {
            obj = newInstance(of: t)
        }
        tempRoots.append(obj)
        defer { tempRoots.removeLast() }
        guard typeOf(obj).isSubtype(of: t) else { return obj }
        if let initFn = userMethod(obj, "__init__") {
            let r = try callFunction(initFn, [obj] + args, keywords: keywords)
            if !r.isNone { throw typeError("__init__() should return None, not '\(typeName(r))'") }
        } else if let base = nativeBase(t) {
            // list, dict and set fill the new object in their `__init__`; the others took the
            // arguments in `__new__`.
            if base === types.list || base === types.dict || base === types.set, let initFn = base.dict["__init__"] {
                _ = try call(initFn, [obj] + args, keywords: keywords)
            }
        } else if scriptNew == nil && t.isSubtype(of: types.type) {
            // type.__init__ accepts what type.__new__ did.
        } else if scriptNew == nil && !t.isException && (!args.isEmpty || !keywords.isEmpty) {
            throw typeError("\(t.name)() takes no arguments")
        } else if scriptNew == nil && t.isException && !keywords.isEmpty {
            throw typeError("\(t.name)() takes no keyword arguments")
        }
        return obj
    }

    /// The native constructor a type or its nearest base has (`int`, `ValueError`, ...).
    /// The class whose native constructor makes instances of the class `v` (the class itself or
    /// a base), borrowed; nil when `v` is no class, or a script class without a builtin base
    /// (`constructUserClass` makes those), or has no native constructor. The constructor takes
    /// the class first, then the call's arguments.
    func nativeConstructorOwner(_ v: Value) -> Unmanaged<TypeObject>? {
        guard case .object(let u) = v, u._withUnsafeGuaranteedRef({ $0.kind == .type }) else { return nil }
        return Unmanaged<TypeObject>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { t -> Unmanaged<TypeObject>? in
            if t.construct != nil { return Unmanaged.passUnretained(t) }
            if t.moduleName != nil { return nil }
            if let m = t.mroList {
                return m.withUnsafeBufferPointer { b in b.first(where: { $0.construct != nil }).map { Unmanaged.passUnretained($0) } }
            }
            var c = t.base.map { Unmanaged.passUnretained($0) }
            while let ty = c {
                let (found, next) = ty._withUnsafeGuaranteedRef { ($0.construct != nil, $0.base.map { Unmanaged.passUnretained($0) }) }
                if found { return ty }
                c = next
            }
            return nil
        }
    }

    /// `type(name, bases, dict, **kwargs)` and `type.__new__`: checks the arguments as CPython
    /// does and makes the class.
    func typeNew(_ meta: TypeObject, _ args: [Value], keywords: [(name: String, value: Value)]) throws -> TypeObject {
        guard args.count == 3 else {
            throw typeError(meta === types.type ? "type() takes 1 or 3 arguments" : "type.__new__() takes exactly 3 arguments (\(args.count) given)")
        }
        guard let name = args[0].asStr?.value else {
            throw typeError("type.__new__() argument 1 must be str, not \(typeName(args[0]))")
        }
        guard let bases = args[1].asTuple else {
            throw typeError("type.__new__() argument 2 must be tuple, not \(typeName(args[1]))")
        }
        guard let ns = args[2].asDict else {
            throw typeError("type.__new__() argument 3 must be dict, not \(typeName(args[2]))")
        }
        let winner = try winningMetaclass(meta, Array(bases.items))
        if winner !== meta, winner.moduleName != nil, let f = winner.lookup("__new__"), f.asObject(.instance, InstanceObj.self) != nil {
            // A more derived metaclass with a `__new__` of its own makes the class (CPython's rule).
            let r = try call(Value(winner), args, keywords: keywords)
            if let t = r.asType { return t }
        }
        let copy = newDict()
        tempRoots.append(Value(copy))
        defer { tempRoots.removeLast() }
        copy.copyContents(of: ns, self)
        if try copy.get(intern("__module__"), self) == nil {
            let module = activeModuleName() ?? "__main__"
            try copy.set(intern("__module__"), newStr(module), self)
        }
        if try copy.get(intern("__qualname__"), self) == nil {
            try copy.set(intern("__qualname__"), args[0], self)
        }
        return try makeClass(meta: winner, name: name, bases: Array(bases.items), namespace: copy, keywords: keywords)
    }

    /// The `__name__` of the module whose code runs now, if any.
    func activeModuleName() -> String? {
        guard let fiber = activeFibers.last, fiber.frameCount > 0 else { return nil }
        return fiber.frames[fiber.frameCount - 1].code.takeUnretainedValue().module.name
    }

    /// The attribute hooks of class `t` (`TypeObject.hook...` bits), recomputed once per type
    /// epoch: what lets loads and stores on instances of plain classes skip every hook.
    @inline(__always) func attributeHooks(_ t: TypeObject) -> UInt8 {
        if t.hooksEpoch == hot.pointee.typeEpoch { return t.hooks }
        return refreshHooks(t)
    }

    @inline(never) private func refreshHooks(_ t: TypeObject) -> UInt8 {
        var h: UInt8 = 0
        var slotted = true, sawSlots = false
        for c in t.mro {
            if c === types.object { continue }
            if c.moduleName == nil {
                // A builtin base whose objects a script class may extend has no `__dict__` to give.
                if !isSubclassableBuiltin(c) { slotted = false }
                continue
            }
            for (k, v) in c.dict {
                switch k {
                case "__getattribute__": if v.asFunction != nil { h |= TypeObject.hookGetattribute }
                case "__setattr__": if isCallableHook(v) { h |= TypeObject.hookSetattr }
                case "__delattr__": if isCallableHook(v) { h |= TypeObject.hookDelattr }
                default: break
                }
                if isDataDescriptor(v) { h |= TypeObject.hookDescriptor }
            }
            if let names = c.slotNames {
                sawSlots = true
                if names.contains("__dict__") { slotted = false }
            } else {
                slotted = false
            }
        }
        if slotted && sawSlots { h |= TypeObject.hookSlots }
        t.hooks = h
        t.hooksEpoch = hot.pointee.typeEpoch
        return h
    }

    /// A script function, or a builtin method a class body names (`__setattr__ = dict.__setitem__`).
    func isCallableHook(_ v: Value) -> Bool {
        v.asFunction != nil || v.asObject(.native, NativeFunctionObj.self) != nil
    }

    /// A property, or an instance of a script class with `__set__` or `__delete__`.
    func isDataDescriptor(_ v: Value) -> Bool {
        guard let i = v.asObject(.instance, InstanceObj.self) else { return false }
        if i.hasType(types.property) { return true }
        return i.type.moduleName != nil && (i.type.lookup("__set__") != nil || i.type.lookup("__delete__") != nil)
    }

    /// `__slots__` of a class body: the names its instances may have.
    func installSlots(_ cls: TypeObject, _ slots: Value) throws {
        var names: [String] = []
        let items: [Value] = slots.asStr != nil ? [slots] : try iterateToArray(slots)
        for item in items {
            guard let n = item.asStr?.value else {
                throw typeError("__slots__ items must be strings, not '\(typeName(item))'")
            }
            if cls.dict[n] != nil && n != "__dict__" {
                throw error(exc.valueError, "'\(n)' in __slots__ conflicts with class variable")
            }
            names.append(n)
        }
        cls.slotNames = names
    }

    /// Looks a name up on an instance: `__getattribute__` if the class has its own, else its
    /// data descriptors, its own attributes, then its class (binding functions, unwrapping
    /// staticmethod/classmethod/property, calling `__get__`); `__getattr__` when all miss.
    func instanceAttribute(_ obj: Value, _ own: borrowing AttributeTable, _ name: String) throws -> Value? {
        let t = typeOf(obj)
        let hooks = attributeHooks(t)
        if hooks & TypeObject.hookGetattribute != 0, let ga = t.lookup("__getattribute__"), ga.asFunction != nil {
            do {
                return try call(ga, [obj, intern(name)])
            } catch let e as ScriptError where e.exception.type.isSubtype(of: exc.attributeError) {
                if let v = try getattrFallback(obj, t, name) { return v }
                throw e
            }
        }
        do {
            if let v = try genericInstanceAttribute(obj, own, name, hooks) { return v }
        } catch let e as ScriptError where e.exception.type.isSubtype(of: exc.attributeError) {
            // (A property's getter or a descriptor's `__get__` that raises AttributeError: as
            // CPython, `__getattr__` is asked next.)
            if let v = try getattrFallback(obj, t, name) { return v }
            throw e
        }
        return try getattrFallback(obj, t, name)
    }

    /// `__getattr__(obj, name)` when the class defines one; nil otherwise.
    func getattrFallback(_ obj: Value, _ t: TypeObject, _ name: String) throws -> Value? {
        guard let f = t.lookup("__getattr__"), isCallableHook(f) else { return nil }
        return try call(f, [obj, intern(name)])
    }

    /// `object.__getattribute__`: data descriptors of the class, the instance's own attributes,
    /// then the class's.
    func genericInstanceAttribute(_ obj: Value, _ own: borrowing AttributeTable, _ name: String, _ hooks: UInt8) throws -> Value? {
        let t = typeOf(obj)
        if hooks & TypeObject.hookDescriptor != 0, let d = t.lookup(name), isDataDescriptor(d) {
            return try bindClassAttribute(d, instance: obj, owner: t)
        }
        if let v = own[name] { return v }
        guard let v = t.lookup(name) else {
            if name == "__class__" { return Value(t) }
            if name == "__dict__" && hooks & TypeObject.hookSlots == 0 {
                let d = newDict()
                for (k, x) in own.pairs { try d.set(intern(k), x, self) }
                return Value(d)
            }
            return nil
        }
        return try bindClassAttribute(v, instance: obj, owner: t)
    }

    /// What `instance.attr` or `Class.attr` gives for a class attribute `v`.
    func bindClassAttribute(_ v: Value, instance: Value?, owner: TypeObject) throws -> Value {
        if let wrapper = v.asObject(.instance, InstanceObj.self) {
            if wrapper.hasType(types.staticmethod) { return wrapper.attributes["__func__"] ?? .none }
            if wrapper.hasType(types.classmethod) {
                return Value(heap.register(BoundMethodObj(receiver: Value(owner), function: wrapper.attributes["__func__"] ?? .none,
                                                          type: types.method)))
            }
            if wrapper.hasType(types.property) {
                guard let obj = instance else { return v }
                guard let getter = wrapper.attributes["fget"], !getter.isNone else {
                    throw attributeError("\(propertyLabel(wrapper)) of '\(typeOf(obj).name)' object has no getter")
                }
                return try call(getter, one: obj)
            }
            if wrapper.type.moduleName != nil, let get = userMethod(v, "__get__") {
                return try callFunction(get, [v, instance ?? .none, Value(owner)], keywords: [])
            }
        }
        if let obj = instance, v.asFunction != nil {
            return Value(heap.register(BoundMethodObj(receiver: obj, function: v, type: types.method)))
        }
        // A method of a builtin class binds (it has an owner: `list.append`); a builtin function
        // kept in a class (`size = len`) does not, as in CPython, where it is no descriptor.
        if let obj = instance, let f = v.asObject(.native, NativeFunctionObj.self), f.owner != nil {
            return Value(heap.register(BoundMethodObj(receiver: obj, function: v, type: types.builtinFunction)))
        }
        return v
    }

    /// `instance.attr = value`: a script `__setattr__` (unless `generic`, as for
    /// `object.__setattr__`), a property's setter or a descriptor's `__set__`, else `store`.
    func setInstanceAttribute(_ obj: Value, _ name: String, _ value: Value, generic: Bool = false,
                              store: (Value) -> Void) throws {
        let t = typeOf(obj)
        let hooks = attributeHooks(t)
        if hooks == 0 { store(value); return }
        if !generic, hooks & TypeObject.hookSetattr != 0, let f = t.lookup("__setattr__"), isCallableHook(f) {
            _ = try call(f, [obj, intern(name), value])
            return
        }
        if hooks & TypeObject.hookDescriptor != 0, let d = t.lookup(name), let p = d.asObject(.instance, InstanceObj.self) {
            if p.hasType(types.property) {
                guard let setter = p.attributes["fset"], !setter.isNone else {
                    throw attributeError("\(propertyLabel(p)) of '\(t.name)' object has no setter")
                }
                _ = try call(setter, [obj, value])
                return
            }
            if p.type.moduleName != nil, let set = userMethod(d, "__set__") {
                _ = try callFunction(set, [d, obj, value], keywords: [])
                return
            }
            if p.type.moduleName != nil, userMethod(d, "__delete__") != nil {
                throw attributeError("__set__")
            }
        }
        if hooks & TypeObject.hookSlots != 0 && !t.mro.contains(where: { $0.slotNames?.contains(name) == true }) {
            if t.lookup(name) != nil { throw attributeError("'\(t.name)' object attribute '\(name)' is read-only") }
            throw attributeError("'\(t.name)' object has no attribute '\(name)'")
        }
        store(value)
    }

    /// Where a property keeps the name its class body gave it (CPython's `__set_name__`); not an
    /// identifier, so scripts cannot reach it.
    static let propertyNameKey = " name"

    /// `del instance.attr` through a script `__delattr__` (unless `generic`), a property's
    /// deleter or a descriptor's `__delete__`; false when none of them takes it.
    func deleteHookedAttribute(_ obj: Value, _ name: String, generic: Bool = false) throws -> Bool {
        let t = typeOf(obj)
        let hooks = attributeHooks(t)
        if !generic, hooks & TypeObject.hookDelattr != 0, let f = t.lookup("__delattr__"), isCallableHook(f) {
            _ = try call(f, [obj, intern(name)])
            return true
        }
        guard hooks & TypeObject.hookDescriptor != 0, let d = t.lookup(name),
              let p = d.asObject(.instance, InstanceObj.self) else { return false }
        if p.hasType(types.property) {
            guard let deleter = p.attributes["fdel"], !deleter.isNone else {
                throw attributeError("\(propertyLabel(p)) of '\(t.name)' object has no deleter")
            }
            _ = try call(deleter, one: obj)
            return true
        }
        if p.type.moduleName != nil, let del = userMethod(d, "__delete__") {
            _ = try callFunction(del, [d, obj], keywords: [])
            return true
        }
        if p.type.moduleName != nil, userMethod(d, "__set__") != nil { throw attributeError("__delete__") }
        return false
    }

    /// How CPython 3.11 words a property in its errors: `property 'x'`, or `property` when unnamed.
    private func propertyLabel(_ p: InstanceObj) -> String {
        if let n = p.attributes[Runtime.propertyNameKey]?.asStr?.value { return "property '\(n)'" }
        return "property"
    }

    /// `super()` inside a method: the calling frame's class cell and first argument.
    func superObject(_ args: Args) throws -> Value {
        // (Classes borrowed: the first argument is the caller's, the `__class__` cell the frame's.)
        var cls: Unmanaged<TypeObject>?, this: Value = .null
        if args.count == 2 {
            guard case .object(let u) = args[0], u._withUnsafeGuaranteedRef({ $0.kind == .type }) else {
                throw typeError("super() argument 1 must be a type, not \(typeName(args[0]))")
            }
            cls = Unmanaged.fromOpaque(u.toOpaque())
            this = args[1]
        } else {
            (cls, this) = superArgumentsOfRunningFrame()
        }
        guard let c = cls, !this.isNull else { throw runtimeError("super(): no arguments") }
        return try c._withUnsafeGuaranteedRef { c in
            // As CPython: the second argument is an instance of the class or a subclass of it.
            if !withTypeOf(this, { $0.isSubtype(of: c) }) && !(this.asType?.isSubtype(of: c) ?? false) {
                throw typeError("super(type, obj): obj must be an instance or subtype of type")
            }
            return Value(heap.register(SuperObj(thisClass: c, this: this, type: types.superType)))
        }
    }

    /// What `super().name` finds: the value in the class after the caller's in the receiver's
    /// method resolution order, and the class whose order was searched; nil when no class has it.
    func superLookup(_ s: SuperObj, _ name: String) -> (value: Value, start: TypeObject)? {
        let c = s.thisClass.object, this = s.this
        let start: TypeObject
        if typeOf(this).isSubtype(of: c) {
            start = typeOf(this)
        } else if let t = this.asType, t.isSubtype(of: c) {
            start = t
        } else {
            start = c
        }
        // The class after `c` in `start`'s method resolution order that has the name (a chain of
        // single bases is walked as it is, without building the order as an array).
        if let mro = start.mroList {
            guard let at = mro.firstIndex(where: { $0 === c }) else { return nil }
            for x in mro[(at + 1)...] { if let v = x.dict[name] { return (v, start) } }
            return nil
        }
        var t: TypeObject? = start
        while let x = t, x !== c { t = x.base }
        guard t != nil else { return nil }
        t = c.base
        while let x = t { if let v = x.dict[name] { return (v, start) }; t = x.base }
        return nil
    }

    /// `super().name`: looks along the method resolution order of the receiver's class (or of
    /// the receiver, for a class method), past the class that called super().
    func superAttribute(_ i: InstanceObj, _ name: String) throws -> Value? {
        guard let s = i as? SuperObj else { return nil }
        let this = s.this
        if let (v, start) = superLookup(s, name) {
            if v.asObject(.native, NativeFunctionObj.self) != nil {
                // `__new__` is a static method: never bound.
                if name == "__new__" { return v }
                return Value(heap.register(BoundMethodObj(receiver: this, function: v, type: types.builtinFunction)))
            }
            let instance: Value? = start === typeOf(this) ? this : nil
            return try bindClassAttribute(v, instance: instance, owner: start)
        }
        switch name {
        case "__class__": return Value(types.superType)
        case "__thisclass__": return Value(s.thisClass.object)
        case "__self__": return this
        case "__self_class__": return Value(this.asType.flatMap { t in t.isSubtype(of: s.thisClass.object) ? t : nil } ?? typeOf(this))
        default: return nil
        }
    }

    func installClassSupport() {
        types.object.dict["__init__"] = native("__init__", owner: "object") { rt, args in
            // As CPython: arguments beyond the instance are an error when its class overrides
            // __init__ (this one was reached through super()), or overrides neither __init__ nor
            // __new__.
            guard args.count > 1 || !args.keywords.isEmpty, args.count > 0 else { return .none }
            let t = rt.typeOf(args[0])
            // Built-in bases (list, dict, type, ...) take their arguments elsewhere here.
            for c in t.mro where c.moduleName == nil && c !== rt.types.object { return .none }
            let own = rt.types.object.dict["__init__"], ownNew = rt.types.object.dict["__new__"]
            if let i = t.lookup("__init__"), let o = own, !i.isIdentical(to: o) {
                throw rt.typeError("object.__init__() takes exactly one argument (the instance to initialize)")
            }
            if let n = t.lookup("__new__"), let o = ownNew, n.isIdentical(to: o) {
                throw rt.typeError("\(t.name).__init__() takes exactly one argument (the instance to initialize)")
            }
            return .none
        }
        exc.baseException.dict["__init__"] = native("__init__", owner: "BaseException") { rt, args in
            // (Borrowed: the instance is the caller's argument.)
            if args.count > 0 {
                try args[0].withObject(.exception, ExceptionObj.self) { e in
                    if !args.keywords.isEmpty { throw rt.typeError("\(e.type.name)() takes no keyword arguments") }
                    e.args = rt.newTuple(UnsafeBufferPointer(rebasing: args.positional.dropFirst()))
                }
            }
            return .none
        }
        // BaseException's own __str__ and __repr__, reached through super() or the class.
        for name in ["__str__", "__repr__"] {
            exc.baseException.dict[name] = native(name, owner: "BaseException") { rt, args in
                guard args.count == 1, let e = args[0].asException else {
                    throw rt.typeError("descriptor '\(name)' of 'BaseException' object needs an argument")
                }
                return rt.newStr(name == "__str__" ? try rt.exceptionStr(e) : try rt.exceptionRepr(e))
            }
        }
        installObjectProtocol()
        builtins.set("__build_class__", native("__build_class__") { rt, args in try rt.buildClass(args) })
        builtins.set("super", Value(types.superType))
        types.superType.construct = { rt, args in
            try rt.superObject(Args(positional: UnsafeBufferPointer(rebasing: args.positional.dropFirst())))
        }
        for (t, field) in [(types.staticmethod, "__func__"), (types.classmethod, "__func__")] {
            t.construct = { rt, args in
                guard args.count == 2 else { throw rt.typeError("\(t.name) expected 1 argument, got \(args.count - 1)") }
                let w = rt.heap.register(InstanceObj(type: t))
                w.attributes[field] = args[1]
                return Value(w)
            }
        }
        types.property.construct = { rt, args in
            let w = rt.heap.register(InstanceObj(type: rt.types.property))
            w.attributes["fget"] = args.count > 1 ? args[1] : (args.keyword("fget") ?? .none)
            w.attributes["fset"] = args.count > 2 ? args[2] : (args.keyword("fset") ?? .none)
            w.attributes["fdel"] = args.count > 3 ? args[3] : (args.keyword("fdel") ?? .none)
            return Value(w)
        }
        // getter/setter/deleter: a copy of the property with one accessor replaced.
        for (method, field) in [("getter", "fget"), ("setter", "fset"), ("deleter", "fdel")] {
            types.property.dict[method] = native(method, owner: "property") { rt, args in
                guard args.count == 2, let p = args[0].asObject(.instance, InstanceObj.self) else {
                    throw rt.typeError("\(method)() takes exactly one argument")
                }
                let w = rt.heap.register(InstanceObj(type: rt.types.property))
                for key in ["fget", "fset", "fdel", Runtime.propertyNameKey] { w.attributes[key] = p.attributes[key] }
                w.attributes[field] = args[1]
                return Value(w)
            }
        }
    }

    /// The methods of `object` and `type` that classes reach through `super()` or call by name:
    /// `__new__`, `__setattr__`, `__getattribute__`, `__delattr__`, `__init_subclass__`, and
    /// `type.__new__`/`__init__`/`__call__` for metaclasses.
    private func installObjectProtocol() {
        types.object.dict["__new__"] = native("__new__", owner: "object") { rt, args in
            guard args.count >= 1, let t = args[0].asType else {
                throw rt.typeError("object.__new__(X): X is not a type object (\(args.count > 0 ? rt.typeName(args[0]) : "NoneType"))")
            }
            if t.isSubtype(of: rt.types.type) { return Value(try rt.typeNew(t, Array(args.positional.dropFirst()), keywords: args.keywords)) }
            if t.moduleName == nil && !t.isException && t !== rt.types.object {
                throw rt.typeError("object.__new__(\(t.name)) is not safe, use \(t.name).__new__()")
            }
            if rt.nativeBase(t) != nil {
                throw rt.typeError("object.__new__(\(t.name)) is not safe, use \(t.name).__new__()")
            }
            let extra = args.count > 1 || !args.keywords.isEmpty
            if t.isException { return Value(rt.heap.register(ExceptionObj(type: t, args: rt.newTuple(Array(args.positional.dropFirst()))))) }
            if extra {
                let ownNew = t.lookup("__new__").map { $0.asObject(.native, NativeFunctionObj.self) == nil } ?? false
                if ownNew { throw rt.typeError("object.__new__() takes exactly one argument (the type to instantiate)") }
                if rt.userMethod(Value(t), "__init__") == nil && t.lookup("__init__")?.asFunction == nil {
                    throw rt.typeError("\(t.name)() takes no arguments")
                }
            }
            return rt.newInstance(of: t)
        }
        types.object.dict["__setattr__"] = native("__setattr__", owner: "object") { rt, args in
            guard args.count == 3, let n = args[1].asStr?.value else {
                throw rt.typeError("expected 2 arguments, got \(max(0, args.count - 1))")
            }
            if let i = args[0].asObject(.instance, InstanceObj.self), i.type.moduleName != nil {
                try rt.setInstanceAttribute(args[0], n, args[2], generic: true) { i.attributes[n] = $0 }
            } else if let s = rt.nativeSubclassInstance(args[0]) {
                try rt.setInstanceAttribute(args[0], n, args[2], generic: true) { s.attributes[n] = $0 }
            } else if let e = args[0].asException {
                try rt.setExceptionAttribute(e, args[0], n, args[2], generic: true)
            } else if let t = args[0].asType {
                try rt.setTypeAttribute(t, n, args[2])
            } else {
                try rt.setAttribute(args[0], args[1], args[2])
            }
            return .none
        }
        types.object.dict["__delattr__"] = native("__delattr__", owner: "object") { rt, args in
            guard args.count == 2, let n = args[1].asStr?.value else {
                throw rt.typeError("expected 1 argument, got \(max(0, args.count - 1))")
            }
            if let i = args[0].asObject(.instance, InstanceObj.self), i.type.moduleName != nil {
                if try rt.deleteHookedAttribute(args[0], n, generic: true) { return .none }
                if i.attributes.removeValue(forKey: n) != nil { return .none }
                throw rt.noAttribute(args[0], n)
            }
            if let s = rt.nativeSubclassInstance(args[0]) {
                if try rt.deleteHookedAttribute(args[0], n, generic: true) { return .none }
                if s.attributes.removeValue(forKey: n) != nil { return .none }
                throw rt.noAttribute(args[0], n)
            }
            try rt.deleteAttribute(args[0], args[1])
            return .none
        }
        types.object.dict["__getattribute__"] = native("__getattribute__", owner: "object") { rt, args in
            guard args.count == 2, let n = args[1].asStr?.value else {
                throw rt.typeError("expected 1 argument, got \(max(0, args.count - 1))")
            }
            if let i = args[0].asObject(.instance, InstanceObj.self), i.type.moduleName != nil {
                if let v = try rt.genericInstanceAttribute(args[0], i.attributes, n, rt.attributeHooks(i.type)) { return v }
                throw rt.noAttribute(args[0], n)
            }
            if let s = rt.nativeSubclassInstance(args[0]) {
                if let v = try rt.genericInstanceAttribute(args[0], s.attributes, n, rt.attributeHooks(s.type)) { return v }
                throw rt.noAttribute(args[0], n)
            }
            return try rt.getAttribute(args[0], args[1])
        }
        types.object.dict["__init_subclass__"] = native("__init_subclass__", owner: "object") { rt, args in
            if !args.keywords.isEmpty {
                let name = args.count > 0 ? (args[0].asType?.name ?? "object") : "object"
                throw rt.typeError("\(name).__init_subclass__() takes no keyword arguments")
            }
            return .none
        }
        types.type.dict["__new__"] = native("__new__", owner: "type") { rt, args in
            guard args.count >= 1, let meta = args[0].asType, meta.isSubtype(of: rt.types.type) else {
                throw rt.typeError("type.__new__(X): X is not a type object")
            }
            return Value(try rt.typeNew(meta, Array(args.positional.dropFirst()), keywords: args.keywords))
        }
        types.type.dict["__init__"] = native("__init__", owner: "type") { _, _ in .none }
        types.type.dict["__call__"] = native("__call__", owner: "type") { rt, args in
            guard args.count >= 1, let t = args[0].asType else { throw rt.typeError("descriptor '__call__' requires a 'type' object") }
            return try rt.defaultTypeCall(t, Array(args.positional.dropFirst()), keywords: args.keywords)
        }
        types.type.dict["mro"] = native("mro", owner: "type") { rt, args in
            guard args.count == 1, let t = args[0].asType else { throw rt.typeError("mro() takes no arguments") }
            return rt.newList(t.mro.map { Value($0) })
        }
    }
}
