// format(value, spec) for int, float and str: CPython's `format_long_internal`,
// `format_float_internal` and `format_string_internal`.
// The one idea: each one turns the value into sign + digits + remainder text, then hands it to the
// shared layout (FormatLayout.swift), which appends the result to a UTF-8 byte buffer; the spec is
// read as UTF-8 bytes too. An empty spec is str(value); ints with a float type (e f g %) are
// converted to float first, exactly as CPython does. The String-returning functions wrap the
// appending ones.

import BigInt

/// `format(value, spec)` for an int; `typeName` names the type in errors (e.g. "int", "bool").
func formatInt(_ value: BigInt, _ spec: String, typeName: String = "int",
               maxStrDigits: Int = defaultIntMaxStrDigits) throws(FormatError) -> String {
    if spec.isEmpty { return try intToDecimalString(value, maxStrDigits: maxStrDigits) }
    return try formatted(spec) { (s, out) throws(FormatError) in
        try appendFormattedInt(.big(value), spec: s, typeName: typeName, maxStrDigits: maxStrDigits, into: &out)
    }
}

/// `format(value, spec)` for an int that fits a machine word.
func formatInt(_ value: Int, _ spec: String, typeName: String = "int",
               maxStrDigits: Int = defaultIntMaxStrDigits) throws(FormatError) -> String {
    if spec.isEmpty { return String(value) }
    return try formatted(spec) { (s, out) throws(FormatError) in
        try appendFormattedInt(.small(value), spec: s, typeName: typeName, maxStrDigits: maxStrDigits, into: &out)
    }
}

/// `format(value, spec)` for a float; `typeName` names the type in errors.
func formatFloat(_ value: Double, _ spec: String, typeName: String = "float") throws(FormatError) -> String {
    if spec.isEmpty { return floatRepr(value) }
    return try formatted(spec) { (s, out) throws(FormatError) in
        try appendFormattedFloat(value, spec: s, typeName: typeName, into: &out)
    }
}

/// `format(value, spec)` for a str; `typeName` names the type in errors.
func formatString(_ value: String, _ spec: String, typeName: String = "str") throws(FormatError) -> String {
    if spec.isEmpty { return value }
    return try withUTF8(value) { (text) throws(FormatError) in
        try formatted(spec) { (s, out) throws(FormatError) in
            try appendFormattedString(text, count: utf8CodePointCount(text), spec: s, typeName: typeName,
                                      into: &out)
        }
    }
}

/// Runs `body` on the bytes of `spec` and a fresh buffer, and returns what it appended.
private func formatted(_ spec: String,
                       _ body: (UnsafeBufferPointer<UInt8>, inout UTF8Builder) throws(FormatError) -> Void)
    throws(FormatError) -> String {
    var out = UTF8Builder(capacity: 16)
    try withUTF8(spec) { (s) throws(FormatError) in try body(s, &out) }
    return out.string
}

/// Appends `format(value, spec)` for an int, `spec` being UTF-8 bytes.
func appendFormattedInt(_ value: ExactInteger, spec: UnsafeBufferPointer<UInt8>, typeName: String,
                        maxStrDigits: Int, into out: inout UTF8Builder) throws(FormatError) {
    if spec.isEmpty {
        switch value {
        case .small(let v): out.append(String(v))
        case .big(let v): out.append(try intToDecimalString(v, maxStrDigits: maxStrDigits))
        }
        return
    }
    let format = try FormatSpec.parse(spec, defaultType: "d", defaultAlign: ">", typeName: typeName)
    switch format.type {
    case "b", "c", "d", "o", "x", "X", "n":
        try appendFormattedInteger(value, format, maxStrDigits: maxStrDigits, into: &out)
    case "e", "E", "f", "F", "g", "G", "%":
        let d: Double
        switch value {
        case .small(let v): d = Double(v)
        case .big(let v): d = try bigIntToDouble(v)
        }
        try appendFormattedFloat(d, format, into: &out)
    default:
        throw FormatSpec.unknownCode(format.type, typeName: typeName)
    }
}

private func appendFormattedInteger(_ value: ExactInteger, _ format: FormatSpec, maxStrDigits: Int,
                                    into out: inout UTF8Builder) throws(FormatError) {
    if format.precision != -1 {
        throw .valueError("Precision not allowed in integer format specifier")
    }
    if format.noNegativeZero {
        throw .valueError("Negative zero coercion (z) not allowed in integer format specifier")
    }
    let type = format.type ?? "d"
    let (size, separator) = groupingFor(format, type: type)
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
        try withUTF8(String(scalar)) { (text) throws(FormatError) in
            let parts = NumberParts(negative: false, digits: 0..<0, remainder: 0..<text.count)
            try layoutNumber(text, parts, spec: format, groupSize: size, separator: separator, into: &out)
        }
        return
    }
    let radix: Int
    var prefix: UInt8 = 0
    switch type {
    case "b": radix = 2; prefix = 0x62
    case "o": radix = 8; prefix = 0x6F
    case "x": radix = 16; prefix = 0x78
    case "X": radix = 16; prefix = 0x58
    default: radix = 10
    }
    if !format.alternate { prefix = 0 }
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
    try withUTF8(digitText) { (text) throws(FormatError) in
        let parts = NumberParts(negative: negative, prefix: prefix, digits: 0..<text.count,
                                remainder: text.count..<text.count)
        try layoutNumber(text, parts, spec: format, groupSize: size, separator: separator, into: &out)
    }
}

/// The group size and separator byte a spec asks for ('n' uses the C locale: no grouping).
private func groupingFor(_ format: FormatSpec, type: Unicode.Scalar?) -> (Int, UInt8) {
    if type == "n" { return (0, 0) }
    switch format.grouping {
    case .none: return (0, 0)
    case .comma: return (3, 0x2C)
    case .underscore: return (3, 0x5F)
    case .underscoreFour: return (4, 0x5F)
    }
}

/// Appends `format(value, spec)` for a float, `spec` being UTF-8 bytes.
func appendFormattedFloat(_ value: Double, spec: UnsafeBufferPointer<UInt8>, typeName: String,
                          into out: inout UTF8Builder) throws(FormatError) {
    if spec.isEmpty {
        appendFloatRepr(value, into: &out)
        return
    }
    let format = try FormatSpec.parse(spec, defaultType: nil, defaultAlign: ">", typeName: typeName)
    switch format.type {
    case nil, "e", "E", "f", "F", "g", "G", "n", "%":
        try appendFormattedFloat(value, format, into: &out)
    default:
        throw FormatSpec.unknownCode(format.type, typeName: typeName)
    }
}

private func appendFormattedFloat(_ value: Double, _ format: FormatSpec,
                                  into out: inout UTF8Builder) throws(FormatError) {
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
    let (size, separator) = groupingFor(format, type: format.type)
    let number = floatText(val, code: type, precision: precision, flags: flags)
    try number.withBytes { (text) throws(FormatError) in
        let end = text.count
        var index = 0
        var negative = false
        if end > 0 && text[0] == 0x2D {  // '-'
            negative = true
            index = 1
        }
        var digitEnd = index
        while digitEnd < end, text[digitEnd] &- 0x30 < 10 { digitEnd += 1 }
        let hasDecimal = digitEnd < end && text[digitEnd] == 0x2E
        let remainderStart = hasDecimal ? digitEnd + 1 : digitEnd
        let parts = NumberParts(negative: negative, digits: index..<digitEnd, hasDecimal: hasDecimal,
                                remainder: remainderStart..<end, percent: addPercent)
        try layoutNumber(text, parts, spec: format, groupSize: size, separator: separator, into: &out)
    }
}

/// Appends `format(value, spec)` for a str of UTF-8 bytes `text`, `count` code points long.
func appendFormattedString(_ text: UnsafeBufferPointer<UInt8>, count: Int, spec: UnsafeBufferPointer<UInt8>,
                           typeName: String, into out: inout UTF8Builder) throws(FormatError) {
    if spec.isEmpty {
        out.append(bytes: text)
        return
    }
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
    if format.precision < 0 && format.width <= count {
        out.append(bytes: text)
        return
    }
    var kept = text
    var keptCount = count
    if format.precision >= 0 && count >= format.precision {
        keptCount = format.precision
        // ASCII text (as many bytes as code points) is cut at the precision directly.
        let cut = text.count == count ? keptCount : utf8Offset(text, codePoints: keptCount)
        kept = UnsafeBufferPointer(rebasing: text[..<cut])
    }
    out.appendPadded(kept, count: keptCount, width: format.width, align: format.align, fill: format.fill)
}
