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
    /// what the statement raises instead (a TypeError for a value that is no exception).
    func raisedException(_ argc: Int, _ operands: UnsafeMutablePointer<Value>) throws -> (ExceptionObj, reraised: Bool) {
        switch argc {
        case 0:
            guard let e = handledException.asException else { throw runtimeError("No active exception to reraise") }
            return (e, true)
        case 1:
            return (try makeRaisable(operands.pointee), false)
        default:
            let e = try makeRaisable(operands.pointee)
            try setCause(e, (operands + 1).pointee)
            return (e, false)
        }
    }

    /// `reraise`: the exception `v` (an `except` or `finally` block's) raised again as it is.
    func reraisedException(_ v: Value) throws -> ExceptionObj {
        guard let e = v.asException else { throw runtimeError("reraise of a non-exception") }
        return e
    }

    /// `raise` and `reraise` in the dispatch loop: the exception goes straight to `unwind`, not
    /// through a Swift `throw` (which boxes an error that `unwind` then casts back). True when a
    /// handler took it (the loop reloads the top frame's state), false when it escaped the
    /// entry frame (`escaped` is set).
    @inline(never)
    func raiseInLoop(_ op: OpCode, _ arg: Int, _ sp: UnsafeMutablePointer<Value>, at ip: Int, _ fiber: Fiber,
                     escaped: inout ExceptionObj?) throws -> Bool {
        let e: ExceptionObj, reraised: Bool
        if case .reraise = op {
            (e, reraised) = (try reraisedException(sp.pointee), true)
        } else {
            (e, reraised) = try raisedException(arg, sp)
        }
        escaped = unwind(exception: e, reraised: reraised, at: ip, fiber)
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
    /// entry, no context).
    func unwind(exception raised: ExceptionObj, reraised: Bool, at ip: Int, _ fiber: Fiber) -> ExceptionObj? {
        // (`ip` is past the instruction that raised, except for a signal's handler that raised at a
        // function's entry, before its first instruction: that one is placed at the first.)
        var ip = max(ip, 1)
        var e = raised
        if !reraised {
            // (Room for a few frames at once: an exception usually crosses several.)
            if e.traceback.isEmpty { e.traceback.reserveCapacity(4) }
            e.traceback.append(TracebackEntry(code: fiber.frames[fiber.frameCount - 1].code.takeUnretainedValue().code, pc: ip - 1))
            if case .object = handledException, !handledException.isIdentical(to: Value(e)), e.context.isNone {
                e.context = handledException
            }
        }
        while true {
            let fp = fiber.frames + (fiber.frameCount - 1)
            let code = fp.pointee.code.takeUnretainedValue()
            if let h = code.code.handler(at: ip - 1) {
                let sp = fiber.stack + fp.pointee.base + code.localCount + h.depth
                sp.pointee = Value(e)
                Runtime.saveState(fp, h.target, sp + 1, fiber)
                return nil
            }
            let f = fp.pointee
            depth -= 1
            fiber.pop()
            if f.exit == .toHost {
                fiber.sp = f.base
                return e
            }
            // A coroutine frame run on its awaiter's fiber ends here, as its own would.
            if f.exit == .finishAwaited { finishAwaited(f.namespace) }
            if code.code.flags.contains(.coroutine) { e = leakedStopIteration(e, code.code.flags) }
            let caller = fiber.frames[fiber.frameCount - 1]
            ip = caller.ip
            e.traceback.append(TracebackEntry(code: caller.code.takeUnretainedValue().code, pc: ip - 1))
        }
    }
}
