// The `sys` module: argv, exit, stdout/stderr, version, limits and platform facts.
//
// One idea: `sys` reflects the interpreter instance, never the host process: argv comes from the
// runtime's options, and `sys.stdout`/`sys.stderr` are small file objects whose `write` goes to
// the runtime's output sinks, so an embedder that captures `print` also captures these.

extension Runtime {
    func makeSysModule() -> ModuleObj {
        let m = newModule("sys", file: nil)
        m.set("argv", newList(options.argv.map { newStr($0) }))
        m.set("maxsize", .int(Int.max))
        m.set("version", newStr("3.11.7 (Aso) [Swift]"))
        m.set("version_info", newTuple([.int(3), .int(11), .int(7), newStr("final"), .int(0)]))
        m.set("hexversion", .int(0x030B07F0))
        m.set("implementation_name", newStr("aso"))
        #if os(macOS)
        m.set("platform", newStr("darwin"))
        #else
        m.set("platform", newStr("linux"))
        #endif
        m.set("byteorder", newStr("little"))
        m.set("maxunicode", .int(0x10FFFF))
        m.set("path", newList([newStr(options.argv.first.map(directoryOf) ?? "")]))
        m.set("executable", newStr("aso"))
        m.set("exit", native("exit") { rt, args in
            if args.count > 1 { throw rt.typeError("exit expected at most 1 argument, got \(args.count)") }
            let argList: [Value] = args.count == 1 ? [args[0]] : []
            let e = rt.heap.register(ExceptionObj(type: rt.exc.systemExit, args: rt.newTuple(argList)))
            e.attributes["code"] = argList.first ?? Value.none
            throw ScriptError(exception: e)
        })
        m.set("getrecursionlimit", native("getrecursionlimit") { rt, _ in .int(rt.hot.pointee.recursionLimit) })
        m.set("setrecursionlimit", native("setrecursionlimit") { rt, args in
            guard args.count == 1 else { throw rt.typeError("sys.setrecursionlimit() takes exactly one argument (\(args.count) given)") }
            if case .float = args[0] { throw rt.typeError("'float' object cannot be interpreted as an integer") }
            let n = try rt.intArgument(args[0])
            if n < 1 { throw rt.valueError("recursion limit must be greater or equal than 1") }
            if n <= rt.depth {
                throw rt.error(rt.exc.recursionError, "cannot set the recursion limit to \(n) at the recursion depth \(rt.depth): the limit is too low")
            }
            rt.hot.pointee.recursionLimit = n
            return .none
        })
        m.set("get_int_max_str_digits", native("get_int_max_str_digits") { rt, args in
            try rt.checkCount(args.count, "get_int_max_str_digits", min: 0, max: 0)
            return .int(rt.intMaxStrDigits)
        })
        m.set("set_int_max_str_digits", native("set_int_max_str_digits") { rt, args in
            try rt.checkKeywords(args, ["maxdigits"], "set_int_max_str_digits")
            let given = args.count == 1 ? args[0] : args.keyword("maxdigits")
            guard args.count + args.keywords.count == 1, let v = given else {
                throw rt.typeError("set_int_max_str_digits() missing required argument 'maxdigits' (pos 1)")
            }
            if case .float = v { throw rt.typeError("'float' object cannot be interpreted as an integer") }
            let n = try rt.intArgument(v)
            if n != 0 && n < 640 { throw rt.valueError("maxdigits must be 0 or larger than 640") }
            rt.intMaxStrDigits = n
            return .none
        })
        m.set("exc_info", native("exc_info") { rt, _ in
            let e = rt.handledException
            if e.isNone || e.isNull { return rt.newTuple([.none, .none, .none]) }
            return rt.newTuple([Value(rt.typeOf(e)), e, try rt.getAttribute(e, rt.newStr("__traceback__"))])
        })
        m.set("exception", native("exception") { rt, args in
            try rt.checkCount(args.count, "exception", min: 0, max: 0)
            let e = rt.handledException
            return e.isNull ? Value.none : e
        })
        let fileType = heap.register(TypeObject(name: "TextIOWrapper", base: types.object, isException: false, metatype: types.type))
        fileType.moduleName = "_io"
        fileType.dict["write"] = native("write", owner: "TextIOWrapper") { rt, args in
            guard args.count == 2 else { throw rt.typeError("write() takes exactly one argument (\(max(0, args.count - 1)) given)") }
            guard let s = args[1].asStr else { throw rt.typeError("write() argument must be str, not \(rt.typeName(args[1]))") }
            let stream = args[0].asObject(.instance, InstanceObj.self)?.attributes["name"]?.asStr?.value
            try rt.chargeOutput(s.value.utf8.count)
            if stream == "<stderr>" {
                rt.writeErr(s.value)
            } else {
                rt.writeOut(s.value)
            }
            return .int(s.count)
        }
        fileType.dict["flush"] = native("flush", owner: "TextIOWrapper") { rt, args in
            // Standard error is written at once; standard output may sit in the host's buffer.
            if args.count >= 1, args[0].asObject(.instance, InstanceObj.self)?.attributes["name"]?.asStr?.value == "<stdout>" {
                rt.flushOut()
            }
            return .none
        }
        fileType.dict["isatty"] = native("isatty", owner: "TextIOWrapper") { _, _ in .bool(false) }
        for name in ["stdout", "stderr"] {
            let f = heap.register(InstanceObj(type: fileType))
            f.attributes["name"] = newStr("<\(name)>")
            f.attributes["mode"] = newStr("w")
            f.attributes["encoding"] = newStr("utf-8")
            m.set(name, Value(f))
            m.set("__\(name)__", Value(f))
        }
        return m
    }
}

/// The directory part of a path (`""` when there is none).
func directoryOf(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    let d = String(path[..<slash])
    return d.isEmpty ? "/" : d
}
