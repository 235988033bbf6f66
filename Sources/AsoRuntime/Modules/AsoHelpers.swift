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
            let own: AttributeTable
            if let i = args[0].asObject(.instance, InstanceObj.self) {
                own = i.attributes
            } else if let s = rt.nativeSubclassInstance(args[0]) {
                own = s.attributes
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
        m.set("format_exception", native("format_exception") { rt, args in
            // The traceback text CPython's traceback.format_exception gives for an exception.
            guard args.count == 1, let e = args[0].asException else { throw rt.typeError("format_exception() takes an exception") }
            return rt.newStr(rt.formatException(e))
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
