// The format-spec mini-language: `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
// The one idea: parsing is CPython's `parse_internal_render_format_spec`, run on the spec's UTF-8
// bytes (every token but the fill, the digits and the type is ASCII, so one byte; a non-ASCII byte
// is decoded to its code point only where the grammar allows one), with the object's default type
// and alignment ('d'/'>' for int, none/'>' for float, 's'/'<' for str) because both change how the
// spec reads ('0' means '=' alignment only for right-aligned defaults, and the grouping check looks
// at the defaulted type).

/// Which thousands separator a spec asked for.
enum FormatGrouping: Equatable {
    case none
    case comma
    case underscore
    /// '_' with b, o, x, X: every four digits.
    case underscoreFour
}

/// A parsed format spec.
struct FormatSpec: Equatable {
    var fill: Unicode.Scalar = " "
    var align: Unicode.Scalar
    /// '+', '-', ' ' or nil.
    var sign: Unicode.Scalar?
    var noNegativeZero = false
    var alternate = false
    /// -1 when not given.
    var width = -1
    var grouping = FormatGrouping.none
    /// -1 when not given.
    var precision = -1
    /// The presentation type; nil is "none" (only possible for float's default).
    var type: Unicode.Scalar?

    /// Parses `spec` for an object of Python type `typeName`.
    static func parse(_ spec: String, defaultType: Unicode.Scalar?, defaultAlign: Unicode.Scalar,
                      typeName: String) throws(FormatError) -> FormatSpec {
        try withUTF8(spec) { (s) throws(FormatError) in
            try parse(s, defaultType: defaultType, defaultAlign: defaultAlign, typeName: typeName)
        }
    }

    /// Parses the UTF-8 bytes `s` of a spec for an object of Python type `typeName`.
    static func parse(_ s: UnsafeBufferPointer<UInt8>, defaultType: Unicode.Scalar?,
                      defaultAlign: Unicode.Scalar, typeName: String) throws(FormatError) -> FormatSpec {
        let end = s.count
        var pos = 0
        var result = FormatSpec(align: defaultAlign, type: defaultType)
        var alignSpecified = false
        var fillSpecified = false

        // "At least two code points, the second an alignment": the fill is the first, whatever it is.
        if end >= 1 {
            let (first, length) = decodeUTF8Scalar(s, at: 0)
            if length < end && isAlignment(s[length]) {
                result.align = Unicode.Scalar(s[length])
                result.fill = first
                fillSpecified = true
                alignSpecified = true
                pos = length + 1
            } else if isAlignment(s[0]) {
                result.align = Unicode.Scalar(s[0])
                alignSpecified = true
                pos = 1
            }
        }
        if pos < end && (s[pos] == 0x20 || s[pos] == 0x2B || s[pos] == 0x2D) {  // ' ' '+' '-'
            result.sign = Unicode.Scalar(s[pos])
            pos += 1
        }
        if pos < end && s[pos] == 0x7A {  // 'z'
            result.noNegativeZero = true
            pos += 1
        }
        if pos < end && s[pos] == 0x23 {  // '#'
            result.alternate = true
            pos += 1
        }
        if !fillSpecified && pos < end && s[pos] == 0x30 {  // '0'
            result.fill = "0"
            if !alignSpecified && defaultAlign == ">" { result.align = "=" }
            pos += 1
        }
        if let width = try readInteger(s, &pos) { result.width = width }

        if pos < end && s[pos] == 0x2C {  // ','
            result.grouping = .comma
            pos += 1
        }
        if pos < end && s[pos] == 0x5F {  // '_'
            if result.grouping != .none {
                throw .valueError("Cannot specify both ',' and '_'.")
            }
            result.grouping = .underscore
            pos += 1
        }
        if pos < end && s[pos] == 0x2C && result.grouping == .underscore {
            throw .valueError("Cannot specify both ',' and '_'.")
        }
        if pos < end && s[pos] == 0x2E {  // '.'
            pos += 1
            guard let precision = try readInteger(s, &pos) else {
                throw .valueError("Format specifier missing precision")
            }
            result.precision = precision
        }
        // What is left must be at most one code point: the type.
        if pos < end {
            let (type, length) = decodeUTF8Scalar(s, at: pos)
            if pos + length < end {
                let text = String(decoding: s, as: UTF8.self)
                throw .valueError("Invalid format specifier '\(text)' for object of type '\(typeName)'")
            }
            result.type = type
        }
        if result.grouping != .none {
            switch result.type {
            case "d", "e", "f", "g", "E", "G", "%", "F", nil:
                break
            case "b", "o", "x", "X":
                if result.grouping == .underscore {
                    result.grouping = .underscoreFour
                } else {
                    throw .valueError("Cannot specify ',' with \(describeCode(result.type)).")
                }
            default:
                let specifier = result.grouping == .comma ? "," : "_"
                throw .valueError("Cannot specify '\(specifier)' with \(describeCode(result.type)).")
            }
        }
        return result
    }

    /// `'c'` for a printable ASCII code, `'\xNN'` (CPython's `%x`, no padding) otherwise.
    static func describeCode(_ code: Unicode.Scalar?) -> String {
        let v = code?.value ?? 0
        if v > 32 && v < 128, let c = code {
            return "'\(Character(c))'"
        }
        return "'\\x\(String(v, radix: 16))'"
    }

    /// CPython's `unknown_presentation_type` error.
    static func unknownCode(_ code: Unicode.Scalar?, typeName: String) -> FormatError {
        .valueError("Unknown format code \(describeCode(code)) for object of type '\(typeName)'")
    }

    @inline(__always) private static func isAlignment(_ c: UInt8) -> Bool {
        c == 0x3C || c == 0x3E || c == 0x3D || c == 0x5E  // < > = ^
    }

    /// CPython's `get_integer`: a run of (Unicode) decimal digits; nil when there is none.
    private static func readInteger(_ s: UnsafeBufferPointer<UInt8>,
                                    _ pos: inout Int) throws(FormatError) -> Int? {
        var accumulator = 0
        var consumed = 0
        while pos < s.count {
            let digit: Int
            var length = 1
            let b = s[pos]
            if b &- 0x30 < 10 {
                digit = Int(b &- 0x30)
            } else if b >= 0x80 {
                let (u, n) = decodeUTF8Scalar(s, at: pos)
                guard let d = decimalValue(u) else { break }
                digit = d
                length = n
            } else {
                break
            }
            if accumulator > (Int.max - digit) / 10 {
                throw .valueError("Too many decimal digits in format string")
            }
            accumulator = accumulator * 10 + digit
            pos += length
            consumed += 1
        }
        return consumed == 0 ? nil : accumulator
    }
}

/// The code point whose UTF-8 encoding starts at `i` (0 <= i < s.count), and its length in bytes.
/// (Swift strings hold valid UTF-8; a malformed or cut sequence reads as U+FFFD, one byte long.)
@inline(__always)
func decodeUTF8Scalar(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> (scalar: Unicode.Scalar, length: Int) {
    let b0 = s[i]
    if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
    let n = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 1
    guard n > 1, n <= s.count - i else { return ("\u{FFFD}", 1) }
    var v = UInt32(b0) & (0x7F >> UInt32(n))
    for k in 1..<n { v = v << 6 | UInt32(s[i + k] & 0x3F) }
    guard let u = Unicode.Scalar(v) else { return ("\u{FFFD}", 1) }
    return (u, n)
}

/// The value of a Unicode decimal digit (Nd), as `Py_UNICODE_TODECIMAL`; nil for anything else.
func decimalValue(_ u: Unicode.Scalar) -> Int? {
    if u.value >= 0x30 && u.value <= 0x39 { return Int(u.value - 0x30) }
    if u.value < 0x80 { return nil }
    let props = u.properties
    // Digits assigned after Unicode 14.0 are unknown to CPython 3.11.
    if let age = props.age, age.major > 14 { return nil }
    guard props.numericType == .decimal, let v = props.numericValue else { return nil }
    let digit = Int(v)
    return (0...9).contains(digit) ? digit : nil
}
