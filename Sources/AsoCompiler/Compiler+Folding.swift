// Constant folding: an expression of literals that CPython's compiler turns into one constant is
// one constant here too (`-1`, `2 ** 10`, `(1, -2)`, `"ab" * 3`, `1 / 3`), so the loop pushes it
// instead of computing it each time it runs.
//
// One idea: fold only what gives the very value the run would compute and cannot fail. Numbers
// follow Python's rules (bools count as 0 and 1, floor division and modulo round down); an
// operation that would raise (division by zero, a negative shift), leave machine integers, or
// whose float result the run might compute differently (`**` of floats, `%` of floats) is left
// to run, so its error and traceback are the run's. Strings and tuples fold up to CPython's
// sizes (4096 characters, 256 items), so that a large repetition stays a run-time operation.

import AsoBytecode
import AsoSyntax

/// Folds operators on constants (`Compiler.constantValue`).
enum ConstantFolding {
    /// How deep `constantValue` looks into an expression (a bound on the work for a long chain
    /// like `1 + 1 + ... + 1`, whose tail is then folded piece by piece as it is compiled).
    static let maxDepth = 24
    static let maxStringSize = 4096
    static let maxTupleSize = 256
    /// Ints up to this magnitude are exact as doubles.
    private static let exactInDouble = 1 << 53

    /// A number as Python's arithmetic sees it: bools are the ints 0 and 1.
    private enum Number { case int(Int), float(Double) }

    private static func number(_ c: CodeConstant) -> Number? {
        switch c {
        case .bool(let b): return .int(b ? 1 : 0)
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        default: return nil
        }
    }

    /// The double for an int mixed with a float, when it is exact.
    private static func double(_ n: Number) -> Double? {
        switch n {
        case .float(let d): return d
        case .int(let i): return i.magnitude <= UInt(exactInDouble) ? Double(i) : nil
        }
    }

    static func unary(_ op: UnaryOp, _ c: CodeConstant) -> CodeConstant? {
        if case .bigInt(let digits) = c, op == .minus {
            let negated = digits.hasPrefix("-") ? String(digits.dropFirst()) : "-" + digits
            if let i = Int(negated) { return .int(i) }
            return .bigInt(negated)
        }
        guard let n = number(c) else { return nil }
        switch (op, n) {
        case (.plus, .int(let i)): return .int(i)
        case (.plus, .float(let d)): return .float(d)
        case (.minus, .int(let i)): return i == Int.min ? nil : .int(-i)
        case (.minus, .float(let d)): return .float(-d)
        case (.invert, .int(let i)): return .int(~i)
        default: return nil
        }
    }

    static func binary(_ op: BinOp, _ a: CodeConstant, _ b: CodeConstant) -> CodeConstant? {
        if let x = number(a), let y = number(b) {
            // (`&`, `|` and `^` of two bools give a bool: left to run.)
            if case .bool = a, case .bool = b, op == .bitAnd || op == .bitOr || op == .bitXor { return nil }
            if case .int(let i) = x, case .int(let j) = y { return ints(op, i, j) }
            guard let p = double(x), let q = double(y) else { return nil }
            switch op {
            case .add: return .float(p + q)
            case .sub: return .float(p - q)
            case .mul: return .float(p * q)
            case .div: return q == 0 ? nil : .float(p / q)
            default: return nil
            }
        }
        switch (op, a, b) {
        case let (.add, .str(s), .str(t)):
            return s.unicodeScalars.count + t.unicodeScalars.count <= maxStringSize ? .str(s + t) : nil
        case let (.mul, .str(s), n), let (.mul, n, .str(s)):
            guard let count = repeatCount(n), s.unicodeScalars.count * count <= maxStringSize else { return nil }
            return .str(String(repeating: s, count: count))
        case let (.add, .tuple(s), .tuple(t)):
            return s.count + t.count <= maxTupleSize ? .tuple(s + t) : nil
        case let (.mul, .tuple(s), n), let (.mul, n, .tuple(s)):
            guard let count = repeatCount(n), s.count * count <= maxTupleSize else { return nil }
            return .tuple(Array([[CodeConstant]](repeating: s, count: count).joined()))
        default:
            return nil
        }
    }

    /// How many times `seq * n` repeats: a negative count repeats none (a small one only).
    private static func repeatCount(_ n: CodeConstant) -> Int? {
        guard let v = number(n), case .int(let i) = v, i <= maxStringSize else { return nil }
        return max(0, i)
    }

    /// `i <op> j` of machine ints, as Python computes it, when the result is a machine int.
    private static func ints(_ op: BinOp, _ i: Int, _ j: Int) -> CodeConstant? {
        switch op {
        case .add:
            let (r, o) = i.addingReportingOverflow(j)
            return o ? nil : .int(r)
        case .sub:
            let (r, o) = i.subtractingReportingOverflow(j)
            return o ? nil : .int(r)
        case .mul:
            let (r, o) = i.multipliedReportingOverflow(by: j)
            return o ? nil : .int(r)
        case .div:
            // (Both exact as doubles: the quotient is then rounded once, as Python's is.)
            guard j != 0, i.magnitude <= UInt(exactInDouble), j.magnitude <= UInt(exactInDouble) else { return nil }
            return .float(Double(i) / Double(j))
        case .floorDiv, .mod:
            guard j != 0, !(i == Int.min && j == -1) else { return nil }
            var q = i / j, r = i % j
            if r != 0 && (r < 0) != (j < 0) { q -= 1; r += j }
            return .int(op == .floorDiv ? q : r)
        case .pow:
            guard j >= 0 else { return nil }
            var result = 1, base = i, e = j
            while e > 0 {
                if e & 1 == 1 {
                    let (r, o) = result.multipliedReportingOverflow(by: base)
                    if o { return nil }
                    result = r
                }
                e >>= 1
                if e > 0 {
                    let (s, o) = base.multipliedReportingOverflow(by: base)
                    if o { return nil }
                    base = s
                }
            }
            return .int(result)
        case .lshift:
            guard j >= 0, j < Int.bitWidth else { return nil }
            let r = i << j
            return r >> j == i ? .int(r) : nil
        case .rshift:
            guard j >= 0 else { return nil }
            return .int(j >= Int.bitWidth ? (i < 0 ? -1 : 0) : i >> j)
        case .bitAnd: return .int(i & j)
        case .bitOr: return .int(i | j)
        case .bitXor: return .int(i ^ j)
        case .matmul: return nil
        }
    }
}

extension Compiler {
    /// What a `for` loop or a comprehension iterates: a list display of constants is a constant
    /// tuple (as CPython's), which iterates alike without a list built each time.
    func iterable(_ e: Expr) throws {
        if let c = constantList(e) {
            let saved = span
            setSpan(e)
            emitConst(c)
            span = saved
            return
        }
        try expr(e)
    }

    /// The right operand of a comparison: for `in` and `not in`, a list display of constants is
    /// a constant tuple too (searched alike).
    func comparand(_ op: CmpOp, _ e: Expr) throws {
        if op == .in || op == .notIn { try iterable(e) } else { try expr(e) }
    }

    /// A list display whose items are all constants, as a constant tuple.
    private func constantList(_ e: Expr) -> CodeConstant? {
        guard case .list(let items) = e.kind else { return nil }
        var values: [CodeConstant] = []
        values.reserveCapacity(items.count)
        for i in items {
            guard let c = constantValue(i) else { return nil }
            values.append(c)
        }
        return .tuple(values)
    }
}
