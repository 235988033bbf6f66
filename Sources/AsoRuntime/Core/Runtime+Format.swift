// f-string and `format()` support: conversions and format specs.
// The one idea: ints, floats and plain strs are formatted straight into a UTF-8 byte buffer from
// the spec's bytes (`appendFormat`), which `str.format`, f-strings and `format()` share; any other
// object goes through its `__format__`.

extension Runtime {
    /// `formatValue`: applies `!s`/`!r`/`!a` then the format spec.
    func formatValue(_ v: Value, conversion: Int, spec: Value) throws -> Value {
        if conversion == 0, spec.isNull {
            switch v {
            case .int(let i): return newASCIIStr(decimalString(i))
            case .object(let u) where u.takeUnretainedValue().kind == .str: return v
            default: break
            }
        }
        // A conversion leaves a plain str, kept as text until it is formatted.
        var converted: String?
        switch conversion {
        case 1: converted = try str(v)
        case 2: converted = try repr(v)
        case 3: converted = asciiRepr(try repr(v))
        default: break
        }
        guard let specStr = spec.asStr, specStr.count > 0 else {
            if let converted { return newStr(converted) }
            if let s = v.asStr { return Value(s) }
            return newStr(try format(v, ""))
        }
        return try buildingString { out in
            try withUTF8(specStr.value) { spec in
                if let converted {
                    try appendFormattedStr(converted, spec: spec, into: &out)
                } else {
                    try appendFormat(v, spec: spec, into: &out)
                }
            }
            return out.bytes.withUnsafeBufferPointer { newStr(utf8: $0, ascii: nil) }
        }
    }

    /// Runs `body` with an empty builder whose block is reused from one build to the next. (A build
    /// inside another, from a `__format__` that formats in turn, finds the block lent and gets a
    /// new one.)
    @inline(__always)
    func buildingString<R>(_ body: (inout UTF8Builder) throws -> R) rethrows -> R {
        var out = UTF8Builder(taking: &stringBuilderBytes)
        defer { out.giveBack(to: &stringBuilderBytes) }
        return try body(&out)
    }

    /// `ascii()`: repr with non-ASCII characters escaped.
    func asciiRepr(_ s: String) -> String {
        withUTF8(s) { bytes in
            var out = UTF8Builder(capacity: bytes.count)
            var i = 0
            while i < bytes.count {
                if bytes[i] < 0x80 {
                    out.append(byte: bytes[i])
                    i += 1
                    continue
                }
                let (c, length) = decodeUTF8Scalar(bytes, at: i)
                i += length
                let (escape, digits): (UInt8, Int) = c.value <= 0xff ? (0x78, 2) : c.value <= 0xffff ? (0x75, 4) : (0x55, 8)
                out.append(byte: 0x5C)  // backslash
                out.append(byte: escape)
                var shift = (digits - 1) * 4
                while shift >= 0 {
                    let nibble = UInt8(truncatingIfNeeded: (c.value >> UInt32(shift)) & 0xF)
                    out.append(byte: nibble < 10 ? 0x30 + nibble : 0x57 + nibble)
                    shift -= 4
                }
            }
            return out.string
        }
    }

    /// `format(v, spec)`.
    func format(_ v: Value, _ spec: String) throws -> String {
        do {
            switch v {
            case .int(let i): return try formatInt(i, spec, maxStrDigits: intMaxStrDigits)
            case .bool(let b): return spec.isEmpty ? (b ? "True" : "False") : try formatInt(b ? 1 : 0, spec, typeName: "bool")
            case .float(let d): return try formatFloat(d, spec)
            default:
                if let s = v.asStr, !s.isNativeSubclass { return try formatString(s.value, spec) }
                if let b = v.asBigInt { return try formatInt(b.value, spec, maxStrDigits: intMaxStrDigits) }
                if let f = userMethod(v, "__format__") {
                    let r = try callFunction(f, [v, newStr(spec)], keywords: [])
                    guard let s = r.asStr else { throw typeError("__format__ must return a str, not \(typeName(r))") }
                    return s.value
                }
                // int, float and str subclasses: their str() for an empty spec, as CPython's
                // `__format__` of the base does, else the base's format.
                if spec.isEmpty { return try str(v) }
                if let c = numberCore(v) { return try format(c, spec) }
                if let s = v.asStr { return try formatString(s.value, spec) }
                throw typeError("unsupported format string passed to \(typeName(v)).__format__")
            }
        } catch let e as FormatError {
            throw scriptError(e)
        }
    }

    /// Appends `format(v, spec)` to `out`, the spec given as UTF-8 bytes: ints, bools, floats and
    /// plain strs without any intermediate string, everything else through `format(_:_:)`.
    func appendFormat(_ v: Value, spec: UnsafeBufferPointer<UInt8>, into out: inout UTF8Builder) throws {
        do {
            switch v {
            case .int(let i):
                return try appendFormattedInt(.small(i), spec: spec, typeName: "int",
                                              maxStrDigits: intMaxStrDigits, into: &out)
            case .bool(let b):
                if spec.isEmpty { return out.append(b ? "True" : "False") }
                return try appendFormattedInt(.small(b ? 1 : 0), spec: spec, typeName: "bool",
                                              maxStrDigits: intMaxStrDigits, into: &out)
            case .float(let d):
                return try appendFormattedFloat(d, spec: spec, typeName: "float", into: &out)
            default:
                if let s = v.asStr, !s.isNativeSubclass {
                    let ascii = s.isASCII, count = s.count
                    return try withUTF8(s.value) { text in
                        try appendFormattedString(text, count: ascii ? text.count : count, spec: spec,
                                                  typeName: "str", into: &out)
                    }
                }
                if let b = v.asBigInt {
                    return try appendFormattedInt(.big(b.value), spec: spec, typeName: "int",
                                                  maxStrDigits: intMaxStrDigits, into: &out)
                }
            }
        } catch let e as FormatError {
            throw scriptError(e)
        }
        out.append(try format(v, String(decoding: spec, as: UTF8.self)))
    }

    /// Appends `format(s, spec)` for the text `s` of a plain str (a `!s`/`!r`/`!a` conversion).
    func appendFormattedStr(_ s: String, spec: UnsafeBufferPointer<UInt8>, into out: inout UTF8Builder) throws {
        do {
            try withUTF8(s) { (text) throws(FormatError) in
                try appendFormattedString(text, count: utf8CodePointCount(text), spec: spec,
                                          typeName: "str", into: &out)
            }
        } catch {
            throw scriptError(error)
        }
    }

    /// The Python exception for a formatting helper's error.
    func scriptError(_ e: FormatError) -> ScriptError {
        switch e {
        case .valueError(let m): return valueError(m)
        case .typeError(let m): return typeError(m)
        case .overflowError(let m): return overflowError(m)
        case .memoryError: return memoryError()
        }
    }


    /// Decimal string of a big int, with the int/str digit limit (4300 unless the script changed it).
    func bigIntString(_ b: BigInt) throws -> String {
        do { return try intToDecimalString(b, maxStrDigits: intMaxStrDigits) } catch { throw scriptError(error) }
    }
}

import BigInt

extension String {
    /// The string left-padded with zeros to `n` characters.
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
