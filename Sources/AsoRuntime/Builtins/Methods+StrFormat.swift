// `str.format` and `str.format_map`: replacement fields, as CPython's MarkupIterator parses them.
//
// One idea: the template's UTF-8 bytes are scanned once (every delimiter is ASCII, so one byte that
// never occurs inside a multi-byte character) into literal runs, copied as byte ranges, and fields
// `{name!conv:spec}`; a field name is a first part (automatic number, explicit index or keyword)
// followed by `.attr` and `[key]` steps; the spec may itself hold fields, formatted first (one
// level deep, as in CPython). Values are formatted into the same byte buffer by
// `Runtime.appendFormat`, the code behind `format()` and f-strings.

extension Runtime {
    func installStrFormatMethods() {
        installStrCaseMethods()
        defineMethod(types.str, "format") { rt, me, a in
            var f = TemplateFormatter(positional: a.array, keywords: nil, keywordList: a.keywords)
            return try f.render(rt, me)
        }
        defineMethod(types.str, "format_map") { rt, me, a in
            let m = try a.one(rt)
            var f = TemplateFormatter(positional: [], keywords: m, keywordList: [])
            return try f.render(rt, me)
        }
    }
}

struct TemplateFormatter {
    let positional: [Value]
    /// The mapping of `format_map`, if any.
    let keywords: Value?
    let keywordList: [(name: String, value: Value)]
    /// CPython's AutoNumber: whether fields were numbered automatically or by hand (the first
    /// numeric field decides), and the next automatic number.
    private var numbering = Numbering.unset
    private var nextIndex = 0
    /// Whether the output is known to be all ASCII so far (the template is, and every field's text).
    private var ascii = true

    private enum Numbering { case unset, automatic, manual }

    /// One replacement field: byte ranges of the template.
    private struct Field {
        var name: Range<Int>
        /// The character after '!', if any ('\0' counts as none, as in CPython).
        var conversion: Unicode.Scalar?
        var spec: Range<Int>
        /// Whether the spec holds fields of its own.
        var specHasFields: Bool
    }

    init(positional: [Value], keywords: Value?, keywordList: [(name: String, value: Value)]) {
        self.positional = positional
        self.keywords = keywords
        self.keywordList = keywordList
    }

    /// The str `template` with its fields replaced, as a new str.
    mutating func render(_ rt: Runtime, _ template: Value) throws -> Value {
        let text = template.asStr?.value ?? ""
        ascii = template.asStr?.isASCII ?? true
        return try rt.buildingString { out in
            try withUTF8(text) { try render(rt, $0, depth: 2, into: &out) }
            let ascii = self.ascii
            return out.bytes.withUnsafeBufferPointer { rt.newStr(utf8: $0, ascii: ascii ? true : nil) }
        }
    }

    /// CPython's `build_string`: appends the template `s` with its fields replaced to `out`.
    private mutating func render(_ rt: Runtime, _ s: UnsafeBufferPointer<UInt8>, depth: Int,
                                 into out: inout UTF8Builder) throws {
        if depth <= 0 { throw rt.valueError("Max string recursion exceeded") }
        let end = s.count
        var pos = 0
        while pos < end {
            // A literal run, up to the next '{' or '}'.
            let start = pos
            var c: UInt8 = 0
            var markup = false
            while pos < end {
                c = s[pos]
                pos += 1
                if c == 0x7B || c == 0x7D {
                    markup = true
                    break
                }
            }
            let atEnd = pos >= end
            var length = pos - start
            if c == 0x7D && (atEnd || s[pos] != 0x7D) {
                throw rt.valueError("Single '}' encountered in format string")
            }
            if atEnd && c == 0x7B {
                throw rt.valueError("Single '{' encountered in format string")
            }
            if !atEnd {
                if c == s[pos] {
                    // '{{' or '}}': the first brace ends the literal, the second is skipped.
                    pos += 1
                    markup = false
                } else {
                    length -= 1
                }
            }
            out.append(bytes: UnsafeBufferPointer(rebasing: s[start..<(start + length)]))
            if !markup { continue }
            let field = try parseField(rt, s, &pos)
            let fieldStart = out.bytes.count
            try output(rt, s, field, depth: depth, into: &out)
            if ascii {
                ascii = out.bytes.withUnsafeBufferPointer { b in
                    !b[fieldStart...].contains { $0 >= 0x80 }
                }
            }
            try rt.checkAllocation(out.bytes.count, elementSize: 1)
        }
    }

    /// CPython's `parse_field`: reads a field from `pos` (just after its '{') through its '}'.
    private func parseField(_ rt: Runtime, _ s: UnsafeBufferPointer<UInt8>, _ pos: inout Int) throws -> Field {
        let end = s.count
        let nameStart = pos
        var c: UInt8 = 0
        // The name ends at '}', ':' or '!' (a '[' ... ']' step may hold any of them).
        scan: while pos < end {
            c = s[pos]
            pos += 1
            switch c {
            case 0x7B:
                throw rt.valueError("unexpected '{' in field name")
            case 0x5B:
                while pos < end && s[pos] != 0x5D { pos += 1 }
            case 0x7D, 0x3A, 0x21:
                break scan
            default:
                break
            }
        }
        var field = Field(name: nameStart..<max(nameStart, pos - 1), conversion: nil, spec: pos..<pos,
                          specHasFields: false)
        guard c == 0x21 || c == 0x3A else {
            if c != 0x7D { throw rt.valueError("expected '}' before end of string") }
            return field
        }
        if c == 0x21 {
            if pos >= end { throw rt.valueError("end of string while looking for conversion specifier") }
            let (conversion, length) = decodeUTF8Scalar(s, at: pos)
            pos += length
            if conversion != "\0" { field.conversion = conversion }
            if pos < end {
                let next = s[pos]
                pos += 1
                if next == 0x7D {
                    field.spec = pos..<pos
                    return field
                }
                if next != 0x3A { throw rt.valueError("expected ':' after conversion specifier") }
            }
        }
        // The spec runs to the '}' that balances the field's '{'.
        let specStart = pos
        var count = 1
        while pos < end {
            let b = s[pos]
            pos += 1
            if b == 0x7B {
                field.specHasFields = true
                count += 1
            } else if b == 0x7D {
                count -= 1
                if count == 0 {
                    field.spec = specStart..<(pos - 1)
                    return field
                }
            }
        }
        throw rt.valueError("unmatched '{' in format spec")
    }

    /// CPython's `output_markup`: looks the field up, converts it, expands its spec, formats it.
    private mutating func output(_ rt: Runtime, _ s: UnsafeBufferPointer<UInt8>, _ field: Field, depth: Int,
                                 into out: inout UTF8Builder) throws {
        let value = try lookup(rt, s, field.name)
        rt.tempRoots.append(value)
        defer { rt.tempRoots.removeLast() }
        // A conversion leaves a plain str, kept as text until it is formatted.
        var converted: String?
        if let conversion = field.conversion {
            switch conversion {
            case "r": converted = try rt.repr(value)
            case "s": converted = try rt.str(value)
            case "a": converted = rt.asciiRepr(try rt.repr(value))
            default:
                let v = conversion.value
                throw rt.valueError(v > 32 && v < 127 ? "Unknown conversion specifier \(Character(conversion))"
                                                      : "Unknown conversion specifier \\x\(String(v, radix: 16))")
            }
        }
        let spec = UnsafeBufferPointer(rebasing: s[field.spec])
        if field.specHasFields {
            var expanded = UTF8Builder(capacity: spec.count + 8)
            try render(rt, spec, depth: depth - 1, into: &expanded)
            try expanded.bytes.withUnsafeBufferPointer { spec in
                try emit(rt, value, converted, spec, into: &out)
            }
        } else {
            try emit(rt, value, converted, spec, into: &out)
        }
    }

    private func emit(_ rt: Runtime, _ value: Value, _ converted: String?, _ spec: UnsafeBufferPointer<UInt8>,
                      into out: inout UTF8Builder) throws {
        if let converted {
            try rt.appendFormattedStr(converted, spec: spec, into: &out)
        } else {
            try rt.appendFormat(value, spec: spec, into: &out)
        }
    }

    /// CPython's `get_integer`: the value of a run of (Unicode) decimal digits, nil when `s` is empty
    /// or holds anything else; too many digits is an error.
    private func integer(_ rt: Runtime, _ s: UnsafeBufferPointer<UInt8>) throws -> Int? {
        if s.isEmpty { return nil }
        var accumulator = 0
        var i = 0
        while i < s.count {
            let digit: Int
            let b = s[i]
            if b &- 0x30 < 10 {
                digit = Int(b &- 0x30)
                i += 1
            } else if b >= 0x80 {
                let (u, length) = decodeUTF8Scalar(s, at: i)
                guard let d = decimalValue(u) else { return nil }
                digit = d
                i += length
            } else {
                return nil
            }
            if accumulator > (Int.max - digit) / 10 {
                throw rt.valueError("Too many decimal digits in format string")
            }
            accumulator = accumulator * 10 + digit
        }
        return accumulator
    }

    /// Whether `name` is spelled by the bytes `s`.
    private static func same(_ name: String, _ s: UnsafeBufferPointer<UInt8>) -> Bool {
        guard name.utf8.count == s.count else { return false }
        return withUTF8(name) { n in
            for i in 0..<n.count where n[i] != s[i] { return false }
            return true
        }
    }

    /// CPython's `get_field_object`: the value a field name refers to.
    private mutating func lookup(_ rt: Runtime, _ s: UnsafeBufferPointer<UInt8>, _ name: Range<Int>) throws -> Value {
        // The first part, up to the first '.' or '['.
        var k = name.lowerBound
        while k < name.upperBound && s[k] != 0x2E && s[k] != 0x5B { k += 1 }
        let first = UnsafeBufferPointer(rebasing: s[name.lowerBound..<k])
        var value: Value
        if var index = try integer(rt, first) ?? (first.isEmpty ? 0 : nil) {
            if numbering == .unset { numbering = first.isEmpty ? .automatic : .manual }
            if numbering == .manual && first.isEmpty {
                throw rt.valueError("cannot switch from manual field specification to automatic field numbering")
            }
            if numbering == .automatic && !first.isEmpty {
                throw rt.valueError("cannot switch from automatic field numbering to manual field specification")
            }
            if first.isEmpty {
                index = nextIndex
                nextIndex += 1
            }
            if keywords != nil {
                throw rt.valueError("Format string contains positional fields")
            }
            guard index < positional.count else {
                throw rt.indexError("Replacement index \(index) out of range for positional args tuple")
            }
            value = positional[index]
        } else if let m = keywords {
            value = try rt.getItem(m, rt.newStr(String(decoding: first, as: UTF8.self)))
        } else if let kw = keywordList.first(where: { TemplateFormatter.same($0.name, first) }) {
            value = kw.value
        } else {
            throw rt.keyError(rt.newStr(String(decoding: first, as: UTF8.self)))
        }
        // `.attr` and `[key]` steps (CPython's FieldNameIterator).
        while k < name.upperBound {
            let c = s[k]
            k += 1
            if c == 0x2E {
                let start = k
                while k < name.upperBound && s[k] != 0x2E && s[k] != 0x5B { k += 1 }
                if k == start { throw rt.valueError("Empty attribute in format string") }
                let attribute = String(decoding: UnsafeBufferPointer(rebasing: s[start..<k]), as: UTF8.self)
                value = try rt.getAttribute(value, rt.newStr(attribute))
            } else if c == 0x5B {
                let start = k
                while k < name.upperBound && s[k] != 0x5D { k += 1 }
                if k >= name.upperBound { throw rt.valueError("Missing ']' in format string") }
                let keyText = UnsafeBufferPointer(rebasing: s[start..<k])
                k += 1
                let index = try integer(rt, keyText)
                if keyText.isEmpty { throw rt.valueError("Empty attribute in format string") }
                let key: Value = index.map { .int($0) } ?? rt.newStr(String(decoding: keyText, as: UTF8.self))
                rt.tempRoots.append(value)
                rt.tempRoots.append(key)
                defer { rt.tempRoots.removeLast(2) }
                value = try rt.getItem(value, key)
            } else {
                throw rt.valueError("Only '.' or '[' may follow ']' in format field specifier")
            }
        }
        return value
    }
}
