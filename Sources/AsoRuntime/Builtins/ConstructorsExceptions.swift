// The constructor shared by BaseException and all its subclasses.
//
// One idea: an exception's `args` are its positional arguments, and the class is the one being
// instantiated (args[0]), so a subclass gets its own type. A few classes derive an attribute from
// the arguments as CPython does: SystemExit's `code` and StopIteration's `value`.

extension Runtime {
    func installExceptionConstructors() {
        let construct: NativeFn = { rt, args in
            guard let cls = args[0].asType else { return .none }
            if !args.keywords.isEmpty { throw rt.typeError("\(cls.name)() takes no keyword arguments") }
            let values = Array(args.positional.dropFirst())
            if cls.isSubtype(of: rt.exc.osError) { return Value(rt.makeOSError(cls, values)) }
            let e = rt.heap.register(ExceptionObj(type: cls, args: rt.newTuple(values)))
            if cls.isSubtype(of: rt.exc.systemExit) {
                let code: Value = values.isEmpty ? Value.none : values.count == 1 ? values[0] : e.args
                e.attributes["code"] = code
            } else if cls.isSubtype(of: rt.exc.stopIteration) || cls.isSubtype(of: rt.exc.stopAsyncIteration) {
                e.attributes["value"] = values.first ?? Value.none
            }
            return Value(e)
        }
        for t in exc.ordered + exc.asyncio { t.construct = construct }
        let group: NativeFn = { rt, args in try rt.makeExceptionGroup(args) }
        exc.baseExceptionGroup.construct = group
        exc.exceptionGroup.construct = group
    }

    /// `OSError(errno, strerror[, filename[, winerror[, filename2]]])`, as CPython builds it: with
    /// 2 to 5 arguments `args` keeps the first two and the rest become attributes, and plain
    /// `OSError` picks the subclass for the error number (`OSError(2, ...)` is a FileNotFoundError).
    func makeOSError(_ requested: TypeObject, _ values: [Value]) -> ExceptionObj {
        var cls = requested
        let described = values.count >= 2 && values.count <= 5
        if described, cls === exc.osError, case .int(let number) = values[0], let name = Runtime.osErrorSubclass(number),
           let sub = exc.byName[name] {
            cls = sub
        }
        let e = heap.register(ExceptionObj(type: cls, args: newTuple(described ? Array(values.prefix(2)) : values)))
        e.attributes["errno"] = described ? values[0] : .none
        e.attributes["strerror"] = described ? values[1] : .none
        let filename = described && values.count >= 3 ? values[2] : .none
        e.attributes["filename"] = filename
        e.attributes["filename2"] = described && values.count == 5 && !filename.isNone ? values[4] : .none
        return e
    }

    /// The OSError subclass CPython uses for an errno value (Linux numbering).
    static func osErrorSubclass(_ errno: Int) -> String? {
        switch errno {
        case 11, 114, 115: return "BlockingIOError"          // EAGAIN/EWOULDBLOCK, EALREADY, EINPROGRESS
        case 10: return "ChildProcessError"                    // ECHILD
        case 32, 108: return "BrokenPipeError"                 // EPIPE, ESHUTDOWN
        case 103: return "ConnectionAbortedError"              // ECONNABORTED
        case 111: return "ConnectionRefusedError"              // ECONNREFUSED
        case 104: return "ConnectionResetError"                // ECONNRESET
        case 17: return "FileExistsError"                      // EEXIST
        case 2: return "FileNotFoundError"                     // ENOENT
        case 4: return "InterruptedError"                      // EINTR
        case 21: return "IsADirectoryError"                    // EISDIR
        case 20: return "NotADirectoryError"                   // ENOTDIR
        case 1, 13: return "PermissionError"                   // EPERM, EACCES
        case 3: return "ProcessLookupError"                    // ESRCH
        case 110: return "TimeoutError"                        // ETIMEDOUT
        default: return nil
        }
    }

    /// `BaseExceptionGroup(message, exceptions)`: an ExceptionGroup when every exception is an
    /// Exception, as CPython's constructor decides.
    func makeExceptionGroup(_ args: Args) throws -> Value {
        guard var cls = args[0].asType else { return .none }
        if !args.keywords.isEmpty { throw typeError("\(cls.name)() takes no keyword arguments") }
        guard args.count == 3 else {
            throw typeError("BaseExceptionGroup.__new__() takes exactly 2 arguments (\(args.count - 1) given)")
        }
        guard let message = args[1].asStr else { throw typeError("argument 1 must be str, not \(typeName(args[1]))") }
        guard args[2].asList != nil || args[2].asTuple != nil else {
            throw typeError("second argument (exceptions) must be a sequence")
        }
        let items = try iterateToArray(args[2])
        if items.isEmpty { throw valueError("second argument (exceptions) must be a non-empty sequence") }
        var allExceptions = true
        for (i, item) in items.enumerated() {
            guard let e = item.asException else {
                throw valueError("Item \(i) of second argument (exceptions) is not an exception")
            }
            if !e.type.isSubtype(of: exc.exception) { allExceptions = false }
        }
        if cls === exc.baseExceptionGroup && allExceptions { cls = exc.exceptionGroup }
        if cls.isSubtype(of: exc.exceptionGroup) && !allExceptions {
            throw typeError("Cannot nest BaseExceptions in an ExceptionGroup")
        }
        let e = heap.register(ExceptionObj(type: cls, args: newTuple(args[1], args[2])))
        e.attributes["message"] = Value(message)
        e.attributes["exceptions"] = newTuple(items)
        return Value(e)
    }
}
