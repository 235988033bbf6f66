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
    /// `raiseVarargs`: what `raise` (`argc` 0: the exception being handled), `raise e` (1) or
    /// `raise e from cause` (2) throws; the operands are at `operands`.
    func raiseError(_ argc: Int, _ operands: UnsafeMutablePointer<Value>) throws -> any Error {
        switch argc {
        case 0:
            guard let e = handledException.asException else { return runtimeError("No active exception to reraise") }
            return Reraise(exception: e)
        case 1:
            return ScriptError(exception: try makeRaisable(operands.pointee))
        default:
            let e = try makeRaisable(operands.pointee)
            try setCause(e, (operands + 1).pointee)
            return ScriptError(exception: e)
        }
    }

    /// `reraise`: the exception `v` (an `except` or `finally` block's) raised again as it is.
    func reraiseError(_ v: Value) -> any Error {
        guard let e = v.asException else { return runtimeError("reraise of a non-exception") }
        return Reraise(exception: e)
    }

    /// Unwinds `fiber` for `error`, thrown at the instruction before `ip` of its top frame: nil when
    /// a handler takes it (the handler's frame is then the top one, its state saved with the
    /// exception pushed), or the exception that escaped the entry frame (popped).
    @inline(__always)
    func unwind(_ error: any Error, at ip: Int, _ fiber: Fiber) -> ExceptionObj? {
        // (`ip` is past the instruction that raised, except for a signal's handler that raised at a
        // function's entry, before its first instruction: that one is placed at the first.)
        var ip = max(ip, 1)
        var e: ExceptionObj
        var reraised = false
        // (A raise, the common case, is tried first: each failed cast is a dynamic cast's cost.)
        if let se = error as? ScriptError {
            e = se.exception
        } else if let r = error as? Reraise {
            e = r.exception
            reraised = true
        } else {
            e = newException(exc.runtimeError, "\(error)")
        }
        if !reraised {
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
