// `loop.add_signal_handler` and `loop.remove_signal_handler` (3.11's unix_events.py).
//
// One idea: the handler is a signal disposition like `signal.signal`'s (Runtime+Signals.swift),
// `.loopHandle`: when the signal reaches the interpreter, at its next safepoint, the handle made
// at registration (with the context current then) is scheduled on its loop's ready queue and runs
// there as any `call_soon` callback does, its exceptions going to the loop's exception handler. A
// cancelled handle removes itself when its signal next arrives; closing the loop removes them all.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Runtime {
    func installLoopSignalMethods() {
        let l = types.eventLoop
        l.dict["add_signal_handler"] = native("add_signal_handler", owner: "BaseEventLoop") { rt, args in
            try rt.noKeywords(args, "add_signal_handler")
            try rt.checkCount(args.count - 1, "add_signal_handler", min: 2, max: Int.max)
            let callback = args[2]
            if rt.isCoroutine(callback) || rt.isCoroutineFunction(callback) {
                throw rt.typeError("coroutines cannot be used with add_signal_handler()")
            }
            let sig = try rt.loopSignalNumber(args[1])
            guard let loop = rt.eventLoop(of: args[0]) else { throw rt.runtimeError("Event loop is closed") }
            if sig == SIGKILL || sig == SIGSTOP { throw rt.runtimeError("sig \(sig) cannot be caught") }
            let work = try rt.callbackWork(callback, Array(args.positional.dropFirst(3)), context: nil)
            let handle = rt.heap.register(HandleObj(work, when: nil, type: rt.types.handle))
            rt.signalDispositions[sig] = .loopHandle(handle, loop)
            rt.options.relaySignal?(sig)
            return .none
        }
        l.dict["remove_signal_handler"] = native("remove_signal_handler", owner: "BaseEventLoop") { rt, args in
            try rt.noKeywords(args, "remove_signal_handler")
            try rt.checkCount(args.count - 1, "remove_signal_handler", min: 1, max: 1)
            let sig = try rt.loopSignalNumber(args[1])
            guard let loop = rt.eventLoop(of: args[0]) else { return .bool(false) }
            return .bool(rt.removeLoopSignalHandler(sig, of: loop))
        }
    }

    /// unix_events' `_check_signal`.
    private func loopSignalNumber(_ v: Value) throws -> Int32 {
        guard case .int(let i) = v else {
            if case .bool(let b) = v { return try loopSignalNumber(.int(b ? 1 : 0)) }
            throw typeError("sig must be an int, not \(try repr(v))")
        }
        guard i >= 1 && i < Int(Runtime.signalCount) && (i < 32 || i >= 34) else {
            throw valueError("invalid signal number \(i)")
        }
        return Int32(i)
    }

    /// Puts back the default handling of `sig` if `loop` handles it; false when it did not.
    @discardableResult
    func removeLoopSignalHandler(_ sig: Int32, of loop: EventLoop) -> Bool {
        guard case .loopHandle(_, let owner)? = signalDispositions[sig], owner === loop else { return false }
        signalDispositions[sig] = sig == SIGINT ? .keyboardInterrupt : .defaultAction
        return true
    }

    /// Closing a loop removes its signal handlers.
    func removeLoopSignalHandlers(of loop: EventLoop) {
        for (sig, d) in signalDispositions {
            if case .loopHandle(_, let owner) = d, owner === loop { removeLoopSignalHandler(sig, of: loop) }
        }
    }

    /// The signal arrived: noted for the loop, as the C-level handler writes it to the self-pipe.
    func scheduleLoopSignalHandle(_ sig: Int32, _ handle: HandleObj, _ loop: EventLoop) {
        loop.signalled.append(sig)
    }

    /// An iteration begins with signals noted: the callback that reads the self-pipe joins the
    /// ready queue (before the due timers); when it runs, each signal's handle as registered then
    /// is scheduled (unix_events' `_process_self_data` and `_handle_signal`), so the callback
    /// runs an iteration later, and not at all if its handler was removed meanwhile.
    func scheduleSignalReader(_ loop: EventLoop) {
        let arrived = loop.signalled
        loop.signalled.removeAll()
        let reader = native("_read_from_self") { [unowned loop] rt, _ in
            for sig in arrived {
                guard case .loopHandle(let handle, let owner)? = rt.signalDispositions[sig], owner === loop else { continue }
                if handle.cancelled {
                    rt.removeLoopSignalHandler(sig, of: loop)
                } else {
                    loop.schedule(.handle(Unmanaged.passUnretained(handle)))
                }
            }
            return .none
        }
        callSoon(.call(reader, []), on: loop)
    }

    func isCoroutineFunction(_ v: Value) -> Bool {
        var callable = v
        if let bm = callable.asObject(.boundMethod, BoundMethodObj.self) { callable = bm.function }
        guard let f = callable.asFunction else { return false }
        return f.code.code.flags.contains(.coroutine)
    }
}
