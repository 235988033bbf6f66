// The first scope pass: walks the AST and records, per scope, how each name is used.
//
// One idea: every node that opens a scope (def, lambda, class, comprehension) becomes a child
// `Scope` registered under its `ScopeKey` (location + kind), so the code generator can find it
// again however many times it compiles the same node (a `finally` body is compiled once per exit
// path). Errors that CPython reports from its symtable pass (global/nonlocal misuse, duplicate
// parameters, yield in a comprehension, walrus misuse) are raised here.

import AsoSyntax

final class SymbolTableBuilder {
    private var stack: [Scope]
    private var cur: Scope
    /// > 0 while visiting the iterable of a comprehension (named expressions are not allowed there).
    private var iterExprDepth = 0

    init() {
        let top = Scope(kind: .module, name: "<module>", loc: SourceLocation(line: 1, column: 1))
        stack = [top]
        cur = top
    }

    static func build(_ module: Module) throws -> Scope {
        let b = SymbolTableBuilder()
        let top = b.cur
        for s in module.body { try b.visit(s) }
        try SymbolAnalysis.analyze(top)
        return top
    }

    private func enter(_ kind: Scope.Kind, _ name: String, _ loc: SourceLocation, isAsync: Bool = false) -> Scope {
        let s = Scope(kind: kind, name: name, loc: loc, isAsyncDef: isAsync)
        cur.children.append(s)
        let key = ScopeKey(line: loc.line, column: loc.column, kind: kind)
        if cur.childByKey[key] == nil { cur.childByKey[key] = s }
        stack.append(s)
        cur = s
        return s
    }

    private func leave(savedIterDepth: Int) {
        if stack.count > 1 { stack.removeLast() }
        if let last = stack.last { cur = last }
        iterExprDepth = savedIterDepth
    }

    // MARK: Statements

    private func visit(_ s: Stmt) throws {
        switch s.kind {
        case .expr(let e): try visit(e)
        case .assign(let targets, let value):
            try visit(value)
            for t in targets { try visitTarget(t) }
        case .augAssign(let t, _, let v):
            try visitTarget(t)
            try visit(v)
        case .annAssign(let t, _, let v):
            if let v { try visit(v) }
            if case .name(let n) = t.kind { cur.add(n, [.local, .annotated]) } else { try visitTarget(t) }
        case .if(let test, let body, let orElse), .while(let test, let body, let orElse):
            try visit(test)
            try visit(body); try visit(orElse)
        case .for(let target, let iter, let body, let orElse, let isAsync):
            try visit(iter)
            try visitTarget(target)
            if isAsync { cur.hasAwait = true }
            try visit(body); try visit(orElse)
        case .break, .continue, .pass: break
        case .return(let v): if let v { try visit(v) }
        case .functionDef(let fd):
            for d in fd.decorators { try visit(d) }
            try visitDefaults(fd.args)
            cur.add(fd.name, .local)
            let saved = iterExprDepth
            iterExprDepth = 0
            let scope = enter(.function, fd.name, s.loc, isAsync: fd.isAsync)
            try addParams(fd.args, scope)
            try visit(fd.body)
            leave(savedIterDepth: saved)
        case .classDef(let cd):
            for d in cd.decorators { try visit(d) }
            for b in cd.bases { try visit(b) }
            for k in cd.keywords { try visit(k.value) }
            cur.add(cd.name, .local)
            let saved = iterExprDepth
            iterExprDepth = 0
            _ = enter(.classBody, cd.name, s.loc)
            try visit(cd.body)
            leave(savedIterDepth: saved)
        case .try(let body, let handlers, let orElse, let finally):
            try visit(body)
            for h in handlers {
                if let t = h.type { try visit(t) }
                if let n = h.name { cur.add(n, .local) }
                try visit(h.body)
            }
            try visit(orElse); try visit(finally)
        case .raise(let e, let c):
            if let e { try visit(e) }
            if let c { try visit(c) }
        case .assert(let t, let m):
            try visit(t)
            if let m { try visit(m) }
        case .delete(let targets):
            for t in targets { try visitTarget(t) }
        case .global(let names):
            for n in names { try declare(n, global: true, s.loc, s.end) }
        case .nonlocal(let names):
            if cur.kind == .module {
                throw ScopeError(message: "nonlocal declaration not allowed at module level", loc: s.loc, end: s.end)
            }
            for n in names { try declare(n, global: false, s.loc, s.end) }
        case .import(let aliases):
            for a in aliases {
                let bound = a.asName ?? String(a.name.split(separator: ".", omittingEmptySubsequences: false).first ?? "")
                cur.add(bound, .local)
            }
        case .importFrom(_, let names, _):
            for a in names {
                if a.name == "*" {
                    if cur.kind != .module {
                        throw ScopeError(message: "import * only allowed at module level", loc: a.loc)
                    }
                    continue
                }
                cur.add(a.asName ?? a.name, .local)
            }
        case .with(let items, let body, let isAsync):
            for item in items {
                try visit(item.context)
                if let t = item.target { try visitTarget(t) }
            }
            if isAsync { cur.hasAwait = true }
            try visit(body)
        case .match(let subject, let cases):
            try visit(subject)
            for c in cases {
                try visitPattern(c.pattern)
                if let g = c.guardExpr { try visit(g) }
                try visit(c.body)
            }
        }
    }

    private func visitPattern(_ p: Pattern) throws {
        switch p.kind {
        case .value(let e): try visit(e)
        case .singleton: break
        case .sequence(let items): for i in items { try visitPattern(i) }
        case .star(let n): if let n { cur.add(n, .local) }
        case .mapping(let keys, let patterns, let rest):
            for k in keys { try visit(k) }
            for q in patterns { try visitPattern(q) }
            if let rest { cur.add(rest, .local) }
        case .classPattern(let cls, let patterns, _, let keywordPatterns):
            try visit(cls)
            for q in patterns + keywordPatterns { try visitPattern(q) }
        case .asPattern(let inner, let name):
            if let inner { try visitPattern(inner) }
            if let name { cur.add(name, .local) }
        case .or(let alternatives): for a in alternatives { try visitPattern(a) }
        }
    }

    private func visit(_ body: [Stmt]) throws {
        for s in body { try visit(s) }
    }

    private func declare(_ n: String, global: Bool, _ loc: SourceLocation, _ end: SourceLocation) throws {
        let f = cur.flags(of: n)
        let word = global ? "global" : "nonlocal"
        if !f.intersection([.param, .local, .use, .annotated]).isEmpty {
            let msg: String
            if f.contains(.param) { msg = "name '\(n)' is parameter and \(word)" }
            else if f.contains(.use) { msg = "name '\(n)' is used prior to \(word) declaration" }
            else if f.contains(.annotated) { msg = "annotated name '\(n)' can't be \(word)" }
            else { msg = "name '\(n)' is assigned to before \(word) declaration" }
            throw ScopeError(message: msg, loc: loc, end: end)
        }
        cur.add(n, global ? .global : .nonlocal)
        if cur.declLocs[n] == nil { cur.declLocs[n] = loc; cur.declEnds[n] = end }
    }

    private func visitDefaults(_ a: Arguments) throws {
        for d in a.defaults { try visit(d) }
        for case let d? in a.kwDefaults { try visit(d) }
    }

    private func addParams(_ a: Arguments, _ scope: Scope) throws {
        var all = a.posOnly + a.args + a.kwOnly
        if let v = a.vararg { all.append(v); scope.hasVarArgs = true }
        if let k = a.kwarg { all.append(k); scope.hasVarKeywords = true }
        for p in all {
            if scope.flags(of: p.name).contains(.param) {
                throw ScopeError(message: "duplicate argument '\(p.name)' in function definition", loc: p.loc)
            }
            scope.add(p.name, .param)
            scope.params.append(p.name)
        }
    }

    // MARK: Expressions

    private func visitTarget(_ e: Expr, compIter: Bool = false) throws {
        switch e.kind {
        case .name(let n): cur.add(n, compIter ? [.local, .compIter] : .local)
        case .tuple(let items), .list(let items):
            for i in items { try visitTarget(i, compIter: compIter) }
        case .starred(let v): try visitTarget(v, compIter: compIter)
        default: try visit(e)
        }
    }

    private func visit(_ e: Expr) throws {
        switch e.kind {
        case .name(let n):
            cur.add(n, .use)
            if n == "super" && cur.isFunctionLike { cur.add("__class__", .use) }
        case .constant: break
        case .joinedStr(let parts): try visit(parts)
        case .tuple(let items), .list(let items), .set(let items):
            for i in items { try visit(i) }
        case .dict(let items):
            for i in items {
                if let k = i.key { try visit(k) }
                try visit(i.value)
            }
        case .starred(let v), .attribute(let v, _), .unary(_, let v), .await(let v):
            try visit(v)
            if case .await = e.kind { cur.hasAwait = true }
        case .subscript(let v, let i):
            try visit(v); try visit(i)
        case .slice(let lo, let hi, let st):
            for case let x? in [lo, hi, st] { try visit(x) }
        case .call(let f, let args, let kws):
            try visit(f)
            for a in args { try visit(a) }
            for k in kws { try visit(k.value) }
        case .binary(let l, _, let r):
            try visit(l); try visit(r)
        case .boolOp(_, let vs):
            for v in vs { try visit(v) }
        case .compare(let l, let rest):
            try visit(l)
            for (_, r) in rest { try visit(r) }
        case .ifExp(let t, let b, let o):
            try visit(t); try visit(b); try visit(o)
        case .lambda(let args, let body):
            try visitDefaults(args)
            let saved = iterExprDepth
            iterExprDepth = 0
            let scope = enter(.lambda, "<lambda>", e.loc)
            try addParams(args, scope)
            try visit(body)
            leave(savedIterDepth: saved)
        case .listComp(let elt, let gens):
            try comprehension(e.loc, "<listcomp>", "list comprehension", gens, [elt], isGenexp: false)
        case .setComp(let elt, let gens):
            try comprehension(e.loc, "<setcomp>", "set comprehension", gens, [elt], isGenexp: false)
        case .dictComp(let k, let v, let gens):
            try comprehension(e.loc, "<dictcomp>", "dict comprehension", gens, [k, v], isGenexp: false)
        case .generatorExp(let elt, let gens):
            try comprehension(e.loc, "<genexpr>", "generator expression", gens, [elt], isGenexp: true)
        case .yield(let v):
            if let v { try visit(v) }
            try markYield(e.loc)
        case .yieldFrom(let v):
            try visit(v)
            try markYield(e.loc)
        case .namedExpr(let target, let value):
            if iterExprDepth > 0 {
                throw ScopeError(message: "assignment expression cannot be used in a comprehension iterable expression", loc: e.loc)
            }
            try visit(value)
            try bindNamedExprTarget(target, e.loc)
        }
    }

    private func visit(_ parts: [FStringPart]) throws {
        for p in parts {
            if case .formatted(let v, _, let spec, _) = p {
                try visit(v)
                if let spec { try visit(spec) }
            }
        }
    }

    private func markYield(_ loc: SourceLocation) throws {
        if cur.kind == .comprehension {
            throw ScopeError(message: "'yield' inside \(cur.comprehensionDescription)", loc: loc)
        }
        cur.isGenerator = true
    }

    private func comprehension(_ loc: SourceLocation, _ name: String, _ desc: String, _ gens: [Comprehension],
                               _ elts: [Expr], isGenexp: Bool) throws {
        guard let first = gens.first else { return }
        iterExprDepth += 1
        try visit(first.iter)
        iterExprDepth -= 1
        let saved = iterExprDepth
        iterExprDepth = 0
        let scope = enter(.comprehension, name, loc)
        scope.comprehensionDescription = desc
        scope.add(".0", .param)
        scope.params = [".0"]
        if isGenexp { scope.isGenerator = true }
        for (i, g) in gens.enumerated() {
            if i > 0 {
                iterExprDepth += 1
                try visit(g.iter)
                iterExprDepth -= 1
            }
            if g.isAsync { scope.hasAsyncFor = true }
            try visitTarget(g.target, compIter: true)
            for c in g.ifs { try visit(c) }
        }
        for e in elts { try visit(e) }
        leave(savedIterDepth: saved)
        // A list/set/dict comprehension that awaits is awaited where it is built.
        if !isGenexp && scope.isCoroutine { cur.hasAwait = true }
    }

    /// `x := v` inside a comprehension binds `x` in the nearest enclosing non-comprehension scope.
    private func bindNamedExprTarget(_ name: String, _ loc: SourceLocation) throws {
        guard cur.kind == .comprehension else {
            cur.add(name, .local)
            return
        }
        for s in stack.reversed() {
            switch s.kind {
            case .comprehension:
                if s.flags(of: name).contains(.compIter) {
                    throw ScopeError(message: "assignment expression cannot rebind comprehension iteration variable '\(name)'", loc: loc)
                }
            case .function, .lambda:
                if s.flags(of: name).contains(.global) { cur.add(name, .global) } else { cur.add(name, .nonlocal) }
                s.add(name, .local)
                return
            case .module:
                cur.add(name, .global)
                s.add(name, .global)
                return
            case .classBody:
                throw ScopeError(message: "assignment expression within a comprehension cannot be used in a class body", loc: loc)
            }
        }
    }
}
