// f-string and `format()` support: conversions and format specs.

extension Runtime {
    /// `formatValue`: applies `!s`/`!r`/`!a` then the format spec.
    func formatValue(_ v: Value, conversion: Int, spec: Value) throws -> Value {
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
        if spec.isEmpty { return try str(v) }
        throw valueError("format specs are not supported yet")
    }

    /// `str % args` (printf-style formatting).
    func percentFormat(_ s: String, _ args: Value) throws -> Value {
        throw typeError("printf-style formatting is not supported yet")
    }

    /// Decimal string of a big int, with CPython's 4300-digit limit.
    func bigIntString(_ b: BigInt) throws -> String {
        if b.magnitude.bitWidth > 14286 {
            throw valueError("Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit")
        }
        let s = String(b)
        if s.count - (b.signum() < 0 ? 1 : 0) > 4300 {
            throw valueError("Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit")
        }
        return s
    }
}

import BigInt
