// format(value, spec) for int, float and str: CPython's `format_long_internal`,
// `format_float_internal` and `format_string_internal`.
// The one idea: each one turns the value into sign + digits + remainder text, then hands it to the
// shared layout (FormatLayout.swift). An empty spec is str(value); ints with a float type (e f g %)
// are converted to float first, exactly as CPython does.

import BigInt

/// `format(value, spec)` for an int; `typeName` names the type in errors (e.g. "int", "bool").
func formatInt(_ value: BigInt, _ spec: String, typeName: String = "int",
               maxStrDigits: Int = defaultIntMaxStrDigits) throws(FormatError) -> String {
    if spec.isEmpty { return try intToDecimalString(value, maxStrDigits: maxStrDigits) }
    return try formatInteger(.big(value), spec, typeName: typeName, maxStrDigits: maxStrDigits)
}

/// `format(value, spec)` for an int that fits a machine word.
func formatInt(_ value: Int, _ spec: String, typeName: String = "int",
               maxStrDigits: Int = defaultIntMaxStrDigits) throws(FormatError) -> String {
    if spec.isEmpty { return String(value) }
    return try formatInteger(.small(value), spec, typeName: typeName, maxStrDigits: maxStrDigits)
}

private func formatInteger(_ value: ExactInteger, _ spec: String, typeName: String,
                           maxStrDigits: Int) throws(FormatError) -> String {
    let format = try FormatSpec.parse(spec, defaultType: "d", defaultAlign: ">", typeName: typeName)
    switch format.type {
    case "b", "c", "d", "o", "x", "X", "n":
        return try formatIntegerInternal(value, format, maxStrDigits: maxStrDigits)
    case "e", "E", "f", "F", "g", "G", "%":
        let d: Double
        switch value {
        case .small(let v): d = Double(v)
        case .big(let v): d = try bigIntToDouble(v)
        }
        return try formatFloatInternal(d, format)
    default:
        throw FormatSpec.unknownCode(format.type, typeName: typeName)
    }
}

private func formatIntegerInternal(_ value: ExactInteger, _ format: FormatSpec,
                                   maxStrDigits: Int) throws(FormatError) -> String {
    if format.precision != -1 {
        throw .valueError("Precision not allowed in integer format specifier")
    }
    if format.noNegativeZero {
        throw .valueError("Negative zero coercion (z) not allowed in integer format specifier")
    }
    let type = format.type ?? "d"
    var parts: NumberParts
    if type == "c" {
        if format.sign != nil {
            throw .valueError("Sign not allowed with integer format specifier 'c'")
        }
        if format.alternate {
            throw .valueError("Alternate form (#) not allowed with integer format specifier 'c'")
        }
        let code: Int
        switch value {
        case .small(let v): code = v
        case .big(let v):
            guard let v = Int(exactly: v) else {
                throw .overflowError("Python int too large to convert to C long")
            }
            code = v
        }
        guard code >= 0 && code <= 0x10ffff else {
            throw .overflowError("%c arg not in range(0x110000)")
        }
        // Lone surrogates cannot live in a Swift string; they become U+FFFD.
        let scalar = Unicode.Scalar(UInt32(code)) ?? "\u{FFFD}"
        parts = NumberParts(negative: false, digits: [], remainder: [scalar])
    } else {
        let radix: Int
        switch type {
        case "b": radix = 2
        case "o": radix = 8
        case "x", "X": radix = 16
        default: radix = 10
        }
        let upper = type == "X"
        let negative: Bool
        let digitText: String
        switch value {
        case .small(let v):
            negative = v < 0
            digitText = String(v.magnitude, radix: radix, uppercase: upper)
        case .big(let v):
            negative = v.sign == .minus && !v.isZero
            digitText = try magnitudeDigits(v.magnitude, radix: radix, uppercase: upper,
                                            maxStrDigits: maxStrDigits)
        }
        var prefix: [Unicode.Scalar] = []
        if format.alternate && radix != 10 {
            prefix = Array(radixPrefix(radix).unicodeScalars)
            if upper { prefix[1] = "X" }
        }
        parts = NumberParts(negative: negative, prefix: prefix, digits: Array(digitText.unicodeScalars))
    }
    let (size, separator) = groupingFor(format, type: type)
    return try layoutNumber(parts, spec: format, groupSize: size, separator: separator)
}

/// The group size and separator a spec asks for ('n' uses the C locale: no grouping).
private func groupingFor(_ format: FormatSpec, type: Unicode.Scalar?) -> (Int, Unicode.Scalar?) {
    if type == "n" { return (0, nil) }
    switch format.grouping {
    case .none: return (0, nil)
    case .comma: return (3, ",")
    case .underscore: return (3, "_")
    case .underscoreFour: return (4, "_")
    }
}

/// `format(value, spec)` for a float; `typeName` names the type in errors.
func formatFloat(_ value: Double, _ spec: String, typeName: String = "float") throws(FormatError) -> String {
    if spec.isEmpty { return floatRepr(value) }
    let format = try FormatSpec.parse(spec, defaultType: nil, defaultAlign: ">", typeName: typeName)
    switch format.type {
    case nil, "e", "E", "f", "F", "g", "G", "n", "%":
        return try formatFloatInternal(value, format)
    default:
        throw FormatSpec.unknownCode(format.type, typeName: typeName)
    }
}

private func formatFloatInternal(_ value: Double, _ format: FormatSpec) throws(FormatError) -> String {
    if format.precision > Int(Int32.max) {
        throw .valueError("precision too big")
    }
    var flags = FloatStringFlags()
    flags.alternate = format.alternate
    flags.noNegativeZero = format.noNegativeZero
    var type: Unicode.Scalar = format.type ?? "r"
    var defaultPrecision = 6
    if format.type == nil {
        flags.addDot0 = true
        defaultPrecision = 0
    }
    if type == "n" { type = "g" }
    var val = value
    var addPercent = false
    if type == "%" {
        type = "f"
        val *= 100
        addPercent = true
    }
    var precision = format.precision
    if precision < 0 {
        precision = defaultPrecision
    } else if type == "r" {
        type = "g"
    }
    var text = Array(doubleToString(val, code: type, precision: precision, flags: flags).unicodeScalars)
    if addPercent { text.append("%") }

    var index = 0
    var negative = false
    if text.first == "-" {
        negative = true
        index = 1
    }
    var digitEnd = index
    while digitEnd < text.count, text[digitEnd].value >= 0x30 && text[digitEnd].value <= 0x39 {
        digitEnd += 1
    }
    let hasDecimal = digitEnd < text.count && text[digitEnd] == "."
    let remainderStart = hasDecimal ? digitEnd + 1 : digitEnd
    let parts = NumberParts(negative: negative, digits: Array(text[index..<digitEnd]),
                            hasDecimal: hasDecimal, remainder: Array(text[remainderStart...]))
    let (size, separator) = groupingFor(format, type: format.type)
    return try layoutNumber(parts, spec: format, groupSize: size, separator: separator)
}

/// `format(value, spec)` for a str; `typeName` names the type in errors.
func formatString(_ value: String, _ spec: String, typeName: String = "str") throws(FormatError) -> String {
    if spec.isEmpty { return value }
    let format = try FormatSpec.parse(spec, defaultType: "s", defaultAlign: "<", typeName: typeName)
    guard format.type == "s" else {
        throw FormatSpec.unknownCode(format.type, typeName: typeName)
    }
    if let sign = format.sign {
        throw .valueError(sign == " " ? "Space not allowed in string format specifier"
                                      : "Sign not allowed in string format specifier")
    }
    if format.noNegativeZero {
        throw .valueError("Negative zero coercion (z) not allowed in string format specifier")
    }
    if format.alternate {
        throw .valueError("Alternate form (#) not allowed in string format specifier")
    }
    if format.align == "=" {
        throw .valueError("'=' alignment not allowed in string format specifier")
    }
    try checkFormatWidth(format.width)
    if format.precision < 0 && format.width <= value.utf8.count && format.width <= value.unicodeScalars.count {
        return value
    }
    let scalars = Array(value.unicodeScalars)
    var count = scalars.count
    if format.precision >= 0 && count >= format.precision { count = format.precision }
    return padString(scalars[0..<count], width: format.width, align: format.align, fill: format.fill)
}
