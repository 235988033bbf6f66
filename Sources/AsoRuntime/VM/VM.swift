// The dispatch loop.
//
// One idea: hot state (instruction pointer, stack pointer, locals, constants) lives in local
// variables over raw pointers; it is written back to the frame only before something that can
// switch frames, collect garbage or throw into the unwinder. A script-to-script call pushes a frame
// and continues this same loop (no Swift recursion); an exception unwinds through the exception
// tables of the frames, appending a traceback entry per frame. Each case is a few lines, or a call
// to helpers of its topic, inlined into this function (the hot state stays in its registers; a
// helper that changes it takes it `inout`):
//
//   VM+Operators.swift    binary and comparison operators, and their fused forms
//   VM+Names.swift        names, globals and cells
//   VM+Attributes.swift   attribute loads and stores, method loads (inline caches)
//   VM+Containers.swift   subscripts; building strings, sets, dicts and functions
//   VM+Iteration.swift    `for` loops
//   VM+Calls.swift        calls and their fast paths, returns
//   VM+Await.swift        `yield from`, `await` and its fast paths, `async for`
//   VM+With.swift         `with` and `async with`
//   VM+Unwind.swift       raising and unwinding
//
// What keeps the helpers as fast as code written here (measured with callgrind and perf):
// - Swift honours `@inline(__always)` into a function this large only for a helper of at most 64
//   basic blocks, counted after the helper's own inlining: a case calls its helpers itself, not
//   through one wrapper that calls them all, and a large topic is split (a cache hit, a lookup).
// - A helper gets the code object as `Unmanaged`: the loop's `unowned(unsafe)` reference passed as
//   a strong one costs a retain and a release around the whole inlined helper.
// - A fast path writes its result itself (a result returned and written by the case costs the
//   merge of the paths' values).
// - Opcodes and operators are matched by case patterns or by number: `==` and `rawValue` of
//   AsoBytecode's enums, from another module, are calls through their witnesses.

import AsoBytecode

/// What the dispatch loop does after a call of a script function or the general path of a call.
enum DispatchStep {
    /// The next instruction, after a safepoint (the call may have made objects).
    case safepoint
    /// The helper pushed a frame running `code` and set the loop's `fp`, `ip`, `locals` and `sp`;
    /// a safepoint, then the frame's first instruction.
    case entered(Unmanaged<CodeObj>)
    /// The fiber's top frame changed: the loop takes its state from the fiber, then a safepoint.
    case reload
}

extension Runtime {
    /// The first half of a fused instruction that starts with `loadFast arg`: pushes the local and
    /// takes the second instruction's argument from the next word (false, nothing done, when the
    /// local is unbound).
    @inline(__always)
    static func pushLocalThenNext(_ locals: UnsafeMutablePointer<Value>, _ arg: inout Int, _ words: UnsafeMutablePointer<UInt32>,
                                  _ ip: inout Int, _ sp: inout UnsafeMutablePointer<Value>) -> Bool {
        let v = locals[arg]
        if v.isNull { return false }
        sp.pointee = v
        sp += 1
        arg = Int(words[ip] >> 8)
        ip &+= 1
        return true
    }

    /// Runs `fiber` from its top frame until the entry frame returns or an exception escapes it.
    func run(_ fiber: Fiber, resume: Resume = .fresh) -> RunOutcome {
        var fp = fiber.frames + (fiber.frameCount - 1)
        unowned(unsafe) var code: CodeObj = fp.pointee.code.takeUnretainedValue()
        var words = code.words
        var consts = code.consts
        var ip = fp.pointee.ip
        var locals = fiber.stack + fp.pointee.base
        var sp = fiber.stack + fiber.sp
        /// The "attention at the next safepoint" flag: a collection, a signal (Runtime+Signals.swift).
        let collectionRequested = heap.requestFlag
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
                    // (A fused instruction sets it to its second word's before it falls through.)
                    var arg = Int(word >> 8)
                    let raw = UInt8(truncatingIfNeeded: word)
                    // Every opcode byte was checked when the code was loaded (CodeObj.validate).
                    let op = unsafeBitCast(raw, to: OpCode.self)
                    switch op {
                    case .nop, .returnGenerator:
                        // (Not an empty case: one would make the dispatch block its own
                        // successor, and the compiler would then keep a single dispatch for all
                        // instructions instead of one at the end of each; see Package.swift.)
                        fp.pointee.ip = ip
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
                    case .storeFast:
                        sp -= 1
                        locals[arg] = sp.pointee
                    case .storeFastStoreFast:
                        locals[arg] = (sp - 1).pointee
                        locals[Int(words[ip] >> 8)] = (sp - 2).pointee
                        ip &+= 1
                        sp -= 2
                    case .storeFastLoadFast:
                        locals[arg] = (sp - 1).pointee
                        let second = Int(words[ip] >> 8)
                        ip &+= 1
                        let v = locals[second]
                        if v.isNull { throw unboundLocal(code, second) }
                        (sp - 1).pointee = v
                    case .deleteFast:
                        if locals[arg].isNull { throw unboundLocal(code, arg) }
                        locals[arg] = .null
                    case .loadDeref:
                        let v = cellContents(locals[arg])
                        if v.isNull { throw unboundDeref(code, arg) }
                        sp.pointee = v
                        sp += 1
                    case .storeDeref:
                        sp -= 1
                        setCellContents(locals[arg], sp.pointee)
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
                        copyFreeVariables(arg, fp, Unmanaged.passUnretained(code), locals)
                    case .loadGlobal:
                        var v = code.module.storage.pointee[Int(code.globalSlots[arg])]
                        if v.isNull {
                            let b = Int(code.builtinSlots[arg])
                            if b >= 0 { v = builtins.storage.pointee[b] }
                            if v.isNull { throw notDefined(code, arg) }
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
                            if v.isNull { throw notDefined(code, arg) }
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
                        if code.module.storage.pointee[slot].isNull { throw notDefined(code, arg) }
                        code.module.storage.pointee[slot] = .null
                    case .loadName:
                        sp.pointee = try lookUpName(arg, Unmanaged.passUnretained(code), fp)
                        sp += 1
                    case .storeName:
                        sp -= 1
                        if let d = fp.pointee.namespace.asDict { try d.set(code.nameValues[arg], sp.pointee, self) }
                        else { code.module.storage.pointee[Int(code.globalSlots[arg])] = sp.pointee }
                    case .deleteName:
                        if let d = fp.pointee.namespace.asDict, try d.remove(code.nameValues[arg], self) == nil {
                            throw notDefined(code, arg)
                        }

                    case .loadFastLoadAttr:
                        // Falls through to the attribute load, with its word's argument.
                        if !Runtime.pushLocalThenNext(locals, &arg, words, &ip, &sp) { throw unboundLocal(code, arg) }
                        fallthrough
                    case .loadAttr:
                        if try cachedLoadAttr(arg, Unmanaged.passUnretained(code), fiber, fp, ip, sp) {
                            // A property's getter: the loop goes on in its frame.
                            (fp, code, words, consts, ip, locals, sp) = Runtime.topState(fiber)
                            if collectionRequested.pointee { try safepoint(fp, ip, sp, fiber) }
                        }
                    case .storeAttr:
                        sp -= 2
                        try cachedStoreAttr(arg, Unmanaged.passUnretained(code), fiber, fp, ip, sp)
                    case .deleteAttr:
                        sp -= 1
                        Runtime.saveState(fp, ip, sp + 1, fiber)
                        try deleteAttribute(sp.pointee, code.nameValues[arg])
                    case .loadFastLoadMethod:
                        if !Runtime.pushLocalThenNext(locals, &arg, words, &ip, &sp) { throw unboundLocal(code, arg) }
                        fallthrough
                    case .loadMethod:
                        if !cachedBuiltinMethod(Unmanaged.passUnretained(code), ip, sp)
                            && !cachedLoadMethod(arg, Unmanaged.passUnretained(code), ip, sp) {
                            try lookUpMethod(arg, Unmanaged.passUnretained(code), fiber, fp, ip, sp)
                        }
                        sp += 1
                    case .binarySubscr:
                        sp -= 1
                        if Runtime.listItem((sp - 1).pointee, sp.pointee, into: sp - 1) { continue }
                        Runtime.saveState(fp, ip, sp + 1, fiber)
                        (sp - 1).pointee = try getItem((sp - 1).pointee, sp.pointee)
                    case .binarySlice:
                        sp -= arg
                        let step = arg == 3 ? (sp + 2).pointee : .none
                        if let v = slice((sp - 1).pointee, sp.pointee, (sp + 1).pointee, step) {
                            (sp - 1).pointee = v
                            continue
                        }
                        Runtime.saveState(fp, ip, sp + arg, fiber)
                        try sliceSlowly(sp - 1, step: step)
                    case .storeSlice:
                        sp -= 4
                        if Runtime.storeSlice(sp) { continue }
                        Runtime.saveState(fp, ip, sp + 4, fiber)
                        try storeSliceSlowly(sp)
                    case .storeSubscr:
                        sp -= 3
                        if Runtime.storeListItem((sp + 1).pointee, (sp + 2).pointee, sp.pointee) { continue }
                        Runtime.saveState(fp, ip, sp + 3, fiber)
                        try setItem((sp + 1).pointee, (sp + 2).pointee, sp.pointee)
                    case .deleteSubscr:
                        sp -= 2
                        Runtime.saveState(fp, ip, sp + 2, fiber)
                        try deleteItem(sp.pointee, (sp + 1).pointee)

                    case .call, .callKw, .callEx:
                        // A plain `call` of a script or native function has a fast path. (One case for
                        // all three opcodes: the optimizer must not assume which one runs the slow path.)
                        let step: DispatchStep
                        switch op.isCall ? Runtime.objectAndKind(Runtime.calleeSlot(sp, arg).pointee) : nil {
                        case let (u, .native)?:
                            // (`await asyncio.sleep(d)` leaves the loop here.)
                            if let outcome = try callNativeFast(u, arg, fiber, Unmanaged.passUnretained(code), words, fp, ip, &sp) {
                                return outcome
                            }
                            continue
                        case let (u, .function)?:
                            step = try callFunctionFast(u, arg, fiber, Unmanaged.passUnretained(code), words, &fp, &ip, &locals, &sp)
                        default: step = try callSlowly(op, arg, fiber, fp, ip, &locals, &sp)
                        }
                        switch step {
                        case .safepoint:
                            if collectionRequested.pointee { try safepoint(fp, ip, sp, fiber) }
                        case .entered(let callee):
                            code = callee.takeUnretainedValue()
                            words = code.words
                            consts = code.consts
                            if collectionRequested.pointee { try safepoint(fp, ip, sp, fiber) }
                        case .reload:
                            (fp, code, words, consts, ip, locals, sp) = Runtime.topState(fiber)
                            if collectionRequested.pointee { try safepoint(fp, ip, sp, fiber) }
                        }
                    case .binaryOpReturn:
                        sp -= 1
                        let a = (sp - 1).pointee, b = sp.pointee, bop = BinaryOperator(argument: arg)
                        if !Runtime.addOrSubtractInts(bop, a, b, into: sp - 1) {
                            Runtime.saveState(fp, ip, sp + 1, fiber)
                            (sp - 1).pointee = try binaryOp(bop, a, b)
                        }
                        fallthrough
                    case .returnFast:
                        if op.number == OpCode.returnFast.number {
                            let v = locals[arg]
                            if v.isNull { throw unboundLocal(code, arg) }
                            sp.pointee = v
                            sp += 1
                        }
                        fallthrough
                    case .returnValue:
                        sp -= 1
                        let result = sp.pointee
                        guard let caller = try popFrame(fiber, result, &fp, &ip, &locals, &sp) else { return .returned(result) }
                        code = caller.takeUnretainedValue()
                        words = code.words
                        consts = code.consts
                    case .makeFunction:
                        try makeFunction(arg, &sp)

                    case .loadConstBinaryOp, .loadFastBinaryOp, .loadFastLoadFastBinaryOp:
                        // The right operand (both, for two locals: the second word's local), then
                        // the operator with its word's argument.
                        if op.number == OpCode.loadConstBinaryOp.number {
                            sp.pointee = consts[arg]
                            sp += 1
                            arg = Int(words[ip] >> 8)
                            ip &+= 1
                        } else {
                            if op.number == OpCode.loadFastLoadFastBinaryOp.number,
                               !Runtime.pushLocalThenNext(locals, &arg, words, &ip, &sp) { throw unboundLocal(code, arg) }
                            if !Runtime.pushLocalThenNext(locals, &arg, words, &ip, &sp) { throw unboundLocal(code, arg) }
                        }
                        fallthrough
                    case .binaryOp:
                        sp -= 1
                        let a = (sp - 1).pointee, b = sp.pointee, bop = BinaryOperator(argument: arg)
                        if case .int(let x) = a, case .int(let y) = b {
                            if Runtime.intArithmetic(bop, x, y, into: sp - 1) { continue }
                        } else if case .float(let x) = a, case .float(let y) = b {
                            if Runtime.floatArithmetic(bop, x, y, into: sp - 1) { continue }
                        }
                        Runtime.saveState(fp, ip, sp + 1, fiber)
                        (sp - 1).pointee = try binaryOp(bop, a, b)
                    case .loadFastConstBinaryOp:
                        // `local <op> constant`: the next two words are the constant's and the operator's.
                        let a = locals[arg], b = consts[Int(words[ip] >> 8)]
                        let bop = BinaryOperator(argument: Int(words[ip &+ 1] >> 8))
                        ip &+= 2
                        if case .int(let x) = a, case .int(let y) = b, Runtime.intArithmetic(bop, x, y, into: sp) { sp += 1; continue }
                        if a.isNull { throw unboundLocal(code, arg) }
                        sp.pointee = try binaryOp(bop, a, b)
                        sp += 1
                    case .compareOp:
                        sp -= 1
                        let a = (sp - 1).pointee, b = sp.pointee, cmp = ComparisonOperator(argument: arg)
                        if case .int(let x) = a, case .int(let y) = b { (sp - 1).pointee = .bool(Runtime.intCompare(x, y, cmp)); continue }
                        Runtime.saveState(fp, ip, sp + 1, fiber)
                        (sp - 1).pointee = try compare(a, b, cmp)
                    case .compareOpJumpIfFalse:
                        sp -= 2
                        let a = sp.pointee, b = (sp + 1).pointee, cmp = ComparisonOperator(argument: arg)
                        let r: Bool
                        if case .int(let x) = a, case .int(let y) = b { r = Runtime.intCompare(x, y, cmp) }
                        else { r = try compareToBool(cmp, a, b, fiber, fp, ip, sp + 2) }
                        ip = r ? ip &+ 1 : Int(words[ip] >> 8)
                    case .loadFastConstCompareJump:
                        // `if local <op> constant:`: the next three words are the constant's, the
                        // operator's and the jump's (state saved at the operator's, for its position).
                        let a = locals[arg], b = consts[Int(words[ip] >> 8)]
                        let cmp = ComparisonOperator(argument: Int(words[ip &+ 1] >> 8))
                        let r: Bool
                        if case .int(let x) = a, case .int(let y) = b { r = Runtime.intCompare(x, y, cmp) } else {
                            if a.isNull { throw unboundLocal(code, arg) }
                            r = try compareToBool(cmp, a, b, fiber, fp, ip &+ 2, sp)
                        }
                        ip = r ? ip &+ 3 : Int(words[ip &+ 2] >> 8)
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
                        // A signal's handler raises at the jump (the loop's last line), as CPython's does.
                        if arg < ip, collectionRequested.pointee { try safepoint(fp, ip, sp, fiber) }
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
                    case .jumpForIter:
                        // A loop's jump back, then its `forIter` (the jump's target) at once.
                        if arg < ip, collectionRequested.pointee { try safepoint(fp, ip, sp, fiber) }
                        ip = arg &+ 1
                        arg = Int(words[arg] >> 8)
                        fallthrough
                    case .forIter:
                        if try !forIterNext(fiber, fp, words, &ip, &sp) { ip = arg }

                    case .buildTuple:
                        let made = tupleOutOfLine(UnsafeBufferPointer(start: sp - arg, count: arg))
                        sp -= arg
                        sp.pointee = made
                        sp += 1
                    case .buildList:
                        let made = listOutOfLine(UnsafeBufferPointer(start: sp - arg, count: arg))
                        sp -= arg
                        sp.pointee = made
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
                        sp -= arg
                        sp.pointee = concatenate(sp, count: arg)
                        sp += 1
                    case .buildSlice:
                        let step: Value = arg == 3 ? (sp - 1).pointee : .none
                        sp -= arg
                        sp.pointee = Value(heap.register(SliceObj(start: sp.pointee, stop: (sp + 1).pointee, step: step, type: types.slice)))
                        sp += 1
                    case .listAppend:
                        sp -= 1
                        (sp - arg).pointee.asList?.append(sp.pointee)
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
                        try extendList((sp - arg).pointee, sp.pointee)
                    case .setUpdate:
                        sp -= 1
                        Runtime.saveState(fp, ip, sp, fiber)
                        // CPython's set_update: a set merges table to table (its order shows).
                        if let s = (sp - arg).pointee.asSet {
                            tempRoots.append(sp.pointee)
                            defer { tempRoots.removeLast() }
                            try setUpdate(s, from: sp.pointee)
                        } else {
                            _ = try iterateToArray(sp.pointee)
                        }
                    case .dictUpdate, .dictMerge:
                        sp -= 1
                        Runtime.saveState(fp, ip, sp, fiber)
                        guard let d = (sp - arg).pointee.asDict else { break }
                        let merge = op.number == OpCode.dictMerge.number
                        try mergeMapping(into: d, sp.pointee, noDuplicates: merge, callee: merge ? (sp - arg - 3).pointee : .null)
                    case .listToTuple:
                        // Just before a star call (`f(*xs)`) the list stays as it is: the call takes
                        // its items and frees them once the arguments are bound. (A tuple would
                        // stay until the next collection; the list is the compiler's own temporary.)
                        if ip < code.wordCount, words[ip] & 0xFF == OpCode.callEx.number { break }
                        (sp - 1).pointee = tupleOutOfLine((sp - 1).pointee.asList?.items.buffer ?? .empty)
                    case .unpackSequence:
                        sp -= 1
                        if Runtime.unpackInPlace(sp.pointee, count: arg, into: sp) { sp += arg; continue }
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

                    case .raiseVarargs, .reraise:
                        if case .reraise = op { sp -= 1 } else { sp -= arg }
                        var escaped: ExceptionObj? = nil
                        if try !raiseInLoop(op, arg, sp, at: ip, fiber, escaped: &escaped), let e = escaped { return .raised(e) }
                        (fp, code, words, consts, ip, locals, sp) = Runtime.topState(fiber)
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
                    case .checkEgMatch:
                        Runtime.saveState(fp, ip, sp, fiber)
                        let (rest, match) = try exceptionGroupMatch((sp - 2).pointee, (sp - 1).pointee)
                        if !match.isNone {
                            (sp - 2).pointee = rest
                            handledException = match
                        }
                        (sp - 1).pointee = match
                    case .prepReraiseStar:
                        sp -= 1
                        Runtime.saveState(fp, ip, sp + 1, fiber)
                        (sp - 1).pointee = try prepareReraiseStar((sp - 1).pointee, sp.pointee)
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
                    case .loadBuildClass:
                        sp.pointee = builtins.get("__build_class__") ?? .none
                        sp += 1

                    case .yieldValue:
                        sp -= 1
                        let v = sp.pointee
                        if let sink = generatorSink, sink.fiber == Unmanaged.passUnretained(fiber).toOpaque(), Runtime.offer(v, to: sink.take) {
                            // Taken by the native consumer draining this generator: resumed with
                            // None, as its `next` would.
                            sp.pointee = .none
                            sp += 1
                            break
                        }
                        Runtime.saveState(fp, ip, sp, fiber)
                        return .yielded(v)
                    case .getYieldFromIter:
                        if (sp - 1).pointee.asObject(.generator, GeneratorObj.self) == nil {
                            Runtime.saveState(fp, ip, sp, fiber)
                            (sp - 1).pointee = try iterate((sp - 1).pointee)
                        }
                    case .send:
                        if try sendInstruction(arg, fiber, fp, &ip, &sp) {
                            // An unstarted coroutine's frame moved onto this fiber: it runs now.
                            (fp, code, words, consts, ip, locals, sp) = Runtime.topState(fiber)
                            if collectionRequested.pointee { try safepoint(fp, ip, sp, fiber) }
                        }
                    case .getAwaitable:
                        Runtime.saveState(fp, ip, sp, fiber)
                        (sp - 1).pointee = try awaitable((sp - 1).pointee, from: arg)
                    case .getAIter:
                        Runtime.saveState(fp, ip, sp, fiber)
                        (sp - 1).pointee = try asyncIterator((sp - 1).pointee)
                    case .getANext:
                        try asyncNext(fiber, fp, ip, &sp)
                    case .endAsyncFor:
                        // The loop's exception handler: StopAsyncIteration ends the loop.
                        sp -= 1
                        guard let e = sp.pointee.asException else { throw runtimeError("bad async for exception") }
                        if !e.type.isSubtype(of: exc.stopAsyncIteration) { throw Reraise(exception: e) }
                        sp -= 1
                    case .asyncGenWrap:
                        // Marks a value an async generator yields to its consumer (not to the loop).
                        (sp - 1).pointee = wrapAsyncYield((sp - 1).pointee)
                    case .beforeWith, .beforeAsyncWith:
                        if try enterWith(op.number == OpCode.beforeAsyncWith.number, fiber, Unmanaged.passUnretained(code), words, fp, ip, &locals, &sp) {
                            // A coroutine `__aenter__`'s frame was pushed: it runs now.
                            (fp, code, words, consts, ip, locals, sp) = Runtime.topState(fiber)
                            if collectionRequested.pointee { try safepoint(fp, ip, sp, fiber) }
                        }
                    case .withExceptStart:
                        Runtime.saveState(fp, ip, sp, fiber)
                        sp.pointee = try callExit((sp - 3).pointee, (sp - 1).pointee)
                        sp += 1
                    }
                }
            } catch {
                if let e = unwind(error, at: ip, fiber) { return .raised(e) }
                (fp, code, words, consts, ip, locals, sp) = Runtime.topState(fiber)
            }
        }
    }

    /// The running state of a fiber's top frame, for the dispatch loop's locals.
    @inline(__always)
    static func topState(_ fiber: Fiber) -> (UnsafeMutablePointer<Frame>, CodeObj, UnsafeMutablePointer<UInt32>,
                                              UnsafeMutablePointer<Value>, Int, UnsafeMutablePointer<Value>, UnsafeMutablePointer<Value>) {
        let fp = fiber.frames + (fiber.frameCount - 1)
        let code = fp.pointee.code.takeUnretainedValue()
        return (fp, code, code.words, code.consts, fp.pointee.ip, fiber.stack + fp.pointee.base, fiber.stack + fp.pointee.sp)
    }

    /// Writes the dispatch loop's instruction and stack pointers back to the frame and fiber.
    @inline(__always)
    static func saveState(_ fp: UnsafeMutablePointer<Frame>, _ ip: Int, _ sp: UnsafeMutablePointer<Value>, _ fiber: Fiber) {
        fp.pointee.ip = ip
        let s = slotIndex(sp, in: fiber.stack)
        fiber.sp = s
        fp.pointee.sp = s
    }

    /// The index of stack slot `p` in a stack starting at `base` (a shift: the distance is always
    /// a whole number of slots, so no rounding toward zero is needed).
    @inline(__always)
    static func slotIndex(_ p: UnsafeMutablePointer<Value>, in base: UnsafeMutablePointer<Value>) -> Int {
        (Int(bitPattern: p) &- Int(bitPattern: base)) &>> MemoryLayout<Value>.stride.trailingZeroBitCount
    }

    /// The callee's slot of a call with `arg` arguments (`sp - arg - 2`, the callee and the self
    /// slot below them), without the overflow check of negating `arg` (a count of arguments on
    /// the stack: never negative, so its negation cannot overflow).
    @inline(__always)
    static func calleeSlot(_ sp: UnsafeMutablePointer<Value>, _ arg: Int) -> UnsafeMutablePointer<Value> {
        sp.advanced(by: ~arg &- 1)
    }
}

extension OpCode {
    /// The opcode's number, as in an instruction word (its raw value: the cases are in order from
    /// 0, so it is the tag). The dispatch loop matches opcodes by case patterns and numbers: `==`
    /// and `rawValue` of an enum of another module are calls through its witnesses.
    @inline(__always)
    var number: UInt32 { UInt32(unsafeBitCast(self, to: UInt8.self)) }

    /// `call` (not `callKw` or `callEx`).
    @inline(__always)
    var isCall: Bool { number == OpCode.call.number }
}

extension UnsafeMutablePointer where Pointee == Value {
    @inline(__always) var isNullValue: Bool { pointee.isNull }
}
