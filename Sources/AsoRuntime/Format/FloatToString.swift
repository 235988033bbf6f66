// Python's float -> text conversions: repr()/str() and the 'e', 'f', 'g', 'r' layouts behind format().
// The one idea: this is CPython's `format_float_short` (pystrtod.c) over dtoa-style digits — a slice of
// the digits padded with zeros on both sides, a decimal point placed inside it, and an optional
// exponent written as at least two digits with a sign ("1e+16", "1e-05", "1e+100").

/// Options of `PyOS_double_to_string`.
struct FloatStringFlags {
    /// Always write a sign ('+' for non-negative values).
    var alwaysSign = false
    /// Write ".0" after an integral value when no exponent is used (repr and the empty type).
    var addDot0 = false
    /// The '#' form: keep trailing zeros for 'g' and always keep the decimal point.
    var alternate = false
    /// The 'z' option: a negative value that rounds to zero prints without its sign.
    var noNegativeZero = false
}

/// `repr(x)` and `str(x)` of a Python float.
func floatRepr(_ d: Double) -> String { floatReprText(d).string }

/// `repr(x)` of a Python float, as bytes.
func floatReprText(_ d: Double) -> ShortBytes {
    floatText(d, code: "r", precision: 0, flags: FloatStringFlags(addDot0: true))
}

/// Appends `repr(x)` of a Python float.
func appendFloatRepr(_ d: Double, into out: inout UTF8Builder) {
    floatReprText(d).withBytes { out.append(bytes: $0) }
}

/// CPython's `PyOS_double_to_string`: `code` is one of e E f F g G r (`precision` is ignored
/// for 'r'); the text is built without allocating (unless longer than `ShortBytes` keeps).
func floatText(_ value: Double, code: Unicode.Scalar, precision: Int,
               flags: FloatStringFlags) -> ShortBytes {
    var upper = false
    var format: UInt8
    var precision = precision
    switch code {
    case "E", "e":
        upper = code == "E"
        format = 0x65  // e
        precision += 1
    case "F", "f":
        upper = code == "F"
        format = 0x66  // f
    case "G", "g":
        upper = code == "G"
        format = 0x67  // g
        if precision == 0 { precision = 1 }
    default:
        format = 0x72  // r
    }

    var out = ShortBytes()
    if value.isNaN || value.isInfinite {
        if value.isInfinite && value.sign == .minus {
            out.append(0x2d)
        } else if flags.alwaysSign {
            out.append(0x2b)
        }
        let word: StaticString = value.isNaN ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf")
        out.append(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
        return out
    }

    let dd = format == 0x66 ? FloatDigits.fixed(value, precision)
        : format == 0x72 ? FloatDigits.shortest(value) : FloatDigits.significant(value, precision)
    var negative = dd.negative
    if flags.noNegativeZero && negative && dd.isAllZero { negative = false }

    let digitsLen = dd.digits.count
    var decpt = dd.decpt
    var vdigitsEnd = digitsLen
    var useExp = false
    var exp = 0
    switch format {
    case 0x65:
        useExp = true
        vdigitsEnd = precision
    case 0x66:
        vdigitsEnd = decpt + precision
    case 0x67:
        if decpt <= -4 || decpt > (flags.addDot0 ? precision - 1 : precision) { useExp = true }
        if flags.alternate { vdigitsEnd = precision }
    default:
        if decpt <= -4 || decpt > 16 { useExp = true }
    }
    if useExp {
        exp = decpt - 1
        decpt = 1
    }
    let vdigitsStart = decpt <= 0 ? decpt - 1 : 0
    if !useExp && flags.addDot0 {
        vdigitsEnd = max(vdigitsEnd, decpt + 1)
    } else {
        vdigitsEnd = max(vdigitsEnd, decpt)
    }

    if negative {
        out.append(0x2d)
    } else if flags.alwaysSign {
        out.append(0x2b)
    }
    let zero: UInt8 = 0x30
    let point: UInt8 = 0x2e
    // Zero padding on the left of the digit string.
    if decpt <= 0 {
        out.append(zero, count: decpt - vdigitsStart)
        out.append(point)
        out.append(zero, count: -decpt)
    } else {
        out.append(zero, count: -vdigitsStart)
    }
    // The digits, with the decimal point inside them when it falls there.
    if decpt > 0 && decpt <= digitsLen {
        out.append(dd.digits, from: 0, to: decpt)
        out.append(point)
        out.append(dd.digits, from: decpt, to: digitsLen)
    } else {
        out.append(dd.digits, from: 0, to: digitsLen)
    }
    // Zeros on the right.
    if digitsLen < decpt {
        out.append(zero, count: decpt - digitsLen)
        out.append(point)
        out.append(zero, count: vdigitsEnd - decpt)
    } else {
        out.append(zero, count: vdigitsEnd - digitsLen)
    }
    // Drop a trailing decimal point unless '#'.
    if out.last == point && !flags.alternate { out.removeLast() }
    if useExp {
        out.append(upper ? 0x45 : 0x65)
        out.append(exp < 0 ? 0x2d : 0x2b)
        let magnitude = exp.magnitude
        if magnitude < 10 { out.append(zero) }
        out.appendDecimal(UInt64(magnitude))
    }
    return out
}
