// The format-spec mini-language: `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
// The one idea: parsing is CPython's `parse_internal_render_format_spec`, run on code points, with the
// object's default type and alignment ('d'/'>' for int, none/'>' for float, 's'/'<' for str) because
// both change how the spec reads ('0' means '=' alignment only for right-aligned defaults, and the
// grouping check looks at the defaulted type).

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
        let s = Array(spec.unicodeScalars)
        let end = s.count
        var pos = 0
        var result = FormatSpec(align: defaultAlign, type: defaultType)
        var alignSpecified = false
        var fillSpecified = false

        if end - pos >= 2 && isAlignment(s[pos + 1]) {
            result.align = s[pos + 1]
            result.fill = s[pos]
            fillSpecified = true
            alignSpecified = true
            pos += 2
        } else if end - pos >= 1 && isAlignment(s[pos]) {
            result.align = s[pos]
            alignSpecified = true
            pos += 1
        }
        if end - pos >= 1 && (s[pos] == " " || s[pos] == "+" || s[pos] == "-") {
            result.sign = s[pos]
            pos += 1
        }
        if end - pos >= 1 && s[pos] == "z" {
            result.noNegativeZero = true
            pos += 1
        }
        if end - pos >= 1 && s[pos] == "#" {
            result.alternate = true
            pos += 1
        }
        if !fillSpecified && end - pos >= 1 && s[pos] == "0" {
            result.fill = "0"
            if !alignSpecified && defaultAlign == ">" { result.align = "=" }
            pos += 1
        }
        if let width = try readInteger(s, &pos) { result.width = width }

        if pos < end && s[pos] == "," {
            result.grouping = .comma
            pos += 1
        }
        if pos < end && s[pos] == "_" {
            if result.grouping != .none {
                throw .valueError("Cannot specify both ',' and '_'.")
            }
            result.grouping = .underscore
            pos += 1
        }
        if pos < end && s[pos] == "," && result.grouping == .underscore {
            throw .valueError("Cannot specify both ',' and '_'.")
        }
        if pos < end && s[pos] == "." {
            pos += 1
            guard let precision = try readInteger(s, &pos) else {
                throw .valueError("Format specifier missing precision")
            }
            result.precision = precision
        }
        if end - pos > 1 {
            throw .valueError("Invalid format specifier '\(spec)' for object of type '\(typeName)'")
        }
        if end - pos == 1 {
            result.type = s[pos]
            pos += 1
        }
        if result.grouping != .none {
            let t = result.type.map { Character($0) }
            switch t {
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

    private static func isAlignment(_ c: Unicode.Scalar) -> Bool {
        c == "<" || c == ">" || c == "=" || c == "^"
    }

    /// CPython's `get_integer`: a run of (Unicode) decimal digits; nil when there is none.
    private static func readInteger(_ s: [Unicode.Scalar], _ pos: inout Int) throws(FormatError) -> Int? {
        var accumulator = 0
        var consumed = 0
        while pos < s.count, let digit = decimalValue(s[pos]) {
            if accumulator > (Int.max - digit) / 10 {
                throw .valueError("Too many decimal digits in format string")
            }
            accumulator = accumulator * 10 + digit
            pos += 1
            consumed += 1
        }
        return consumed == 0 ? nil : accumulator
    }
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
