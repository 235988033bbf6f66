// `str.format` and `str.format_map`: replacement fields, as CPython's MarkupIterator parses them.
//
// One idea: the template is scanned once into literal text and fields `{name!conv:spec}`; a
// field name is a first part (automatic number, explicit index or keyword) followed by `.attr`
// and `[key]` steps; the spec may itself hold fields, formatted first (one level deep, as in
// CPython). Values are formatted with `Runtime.format`, the same code as `format()` and f-strings.

extension Runtime {
    func installStrFormatMethods() {
        installStrCaseMethods()
        defineMethod(types.str, "format") { rt, me, a in
            var f = TemplateFormatter(positional: a.array, keywords: nil, keywordList: a.keywords)
            return rt.newStr(try f.render(rt, rt.scalarsOf(me), depth: 2))
        }
        defineMethod(types.str, "format_map") { rt, me, a in
            let m = try a.one(rt)
            var f = TemplateFormatter(positional: [], keywords: m, keywordList: [])
            return rt.newStr(try f.render(rt, rt.scalarsOf(me), depth: 2))
        }
    }
}

struct TemplateFormatter {
    let positional: [Value]
    /// The mapping of `format_map`, if any.
    let keywords: Value?
    let keywordList: [(name: String, value: Value)]
    /// Next automatic field number, or -1 once manual numbering was used; nil before any field.
    var autoIndex: Int? = nil

    init(positional: [Value], keywords: Value?, keywordList: [(name: String, value: Value)]) {
        self.positional = positional
        self.keywords = keywords
        self.keywordList = keywordList
    }

    mutating func render(_ rt: Runtime, _ s: Scalars, depth: Int) throws -> String {
        if depth <= 0 { throw rt.valueError("Max string recursion exceeded") }
        var out = ""
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "}" {
                if i + 1 < s.count, s[i + 1] == "}" { out += "}"; i += 2; continue }
                throw rt.valueError("Single '}' encountered in format string")
            }
            if c != "{" {
                // A run of literal text, copied at once (not appended scalar by scalar).
                var j = i + 1
                while j < s.count && s[j] != "{" && s[j] != "}" { j += 1 }
                out += scalarString(s[i..<j])
                i = j
                continue
            }
            if i + 1 < s.count, s[i + 1] == "{" { out += "{"; i += 2; continue }
            if i + 1 >= s.count { throw rt.valueError("Single '{' encountered in format string") }
            // Find the matching '}' (nested braces belong to the spec).
            var nesting = 1, j = i + 1
            while j < s.count {
                if s[j] == "{" { nesting += 1 } else if s[j] == "}" { nesting -= 1; if nesting == 0 { break } }
                j += 1
            }
            if j >= s.count { throw rt.valueError("expected '}' before end of string") }
            out += try field(rt, Array(s[(i + 1)..<j]), depth: depth)
            try rt.checkAllocation(out.utf8.count, elementSize: 1)
            i = j + 1
        }
        return out
    }

    private mutating func field(_ rt: Runtime, _ f: Scalars, depth: Int) throws -> String {
        // Split into name, conversion and spec; '[' ... ']' in the name may hold ':' and '!'.
        var k = 0
        while k < f.count {
            if f[k] == "[" {
                while k < f.count && f[k] != "]" { k += 1 }
                if k < f.count { k += 1 }
                continue
            }
            if f[k] == ":" || f[k] == "!" { break }
            k += 1
        }
        let name = Array(f[..<k])
        var conversion: Unicode.Scalar? = nil
        var spec = Scalars()
        if k < f.count, f[k] == "!" {
            if k + 1 >= f.count { throw rt.valueError("unmatched '{' in format spec") }
            conversion = f[k + 1]
            if k + 2 < f.count {
                if f[k + 2] != ":" { throw rt.valueError("expected ':' after conversion specifier") }
                spec = Array(f[(k + 3)...])
            }
        } else if k < f.count {
            spec = Array(f[(k + 1)...])
        }
        var value = try lookup(rt, name)
        rt.tempRoots.append(value)
        defer { rt.tempRoots.removeLast() }
        if let conv = conversion {
            switch conv {
            case "r": value = rt.newStr(try rt.repr(value))
            case "s": value = rt.newStr(try rt.str(value))
            case "a": value = rt.newStr(rt.asciiRepr(try rt.repr(value)))
            default: throw rt.valueError("Unknown conversion specifier \(conv)")
            }
            rt.tempRoots[rt.tempRoots.count - 1] = value
        }
        let specText = spec.contains("{") ? try render(rt, spec, depth: depth - 1) : scalarString(spec[...])
        return try rt.format(value, specText)
    }

    private mutating func lookup(_ rt: Runtime, _ name: Scalars) throws -> Value {
        var k = 0
        while k < name.count && name[k] != "." && name[k] != "[" { k += 1 }
        let first = name[..<k]
        var value: Value
        if first.isEmpty || first.allSatisfy({ $0.properties.numericType == .decimal && $0.isASCII }) {
            let index: Int
            if first.isEmpty {
                if autoIndex == -1 {
                    throw rt.valueError("cannot switch from manual field specification to automatic field numbering")
                }
                index = autoIndex ?? 0
                autoIndex = index + 1
            } else {
                if let a = autoIndex, a > 0 {
                    throw rt.valueError("cannot switch from automatic field numbering to manual field specification")
                }
                autoIndex = -1
                guard let n = Int(scalarString(first)) else { throw rt.valueError("Too many decimal digits in format string") }
                index = n
            }
            if keywords != nil {
                throw rt.valueError("Format string contains positional fields")
            }
            guard index < positional.count else {
                throw rt.indexError("Replacement index \(index) out of range for positional args tuple")
            }
            value = positional[index]
        } else {
            let key = scalarString(first)
            if let m = keywords {
                value = try rt.getItem(m, rt.newStr(key))
            } else if let kw = keywordList.first(where: { $0.name == key }) {
                value = kw.value
            } else {
                throw rt.keyError(rt.newStr(key))
            }
        }
        // `.attr` and `[key]` steps.
        while k < name.count {
            if name[k] == "." {
                var e = k + 1
                while e < name.count && name[e] != "." && name[e] != "[" { e += 1 }
                if e == k + 1 { throw rt.valueError("Empty attribute in format string") }
                value = try rt.getAttribute(value, rt.newStr(scalarString(name[(k + 1)..<e])))
                k = e
            } else if name[k] == "[" {
                var e = k + 1
                while e < name.count && name[e] != "]" { e += 1 }
                if e >= name.count { throw rt.valueError("Missing ']' in format string") }
                if e == k + 1 { throw rt.valueError("Empty attribute in format string") }
                let keyText = name[(k + 1)..<e]
                let key: Value
                if keyText.allSatisfy({ $0.isASCII && $0.properties.numericType == .decimal }), let n = Int(scalarString(keyText)) {
                    key = .int(n)
                } else {
                    key = rt.newStr(scalarString(keyText))
                }
                rt.tempRoots.append(value)
                defer { rt.tempRoots.removeLast() }
                value = try rt.getItem(value, key)
                k = e + 1
                if k < name.count && name[k] != "." && name[k] != "[" {
                    throw rt.valueError("Only '.' or '[' may follow ']' in format field specifier")
                }
            } else {
                throw rt.valueError("Only '.' or '[' may follow ']' in format field specifier")
            }
        }
        return value
    }
}
