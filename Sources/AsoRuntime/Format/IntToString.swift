// int -> text: str(), hex(), oct(), bin(), and the digit strings behind format().
// The one idea: decimal conversion obeys CPython 3.11's int/str digit limit
// (`sys.set_int_max_str_digits`, default 4300): more digits than the limit is a ValueError, and huge
// values are refused from their bit length before any slow conversion. Power-of-two bases are free.

import BigInt

/// The ValueError for converting an int with too many digits to str.
func intToStrLimitError(_ limit: Int) -> FormatError {
    .valueError("Exceeds the limit (\(limit) digits) for integer string conversion; "
        + "use sys.set_int_max_str_digits() to increase the limit")
}

/// `str(v)` for a machine int.
func intToDecimalString(_ v: Int) -> String {
    String(v)
}

/// `str(v)`; `maxStrDigits` 0 means no limit.
func intToDecimalString(_ v: BigInt, maxStrDigits: Int = defaultIntMaxStrDigits) throws(FormatError) -> String {
    let digits = try magnitudeDigits(v.magnitude, radix: 10, uppercase: false, maxStrDigits: maxStrDigits)
    return v.sign == .minus && !v.isZero ? "-" + digits : digits
}

/// `hex(v)`, `oct(v)`, `bin(v)` (radix 16, 8, 2 with `prefix`), or the bare digits in any radix 2...36.
/// Negative values read "-0x1f".
func intToString(_ v: BigInt, radix: Int, prefix: Bool, uppercase: Bool = false,
                 maxStrDigits: Int = defaultIntMaxStrDigits) throws(FormatError) -> String {
    let digits = try magnitudeDigits(v.magnitude, radix: radix, uppercase: uppercase,
                                     maxStrDigits: maxStrDigits)
    let sign = v.sign == .minus && !v.isZero ? "-" : ""
    return sign + (prefix ? radixPrefix(radix) : "") + digits
}

/// `hex(v)`, `oct(v)`, `bin(v)` for a machine int.
func intToString(_ v: Int, radix: Int, prefix: Bool, uppercase: Bool = false) -> String {
    let digits = String(v.magnitude, radix: radix, uppercase: uppercase)
    return (v < 0 ? "-" : "") + (prefix ? radixPrefix(radix) : "") + digits
}

/// "0x", "0o", "0b" for 16, 8, 2; "" otherwise.
func radixPrefix(_ radix: Int) -> String {
    switch radix {
    case 16: return "0x"
    case 8: return "0o"
    case 2: return "0b"
    default: return ""
    }
}

/// The digits of a magnitude, checking the decimal digit limit.
func magnitudeDigits(_ m: BigUInt, radix: Int, uppercase: Bool, maxStrDigits: Int) throws(FormatError) -> String {
    let checkLimit = radix == 10 && maxStrDigits > 0
    if checkLimit {
        // m >= 2^(bits-1), so it has at least floor((bits-1)·log10(2)) + 1 digits.
        let bits = m.bitWidth
        if bits > 1 && Double(bits - 1) * 0.30102999 >= Double(maxStrDigits) {
            throw intToStrLimitError(maxStrDigits)
        }
    }
    if m.bitWidth <= 64 {
        return String(UInt64(truncatingIfNeeded: m), radix: radix, uppercase: uppercase)
    }
    let text = String(m, radix: min(max(radix, 2), 36), uppercase: uppercase)
    if checkLimit && text.utf8.count > maxStrDigits {
        throw intToStrLimitError(maxStrDigits)
    }
    return text
}
