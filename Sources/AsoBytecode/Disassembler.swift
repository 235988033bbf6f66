// A readable listing of a code object, in the style of CPython's `dis` module.
//
// One idea: every instruction is one line — source line (when it changes), a `>>` mark on jump
// targets, the word index, the opcode name in CPython's spelling and the argument with what it
// means (constant, name, local, jump target, operator) — followed by the exception table, then the
// same listing for every nested code constant.

extension CodeObject {
    /// The listing of this code object and, recursively, of the code objects among its constants.
    package func disassembly() -> String {
        var out = ""
        appendListing(to: &out)
        for case .code(let inner) in constants {
            out += "\nDisassembly of \(inner.shortDescription):\n"
            out += inner.disassembly()
        }
        return out
    }

    /// `<code object f, file "x.aso", line 3>`
    package var shortDescription: String { "<code object \(name), file \"\(filename)\", line \(firstLine)>" }

    private func appendListing(to out: inout String) {
        var targets = Set<Int>()
        for word in code {
            let ins = Instruction(word: word)
            if let op = ins.opcode, op.hasJumpTarget { targets.insert(Int(ins.arg)) }
        }
        for e in exceptionTable { targets.insert(e.target) }
        var lastLine = -1
        var entry = 0
        for (pc, word) in code.enumerated() {
            while entry + 1 < lineTable.count && lineTable[entry + 1].start <= pc { entry += 1 }
            var line = -1
            if entry < lineTable.count && lineTable[entry].start <= pc { line = lineTable[entry].line }
            var fields: [String] = []
            if line != lastLine && line >= 0 {
                if pc > 0 { out += "\n" }
                fields.append(pad(String(line), 3, left: true))
                lastLine = line
            } else {
                fields.append("   ")
            }
            fields.append("   ")
            fields.append(targets.contains(pc) ? ">>" : "  ")
            fields.append(pad(String(pc), 4, left: true))
            let ins = Instruction(word: word)
            guard let op = ins.opcode else {
                out += fields.joined(separator: " ") + " <invalid \(word)>\n"
                continue
            }
            fields.append(pad(op.displayName, 20, left: false))
            if op.argumentKind != .none || ins.arg != 0 {
                fields.append(pad(String(ins.arg), 5, left: true))
                let meaning = describe(op, ins.arg)
                if !meaning.isEmpty { fields.append("(\(meaning))") }
            }
            out += fields.joined(separator: " ").trimmingTrailingSpaces() + "\n"
        }
        if !exceptionTable.isEmpty {
            out += "ExceptionTable:\n"
            for e in exceptionTable {
                out += "  \(e.start) to \(e.end - 1) -> \(e.target) [\(e.depth)]\n"
            }
        }
    }

    private func describe(_ op: OpCode, _ arg: UInt32) -> String {
        let i = Int(arg)
        switch op.argumentKind {
        case .constant:
            return i < constants.count ? constants[i].pythonRepr : "?"
        case .name:
            return i < names.count ? names[i] : "?"
        case .local:
            return i < localNames.count ? localNames[i] : "?"
        case .jumpTarget:
            return "to \(i)"
        case .none:
            return ""
        case .plain:
            break
        }
        switch op {
        case .binaryOp: return BinaryOperator(rawValue: arg)?.symbol ?? "?"
        case .compareOp: return ComparisonOperator(rawValue: arg)?.symbol ?? "?"
        case .isOp: return arg == 0 ? "is" : "is not"
        case .containsOp: return arg == 0 ? "in" : "not in"
        case .formatValue:
            let conv = ["", "str", "repr", "ascii"][i & 3]
            let spec = (i & 4) != 0 ? "with format" : ""
            let joined = (i & 8) != 0 ? "joined" : ""
            return [conv, spec, joined].filter { !$0.isEmpty }.joined(separator: ", ")
        case .makeFunction:
            var parts: [String] = []
            if i & 1 != 0 { parts.append("defaults") }
            if i & 2 != 0 { parts.append("kwdefaults") }
            if i & 8 != 0 { parts.append("closure") }
            return parts.joined(separator: ", ")
        case .unpackEx: return "\(i & 0xFF) before, \(i >> 8) after"
        case .callEx: return i & 1 != 0 ? "with kwargs" : ""
        default: return ""
        }
    }

    private func pad(_ s: String, _ n: Int, left: Bool) -> String {
        let fill = String(repeating: " ", count: max(0, n - s.count))
        return left ? fill + s : s + fill
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

extension OpCode {
    /// The opcode's name in CPython's style: `loadFast` is `LOAD_FAST`.
    package var displayName: String {
        switch self {
        case .getAIter: return "GET_AITER"
        case .getANext: return "GET_ANEXT"
        default: break
        }
        var out = ""
        for ch in String(describing: self) {
            if ch.isUppercase { out += "_" }
            out += ch.uppercased()
        }
        return out
    }
}

extension CodeConstant {
    /// The constant as Python's `repr` shows it.
    package var pythonRepr: String {
        switch self {
        case .none: return "None"
        case .ellipsis: return "Ellipsis"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .bigInt(let s): return s
        case .float(let d):
            if d.isNaN { return "nan" }
            if d.isInfinite { return d < 0 ? "-inf" : "inf" }
            return "\(d)"
        case .str(let s): return Self.quote(s)
        case .bytes(let b):
            var out = "b'"
            for byte in b {
                switch byte {
                case 0x5C: out += "\\\\"
                case 0x27: out += "\\'"
                case 0x0A: out += "\\n"
                case 0x0D: out += "\\r"
                case 0x09: out += "\\t"
                case 0x20..<0x7F: out += String(UnicodeScalar(byte))
                default:
                    let hex = String(byte, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                }
            }
            return out + "'"
        case .tuple(let items):
            if items.count == 1 { return "(\(items[0].pythonRepr),)" }
            return "(" + items.map(\.pythonRepr).joined(separator: ", ") + ")"
        case .code(let c): return c.shortDescription
        }
    }

    static func quote(_ s: String) -> String {
        let q: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(q)
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(u) == q { out += "\\" + String(q) }
                else if u.value < 0x20 || u.value == 0x7F {
                    let hex = String(u.value, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                } else { out.unicodeScalars.append(u) }
            }
        }
        out.append(q)
        return out
    }
}
