// The `json` module: dumps, loads and JSONDecodeError.
//
// One idea: the module is thin; it reads the keyword options the way `json.dumps` does (indent
// as a count or a string, separators defaulting to `(',', ': ')` when indenting) and hands the
// work to `JSONEncoder` and `JSONParser`. JSONDecodeError is a ValueError subclass whose class
// lives in `json.decoder`, as its name in tracebacks shows.

extension Runtime {
    func makeJsonModule() -> ModuleObj {
        let m = newModule("json", file: nil)
        let errorType = heap.register(TypeObject(name: "JSONDecodeError", base: exc.valueError, isException: true, metatype: types.type))
        errorType.moduleName = "json.decoder"
        errorType.construct = { rt, args in
            guard let cls = args[0].asType else { return .none }
            let n = args.count - 1
            if n != 3 {
                throw rt.typeError("JSONDecodeError.__init__() missing \(max(0, 3 - n)) required positional argument\(3 - n == 1 ? "" : "s")")
            }
            let msg = try rt.str(args[1])
            let doc = args[2]
            guard let pos = rt.indexValue(args[3]) else { throw rt.typeError("'\(rt.typeName(args[3]))' object cannot be interpreted as an integer") }
            let e = rt.jsonDecodeError(cls, msg, doc, doc.asStr?.value ?? "", pos)
            return Value(e)
        }
        m.set("JSONDecodeError", Value(errorType))
        m.set("loads", native("loads") { rt, args in
            guard args.count == 1 else {
                throw rt.typeError(args.count == 0 ? "loads() missing 1 required positional argument: 's'" : "loads() takes 1 positional argument but \(args.count) were given")
            }
            var objectHook = Value.null, pairsHook = Value.null
            for kw in args.keywords {
                switch kw.name {
                case "object_hook": objectHook = kw.value
                case "object_pairs_hook": pairsHook = kw.value
                case "cls", "parse_float", "parse_int", "parse_constant", "strict":
                    throw rt.typeError("json.loads() argument '\(kw.name)' is not supported")
                default: throw rt.typeError("JSONDecoder.__init__() got an unexpected keyword argument '\(kw.name)'")
                }
            }
            return try rt.jsonLoads(args[0], errorType: errorType, objectHook: objectHook, pairsHook: pairsHook)
        })
        m.set("dumps", native("dumps") { rt, args in
            guard args.count == 1 else {
                throw rt.typeError(args.count == 0 ? "dumps() missing 1 required positional argument: 'obj'" : "dumps() takes 1 positional argument but \(args.count) were given")
            }
            let obj = args[0]
            var indent: String? = nil
            var separators: (String, String)? = nil
            var skipKeys = false, ensureASCII = true, allowNaN = true, sortKeys = false
            var defaultFn: Value = .none
            for kw in args.keywords {
                switch kw.name {
                case "indent":
                    if kw.value.isNone { indent = nil }
                    else if let s = kw.value.asStr { indent = s.value }
                    else if let n = rt.indexValue(kw.value) {
                        try rt.checkAllocation(n, elementSize: 1)
                        indent = String(repeating: " ", count: max(0, n))
                    } else { throw rt.typeError("can't multiply sequence by non-int of type '\(rt.typeName(kw.value))'") }
                case "separators":
                    if kw.value.isNone { break }
                    let parts = try rt.unpack(kw.value, count: 2)
                    guard let a = parts[0].asStr, let b = parts[1].asStr else {
                        throw rt.typeError("make_encoder() argument 5 must be str, not \(rt.typeName(parts[0].asStr == nil ? parts[0] : parts[1]))")
                    }
                    separators = (a.value, b.value)
                case "default": defaultFn = kw.value
                case "cls": if !kw.value.isNone { throw rt.typeError("json.dumps(cls=...) is not supported") }
                case "skipkeys": skipKeys = try rt.truthy(kw.value)
                case "ensure_ascii": ensureASCII = try rt.truthy(kw.value)
                case "allow_nan": allowNaN = try rt.truthy(kw.value)
                case "sort_keys": sortKeys = try rt.truthy(kw.value)
                // (Containers are always checked; the flag's truth is still read.)
                case "check_circular": _ = try rt.truthy(kw.value)
                default: throw rt.typeError("JSONEncoder.__init__() got an unexpected keyword argument '\(kw.name)'")
                }
            }
            let seps = separators ?? (indent == nil ? (", ", ": ") : (",", ": "))
            var enc = JSONEncoder(rt: rt, indent: indent, itemSeparator: seps.0, keySeparator: seps.1)
            enc.sortKeys = sortKeys
            enc.skipKeys = skipKeys
            enc.ensureASCII = ensureASCII
            enc.allowNaN = allowNaN
            enc.defaultFn = defaultFn
            rt.tempRoots.append(obj)
            rt.tempRoots.append(defaultFn)
            defer { rt.tempRoots.removeLast(2) }
            try enc.encode(obj, level: 0)
            return enc.result()
        })
        return m
    }
}
