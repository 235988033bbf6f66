// `json.dumps`: the encoder, with CPython's options, separators, escapes and errors.
//
// One idea: the encoder appends UTF-8 bytes to one output buffer while walking the value, and the
// result string is made from the buffer once (without measuring it again when it is known to be
// ASCII). Strings are escaped byte by byte, copying runs that need no escape; ints are written as
// digits. The containers being encoded form a stack that a circular reference finds again
// (ValueError); nesting is counted against the recursion limit, and objects the encoder does not
// know go through `default=` and are encoded again.

struct JSONEncoder {
    let rt: Runtime
    /// The indent, as bytes (nil when not indenting: no newlines at all).
    private let indent: [UInt8]?
    private let itemSeparator: [UInt8]
    private let keySeparator: [UInt8]
    var sortKeys = false
    var skipKeys = false
    var ensureASCII = true
    var allowNaN = true
    var defaultFn: Value = .none
    /// The output so far, UTF-8.
    private var out: [UInt8] = []
    /// The containers (and `default=` arguments) being encoded, outermost first. The stack is as
    /// deep as the nesting, which the recursion limit bounds, so it is searched linearly.
    private var active: [ObjectIdentifier] = []
    /// Whether the indent and separators are ASCII (then so is the output under `ensure_ascii`).
    private let asciiLayout: Bool

    init(rt: Runtime, indent: String?, itemSeparator: String, keySeparator: String) {
        let indentBytes = indent.map { Array($0.utf8) }
        let items = Array(itemSeparator.utf8), keys = Array(keySeparator.utf8)
        self.rt = rt
        self.indent = indentBytes
        self.itemSeparator = items
        self.keySeparator = keys
        let ascii = { (bytes: [UInt8]) in bytes.allSatisfy { $0 < 0x80 } }
        asciiLayout = ascii(indentBytes ?? []) && ascii(items) && ascii(keys)
        out.reserveCapacity(256)
    }

    /// The output as a new str object.
    func result() -> Value {
        out.withUnsafeBufferPointer { rt.newStr(utf8: $0, ascii: ensureASCII && asciiLayout ? true : nil) }
    }

    mutating func encode(_ v: Value, level: Int) throws {
        switch v {
        case .none: appendLiteral("null")
        case .bool(let b): appendLiteral(b ? "true" : "false")
        case .int(let i): appendInt(i)
        case .float(let d): try appendFloat(d)
        default:
            if let s = v.asStr { appendString(s.value) }
            else if rt.isIntegral(v) { out.append(contentsOf: try rt.repr(v).utf8) }
            // Subclasses of int and float: the number, as int.__repr__ and float.__repr__ write it.
            else if let c = rt.numberCore(v) { try encode(c, level: level); return }
            else if let l = v.asList { try encodeArray(v, l.items.array, level: level); return }
            else if let t = v.asTuple { try encodeArray(v, Array(t.items), level: level); return }
            else if let d = v.asDict { try encodeObject(v, d, level: level); return }
            else {
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
        }
        try rt.checkAllocation(out.count, elementSize: 1)
    }

    // MARK: Containers

    private mutating func enter(_ v: Value) throws {
        guard let o = v.object else { return }
        let id = ObjectIdentifier(o)
        if active.contains(id) { throw rt.valueError("Circular reference detected") }
        try rt.enterRecursion(" while encoding a JSON object")
        active.append(id)
    }

    private mutating func leave(_ v: Value) {
        guard v.object != nil else { return }
        active.removeLast()
        rt.depth -= 1
    }

    /// A newline and `level` indents, when indenting. (The width is checked against the memory
    /// limit first: a long indent times a deep nesting can be far larger than the value.)
    private mutating func newline(_ level: Int) throws {
        guard let indent else { return }
        let (width, o1) = indent.count.multipliedReportingOverflow(by: level)
        let (total, o2) = out.count.addingReportingOverflow(width)
        if o1 || o2 { throw rt.memoryError() }
        try rt.checkAllocation(total, elementSize: 1)
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<level { out.append(contentsOf: indent) }
    }

    private mutating func encodeArray(_ v: Value, _ items: [Value], level: Int) throws {
        if items.isEmpty { appendLiteral("[]"); return }
        try enter(v)
        defer { leave(v) }
        out.append(UInt8(ascii: "["))
        try newline(level + 1)
        for (i, x) in items.enumerated() {
            if i > 0 { out.append(contentsOf: itemSeparator); try newline(level + 1) }
            try encode(x, level: level + 1)
        }
        try newline(level)
        out.append(UInt8(ascii: "]"))
    }

    private mutating func encodeObject(_ v: Value, _ d: DictObj, level: Int) throws {
        if d.count == 0 { appendLiteral("{}"); return }
        try enter(v)
        defer { leave(v) }
        // A snapshot of the entries (encoding a value may run script code that changes the dict).
        var entries = d.entries
        if sortKeys {
            var sorted = d.liveKeys
            // (Rooted while they are sorted: a key's `__lt__` may change the dict.)
            rt.tempRoots.append(contentsOf: sorted)
            defer { rt.tempRoots.removeLast(sorted.count) }
            try rt.sortValues(&sorted, key: .none, reverse: false)
            entries = try sorted.map { k in (k, try d.get(k, rt) ?? .none) }
        }
        out.append(UInt8(ascii: "{"))
        try newline(level + 1)
        var first = true
        for (entryKey, value) in entries {
            let k = rt.plainNumber(entryKey)
            if !isKeyType(k) {
                if skipKeys { continue }
                throw rt.typeError("keys must be str, int, float, bool or None, not \(rt.typeName(k))")
            }
            if !first { out.append(contentsOf: itemSeparator); try newline(level + 1) }
            first = false
            try appendKey(k)
            out.append(contentsOf: keySeparator)
            try encode(value, level: level + 1)
        }
        try newline(level)
        out.append(UInt8(ascii: "}"))
    }

    /// Whether `k` may be a key: str, int, float, bool or None (other keys are skipped or refused).
    private func isKeyType(_ k: Value) -> Bool {
        switch k {
        case .none, .bool, .int, .float: return true
        default: return k.asStr != nil || rt.isIntegral(k)
        }
    }

    /// A dict key (str, int, float, bool or None), as a JSON string.
    private mutating func appendKey(_ k: Value) throws {
        if let s = k.asStr { appendString(s.value); return }
        out.append(UInt8(ascii: "\""))
        switch k {
        case .float(let f): try appendFloat(f)
        case .bool(let b): appendLiteral(b ? "true" : "false")
        case .none: appendLiteral("null")
        case .int(let i): appendInt(i)
        default: out.append(contentsOf: try rt.repr(k).utf8)
        }
        out.append(UInt8(ascii: "\""))
    }

    // MARK: Scalars

    private mutating func appendLiteral(_ s: StaticString) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// The decimal digits of `v`, as int.__repr__ writes them.
    private mutating func appendInt(_ v: Int) {
        if v < 0 { out.append(UInt8(ascii: "-")) }
        var m = v.magnitude
        let start = out.count
        repeat {
            out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: m % 10))
            m /= 10
        } while m != 0
        // The digits came lowest first.
        var lo = start, hi = out.count - 1
        while lo < hi { out.swapAt(lo, hi); lo += 1; hi -= 1 }
    }

    private mutating func appendFloat(_ d: Double) throws {
        if d.isFinite {
            floatReprText(d).withBytes { out.append(contentsOf: $0) }
            return
        }
        if !allowNaN {
            throw rt.valueError("Out of range float values are not JSON compliant")
        }
        appendLiteral(d.isNaN ? "NaN" : (d < 0 ? "-Infinity" : "Infinity"))
    }

    /// `s` as a JSON string, quoted and escaped.
    private mutating func appendString(_ s: String) {
        out.append(UInt8(ascii: "\""))
        withUTF8(s) { appendEscaped($0) }
        out.append(UInt8(ascii: "\""))
    }

    /// The UTF-8 bytes of a string, escaped as CPython does: `"`, `\` and control characters
    /// always; DEL and every non-ASCII code point under `ensure_ascii`, as `\uXXXX` (two of them,
    /// a surrogate pair, above U+FFFF). Runs of bytes that need no escape are copied at once.
    /// (A Swift string holds no lone surrogates, so none reach here.)
    private mutating func appendEscaped(_ p: UnsafeBufferPointer<UInt8>) {
        let maxPlain: UInt8 = ensureASCII ? 0x7E : 0xFF
        let n = p.count
        var i = 0, run = 0
        while i < n {
            let b = p[i]
            if b >= 0x20 && b <= maxPlain && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                i += 1
                continue
            }
            if run < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: p[run..<i])) }
            if b < 0x80 {
                appendEscape(b)
                i += 1
            } else {
                i = appendCodePointEscape(p, at: i)
            }
            run = i
        }
        if run < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: p[run..<n])) }
    }

    /// The escape of an ASCII byte.
    private mutating func appendEscape(_ b: UInt8) {
        switch b {
        case UInt8(ascii: "\""): appendLiteral("\\\"")
        case UInt8(ascii: "\\"): appendLiteral("\\\\")
        case UInt8(ascii: "\n"): appendLiteral("\\n")
        case UInt8(ascii: "\r"): appendLiteral("\\r")
        case UInt8(ascii: "\t"): appendLiteral("\\t")
        case 0x08: appendLiteral("\\b")
        case 0x0C: appendLiteral("\\f")
        default: appendUnicodeEscape(UInt32(b))
        }
    }

    /// The escape of the non-ASCII code point whose UTF-8 sequence starts at `i`; returns the index
    /// after the sequence.
    private mutating func appendCodePointEscape(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let (scalar, length) = decodeUTF8Scalar(p, at: i)
        let c = scalar.value
        if c >= 0x10000 {
            let v = c - 0x10000
            appendUnicodeEscape(0xD800 + (v >> 10))
            appendUnicodeEscape(0xDC00 + (v & 0x3FF))
        } else {
            appendUnicodeEscape(c)
        }
        return i + length
    }

    /// `\u` and four lowercase hex digits.
    private mutating func appendUnicodeEscape(_ c: UInt32) {
        appendLiteral("\\u")
        for shift in stride(from: 12, through: 0, by: -4) {
            let d = UInt8(truncatingIfNeeded: (c >> UInt32(shift)) & 0xF)
            out.append(d < 10 ? UInt8(ascii: "0") + d : UInt8(ascii: "a") + d - 10)
        }
    }
}
