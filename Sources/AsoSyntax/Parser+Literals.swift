// Literal values: numbers from their text, and string/bytes literals with their escapes, including
// the concatenation of adjacent literals.
//
// One idea: the lexer has already checked a number's shape, so converting cannot fail; integers too
// big for `Int` become decimal digit strings (`Constant.bigInt`) through a small base conversion.

extension Parser {
    /// The value of a NUMBER token's text.
    func numberValue(_ raw: String) -> Constant {
        let text = raw.replacingUnderscores()
        let lower = text.lowercased()
        if lower.hasSuffix("j") { return .imaginary(Double(String(text.dropLast())) ?? 0) }
        var radix = 10
        var digits = Substring(lower)
        if lower.hasPrefix("0x") { radix = 16; digits = digits.dropFirst(2) }
        else if lower.hasPrefix("0o") { radix = 8; digits = digits.dropFirst(2) }
        else if lower.hasPrefix("0b") { radix = 2; digits = digits.dropFirst(2) }
        else if lower.contains(".") || lower.contains("e") { return .float(Double(text) ?? 0) }
        if let value = Int(digits, radix: radix) { return .int(value) }
        return .bigInt(Parser.decimalDigits(String(digits), radix: radix))
    }

    /// Converts digits in `radix` to decimal digits, without leading zeros.
    static func decimalDigits(_ digits: String, radix: Int) -> String {
        // Little-endian limbs in base 10^9.
        var limbs: [UInt64] = [0]
        let base: UInt64 = 1_000_000_000
        for ch in digits.unicodeScalars {
            guard let d = Int(String(ch), radix: radix) else { continue }
            var carry = UInt64(d)
            for k in 0..<limbs.count {
                let v = limbs[k] * UInt64(radix) + carry
                limbs[k] = v % base
                carry = v / base
            }
            while carry > 0 { limbs.append(carry % base); carry /= base }
        }
        var out = String(limbs[limbs.count - 1])
        for k in stride(from: limbs.count - 2, through: 0, by: -1) {
            let part = String(limbs[k])
            out += String(repeating: "0", count: 9 - part.count) + part
        }
        return out
    }

    /// STRING+: adjacent string literals, joined; any f-string makes the result a `joinedStr`.
    func strings() throws(SyntaxError) -> Expr {
        let first = tok
        var parts: [FStringPart] = []
        var bytes: [UInt8] = []
        var isBytes: Bool?
        var mixed = false
        var anyFString = false
        while tok.kind == .string {
            let t = next()
            let literal = StringLiteral(t)
            if let b = isBytes, b != literal.isBytes { mixed = true }
            isBytes = literal.isBytes
            if literal.isBytes {
                bytes += try decodeBytes(literal, t)
            } else if literal.isFString {
                anyFString = true
                parts += try fstringParts(literal, t)
            } else {
                parts.append(.literal(try decodeString(literal.body, raw: literal.isRaw, t)))
            }
        }
        if mixed { throw error("cannot mix bytes and nonbytes literals", at: tok.loc) }
        if isBytes == true { return node(.constant(.bytes(bytes)), first.loc) }
        let merged = Parser.mergeLiterals(parts)
        if !anyFString {
            if case .literal(let s)? = merged.first { return node(.constant(.str(s)), first.loc) }
            return node(.constant(.str("")), first.loc)
        }
        return node(.joinedStr(merged), first.loc)
    }

    /// Joins neighbouring literal parts and drops empty ones.
    static func mergeLiterals(_ parts: [FStringPart]) -> [FStringPart] {
        var out: [FStringPart] = []
        for part in parts {
            if case .literal(let s) = part {
                if s.isEmpty { continue }
                if case .literal(let previous)? = out.last {
                    out[out.count - 1] = .literal(previous + s)
                    continue
                }
            }
            out.append(part)
        }
        return out
    }

    func decodeBytes(_ literal: StringLiteral, _ t: Token) throws(SyntaxError) -> [UInt8] {
        var out: [UInt8] = []
        let s = Array(literal.body)
        var i = 0
        while i < s.count {
            let c = s[i]
            guard c.isASCII else { throw error("bytes can only contain ASCII literal characters", at: t.loc) }
            if c != "\\" || literal.isRaw {
                out.append(UInt8(c.value))
                i += 1
                continue
            }
            guard i + 1 < s.count else { out.append(92); i += 1; continue }
            let e = s[i + 1]
            i += 2
            switch e {
            case "\n": break
            case "\\": out.append(92)
            case "'": out.append(39)
            case "\"": out.append(34)
            case "a": out.append(7)
            case "b": out.append(8)
            case "f": out.append(12)
            case "n": out.append(10)
            case "r": out.append(13)
            case "t": out.append(9)
            case "v": out.append(11)
            case "0"..."7":
                var value = Int(e.value - 48)
                var n = 1
                while n < 3, i < s.count, s[i] >= "0" && s[i] <= "7" { value = value * 8 + Int(s[i].value - 48); i += 1; n += 1 }
                out.append(UInt8(value & 0xFF))
            case "x":
                guard i + 2 <= s.count, let v = Int(String(String.UnicodeScalarView(s[i..<i + 2])), radix: 16) else {
                    throw error("(value error) invalid \\x escape at position \(i - 2)", at: t.end)
                }
                out.append(UInt8(v))
                i += 2
            default:
                out.append(92)
                out.append(UInt8(e.value & 0x7F))
            }
        }
        return out
    }

    /// Decodes the escapes of a str literal's body (or returns it unchanged when raw).
    func decodeString(_ s: ArraySlice<Unicode.Scalar>, raw: Bool, _ t: Token) throws(SyntaxError) -> String {
        var out = String.UnicodeScalarView()
        if raw { out.append(contentsOf: s); return String(out) }
        var i = s.startIndex
        // CPython reports positions in a copy where each non-ASCII character is a 10-byte \U escape.
        func position(_ k: Int) -> Int {
            var p = 0
            for j in s.startIndex..<k { p += s[j].isASCII ? 1 : 10 }
            return p
        }
        func fail(_ start: Int, _ end: Int, _ what: String) -> SyntaxError {
            error("(unicode error) 'unicodeescape' codec can't decode bytes in position \(position(start))-\(position(end) - 1): \(what)", at: t.end)
        }
        while i < s.endIndex {
            let c = s[i]
            if c != "\\" { out.append(c); i += 1; continue }
            guard i + 1 < s.endIndex else { throw fail(i, i + 1, "\\ at end of string") }
            let e = s[i + 1]
            let start = i
            i += 2
            switch e {
            case "\n": break
            case "\\": out.append("\\")
            case "'": out.append("'")
            case "\"": out.append("\"")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "v": out.append("\u{0B}")
            case "0"..."7":
                var value = e.value - 48
                var n = 1
                while n < 3, i < s.endIndex, s[i] >= "0" && s[i] <= "7" { value = value * 8 + s[i].value - 48; i += 1; n += 1 }
                if let scalar = Unicode.Scalar(value) { out.append(scalar) }
            case "x", "u", "U":
                let width = e == "x" ? 2 : e == "u" ? 4 : 8
                var value: UInt32 = 0
                var n = 0
                while n < width, i < s.endIndex, let d = Int(String(s[i]), radix: 16) { value = value * 16 + UInt32(d); i += 1; n += 1 }
                if n < width {
                    let name = e == "x" ? "truncated \\xXX escape" : e == "u" ? "truncated \\uXXXX escape" : "truncated \\UXXXXXXXX escape"
                    throw fail(start, i, name)
                }
                if value > 0x10FFFF { throw fail(start, i, "illegal Unicode character") }
                // A lone surrogate (valid in a Python str) cannot be in a Swift string: U+FFFD stands in.
                out.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            case "N":
                var j = i
                var name = ""
                if j < s.endIndex && s[j] == "{" {
                    j += 1
                    while j < s.endIndex && s[j] != "}" { name.unicodeScalars.append(s[j]); j += 1 }
                }
                guard j < s.endIndex, !name.isEmpty else { throw fail(start, min(j, s.endIndex), "malformed \\N character escape") }
                i = j + 1
                guard let scalar = Parser.scalar(named: name) else { throw fail(start, i, "unknown Unicode character name") }
                out.append(scalar)
            default:
                out.append("\\")
                out.append(e)
            }
        }
        return String(out)
    }

    /// Aliases of control characters, which have no Unicode name of their own.
    static let controlNames: [String: UInt8] = [
        "NULL": 0, "NUL": 0, "BELL": 7, "ALERT": 7, "BEL": 7, "BACKSPACE": 8, "BS": 8, "CHARACTER TABULATION": 9,
        "HORIZONTAL TABULATION": 9, "TAB": 9, "HT": 9, "LINE FEED": 10, "NEW LINE": 10, "END OF LINE": 10, "LF": 10,
        "NL": 10, "EOL": 10, "LINE TABULATION": 11, "VERTICAL TABULATION": 11, "VT": 11, "FORM FEED": 12, "FF": 12,
        "CARRIAGE RETURN": 13, "CR": 13, "ESCAPE": 27, "ESC": 27, "DELETE": 127, "DEL": 127,
    ]

    /// Looks up a character by its Unicode name (`\N{...}`), in the planes where named characters live.
    static func scalar(named name: String) -> Unicode.Scalar? {
        let wanted = name.uppercased()
        if let value = controlNames[wanted] { return Unicode.Scalar(value) }
        for range in [0x20...0x2FFFF, 0xE0000...0xE01EF] {
            for v in range {
                guard let scalar = Unicode.Scalar(UInt32(v)) else { continue }
                if scalar.properties.name == wanted || scalar.properties.nameAlias == wanted { return scalar }
            }
        }
        return nil
    }
}

/// A string token split into prefix flags and body.
struct StringLiteral {
    var isRaw = false, isBytes = false, isFString = false
    /// The scalars between the quotes.
    var body: ArraySlice<Unicode.Scalar>
    /// How many scalars precede the body on the token's first line (prefix and quotes).
    var bodyOffset: Int

    init(_ t: Token) {
        let scalars = Array(t.text.unicodeScalars)
        var k = 0
        while k < scalars.count && scalars[k] != "'" && scalars[k] != "\"" {
            switch scalars[k] {
            case "r", "R": isRaw = true
            case "b", "B": isBytes = true
            case "f", "F": isFString = true
            default: break
            }
            k += 1
        }
        let quote: Unicode.Scalar = k < scalars.count ? scalars[k] : "'"
        let triple = k + 2 < scalars.count && scalars[k + 1] == quote && scalars[k + 2] == quote && scalars.count - k >= 6
        let q = triple ? 3 : 1
        let start = min(k + q, scalars.count)
        let end = max(start, scalars.count - q)
        body = scalars[start..<end]
        bodyOffset = start
    }
}

extension String {
    func replacingUnderscores() -> String {
        var out = String.UnicodeScalarView()
        for c in unicodeScalars where c != "_" { out.append(c) }
        return String(out)
    }
}
