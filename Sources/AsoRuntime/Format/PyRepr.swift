// Python's repr() of str and bytes, used for error messages and for repr() itself.
// The one idea: Python decides quoting and escaping per code point (not per Swift Character), with
// "printable" meaning any general category except Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs (space is
// printable), as of Unicode 14.0, the version CPython 3.11 ships.

/// Python's `repr(s)` for a str: quotes, escapes and all.
func pyStringRepr(_ s: String) -> String {
    if let r = asciiStringRepr(s) { return r }
    var hasSingle = false
    var hasDouble = false
    for u in s.unicodeScalars {
        if u == "'" { hasSingle = true } else if u == "\"" { hasDouble = true }
    }
    let quote: Unicode.Scalar = (hasSingle && !hasDouble) ? "\"" : "'"
    var out = String.UnicodeScalarView()
    out.append(quote)
    for u in s.unicodeScalars {
        let v = u.value
        if u == quote || u == "\\" {
            out.append("\\")
            out.append(u)
        } else if u == "\t" {
            out.append(contentsOf: "\\t".unicodeScalars)
        } else if u == "\n" {
            out.append(contentsOf: "\\n".unicodeScalars)
        } else if u == "\r" {
            out.append(contentsOf: "\\r".unicodeScalars)
        } else if v < 0x20 || v == 0x7f {
            appendHexEscape(&out, "x", v, width: 2)
        } else if v < 0x7f {
            out.append(u)
        } else if isPythonPrintable(u) {
            out.append(u)
        } else if v <= 0xff {
            appendHexEscape(&out, "x", v, width: 2)
        } else if v <= 0xffff {
            appendHexEscape(&out, "u", v, width: 4)
        } else {
            appendHexEscape(&out, "U", v, width: 8)
        }
    }
    out.append(quote)
    return String(out)
}

/// `pyStringRepr` of an all-ASCII string, written as bytes; nil when `s` is not all ASCII.
private func asciiStringRepr(_ s: String) -> String? {
    withUTF8(s) { b -> String? in
        var hasSingle = false, hasDouble = false
        for c in b {
            if c >= 0x80 { return nil }
            if c == UInt8(ascii: "'") { hasSingle = true } else if c == UInt8(ascii: "\"") { hasDouble = true }
        }
        let quote = (hasSingle && !hasDouble) ? UInt8(ascii: "\"") : UInt8(ascii: "'")
        let backslash = UInt8(ascii: "\\")
        var out: [UInt8] = []
        out.reserveCapacity(b.count &+ 2)
        out.append(quote)
        for c in b {
            switch c {
            case quote, backslash: out.append(backslash); out.append(c)
            case UInt8(ascii: "\t"): out.append(backslash); out.append(UInt8(ascii: "t"))
            case UInt8(ascii: "\n"): out.append(backslash); out.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): out.append(backslash); out.append(UInt8(ascii: "r"))
            case 0..<0x20, 0x7f:
                let hi = c >> 4, lo = c & 0xf
                out.append(backslash); out.append(UInt8(ascii: "x"))
                out.append(hi < 10 ? 48 &+ hi : 87 &+ hi); out.append(lo < 10 ? 48 &+ lo : 87 &+ lo)
            default: out.append(c)
            }
        }
        out.append(quote)
        return out.withUnsafeBufferPointer { utf8String($0) }
    }
}

/// `repr(s)` cut to at most `maxLength` code points, as CPython's `%.200R` does in messages.
func pyStringReprTruncated(_ s: String, maxLength: Int) -> String {
    let r = pyStringRepr(s)
    let scalars = r.unicodeScalars
    if scalars.count <= maxLength { return r }
    var out = String.UnicodeScalarView()
    out.append(contentsOf: scalars.prefix(max(0, maxLength)))
    return String(out)
}

/// Python's `repr(b)` for a bytes object: `b'...'` with `\xNN` escapes.
func bytesRepr(_ bytes: [UInt8]) -> String {
    bytesLikeRepr(bytes, prefix: "b")
}

/// The quoted body shared by bytes and bytearray reprs (`prefix` is "b"; bytearray wraps it itself).
func bytesLikeRepr(_ bytes: [UInt8], prefix: String) -> String {
    var hasSingle = false
    var hasDouble = false
    for b in bytes {
        if b == 0x27 { hasSingle = true } else if b == 0x22 { hasDouble = true }
    }
    let quote: UInt8 = (hasSingle && !hasDouble) ? 0x22 : 0x27
    var out = String.UnicodeScalarView()
    out.append(contentsOf: prefix.unicodeScalars)
    out.append(Unicode.Scalar(quote))
    for b in bytes {
        if b == quote || b == 0x5c {
            out.append("\\")
            out.append(Unicode.Scalar(b))
        } else if b == 0x09 {
            out.append(contentsOf: "\\t".unicodeScalars)
        } else if b == 0x0a {
            out.append(contentsOf: "\\n".unicodeScalars)
        } else if b == 0x0d {
            out.append(contentsOf: "\\r".unicodeScalars)
        } else if b < 0x20 || b >= 0x7f {
            appendHexEscape(&out, "x", UInt32(b), width: 2)
        } else {
            out.append(Unicode.Scalar(b))
        }
    }
    out.append(Unicode.Scalar(quote))
    return String(out)
}

/// Python's `str.isprintable()` for one code point (Unicode 14.0, as CPython 3.11).
func isPythonPrintable(_ u: Unicode.Scalar) -> Bool {
    if u == " " { return true }
    let props = u.properties
    // Code points assigned after Unicode 14.0 are unassigned (Cn) for CPython 3.11.
    if let age = props.age, age.major > 14 { return false }
    switch props.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned,
         .lineSeparator, .paragraphSeparator, .spaceSeparator:
        return false
    default:
        return true
    }
}

private let lowerHexDigits: [Unicode.Scalar] = Array("0123456789abcdef".unicodeScalars)

private func appendHexEscape(_ out: inout String.UnicodeScalarView, _ letter: Unicode.Scalar,
                             _ value: UInt32, width: Int) {
    out.append("\\")
    out.append(letter)
    var shift = (width - 1) * 4
    while shift >= 0 {
        out.append(lowerHexDigits[Int((value >> UInt32(shift)) & 0xf)])
        shift -= 4
    }
}
