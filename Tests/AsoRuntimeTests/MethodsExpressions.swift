// A tiny evaluator for the Python expressions of the method tests: literals, names of builtin
// types and native modules, attribute access, calls with keywords, subscripts, `**` and unary
// minus. Test tables are written as `expression<TAB>expected` lines whose expected column comes
// from running the same expression in python3.

@testable import AsoRuntime
import BigInt

struct ExpressionEvaluator {
    let h: MethodsHarness
    let s: [Unicode.Scalar]
    var i = 0

    init(_ h: MethodsHarness, _ text: String) {
        self.h = h
        s = Array(text.unicodeScalars)
    }

    struct Failure: Error { let message: String }

    mutating func evaluate() throws -> Value {
        let v = try expression()
        skip()
        if i != s.count { throw Failure(message: "trailing text at \(i)") }
        return v
    }

    private mutating func skip() { while i < s.count && s[i] == " " { i += 1 } }
    private mutating func eat(_ c: Unicode.Scalar) -> Bool {
        skip()
        if i < s.count && s[i] == c { i += 1; return true }
        return false
    }
    private func peek(_ text: String) -> Bool {
        let t = Array(text.unicodeScalars)
        return i + t.count <= s.count && Array(s[i..<(i + t.count)]) == t
    }

    mutating func expression() throws -> Value {
        skip()
        if eat("-") { return try h.rt.negate(try expression()) }
        var v = try postfix()
        skip()
        if peek("**") {
            i += 2
            let e = try postfix()
            v = try h.rt.binaryOp(.power, v, e)
        }
        return v
    }

    private mutating func postfix() throws -> Value {
        var v = try primary()
        while true {
            if eat(".") {
                v = try h.rt.getAttribute(v, h.rt.intern(name()))
            } else if eat("(") {
                var args: [Value] = []
                var kws: [(name: String, value: Value)] = []
                while !eat(")") {
                    skip()
                    let save = i
                    let n = name()
                    if !n.isEmpty, eat("="), !peek("=") {
                        kws.append((n, try expression()))
                    } else {
                        i = save
                        args.append(try expression())
                    }
                    _ = eat(",")
                }
                h.rt.tempRoots.append(contentsOf: args)
                defer { h.rt.tempRoots.removeLast(args.count) }
                v = try h.rt.call(v, args, keywords: kws)
            } else if eat("[") {
                let k = try expression()
                guard eat("]") else { throw Failure(message: "expected ]") }
                v = try h.rt.getItem(v, k)
            } else {
                return v
            }
        }
    }

    private mutating func name() -> String {
        skip()
        var out = ""
        while i < s.count, s[i] == "_" || s[i].properties.isAlphabetic || (s[i].value >= 0x30 && s[i].value <= 0x39) {
            out.unicodeScalars.append(s[i]); i += 1
        }
        return out
    }

    private mutating func primary() throws -> Value {
        skip()
        guard i < s.count else { throw Failure(message: "unexpected end") }
        let c = s[i]
        if c == "'" || c == "\"" { return h.s(try stringBody()) }
        if c == "b", i + 1 < s.count, s[i + 1] == "'" || s[i + 1] == "\"" {
            i += 1
            return h.b(try stringBody().unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        }
        if c.value >= 0x30 && c.value <= 0x39 { return number() }
        if eat("(") {
            var items: [Value] = []
            var sawComma = false
            while !eat(")") { items.append(try expression()); if eat(",") { sawComma = true } }
            return items.count == 1 && !sawComma ? items[0] : h.tuple(items)
        }
        if eat("[") {
            var items: [Value] = []
            while !eat("]") { items.append(try expression()); _ = eat(",") }
            return h.list(items)
        }
        if eat("{") {
            var pairs: [(Value, Value)] = []
            var items: [Value] = []
            while !eat("}") {
                let k = try expression()
                if eat(":") { pairs.append((k, try expression())) } else { items.append(k) }
                _ = eat(",")
            }
            return items.isEmpty ? h.dict(pairs) : h.set(items)
        }
        let n = name()
        switch n {
        case "None": return .none
        case "True": return .bool(true)
        case "False": return .bool(false)
        case "json", "math", "sys", "os", "time": return Value(try h.rt.loadModule(n))
        default:
            if let v = h.rt.builtins.get(n) { return v }
            throw Failure(message: "unknown name '\(n)'")
        }
    }

    private mutating func number() -> Value {
        var text = ""
        var isFloat = false
        while i < s.count, (s[i].value >= 0x30 && s[i].value <= 0x39) || s[i] == "." || s[i] == "e" || s[i] == "_" {
            if s[i] == "." || s[i] == "e" { isFloat = true }
            if s[i] != "_" { text.unicodeScalars.append(s[i]) }
            i += 1
            if i < s.count, s[i - 1] == "e", s[i] == "-" || s[i] == "+" { text.unicodeScalars.append(s[i]); i += 1 }
        }
        if isFloat { return .float(Double(text) ?? .nan) }
        return h.big(text)
    }

    private mutating func stringBody() throws -> String {
        let q = s[i]
        i += 1
        var out = String.UnicodeScalarView()
        while i < s.count && s[i] != q {
            if s[i] == "\\" {
                i += 1
                let e = s[i]
                i += 1
                switch e {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "0": out.append("\0")
                case "x", "u", "U":
                    let n = e == "x" ? 2 : e == "u" ? 4 : 8
                    let hex = String(String.UnicodeScalarView(s[i..<(i + n)]))
                    i += n
                    out.append(Unicode.Scalar(UInt32(hex, radix: 16) ?? 0x3F) ?? "?")
                default: out.append(e)
                }
            } else {
                out.append(s[i]); i += 1
            }
        }
        i += 1
        return String(out)
    }
}

extension MethodsHarness {
    /// Evaluates `text` and describes the outcome (repr or `Type: message`).
    func eval(_ text: String) -> String {
        describe {
            var e = ExpressionEvaluator(self, text)
            do { return try e.evaluate() } catch let f as ExpressionEvaluator.Failure {
                return rt.newStr("<<evaluator: \(f.message)>>")
            }
        }
    }

    /// Runs a table of `expression<TAB>expected` lines; returns the mismatches.
    func mismatches(_ table: String) -> [String] {
        var bad: [String] = []
        for line in table.split(separator: "\n") where !line.isEmpty {
            let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { bad.append("malformed: \(line)"); continue }
            let got = eval(String(parts[0]))
            if got != String(parts[1]) { bad.append("\(parts[0])\n  expected: \(parts[1])\n  got:      \(got)") }
        }
        return bad
    }
}
