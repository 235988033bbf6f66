// The `signal` module, and `os.kill` / `os.getpid` (for a script that signals itself).
//
// One idea: a handler set here is the interpreter's, not the process's: the runtime keeps each
// signal's disposition (Runtime+Signals.swift) and runs it on its own thread at the next safepoint;
// the host relays the process's signals to it (the `aso` command relays SIGINT always, and any
// other signal once a script sets a handler for it). A signal sent to the script's own process
// goes to the interpreter directly and its handler runs before `os.kill` returns, as CPython's
// `PyErr_CheckSignals` after the call makes it.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Runtime {
    /// The signals the module names, with their numbers on this system.
    static let signalNames: [(String, Int32)] = [
        ("SIGHUP", SIGHUP), ("SIGINT", SIGINT), ("SIGQUIT", SIGQUIT), ("SIGILL", SIGILL), ("SIGTRAP", SIGTRAP),
        ("SIGABRT", SIGABRT), ("SIGBUS", SIGBUS), ("SIGFPE", SIGFPE), ("SIGKILL", SIGKILL), ("SIGUSR1", SIGUSR1),
        ("SIGSEGV", SIGSEGV), ("SIGUSR2", SIGUSR2), ("SIGPIPE", SIGPIPE), ("SIGALRM", SIGALRM), ("SIGTERM", SIGTERM),
        ("SIGCHLD", SIGCHLD), ("SIGCONT", SIGCONT), ("SIGSTOP", SIGSTOP), ("SIGTSTP", SIGTSTP), ("SIGTTIN", SIGTTIN),
        ("SIGTTOU", SIGTTOU), ("SIGURG", SIGURG), ("SIGXCPU", SIGXCPU), ("SIGXFSZ", SIGXFSZ), ("SIGVTALRM", SIGVTALRM),
        ("SIGPROF", SIGPROF), ("SIGWINCH", SIGWINCH), ("SIGIO", SIGIO), ("SIGSYS", SIGSYS),
    ]
    /// `signal.NSIG`.
    static let signalCount: Int32 = 65

    func makeSignalModule() -> ModuleObj {
        let m = newModule("signal", file: nil)
        for (name, number) in Runtime.signalNames { m.set(name, .int(Int(number))) }
        m.set("NSIG", .int(Int(Runtime.signalCount)))
        m.set("SIG_DFL", .int(0))
        m.set("SIG_IGN", .int(1))
        let defaultIntHandler = native("default_int_handler") { rt, args in
            throw ScriptError(exception: rt.newException(rt.exc.keyboardInterrupt, nil))
        }
        m.set("default_int_handler", defaultIntHandler)
        // What getsignal says of a signal `loop.add_signal_handler` handles.
        let loopHandlerNoop = native("_sighandler_noop") { _, _ in .none }
        extraRoots.append { $0.mark(loopHandlerNoop) }

        /// The value `getsignal` and `signal` return for a disposition.
        func handlerValue(_ d: SignalDisposition) -> Value {
            switch d {
            case .defaultAction: return .int(0)
            case .ignore: return .int(1)
            case .keyboardInterrupt: return defaultIntHandler
            case .call(let f): return f
            case .loopHandle: return loopHandlerNoop
            }
        }
        m.set("signal", native("signal") { rt, args in
            try rt.noKeywords(args, "signal")
            try rt.checkCount(args.count, "signal", min: 2, max: 2)
            let n = try rt.signalNumber(args[0])
            let handler = args[1]
            let disposition: SignalDisposition
            if handler.isIdentical(to: defaultIntHandler) {
                disposition = .keyboardInterrupt
            } else if case .int(let i) = handler, i == 0 || i == 1 {
                disposition = i == 0 ? .defaultAction : .ignore
            } else if rt.isCallable(handler) {
                disposition = .call(handler)
            } else {
                throw rt.typeError("signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a callable object")
            }
            if n == SIGKILL || n == SIGSTOP { throw try rt.osError(EINVAL) }
            let old = handlerValue(rt.signalDisposition(n))
            rt.signalDispositions[n] = disposition
            if case .defaultAction = disposition {} else { rt.options.relaySignal?(n) }
            return old
        })
        m.set("getsignal", native("getsignal") { rt, args in
            try rt.noKeywords(args, "getsignal")
            try rt.checkCount(args.count, "getsignal", min: 1, max: 1)
            return handlerValue(rt.signalDisposition(try rt.signalNumber(args[0])))
        })
        m.set("raise_signal", native("raise_signal") { rt, args in
            try rt.noKeywords(args, "raise_signal")
            try rt.checkCount(args.count, "raise_signal", min: 1, max: 1)
            try rt.signalSelf(try rt.signalNumber(args[0]))
            return .none
        })
        m.set("strsignal", native("strsignal") { rt, args in
            try rt.noKeywords(args, "strsignal")
            try rt.checkCount(args.count, "strsignal", min: 1, max: 1)
            let n = try rt.signalNumber(args[0])
            guard let text = strsignal(n) else { return .none }
            return rt.newStr(String(cString: text))
        })
        m.set("valid_signals", native("valid_signals") { rt, args in
            try rt.checkCount(args.count, "valid_signals", min: 0, max: 0)
            let s = rt.newSet(frozen: false)
            for n in 1..<Runtime.signalCount where n < 32 || n >= 34 {  // 32 and 33 belong to the C library
                try s.add(.int(Int(n)), rt)
            }
            return Value(s)
        })
        return m
    }

    /// A signal number argument: an int in 1..<NSIG ("signal number out of range" otherwise).
    func signalNumber(_ v: Value) throws -> Int32 {
        let i = try machineIntOperand(v)
        guard i >= 1 && i < Int(Runtime.signalCount) else { throw valueError("signal number out of range") }
        return Int32(i)
    }

    /// A signal sent to the script's own process: to the interpreter, whose handler runs now.
    func signalSelf(_ n: Int32) throws {
        signals.raise(n)
        try handleSignals()
    }

    /// `OSError(errno, strerror)` of the right subclass (ProcessLookupError for ESRCH, ...).
    func osError(_ number: Int32) throws -> ScriptError {
        let type: TypeObject
        switch number {
        case ESRCH: type = exc.byName["ProcessLookupError"] ?? exc.osError
        case EPERM: type = exc.byName["PermissionError"] ?? exc.osError
        default: type = exc.osError
        }
        let e = try call(Value(type), [.int(Int(number)), newStr(String(cString: strerror(number)))])
        guard let x = e.asException else { return runtimeError("OSError") }
        return ScriptError(exception: x)
    }

    /// `os.getpid()` and `os.kill(pid, sig)` (installed on the `os` module).
    func installProcessFunctions(_ m: ModuleObj) {
        m.set("getpid", native("getpid") { rt, args in
            try rt.checkCount(args.count, "getpid", min: 0, max: 0)
            return .int(Int(getpid()))
        })
        m.set("kill", native("kill") { rt, args in
            try rt.noKeywords(args, "kill")
            try rt.checkCount(args.count, "kill", min: 2, max: 2)
            let pid = try rt.machineIntOperand(args[0])
            let sig = try rt.machineIntOperand(args[1])
            guard let p = Int32(exactly: pid), let s = Int32(exactly: sig) else { throw rt.overflowError("signed integer is greater than maximum") }
            if p == getpid() && s > 0 && s < Runtime.signalCount && s != SIGKILL && s != SIGSTOP {
                try rt.signalSelf(s)
                return .none
            }
            // An embedding host may keep its scripts from signalling processes (Host/).
            guard rt.options.processControl else { throw try rt.osError(EPERM) }
            if kill(p, s) != 0 { throw try rt.osError(errno) }
            return .none
        })
    }
}
