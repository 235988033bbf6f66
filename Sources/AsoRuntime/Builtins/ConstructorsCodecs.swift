// The text codecs behind `str(b, encoding)` and `bytes(s, encoding)`: UTF-8, ASCII and Latin-1,
// with the `strict`, `ignore` and `replace` error handlers.
//
// One idea: the UTF-8 decoder follows CPython's, so a bad sequence is reported with the same byte
// range and reason ("invalid start byte", "invalid continuation byte", "unexpected end of data"),
// and `replace` puts one U+FFFD per maximal invalid subpart, as CPython does.

extension Runtime {
    /// The codec an encoding name denotes (CPython's normalisation: case, '-' and '_' ignored).
    private func codecName(_ encoding: String) throws -> String {
        let n = String(encoding.lowercased().map { $0 == "_" || $0 == " " ? "-" : $0 })
        switch n {
        case "utf-8", "utf8", "u8", "utf": return "utf-8"
        case "ascii", "us-ascii", "646": return "ascii"
        case "latin-1", "latin1", "iso-8859-1", "iso8859-1", "8859", "cp819", "l1", "latin": return "latin-1"
        default: throw error(exc.lookupError, "unknown encoding: \(encoding)")
        }
    }

    private func checkHandler(_ errors: String) throws {
        if errors != "strict" && errors != "ignore" && errors != "replace" {
            throw error(exc.lookupError, "unknown error handler name '\(errors)'")
        }
    }

    /// `bytes.decode(encoding, errors)`.
    func decodeBytes(_ bytes: [UInt8], encoding: String, errors: String) throws -> String {
        let codec = try codecName(encoding)
        var out = String.UnicodeScalarView()
        func fail(_ start: Int, _ end: Int, _ reason: String) throws {
            if errors == "strict" {
                let what = end - start == 1
                    ? "byte 0x\(String(bytes[start], radix: 16).leftPadded(2)) in position \(start)"
                    : "bytes in position \(start)-\(end - 1)"
                throw namedError("UnicodeDecodeError", "'\(codec)' codec can't decode \(what): \(reason)")
            }
            try checkHandler(errors)
            if errors == "replace" { out.append("\u{FFFD}") }
        }
        switch codec {
        case "latin-1":
            for b in bytes { out.append(Unicode.Scalar(b)) }
        case "ascii":
            for (i, b) in bytes.enumerated() {
                if b < 0x80 { out.append(Unicode.Scalar(b)) } else { try fail(i, i + 1, "ordinal not in range(128)") }
            }
        default:
            var i = 0
            let n = bytes.count
            while i < n {
                let b0 = bytes[i]
                if b0 < 0x80 { out.append(Unicode.Scalar(b0)); i += 1; continue }
                let length: Int
                var low: UInt8 = 0x80, high: UInt8 = 0xBF
                switch b0 {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; low = 0xA0
                case 0xED: length = 3; high = 0x9F
                case 0xE1...0xEF: length = 3
                case 0xF0: length = 4; low = 0x90
                case 0xF4: length = 4; high = 0x8F
                case 0xF1...0xF3: length = 4
                default:
                    try fail(i, i + 1, "invalid start byte")
                    i += 1
                    continue
                }
                var value = UInt32(b0) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                var k = 1
                var bad: (Int, String)? = nil
                while k < length {
                    if i + k >= n { bad = (n, "unexpected end of data"); break }
                    let c = bytes[i + k]
                    let (lo, hi) = k == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
                    if c < lo || c > hi { bad = (i + k, "invalid continuation byte"); break }
                    value = value << 6 | UInt32(c & 0x3F)
                    k += 1
                }
                if let (end, reason) = bad {
                    try fail(i, end, reason)
                    i = end
                    continue
                }
                out.append(Unicode.Scalar(value) ?? "\u{FFFD}")
                i += length
            }
        }
        return String(out)
    }

    /// `str.encode(encoding, errors)`.
    func encodeString(_ s: String, encoding: String, errors: String) throws -> [UInt8] {
        let codec = try codecName(encoding)
        if codec == "utf-8" { return Array(s.utf8) }
        let limit: UInt32 = codec == "ascii" ? 0x80 : 0x100
        let scalars = Array(s.unicodeScalars)
        var out: [UInt8] = []
        out.reserveCapacity(scalars.count)
        var i = 0
        while i < scalars.count {
            let v = scalars[i].value
            if v < limit { out.append(UInt8(truncatingIfNeeded: v)); i += 1; continue }
            var end = i + 1
            while end < scalars.count && scalars[end].value >= limit { end += 1 }
            if errors == "strict" {
                let what = end - i == 1
                    ? "character '\(asciiRepr(String(Character(scalars[i]))))' in position \(i)"
                    : "characters in position \(i)-\(end - 1)"
                throw namedError("UnicodeEncodeError",
                                 "'\(codec)' codec can't encode \(what): ordinal not in range(\(limit))")
            }
            try checkHandler(errors)
            if errors == "replace" { out.append(contentsOf: [UInt8](repeating: 0x3F, count: end - i)) }
            i = end
        }
        return out
    }
}
