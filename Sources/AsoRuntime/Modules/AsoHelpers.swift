// `_aso`: the few operations the library's Aso modules (copy, dataclasses, ...) need that the
// language itself does not give: an instance made without running `__init__`, and an instance's
// attributes read and written directly (past properties).

extension Runtime {
    func makeAsoHelpersModule() -> ModuleObj {
        let m = newModule("_aso", file: nil)
        m.set("new_instance", native("new_instance") { rt, args in
            guard args.count == 1, let t = args[0].asObject(.type, TypeObject.self) else {
                throw rt.typeError("new_instance() takes a class")
            }
            guard t.moduleName != nil, t.construct == nil, !t.isException, rt.nativeBase(t) == nil else {
                throw rt.typeError("cannot create '\(t.name)' instances without calling them")
            }
            return Value(rt.heap.register(InstanceObj(type: t)))
        })
        m.set("attributes", native("attributes") { rt, args in
            let d = rt.newDict()
            guard args.count == 1 else { return Value(d) }
            let own: [(String, Value)]
            if let i = args[0].asObject(.instance, InstanceObj.self) {
                own = i.attributes.pairs
            } else if let s = rt.nativeSubclassInstance(args[0]) {
                own = s.attributes.pairs
            } else {
                return Value(d)
            }
            for (k, v) in own { try d.set(rt.intern(k), v, rt) }
            return Value(d)
        })
        m.set("set_attribute", native("set_attribute") { rt, args in
            guard args.count == 3, let name = args[1].asStr else {
                throw rt.typeError("set_attribute() takes an instance, a name and a value")
            }
            if let i = args[0].asObject(.instance, InstanceObj.self) {
                i.attributes[name.value] = args[2]
            } else if let s = rt.nativeSubclassInstance(args[0]) {
                s.attributes[name.value] = args[2]
            } else {
                throw rt.typeError("set_attribute() takes an instance, a name and a value")
            }
            return .none
        })
        m.set("caller_outside", native("caller_outside") { rt, args in
            // (filename, line, function name) of the innermost running frame whose file is not
            // `file` (logging's record of where it was called from); None when there is none.
            guard args.count == 1, let file = args[0].asStr?.value else { throw rt.typeError("caller_outside() takes a file name") }
            var fibers: [Fiber] = []
            rt.activeFibers.forEach { fibers.append($0) }
            for fiber in fibers.reversed() {
                var i = fiber.frameCount - 1
                while i >= 0 {
                    let frame = fiber.frames[i]
                    let code = frame.code.takeUnretainedValue().code
                    if code.filename != file {
                        let line = code.location(at: max(0, frame.ip - 1)).line
                        return rt.newTuple([rt.newStr(code.filename), .int(line), rt.newStr(code.name)])
                    }
                    i -= 1
                }
            }
            return .none
        })
        m.set("stack", native("stack") { rt, args in
            // (filename, line, function name) of every running frame, outermost first
            // (traceback.extract_stack).
            var fibers: [Fiber] = []
            rt.activeFibers.forEach { fibers.append($0) }
            var frames: [Value] = []
            for fiber in fibers {
                for i in 0..<fiber.frameCount {
                    let frame = fiber.frames[i]
                    let code = frame.code.takeUnretainedValue().code
                    let line = code.location(at: max(0, frame.ip - 1)).line
                    frames.append(rt.newTuple([rt.newStr(code.filename), .int(line), rt.newStr(code.name)]))
                }
            }
            return rt.newList(frames)
        })
        m.set("format_exception", native("format_exception") { rt, args in
            // The traceback text CPython's traceback.format_exception gives for an exception.
            guard args.count == 1, let e = args[0].asException else { throw rt.typeError("format_exception() takes an exception") }
            return rt.newStr(rt.formatException(e))
        })
        m.set("format_exception_parts", native("format_exception_parts") { rt, args in
            // traceback.format_exception's list: (exception, limit or None, chain).
            guard args.count == 3, let e = args[0].asException else {
                throw rt.typeError("format_exception_parts() takes an exception, a limit and a flag")
            }
            let limit = args[1].isNone ? nil : try rt.intArgument(args[1])
            let parts = rt.formatExceptionParts(e, chain: try rt.truthy(args[2]), limit: limit)
            return rt.newList(parts.map { rt.newStr($0) })
        })
        m.set("format_exception_only", native("format_exception_only") { rt, args in
            guard args.count == 1, let e = args[0].asException else { throw rt.typeError("format_exception_only() takes an exception") }
            return rt.newStr(rt.exceptionOnly(e))
        })
        m.set("format_tb", native("format_tb") { rt, args in
            // traceback.format_tb's list for a traceback object: (tb, limit or None).
            guard args.count == 2, case .object(let u) = args[0], let tb = u.takeUnretainedValue() as? TracebackObj else {
                throw rt.typeError("format_tb() takes a traceback and a limit")
            }
            var entries = Array(tb.entries[tb.position...])
            if !args[1].isNone {
                let limit = try rt.intArgument(args[1])
                entries = limit >= 0 ? Array(entries.prefix(limit)) : Array(entries.suffix(-limit))
            }
            return rt.newList(rt.framePieces(entries).map { rt.newStr($0) })
        })
        m.set("source_line", native("source_line") { rt, args in
            // The source line `line` of a loaded file, stripped (as linecache and FrameSummary
            // give it); "" when unknown.
            guard args.count == 2, let file = args[0].asStr?.value else { throw rt.typeError("source_line() takes a file name and a line") }
            let line = try rt.intArgument(args[1])
            let text = rt.rawSourceLine(file, line) ?? ""
            return rt.newStr(text.trimmingCharacters(in: " \t\r\n\u{0C}\u{0B}"))
        })
        m.set("urandom", native("urandom") { rt, args in
            // `n` bytes from the system's secure generator (uuid4, secrets).
            guard args.count == 1 else { throw rt.typeError("urandom() takes one argument") }
            let n = try rt.intArgument(args[0])
            guard n >= 0 else { throw rt.valueError("negative argument not allowed") }
            guard n <= 1 << 24 else { throw rt.overflowError("urandom() argument too large") }
            var g = SystemRandomNumberGenerator()
            var bytes: [UInt8] = []
            bytes.reserveCapacity(n)
            for _ in 0..<n { bytes.append(UInt8(truncatingIfNeeded: g.next())) }
            return rt.newBytes(bytes)
        })
        return m
    }
}
