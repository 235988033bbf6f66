// f-string and `format()` support: conversions and format specs.

extension Runtime {
    /// `formatValue`: applies `!s`/`!r`/`!a` then the format spec.
    func formatValue(_ v: Value, conversion: Int, spec: Value) throws -> Value {
        if conversion == 0, spec.isNull {
            switch v {
            case .int(let i): return newStr(String(i))
            case .object(let u) where u.takeUnretainedValue().kind == .str: return v
            default: break
            }
        }
        var x = v
        switch conversion {
        case 1: x = newStr(try str(v))
        case 2: x = newStr(try repr(v))
        case 3: x = newStr(asciiRepr(try repr(v)))
        default: break
        }
        let specText = spec.asStr?.value ?? ""
        if specText.isEmpty, let s = x.asStr { return Value(s) }
        return newStr(try format(x, specText))
    }

    /// `ascii()`: repr with non-ASCII characters escaped.
    func asciiRepr(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if c.isASCII { out.unicodeScalars.append(c) }
            else if c.value <= 0xff { out += "\\x" + String(c.value, radix: 16).leftPadded(2) }
            else if c.value <= 0xffff { out += "\\u" + String(c.value, radix: 16).leftPadded(4) }
            else { out += "\\U" + String(c.value, radix: 16).leftPadded(8) }
        }
        return out
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
