// Awaiting in the dispatch loop: `send` (one step of `yield from` and `await`), the calls that are
// awaited at once, `await asyncio.sleep(d)`, and `async for`.
//
// One idea: `await f(x)` of a coroutine function pushes the coroutine's frame on the awaiting
// fiber as a call does, and the caller resumes after the `await` when it returns (no coroutine
// object is made); a coroutine object made earlier and awaited later has its frame moved onto the
// awaiter's fiber. The compiler emits every `await` as the loop `getAwaitable; loadConst None;
// send exit; yieldValue; jump send`, so a call knows it is awaited by the words that follow it.

import AsoBytecode

/// What `awaitedCall` did.
enum AwaitedCall {
    /// The call is not awaited at once (or the coroutine function takes other arguments).
    case notAwaited
    /// Done without waiting (`CodeObj.awaitFast`): the `await`'s value is in the callee's slot
    /// and the loop's `ip` is past the `await`.
    case done
    /// Push the coroutine's frame (there is room now); the caller resumes at `resumeAt`.
    case push(resumeAt: Int)
}

extension Runtime {
    /// A call of coroutine function `cu` with `nargs` arguments at `argStart` (its callee slot
    /// `calleeSlot`, the first argument at stack index `base`; its frame would end at `frameEnd`),
    /// when the `await` loop follows: the library's `awaitFast` coroutines that need not wait are
    /// done here; any other gets room for its frame on this fiber (a task's fiber starts small).
    @inline(__always)
    func awaitedCall(_ cu: Unmanaged<CodeObj>, _ calleeSlot: UnsafeMutablePointer<Value>, _ argStart: UnsafeMutablePointer<Value>,
                     _ nargs: Int, base: Int, frameEnd: Int, _ fiber: Fiber, _ codeRef: Unmanaged<CodeObj>, _ words: UnsafeMutablePointer<UInt32>,
                     _ fp: inout UnsafeMutablePointer<Frame>, _ ip: inout Int,
                     _ locals: inout UnsafeMutablePointer<Value>, _ sp: inout UnsafeMutablePointer<Value>) throws -> AwaitedCall {
        guard cu._withUnsafeGuaranteedRef({ $0.awaitArgCount == nargs }), let exit = codeRef._withUnsafeGuaranteedRef({ Runtime.awaitExit(words, ip, $0) }) else {
            return .notAwaited
        }
        if cu._withUnsafeGuaranteedRef({ $0.awaitFast != .none }) {
            Runtime.saveState(fp, ip, sp, fiber)
            if let v = try awaitWithoutWaiting(cu, argStart) {
                // Done without waiting: the `await`'s value, at its exit.
                calleeSlot.pointee = v
                sp = calleeSlot + 1
                ip = exit
                return .done
            }
        }
        if frameEnd >= fiber.capacity || fiber.frameCount >= fiber.frameCapacity {
            // A task's fiber starts small: grow it (frames and stack move).
            Runtime.saveState(fp, ip, sp, fiber)
            fiber.reserve(frameEnd &+ 1, frames: 1)
            fp = fiber.frames + (fiber.frameCount &- 1)
            locals = fiber.stack + fp.pointee.base
            sp = fiber.stack + base + nargs
        }
        return .push(resumeAt: exit)
    }

    /// A call of `asyncio.sleep` (NativeFastPath.asyncioSleep) with one argument, `delay`, when
    /// the bare `await` loop follows: what `run` returns; nil otherwise (the call is made). The
    /// `await` loop is entered at its `yieldValue`, with a finished awaitable as its iterator
    /// (nothing is made): resuming the task sends to it, and it returns None.
    @inline(__always)
    func awaitSleep(_ delay: Value, _ calleeSlot: UnsafeMutablePointer<Value>, _ fiber: Fiber, _ codeRef: Unmanaged<CodeObj>,
                    _ words: UnsafeMutablePointer<UInt32>, _ fp: UnsafeMutablePointer<Frame>, _ ip: Int,
                    _ sp: inout UnsafeMutablePointer<Value>) -> RunOutcome? {
        guard let done = sleepZeroDone, codeRef._withUnsafeGuaranteedRef({ Runtime.awaitYield(words, ip, $0) }) else { return nil }
        let outcome: RunOutcome
        if Runtime.isNonPositive(delay) {
            // `await asyncio.sleep(0)`: the one bare yield of asyncio's `__sleep0`.
            outcome = .yielded(.none)
        } else if let d = Runtime.positiveDelay(delay), sleepTask(on: fiber, delay: d) {
            // `await asyncio.sleep(d)` in a task's own chain: the task is parked on a timer of its own.
            outcome = .parked
        } else {
            return nil
        }
        calleeSlot.pointee = done
        sp = calleeSlot + 1
        Runtime.saveState(fp, ip &+ 4, sp, fiber)
        return outcome
    }

    /// `send`: sends the value on top of the stack to the iterator below it. Its next value
    /// replaces the sent one (the `yieldValue` that follows passes it out); when it returns, both
    /// go, its result is pushed and the loop continues at `exit`. True when the iterator was a
    /// coroutine that had not started and its frame moved onto this fiber (the loop reloads).
    @inline(__always)
    func sendInstruction(_ exit: Int, _ fiber: Fiber, _ fp: UnsafeMutablePointer<Frame>, _ ip: inout Int,
                         _ sp: inout UnsafeMutablePointer<Value>) throws -> Bool {
        Runtime.saveState(fp, ip, sp, fiber)
        let sent = (sp - 1).pointee, it = (sp - 2).pointee
        var result: Value? = nil
        if case .object(let u) = it, u._withUnsafeGuaranteedRef({ $0.kind == .generator }) {
            // A coroutine awaited before it started: its frame moves onto this fiber.
            if sent.isNone, try Unmanaged<GeneratorObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef({
                try self.moveAwaited($0, onto: fiber, exit: exit)
            }) {
                return true
            }
            // Resumed without reference counting on the generator.
            let r = try Unmanaged<GeneratorObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef {
                try self.resume($0, sending: sent)
            }
            switch r {
            case .yielded(let y): (sp - 1).pointee = y
            case .returned(let r): result = r
            case .parked: throw parkedOutsideTask()
            }
        } else if case .object(let u) = it, Value.isAwaitable(u) {
            switch try u._withUnsafeGuaranteedRef({ try $0.resume(self, nil) }) {
            case .yielded(let y): (sp - 1).pointee = y
            case .returned(let r): result = r
            case .parked: throw parkedOutsideTask()
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
            ip = exit
        }
        return false
    }

    /// `getAIter`: `obj.__aiter__()`, checked to have `__anext__`.
    @inline(__always)
    func asyncIterator(_ obj: Value) throws -> Value {
        guard let aiter = try specialMethod(obj, "__aiter__") else {
            throw typeError("'async for' requires an object with __aiter__ method, got \(typeName(obj))")
        }
        let it = try call(aiter, [])
        if try specialMethod(it, "__anext__") == nil {
            throw typeError("'async for' received an object from __aiter__ that does not implement __anext__: \(typeName(it))")
        }
        return it
    }

    /// `getANext`: pushes the awaitable of `__anext__()` of the async iterator on top of the stack.
    @inline(__always)
    func asyncNext(_ fiber: Fiber, _ fp: UnsafeMutablePointer<Frame>, _ ip: Int, _ sp: inout UnsafeMutablePointer<Value>) throws {
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
        guard ip &+ 2 < code.wordCount, words[ip] & 0xFF == OpCode.getAwaitable.number else { return nil }
        let send = words[ip &+ 2]
        guard send & 0xFF == OpCode.send.number else { return nil }
        return Int(send >> 8)
    }

    /// True when the call just made is awaited at once and its `await` loop is the usual
    /// `getAwaitable 0; loadConst None; send; yieldValue; jump`.
    @inline(__always)
    static func awaitYield(_ words: UnsafeMutablePointer<UInt32>, _ ip: Int, _ code: CodeObj) -> Bool {
        guard ip &+ 4 < code.wordCount, awaitExit(words, ip, code) != nil else { return false }
        return words[ip &+ 3] & 0xFF == OpCode.yieldValue.number && words[ip &+ 4] & 0xFF == OpCode.jump.number
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
        guard g.state == .created, g.hasType(types.coroutine), g.fiber.frameCount == 1 else { return false }
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
}
