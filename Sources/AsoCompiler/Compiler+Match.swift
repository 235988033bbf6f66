// The `match` statement: the subject stays on the stack while the cases try it in order.
//
// One idea: a pattern compiles to a constant that describes it (nested tuples) plus the values
// its value patterns, mapping keys and class patterns name, evaluated in order when the case is
// tried; the runtime's matcher (`" match"` in the builtins, a name no program can write) takes
// the subject, the description, the capture names and those values, and gives None or the
// captured values, which the case then stores. A case whose pattern is a bare name or `_` needs
// no matcher.
//
//     subject                            ; stays until a case succeeds
//   case_i:
//     " match" NULL (copy 3) desc names (values...) buildTuple call 4
//     copy 1; popJumpIfNone fail_i
//     unpackSequence k; store names...   ; (popTop when k == 0)
//     [guard: popJumpIfFalse next_i]
//     popTop                             ; the subject
//     body; jump end
//   fail_i: popTop
//   next_i: ...
//     popTop                             ; no case matched
//   end:

import AsoBytecode
import AsoSyntax

extension Compiler {
    func matchStatement(_ subject: Expr, _ cases: [MatchCase]) throws {
        try expr(subject)
        let end = newLabel()
        for (i, c) in cases.enumerated() {
            if i < cases.count - 1 && c.guardExpr == nil, let why = irrefutable(c.pattern) {
                throw error(why, c.pattern.loc)
            }
            let next = newLabel()
            var names: [String] = []
            var values: [Expr] = []
            let desc = try describe(c.pattern, &names, &values)
            loc = c.pattern.loc
            if case .asPattern(nil, let name) = c.pattern.kind {
                // A bare capture or `_`: always matches.
                if let name {
                    emit(.copy, 1)
                    try nameOp(name, .store)
                }
            } else {
                let fail = newLabel()
                emit(.loadGlobal, nameIndex(" match"))
                emit(.pushNull)
                emit(.copy, 3)
                emitConst(desc)
                emitConst(.tuple(names.map { .str($0) }))
                for v in values { try expr(v) }
                emit(.buildTuple, values.count)
                loc = c.pattern.loc
                emit(.call, 4)
                emit(.copy, 1)
                emitJump(.popJumpIfNone, fail)
                if names.isEmpty {
                    emit(.popTop)
                } else {
                    emit(.unpackSequence, names.count)
                    for n in names { try nameOp(n, .store) }
                }
                if let g = c.guardExpr { try jumpIf(g, false, next) }
                emit(.popTop)
                try body(c.body)
                emitJump(.jump, end)
                bind(fail)
                emit(.popTop)
                bind(next)
                continue
            }
            if let g = c.guardExpr { try jumpIf(g, false, next) }
            emit(.popTop)
            try body(c.body)
            emitJump(.jump, end)
            bind(next)
        }
        emit(.popTop)
        bind(end)
    }

    /// CPython's error when a case that is not the last can never fail; nil otherwise.
    private func irrefutable(_ p: Pattern) -> String? {
        switch p.kind {
        case .asPattern(nil, nil): return "wildcard makes remaining patterns unreachable"
        case .asPattern(nil, let name?): return "name capture '\(name)' makes remaining patterns unreachable"
        case .asPattern(let inner?, _): return irrefutable(inner)
        case .or(let alternatives):
            for a in alternatives { if let why = irrefutable(a) { return why } }
            return nil
        default: return nil
        }
    }

    /// The constant that describes `p` for the matcher; adds its capture names to `names` (in
    /// order) and the expressions it compares against or calls to `values`.
    private func describe(_ p: Pattern, _ names: inout [String], _ values: inout [Expr]) throws -> CodeConstant {
        func capture(_ n: String, _ loc: SourceLocation) throws {
            if names.contains(n) { throw error("multiple assignments to name '\(n)' in pattern", loc) }
            names.append(n)
        }
        switch p.kind {
        case .value(let e):
            values.append(e)
            return .tuple([.str("v"), .int(values.count - 1)])
        case .singleton(let c):
            switch c {
            case .bool(let b): return .tuple([.str("s"), .bool(b)])
            default: return .tuple([.str("s"), .none])
            }
        case .sequence(let items):
            var stars = 0
            var out: [CodeConstant] = []
            for item in items {
                if case .star = item.kind {
                    stars += 1
                    if stars > 1 { throw error("multiple starred names in sequence pattern", item.loc) }
                }
                out.append(try describe(item, &names, &values))
            }
            return .tuple([.str("q"), .tuple(out)])
        case .star(let n):
            if let n { try capture(n, p.loc) }
            return .tuple([.str("*"), n.map { .str($0) } ?? .none])
        case .mapping(let keys, let patterns, let rest):
            var keyIndexes: [CodeConstant] = []
            for k in keys {
                values.append(k)
                keyIndexes.append(.int(values.count - 1))
            }
            let described = try patterns.map { try describe($0, &names, &values) }
            if let rest { try capture(rest, p.loc) }
            return .tuple([.str("m"), .tuple(keyIndexes), .tuple(described), rest.map { .str($0) } ?? .none])
        case .classPattern(let cls, let patterns, let keywordNames, let keywordPatterns):
            values.append(cls)
            let clsIndex = values.count - 1
            let positional = try patterns.map { try describe($0, &names, &values) }
            var seen = Set<String>()
            for n in keywordNames where !seen.insert(n).inserted {
                throw error("attribute name repeated in class pattern: \(n)", p.loc)
            }
            let keyword = try keywordPatterns.map { try describe($0, &names, &values) }
            return .tuple([.str("k"), .int(clsIndex), .tuple(positional), .tuple(keywordNames.map { .str($0) }), .tuple(keyword)])
        case .asPattern(let inner, let name):
            let described = try inner.map { try describe($0, &names, &values) }
            if let name { try capture(name, p.loc) }
            return .tuple([.str("a"), described ?? .none, name.map { .str($0) } ?? .none])
        case .or(let alternatives):
            var out: [CodeConstant] = []
            var first: Set<String>?
            for (i, a) in alternatives.enumerated() {
                if i < alternatives.count - 1, let why = irrefutable(a) {
                    throw error(why, a.loc)
                }
                var own: [String] = []
                out.append(try describe(a, &own, &values))
                if let f = first {
                    if Set(own) != f { throw error("alternative patterns bind different names", a.loc) }
                } else {
                    first = Set(own)
                    for n in own { try capture(n, a.loc) }
                }
            }
            return .tuple([.str("o"), .tuple(out)])
        }
    }
}
