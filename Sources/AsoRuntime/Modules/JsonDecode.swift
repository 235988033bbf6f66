// `json.loads`: a JSON parser with CPython's error messages and positions.
//
// One idea: the parser walks the document's UTF-8 bytes (every byte JSON gives a meaning to is
// ASCII, and a multi-byte character's bytes are all 0x80 or above, so none of them is mistaken for
// one), and it follows the C scanner of CPython 3.11 decision by decision (what is checked first,
// where the position points), so the same bad input gives the same `JSONDecodeError`. An error's
// position is a Python string index (`char N`): the byte offset is turned into one by counting
// the characters before it, only when the error is raised. A string without escapes is made from
// its bytes at once. Nesting counts against the recursion limit like any native re-entry, so a
// hostile `[[[[...` raises RecursionError long before the Swift stack is at risk.

import BigInt

struct JSONParser {
    /// The document's UTF-8 bytes (valid UTF-8: the text of a string).
    let s: UnsafeBufferPointer<UInt8>
    let rt: Runtime
    /// Raises JSONDecodeError(msg, doc, pos), `pos` in characters.
    let failAt: (String, Int) -> ScriptError
    /// `object_hook` and `object_pairs_hook` (`.null` when not given): what a JSON object
    /// becomes (`json.loads(s, object_hook=AttrDict)`).
    var objectHook: Value = .null
    var pairsHook: Value = .null
    /// The keys seen so far, one string object per text (CPython's scanner memoizes keys the same
    /// way, so a thousand objects with the same keys share them), and the bytes of strings with
    /// escapes as they are unescaped. The list keeps the keys alive while the document is parsed
    /// (a hook may drop the dict a key went into).
    let keys = KeyMemo()

    final class KeyMemo {
        var table: [String: Value] = [:]
        var list: ListObj?
        var scratch: [UInt8] = []
    }

    /// The error `msg` at byte offset `i` (a character boundary).
    func fail(_ msg: String, _ i: Int) -> ScriptError {
        var chars = 0
        for k in 0..<min(i, s.count) where s[k] & 0xC0 != 0x80 { chars &+= 1 }
        return failAt(msg, chars)
    }

    func skipSpace(_ i: Int) -> Int {
        var i = i
        while i < s.count, s[i] == 0x20 || s[i] == 0x09 || s[i] == 0x0A || s[i] == 0x0D { i += 1 }
        return i
    }

    /// Whether byte `i` is `c` (false past the end).
    @inline(__always) private func at(_ i: Int, _ c: Unicode.Scalar) -> Bool {
        i < s.count && UInt32(s[i]) == c.value
    }

    /// Parses one value at `i` (no leading whitespace); returns it and the index after it.
    func value(_ i: Int) throws -> (Value, Int) {
        guard i < s.count else { throw fail("Expecting value", i) }
        switch s[i] {
        case UInt8(ascii: "\""): return try string(i + 1)
        case UInt8(ascii: "{"): return try object(i + 1)
        case UInt8(ascii: "["): return try array(i + 1)
        case UInt8(ascii: "n") where matches("null", i): return (.none, i + 4)
        case UInt8(ascii: "t") where matches("true", i): return (.bool(true), i + 4)
        case UInt8(ascii: "f") where matches("false", i): return (.bool(false), i + 5)
        case UInt8(ascii: "N") where matches("NaN", i): return (.float(.nan), i + 3)
        case UInt8(ascii: "I") where matches("Infinity", i): return (.float(.infinity), i + 8)
        case UInt8(ascii: "-") where matches("-Infinity", i): return (.float(-.infinity), i + 9)
        default:
            if let r = number(i) { return r }
            throw fail("Expecting value", i)
        }
    }

    private func matches(_ word: StaticString, _ i: Int) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= s.count else { return false }
        let w = word.utf8Start
        for k in 0..<n where s[i + k] != w[k] { return false }
        return true
    }

    @inline(__always) private func isDigit(_ j: Int) -> Bool { j < s.count && s[j] &- 0x30 < 10 }

    /// `-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?`, or nil when no number starts here.
    private func number(_ i: Int) -> (Value, Int)? {
        var j = i
        if at(j, "-") { j += 1 }
        guard isDigit(j) else { return nil }
        if s[j] == UInt8(ascii: "0") { j += 1 } else { while isDigit(j) { j += 1 } }
        let integerEnd = j
        var isFloat = false
        if at(j, "."), isDigit(j + 1) {
            j += 1
            while isDigit(j) { j += 1 }
            isFloat = true
        }
        if at(j, "e") || at(j, "E") {
            var k = j + 1
            if at(k, "+") || at(k, "-") { k += 1 }
            if isDigit(k) {
                while isDigit(k) { k += 1 }
                j = k
                isFloat = true
            }
        }
        let bytes = UnsafeBufferPointer(rebasing: s[i..<j])
        if isFloat { return (.float(Double(utf8String(bytes)) ?? .nan), j) }
        // Up to 18 digits fit a machine int; longer ones go through BigInt.
        let negative = s[i] == UInt8(ascii: "-")
        let first = negative ? i + 1 : i
        if integerEnd - first <= 18 {
            var n = 0
            for k in first..<integerEnd { n = n &* 10 &+ Int(s[k] &- 0x30) }
            return (.int(negative ? -n : n), j)
        }
        let text = utf8String(bytes)
        if let n = Int(text) { return (.int(n), j) }
        return (rt.makeInt(BigInt(text) ?? 0), j)
    }

    /// A string body starting after the opening quote at `i - 1`: the new string and the index
    /// after the closing quote.
    func string(_ i: Int) throws -> (Value, Int) {
        // Most strings have no escape: their bytes become the string as they are.
        let run = plainRun(i)
        if run.closed {
            return (rt.newStr(utf8: UnsafeBufferPointer(rebasing: s[i..<run.end]), ascii: run.ascii), run.end + 1)
        }
        let (end, ascii) = try unescape(i, from: run.end)
        let v = keys.scratch.withUnsafeBufferPointer { rt.newStr(utf8: $0, ascii: ascii) }
        return (v, end)
    }

    /// The text of a string body starting after the opening quote at `i - 1`, as a Swift string
    /// (a key, looked up in the memo).
    private func keyText(_ i: Int) throws -> (String, Int) {
        let run = plainRun(i)
        if run.closed { return (utf8String(UnsafeBufferPointer(rebasing: s[i..<run.end])), run.end + 1) }
        let (end, _) = try unescape(i, from: run.end)
        return (keys.scratch.withUnsafeBufferPointer { utf8String($0) }, end)
    }

    /// The bytes of a string body from `i` that need no unescaping: where they end (at the
    /// closing quote when `closed`, else at a backslash, a control character or the end of the
    /// document) and whether they are all ASCII.
    @inline(__always)
    private func plainRun(_ i: Int) -> (end: Int, closed: Bool, ascii: Bool) {
        var j = i
        var high: UInt8 = 0
        while j < s.count {
            let c = s[j]
            if c == UInt8(ascii: "\"") { return (j, true, high & 0x80 == 0) }
            if c == UInt8(ascii: "\\") || c < 0x20 { break }
            high |= c
            j += 1
        }
        return (j, false, false)
    }

    /// Unescapes the string body starting at `i` (after the quote at `i - 1`), whose bytes up to
    /// `j` are plain, into `keys.scratch`; returns the index after the closing quote and whether
    /// the text is all ASCII (nil: not known).
    private func unescape(_ i: Int, from j0: Int) throws -> (Int, Bool?) {
        let begin = i - 1
        var out = keys.scratch
        keys.scratch = []
        defer { keys.scratch = out }
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: s[i..<j0]))
        var j = j0
        var ascii = true
        while true {
            guard j < s.count else { throw fail("Unterminated string starting at", begin) }
            let c = s[j]
            if c == UInt8(ascii: "\"") { return (j + 1, ascii ? true : nil) }
            if c < 0x20 { throw fail("Invalid control character at", j) }
            if c != UInt8(ascii: "\\") {
                if c >= 0x80 { ascii = false }
                out.append(c)
                j += 1
                continue
            }
            guard j + 1 < s.count else { throw fail("Unterminated string starting at", begin) }
            switch s[j + 1] {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var u = hex4(j + 2) else { throw fail("Invalid \\uXXXX escape", j + 1) }
                var next = j + 6
                if u >= 0xD800 && u <= 0xDBFF, at(next, "\\"), at(next + 1, "u") {
                    guard let low = hex4(next + 2) else { throw fail("Invalid \\uXXXX escape", next + 1) }
                    if low >= 0xDC00 && low <= 0xDFFF {
                        u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)
                        next += 6
                    }
                }
                // A lone surrogate cannot live in a Swift string: it becomes U+FFFD.
                let scalar = Unicode.Scalar(u) ?? "\u{FFFD}"
                if scalar.value >= 0x80 { ascii = false }
                if let encoded = UTF8.encode(scalar) { out.append(contentsOf: encoded) }
                j = next
                continue
            default:
                throw fail("Invalid \\escape", j)
            }
            j += 2
        }
    }

    private func hex4(_ i: Int) -> UInt32? {
        guard i + 4 <= s.count else { return nil }
        var v: UInt32 = 0
        for k in i..<(i + 4) {
            guard let d = hexDigit(Unicode.Scalar(s[k])) else { return nil }
            v = v * 16 + UInt32(d)
        }
        return v
    }

    private func array(_ i: Int) throws -> (Value, Int) {
        try rt.enterRecursion(" while decoding a JSON array from a unicode string")
        defer { rt.depth -= 1 }
        let list = rt.newList([])
        rt.tempRoots.append(list)
        defer { rt.tempRoots.removeLast() }
        guard let l = list.asList else { return (list, i) }
        var j = skipSpace(i)
        if at(j, "]") { return (list, j + 1) }
        while true {
            let (v, end) = try value(j)
            l.items.append(v)
            j = skipSpace(end)
            if at(j, "]") { return (list, j + 1) }
            guard at(j, ",") else { throw fail("Expecting ',' delimiter", j) }
            j = skipSpace(j + 1)
        }
    }

    private func object(_ i: Int) throws -> (Value, Int) {
        try rt.enterRecursion(" while decoding a JSON object from a unicode string")
        defer { rt.depth -= 1 }
        let d = rt.newDict()
        rt.tempRoots.append(Value(d))
        defer { rt.tempRoots.removeLast() }
        // With object_pairs_hook, the pairs in order (duplicates kept), as a list of tuples.
        let pairs = pairsHook.isNull ? nil : rt.newList([]).asList
        if let p = pairs { rt.tempRoots.append(Value(p)) }
        defer { if pairs != nil { rt.tempRoots.removeLast() } }
        func finish(_ end: Int) throws -> (Value, Int) {
            if let p = pairs { return (try rt.call(pairsHook, [Value(p)]), end) }
            if !objectHook.isNull { return (try rt.call(objectHook, [Value(d)]), end) }
            return (Value(d), end)
        }
        var j = skipSpace(i)
        if at(j, "}") { return try finish(j + 1) }
        while true {
            guard at(j, "\"") else { throw fail("Expecting property name enclosed in double quotes", j) }
            let (key, afterKey) = try keyText(j + 1)
            j = skipSpace(afterKey)
            guard at(j, ":") else { throw fail("Expecting ':' delimiter", j) }
            j = skipSpace(j + 1)
            let keyValue: Value
            if let known = keys.table[key] {
                keyValue = known
            } else {
                keyValue = rt.newStr(key)
                keys.table[key] = keyValue
                keys.list?.items.append(keyValue)
            }
            let (v, end) = try value(j)
            if let p = pairs { p.items.append(rt.newTuple(keyValue, v)) } else { try d.set(keyValue, v, rt) }
            j = skipSpace(end)
            if at(j, "}") { return try finish(j + 1) }
            guard at(j, ",") else { throw fail("Expecting ',' delimiter", j) }
            j = skipSpace(j + 1)
        }
    }
}

extension Runtime {
    /// `json.loads(s)`.
    func jsonLoads(_ doc: Value, errorType: TypeObject, objectHook: Value = .null, pairsHook: Value = .null) throws -> Value {
        var text: String
        if let s = doc.asStr {
            text = s.value
        } else if let b = doc.asBytes {
            text = try decodeBytes(b.bytes, encoding: "utf-8", errors: "strict")
        } else {
            throw typeError("the JSON object must be str, bytes or bytearray, not \(typeName(doc))")
        }
        let errorText = text
        // (The bytes of `text`, a copy that keeps them alive whatever the hooks do with `doc`.)
        return try text.withUTF8 { bytes in
            var parser = JSONParser(s: bytes, rt: self) { msg, pos in
                ScriptError(exception: self.jsonDecodeError(errorType, msg, doc, errorText, pos))
            }
            parser.objectHook = objectHook.isNone ? .null : objectHook
            parser.pairsHook = pairsHook.isNone ? .null : pairsHook
            if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
                throw parser.fail("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0)
            }
            let memo = newList([])
            parser.keys.list = memo.asList
            tempRoots.append(memo)
            defer { tempRoots.removeLast() }
            let start = parser.skipSpace(0)
            let (v, end) = try parser.value(start)
            let after = parser.skipSpace(end)
            if after != bytes.count {
                tempRoots.append(v)
                defer { tempRoots.removeLast() }
                throw parser.fail("Extra data", after)
            }
            return v
        }
    }

    /// A JSONDecodeError with CPython's message and attributes; `pos` counts characters of `text`.
    func jsonDecodeError(_ type: TypeObject, _ msg: String, _ doc: Value, _ text: String, _ pos: Int) -> ExceptionObj {
        var line = 1, lastNewline = -1
        var k = 0
        for c in text.unicodeScalars {
            if k >= pos { break }
            if c == "\n" { line += 1; lastNewline = k }
            k += 1
        }
        let col = pos - lastNewline
        let e = newException(type, "\(msg): line \(line) column \(col) (char \(pos))")
        e.attributes["msg"] = newStr(msg)
        e.attributes["doc"] = doc
        e.attributes["pos"] = .int(pos)
        e.attributes["lineno"] = .int(line)
        e.attributes["colno"] = .int(col)
        return e
    }
}
