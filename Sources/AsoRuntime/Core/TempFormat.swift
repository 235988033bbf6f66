// Temporary stand-ins until the formatting library lands.
func floatRepr(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    var s = "\(d)"
    if s.hasSuffix(".0") && s.count > 17 { s = String(s.dropLast(2)) }
    return s
}
func pyStringRepr(_ s: String) -> String {
    let q: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
    var out = String(q)
    for c in s.unicodeScalars {
        switch c {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if Character(c) == q { out += "\\\(q)" } else if c.value < 0x20 || c.value == 0x7f {
                out += "\\x" + String(c.value, radix: 16).leftPadded(2)
            } else { out.unicodeScalars.append(c) }
        }
    }
    out.append(q)
    return out
}
func bytesRepr(_ b: [UInt8]) -> String {
    var out = "b'"
    for x in b {
        switch x {
        case 0x5c: out += "\\\\"
        case 0x27: out += "\\'"
        case 0x0a: out += "\\n"
        case 0x0d: out += "\\r"
        case 0x09: out += "\\t"
        case 0x20..<0x7f: out.unicodeScalars.append(Unicode.Scalar(x))
        default: out += "\\x" + String(x, radix: 16).leftPadded(2)
        }
    }
    return out + "'"
}
extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
