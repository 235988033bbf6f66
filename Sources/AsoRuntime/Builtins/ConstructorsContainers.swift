// Constructors of the container types: str, list, tuple, dict, set, frozenset, bytes.
//
// One idea: every container is filled from `collectValues` (which roots what it gathers and raises
// MemoryError instead of growing without bound), and a container under construction sits on
// `tempRoots` while hashing or iteration may run script code. Text <-> bytes conversions go through
// the codecs in ConstructorsCodecs.swift.

extension Runtime {
    /// `str(v)`: a plain str as it is, an int's digits, else `str()`'s text.
    func strObject(_ v: Value) throws -> Value {
        if case .int(let n) = v { return newASCIIStr(decimalString(n)) }
        if let s = v.asStr, !s.isNativeSubclass { return v }
        return newStr(try str(v))
    }

    func installContainerConstructors() {
        types.str.construct = { rt, args in
            // `str(x)`: no binding of the three parameters.
            if args.keywords.isEmpty, args.count == 2 { return try rt.strObject(args[1]) }
            let p = try rt.bindParameters(Array(args.positional.dropFirst()), args.keywords, "str",
                                          ["object", "encoding", "errors"], required: 0)
            if p[0].isNull { return rt.newStr("") }
            if p[1].isNull && p[2].isNull { return try rt.strObject(p[0]) }
            guard let b = p[0].asBytes else {
                throw rt.typeError("decoding to str: need a bytes-like object, \(rt.typeName(p[0])) found")
            }
            let encoding = try rt.codecArgument(p[1], "str", 2, dflt: "utf-8")
            let errors = try rt.codecArgument(p[2], "str", 3, dflt: "strict")
            return rt.newStr(try rt.decodeBytes(b.bytes, encoding: encoding, errors: errors))
        }
        types.list.construct = { rt, args in
            try rt.noKeywords(args, "list")
            try rt.checkCount(args.count - 1, "list", min: 0, max: 1)
            if args.count == 1 { return rt.newList([]) }
            return Value(try rt.iterateToList(args[1], lengthHint: true))
        }
        types.tuple.construct = { rt, args in
            try rt.noKeywords(args, "tuple")
            try rt.checkCount(args.count - 1, "tuple", min: 0, max: 1)
            if args.count == 1 { return rt.newTuple([]) }
            if let t = args[1].asTuple, !t.isNativeSubclass { return args[1] }
            if let items = try rt.sequenceItems(args[1], lengthHint: true) { return rt.newTuple(items) }
            return rt.newTuple(try rt.iterateToList(args[1], lengthHint: true).items.buffer)
        }
        types.dict.construct = { rt, args in
            try rt.checkCount(args.count - 1, "dict", min: 0, max: 1)
            let source: Value? = args.count == 2 ? args[1] : nil
            let keywords = args.keywords
            let d = rt.newDict()
            rt.tempRoots.append(Value(d))
            defer { rt.tempRoots.removeLast() }
            if let s = source { try rt.dictUpdate(d, from: s) }
            for kw in keywords { try d.set(rt.intern(kw.name), kw.value, rt) }
            return Value(d)
        }
        types.set.construct = { rt, args in
            try rt.noKeywords(args, "set")
            try rt.checkCount(args.count - 1, "set", min: 0, max: 1)
            return Value(try rt.buildSet(args.count == 2 ? args[1] : nil, frozen: false))
        }
        types.frozenset.construct = { rt, args in
            try rt.noKeywords(args, "frozenset")
            try rt.checkCount(args.count - 1, "frozenset", min: 0, max: 1)
            if args.count == 2, let o = args[1].object, o.kind == .frozenset, !o.isNativeSubclass { return args[1] }
            return Value(try rt.buildSet(args.count == 2 ? args[1] : nil, frozen: true))
        }
        types.bytes.construct = { rt, args in
            let p = try rt.bindParameters(Array(args.positional.dropFirst()), args.keywords, "bytes",
                                          ["source", "encoding", "errors"], required: 0)
            return rt.newBytes(try rt.bytesFrom(p[0], encoding: p[1], errors: p[2]))
        }
    }

    /// `dict(source)` / `d.update(source)`: a dict, a mapping with `keys()`, or an iterable of pairs.
    func dictUpdate(_ d: DictObj, from source: Value) throws {
        if let src = source.asDict {
            for (k, v) in src.entries { try d.set(k, v, self) }
            return
        }
        if case .object(let u) = source, u.takeUnretainedValue().kind == .instance,
           let keysMethod = try findAttribute(source, "keys") {
            let keys = try collectValues(try call(keysMethod, []))
            tempRoots.append(contentsOf: keys)
            defer { tempRoots.removeLast(keys.count) }
            for k in keys { try d.set(k, try getItem(source, k), self) }
            return
        }
        let it = try iterate(source)
        tempRoots.append(it)
        defer { tempRoots.removeLast() }
        var index = 0
        while let item = try next(it) {
            guard isIterable(item) else {
                throw typeError("cannot convert dictionary update sequence element #\(index) to a sequence")
            }
            tempRoots.append(item)
            defer { tempRoots.removeLast() }
            let pair = try collectValues(item)
            if pair.count != 2 {
                throw valueError("dictionary update sequence element #\(index) has length \(pair.count); 2 is required")
            }
            try d.set(pair[0], pair[1], self)
            index += 1
            if index & 0xFFF == 0 { try checkAllocation(d.count, elementSize: 56) }
        }
    }

    /// A new set or frozenset holding the values of `source` (empty when nil).
    func buildSet(_ source: Value?, frozen: Bool) throws -> SetObj {
        let s = newSet(frozen: frozen)
        guard let source else { return s }
        tempRoots.append(Value(s))
        defer { tempRoots.removeLast() }
        // A range's size is known up front: too big is a MemoryError before any work.
        if let r = source.asObject(.range, RangeObj.self) { try checkAllocation(r.length, elementSize: 40) }
        try setUpdate(s, from: source)
        return s
    }

    /// `bytes(source, encoding, errors)`; absent arguments are `.null`.
    func bytesFrom(_ source: Value, encoding: Value, errors: Value, name: String = "bytes") throws -> [UInt8] {
        // The arguments' types are checked first (`bytes(1, 2)` is about the encoding).
        _ = try codecArgument(encoding, name, 2, dflt: "utf-8")
        _ = try codecArgument(errors, name, 3, dflt: "strict")
        if source.isNull {
            if !encoding.isNull { throw typeError("encoding without a string argument") }
            if !errors.isNull { throw typeError("errors without a string argument") }
            return []
        }
        if let s = source.asStr {
            if encoding.isNull { throw typeError("string argument without an encoding") }
            let enc = try codecArgument(encoding, name, 2, dflt: "utf-8")
            let err = try codecArgument(errors, name, 3, dflt: "strict")
            return try encodeString(s.value, encoding: enc, errors: err)
        }
        if !encoding.isNull { throw typeError("encoding without a string argument") }
        if !errors.isNull { throw typeError("errors without a string argument") }
        if let b = source.asBytes { return b.bytes }
        switch source {
        case .int, .bool:
            let n = try machineIntOperand(source)
            if n < 0 { throw valueError("negative count") }
            try checkAllocation(n, elementSize: 1)
            return [UInt8](repeating: 0, count: n)
        case .object(let u) where u.takeUnretainedValue().kind == .bigint:
            throw overflowError("cannot fit 'int' into an index-sized integer")
        default: break
        }
        guard isIterable(source) else {
            throw typeError("cannot convert '\(typeName(source))' object to \(name)")
        }
        var out: [UInt8] = []
        for v in try collectValues(source) {
            let b = try integerOperand(v)
            guard let x = UInt8(exactly: b) else { throw valueError(name == "bytes" ? "bytes must be in range(0, 256)" : "byte must be in range(0, 256)") }
            out.append(x)
        }
        return out
    }

    /// An `encoding`/`errors` argument: a str, or the default when absent.
    func codecArgument(_ v: Value, _ fn: String, _ position: Int, dflt: String) throws -> String {
        if v.isNull { return dflt }
        guard let s = v.asStr else {
            throw typeError("\(fn)() argument '\(position == 2 ? "encoding" : "errors")' must be str, not \(typeName(v))")
        }
        return s.value
    }
}
