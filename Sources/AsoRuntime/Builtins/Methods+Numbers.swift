// int and float methods: bit_length, bit_count, conjugate, to_bytes, from_bytes,
// as_integer_ratio, is_integer, float.hex.
//
// One idea: ints arrive inline, as bools, or as big ints; every method first takes the value as
// a `BigInt` (`bigValue`) unless an inline fast path is obvious, so all three behave the same.

import BigInt

extension Runtime {
    func installNumberMethods() {
        let i = types.int, f = types.float
        defineMethod(i, "bit_length") { rt, me, a in
            try a.none(rt)
            if case .int(let x) = me.asPlainInt { return .int(Int.bitWidth - x.magnitude.leadingZeroBitCount) }
            return .int((rt.bigValue(me) ?? 0).magnitude.bitWidth)
        }
        defineMethod(i, "bit_count") { rt, me, a in
            try a.none(rt)
            if case .int(let x) = me.asPlainInt { return .int(x.magnitude.nonzeroBitCount) }
            return .int((rt.bigValue(me) ?? 0).magnitude.words.reduce(0) { $0 + $1.nonzeroBitCount })
        }
        defineMethod(i, "conjugate") { rt, me, a in
            try a.none(rt)
            return me.asPlainInt
        }
        defineMethod(i, "as_integer_ratio") { rt, me, a in
            try a.none(rt)
            return rt.newTuple(me.asPlainInt, .int(1))
        }
        defineMethod(i, "to_bytes") { rt, me, a in
            let p = try a.parameters(rt, ["length", "byteorder", "signed"], keywordOnly: 1)
            let length = try p[0].map { try rt.intArgument($0) } ?? 1
            if length < 0 { throw rt.valueError("length argument must be non-negative") }
            let little = try rt.byteOrder(p[1])
            let signed = try p[2].map { try rt.truthy($0) } ?? false
            let v = rt.bigValue(me) ?? 0
            if v.signum() < 0 && !signed { throw rt.overflowError("can't convert negative int to unsigned") }
            let bitsNeeded = signed ? (v.signum() < 0 ? (-v - 1).magnitude.bitWidth + 1 : v.magnitude.bitWidth + 1) : v.magnitude.bitWidth
            if bitsNeeded > length * 8 { throw rt.overflowError("int too big to convert") }
            try rt.checkAllocation(length, elementSize: 1)
            var out = [UInt8](repeating: 0, count: length)
            var x = v.signum() < 0 ? (BigInt(1) << (length * 8)) + v : v
            for k in 0..<length {
                out[k] = UInt8(truncatingIfNeeded: Int(x & 0xFF))
                x >>= 8
            }
            if !little { out.reverse() }
            return rt.newBytes(out)
        }
        let fromBytes = native("from_bytes", owner: "int") { rt, args in
            let a = MethodArgs(args: args, name: "from_bytes", owner: "int")
            let p = try a.parameters(rt, ["bytes", "byteorder", "signed"], required: 1, keywordOnly: 1)
            guard let src = p[0] else { return .none }
            var bytes: [UInt8]
            if let b = src.asBytes { bytes = b.bytes } else {
                bytes = try rt.iterateToArray(src).map { v -> UInt8 in
                    guard let n = rt.indexValue(v), n >= 0, n < 256 else { throw rt.valueError("bytes must be in range(0, 256)") }
                    return UInt8(n)
                }
            }
            if !(try rt.byteOrder(p[1])) { bytes.reverse() }
            var v = BigInt(0)
            for b in bytes.reversed() { v = (v << 8) | BigInt(b) }
            if try p[2].map({ try rt.truthy($0) }) ?? false, let top = bytes.last, top & 0x80 != 0 {
                v -= BigInt(1) << (bytes.count * 8)
            }
            // A subclass gets an instance of its own: `cls(n)`, as in CPython.
            if let cls = args[0].asType, cls !== rt.types.int { return try rt.call(args[0], [rt.makeInt(v)]) }
            return rt.makeInt(v)
        }
        i.dict["from_bytes"] = wrapMethod(types.classmethod, fromBytes)

        defineMethod(f, "is_integer") { rt, me, a in
            try a.none(rt)
            guard case .float(let d) = me else { return .bool(false) }
            return .bool(d.isFinite && d == d.rounded(.towardZero))
        }
        defineMethod(f, "conjugate") { rt, me, a in
            try a.none(rt)
            return me
        }
        defineMethod(f, "hex") { rt, me, a in
            try a.none(rt)
            guard case .float(let d) = me else { return .none }
            return rt.newStr(floatHex(d))
        }
        defineMethod(f, "as_integer_ratio") { rt, me, a in
            try a.none(rt)
            guard case .float(let d) = me else { return .none }
            if d.isNaN { throw rt.valueError("cannot convert NaN to integer ratio") }
            if d.isInfinite { throw rt.overflowError("cannot convert Infinity to integer ratio") }
            let (n, den) = exactRatio(d)
            return rt.newTuple(rt.makeInt(n), rt.makeInt(den))
        }
    }

    /// `byteorder` of to_bytes/from_bytes: true for little-endian.
    private func byteOrder(_ v: Value?) throws -> Bool {
        guard let v else { return false }
        guard let s = v.asStr?.value else {
            throw typeError("to_bytes() argument 'byteorder' must be str, not \(typeName(v))")
        }
        switch s {
        case "little": return true
        case "big": return false
        default: throw valueError("byteorder must be either 'little' or 'big'")
        }
    }
}

/// `d` as numerator / denominator in lowest terms (d finite).
func exactRatio(_ d: Double) -> (BigInt, BigInt) {
    if d == 0 { return (0, 1) }
    var mantissa = BigInt(d.significandBitPattern)
    var exponent = Int(d.exponent) - 52
    if d.isNormal { mantissa |= BigInt(1) << 52 } else { exponent = -1074 }
    while mantissa & 1 == 0 && exponent < 0 { mantissa >>= 1; exponent += 1 }
    if d < 0 { mantissa = -mantissa }
    if exponent >= 0 { return (mantissa << exponent, 1) }
    return (mantissa, BigInt(1) << (-exponent))
}

/// `float.hex()`: `0x1.8000000000000p+0`.
func floatHex(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    let sign = d.sign == .minus ? "-" : ""
    if d == 0 { return sign + "0x0.0p+0" }
    let digits = String(d.significandBitPattern, radix: 16).leftPadded(13)
    let lead = d.isNormal ? "1" : "0"
    let exponent = d.isNormal ? Int(d.exponent) : -1022
    return "\(sign)0x\(lead).\(digits)p\(exponent < 0 ? "-" : "+")\(abs(exponent))"
}
