// str methods about characters: case mappings, the is...() predicates, padding, tabs, encoding.
//
// One idea: Python's character classes come from Unicode properties, which Swift exposes per
// scalar (`Unicode.Scalar.Properties`): cased/lowercase/uppercase for the case methods, general
// category and numeric type for isalpha/isdigit/isdecimal/isnumeric. Padding methods check the
// requested size against the memory limit before building anything.

extension Runtime {
    func installStrCaseMethods() {
        let t = types.str
        let mappings: [(String, (Runtime, Scalars) -> String)] = [
            ("upper", { _, s in scalarString(s[...]).uppercased() }),
            ("lower", { _, s in scalarString(s[...]).lowercased() }),
            ("casefold", { _, s in casefold(s) }),
            ("swapcase", { _, s in
                var out = ""
                for c in s {
                    if c.properties.isUppercase { out += c.properties.lowercaseMapping }
                    else if c.properties.isLowercase { out += c.properties.uppercaseMapping }
                    else { out.unicodeScalars.append(c) }
                }
                return out
            }),
            ("title", { _, s in
                var out = ""
                var previousCased = false
                for c in s {
                    out += previousCased ? c.properties.lowercaseMapping : c.properties.titlecaseMapping
                    previousCased = c.properties.isCased
                }
                return out
            }),
            ("capitalize", { _, s in
                guard let f = s.first else { return "" }
                return f.properties.titlecaseMapping + scalarString(s.dropFirst()).lowercased()
            }),
        ]
        for (name, f) in mappings {
            defineMethod(t, name) { rt, me, a in
                try a.none(rt)
                return rt.newStr(f(rt, rt.scalarsOf(me)))
            }
        }
        let predicates: [(String, (Scalars) -> Bool)] = [
            ("isdigit", { s in !s.isEmpty && s.allSatisfy { $0.properties.numericType == .decimal || $0.properties.numericType == .digit } }),
            ("isdecimal", { s in !s.isEmpty && s.allSatisfy { $0.properties.numericType == .decimal } }),
            ("isnumeric", { s in !s.isEmpty && s.allSatisfy { $0.properties.numericType != nil } }),
            ("isalpha", { s in !s.isEmpty && s.allSatisfy(isPyAlpha) }),
            ("isalnum", { s in !s.isEmpty && s.allSatisfy { isPyAlpha($0) || $0.properties.numericType != nil } }),
            ("isspace", { s in !s.isEmpty && s.allSatisfy(isPySpace) }),
            ("isascii", { s in s.allSatisfy { $0.isASCII } }),
            ("islower", { s in caseCheck(s, lower: true) }),
            ("isupper", { s in caseCheck(s, lower: false) }),
            ("istitle", isTitle),
            ("isidentifier", isIdentifier),
            ("isprintable", { s in s.allSatisfy(isPrintable) }),
        ]
        for (name, f) in predicates {
            defineMethod(t, name) { rt, me, a in
                try a.none(rt)
                return .bool(f(rt.scalarsOf(me)))
            }
        }
        for (name, align) in [("center", 0), ("ljust", -1), ("rjust", 1)] {
            defineMethod(t, name) { rt, me, a in
                try a.positional(rt, 1, 2)
                let width = try rt.intArgument(a[0])
                var fill: Unicode.Scalar = " "
                if a.count == 2 {
                    guard let f = a[1].asStr else {
                        throw rt.typeError("The fill character must be a unicode character, not \(rt.typeName(a[1]))")
                    }
                    guard f.count == 1, let c = f.scalars.first else {
                        throw rt.typeError("The fill character must be exactly one character long")
                    }
                    fill = c
                }
                guard let str = me.asStr else { return me }
                if width <= str.count { return me }
                try rt.checkAllocation(width, elementSize: 4)
                let total = width - str.count
                var left: Int
                switch align {
                case -1: left = 0
                case 1: left = total
                default: left = total / 2 + (total & width & 1)
                }
                // Built as UTF-8: the fill, the receiver's bytes as they are, the fill.
                var out = UTF8Builder(capacity: str.value.utf8.count + total)
                out.append(fill, count: left)
                withUTF8(str.value) { out.append(bytes: $0) }
                out.append(fill, count: total - left)
                return out.bytes.withUnsafeBufferPointer { rt.newStr(utf8: $0, ascii: str.isASCII && fill.isASCII ? true : nil) }
            }
        }
        defineMethod(t, "zfill") { rt, me, a in
            let width = try rt.intArgument(try a.one(rt))
            let s = rt.scalarsOf(me)
            if width <= s.count { return me }
            try rt.checkAllocation(width, elementSize: 4)
            var out = Scalars()
            var rest = s[...]
            if let f = s.first, f == "+" || f == "-" {
                out.append(f)
                rest = s.dropFirst()
            }
            out += Scalars(repeating: "0", count: width - s.count)
            out += rest
            return rt.newStr(scalarString(out[...]))
        }
        defineMethod(t, "expandtabs") { rt, me, a in
            let p = try a.parameters(rt, ["tabsize"])
            let tab = try p[0].map { try rt.intArgument($0) } ?? 8
            var out = Scalars()
            var column = 0
            for c in rt.scalarsOf(me) {
                if c == "\t" {
                    if tab > 0 {
                        let n = tab - column % tab
                        try rt.checkAllocation(out.count + n, elementSize: 4)
                        out += Scalars(repeating: " ", count: n)
                        column += n
                    }
                } else {
                    out.append(c)
                    column = (c == "\n" || c == "\r") ? 0 : column + 1
                }
            }
            return rt.newStr(scalarString(out[...]))
        }
    }

    /// `str.encode`: UTF-8, ASCII and Latin-1.
    func encodeString(_ s: Scalars, encoding: String, errors: String) throws -> Value {
        switch normalizeEncoding(encoding) {
        case "utf-8", "utf8":
            return newBytes(Array(scalarString(s[...]).utf8))
        case "ascii", "latin-1", "latin1", "iso-8859-1", "iso8859-1":
            let ascii = normalizeEncoding(encoding) == "ascii"
            let limit: UInt32 = ascii ? 0x80 : 0x100
            var out: [UInt8] = []
            for (i, c) in s.enumerated() {
                if c.value < limit { out.append(UInt8(truncatingIfNeeded: c.value)); continue }
                switch errors {
                case "ignore": continue
                case "replace": out.append(0x3F)
                default:
                    let name = ascii ? "ascii" : "latin-1"
                    let ch = escapedCharacter(c)
                    throw error(exc.byName["UnicodeEncodeError"] ?? exc.unicodeError,
                                "'\(name)' codec can't encode character '\(ch)' in position \(i): ordinal not in range(\(limit))")
                }
            }
            return newBytes(out)
        default:
            throw error(exc.lookupError, "unknown encoding: \(encoding)")
        }
    }
}

func normalizeEncoding(_ e: String) -> String {
    String(e.lowercased().map { $0 == "_" || $0 == " " ? "-" : $0 })
}

/// Letters: general categories Lu, Ll, Lt, Lm, Lo.
func isPyAlpha(_ c: Unicode.Scalar) -> Bool {
    switch c.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
    default: return false
    }
}

private func caseCheck(_ s: Scalars, lower: Bool) -> Bool {
    var cased = false
    for c in s {
        let p = c.properties
        if lower {
            if p.isUppercase || p.generalCategory == .titlecaseLetter { return false }
            if p.isLowercase { cased = true }
        } else {
            if p.isLowercase || p.generalCategory == .titlecaseLetter { return false }
            if p.isUppercase { cased = true }
        }
    }
    return cased
}

private func isTitle(_ s: Scalars) -> Bool {
    var cased = false, previousCased = false
    for c in s {
        let p = c.properties
        if p.isUppercase || p.generalCategory == .titlecaseLetter {
            if previousCased { return false }
            previousCased = true; cased = true
        } else if p.isLowercase {
            if !previousCased { return false }
            previousCased = true; cased = true
        } else {
            previousCased = false
        }
    }
    return cased
}

private func isIdentifier(_ s: Scalars) -> Bool {
    guard let f = s.first, f == "_" || f.properties.isXIDStart else { return false }
    return s.dropFirst().allSatisfy { $0.properties.isXIDContinue }
}

private func isPrintable(_ c: Unicode.Scalar) -> Bool {
    if c == " " { return true }
    switch c.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
        return false
    default: return true
    }
}

private func casefold(_ s: Scalars) -> String {
    var out = ""
    for c in s {
        switch c.value {
        case 0xDF: out += "ss"
        case 0x17F: out += "s"
        case 0x3C2: out += "σ"
        case 0x1E9E: out += "ss"
        default: out += c.properties.lowercaseMapping
        }
    }
    return out
}

/// A character as CPython's codec errors show it: `\xe9`, `\u20ac`, `\U0001f600`.
func escapedCharacter(_ c: Unicode.Scalar) -> String {
    if c.value < 0x100 { return "\\x" + String(c.value, radix: 16).leftPadded(2) }
    if c.value < 0x10000 { return "\\u" + String(c.value, radix: 16).leftPadded(4) }
    return "\\U" + String(c.value, radix: 16).leftPadded(8)
}
