// `str % args`: printf-style formatting, as CPython's PyUnicode_Format does it.
//
// One idea: each `%[(key)][flags][width][.precision]conversion` is translated into the format-spec
// mini-language and handed to the same formatting code as `format()` and f-strings, so numbers
// come out digit for digit as CPython prints them.

extension Runtime {
    func percentFormat(_ format: String, _ args: Value) throws -> Value {
        let chars = Array(format.unicodeScalars)
        var out = String.UnicodeScalarView()
        let mapping = args.asDict
        var items: [Value]
        if let t = args.asTuple { items = Array(t.items) } else { items = [args] }
        // A mapping is also the one positional value: '%r' % {'k': 1} prints the dict, as in CPython.
        var next = 0
        var usedMapping = false
        func nextArg() throws -> Value {
            guard next < items.count else { throw typeError("not enough arguments for format string") }
            next += 1
            return items[next - 1]
        }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c != "%" { out.append(c); i += 1; continue }
            i += 1
            guard i < chars.count else { throw valueError("incomplete format") }
            var value: Value? = nil
            if chars[i] == "(" {
                guard let d = mapping else { throw typeError("format requires a mapping") }
                var depth = 1, j = i + 1
                var key = String.UnicodeScalarView()
                while j < chars.count {
                    if chars[j] == "(" { depth += 1 } else if chars[j] == ")" { depth -= 1; if depth == 0 { break } }
                    key.append(chars[j]); j += 1
                }
                guard j < chars.count else { throw valueError("incomplete format key") }
                let k = newStr(String(key))
                if d.isNativeSubclass {
                    value = try getItem(args, k)   // the subclass's __getitem__ and __missing__
                } else {
                    guard let v = try d.get(k, self) else { throw keyError(k) }
                    value = v
                }
                usedMapping = true
                next = items.count  // after a key, the mapping is no longer a positional value
                i = j + 1
            }
            var flags = Set<Unicode.Scalar>()
            while i < chars.count, "-+ #0".unicodeScalars.contains(chars[i]) { flags.insert(chars[i]); i += 1 }
            var width: Int? = nil
            if i < chars.count, chars[i] == "*" {
                let w = try nextArg()
                guard let n = indexValue(w) else { throw typeError("* wants int") }
                if n < 0 { flags.insert("-") }
                width = abs(n); i += 1
            } else {
                while i < chars.count, let d = chars[i].properties.numericType != nil ? Int(String(chars[i])) : nil {
                    width = (width ?? 0) * 10 + d; i += 1
                    if (width ?? 0) > 1 << 30 { throw valueError("width too big") }
                }
            }
            var precision: Int? = nil
            if i < chars.count, chars[i] == "." {
                i += 1
                precision = 0
                if i < chars.count, chars[i] == "*" {
                    let p = try nextArg()
                    guard let n = indexValue(p) else { throw typeError("* wants int") }
                    precision = max(0, n); i += 1
                } else {
                    while i < chars.count, let d = chars[i].properties.numericType != nil ? Int(String(chars[i])) : nil {
                        precision = (precision ?? 0) * 10 + d; i += 1
                        if (precision ?? 0) > 1 << 30 { throw valueError("precision too big") }
                    }
                }
            }
            while i < chars.count, "hlL".unicodeScalars.contains(chars[i]) { i += 1 }
            guard i < chars.count else { throw valueError("incomplete format") }
            let conv = chars[i]
            i += 1
            if conv == "%" { out.append("%"); continue }
            let v = try value ?? nextArg()
            let text = try percentConvert(v, conv, flags: flags, width: width, precision: precision, index: i - 1)
            out.append(contentsOf: text.unicodeScalars)
        }
        if mapping == nil && next < items.count {
            throw typeError("not all arguments converted during string formatting")
        }
        _ = usedMapping
        return newStr(String(out))
    }

    private func percentConvert(_ v: Value, _ conv: Unicode.Scalar, flags: Set<Unicode.Scalar>, width: Int?,
                                precision: Int?, index: Int) throws -> String {
        var align = flags.contains("-") ? "<" : ""
        let sign = flags.contains("+") ? "+" : (flags.contains(" ") ? " " : "")
        let alt = flags.contains("#") ? "#" : ""
        let zero = flags.contains("0") && !flags.contains("-")
        let w = width.map(String.init) ?? ""
        switch conv {
        case "s", "r", "a":
            var s = conv == "s" ? try str(v) : try repr(v)
            if conv == "a" { s = asciiRepr(s) }
            if let p = precision { s = String(String.UnicodeScalarView(s.unicodeScalars.prefix(p))) }
            if align.isEmpty { align = ">" }
            return try format(newStr(s), align + w)
        case "d", "i", "u", "x", "X", "o":
            var n = plainNumber(v)
            if case .float(let d) = n {
                if d.isNaN { throw valueError("cannot convert float NaN to integer") }
                if d.isInfinite { throw overflowError("cannot convert float infinity to integer") }
                n = try call(Value(types.int), [n])
            }
            guard isIntegral(n) else {
                let what = conv == "d" || conv == "i" || conv == "u" ? "a real number" : "an integer"
                throw typeError("%\(conv) format: \(what) is required, not \(typeName(v))")
            }
            let type = conv == "d" || conv == "i" || conv == "u" ? "d" : String(conv)
            var spec = align + sign + (conv == "d" || conv == "i" || conv == "u" ? "" : alt)
            if zero { spec = (align.isEmpty ? "=" : align) + sign + (type == "d" ? "" : alt) + "0" }
            if let p = precision, p > 0 {
                // A precision pads the digits with zeros, as C does.
                var digits = try format(n.asPlainInt, (type == "d" ? "" : alt) + type)
                var neg = false
                if digits.hasPrefix("-") { neg = true; digits.removeFirst() }
                var prefix = ""
                if !alt.isEmpty && type != "d" { prefix = String(digits.prefix(2)); digits.removeFirst(2) }
                if digits.count < p { digits = String(repeating: "0", count: p - digits.count) + digits }
                let body = (neg ? "-" : (sign.isEmpty ? "" : sign)) + prefix + digits
                return try format(newStr(body), (align.isEmpty ? ">" : align) + w)
            }
            return try format(n.asPlainInt, spec + w + type)
        case "e", "E", "f", "F", "g", "G":
            guard let d = try floatValue(plainNumber(v)) else {
                throw typeError("must be real number, not \(typeName(v))")
            }
            var spec = align + sign + alt
            if zero { spec = (align.isEmpty ? "=" : align) + sign + alt + "0" }
            return try format(.float(d), spec + w + "." + String(precision ?? 6) + String(conv))
        case "c":
            var s: String
            if let str = v.asStr, str.count == 1 { s = str.value }
            else if let n = indexValue(v), isIntegral(v) {
                guard n >= 0 && n < 0x110000, let u = Unicode.Scalar(UInt32(n)) else {
                    throw overflowError("%c arg not in range(0x110000)")
                }
                s = String(u)
            } else { throw typeError("%c requires int or char") }
            if align.isEmpty { align = ">" }
            s = try format(newStr(s), align + w)
            return s
        default:
            let hex = String(conv.value, radix: 16)
            throw valueError("unsupported format character '\(conv)' (0x\(hex)) at index \(index)")
        }
    }
}
