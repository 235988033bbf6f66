// Constructors of the scalar types: int, float, bool, and of range, slice and object.
//
// One idea: text is parsed by the formatting library (`parseInt`, `parseFloat`: CPython's grammar,
// underscores, whitespace, the 4300-digit limit), numbers convert exactly (`doubleToInteger`,
// `bigIntToDouble`); the constructors add the argument rules and the TypeErrors for everything else.
// A constructor receives the class being built as args[0], then the call's arguments.

import BigInt

extension Runtime {
    func installNumberConstructors() {
        types.int.construct = { rt, args in
            let p = try rt.bindParameters(Array(args.positional.dropFirst()), args.keywords, "int", ["x", "base"],
                                          required: 0, positionalOnly: 1)
            if p[0].isNull {
                if !p[1].isNull { throw rt.typeError("int() missing string argument") }
                return .int(0)
            }
            if p[1].isNull { return try rt.toInt(p[0]) }
            let base = try rt.integerOperand(p[1])
            let b = Int(exactly: base) ?? -1
            if let s = p[0].asStr {
                return rt.intValue(try rt.converting { () throws(FormatError) in try parseInt(s.value, base: b, maxStrDigits: rt.intMaxStrDigits) })
            }
            if let bytes = p[0].asBytes { return try rt.intFromBytes(bytes.bytes, base: b) }
            throw rt.typeError("int() can't convert non-string with explicit base")
        }
        types.float.construct = { rt, args in
            try rt.noKeywords(args, "float")
            try rt.checkCount(args.count - 1, "float", min: 0, max: 1)
            if args.count == 1 { return .float(0) }
            return .float(try rt.toFloat(args[1]))
        }
        types.bool.construct = { rt, args in
            try rt.noKeywords(args, "bool")
            try rt.checkCount(args.count - 1, "bool", min: 0, max: 1)
            if args.count == 1 { return .bool(false) }
            return .bool(try rt.truthy(args[1]))
        }
        types.range.construct = { rt, args in
            try rt.noKeywords(args, "range")
            try rt.checkCount(args.count - 1, "range", min: 1, max: 3)
            if let r = Runtime.machineRange(args, type: rt.types.range) { return Value(rt.heap.register(r)) }
            var ints: [BigInt] = []
            for i in 1..<args.count {
                guard let b = try rt.bigValue(args[i]) ?? rt.indexFromDunder(args[i]).flatMap(rt.bigValue) else {
                    throw rt.typeError("'\(rt.typeName(args[i]))' object cannot be interpreted as an integer")
                }
                ints.append(b)
            }
            let make = { (a: BigInt, b: BigInt, c: BigInt) in Value(rt.heap.register(RangeObj.make(a, b, c, type: rt.types.range))) }
            switch ints.count {
            case 1: return make(0, ints[0], 1)
            case 2: return make(ints[0], ints[1], 1)
            default:
                if ints[2].isZero { throw rt.valueError("range() arg 3 must not be zero") }
                return make(ints[0], ints[1], ints[2])
            }
        }
        types.slice.construct = { rt, args in
            try rt.noKeywords(args, "slice")
            try rt.checkCount(args.count - 1, "slice", min: 1, max: 3)
            let a = Array(args.positional.dropFirst())
            let (start, stop, step): (Value, Value, Value) =
                a.count == 1 ? (.none, a[0], .none) : (a[0], a[1], a.count == 3 ? a[2] : .none)
            return Value(rt.heap.register(SliceObj(start: start, stop: stop, step: step, type: rt.types.slice)))
        }
        types.object.construct = { rt, args in
            guard let cls = args[0].asType else { return .none }
            if cls === rt.types.none { return .none }
            if cls !== rt.types.object && cls.moduleName == nil {
                throw rt.typeError("cannot create '\(cls.name)' instances")
            }
            if cls === rt.types.object && (args.count > 1 || !args.keywords.isEmpty) {
                throw rt.typeError("object() takes no arguments")
            }
            return rt.newInstance(of: cls)
        }
    }

    /// `int(x)` with one argument.
    func toInt(_ v: Value) throws -> Value {
        switch v {
        case .int: return v
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d): return intValue(try converting { () throws(FormatError) in try doubleToInteger(d) })
        default:
            if isIntegral(v) { return v }
            if let s = v.asStr { return intValue(try converting { () throws(FormatError) in try parseInt(s.value, maxStrDigits: intMaxStrDigits) }) }
            if let b = v.asBytes { return try intFromBytes(b.bytes, base: 10) }
            if let c = numberCore(v), userMethod(v, "__int__") == nil, userMethod(v, "__index__") == nil { return try toInt(c) }
            for method in ["__int__", "__index__"] {
                if case .object(let u) = v, u.takeUnretainedValue().kind == .instance, let f = typeOf(v).lookup(method) {
                    let r = try call(f, one: v)
                    guard isIntegral(r) else {
                        throw typeError("\(method) returned non-int (type \(typeName(r)))")
                    }
                    return r.asPlainInt
                }
            }
            throw typeError("int() argument must be a string, a bytes-like object or a real number, not '\(typeName(v))'")
        }
    }

    /// `int(b, base)` for bytes: ASCII text parsed as a str, errors showing the bytes' repr.
    func intFromBytes(_ bytes: [UInt8], base: Int) throws -> Value {
        let invalid = valueError("invalid literal for int() with base \(base): " + bytesRepr(bytes))
        guard bytes.allSatisfy({ $0 < 0x80 }) else {
            if base != 0 && (base < 2 || base > 36) { throw valueError("int() base must be >= 2 and <= 36, or 0") }
            throw invalid
        }
        do {
            return intValue(try parseInt(String(decoding: bytes, as: UTF8.self), base: base, maxStrDigits: intMaxStrDigits))
        } catch {
            if error.message.hasPrefix("invalid literal") { throw invalid }
            throw scriptError(error)
        }
    }

    /// `float(x)` with one argument.
    func toFloat(_ v: Value) throws -> Double {
        switch v {
        case .float(let d): return d
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        default:
            if let b = bigValue(v) { return try converting { () throws(FormatError) in try bigIntToDouble(b) } }
            if let s = v.asStr {
                guard let d = parseFloat(s.value) else { throw valueError(floatParseErrorMessage(s.value)) }
                return d
            }
            if let b = v.asBytes {
                guard b.bytes.allSatisfy({ $0 < 0x80 }), let d = parseFloat(String(decoding: b.bytes, as: UTF8.self)) else {
                    throw valueError("could not convert string to float: " + bytesRepr(b.bytes))
                }
                return d
            }
            if let c = numberCore(v), userMethod(v, "__float__") == nil { return try toFloat(c) }
            if case .object(let u) = v, u.takeUnretainedValue().kind == .instance, let f = typeOf(v).lookup("__float__") {
                let r = try call(f, one: v)
                guard case .float(let d) = r else {
                    throw typeError("\(typeName(v)).__float__ returned non-float (type \(typeName(r)))")
                }
                return d
            }
            throw typeError("float() argument must be a string or a real number, not '\(typeName(v))'")
        }
    }
}

extension Runtime {
    /// `range(...)` of arguments that are machine ints with a length that fits, made without big
    /// ints (nearly every range); nil for anything else, which goes the general way.
    static func machineRange(_ args: Args, type: TypeObject) -> RangeObj? {
        func small(_ v: Value) -> Int? {
            switch v {
            case .int(let x): return x
            case .bool(let b): return b ? 1 : 0
            default: return nil
            }
        }
        var bounds = (start: 0, stop: 0, step: 1)
        switch args.count {
        case 2:
            guard let e = small(args[1]) else { return nil }
            bounds.stop = e
        case 3:
            guard let s = small(args[1]), let e = small(args[2]) else { return nil }
            bounds = (s, e, 1)
        case 4:
            guard let s = small(args[1]), let e = small(args[2]), let st = small(args[3]),
                  st != 0, st != Int.min else { return nil }
            bounds = (s, e, st)
        default:
            return nil
        }
        guard !bounds.start.subtractingReportingOverflow(bounds.stop).overflow,
              !bounds.stop.subtractingReportingOverflow(bounds.start).overflow else { return nil }
        return RangeObj(start: bounds.start, stop: bounds.stop, step: bounds.step, type: type)
    }
}
