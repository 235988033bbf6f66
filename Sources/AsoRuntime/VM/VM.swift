// The dispatch loop.
//
// One idea: hot state (instruction pointer, stack pointer, locals, constants) lives in local
// variables over raw pointers; it is written back to the frame only before something that can
// switch frames, collect garbage or throw into the unwinder. A script-to-script call pushes a frame
// and continues this same loop (no Swift recursion); an exception unwinds through the exception
// tables of the frames, appending a traceback entry per frame. Each case is a few lines, or one call
// into a topic extension.

import AsoBytecode

extension Runtime {
    /// Runs `fiber` from its top frame until the entry frame returns or an exception escapes it.
    func run(_ fiber: Fiber, resume: Resume = .fresh) -> RunOutcome {
        var fp = fiber.frames + (fiber.frameCount - 1)
        unowned(unsafe) var code: CodeObj = fp.pointee.code.takeUnretainedValue()
        var words = code.words
        var consts = code.consts
        var ip = fp.pointee.ip
        var locals = fiber.stack + fp.pointee.base
        var sp = fiber.stack + fiber.sp
        /// Set before throwing for a bare re-raise: no new traceback entry, no new context.
        var reraising = false
        /// The collector's "collect at the next safepoint" flag.
        let collectionRequested = heap.requestFlag
        /// `list.append`'s address, for the inline append in the native call path.
        let listAppendAddress = listAppend.map { Unmanaged<Obj>.passUnretained($0).toOpaque() }
        /// `asyncio.sleep`'s address, for `await asyncio.sleep(0)` in the native call path.
        let sleepAddress = sleepFunction.map { Unmanaged<Obj>.passUnretained($0).toOpaque() }
        /// An exception to raise at the current instruction before anything runs (generator.throw()).
        var injected: ExceptionObj? = nil
        switch resume {
        case .fresh: break
        case .value(let v): sp.pointee = v; sp += 1
        case .raise(let e): injected = e
        }

        while true {
            do {
                if let e = injected {
                    injected = nil
                    throw ScriptError(exception: e)
                }
                while true {
                    let word = words[ip]
                    ip &+= 1
                    let arg = Int(word >> 8)
                    let raw = UInt8(truncatingIfNeeded: word)
                    // Every opcode byte was checked when the code was loaded (CodeObj.validate).
                    let op = unsafeBitCast(raw, to: OpCode.self)
                    switch op {
                    case .nop:
                        break
                    case .popTop:
                        sp -= 1
                    case .copy:
                        sp.pointee = (sp - arg).pointee
                        sp += 1
                    case .swap:
                        let t = (sp - 1).pointee
                        (sp - 1).pointee = (sp - arg).pointee
                        (sp - arg).pointee = t
                    case .loadConst:
                        sp.pointee = consts[arg]
                        sp += 1
                    case .pushNull:
                        sp.pointee = .null
                        sp += 1

                    case .loadFast:
                        let v = locals[arg]
                        if v.isNull { throw unboundLocal(code, arg) }
                        sp.pointee = v
                        sp += 1
                    case .loadFastLoadConst:
                        let v = locals[arg]
                        if v.isNull { throw unboundLocal(code, arg) }
                        sp.pointee = v
                        (sp + 1).pointee = consts[Int(words[ip] >> 8)]
                        sp += 2
                        ip &+= 1
                    case .loadFastLoadFast:
                        let v = locals[arg]
                        if v.isNull { throw unboundLocal(code, arg) }
                        let second = Int(words[ip] >> 8)
                        ip &+= 1
                        let w = locals[second]
                        if w.isNull { throw unboundLocal(code, second) }
                        sp.pointee = v
                        (sp + 1).pointee = w
                        sp += 2
                    case .compareOpJumpIfFalse:
                        sp -= 2
                        let a = sp.pointee, b = (sp + 1).pointee
                        let r: Bool
                        if case .int(let x) = a, case .int(let y) = b {
                            r = Runtime.intCompare(x, y, arg)
                        } else {
                            Runtime.saveState(fp, ip, sp + 2, fiber)
                            let v = try compare(a, b, arg)
                            if case .bool(let x) = v { r = x } else { r = try truthy(v) }
                        }
                        ip = r ? ip &+ 1 : Int(words[ip] >> 8)
                    case .loadFastConstCompareJump:
                        let a = locals[arg]
                        let b = consts[Int(words[ip] >> 8)]
                        if case .int(let x) = a, case .int(let y) = b {
                            let r = Runtime.intCompare(x, y, Int(words[ip &+ 1] >> 8))
                            ip = r ? ip &+ 3 : Int(words[ip &+ 2] >> 8)
                            continue
                        }
                        if a.isNull { throw unboundLocal(code, arg) }
                        let cmp = Int(words[ip &+ 1] >> 8)
                        let target = Int(words[ip &+ 2] >> 8)
                        ip &+= 2   // at the compareOp, for its position if it raises
                        Runtime.saveState(fp, ip, sp, fiber)
                        let v = try compare(a, b, cmp)
                        let r: Bool
                        if case .bool(let x) = v { r = x } else { r = try truthy(v) }
                        ip = r ? ip &+ 1 : target
                    case .storeFast:
                        sp -= 1
                        locals[arg] = sp.pointee
                    case .storeFastLoadFast:
                        locals[arg] = (sp - 1).pointee
                        let second = Int(words[ip] >> 8)
                        ip &+= 1
                        let v = locals[second]
                        if v.isNull { throw unboundLocal(code, second) }
                        (sp - 1).pointee = v
                    case .loadFastConstBinaryOp:
                        let a = locals[arg]
                        let b = consts[Int(words[ip] >> 8)]
                        let bop = Int(words[ip &+ 1] >> 8)
                        // Tests, not a switch: a switch here is an indirect jump the processor
                        // mispredicts far more often than a test that goes the same way every time.
                        if case .int(let x) = a, case .int(let y) = b {
                            let plain = bop >= 13 ? bop &- 13 : bop   // `+=` is `+` on ints
                            if plain == 0 {
                                let (r, o) = x.addingReportingOverflow(y)
                                if !o { sp.pointee = .int(r); sp += 1; ip &+= 2; continue }
                            } else if plain == 10 {
                                let (r, o) = x.subtractingReportingOverflow(y)
                                if !o { sp.pointee = .int(r); sp += 1; ip &+= 2; continue }
                            }
                        }
                        if a.isNull { throw unboundLocal(code, arg) }
                        ip &+= 2
                        sp.pointee = try binaryOp(bop, a, b)
                        sp += 1
                    case .deleteFast:
                        if locals[arg].isNull { throw unboundLocal(code, arg) }
                        locals[arg] = .null
                    case .loadDeref:
                        let v = cell(locals[arg]).contents
                        if v.isNull { throw unboundDeref(code, arg) }
                        sp.pointee = v
                        sp += 1
                    case .storeDeref:
                        sp -= 1
                        cell(locals[arg]).contents = sp.pointee
                    case .deleteDeref:
                        let c = cell(locals[arg])
                        if c.contents.isNull { throw unboundDeref(code, arg) }
                        c.contents = .null
                    case .loadClosure:
                        sp.pointee = locals[arg]
                        sp += 1
                    case .makeCell:
                        locals[arg] = Value(heap.register(CellObj(locals[arg], type: types.cell)))
                    case .copyFreeVars:
                        if let fn = fp.pointee.function.asFunction {
                            let first = code.localCount - arg
                            for i in 0..<min(arg, fn.closure.count) { locals[first + i] = fn.closure[i] }
                        }
                    case .loadGlobal:
                        var v = code.module.storage.pointee[Int(code.globalSlots[arg])]
                        if v.isNull {
                            let b = Int(code.builtinSlots[arg])
                            if b >= 0 { v = builtins.storage.pointee[b] }
                            if v.isNull { throw error(exc.nameError, "name '\(code.code.names[arg])' is not defined") }
                        }
                        sp.pointee = v
                        sp += 1
                    case .loadGlobalPushNull:
                        // The lookup is written out here and in loadGlobal on purpose: sharing it
                        // through a throwing helper made the whole loop ~1.5x slower (register
                        // pressure in this function), measured with scripts/bench.
                        var v = code.module.storage.pointee[Int(code.globalSlots[arg])]
                        if v.isNull {
                            let b = Int(code.builtinSlots[arg])
                            if b >= 0 { v = builtins.storage.pointee[b] }
                            if v.isNull { throw error(exc.nameError, "name '\(code.code.names[arg])' is not defined") }
                        }
                        sp.pointee = v
                        (sp + 1).pointee = .null
                        sp += 2
                        ip &+= 1
                    case .storeGlobal:
                        sp -= 1
                        code.module.storage.pointee[Int(code.globalSlots[arg])] = sp.pointee
                    case .deleteGlobal:
                        let slot = Int(code.globalSlots[arg])
                        if code.module.storage.pointee[slot].isNull {
                            throw error(exc.nameError, "name '\(code.code.names[arg])' is not defined")
                        }
                        code.module.storage.pointee[slot] = .null
                    case .loadName:
                        let name = code.nameValues[arg]
                        if let d = fp.pointee.namespace.asDict, let v = try d.get(name, self) {
                            sp.pointee = v
                        } else {
                            var v = code.module.storage.pointee[Int(code.globalSlots[arg])]
                            if v.isNull, code.builtinSlots[arg] >= 0 { v = builtins.storage.pointee[Int(code.builtinSlots[arg])] }
                            if v.isNull { throw error(exc.nameError, "name '\(code.code.names[arg])' is not defined") }
                            sp.pointee = v
                        }
                        sp += 1
                    case .storeName:
                        sp -= 1
                        if let d = fp.pointee.namespace.asDict { try d.set(code.nameValues[arg], sp.pointee, self) }
                        else { code.module.storage.pointee[Int(code.globalSlots[arg])] = sp.pointee }
                    case .deleteName:
                        if let d = fp.pointee.namespace.asDict {
                            if try d.remove(code.nameValues[arg], self) == nil {
                                throw error(exc.nameError, "name '\(code.code.names[arg])' is not defined")
                            }
                        }

                    case .loadAttr:
                        // Inline cache: an instance of the shape seen last has the name in a known slot.
                        let entry = code.attrCache + (ip &- 1)
                        if case .object(let u) = (sp - 1).pointee, let s = entry.pointee.shape,
                           let v = u._withUnsafeGuaranteedRef({ o -> Value? in
                               guard o.kind == .instance else { return nil }
                               let inst = unsafeDowncast(o, to: InstanceObj.self)
                               guard inst.attributes.shapeAddress == s else { return nil }
                               return inst.attributes.slots[entry.pointee.slot]
                           }) {
                            (sp - 1).pointee = v
                            continue
                        }
                        if case .object(let u) = (sp - 1).pointee, let m = entry.pointee.module, m == u.toOpaque() {
                            let v = Runtime.moduleSlot(m, entry.pointee.slot)
                            if !v.isNull { (sp - 1).pointee = v; continue }
                        }
                        let obj = (sp - 1).pointee
                        Runtime.saveState(fp, ip, sp, fiber)
                        (sp - 1).pointee = try getAttribute(obj, code.nameValues[arg])
                        learnLoad(obj, code.nameValues[arg], (sp - 1).pointee, entry)
                    case .storeAttr:
                        sp -= 2
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
                            if done { continue }
                        }
                        let obj = (sp + 1).pointee
                        let before = obj.asObject(.instance, InstanceObj.self)?.attributes.shape
                        Runtime.saveState(fp, ip, sp + 2, fiber)
                        try setAttribute(obj, code.nameValues[arg], sp.pointee)
                        if let before { learnStore(obj, code.nameValues[arg], before, entry) }
                    case .deleteAttr:
                        sp -= 1
                        Runtime.saveState(fp, ip, sp + 1, fiber)
                        try deleteAttribute(sp.pointee, code.nameValues[arg])
                    case .loadMethod:
                        // Top slot first: see pushExcInfo.
                        let obj = (sp - 1).pointee
                        // An instance of the shape seen last (so without the name of its own) and
                        // an unchanged class: the same function again.
                        let instanceEntry = code.attrCache + (ip &- 1)
                        if case .object(let u) = obj, let s = instanceEntry.pointee.shape,
                           instanceEntry.pointee.epoch == hot.pointee.typeEpoch,
                           u._withUnsafeGuaranteedRef({ o in
                               o.kind == .instance && unsafeDowncast(o, to: InstanceObj.self).attributes.shapeAddress == s
                           }) {
                            sp.pointee = obj
                            (sp - 1).pointee = instanceEntry.pointee.method
                            sp += 1
                            continue
                        }
                        // A module's global (`asyncio.sleep(...)`): its slot, as last time.
                        if case .object(let u) = obj, let m = instanceEntry.pointee.module, m == u.toOpaque() {
                            let v = Runtime.moduleSlot(m, instanceEntry.pointee.slot)
                            if !v.isNull {
                                // Top slot first (see pushExcInfo).
                                sp.pointee = .null
                                (sp - 1).pointee = v
                                sp += 1
                                continue
                            }
                        }
                        let entry = code.methodCache + (ip &- 1)
                        let typeKey = typeKey(obj)
                        if typeKey != nil && entry.pointee.type == typeKey && entry.pointee.epoch == hot.pointee.typeEpoch {
                            sp.pointee = obj
                            (sp - 1).pointee = entry.pointee.method
                        } else if let m = methodLookup(obj, code.nameValues[arg]) {
                            entry.pointee = MethodCacheEntry(type: typeKey, epoch: hot.pointee.typeEpoch, method: m)
                            sp.pointee = obj
                            (sp - 1).pointee = m
                        } else if let f = instanceMethod(obj, code.nameValues[arg]) {
                            // A method of a script class, not shadowed by an instance attribute:
                            // call it with the instance, without making a bound method.
                            if let inst = obj.asObject(.instance, InstanceObj.self) {
                                instanceEntry.pointee.fill(shape: inst.attributes.shape, slot: 0,
                                                           epoch: hot.pointee.typeEpoch, method: f)
                            }
                            sp.pointee = obj
                            (sp - 1).pointee = f
                        } else {
                            Runtime.saveState(fp, ip, sp, fiber)
                            let attr = try getAttribute(obj, code.nameValues[arg])
                            sp.pointee = .null
                            (sp - 1).pointee = attr
                            Runtime.learnModuleLoad(obj, code.nameValues[arg], attr, instanceEntry)
                        }
                        sp += 1
                    case .binarySubscr:
                        sp -= 1
                        // Fast path: list[int] without reference counting.
                        if case .object(let u) = (sp - 1).pointee, case .int(let i) = sp.pointee,
                           let v = u._withUnsafeGuaranteedRef({ o -> Value? in
                               guard o.kind == .list else { return nil }
                               let l = unsafeDowncast(o, to: ListObj.self)
                               return i >= 0 && i < l.items.count ? l.items[i] : nil
                           }) {
                            (sp - 1).pointee = v
                            continue
                        }
                        Runtime.saveState(fp, ip, sp + 1, fiber)
                        (sp - 1).pointee = try getItem((sp - 1).pointee, sp.pointee)
                    case .storeSubscr:
                        sp -= 3
                        Runtime.saveState(fp, ip, sp + 3, fiber)
                        try setItem((sp + 1).pointee, (sp + 2).pointee, sp.pointee)
                    case .deleteSubscr:
                        sp -= 2
                        Runtime.saveState(fp, ip, sp + 2, fiber)
                        try deleteItem(sp.pointee, (sp + 1).pointee)

                    case .call, .callKw, .callEx:
                        // Fast path: a plain script function called with exactly its positional
                        // parameters. No reference counting, no allocation. (One case for all three
                        // opcodes: the optimizer must not assume which one runs the slow path.)
                        if op == .call, case .object(let u) = (sp - arg - 2).pointee {
                            let kind = u._withUnsafeGuaranteedRef { $0.kind }
                            if kind == .function {
                                var calleeSlot = sp - arg - 2
                                let cu = Unmanaged<FunctionObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { Unmanaged.passUnretained($0.code) }
                                var argStart = (calleeSlot + 1).pointee.isNull ? calleeSlot + 2 : calleeSlot + 1
                                let nargs = Runtime.slotIndex(sp, in: argStart)
                                var (fast, nlocals, fsize) = cu._withUnsafeGuaranteedRef { c in
                                    (c.fastArgCount == nargs, c.localCount, c.frameSize)
                                }
                                let calleeIndex = Runtime.slotIndex(calleeSlot, in: fiber.stack)
                                let base = Runtime.slotIndex(argStart, in: fiber.stack)
                                // `await f(...)` of a coroutine function: the coroutine's frame runs
                                // right here, on this fiber, as a call would; the caller resumes after
                                // the await (DESIGN.md §3). No coroutine object is made.
                                var resumeAt = ip
                                if !fast, cu._withUnsafeGuaranteedRef({ $0.awaitArgCount == nargs }),
                                   let exit = Runtime.awaitExit(words, ip, code) {
                                    if cu._withUnsafeGuaranteedRef({ $0.awaitFast != .none }) {
                                        Runtime.saveState(fp, ip, sp, fiber)
                                        if let v = try awaitWithoutWaiting(cu, argStart) {
                                            // Done without waiting: the `await`'s value, at its exit.
                                            calleeSlot.pointee = v
                                            sp = calleeSlot + 1
                                            ip = exit
                                            if collectionRequested.pointee { Runtime.saveState(fp, ip, sp, fiber); collectGarbage() }
                                            continue
                                        }
                                    }
                                    fast = true
                                    resumeAt = exit
                                    if base &+ fsize >= fiber.capacity || fiber.frameCount >= fiber.frameCapacity {
                                        // A task's fiber starts small: grow it (frames and stack move).
                                        Runtime.saveState(fp, ip, sp, fiber)
                                        fiber.reserve(base &+ fsize &+ 1, frames: 1)
                                        fp = fiber.frames + (fiber.frameCount &- 1)
                                        locals = fiber.stack + fp.pointee.base
                                        calleeSlot = fiber.stack + calleeIndex
                                        argStart = fiber.stack + base
                                        sp = argStart + nargs
                                    }
                                }
                                if fast && hot.pointee.depth < hot.pointee.recursionLimit && base &+ fsize < fiber.capacity
                                    && fiber.frameCount < fiber.frameCapacity {
                                    var i = nargs
                                    while i < nlocals { argStart[i] = .null; i &+= 1 }
                                    fp.pointee.ip = resumeAt
                                    fp.pointee.sp = calleeIndex
                                    hot.pointee.depth &+= 1
                                    fp = fiber.pushUnchecked(Frame(code: cu, function: calleeSlot.pointee, ip: 0, base: base, sp: 0,
                                                                   returnSlot: calleeIndex, namespace: .null, exit: .toCaller))
                                    code = cu.takeUnretainedValue()
                                    words = code.words
                                    consts = code.consts
                                    ip = 0
                                    locals = argStart
                                    sp = argStart + nlocals
                                    if collectionRequested.pointee { Runtime.saveState(fp, ip, sp, fiber); collectGarbage() }
                                    continue
                                }
                                if cu._withUnsafeGuaranteedRef({ $0.resumableArgCount == nargs }) {
                                    // A generator or coroutine: a new suspended frame, nothing runs.
                                    // (Locals copied first: a closure capturing the loop's `var`s would
                                    // make every entry to this function pay for exclusivity checks.)
                                    let origin = code, pc = ip &- 1
                                    calleeSlot.pointee = Unmanaged<FunctionObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef {
                                        makeGeneratorFast($0, argStart, origin: origin, pc: pc)
                                    }
                                    sp = calleeSlot + 1
                                    if collectionRequested.pointee { Runtime.saveState(fp, ip, sp, fiber); collectGarbage() }
                                    continue
                                }
                            } else if kind == .native {
                                // Native functions: called in place on the stack, no reference counting.
                                let calleeSlot = sp - arg - 2
                                let argStart = (calleeSlot + 1).pointee.isNull ? calleeSlot + 2 : calleeSlot + 1
                                let nargs = sp - argStart
                                if u.toOpaque() == sleepAddress, nargs == 1, Runtime.isNonPositive(argStart.pointee),
                                   let done = sleepZeroDone, Runtime.awaitYield(words, ip, code) {
                                    // `await asyncio.sleep(0)`: the one bare yield of asyncio's `__sleep0`,
                                    // with nothing made. The `await` loop is entered at its `yieldValue`
                                    // with a finished awaitable as the iterator: resuming the task sends
                                    // to it, and it returns None.
                                    calleeSlot.pointee = done
                                    sp = calleeSlot + 1
                                    Runtime.saveState(fp, ip &+ 4, sp, fiber)
                                    return .yielded(.none)
                                }
                                if u.toOpaque() == sleepAddress, nargs == 1, let delay = Runtime.positiveDelay(argStart.pointee),
                                   let done = sleepZeroDone, Runtime.awaitYield(words, ip, code),
                                   sleepTask(on: fiber, delay: delay) {
                                    // `await asyncio.sleep(d)` in a task's own chain: the task is parked
                                    // on a timer of its own (nothing made), and its `await` loop waits
                                    // on the same finished awaitable as above. `.null` tells `stepTask`.
                                    calleeSlot.pointee = done
                                    sp = calleeSlot + 1
                                    Runtime.saveState(fp, ip &+ 4, sp, fiber)
                                    return .yielded(.null)
                                }
                                Runtime.saveState(fp, ip, sp, fiber)
                                let result: Value
                                if u.toOpaque() == listAppendAddress, nargs == 2, let l = argStart.pointee.asList {
                                    l.items.append((argStart + 1).pointee)
                                    result = .none
                                } else {
                                    result = try Unmanaged<NativeFunctionObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { nf in
                                        try nf.fn(self, Args(positional: UnsafeBufferPointer(start: argStart, count: nargs)))
                                    }
                                }
                                calleeSlot.pointee = result
                                sp = calleeSlot + 1
                                continue
                            }
                        }
                        switch try callGeneral(op, arg, fiber, fp, ip, sp) {
                        case .pushedFrame:
                            (fp, code, words, consts, ip, locals, sp) = Runtime.topState(fiber)
                            if collectionRequested.pointee { Runtime.saveState(fp, ip, sp, fiber); collectGarbage() }
                        case .returned(let top):
                            locals = fiber.stack + fp.pointee.base
                            sp = fiber.stack + top
                            // A safepoint: calls that make objects (classes, generators, coroutines)
                            // and never push a frame must still let the collector run.
                            if collectionRequested.pointee { Runtime.saveState(fp, ip, sp, fiber); collectGarbage() }
                        }

                    case .binaryOp:
                        sp -= 1
                        let a = (sp - 1).pointee, b = sp.pointee
                        if case .int(let x) = a, case .int(let y) = b {
                            // Addition and subtraction by tests first (see loadFastConstBinaryOp).
                            if arg == 0 || arg == 13 {
                                let (r, o) = x.addingReportingOverflow(y)
                                if !o { (sp - 1).pointee = .int(r); continue }
                            } else if arg == 10 || arg == 23 {
                                let (r, o) = x.subtractingReportingOverflow(y)
                                if !o { (sp - 1).pointee = .int(r); continue }
                            }
                            switch arg {
                            case 5, 18:
                                let (r, o) = x.multipliedReportingOverflow(by: y)
                                if !o { (sp - 1).pointee = .int(r); continue }
                            case 6, 19:
                                if y > 0 && x >= 0 { (sp - 1).pointee = .int(x % y); continue }
                            case 2, 15:
                                if y > 0 && x >= 0 { (sp - 1).pointee = .int(x / y); continue }
                            case 1, 14: (sp - 1).pointee = .int(x & y); continue
                            case 7, 20: (sp - 1).pointee = .int(x | y); continue
                            case 12, 25: (sp - 1).pointee = .int(x ^ y); continue
                            default: break
                            }
                        } else if case .float(let x) = a, case .float(let y) = b {
                            switch arg {
                            case 0, 13: (sp - 1).pointee = .float(x + y); continue
                            case 10, 23: (sp - 1).pointee = .float(x - y); continue
                            case 5, 18: (sp - 1).pointee = .float(x * y); continue
                            case 11, 24: if y != 0 { (sp - 1).pointee = .float(x / y); continue }
                            default: break
                            }
                        }
                        Runtime.saveState(fp, ip, sp + 1, fiber)
                        (sp - 1).pointee = try binaryOp(arg, a, b)
                    case .compareOp:
                        sp -= 1
                        let a = (sp - 1).pointee, b = sp.pointee
                        if case .int(let x) = a, case .int(let y) = b {
                            let r: Bool
                            r = Runtime.intCompare(x, y, arg)
                            (sp - 1).pointee = .bool(r)
                        } else {
                            Runtime.saveState(fp, ip, sp + 1, fiber)
                            (sp - 1).pointee = try compare(a, b, arg)
                        }
                    case .isOp:
                        sp -= 1
                        let r = (sp - 1).pointee.isIdentical(to: sp.pointee)
                        (sp - 1).pointee = .bool(arg == 1 ? !r : r)
                    case .containsOp:
                        sp -= 1
                        Runtime.saveState(fp, ip, sp + 1, fiber)
                        let r = try contains(sp.pointee, (sp - 1).pointee)
                        (sp - 1).pointee = .bool(arg == 1 ? !r : r)
                    case .unaryNegative:
                        Runtime.saveState(fp, ip, sp, fiber)
                        (sp - 1).pointee = try negate((sp - 1).pointee)
                    case .unaryPositive:
                        Runtime.saveState(fp, ip, sp, fiber)
                        (sp - 1).pointee = try positive((sp - 1).pointee)
                    case .unaryInvert:
                        Runtime.saveState(fp, ip, sp, fiber)
                        (sp - 1).pointee = try invert((sp - 1).pointee)
                    case .unaryNot:
                        Runtime.saveState(fp, ip, sp, fiber)
                        (sp - 1).pointee = .bool(!(try truthy((sp - 1).pointee)))

                    case .jump:
                        if arg < ip, collectionRequested.pointee { ip = arg; Runtime.saveState(fp, ip, sp, fiber); collectGarbage() }
                        ip = arg
                    case .popJumpIfFalse:
                        sp -= 1
                        switch sp.pointee {
                        case .bool(let b): if !b { ip = arg }
                        default:
                            Runtime.saveState(fp, ip, sp + 1, fiber)
                            if !(try truthy(sp.pointee)) { ip = arg }
                        }
                    case .popJumpIfTrue:
                        sp -= 1
                        switch sp.pointee {
                        case .bool(let b): if b { ip = arg }
                        default:
                            Runtime.saveState(fp, ip, sp + 1, fiber)
                            if try truthy(sp.pointee) { ip = arg }
                        }
                    case .jumpIfFalseOrPop:
                        Runtime.saveState(fp, ip, sp, fiber)
                        if try truthy((sp - 1).pointee) { sp -= 1 } else { ip = arg }
                    case .jumpIfTrueOrPop:
                        Runtime.saveState(fp, ip, sp, fiber)
                        if try truthy((sp - 1).pointee) { ip = arg } else { sp -= 1 }
                    case .popJumpIfNone:
                        sp -= 1
                        if sp.pointee.isNone { ip = arg }
                    case .popJumpIfNotNone:
                        sp -= 1
                        if !sp.pointee.isNone { ip = arg }
                    case .getIter:
                        Runtime.saveState(fp, ip, sp, fiber)
                        (sp - 1).pointee = try iterate((sp - 1).pointee)
                    case .forIter:
                        // Generators: resumed without reference counting on the generator.
                        if case .object(let u) = (sp - 1).pointee, u._withUnsafeGuaranteedRef({ $0.kind == .generator }) {
                            Runtime.saveState(fp, ip, sp, fiber)
                            let r = try Unmanaged<GeneratorObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef {
                                try self.resume($0, sending: .none)
                            }
                            if case .yielded(let v) = r {
                                sp.pointee = v
                                sp += 1
                            } else {
                                sp -= 1
                                ip = arg
                            }
                        } else if let it = (sp - 1).pointee.asObject(.iterator, IterObj.self) {
                            switch it.source {
                            case .list(let l):
                                if it.index < l.items.count {
                                    sp.pointee = l.items[it.index]
                                    it.index &+= 1
                                    sp += 1
                                    continue
                                }
                            case .range(let r):
                                if it.index < r.length {
                                    sp.pointee = .int(r.element(it.index))
                                    it.index &+= 1
                                    sp += 1
                                    continue
                                }
                            default:
                                Runtime.saveState(fp, ip, sp, fiber)
                                if let v = try next(it) {
                                    sp.pointee = v
                                    sp += 1
                                    continue
                                }
                            }
                            it.source = .exhausted
                            sp -= 1
                            ip = arg
                        } else {
                            Runtime.saveState(fp, ip, sp, fiber)
                            if let v = try next((sp - 1).pointee) {
                                sp.pointee = v
                                sp += 1
                            } else {
                                sp -= 1
                                ip = arg
                            }
                        }
                    case .binaryOpReturn:
                        sp -= 1
                        let a = (sp - 1).pointee, b = sp.pointee
                        if case .int(let x) = a, case .int(let y) = b, arg == 0 || arg == 10,
                           case let (r, o) = arg == 0 ? x.addingReportingOverflow(y) : x.subtractingReportingOverflow(y), !o {
                            (sp - 1).pointee = .int(r)
                        } else {
                            Runtime.saveState(fp, ip, sp + 1, fiber)
                            (sp - 1).pointee = try binaryOp(arg, a, b)
                        }
                        fallthrough
                    case .returnFast:
                        if op == .returnFast {
                            let v = locals[arg]
                            if v.isNull { throw unboundLocal(code, arg) }
                            sp.pointee = v
                            sp += 1
                        }
                        fallthrough
                    case .returnValue:
                        sp -= 1
                        let result = sp.pointee
                        hot.pointee.depth &-= 1
                        let returnSlot = fp.pointee.returnSlot
                        if fp.pointee.exit != .toCaller {
                            if fp.pointee.exit == .toHost {
                                fiber.sp = fp.pointee.base
                                fiber.pop()
                                return .returned(result)
                            }
                            finishAwaited(fp.pointee.namespace)
                        }
                        fiber.pop()
                        let slot = fiber.stack + returnSlot
                        slot.pointee = result
                        // The caller's frame sits just below (frames are contiguous).
                        fp -= 1
                        code = fp.pointee.code.takeUnretainedValue()
                        words = code.words
                        consts = code.consts
                        ip = fp.pointee.ip
                        locals = fiber.stack + fp.pointee.base
                        sp = slot + 1

                    case .buildTuple:
                        let items = Array(UnsafeBufferPointer(start: sp - arg, count: arg))
                        sp -= arg
                        sp.pointee = newTuple(items)
                        sp += 1
                    case .buildList:
                        let items = Array(UnsafeBufferPointer(start: sp - arg, count: arg))
                        sp -= arg
                        sp.pointee = newList(items)
                        sp += 1
                    case .buildSet:
                        Runtime.saveState(fp, ip, sp, fiber)
                        let s = try buildSet(sp - arg, count: arg)
                        sp -= arg
                        sp.pointee = s
                        sp += 1
                    case .buildMap:
                        Runtime.saveState(fp, ip, sp, fiber)
                        let d = try buildMap(sp - 2 * arg, pairs: arg)
                        sp -= 2 * arg
                        sp.pointee = d
                        sp += 1
                    case .buildString:
                        var text = ""
                        var ascii = true   // numbers are; a string piece says so itself
                        for i in 0..<arg {
                            switch (sp - arg + i).pointee {
                            case .int(let n): text.append(String(n))
                            case .float(let d): text.append(floatRepr(d))
                            case let v:
                                v.withStr {
                                    ascii = ascii && $0.isASCII
                                    text.append($0.value)
                                }
                            }
                        }
                        sp -= arg
                        sp.pointee = ascii ? newASCIIStr(text) : newStr(text)
                        sp += 1
                    case .buildSlice:
                        let step: Value = arg == 3 ? (sp - 1).pointee : .none
                        sp -= arg
                        sp.pointee = Value(heap.register(SliceObj(start: sp.pointee, stop: (sp + 1).pointee, step: step, type: types.slice)))
                        sp += 1
                    case .listAppend:
                        sp -= 1
                        (sp - arg).pointee.asList?.items.append(sp.pointee)
                    case .setAdd:
                        sp -= 1
                        Runtime.saveState(fp, ip, sp + 1, fiber)
                        try (sp - arg).pointee.asSet?.add(sp.pointee, self)
                    case .mapAdd:
                        sp -= 2
                        Runtime.saveState(fp, ip, sp + 2, fiber)
                        try (sp - arg).pointee.asDict?.set(sp.pointee, (sp + 1).pointee, self)
                    case .listExtend:
                        sp -= 1
                        Runtime.saveState(fp, ip, sp, fiber)
                        let items = try iterateToArray(sp.pointee)
                        if let l = (sp - arg).pointee.asList {
                            // `[*xs]`, `f(*xs)`: an empty list takes the items' storage as it is
                            // (shared until either side changes: copy on write).
                            if l.items.isEmpty { l.items = items } else { l.items.append(contentsOf: items) }
                        }
                    case .setUpdate:
                        sp -= 1
                        Runtime.saveState(fp, ip, sp, fiber)
                        let items = try iterateToArray(sp.pointee)
                        if let s = (sp - arg).pointee.asSet { for v in items { try s.add(v, self) } }
                    case .dictUpdate, .dictMerge:
                        sp -= 1
                        Runtime.saveState(fp, ip, sp, fiber)
                        guard let d = (sp - arg).pointee.asDict else { break }
                        try mergeMapping(into: d, sp.pointee, noDuplicates: op == .dictMerge,
                                         callee: op == .dictMerge ? (sp - arg - 3).pointee : .null)
                    case .listToTuple:
                        // Just before a star call (`f(*xs)`) the list stays as it is: the call takes
                        // its items and frees them once the arguments are bound. (A tuple would
                        // stay until the next collection; the list is the compiler's own temporary.)
                        if ip < code.wordCount, words[ip] & 0xFF == UInt32(OpCode.callEx.rawValue) { break }
                        (sp - 1).pointee = newTuple((sp - 1).pointee.asList?.items ?? [])
                    case .unpackSequence:
                        sp -= 1
                        Runtime.saveState(fp, ip, sp + 1, fiber)
                        let items = try unpack(sp.pointee, count: arg)
                        for v in items.reversed() { sp.pointee = v; sp += 1 }
                    case .unpackEx:
                        sp -= 1
                        Runtime.saveState(fp, ip, sp + 1, fiber)
                        let items = try unpackStarred(sp.pointee, before: arg & 0xFF, after: arg >> 8)
                        for v in items.reversed() { sp.pointee = v; sp += 1 }
                    case .formatValue:
                        if arg == 8 {
                            if case .int = (sp - 1).pointee { break }
                            if case .float = (sp - 1).pointee { break }
                        }
                        var spec: Value = .null
                        if arg & 4 != 0 { sp -= 1; spec = sp.pointee }
                        Runtime.saveState(fp, ip, sp, fiber)
                        (sp - 1).pointee = try formatValue((sp - 1).pointee, conversion: arg & 3, spec: spec)
                    case .makeFunction:
                        sp -= 1
                        guard let c = sp.pointee.asObject(.code, CodeObj.self) else { throw runtimeError("bad code constant") }
                        var closure: [Value] = [], kwDefaults: [(String, Value)] = [], defaults: [Value] = []
                        if arg & 8 != 0 { sp -= 1; closure = sp.pointee.asTuple?.items ?? [] }
                        if arg & 2 != 0 {
                            sp -= 1
                            for (k, v) in sp.pointee.asDict?.entries ?? [] { kwDefaults.append((k.asStr?.value ?? "", v)) }
                        }
                        if arg & 1 != 0 { sp -= 1; defaults = sp.pointee.asTuple?.items ?? [] }
                        sp.pointee = Value(heap.register(FunctionObj(code: c, defaults: defaults, kwDefaults: kwDefaults,
                                                                      closure: closure, type: types.function)))
                        sp += 1

                    case .raiseVarargs:
                        switch arg {
                        case 0:
                            guard let e = handledException.asException else {
                                throw runtimeError("No active exception to reraise")
                            }
                            reraising = true
                            throw ScriptError(exception: e)
                        case 1:
                            sp -= 1
                            throw ScriptError(exception: try makeRaisable(sp.pointee))
                        default:
                            sp -= 2
                            let e = try makeRaisable(sp.pointee)
                            try setCause(e, (sp + 1).pointee)
                            throw ScriptError(exception: e)
                        }
                    case .pushExcInfo:
                        // Stores in this order (top slot first): with the other order the
                        // optimizer of Swift 6.3 has been seen to drop the lower store.
                        let e = (sp - 1).pointee
                        let previous = handledException
                        sp.pointee = e
                        (sp - 1).pointee = previous
                        sp += 1
                        handledException = e
                    case .popExcept:
                        sp -= 1
                        handledException = sp.pointee.isNull ? .none : sp.pointee
                    case .checkExcMatch:
                        let r = try exceptionMatches((sp - 2).pointee, (sp - 1).pointee)
                        (sp - 1).pointee = .bool(r)
                    case .reraise:
                        sp -= 1
                        guard let e = sp.pointee.asException else { throw runtimeError("reraise of a non-exception") }
                        reraising = true
                        throw ScriptError(exception: e)
                    case .loadAssertionError:
                        sp.pointee = Value(exc.assertionError)
                        sp += 1

                    case .importName:
                        sp -= 1
                        Runtime.saveState(fp, ip, sp, fiber)
                        (sp - 1).pointee = try importModule(code.code.names[arg], fromList: sp.pointee, level: (sp - 1).pointee)
                    case .importFrom:
                        sp.pointee = try importFrom((sp - 1).pointee, code.code.names[arg])
                        sp += 1
                    case .importStar:
                        sp -= 1
                        try importStar(sp.pointee, into: code.module)
                    case .printExpr:
                        sp -= 1
                        let v = sp.pointee
                        if !v.isNone {
                            Runtime.saveState(fp, ip, sp, fiber)
                            writeOut(try repr(v) + "\n")
                            builtins.set("_", v)
                        }

                    case .yieldValue:
                        sp -= 1
                        let v = sp.pointee
                        Runtime.saveState(fp, ip, sp, fiber)
                        return .yielded(v)
                    case .getYieldFromIter:
                        if (sp - 1).pointee.asObject(.generator, GeneratorObj.self) == nil {
                            Runtime.saveState(fp, ip, sp, fiber)
                            (sp - 1).pointee = try iterate((sp - 1).pointee)
                        }
                    case .send:
                        Runtime.saveState(fp, ip, sp, fiber)
                        let sent = (sp - 1).pointee, it = (sp - 2).pointee
                        var result: Value? = nil
                        if case .object(let u) = it, u._withUnsafeGuaranteedRef({ $0.kind == .generator }) {
                            // A coroutine awaited before it started: its frame moves onto this fiber.
                            if sent.isNone, try Unmanaged<GeneratorObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef({
                                try self.moveAwaited($0, onto: fiber, exit: arg)
                            }) {
                                (fp, code, words, consts, ip, locals, sp) = Runtime.topState(fiber)
                                if collectionRequested.pointee { Runtime.saveState(fp, ip, sp, fiber); collectGarbage() }
                                continue
                            }
                            // Resumed without reference counting on the generator.
                            let r = try Unmanaged<GeneratorObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef {
                                try self.resume($0, sending: sent)
                            }
                            switch r {
                            case .yielded(let y): (sp - 1).pointee = y
                            case .returned(let r): result = r
                            }
                        } else if case .object(let u) = it, Value.isAwaitable(u) {
                            switch try u._withUnsafeGuaranteedRef({ try $0.resume(self, nil) }) {
                            case .yielded(let y): (sp - 1).pointee = y
                            case .returned(let r): result = r
                            }
                        } else if !sent.isNone {
                            throw attributeError("'\(typeName(it))' object has no attribute 'send'")
                        } else if let y = try next(it) {
                            (sp - 1).pointee = y
                        } else {
                            result = Value.none
                        }
                        if let r = result {
                            sp -= 2
                            sp.pointee = r
                            sp += 1
                            ip = arg
                        }
                    case .returnGenerator:
                        break
                    case .loadBuildClass:
                        sp.pointee = builtins.get("__build_class__") ?? .none
                        sp += 1
                    case .beforeWith, .beforeAsyncWith:
                        // Looked up on the class, as special methods are; both stay on the stack
                        // (rooted) while `__enter__` runs. For `async with` the entered value is an
                        // awaitable, awaited next.
                        Runtime.saveState(fp, ip, sp, fiber)
                        let mgr = (sp - 1).pointee
                        let (enterName, exitName, kind) = op == .beforeWith
                            ? ("__enter__", "__exit__", "context manager") : ("__aenter__", "__aexit__", "asynchronous context manager")
                        let (rawEnter, rawExit) = contextMethods(typeOf(mgr), async: op == .beforeAsyncWith, enterName, exitName)
                        guard let rawEnter else {
                            throw typeError("'\(typeName(mgr))' object does not support the \(kind) protocol")
                        }
                        let owner = typeOf(mgr)
                        guard let rawExit else {
                            throw typeError("'\(typeName(mgr))' object does not support the \(kind) protocol (missed \(exitName) method)")
                        }
                        (sp - 1).pointee = try bindClassAttribute(rawExit, instance: mgr, owner: owner)
                        if op == .beforeAsyncWith, let fn = rawEnter.asFunction, fn.code.awaitArgCount == 1,
                           let exit = Runtime.awaitExit(words, ip, code) {
                            // `__aenter__` is a plain coroutine method: its frame runs at once, as an
                            // awaited call does, and the entered value arrives after the `await`.
                            sp.pointee = .none
                            Runtime.saveState(fp, ip, sp + 1, fiber)
                            try pushAwaited(fn, receiver: mgr, on: fiber, resultSlot: sp - fiber.stack, resumeAt: exit)
                            (fp, code, words, consts, ip, locals, sp) = Runtime.topState(fiber)
                            if collectionRequested.pointee { Runtime.saveState(fp, ip, sp, fiber); collectGarbage() }
                            continue
                        }
                        sp.pointee = try bindClassAttribute(rawEnter, instance: mgr, owner: owner)
                        Runtime.saveState(fp, ip, sp + 1, fiber)
                        let top = sp - fiber.stack
                        let entered = try call(sp.pointee, [])
                        locals = fiber.stack + fp.pointee.base
                        sp = fiber.stack + top
                        sp.pointee = entered
                        sp += 1
                    case .withExceptStart:
                        Runtime.saveState(fp, ip, sp, fiber)
                        let e = (sp - 1).pointee
                        let tb = e.asException.map { tracebackObject($0) } ?? Value.none
                        let r = try call((sp - 3).pointee, [Value(typeOf(e)), e, tb])
                        sp.pointee = r
                        sp += 1
                    case .getAwaitable:
                        Runtime.saveState(fp, ip, sp, fiber)
                        (sp - 1).pointee = try awaitable((sp - 1).pointee, from: arg)
                    case .getAIter:
                        Runtime.saveState(fp, ip, sp, fiber)
                        let obj = (sp - 1).pointee
                        guard let aiter = try specialMethod(obj, "__aiter__") else {
                            throw typeError("'async for' requires an object with __aiter__ method, got \(typeName(obj))")
                        }
                        let it = try call(aiter, [])
                        if try specialMethod(it, "__anext__") == nil {
                            throw typeError("'async for' received an object from __aiter__ that does not implement __anext__: \(typeName(it))")
                        }
                        (sp - 1).pointee = it
                    case .getANext:
                        Runtime.saveState(fp, ip, sp, fiber)
                        let it = (sp - 1).pointee
                        guard let anext = try specialMethod(it, "__anext__") else {
                            throw typeError("'async for' requires an iterator with __anext__ method, got \(typeName(it))")
                        }
                        let next = try call(anext, [])
                        sp.pointee = next
                        sp += 1
                        Runtime.saveState(fp, ip, sp, fiber)
                        (sp - 1).pointee = try awaitable(next, from: 3)
                    case .endAsyncFor:
                        // The loop's exception handler: StopAsyncIteration ends the loop.
                        sp -= 1
                        guard let e = sp.pointee.asException else { throw runtimeError("bad async for exception") }
                        if e.type.isSubtype(of: exc.stopAsyncIteration) {
                            sp -= 1
                            break
                        }
                        reraising = true
                        throw ScriptError(exception: e)
                    case .asyncGenWrap:
                        // Marks a value an async generator yields to its consumer (not to the loop).
                        let wrapped = heap.register(InstanceObj(type: types.asyncGenWrapped))
                        wrapped.attributes["value"] = (sp - 1).pointee
                        (sp - 1).pointee = Value(wrapped)
                    }
                }
            } catch {
                var e: ExceptionObj
                if let se = error as? ScriptError { e = se.exception } else { e = newException(exc.runtimeError, "\(error)") }
                if !reraising {
                    e.traceback.append(TracebackEntry(code: code.code, pc: ip - 1))
                    if case .object = handledException, !handledException.isIdentical(to: Value(e)), e.context.isNone {
                        e.context = handledException
                    }
                }
                reraising = false
                // Unwind: find a handler in this frame or the callers.
                while true {
                    if let h = code.code.handler(at: ip - 1) {
                        sp = locals + code.localCount + h.depth
                        sp.pointee = Value(e)
                        sp += 1
                        ip = h.target
                        break
                    }
                    let f = fp.pointee
                    depth -= 1
                    fiber.pop()
                    if f.exit == .toHost {
                        fiber.sp = f.base
                        return .raised(e)
                    }
                    // A coroutine frame run on its awaiter's fiber ends here, as its own would.
                    if f.exit == .finishAwaited { finishAwaited(f.namespace) }
                    if code.code.flags.contains(.coroutine) { e = leakedStopIteration(e, code.code.flags) }
                    (fp, code, words, consts, ip, locals, sp) = Runtime.topState(fiber)
                    e.traceback.append(TracebackEntry(code: code.code, pc: ip - 1))
                }
            }
        }
    }

    /// What `callGeneral` did.
    enum GeneralCall {
        /// Pushed a frame for a script function: the loop continues in it (state from the fiber).
        case pushedFrame
        /// Called something else; its result is on the stack, which now ends at offset `top`.
        case returned(top: Int)
    }

    /// `call`/`callKw`/`callEx` beyond the two fast paths: keyword and spilled arguments, bound
    /// methods, classes, generators. Kept out of the dispatch loop so the loop's hot paths keep
    /// their registers.
    @inline(never)
    private func callGeneral(_ op: OpCode, _ arg: Int, _ fiber: Fiber, _ fpIn: UnsafeMutablePointer<Frame>,
                             _ ip: Int, _ spIn: UnsafeMutablePointer<Value>) throws -> GeneralCall {
        var fp = fpIn
        var sp = spIn
        var keywords: [(name: String, value: Value)] = []
        var argc = arg
        var spill: [Value]? = nil
        /// The tuple or list `spill` came from, when it is one (rooting it roots the arguments).
        var spillTuple: Value = .null
        /// The star call's own list (see `listToTuple`), emptied once the call no longer needs it.
        var temporaryList: ListObj? = nil
        defer { temporaryList?.items = [] }
        if op == .callKw {
            sp -= 1
            let names = sp.pointee.asTuple?.items ?? []
            argc -= names.count
            for (i, n) in names.enumerated() {
                keywords.append(((n.asStr?.value) ?? "", (sp - names.count + i).pointee))
            }
            sp -= names.count
        } else if op == .callEx {
            var kwv: Value = .null
            if arg & 1 != 0 { sp -= 1; kwv = sp.pointee }
            sp -= 1
            let tuple = sp.pointee
            if let t = tuple.asTuple {
                spill = t.items
                spillTuple = tuple
            } else if let l = tuple.asList {
                spill = l.items
                spillTuple = tuple
                temporaryList = l
            } else {
                spill = try iterateToArray(tuple)
            }
            if let d = kwv.asDict {
                for (k, v) in d.entries {
                    guard let ks = k.asStr else { throw typeError("keywords must be strings") }
                    keywords.append((ks.value, v))
                }
            }
            argc = 0
        }
        let calleeSlot = sp - argc - 2
        var callee = calleeSlot.pointee
        let selfSlot = calleeSlot + 1
        var argStart = selfSlot.isNullValue ? selfSlot + 1 : selfSlot
        var nargs = sp - argStart
        if spill == nil, keywords.isEmpty, !selfSlot.isNullValue, case .object(let u) = callee,
           u._withUnsafeGuaranteedRef({ $0.kind == .boundMethod }) {
            // `await obj.method(...)` through a bound method with no free slot before the
            // arguments (`__aexit__(None, None, None)` of `async with`): the coroutine's frame is
            // pushed above the arguments, receiver first, and the caller resumes after the `await`
            // (as the dispatch loop's fused path does for a plain function): nothing is made.
            // (References used without reference counting: the bound method is on the stack.)
            let n = nargs
            let pushed = try Unmanaged<BoundMethodObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { bm -> Bool in
                guard case .object(let f) = bm.function, f._withUnsafeGuaranteedRef({ $0.kind == .function }) else { return false }
                return try Unmanaged<FunctionObj>.fromOpaque(f.toOpaque())._withUnsafeGuaranteedRef { fn -> Bool in
                    let code = fp.pointee.code.takeUnretainedValue()
                    guard fn.code.awaitArgCount == n + 1, let exit = Runtime.awaitExit(code.words, ip, code) else { return false }
                    Runtime.saveState(fp, ip, sp, fiber)
                    try pushAwaited(fn, receiver: bm.receiver, arguments: (argStart - fiber.stack, n), on: fiber,
                                    resultSlot: calleeSlot - fiber.stack, resumeAt: exit)
                    return true
                }
            }
            if pushed { return .pushedFrame }
        }
        // Unwrap bound methods into (function, self) in place when there is room.
        if let bm = callee.asObject(.boundMethod, BoundMethodObj.self), spill == nil, selfSlot.isNullValue {
            callee = bm.function
            selfSlot.pointee = bm.receiver
            calleeSlot.pointee = callee
            argStart = selfSlot
            nargs += 1
        } else if let bm = callee.asObject(.boundMethod, BoundMethodObj.self), let s = spill {
            callee = bm.function
            spill = [bm.receiver] + s
        }
        if spill != nil, !selfSlot.isNullValue { spill = [selfSlot.pointee] + (spill ?? []) }
        if spill == nil, keywords.isEmpty, let fn = callee.asFunction, fn.code.resumableArgCount == nargs {
            // A generator or coroutine method (`obj.method()`): a new suspended frame
            // from the arguments in place, as the fast path makes one for a plain function.
            calleeSlot.pointee = makeGeneratorFast(fn, argStart, origin: fp.pointee.code.takeUnretainedValue(), pc: ip &- 1)
            return .returned(top: calleeSlot - fiber.stack + 1)
        }
        if let fn = callee.asFunction, !fn.code.isResumable {
            let callee = fn.code
            let base = argStart - fiber.stack
            // Offsets, not pointers: growing the stack below moves it.
            let calleeIndex = calleeSlot - fiber.stack
            if hot.pointee.depth >= hot.pointee.recursionLimit {
                throw error(exc.recursionError, "maximum recursion depth exceeded")
            }
            Runtime.saveState(fp, ip, sp, fiber)
            if fiber.reserve(base + callee.frameSize + 1) {
                fp = fiber.frames + (fiber.frameCount - 1)
            }
            let slots = fiber.stack + base
            if spill == nil && keywords.isEmpty && callee.isSimple && nargs == callee.code.argCount {
                var i = nargs
                while i < callee.localCount { slots[i] = .null; i &+= 1 }
            } else {
                let args = spill ?? Array(UnsafeBufferPointer(start: fiber.stack + base, count: nargs))
                for i in 0..<callee.localCount { slots[i] = .null }
                try args.withUnsafeBufferPointer { try bindArguments(fn, positional: $0, keywords: keywords, into: slots) }
            }
            fp.pointee.ip = ip
            fp.pointee.sp = calleeIndex
            depth += 1
            _ = fiber.push(Frame(code: Unmanaged.passUnretained(callee), function: Value(fn),
                                 ip: 0, base: base, sp: base + callee.localCount,
                                 returnSlot: calleeIndex, namespace: .null, exit: .toCaller))
            return .pushedFrame
        } else {
            Runtime.saveState(fp, ip, sp, fiber)
            // Keyword values and spilled arguments are off the stack now: root them
            // while the callee runs (it may run script code and collect). A bound method's
            // receiver added to the spill stays on the stack, in the callee's slot.
            let spillRoots = spillTuple.isNull ? (spill?.count ?? 0) : 1
            let rooted = spillRoots + keywords.count
            if !spillTuple.isNull { tempRoots.append(spillTuple) } else if let s = spill { tempRoots.append(contentsOf: s) }
            for k in keywords { tempRoots.append(k.value) }
            defer { tempRoots.removeLast(rooted) }
            let result: Value
            if let s = spill {
                result = try call(callee, s, keywords: keywords)
            } else if let nf = callee.asObject(.native, NativeFunctionObj.self) {
                if nf === listAppend, nargs == 2, keywords.isEmpty, let l = argStart.pointee.asList {
                    l.items.append((argStart + 1).pointee)
                    result = .none
                } else {
                    result = try nf.fn(self, Args(positional: UnsafeBufferPointer(start: argStart, count: nargs), keywords: keywords))
                }
            } else {
                result = try call(callee, Array(UnsafeBufferPointer(start: argStart, count: nargs)), keywords: keywords)
            }
            // A nested run may have moved nothing on this fiber, but go by offsets anyway.
            let top = calleeSlot - fiber.stack
            fiber.stack[top] = result
            return .returned(top: top + 1)
        }
    }

    /// `x <op> y` for ints, `op` in CPython's comparison numbering (< <= == != > >=), without a
    /// branch on `op`: each operator is the set of outcomes (less, equal, greater) it accepts.
    @inline(__always)
    static func intCompare(_ x: Int, _ y: Int, _ op: Int) -> Bool {
        let outcome: UInt32 = x < y ? 1 : (x == y ? 2 : 4)
        let accepted: UInt32 = 0x64_5231   // nibbles by op: < 1, <= 3, == 2, != 5, > 4, >= 6
        return (accepted >> UInt32(truncatingIfNeeded: (op & 7) << 2)) & outcome != 0
    }

    /// The index of stack slot `p` in a stack starting at `base` (a shift: the distance is always
    /// a whole number of slots, so no rounding toward zero is needed).
    @inline(__always)
    static func slotIndex(_ p: UnsafeMutablePointer<Value>, in base: UnsafeMutablePointer<Value>) -> Int {
        (Int(bitPattern: p) &- Int(bitPattern: base)) &>> MemoryLayout<Value>.stride.trailingZeroBitCount
    }

    /// The running state of a fiber's top frame, for the dispatch loop's locals.
    @inline(__always)
    static func topState(_ fiber: Fiber) -> (UnsafeMutablePointer<Frame>, CodeObj, UnsafeMutablePointer<UInt32>,
                                              UnsafeMutablePointer<Value>, Int, UnsafeMutablePointer<Value>, UnsafeMutablePointer<Value>) {
        let fp = fiber.frames + (fiber.frameCount - 1)
        let code = fp.pointee.code.takeUnretainedValue()
        return (fp, code, code.words, code.consts, fp.pointee.ip, fiber.stack + fp.pointee.base, fiber.stack + fp.pointee.sp)
    }

    /// Pushes the frame of coroutine method `fn` above the top of `fiber`'s stack (receiver, then the
    /// `arguments` copied from their slots), for an `await` of its call: the caller's frame (the top
    /// one, state saved) resumes at `resumeAt` with the result in slot `resultSlot`, as the fused
    /// `await` of the call fast path arranges it. No coroutine object is made.
    func pushAwaited(_ fn: FunctionObj, receiver: Value, arguments: (start: Int, count: Int) = (0, 0), on fiber: Fiber,
                     resultSlot: Int, resumeAt: Int) throws {
        if hot.pointee.depth >= hot.pointee.recursionLimit {
            throw error(exc.recursionError, "maximum recursion depth exceeded")
        }
        let callee = fn.code
        let base = fiber.sp
        fiber.reserve(base + callee.frameSize + 1, frames: 1)
        let slots = fiber.stack + base
        slots.pointee = receiver
        for i in 0..<arguments.count { slots[i + 1] = fiber.stack[arguments.start + i] }
        var i = arguments.count + 1
        while i < callee.localCount { slots[i] = .null; i += 1 }
        let caller = fiber.frames + (fiber.frameCount - 1)
        caller.pointee.ip = resumeAt
        caller.pointee.sp = resultSlot
        depth += 1
        _ = fiber.push(Frame(code: Unmanaged.passUnretained(callee), function: Value(fn), ip: 0, base: base,
                             sp: base + callee.localCount, returnSlot: resultSlot, namespace: .null, exit: .toCaller))
        fiber.sp = base + callee.localCount
    }

    /// Where the caller resumes when the call just made is awaited at once: the instruction after
    /// the `await` loop (`getAwaitable; loadConst None; send exit; yieldValue; jump send`), whose
    /// last `jump` is what tracebacks and exception handlers see as the awaiting instruction.
    @inline(__always)
    static func awaitExit(_ words: UnsafeMutablePointer<UInt32>, _ ip: Int, _ code: CodeObj) -> Int? {
        // (Any GET_AWAITABLE: its argument only words the error for a value that cannot be
        // awaited, and `async with` marks its `__aenter__`/`__aexit__` awaits with it.)
        guard ip &+ 2 < code.wordCount, words[ip] & 0xFF == UInt32(OpCode.getAwaitable.rawValue) else { return nil }
        let send = words[ip &+ 2]
        guard send & 0xFF == UInt32(OpCode.send.rawValue) else { return nil }
        return Int(send >> 8)
    }

    /// True when the call just made is awaited at once and its `await` loop is the usual
    /// `getAwaitable 0; loadConst None; send; yieldValue; jump`.
    @inline(__always)
    static func awaitYield(_ words: UnsafeMutablePointer<UInt32>, _ ip: Int, _ code: CodeObj) -> Bool {
        guard ip &+ 4 < code.wordCount, awaitExit(words, ip, code) != nil else { return false }
        return words[ip &+ 3] & 0xFF == UInt32(OpCode.yieldValue.rawValue) && words[ip &+ 4] & 0xFF == UInt32(OpCode.jump.rawValue)
    }

    /// A delay of zero or less (`asyncio.sleep`'s bare-yield case).
    @inline(__always)
    static func isNonPositive(_ v: Value) -> Bool {
        switch v {
        case .int(let i): return i <= 0
        case .float(let d): return d <= 0
        default: return false
        }
    }

    /// The enter and exit methods of a context manager's class, looked up once per class and type
    /// epoch (a class changing its attributes bumps the epoch).
    func contextMethods(_ t: TypeObject, async: Bool, _ enterName: String, _ exitName: String) -> (Value?, Value?) {
        let i = async ? 1 : 0
        let epoch = hot.pointee.typeEpoch
        if t.contextEpoch[i] != epoch {
            t.contextMethods[i] = (t.lookup(enterName), t.lookup(exitName))
            t.contextEpoch[i] = epoch
        }
        return t.contextMethods[i]
    }

    /// `{a, b, ...}` from `count` stack slots (which stay rooted while they are hashed).
    func buildSet(_ items: UnsafeMutablePointer<Value>, count: Int) throws -> Value {
        let s = newSet()
        // Rooted while hashing (`__hash__` may run script code and collect); not in a stack slot:
        // a frame's stack has no room above its deepest point.
        tempRoots.append(Value(s))
        defer { tempRoots.removeLast() }
        for i in 0..<count { try s.add(items[i], self) }
        return Value(s)
    }

    /// `{k: v, ...}` from `pairs` key/value pairs of stack slots.
    func buildMap(_ items: UnsafeMutablePointer<Value>, pairs: Int) throws -> Value {
        let d = newDict()
        tempRoots.append(Value(d))
        defer { tempRoots.removeLast() }
        for i in 0..<pairs { try d.set(items[2 * i], items[2 * i + 1], self) }
        return Value(d)
    }

    /// A delay greater than zero (not NaN), as a number of seconds.
    @inline(__always)
    static func positiveDelay(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return i > 0 ? Double(i) : nil
        case .float(let d): return d > 0 ? d : nil
        default: return nil
        }
    }

    /// `await c` for a coroutine object that has not started (made first, awaited later): its frame
    /// moves onto the awaiting fiber, above the awaiter's, as if called there, and the awaiter
    /// resumes at `exit` with the result. False when `g` is anything else (it is then resumed as an
    /// iterator). The stack holds `[..., g, None]` (fiber.sp saved).
    func moveAwaited(_ g: GeneratorObj, onto fiber: Fiber, exit: Int) throws -> Bool {
        guard g.state == .created, g.type === types.coroutine, g.fiber.frameCount == 1 else { return false }
        if hot.pointee.depth >= hot.pointee.recursionLimit {
            g.state = .finished   // entered and left at once, as in CPython
            throw error(exc.recursionError, "maximum recursion depth exceeded")
        }
        let source = g.fiber
        let frame = source.frames[0]
        let code = frame.code.takeUnretainedValue()
        let slot = fiber.sp - 2
        let base = fiber.sp - 1
        fiber.reserve(base + code.frameSize + 1, frames: 1)
        for i in 0..<code.localCount { fiber.stack[base + i] = source.stack[i] }
        let caller = fiber.frames + (fiber.frameCount - 1)
        caller.pointee.ip = exit
        caller.pointee.sp = slot
        depth += 1
        _ = fiber.push(Frame(code: frame.code, function: frame.function, ip: 0, base: base, sp: base + code.localCount,
                             returnSlot: slot, namespace: Value(g), exit: .finishAwaited))
        fiber.sp = base + code.localCount
        source.clear(from: 0, to: source.sp)
        source.sp = 0
        source.pop()
        g.state = .delegated
        return true
    }

    /// Writes the dispatch loop's instruction and stack pointers back to the frame and fiber.
    @inline(__always)
    static func saveState(_ fp: UnsafeMutablePointer<Frame>, _ ip: Int, _ sp: UnsafeMutablePointer<Value>, _ fiber: Fiber) {
        fp.pointee.ip = ip
        let s = sp - fiber.stack
        fiber.sp = s
        fp.pointee.sp = s
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
    private func learnLoad(_ obj: Value, _ name: Value, _ value: Value, _ entry: UnsafeMutablePointer<AttrCacheEntry>) {
        Runtime.learnModuleLoad(obj, name, value, entry)
        guard let inst = obj.asObject(.instance, InstanceObj.self), inst.type !== types.superType,
              let n = name.asStr?.value else { return }
        let shape = inst.attributes.shape
        if let slot = shape.slot(of: n) { entry.pointee.fill(shape: shape, slot: slot) }
    }

    /// After a `storeAttr` missed its cache: remember a plain slot write, or a shared transition
    /// that added the name, when the class has no property that could intercept the store.
    private func learnStore(_ obj: Value, _ name: Value, _ before: Shape, _ entry: UnsafeMutablePointer<AttrCacheEntry>) {
        guard let inst = obj.asObject(.instance, InstanceObj.self), inst.type !== types.superType,
              let n = name.asStr?.value else { return }
        let t = inst.type, epoch = hot.pointee.typeEpoch
        // (A class with properties caches the stores of names that are not properties: the entry
        // is good until a class changes, which bumps the epoch.)
        guard t.propertiesEpoch == epoch else { return }
        if t.hasProperties, let p = t.lookup(n)?.asObject(.instance, InstanceObj.self), p.type === types.property { return }
        let after = inst.attributes.shape
        guard let slot = after.slot(of: n) else { return }
        if after === before {
            entry.pointee.fill(shape: after, slot: slot, epoch: epoch)
        } else if before.isShared, after.isShared, slot == before.count, after.count == before.count + 1 {
            entry.pointee.fill(shape: before, slot: slot, next: after, epoch: epoch)
        }
    }

    /// For `obj.name(...)` on an instance of a script class: the plain function the class defines,
    /// when the instance has no attribute of that name.
    @inline(__always) private func instanceMethod(_ obj: Value, _ nameValue: Value) -> Value? {
        guard let i = obj.asObject(.instance, InstanceObj.self), i.type.moduleName != nil,
              let name = nameValue.asStr?.value, i.attributes[name] == nil,
              let f = i.type.lookup(name), f.asFunction != nil else { return nil }
        return f
    }

    /// The identity of a receiver's class for the method cache; nil for receivers whose methods
    /// are not looked up on the class alone (modules, classes, instances, functions, exceptions).
    @inline(__always) private func typeKey(_ v: Value) -> UnsafeMutableRawPointer? {
        switch v {
        case .object(let u):
            return u._withUnsafeGuaranteedRef { o -> UnsafeMutableRawPointer? in
                switch o.kind {
                case .module, .type, .instance, .function, .exception: return nil
                default: return Unmanaged.passUnretained(o.type).toOpaque()
                }
            }
        case .int: return Unmanaged.passUnretained(types.int).toOpaque()
        case .float: return Unmanaged.passUnretained(types.float).toOpaque()
        case .bool: return Unmanaged.passUnretained(types.bool).toOpaque()
        default: return nil
        }
    }

    @inline(__always) private func cell(_ v: Value) -> CellObj {
        if case .object(let u) = v { return unsafeDowncast(u.takeUnretainedValue(), to: CellObj.self) }
        return heap.register(CellObj(.null, type: types.cell))
    }

    private func unboundLocal(_ code: CodeObj, _ slot: Int) -> ScriptError {
        let name = slot < code.code.localNames.count ? code.code.localNames[slot] : "?"
        return error(exc.unboundLocalError, "cannot access local variable '\(name)' where it is not associated with a value")
    }

    private func unboundDeref(_ code: CodeObj, _ slot: Int) -> ScriptError {
        let name = slot < code.code.localNames.count ? code.code.localNames[slot] : "?"
        if slot >= code.localCount - code.code.freeCount {
            return error(exc.nameError, "cannot access free variable '\(name)' where it is not associated with a value in enclosing scope")
        }
        return error(exc.unboundLocalError, "cannot access local variable '\(name)' where it is not associated with a value")
    }
}

extension UnsafeMutablePointer where Pointee == Value {
    @inline(__always) var isNullValue: Bool { pointee.isNull }
}
