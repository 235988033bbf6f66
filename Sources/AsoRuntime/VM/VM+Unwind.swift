// Raising and unwinding in the dispatch loop.
//
// One idea: whatever an instruction throws ends in `unwind`, which looks for a handler in the
// exception table of the top frame, then of each caller, popping the frames it leaves and adding a
// traceback entry for each; a frame entered from native code (`exit: .toHost`) ends the search and
// the exception escapes `run`. A bare re-raise throws `Reraise`, which adds no entry and no context.

import AsoBytecode

/// A bare re-raise (`raise` in an `except` block, the end of a `finally` or of an `except` that did
/// not match): the exception goes on as it is, with no new traceback entry and no new context.
struct Reraise: Error, @unchecked Sendable {
    let exception: ExceptionObj
}

extension Runtime {
    /// `raiseVarargs`: the exception `raise` (`argc` 0: the exception being handled, re-raised),
    /// `raise e` (1) or `raise e from cause` (2) raises; the operands are at `operands`. Throws
    /// what the statement raises instead (a TypeError for a value that is no exception). The
    /// exception is unmanaged: it is on the stack, or the handled one, or just made (and no
    /// collection runs before `unwind` stores it).
    func raisedException(_ argc: Int, _ operands: UnsafeMutablePointer<Value>) throws -> (Unmanaged<ExceptionObj>, reraised: Bool) {
        switch argc {
        case 0:
            guard let e = Runtime.exception(in: handledException) else { throw runtimeError("No active exception to reraise") }
            return (e, true)
        case 1:
            if let e = Runtime.exception(in: operands.pointee) { return (e, false) }
            return (Unmanaged.passUnretained(try makeRaisable(operands.pointee)), false)
        default:
            let e = try makeRaisable(operands.pointee)
            try setCause(e, (operands + 1).pointee)
            return (Unmanaged.passUnretained(e), false)
        }
    }

    /// The exception `v` is, unmanaged (no reference counting); nil when it is none.
    @inline(__always) static func exception(in v: Value) -> Unmanaged<ExceptionObj>? {
        guard case .object(let u) = v, u._withUnsafeGuaranteedRef({ $0.kind == .exception }) else { return nil }
        return Unmanaged.fromOpaque(u.toOpaque())
    }

    /// `raise` and `reraise` in the dispatch loop: the exception goes straight to `unwind`, not
    /// through a Swift `throw` (which boxes an error that `unwind` then casts back). True when a
    /// handler took it (the loop reloads the top frame's state), false when it escaped the
    /// entry frame (`escaped` is set).
    @inline(never)
    func raiseInLoop(_ op: OpCode, _ arg: Int, _ sp: UnsafeMutablePointer<Value>, at ip: Int, _ fiber: Fiber,
                     escaped: inout ExceptionObj?) throws -> Bool {
        let e: Unmanaged<ExceptionObj>, reraised: Bool
        if case .reraise = op {
            // `reraise`: the exception of an `except` or `finally` block raised again as it is.
            guard let x = Runtime.exception(in: sp.pointee) else { throw runtimeError("reraise of a non-exception") }
            (e, reraised) = (x, true)
        } else {
            (e, reraised) = try raisedException(arg, sp)
        }
        escaped = e._withUnsafeGuaranteedRef { unwind(exception: $0, reraised: reraised, at: ip, fiber) }
        return escaped == nil
    }

    /// Unwinds `fiber` for `error`, thrown at the instruction before `ip` of its top frame: nil when
    /// a handler takes it (the handler's frame is then the top one, its state saved with the
    /// exception pushed), or the exception that escaped the entry frame (popped).
    @inline(__always)
    func unwind(_ error: any Error, at ip: Int, _ fiber: Fiber) -> ExceptionObj? {
        // (A raise, the common case, is tried first: each failed cast is a dynamic cast's cost.)
        if let se = error as? ScriptError { return unwind(exception: se.exception, reraised: false, at: ip, fiber) }
        if let r = error as? Reraise { return unwind(exception: r.exception, reraised: true, at: ip, fiber) }
        return unwind(exception: newException(exc.runtimeError, "\(error)"), reraised: false, at: ip, fiber)
    }

    /// `unwind` for the exception `raised`, re-raised as it is when `reraised` (no traceback
    /// entry, no context). (Objects are used borrowed throughout: the exception is the caller's,
    /// the code objects are the frames'.)
    func unwind(exception raised: ExceptionObj, reraised: Bool, at ip: Int, _ fiber: Fiber) -> ExceptionObj? {
        // (`ip` is past the instruction that raised, except for a signal's handler that raised at a
        // function's entry, before its first instruction: that one is placed at the first.)
        var ip = max(ip, 1)
        var e = Unmanaged.passUnretained(raised)
        if !reraised {
            let top = fiber.frames[fiber.frameCount - 1].code
            e._withUnsafeGuaranteedRef { x in
                // (Room for a few frames at once: an exception usually crosses several.)
                if x.traceback.isEmpty { x.traceback.reserveCapacity(4) }
                x.traceback.append(TracebackEntry(top, pc: ip - 1))
                if case .object(let h) = handledException, h.toOpaque() != e.toOpaque(), x.context.isNone {
                    x.context = handledException
                }
            }
        }
        while true {
            let fp = fiber.frames + (fiber.frameCount - 1)
            let handler = fp.pointee.code._withUnsafeGuaranteedRef { c in
                c.code.handler(at: ip - 1).map { (target: $0.target, depth: $0.depth, locals: c.localCount) }
            }
            if let h = handler {
                let sp = fiber.stack + fp.pointee.base + h.locals + h.depth
                sp.pointee = .object(Unmanaged<Obj>.fromOpaque(e.toOpaque()))
                Runtime.saveState(fp, h.target, sp + 1, fiber)
                return nil
            }
            let f = fp.pointee
            depth -= 1
            fiber.pop()
            if f.exit == .toHost {
                fiber.sp = f.base
                return e.takeUnretainedValue()
            }
            // A coroutine frame run on its awaiter's fiber ends here, as its own would.
            if f.exit == .finishAwaited { finishAwaited(f.namespace) }
            let flags = f.code._withUnsafeGuaranteedRef { $0.code.flags }
            if flags.contains(.coroutine) {
                // (Unmanaged like the rest: no collection runs before it is stored in a frame
                // or returned, since the collector runs only at safepoints.)
                e = Unmanaged.passUnretained(e._withUnsafeGuaranteedRef { leakedStopIteration($0, flags) })
            }
            let caller = fiber.frames[fiber.frameCount - 1]
            ip = caller.ip
            e._withUnsafeGuaranteedRef { $0.traceback.append(TracebackEntry(caller.code, pc: ip - 1)) }
        }
    }
}
