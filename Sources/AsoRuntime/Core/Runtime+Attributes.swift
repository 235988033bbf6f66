// Attribute access: `obj.name` for loads, stores and deletes, and the method lookup that lets a
// call `obj.m(...)` skip making a bound-method object.

extension Runtime {
    func getAttribute(_ obj: Value, _ nameValue: Value) throws -> Value {
        // Fast path: an attribute an instance holds itself, read without reference counting.
        if case .object(let u) = obj, case .object(let n) = nameValue {
            let epoch = hot.pointee.typeEpoch
            let own = u._withUnsafeGuaranteedRef { o -> Value? in
                guard o.kind == .instance, o.type.hooksEpoch == epoch,
                      o.type.hooks & TypeObject.hookGetattribute == 0 else { return nil }
                return n._withUnsafeGuaranteedRef { nameObj -> Value? in
                    guard nameObj.kind == .str else { return nil }
                    return unsafeDowncast(o, to: InstanceObj.self).attributes[unsafeDowncast(nameObj, to: StrObj.self).value]
                }
            }
            if let v = own { return v }
            // A function's own attribute (`wrapper.calls`), looked up by the name's string
            // object, borrowed; the dunder names are the function's fields first.
            if let d = Runtime.functionDict(u, n), let v = try d._withUnsafeGuaranteedRef({ try $0.get(nameValue, self) }) {
                return v
            }
        }
        let name = nameValue.asStr?.value ?? ""
        if let v = try findAttribute(obj, name) { return v }
        throw noAttribute(obj, name)
    }

    /// The attribute dict of function `u`, borrowed, when it has one and `n` is a str that does
    /// not start with two underscores (the dunder names may be the function's own fields).
    @inline(__always)
    static func functionDict(_ u: Unmanaged<Obj>, _ n: Unmanaged<Obj>) -> Unmanaged<DictObj>? {
        guard u._withUnsafeGuaranteedRef({ $0.kind == .function }),
              let d = Unmanaged<FunctionObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef({ $0.dictRef }) else { return nil }
        let dunder = n._withUnsafeGuaranteedRef { o -> Bool in
            guard o.kind == .str else { return true }
            let utf8 = unsafeDowncast(o, to: StrObj.self).value.utf8
            var i = utf8.makeIterator()
            return i.next() == UInt8(ascii: "_") && i.next() == UInt8(ascii: "_")
        }
        return dunder ? nil : d
    }

    /// `e.__traceback__`: the frames `e` has passed through so far, outermost first (None before
    /// it is raised).
    func tracebackObject(_ e: ExceptionObj) -> Value {
        if e.traceback.isEmpty { return .none }
        if let tb = e.tracebackObject, tb.entries == e.traceback.count { return Value(tb.object) }
        let tb = heap.register(TracebackObj(entries: e.traceback.reversed(), position: 0, type: types.traceback))
        e.tracebackObject = (tb, e.traceback.count)
        return Value(tb)
    }

    /// `getattr(obj, name, None)`-style lookup: nil when missing.
    func findAttribute(_ obj: Value, _ name: String) throws -> Value? {
        if case .object(let u) = obj {
            let o = u.takeUnretainedValue()
            switch o.kind {
            case .module:
                let m = unsafeDowncast(o, to: ModuleObj.self)
                if let v = m.get(name) { return v }
                if try loadLibraryPart(m, defining: name), let v = m.get(name) { return v }
                if let v = try lazyModuleAttribute(m, name) { return v }
                if name == "__name__" { return newStr(m.name) }
                if name == "__dict__" {
                    let d = newDict()
                    for (k, v) in m.boundNames { try d.set(intern(k), v, self) }
                    return Value(d)
                }
                return nil
            case .type:
                let t = unsafeDowncast(o, to: TypeObject.self)
                if name == "__annotations__" && t.moduleName != nil {
                    // A class's own annotations only (made empty on first use), as in 3.10+.
                    if let v = t.dict[name] { return v }
                    let d = Value(newDict())
                    t.dict[name] = d
                    return d
                }
                if let v = t.lookup(name) { return try bindClassAttribute(v, instance: nil, owner: t) }
                switch name {
                case "__name__", "__qualname__": return newStr(t.name)
                case "__module__": return newStr(t.moduleName ?? t.nativeModuleName ?? "builtins")
                case "__base__": return t.base.map { Value($0) } ?? Value.none
                case "__bases__": return newTuple(t.bases.map { Value($0) })
                case "__mro__": return newTuple(t.mro.map { Value($0) })
                case "__doc__": return Value.none
                case "__dict__":
                    let d = newDict()
                    for (k, v) in t.dict.sorted(by: { $0.key < $1.key }) { try d.set(intern(k), v, self) }
                    return Value(d)
                default:
                    // The metaclass's attributes (its methods bound to the class).
                    if let v = o.type.lookup(name) { return try bindClassAttribute(v, instance: obj, owner: o.type) }
                    return nil
                }
            case .exception:
                let e = unsafeDowncast(o, to: ExceptionObj.self)
                switch name {
                case "args": return e.args
                case "__cause__": return e.cause
                case "__context__": return e.context
                case "__suppress_context__": return .bool(e.suppressContext)
                case "__traceback__": return tracebackObject(e)
                default:
                    if let v = e.attributes[name] { return v }
                    if o.type.moduleName != nil { return try instanceAttribute(obj, e.attributes, name) }
                }
            case .function:
                let f = unsafeDowncast(o, to: FunctionObj.self)
                switch name {
                case "__name__": return newStr(f.name)
                case "__qualname__": return newStr(f.qualifiedName)
                case "__module__":
                    if let v = try f.fieldsRef?._withUnsafeGuaranteedRef({ try $0.get(intern(name), self) }) { return v }
                    return newStr(f.code.module.name)
                case "__doc__":
                    if let v = try f.fieldsRef?._withUnsafeGuaranteedRef({ try $0.get(intern(name), self) }) { return v }
                    return f.code.code.docstring.map { newStr($0) } ?? Value.none
                case "__defaults__": return f.defaults.isEmpty ? .none : newTuple(f.defaults)
                case "__annotations__":
                    if f.annotations.isNull { f.annotations = Value(newDict()) }
                    return f.annotations
                case "__dict__":
                    if f.dict == nil { f.dict = newDict() }
                    return f.dict.map { Value($0) } ?? Value.none
                default:
                    if let d = f.dict, let v = try d.get(intern(name), self) { return v }
                }
            case .boundMethod:
                // A method's own attributes, then (as CPython's method objects do) its function's.
                let m = unsafeDowncast(o, to: BoundMethodObj.self)
                switch name {
                case "__self__": return m.receiver
                case "__func__" where o.hasType(types.method): return m.function
                case "__class__": return Value(o.type)
                default:
                    if let v = try findAttribute(m.function, name) { return v }
                }
            case .generator:
                if let v = generatorAttribute(unsafeDowncast(o, to: GeneratorObj.self), name) { return v }
            case .native:
                let f = unsafeDowncast(o, to: NativeFunctionObj.self)
                if name == "__name__" || name == "__qualname__" { return newStr(f.name) }
            case .instance:
                let i = unsafeDowncast(o, to: InstanceObj.self)
                if o.hasType(types.superType) { return try superAttribute(i, name) }
                if o.type.moduleName != nil { return try instanceAttribute(obj, i.attributes, name) }
                _ = attributeHooks(o.type)
                if let v = i.attributes[name] { return v }
            case .range:
                let r = unsafeDowncast(o, to: RangeObj.self)
                if let b = r.big {
                    switch name {
                    case "start": return makeInt(b.start)
                    case "stop": return makeInt(b.stop)
                    case "step": return makeInt(b.step)
                    default: break
                    }
                }
                switch name {
                case "start": return .int(r.start)
                case "stop": return .int(r.stop)
                case "step": return .int(r.step)
                default: break
                }
            case .other where o.hasType(types.frame) || o.hasType(types.code):
                if let v = frameAttribute(o, name) { return v }
            case .other where o.hasType(types.traceback):
                let tb = unsafeDowncast(o, to: TracebackObj.self)
                switch name {
                case "tb_lineno": return .int(tb.line)
                case "tb_frame":
                    let entry = tb.entries[tb.position]
                    return newFrame(entry.code, line: tb.line)
                case "tb_next":
                    if tb.next == nil, tb.position + 1 < tb.entries.count {
                        tb.next = heap.register(TracebackObj(entries: tb.entries, position: tb.position + 1, type: types.traceback))
                    }
                    return tb.next.map { Value($0) } ?? Value.none
                default: break
                }
            case .slice:
                let s = unsafeDowncast(o, to: SliceObj.self)
                switch name {
                case "start": return s.start
                case "stop": return s.stop
                case "step": return s.step
                default: break
                }
            case .list, .tuple, .dict, .set, .frozenset, .str, .bytes:
                if o.isNativeSubclass, let s = o as? NativeSubclassInstance {
                    return try instanceAttribute(obj, s.attributes, name)
                }
            default: break
            }
        }
        switch name {
        case "real" where isIntegral(obj): return obj.asPlainInt
        case "imag" where isIntegral(obj): return .int(0)
        case "numerator" where isIntegral(obj): return obj.asPlainInt
        case "denominator" where isIntegral(obj): return .int(1)
        case "real": if case .float = obj { return obj }
        case "imag": if case .float = obj { return .float(0) }
        case "__class__": return Value(typeOf(obj))
        default: break
        }
        let t = typeOf(obj)
        if let v = t.lookup(name) {
            switch v {
            case .object(let u) where u.takeUnretainedValue().kind == .native:
                return Value(heap.register(BoundMethodObj(receiver: obj, function: v, type: types.builtinFunction)))
            case .object(let u) where u.takeUnretainedValue().kind == .function:
                return Value(heap.register(BoundMethodObj(receiver: obj, function: v, type: types.method)))
            case .object(let u) where u.takeUnretainedValue().kind == .instance:
                return try bindClassAttribute(v, instance: nil, owner: t)
            default: return v
            }
        }
        return nil
    }

    func noAttribute(_ obj: Value, _ name: String) -> ScriptError {
        // A method looks names up on its function last, so CPython's error names the function.
        if let m = obj.asObject(.boundMethod, BoundMethodObj.self), m.hasType(types.method) {
            return noAttribute(m.function, name)
        }
        let err: ScriptError
        if let m = obj.asModule {
            if initializingModules.contains(m.name) {
                err = attributeError("partially initialized module '\(m.name)' has no attribute '\(name)' (most likely due to a circular import)")
            } else {
                err = attributeError("module '\(m.name)' has no attribute '\(name)'")
            }
        } else if let t = obj.asType {
            err = attributeError("type object '\(t.name)' has no attribute '\(name)'")
        } else {
            err = attributeError("'\(typeName(obj))' object has no attribute '\(name)'")
        }
        // For the "Did you mean" of an uncaught error (Runtime+Suggestions.swift).
        err.exception.attributes[Runtime.attributeObjectKey] = obj
        err.exception.attributes[Runtime.attributeNameKey] = newStr(name)
        return err
    }

    /// The function to call for `obj.name(...)` with `obj` as first argument, when `name` is a method
    /// of obj's class and not shadowed; nil otherwise (then the attribute is loaded normally).
    @inline(__always) func methodLookup(_ obj: Value, _ nameValue: Value) -> Value? {
        if case .object(let u) = obj {
            let k = u.takeUnretainedValue().kind
            if k == .module || k == .type || k == .instance || k == .function || k == .exception { return nil }
        }
        guard let name = nameValue.asStr?.value, let v = typeOf(obj).lookup(name) else { return nil }
        if case .object(let u) = v, u.takeUnretainedValue().kind == .native { return v }
        return nil
    }

    /// `e.name = value` for an exception `e` (the value `obj`): its fields, else its own
    /// attributes, where a script class's `__setattr__` (unless `generic`: `object.__setattr__`),
    /// properties and descriptors come first.
    func setExceptionAttribute(_ e: ExceptionObj, _ obj: Value, _ name: String, _ value: Value, generic: Bool = false) throws {
        switch name {
        case "args": e.args = newTuple(try iterateToArray(value))
        case "__cause__": e.cause = value; e.suppressContext = true
        case "__context__": e.context = value
        case "__suppress_context__": e.suppressContext = try truthy(value)
        default:
            if e.type.moduleName != nil {
                try setInstanceAttribute(obj, name, value, generic: generic) { e.attributes[name] = $0 }
            } else {
                e.attributes[name] = value
            }
        }
    }

    func setAttribute(_ obj: Value, _ nameValue: Value, _ value: Value) throws {
        // Fast path: an instance of a class without properties, written without reference counting.
        if case .object(let u) = obj, case .object(let n) = nameValue {
            let epoch = hot.pointee.typeEpoch
            let done = u._withUnsafeGuaranteedRef { o -> Bool in
                guard o.kind == .instance, o.type.hooksEpoch == epoch, o.type.hooks == 0, !o.hasType(types.property) else { return false }
                return n._withUnsafeGuaranteedRef { nameObj -> Bool in
                    guard nameObj.kind == .str else { return false }
                    unsafeDowncast(o, to: InstanceObj.self).attributes[unsafeDowncast(nameObj, to: StrObj.self).value] = value
                    return true
                }
            }
            if done { return }
            // A function's attribute other than its fields, once it has a dict (`wrapper.calls += 1`).
            if let d = Runtime.functionDict(u, n) {
                try d._withUnsafeGuaranteedRef { try $0.set(nameValue, value, self) }
                return
            }
        }
        let name = nameValue.asStr?.value ?? ""
        if case .object(let u) = obj {
            let o = u.takeUnretainedValue()
            switch o.kind {
            case .module: unsafeDowncast(o, to: ModuleObj.self).set(name, value); return
            case .list, .tuple, .dict, .set, .frozenset, .str, .bytes:
                if o.isNativeSubclass, let s = o as? NativeSubclassInstance {
                    try setInstanceAttribute(obj, name, value) { s.attributes[name] = $0 }
                    return
                }
            case .instance:
                let i = unsafeDowncast(o, to: InstanceObj.self)
                if i.hasType(types.property) && name != "__doc__" {
                    // A property's accessors are fixed (the attribute caches keep its getter).
                    if ["fget", "fset", "fdel", "__isabstractmethod__"].contains(name) { throw attributeError("readonly attribute") }
                    throw attributeError("'property' object has no attribute '\(name)'")
                }
                try setInstanceAttribute(obj, name, value) { i.attributes[name] = $0 }
                return
            case .exception:
                try setExceptionAttribute(unsafeDowncast(o, to: ExceptionObj.self), obj, name, value)
                return
            case .function:
                let f = unsafeDowncast(o, to: FunctionObj.self)
                switch name {
                case "__name__": f.name = try str(value)
                case "__qualname__": f.qualifiedName = try str(value)
                case "__annotations__":
                    guard value.asDict != nil || value.isNone else { throw typeError("__annotations__ must be set to a dict object") }
                    f.annotations = value.isNone ? .null : value
                case "__doc__", "__module__":
                    if f.fieldsRef == nil { f.fieldsRef = Unmanaged.passUnretained(newDict()) }
                    try f.fieldsRef?._withUnsafeGuaranteedRef { try $0.set(intern(name), value, self) }
                default:
                    if f.dict == nil { f.dict = newDict() }
                    try f.dict?.set(nameValue, value, self)
                }
                return
            case .type:
                let t = unsafeDowncast(o, to: TypeObject.self)
                // A metaclass of the program with __setattr__ (enum's EnumType) sees the assignment.
                let meta = t.type
                if meta.moduleName != nil, let f = meta.lookup("__setattr__"), f.asFunction != nil {
                    _ = try call(f, [obj, intern(name), value])
                    return
                }
                try setTypeAttribute(t, name, value)
                return
            default: break
            }
        }
        throw attributeError("'\(typeName(obj))' object has no attribute '\(name)'")
    }

    /// Sets a class attribute directly (`type.__setattr__`): no metaclass hook.
    func setTypeAttribute(_ t: TypeObject, _ name: String, _ value: Value) throws {
        if t.moduleName == nil { throw typeError("cannot set '\(name)' attribute of immutable type '\(t.name)'") }
        t.dict[name] = value
        if name == "__module__", let m = value.asStr?.value { t.moduleName = m }
        hot.pointee.typeEpoch &+= 1
    }

    func deleteAttribute(_ obj: Value, _ nameValue: Value) throws {
        let name = nameValue.asStr?.value ?? ""
        if case .object(let u) = obj {
            let o = u.takeUnretainedValue()
            switch o.kind {
            case .instance:
                if o.type.moduleName != nil, try deleteHookedAttribute(obj, name) { return }
                if unsafeDowncast(o, to: InstanceObj.self).attributes.removeValue(forKey: name) != nil { return }
            case .exception:
                if unsafeDowncast(o, to: ExceptionObj.self).attributes.removeValue(forKey: name) != nil { return }
            case .list, .tuple, .dict, .set, .frozenset, .str, .bytes:
                if o.isNativeSubclass, let s = o as? NativeSubclassInstance {
                    if try deleteHookedAttribute(obj, name) { return }
                    if s.attributes.removeValue(forKey: name) != nil { return }
                }
            case .function:
                if let d = unsafeDowncast(o, to: FunctionObj.self).dict, try d.remove(nameValue, self) != nil { return }
            case .type:
                let t = unsafeDowncast(o, to: TypeObject.self)
                if t.moduleName == nil { throw typeError("cannot set '\(name)' attribute of immutable type '\(t.name)'") }
                if t.dict.removeValue(forKey: name) != nil {
                    hot.pointee.typeEpoch &+= 1
                    return
                }
            case .module:
                let m = unsafeDowncast(o, to: ModuleObj.self)
                if m.get(name) != nil { m.set(name, .null); return }
                throw attributeError("'module' object has no attribute '\(name)'")
            default: break
            }
        }
        throw noAttribute(obj, name)
    }
}
