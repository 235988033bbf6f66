// Classes defined in scripts: `class` statements, instances, bound methods, `super()`,
// `staticmethod`, `classmethod`, `property`, and the special methods (`__init__`, `__repr__`,
// `__eq__`, `__len__`, ...) that the runtime's operations consult.
//
// One idea: a user class is a `TypeObject` whose attribute table the class body filled; builtin
// operations ask `userMethod(v, "__x__")`, which finds only functions written in script code, so
// builtin types keep their fast native paths and classes override exactly what they define.

extension Runtime {
    /// `__build_class__(body, name, *bases)`: runs the class body on a fresh namespace and makes
    /// the class.
    func buildClass(_ args: Args) throws -> Value {
        guard args.count >= 2, let body = args[0].asFunction, let name = args[1].asStr?.value else {
            throw typeError("__build_class__: func must be a function")
        }
        let bases = Array(args.positional.dropFirst(2))
        if bases.count > 1 {
            throw typeError("multiple inheritance is not supported: class '\(name)' names \(bases.count) bases")
        }
        var base = types.object
        if let b = bases.first {
            guard let t = b.asType else { throw typeError("bases must be types") }
            if t.moduleName == nil && !t.isException && t !== types.object {
                throw typeError("subclassing the builtin type '\(t.name)' is not supported")
            }
            base = t
        }
        let ns = newDict()
        tempRoots.append(Value(ns))
        defer { tempRoots.removeLast() }
        let cell = try callFunction(body, [], keywords: [], namespace: Value(ns))
        let cls = heap.register(TypeObject(name: name, base: base, isException: base.isException, metatype: types.type))
        cls.moduleName = (try ns.get(intern("__module__"), self))?.asStr?.value ?? "__main__"
        for (k, v) in ns.entries {
            guard let key = k.asStr?.value, key != "__classcell__" else { continue }
            cls.dict[key] = v
            if let p = v.asObject(.instance, InstanceObj.self), p.type === types.property,
               p.attributes[Runtime.propertyNameKey] == nil {
                p.attributes[Runtime.propertyNameKey] = k
            }
        }
        // As in CPython, a class that defines __eq__ but not __hash__ is unhashable.
        if cls.dict["__eq__"] != nil && cls.dict["__hash__"] == nil { cls.dict["__hash__"] = Value.none }
        if let c = cell.asObject(.cell, CellObj.self) { c.contents = Value(cls) }
        hot.pointee.typeEpoch &+= 1
        return Value(cls)
    }

    /// The function a script class (or one of its script bases) defines for `name`, if any.
    func userMethod(_ v: Value, _ name: String) -> FunctionObj? {
        guard case .object(let u) = v else { return nil }
        var t: TypeObject? = u.takeUnretainedValue().type
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

    /// Instantiates a script class: `__init__` on a new instance (or exception).
    func constructUserClass(_ t: TypeObject, _ args: [Value], keywords: [(name: String, value: Value)]) throws -> Value {
        let obj: Value
        if t.isException {
            obj = Value(heap.register(ExceptionObj(type: t, args: newTuple(args))))
        } else {
            obj = Value(heap.register(InstanceObj(type: t)))
        }
        tempRoots.append(obj)
        defer { tempRoots.removeLast() }
        if let initFn = userMethod(obj, "__init__") {
            let r = try callFunction(initFn, [obj] + args, keywords: keywords)
            if !r.isNone { throw typeError("__init__() should return None, not '\(typeName(r))'") }
        } else if !t.isException && (!args.isEmpty || !keywords.isEmpty) {
            throw typeError("\(t.name)() takes no arguments")
        } else if t.isException && !keywords.isEmpty {
            throw typeError("\(t.name)() takes no keyword arguments")
        }
        return obj
    }

    /// Looks a name up on an instance: its own attributes, then its class (binding functions,
    /// unwrapping staticmethod/classmethod/property).
    func instanceAttribute(_ obj: Value, _ own: AttributeTable, _ name: String) throws -> Value? {
        if let v = own[name] { return v }
        let t = typeOf(obj)
        guard let v = t.lookup(name) else {
            if name == "__class__" { return Value(t) }
            if name == "__dict__" {
                let d = newDict()
                for (k, x) in own { try d.set(intern(k), x, self) }
                return Value(d)
            }
            return nil
        }
        return try bindClassAttribute(v, instance: obj, owner: t)
    }

    /// What `instance.attr` or `Class.attr` gives for a class attribute `v`.
    func bindClassAttribute(_ v: Value, instance: Value?, owner: TypeObject) throws -> Value {
        if let wrapper = v.asObject(.instance, InstanceObj.self) {
            if wrapper.type === types.staticmethod { return wrapper.attributes["__func__"] ?? .none }
            if wrapper.type === types.classmethod {
                return Value(heap.register(BoundMethodObj(receiver: Value(owner), function: wrapper.attributes["__func__"] ?? .none,
                                                          type: types.method)))
            }
            if wrapper.type === types.property {
                guard let obj = instance else { return v }
                guard let getter = wrapper.attributes["fget"], !getter.isNone else {
                    throw attributeError("\(propertyLabel(wrapper)) of '\(typeOf(obj).name)' object has no getter")
                }
                return try call(getter, [obj])
            }
        }
        if let obj = instance, v.asFunction != nil {
            return Value(heap.register(BoundMethodObj(receiver: obj, function: v, type: types.method)))
        }
        if let obj = instance, v.asObject(.native, NativeFunctionObj.self) != nil {
            return Value(heap.register(BoundMethodObj(receiver: obj, function: v, type: types.builtinFunction)))
        }
        return v
    }

    /// `instance.attr = value`, honouring a property's setter.
    func setInstanceAttribute(_ obj: Value, _ name: String, _ value: Value, store: (Value) -> Void) throws {
        let t = typeOf(obj)
        if t.propertiesEpoch != hot.pointee.typeEpoch {
            var found = false
            var c: TypeObject? = t
            while let x = c, !found {
                found = x.dict.values.contains { $0.asObject(.instance, InstanceObj.self)?.type === types.property }
                c = x.base
            }
            t.hasProperties = found
            t.propertiesEpoch = hot.pointee.typeEpoch
        }
        if t.hasProperties, let p = t.lookup(name)?.asObject(.instance, InstanceObj.self), p.type === types.property {
            guard let setter = p.attributes["fset"], !setter.isNone else {
                throw attributeError("\(propertyLabel(p)) of '\(t.name)' object has no setter")
            }
            _ = try call(setter, [obj, value])
            return
        }
        store(value)
    }

    /// Where a property keeps the name its class body gave it (CPython's `__set_name__`); not an
    /// identifier, so scripts cannot reach it.
    static let propertyNameKey = " name"

    /// `del instance.attr`, honouring a property's deleter; false when `name` is no property.
    func deletePropertyAttribute(_ obj: Value, _ name: String) throws -> Bool {
        let t = typeOf(obj)
        guard let p = t.lookup(name)?.asObject(.instance, InstanceObj.self), p.type === types.property else { return false }
        guard let deleter = p.attributes["fdel"], !deleter.isNone else {
            throw attributeError("\(propertyLabel(p)) of '\(t.name)' object has no deleter")
        }
        _ = try call(deleter, [obj])
        return true
    }

    /// How CPython 3.11 words a property in its errors: `property 'x'`, or `property` when unnamed.
    private func propertyLabel(_ p: InstanceObj) -> String {
        if let n = p.attributes[Runtime.propertyNameKey]?.asStr?.value { return "property '\(n)'" }
        return "property"
    }

    /// `super()` inside a method: the calling frame's class cell and first argument.
    func superObject(_ args: Args) throws -> Value {
        var cls: TypeObject?, this: Value = .null
        if args.count == 2 {
            cls = args[0].asType
            this = args[1]
        } else {
            (cls, this) = superArgumentsOfRunningFrame()
        }
        guard let c = cls, !this.isNull else { throw runtimeError("super(): no arguments") }
        let s = heap.register(InstanceObj(type: types.superType))
        s.attributes["__thisclass__"] = Value(c)
        s.attributes["__self__"] = this
        return Value(s)
    }

    /// `super().name`: looks past the class that called super().
    func superAttribute(_ s: InstanceObj, _ name: String) throws -> Value? {
        guard let c = s.attributes["__thisclass__"]?.asType, let this = s.attributes["__self__"] else { return nil }
        var t = c.base
        while let x = t {
            if let v = x.dict[name] {
                if v.asObject(.native, NativeFunctionObj.self) != nil {
                    return Value(heap.register(BoundMethodObj(receiver: this, function: v, type: types.builtinFunction)))
                }
                return try bindClassAttribute(v, instance: this.asType == nil ? this : nil, owner: this.asType ?? typeOf(this))
            }
            t = x.base
        }
        return nil
    }

    func installClassSupport() {
        types.object.dict["__init__"] = native("__init__", owner: "object") { _, _ in .none }
        exc.baseException.dict["__init__"] = native("__init__", owner: "BaseException") { rt, args in
            if let e = args.count > 0 ? args[0].asException : nil {
                if !args.keywords.isEmpty { throw rt.typeError("\(e.type.name)() takes no keyword arguments") }
                e.args = rt.newTuple(Array(args.positional.dropFirst()))
            }
            return .none
        }
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
}
