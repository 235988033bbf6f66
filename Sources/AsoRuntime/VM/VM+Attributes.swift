// Attributes in the dispatch loop: `loadAttr`, `storeAttr` and `loadMethod` through the inline
// cache entry of their instruction.
//
// One idea: an instance keeps its attributes in slots described by a shape, so an entry that
// remembers the shape seen last answers with one comparison and one indexed read or write; a
// module's global is its slot. An entry learns after a miss (the `learn` helpers below); a class
// changing its attributes bumps the type epoch, which retires every entry that depends on a class.

extension Runtime {
    /// `loadAttr`: replaces the object on top of the stack with its attribute `names[arg]`.
    @inline(__always)
    func cachedLoadAttr(_ arg: Int, _ codeRef: Unmanaged<CodeObj>, _ fiber: Fiber, _ fp: UnsafeMutablePointer<Frame>, _ ip: Int,
                        _ sp: UnsafeMutablePointer<Value>) throws -> Bool {
        try codeRef._withUnsafeGuaranteedRef { code -> Bool in
            // Inline cache: an instance of the shape seen last has the name in a known slot.
            let entry = code.attrCache + (ip &- 1)
            if case .object(let u) = (sp - 1).pointee, let s = entry.pointee.shape,
               let v = u._withUnsafeGuaranteedRef({ o -> Value? in
                   guard o.kind == .instance else { return nil }
                   let inst = unsafeDowncast(o, to: InstanceObj.self)
                   guard inst.attributes.shapeAddress == s else { return nil }
                   return inst.attributes[slot: entry.pointee.slot]
               }) {
                (sp - 1).pointee = v
                return false
            }
            // A site that has seen several shapes: its other ways.
            if let p = code.attrPoly[ip &- 1], let v = Runtime.polyLoad(p, (sp - 1).pointee) {
                (sp - 1).pointee = v
                return false
            }
            if case .object(let u) = (sp - 1).pointee, let m = entry.pointee.module, m == u.toOpaque() {
                let v = Runtime.moduleSlot(m, entry.pointee.slot)
                if !v.isNull { (sp - 1).pointee = v; return false }
            }
            // A property with a plain getter, for an instance of the shape seen last.
            if let s = entry.pointee.next, entry.pointee.epoch == hot.pointee.typeEpoch, case .object(let u) = (sp - 1).pointee,
               u._withUnsafeGuaranteedRef({ $0.kind == .instance && unsafeDowncast($0, to: InstanceObj.self).attributes.shapeAddress == s }),
               try pushGetter(entry.pointee.method, fiber, fp, ip, sp) {
                return true
            }
            let obj = (sp - 1).pointee
            Runtime.saveState(fp, ip, sp, fiber)
            if let getter = learnProperty(obj, code.nameValues[arg], entry), try pushGetter(getter, fiber, fp, ip, sp) {
                return true
            }
            (sp - 1).pointee = try getAttribute(obj, code.nameValues[arg])
            learnLoad(obj, code.nameValues[arg], (sp - 1).pointee, entry, poly: code.attrPoly + (ip &- 1))
            return false
        }
    }

    /// A property's getter for `loadAttr` of `name` on `obj`, learned into `entry`, when the getter
    /// can run as a frame of the loop: an instance (not `super()`) of a class without
    /// `__getattribute__` or `__getattr__` (which would see an AttributeError the getter raises),
    /// whose attribute is a `property` whose getter is a plain script function of one argument.
    /// (A class without data descriptors has no property: it is passed by without a lookup.)
    private func learnProperty(_ obj: Value, _ name: Value, _ entry: UnsafeMutablePointer<AttrCacheEntry>) -> Value? {
        guard let inst = obj.asObject(.instance, InstanceObj.self), inst.type !== types.superType,
              attributeHooks(inst.type) & (TypeObject.hookGetattribute | TypeObject.hookDescriptor) == TypeObject.hookDescriptor,
              let n = name.asStr?.value, let p = inst.type.lookup(n)?.asObject(.instance, InstanceObj.self), p.hasType(types.property),
              let getter = p.attributes["fget"], let f = getter.asFunction, f.code.fastArgCount == 1,
              inst.type.lookup("__getattr__") == nil else { return nil }
        entry.pointee.fill(propertyOf: inst.attributes.shape, getter: getter, epoch: hot.pointee.typeEpoch)
        return getter
    }

    /// Pushes a frame for property getter `getter` (a plain script function of one argument) with
    /// the receiver at `sp - 1`, whose slot gets the result when the frame returns; false (nothing
    /// done) at the recursion limit, where the general path raises.
    @inline(never)
    private func pushGetter(_ getter: Value, _ fiber: Fiber, _ fp: UnsafeMutablePointer<Frame>, _ ip: Int,
                            _ sp: UnsafeMutablePointer<Value>) throws -> Bool {
        guard case .object(let g) = getter, hot.pointee.depth < hot.pointee.recursionLimit else { return false }
        let cu = Unmanaged<FunctionObj>.fromOpaque(g.toOpaque())._withUnsafeGuaranteedRef { Unmanaged.passUnretained($0.code) }
        let (nlocals, fsize) = cu._withUnsafeGuaranteedRef { ($0.localCount, $0.frameSize) }
        let returnSlot = Runtime.slotIndex(sp - 1, in: fiber.stack)
        let base = returnSlot &+ 1
        let receiver = (sp - 1).pointee
        // (The caller's state first: growing the fiber moves its frames.)
        Runtime.saveState(fp, ip, sp, fiber)
        fp.pointee.sp = returnSlot
        fiber.reserve(base &+ fsize &+ 1, frames: 1)
        let slots = fiber.stack + base
        slots[0] = receiver
        var i = 1
        while i < nlocals { slots[i] = .null; i &+= 1 }
        hot.pointee.depth &+= 1
        _ = fiber.push(Frame(code: cu, function: getter, ip: 0, base: base, sp: base &+ nlocals,
                             returnSlot: returnSlot, namespace: .null, exit: .toCaller))
        return true
    }

    /// `storeAttr`: `obj.name = value` for the two values at `sp` (value, then object; already popped).
    @inline(__always)
    func cachedStoreAttr(_ arg: Int, _ codeRef: Unmanaged<CodeObj>, _ fiber: Fiber, _ fp: UnsafeMutablePointer<Frame>, _ ip: Int,
                         _ sp: UnsafeMutablePointer<Value>) throws {
        try codeRef._withUnsafeGuaranteedRef { code in
            // Inline cache: writing a known slot, or adding the name by a known transition.
            let entry = code.attrCache + (ip &- 1)
            if case .object(let u) = (sp + 1).pointee, let s = entry.pointee.shape,
               entry.pointee.epoch == hot.pointee.typeEpoch {
                let value = sp.pointee
                let done = u._withUnsafeGuaranteedRef { o -> Bool in
                    guard o.kind == .instance else { return false }
                    let inst = unsafeDowncast(o, to: InstanceObj.self)
                    guard inst.attributes.shapeAddress == s else { return false }
                    if let next = entry.pointee.next {
                        inst.attributes.append(value, movingTo: next)
                    } else {
                        inst.attributes.set(slot: entry.pointee.slot, value)
                    }
                    return true
                }
                if done { return }
            }
            // A site that has seen several shapes: its other ways.
            if let p = code.attrPoly[ip &- 1], Runtime.polyStore(p, (sp + 1).pointee, sp.pointee, epoch: hot.pointee.typeEpoch) {
                return
            }
            let obj = (sp + 1).pointee
            let before = obj.asObject(.instance, InstanceObj.self)?.attributes.shape ?? Runtime.exceptionShape(obj)
            Runtime.saveState(fp, ip, sp + 2, fiber)
            try setAttribute(obj, code.nameValues[arg], sp.pointee)
            if let before { learnStore(obj, code.nameValues[arg], before, entry, poly: code.attrPoly + (ip &- 1)) }
        }
    }

    /// `loadMethod` of a builtin object (`xs.append(x)`, `s.add(x)`) of the class its site saw
    /// last, the class unchanged: the method from the site's method cache, checked by the object's
    /// class address alone, before the caches for instances (`cachedLoadMethod`). (The entry only
    /// ever holds a class of a kind `typeKey` answers for, never a script class, so an instance
    /// never matches it. Its own small function, so that both stay inlined in the loop.)
    @inline(__always)
    func cachedBuiltinMethod(_ codeRef: Unmanaged<CodeObj>, _ ip: Int, _ sp: UnsafeMutablePointer<Value>) -> Bool {
        codeRef._withUnsafeGuaranteedRef { code in
            let obj = (sp - 1).pointee
            let entry = code.methodCache + (ip &- 1)
            guard case .object(let u) = obj, let t = entry.pointee.type,
                  u._withUnsafeGuaranteedRef({ $0.typeAddress == t }), entry.pointee.epoch == hot.pointee.typeEpoch else { return false }
            // Top slot first: see pushExcInfo.
            sp.pointee = obj
            (sp - 1).pointee = entry.pointee.method
            return true
        }
    }

    /// `loadMethod` from its caches: replaces the object on top of the stack with the method
    /// `names[arg]` and the object (the receiver, called as the first argument), or the
    /// attribute and `.null`. False when no cache answers (then `lookUpMethod`). The caller then
    /// counts one more slot.
    @inline(__always)
    func cachedLoadMethod(_ arg: Int, _ codeRef: Unmanaged<CodeObj>, _ ip: Int, _ sp: UnsafeMutablePointer<Value>) -> Bool {
        return codeRef._withUnsafeGuaranteedRef { code in
            // Top slot first: see pushExcInfo.
            let obj = (sp - 1).pointee
            // An instance of the shape seen last (so without the name of its own) and
            // an unchanged class: the same function again.
            let instanceEntry = code.attrCache + (ip &- 1)
            if case .object(let u) = obj, let s = instanceEntry.pointee.shape,
               instanceEntry.pointee.epoch == hot.pointee.typeEpoch, instanceEntry.pointee.next == nil,
               u._withUnsafeGuaranteedRef({ o in
                   o.kind == .instance && unsafeDowncast(o, to: InstanceObj.self).attributes.shapeAddress == s
               }) {
                let m = instanceEntry.pointee.method
                if m.isNull {
                    // The instance's own attribute (`self.callback()`, see learnOwnCallable): its
                    // value, called without the instance.
                    sp.pointee = .null
                    (sp - 1).pointee = u._withUnsafeGuaranteedRef {
                        unsafeDowncast($0, to: InstanceObj.self).attributes[slot: instanceEntry.pointee.slot]
                    }
                } else {
                    sp.pointee = obj
                    (sp - 1).pointee = m
                }
                return true
            }
            // `super().name(...)`: the method found last time for the same calling class and
            // receiver class (see `learnSuperMethod`).
            if instanceEntry.pointee.next != nil, let this = cachedSuperReceiver(obj, instanceEntry) {
                sp.pointee = this
                (sp - 1).pointee = instanceEntry.pointee.method
                return true
            }
            // An instance of a shape one of the site's other ways knows.
            if let p = code.attrPoly[ip &- 1], let m = Runtime.polyMethod(p, obj, epoch: hot.pointee.typeEpoch) {
                sp.pointee = obj
                (sp - 1).pointee = m
                return true
            }
            // A module's global (`asyncio.sleep(...)`): its slot, as last time.
            if case .object(let u) = obj, let m = instanceEntry.pointee.module, m == u.toOpaque() {
                let v = Runtime.moduleSlot(m, instanceEntry.pointee.slot)
                if !v.isNull {
                    // Top slot first (see pushExcInfo).
                    sp.pointee = .null
                    (sp - 1).pointee = v
                    return true
                }
            }
            // A receiver of the class seen last (`xs.append(x)`), the class unchanged.
            let entry = code.methodCache + (ip &- 1)
            let typeKey = typeKey(obj)
            if typeKey != nil && entry.pointee.type == typeKey && entry.pointee.epoch == hot.pointee.typeEpoch {
                sp.pointee = obj
                (sp - 1).pointee = entry.pointee.method
                return true
            }
            return false
        }
    }

    /// `loadMethod` when no cache answered: looks the name up (and fills the caches).
    @inline(__always)
    func lookUpMethod(_ arg: Int, _ codeRef: Unmanaged<CodeObj>, _ fiber: Fiber, _ fp: UnsafeMutablePointer<Frame>, _ ip: Int,
                      _ sp: UnsafeMutablePointer<Value>) throws {
        try codeRef._withUnsafeGuaranteedRef { code in
            let obj = (sp - 1).pointee
            let instanceEntry = code.attrCache + (ip &- 1)
            if let this = learnSuperMethod(obj, code.nameValues[arg], instanceEntry) {
                sp.pointee = this
                (sp - 1).pointee = instanceEntry.pointee.method
            } else if let m = methodLookup(obj, code.nameValues[arg]) {
                code.methodCache[ip &- 1] = MethodCacheEntry(type: typeKey(obj), epoch: hot.pointee.typeEpoch, method: m)
                sp.pointee = obj
                (sp - 1).pointee = m
            } else if let f = plainClassMethod(obj, code.nameValues[arg]) {
                // A method of a script class, not shadowed by an instance attribute:
                // call it with the instance, without making a bound method.
                if let inst = obj.asObject(.instance, InstanceObj.self) {
                    let shape = inst.attributes.shape, epoch = hot.pointee.typeEpoch
                    // The entry held another shape: the site is polymorphic, so keep both.
                    if let old = instanceEntry.pointee.shape, !instanceEntry.pointee.method.isNull,
                       instanceEntry.pointee.next == nil, old != Unmanaged.passUnretained(shape).toOpaque() {
                        let poly = code.attrPoly + (ip &- 1)
                        if instanceEntry.pointee.epoch == epoch { AttrPolyCache.learn(poly, instanceEntry.pointee) }
                        AttrPolyCache.learn(poly, shape, 0, epoch: epoch, method: f)
                    }
                    instanceEntry.pointee.fill(shape: shape, slot: 0, epoch: epoch, method: f)
                }
                sp.pointee = obj
                (sp - 1).pointee = f
            } else {
                Runtime.saveState(fp, ip, sp, fiber)
                let attr = try getAttribute(obj, code.nameValues[arg])
                sp.pointee = .null
                (sp - 1).pointee = attr
                Runtime.learnModuleLoad(obj, code.nameValues[arg], attr, instanceEntry)
                learnOwnCallable(obj, code.nameValues[arg], instanceEntry)
            }
        }
    }

    /// `obj.name(...)` where the name is the instance's own attribute and its class has none of
    /// that name (`self.callback()`, a bound method kept in an attribute as asyncio's `Condition`
    /// keeps its lock's `acquire`): the entry remembers the shape and the slot, with no method, so
    /// the next call at the site reads the slot (`cachedLoadMethod`) instead of looking the name
    /// up. The type epoch guards against the class gaining the name later.
    func learnOwnCallable(_ obj: Value, _ name: Value, _ entry: UnsafeMutablePointer<AttrCacheEntry>) {
        guard let inst = obj.asObject(.instance, InstanceObj.self), inst.type !== types.superType,
              attributeHooks(inst.type) & TypeObject.hookGetattribute == 0, let n = name.asStr?.value,
              inst.type.lookup(n) == nil else { return }
        let shape = inst.attributes.shape
        guard let slot = shape.slot(of: n) else { return }
        entry.pointee.fill(shape: shape, slot: slot, epoch: hot.pointee.typeEpoch)
    }

    /// The receiver of a `super()` object whose calling class and receiver class are those of
    /// `entry` (filled by `learnSuperMethod`) in this type epoch; nil otherwise. An entry whose
    /// `slot` is `AttrCacheEntry.superAnyChain` takes a receiver of any class whose order is a
    /// chain of single bases through the calling class. (Out of line, so that the method cache's
    /// instance path stays small enough to inline.)
    @inline(never)
    func cachedSuperReceiver(_ obj: Value, _ entry: UnsafeMutablePointer<AttrCacheEntry>) -> Value? {
        guard let thisShape = entry.pointee.next, let shape = entry.pointee.shape,
              entry.pointee.epoch == hot.pointee.typeEpoch, case .object(let u) = obj else { return nil }
        return u._withUnsafeGuaranteedRef { o -> Value? in
            guard o.kind == .instance, o.aux8 == SuperObj.tag else { return nil }
            let sup = unsafeDowncast(o, to: SuperObj.self)
            return sup.thisClass.borrow { c -> Value? in
                guard Unmanaged.passUnretained(c.instanceShape).toOpaque() == thisShape else { return nil }
                return withTypeOf(sup.this) { receiverType -> Value? in
                    if Unmanaged.passUnretained(receiverType.instanceShape).toOpaque() == shape { return sup.this }
                    guard entry.pointee.slot == AttrCacheEntry.superAnyChain, receiverType.mroList == nil,
                          receiverType.isSubtype(of: c) else { return nil }
                    return sup.this
                }
            }
        }
    }

    /// `super().name(...)` where the name is a plain function (or a builtin class's method) and the
    /// receiver an instance of the class whose order was searched: fills `entry` with the method,
    /// keyed by the root shapes of the receiver's class (`shape`) and of the calling class
    /// (`next`, which no instance method entry sets), and returns the receiver to call it with.
    /// When the receiver's class order is a chain of single bases, what follows the calling class
    /// in it is the calling class's own chain of bases, the same for every receiver class: then
    /// the entry serves them all (`slot` is `superAnyChain`), so a base class's `__init__` that
    /// calls `super().__init__` for instances of several subclasses stays cached.
    /// Nil for anything else (the general path binds or fails as CPython's `super` does).
    func learnSuperMethod(_ obj: Value, _ nameValue: Value, _ entry: UnsafeMutablePointer<AttrCacheEntry>) -> Value? {
        guard case .object(let u) = obj, u._withUnsafeGuaranteedRef({ $0.kind == .instance && $0.aux8 == SuperObj.tag }),
              let name = nameValue.asStr?.value, name != "__new__" else { return nil }
        let s = unsafeDowncast(u.takeUnretainedValue(), to: SuperObj.self)
        guard let (v, start) = superLookup(s, name), start === typeOf(s.this), case .object(let f) = v,
              f._withUnsafeGuaranteedRef({ $0.kind == .function || $0.kind == .native }) else { return nil }
        entry.pointee.fill(shape: start.instanceShape, slot: start.mroList == nil ? AttrCacheEntry.superAnyChain : 0,
                           next: s.thisClass.object.instanceShape,
                           epoch: hot.pointee.typeEpoch, method: v)
        return s.this
    }

    /// The value in global slot `slot` of a module (from an attribute cache entry).
    @inline(__always)
    static func moduleSlot(_ m: UnsafeMutableRawPointer, _ slot: Int) -> Value {
        Unmanaged<ModuleObj>.fromOpaque(m)._withUnsafeGuaranteedRef { $0.storage.pointee[slot] }
    }

    /// After an attribute load from a module: remember the global slot it came from.
    static func learnModuleLoad(_ obj: Value, _ name: Value, _ value: Value, _ entry: UnsafeMutablePointer<AttrCacheEntry>) {
        guard let m = obj.asObject(.module, ModuleObj.self), let n = name.asStr?.value, let slot = m.slots[n],
              m.storage.pointee[slot].isIdentical(to: value) else { return }
        entry.pointee.fill(module: m, slot: slot)
    }

    /// After a `loadAttr` missed its cache: remember where an instance keeps the name, if it does.
    func learnLoad(_ obj: Value, _ name: Value, _ value: Value, _ entry: UnsafeMutablePointer<AttrCacheEntry>,
                   poly: UnsafeMutablePointer<UnsafeMutablePointer<AttrPolyWay>?>) {
        Runtime.learnModuleLoad(obj, name, value, entry)
        if let shape = Runtime.exceptionShape(obj) {
            if attributeHooks(typeOf(obj)) & TypeObject.hookGetattribute == 0, let n = name.asStr?.value,
               let slot = shape.slot(of: n) {
                AttrPolyCache.learn(poly, shape, slot)
            }
            return
        }
        guard let inst = obj.asObject(.instance, InstanceObj.self), inst.type !== types.superType,
              attributeHooks(inst.type) & TypeObject.hookGetattribute == 0, let n = name.asStr?.value else { return }
        let shape = inst.attributes.shape
        guard let slot = shape.slot(of: n) else { return }
        // The entry held another instance shape: the site is polymorphic, so keep both.
        if let old = entry.pointee.shape, entry.pointee.next == nil, entry.pointee.method.isNull,
           old != Unmanaged.passUnretained(shape).toOpaque() {
            AttrPolyCache.learn(poly, entry.pointee)
            AttrPolyCache.learn(poly, shape, slot)
        }
        entry.pointee.fill(shape: shape, slot: slot)
    }

    /// An exception's attribute shape (for the caches), nil for other values.
    static func exceptionShape(_ v: Value) -> Shape? {
        v.asObject(.exception, ExceptionObj.self)?.attributes.shape
    }

    /// An attribute load through the polymorphic ways of its site (see `CodeObj.attrPoly`), for
    /// an instance or an exception, the objects whose attributes the caches serve. (An
    /// exception's site is learned into the polymorphic ways only, so the one-entry paths stay the
    /// instances' own.)
    /// (Written without closures: the compiler made each closure a call of its own here. The
    /// object is borrowed, `unowned(unsafe)`: it is on the stack.)
    @inline(never)
    static func polyLoad(_ p: UnsafeMutablePointer<AttrPolyWay>, _ obj: Value) -> Value? {
        guard case .object(let u) = obj else { return nil }
        unowned(unsafe) let o = u.takeUnretainedValue()
        switch o.kind {
        case .instance:
            unowned(unsafe) let inst = unsafeDowncast(o, to: InstanceObj.self)
            guard let way = AttrPolyCache.way(p, inst.attributes.shapeAddress) else { return nil }
            return inst.attributes[slot: way.pointee.slot]
        case .exception:
            unowned(unsafe) let e = unsafeDowncast(o, to: ExceptionObj.self)
            guard let way = AttrPolyCache.way(p, e.attributes.shapeAddress) else { return nil }
            return e.attributes[slot: way.pointee.slot]
        default:
            return nil
        }
    }

    /// An attribute store through the polymorphic ways of its site; false when none knows the
    /// instance's shape in this type epoch.
    @inline(never)
    static func polyStore(_ p: UnsafeMutablePointer<AttrPolyWay>, _ obj: Value, _ value: Value, epoch: Int) -> Bool {
        guard case .object(let u) = obj else { return false }
        switch u._withUnsafeGuaranteedRef({ $0.kind }) {
        case .instance:
            return Unmanaged<InstanceObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef {
                polyStore(p, into: &$0.attributes, value, epoch: epoch)
            }
        case .exception:
            return Unmanaged<ExceptionObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef {
                polyStore(p, into: &$0.attributes, value, epoch: epoch)
            }
        default: return false
        }
    }

    @inline(__always)
    private static func polyStore(_ p: UnsafeMutablePointer<AttrPolyWay>, into attributes: inout AttributeTable, _ value: Value,
                                  epoch: Int) -> Bool {
        guard let way = AttrPolyCache.way(p, attributes.shapeAddress), way.pointee.epoch == epoch else { return false }
        if let next = way.pointee.next {
            attributes.append(value, movingTo: next)
        } else {
            attributes.set(slot: way.pointee.slot, value)
        }
        return true
    }

    /// A method load through the polymorphic ways of its site: the class's function for an
    /// instance whose shape a way knows (in this type epoch).
    @inline(never)
    static func polyMethod(_ p: UnsafeMutablePointer<AttrPolyWay>, _ obj: Value, epoch: Int) -> Value? {
        guard case .object(let u) = obj else { return nil }
        unowned(unsafe) let o = u.takeUnretainedValue()
        guard o.kind == .instance,
              let way = AttrPolyCache.way(p, unsafeDowncast(o, to: InstanceObj.self).attributes.shapeAddress),
              way.pointee.epoch == epoch, !way.pointee.method.isNull else { return nil }
        return way.pointee.method
    }

    /// After a `storeAttr` missed its cache: remember a plain slot write, or a shared transition
    /// that added the name, when the class has no property that could intercept the store.
    func learnStore(_ obj: Value, _ name: Value, _ before: Shape, _ entry: UnsafeMutablePointer<AttrCacheEntry>,
                    poly: UnsafeMutablePointer<UnsafeMutablePointer<AttrPolyWay>?>) {
        // Instances and exceptions (whose sites are learned into the polymorphic ways only).
        let after: Shape, isException: Bool
        if let s = Runtime.exceptionShape(obj) {
            (after, isException) = (s, true)
        } else if let inst = obj.asObject(.instance, InstanceObj.self), inst.type !== types.superType {
            (after, isException) = (inst.attributes.shape, false)
        } else {
            return
        }
        guard let n = name.asStr?.value else { return }
        let t = typeOf(obj), epoch = hot.pointee.typeEpoch
        // (A class with properties caches the stores of names that are not properties: the entry
        // is good until a class changes, which bumps the epoch.)
        let hooks = attributeHooks(t)
        if hooks & TypeObject.hookSetattr != 0 { return }
        if hooks & TypeObject.hookDescriptor != 0, let d = t.lookup(n), isDataDescriptor(d) { return }
        guard let slot = after.slot(of: n) else { return }
        let next: Shape?
        if after === before {
            next = nil
        } else if before.isShared, after.isShared, slot == before.count, after.count == before.count + 1 {
            next = after
        } else {
            return
        }
        if isException {
            AttrPolyCache.learn(poly, before, slot, next: next, epoch: epoch)
            return
        }
        // The entry held another shape: the site is polymorphic, so keep both.
        if let old = entry.pointee.shape, old != Unmanaged.passUnretained(before).toOpaque() {
            if entry.pointee.epoch == epoch { AttrPolyCache.learn(poly, entry.pointee) }
            AttrPolyCache.learn(poly, before, slot, next: next, epoch: epoch)
        }
        entry.pointee.fill(shape: before, slot: slot, next: next, epoch: epoch)
    }

    /// For `obj.name(...)` on an instance: the plain function a script class defines, or the native
    /// method of a builtin class (`loop.time()`), when the instance has no attribute of that name.
    /// (A native function found through a script class takes the general path, which binds only
    /// methods of builtin classes; `super()` objects look names up elsewhere.)
    @inline(__always) func plainClassMethod(_ obj: Value, _ nameValue: Value) -> Value? {
        guard let i = obj.asObject(.instance, InstanceObj.self),
              attributeHooks(i.type) & TypeObject.hookGetattribute == 0,
              let name = nameValue.asStr?.value, i.attributes[name] == nil,
              let f = i.type.lookup(name) else { return nil }
        if i.type.moduleName != nil { return f.asFunction != nil ? f : nil }
        guard !i.hasType(types.superType), case .object(let u) = f,
              u._withUnsafeGuaranteedRef({ $0.kind == .native }) else { return nil }
        return f
    }

    /// The identity of a receiver's class for the method cache; nil for receivers whose methods
    /// are not looked up on the class alone (modules, classes, instances, functions, exceptions).
    @inline(__always) func typeKey(_ v: Value) -> UnsafeMutableRawPointer? {
        switch v {
        case .object(let u):
            return u._withUnsafeGuaranteedRef { o -> UnsafeMutableRawPointer? in
                switch o.kind {
                case .module, .type, .instance, .function, .exception: return nil
                default: return o.typeAddress
                }
            }
        case .int: return Unmanaged.passUnretained(types.int).toOpaque()
        case .float: return Unmanaged.passUnretained(types.float).toOpaque()
        case .bool: return Unmanaged.passUnretained(types.bool).toOpaque()
        default: return nil
        }
    }
}
