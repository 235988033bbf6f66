// `json.loads`: a JSON parser with CPython's error messages and positions.
//
// One idea: the parser walks the document's code points, so every position it reports is a
// Python string index (`char N`), and it follows the C scanner of CPython 3.11 decision by
// decision (what is checked first, where the position points), so the same bad input gives the
// same `JSONDecodeError`. Nesting counts against the recursion limit like any native re-entry,
// so a hostile `[[[[...` raises RecursionError long before the Swift stack is at risk.

import BigInt

struct JSONParser {
    let s: Scalars
    let rt: Runtime
    /// Raises JSONDecodeError(msg, doc, pos).
    let fail: (String, Int) -> ScriptError
    /// `object_hook` and `object_pairs_hook` (`.null` when not given): what a JSON object
    /// becomes (`json.loads(s, object_hook=AttrDict)`).
    var objectHook: Value = .null
    var pairsHook: Value = .null
    /// The keys seen so far, one string object per text (CPython's scanner memoizes keys the same
    /// way, so a thousand objects with the same keys share them). The list keeps them alive while
    /// the document is parsed (a hook may drop the dict a key went into).
    let keys = KeyMemo()

    final class KeyMemo {
        var table: [String: Value] = [:]
        var list: ListObj?
    }

    func skipSpace(_ i: Int) -> Int {
        var i = i
        while i < s.count, s[i] == " " || s[i] == "\t" || s[i] == "\n" || s[i] == "\r" { i += 1 }
        return i
    }

    /// Parses one value at `i` (no leading whitespace); returns it and the index after it.
    func value(_ i: Int) throws -> (Value, Int) {
        guard i < s.count else { throw fail("Expecting value", i) }
        switch s[i] {
        case "\"":
            let (str, end) = try string(i + 1)
            return (rt.newStr(str), end)
        case "{": return try object(i + 1)
        case "[": return try array(i + 1)
        case "n" where matches("null", i): return (.none, i + 4)
        case "t" where matches("true", i): return (.bool(true), i + 4)
        case "f" where matches("false", i): return (.bool(false), i + 5)
        case "N" where matches("NaN", i): return (.float(.nan), i + 3)
        case "I" where matches("Infinity", i): return (.float(.infinity), i + 8)
        case "-" where matches("-Infinity", i): return (.float(-.infinity), i + 9)
        default:
            if let r = number(i) { return r }
            throw fail("Expecting value", i)
        }
    }

    private func matches(_ word: String, _ i: Int) -> Bool {
        var j = i
        for c in word.unicodeScalars {
            if j >= s.count || s[j] != c { return false }
            j += 1
        }
        return true
    }

    private func isDigit(_ j: Int) -> Bool { j < s.count && s[j].value >= 0x30 && s[j].value <= 0x39 }

    /// `-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?`, or nil when no number starts here.
    private func number(_ i: Int) -> (Value, Int)? {
        var j = i
        if j < s.count, s[j] == "-" { j += 1 }
        guard isDigit(j) else { return nil }
        if s[j] == "0" { j += 1 } else { while isDigit(j) { j += 1 } }
        var isFloat = false
        if j < s.count, s[j] == ".", isDigit(j + 1) {
            j += 1
            while isDigit(j) { j += 1 }
            isFloat = true
        }
        if j < s.count, s[j] == "e" || s[j] == "E" {
            var k = j + 1
            if k < s.count, s[k] == "+" || s[k] == "-" { k += 1 }
            if isDigit(k) {
                while isDigit(k) { k += 1 }
                j = k
                isFloat = true
            }
        }
        let text = scalarString(s[i..<j])
        if isFloat { return (.float(Double(text) ?? .nan), j) }
        if let n = Int(text) { return (.int(n), j) }
        return (rt.makeInt(BigInt(text) ?? 0), j)
    }

    /// A string body starting after the opening quote at `i - 1`.
    func string(_ i: Int) throws -> (String, Int) {
        let begin = i - 1
        var out = String.UnicodeScalarView()
        var j = i
        while true {
            guard j < s.count else { throw fail("Unterminated string starting at", begin) }
            let c = s[j]
            if c == "\"" { return (String(out), j + 1) }
            if c.value < 0x20 { throw fail("Invalid control character at", j) }
            if c != "\\" { out.append(c); j += 1; continue }
            guard j + 1 < s.count else { throw fail("Unterminated string starting at", begin) }
            let e = s[j + 1]
            switch e {
            case "\"": out.append("\"")
            case "\\": out.append("\\")
            case "/": out.append("/")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "u":
                guard var u = hex4(j + 2) else { throw fail("Invalid \\uXXXX escape", j + 1) }
                var next = j + 6
                if u >= 0xD800 && u <= 0xDBFF, next + 1 < s.count, s[next] == "\\", s[next + 1] == "u" {
                    guard let low = hex4(next + 2) else { throw fail("Invalid \\uXXXX escape", next + 1) }
                    if low >= 0xDC00 && low <= 0xDFFF {
                        u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)
                        next += 6
                    }
                }
                // A lone surrogate cannot live in a Swift string: it becomes U+FFFD.
                out.append(Unicode.Scalar(u) ?? "\u{FFFD}")
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
            guard let d = hexDigit(s[k]) else { return nil }
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
        if j < s.count, s[j] == "]" { return (list, j + 1) }
        while true {
            let (v, end) = try value(j)
            l.items.append(v)
            j = skipSpace(end)
            if j < s.count, s[j] == "]" { return (list, j + 1) }
            guard j < s.count, s[j] == "," else { throw fail("Expecting ',' delimiter", j) }
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
        if j < s.count, s[j] == "}" { return try finish(j + 1) }
        while true {
            guard j < s.count, s[j] == "\"" else { throw fail("Expecting property name enclosed in double quotes", j) }
            let (key, afterKey) = try string(j + 1)
            j = skipSpace(afterKey)
            guard j < s.count, s[j] == ":" else { throw fail("Expecting ':' delimiter", j) }
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
            if j < s.count, s[j] == "}" { return try finish(j + 1) }
            guard j < s.count, s[j] == "," else { throw fail("Expecting ',' delimiter", j) }
            j = skipSpace(j + 1)
        }
    }
}

extension Runtime {
    /// `json.loads(s)`.
    func jsonLoads(_ doc: Value, errorType: TypeObject, objectHook: Value = .null, pairsHook: Value = .null) throws -> Value {
        let text: Scalars
        if let s = doc.asStr {
            text = s.scalars
        } else if let b = doc.asBytes {
            text = Array(try decodeBytes(b.bytes, encoding: "utf-8", errors: "strict").unicodeScalars)
        } else {
            throw typeError("the JSON object must be str, bytes or bytearray, not \(typeName(doc))")
        }
        var parser = JSONParser(s: text, rt: self) { msg, pos in
            ScriptError(exception: self.jsonDecodeError(errorType, msg, doc, text, pos))
        }
        parser.objectHook = objectHook.isNone ? .null : objectHook
        parser.pairsHook = pairsHook.isNone ? .null : pairsHook
        if let first = text.first, first == "\u{FEFF}" {
            throw parser.fail("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0)
        }
        let memo = newList([])
        parser.keys.list = memo.asList
        tempRoots.append(memo)
        defer { tempRoots.removeLast() }
        let start = parser.skipSpace(0)
        let (v, end) = try parser.value(start)
        let after = parser.skipSpace(end)
        if after != text.count {
            tempRoots.append(v)
            defer { tempRoots.removeLast() }
            throw parser.fail("Extra data", after)
        }
        return v
    }

    /// A JSONDecodeError with CPython's message and attributes.
    func jsonDecodeError(_ type: TypeObject, _ msg: String, _ doc: Value, _ text: Scalars, _ pos: Int) -> ExceptionObj {
        var line = 1, lastNewline = -1
        for k in 0..<min(pos, text.count) where text[k] == "\n" { line += 1; lastNewline = k }
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
