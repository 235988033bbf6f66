// `json.dumps`: the encoder, with CPython's options, separators, escapes and errors.
//
// One idea: the encoder appends to one output buffer while walking the value; containers being
// encoded are kept in a set (circular references raise ValueError), nesting is counted against
// the recursion limit, and objects it does not know go through `default=` and are encoded again.

struct JSONEncoder {
    let rt: Runtime
    var indent: String?
    var itemSeparator: String
    var keySeparator: String
    var sortKeys = false
    var skipKeys = false
    var ensureASCII = true
    var allowNaN = true
    var defaultFn: Value = .none
    var out = ""
    private var active: Set<ObjectIdentifier> = []

    init(rt: Runtime, indent: String?, itemSeparator: String, keySeparator: String) {
        self.rt = rt
        self.indent = indent
        self.itemSeparator = itemSeparator
        self.keySeparator = keySeparator
    }

    mutating func encode(_ v: Value, level: Int) throws {
        switch v {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int: out += try rt.repr(v)
        case .float(let d): out += try floatText(d)
        default:
            if let s = v.asStr { appendString(s.scalars); return }
            if rt.isIntegral(v) { out += try rt.repr(v); return }
            // Subclasses of int and float: the number, as int.__repr__ and float.__repr__ write it.
            if let c = rt.numberCore(v) { try encode(c, level: level); return }
            if let l = v.asList { try encodeArray(v, l.items, level: level); return }
            if let t = v.asTuple { try encodeArray(v, t.items, level: level); return }
            if let d = v.asDict { try encodeObject(v, d, level: level); return }
            if defaultFn.isNone {
                throw rt.typeError("Object of type \(rt.typeName(v)) is not JSON serializable")
            }
            try enter(v)
            defer { leave(v) }
            let replacement = try rt.call(defaultFn, [v])
            rt.tempRoots.append(replacement)
            defer { rt.tempRoots.removeLast() }
            try encode(replacement, level: level)
        }
        try rt.checkAllocation(out.utf8.count, elementSize: 1)
    }

    private func floatText(_ d: Double) throws -> String {
        if d.isFinite { return floatRepr(d) }
        if !allowNaN {
            throw rt.valueError("Out of range float values are not JSON compliant")
        }
        return d.isNaN ? "NaN" : (d < 0 ? "-Infinity" : "Infinity")
    }

    private mutating func enter(_ v: Value) throws {
        guard let o = v.object else { return }
        let id = ObjectIdentifier(o)
        if active.contains(id) { throw rt.valueError("Circular reference detected") }
        try rt.enterRecursion(" while encoding a JSON object")
        active.insert(id)
    }

    private mutating func leave(_ v: Value) {
        guard let o = v.object else { return }
        active.remove(ObjectIdentifier(o))
        rt.depth -= 1
    }

    private mutating func newline(_ level: Int) {
        guard let indent else { return }
        out += "\n"
        for _ in 0..<level { out += indent }
    }

    private mutating func encodeArray(_ v: Value, _ items: [Value], level: Int) throws {
        if items.isEmpty { out += "[]"; return }
        try enter(v)
        defer { leave(v) }
        out += "["
        newline(level + 1)
        for (i, x) in items.enumerated() {
            if i > 0 { out += itemSeparator; newline(level + 1) }
            try encode(x, level: level + 1)
        }
        newline(level)
        out += "]"
    }

    private mutating func encodeObject(_ v: Value, _ d: DictObj, level: Int) throws {
        if d.count == 0 { out += "{}"; return }
        try enter(v)
        defer { leave(v) }
        var entries = d.entries
        if sortKeys {
            var keys = entries.map { $0.key }
            try rt.sortValues(&keys, key: .none, reverse: false)
            var sorted: [(key: Value, value: Value)] = []
            for k in keys { sorted.append((k, try d.get(k, rt) ?? .none)) }
            entries = sorted
        }
        out += "{"
        newline(level + 1)
        var first = true
        for (entryKey, value) in entries {
            let k = rt.plainNumber(entryKey)
            let key: String
            if let s = k.asStr { key = s.value }
            else if case .float(let f) = k { key = try floatText(f) }
            else if case .bool(let b) = k { key = b ? "true" : "false" }
            else if k.isNone { key = "null" }
            else if rt.isIntegral(k) { key = try rt.repr(k) }
            else if skipKeys { continue }
            else { throw rt.typeError("keys must be str, int, float, bool or None, not \(rt.typeName(k))") }
            if !first { out += itemSeparator; newline(level + 1) }
            first = false
            appendString(Array(key.unicodeScalars))
            out += keySeparator
            try encode(value, level: level + 1)
        }
        newline(level)
        out += "}"
    }

    private mutating func appendString(_ s: Scalars) {
        out += "\""
        // Runs of characters that need no escape are copied at once.
        var run = 0
        for (i, c) in s.enumerated() {
            let plain = c.value >= 0x20 && c != "\"" && c != "\\" && !(ensureASCII && c.value >= 0x7F)
            if plain { continue }
            if run < i { out += scalarString(s[run..<i]) }
            run = i + 1
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if c.value >= 0x10000 {
                    let v = c.value - 0x10000
                    out += "\\u" + String(0xD800 + (v >> 10), radix: 16) + "\\u" + String(0xDC00 + (v & 0x3FF), radix: 16)
                } else {
                    out += "\\u" + String(c.value, radix: 16).leftPadded(4)
                }
            }
        }
        if run < s.count { out += scalarString(s[run...]) }
        out += "\""
    }
}
