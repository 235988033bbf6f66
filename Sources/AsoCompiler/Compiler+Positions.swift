// Source spans of instructions: which AST node each instruction is attributed to, for tracebacks.
//
// One idea: as in CPython 3.11, every instruction carries the full span (start and end) of the
// node being compiled when it was emitted, and tracebacks underline that span (PEP 657). CPython
// finds the operator of a binary operation and the `[index]` of a subscript by re-parsing the
// span's text when it prints; the same columns follow from our own tree, so they are computed here,
// once, and stored in the line table (the runtime knows nothing of syntax trees).

import AsoBytecode
import AsoSyntax

extension Compiler {
    /// The span the next instructions get.
    var span: Span {
        get { unit.b.span }
        set { unit.b.span = newValue }
    }

    func setSpan(_ e: Expr) { span = spanOf(e) }
    func setSpan(_ s: Stmt) { span = Span(s.loc, end: s.end) }

    /// The span of `e`, with the anchor of a one-line binary operation or subscript.
    func spanOf(_ e: Expr) -> Span {
        var sp = Span(e.loc, end: e.end)
        guard e.loc.line == e.end.line else { return sp }
        switch e.kind {
        case .binary(let left, _, let right):
            if let (a, b) = operatorAnchor(line: e.loc.line, from: left.end, to: right.loc) {
                sp.anchorStart = a; sp.anchorEnd = b
            }
        case .subscript(let value, let index):
            if let (a, b) = subscriptAnchor(line: e.loc.line, value: value.end, index: index.end, end: e.end.column) {
                sp.anchorStart = a; sp.anchorEnd = b
            }
        default:
            break
        }
        return sp
    }

    /// CPython 3.11's rule for the span of an attribute load or method call on more than one line:
    /// it starts at the attribute's name, on the attribute's last line.
    func spanAtAttributeName(_ base: Span, attribute: Expr, name: String) -> Span {
        guard base.start.line != attribute.end.line else { return base }
        var sp = base
        sp.start = SourceLocation(line: attribute.end.line, column: max(1, attribute.end.column - name.unicodeScalars.count))
        sp.anchorStart = 0; sp.anchorEnd = 0
        return sp
    }

    /// The span a failing `assert` raises at: CPython 3.11 leaves it on the comparison the test
    /// ends with (looking through `not`, `and`, `or`), else on the statement.
    func assertSpan(_ s: Stmt, _ test: Expr) -> Span {
        var t = test
        while true {
            switch t.kind {
            case .compare: return spanOf(t)
            case .unary(.not, let v): t = v
            case .boolOp(_, let values):
                guard let last = values.last else { return Span(s.loc, end: s.end) }
                t = last
            default: return Span(s.loc, end: s.end)
            }
        }
    }

    private static func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\u{0C}" }

    /// The operator between the operands (0-based scalar offsets `from ..< to` on the line), as
    /// columns `start ..< end`: the first non-blank character, two when the next one is not blank;
    /// a `)` closing the left operand is passed over when more follows (CPython 3.11's loop).
    private func operatorAnchor(line n: Int, from: SourceLocation, to: SourceLocation) -> (Int, Int)? {
        guard from.line == n, to.line == n, let text = sourceScalars(n) else { return nil }
        let lo = from.column - 1, hi = min(to.column - 1, text.count)
        guard lo >= 0, lo < hi else { return nil }
        var found: (Int, Int)?
        var i = lo
        while i < hi {
            let c = text[i]
            if Compiler.isBlank(c) { i += 1; continue }
            var right = i + 1
            if i + 1 < hi && !Compiler.isBlank(text[i + 1]) { right += 1 }
            found = (i + 1, right + 1)
            if i + 1 < hi && c == ")" { i += 1; continue }
            break
        }
        return found
    }

    /// The `[index]` part of a subscript ending at column `end`: from the first `[` after the value
    /// to the `]` after the index.
    private func subscriptAnchor(line n: Int, value: SourceLocation, index: SourceLocation, end: Int) -> (Int, Int)? {
        guard value.line == n, index.line == n, let text = sourceScalars(n) else { return nil }
        let limit = min(end - 1, text.count)
        var left = value.column - 1
        var right = index.column
        guard left >= 0, right >= 0 else { return nil }
        while left < limit && text[left] != "[" { left += 1 }
        while right < limit && text[right] != "]" { right += 1 }
        if right < limit { right += 1 }
        return (left + 1, right + 1)
    }

    /// Line `n` of the source as scalars, or nil when out of range.
    func sourceScalars(_ n: Int) -> [Unicode.Scalar]? {
        let lines = sourceLineScalars
        guard n >= 1, n <= lines.count else { return nil }
        return lines[n - 1]
    }
}
