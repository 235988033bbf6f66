// A compact text form of the AST for tests: `(op left right)` for operators, `f(args)` for calls.

@testable import AsoSyntax

func show(_ e: Expr?) -> String {
    guard let e else { return "_" }
    switch e.kind {
    case .name(let n): return n
    case .constant(let c): return show(c)
    case .joinedStr(let parts): return "f[" + parts.map(show).joined(separator: ", ") + "]"
    case .tuple(let elts): return "tuple(" + elts.map(show).joined(separator: ", ") + ")"
    case .list(let elts): return "list(" + elts.map(show).joined(separator: ", ") + ")"
    case .set(let elts): return "set(" + elts.map(show).joined(separator: ", ") + ")"
    case .dict(let items): return "dict(" + items.map { ($0.key.map(show) ?? "**") + ": " + show($0.value) }.joined(separator: ", ") + ")"
    case .starred(let v): return "*" + show(v)
    case .attribute(let v, let n): return show(v) + "." + n
    case .subscript(let v, let i): return show(v) + "[" + show(i) + "]"
    case .slice(let l, let u, let s): return "slice(\(show(l)), \(show(u)), \(show(s)))"
    case .call(let f, let args, let kws):
        let items = args.map(show) + kws.map { ($0.name.map { $0 + "=" } ?? "**") + show($0.value) }
        return show(f) + "(" + items.joined(separator: ", ") + ")"
    case .unary(let op, let v): return "(\(op.rawValue) \(show(v)))"
    case .binary(let l, let op, let r): return "(\(op.rawValue) \(show(l)) \(show(r)))"
    case .boolOp(let op, let values): return "(\(op.rawValue) " + values.map(show).joined(separator: " ") + ")"
    case .compare(let l, let ops): return "(" + ([show(l)] + ops.map { "\($0.0.rawValue) \(show($0.1))" }).joined(separator: " ") + ")"
    case .ifExp(let t, let b, let o): return "(if \(show(t)) \(show(b)) \(show(o)))"
    case .lambda(let a, let b): return "lambda(\(show(a)): \(show(b)))"
    case .listComp(let e, let g): return "listcomp(\(show(e)) \(show(g)))"
    case .setComp(let e, let g): return "setcomp(\(show(e)) \(show(g)))"
    case .dictComp(let k, let v, let g): return "dictcomp(\(show(k)): \(show(v)) \(show(g)))"
    case .generatorExp(let e, let g): return "genexp(\(show(e)) \(show(g)))"
    case .await(let v): return "(await \(show(v)))"
    case .yield(let v): return "(yield \(show(v)))"
    case .yieldFrom(let v): return "(yield-from \(show(v)))"
    case .namedExpr(let t, let v): return "(:= \(t) \(show(v)))"
    }
}

func show(_ c: Constant) -> String {
    switch c {
    case .none: return "None"
    case .bool(let b): return b ? "True" : "False"
    case .int(let i): return String(i)
    case .bigInt(let s): return "big:" + s
    case .float(let d): return "float:\(d)"
    case .imaginary(let d): return "\(d)j"
    case .str(let s): return String(reflecting: s)
    case .bytes(let b): return "b\(b)"
    case .ellipsis: return "..."
    }
}

func show(_ p: FStringPart) -> String {
    switch p {
    case .literal(let s): return String(reflecting: s)
    case .formatted(let v, let conv, let spec, let selfDoc):
        var out = "{" + (selfDoc.map { "doc:" + String(reflecting: $0) + " " } ?? "") + show(v)
        if let conv { out += "!" + String(conv) }
        if let spec { out += ":" + spec.map(show).joined(separator: " ") }
        return out + "}"
    }
}

func show(_ g: [Comprehension]) -> String {
    g.map { c in
        (c.isAsync ? "async " : "") + "for \(show(c.target)) in \(show(c.iter))" + c.ifs.map { " if \(show($0))" }.joined()
    }.joined(separator: " ")
}

func show(_ a: Arguments) -> String {
    var parts: [String] = []
    parts += a.posOnly.map(\.name)
    if !a.posOnly.isEmpty { parts.append("/") }
    parts += a.args.map(\.name)
    if let v = a.vararg { parts.append("*" + v.name) } else if !a.kwOnly.isEmpty { parts.append("*") }
    parts += zip(a.kwOnly, a.kwDefaults).map { $0.name + ($1.map { "=" + show($0) } ?? "") }
    if let k = a.kwarg { parts.append("**" + k.name) }
    if !a.defaults.isEmpty { parts.append("defaults=" + a.defaults.map(show).joined(separator: ",")) }
    return parts.joined(separator: " ")
}

func show(_ s: Stmt) -> String {
    switch s.kind {
    case .expr(let e): return show(e)
    case .assign(let targets, let value): return (targets.map(show) + [show(value)]).joined(separator: " = ")
    case .augAssign(let t, let op, let v): return "\(show(t)) \(op.rawValue)= \(show(v))"
    case .annAssign(let t, let a, let v): return "\(show(t)): \(show(a))" + (v.map { " = " + show($0) } ?? "")
    case .if(let t, let b, let o): return "if \(show(t)): \(show(b)) else: \(show(o))"
    case .while(let t, let b, let o): return "while \(show(t)): \(show(b)) else: \(show(o))"
    case .for(let t, let i, let b, let o, let a): return (a ? "async " : "") + "for \(show(t)) in \(show(i)): \(show(b)) else: \(show(o))"
    case .break: return "break"
    case .continue: return "continue"
    case .pass: return "pass"
    case .return(let v): return "return " + show(v)
    case .functionDef(let f):
        return f.decorators.map { "@" + show($0) + " " }.joined() + (f.isAsync ? "async " : "") + "def \(f.name)(\(show(f.args)))" + (f.returns.map { " -> " + show($0) } ?? "") + ": " + show(f.body)
    case .classDef(let c):
        let bases = c.bases.map(show) + c.keywords.map { ($0.name ?? "**") + "=" + show($0.value) }
        return c.decorators.map { "@" + show($0) + " " }.joined() + "class \(c.name)(\(bases.joined(separator: ", "))): " + show(c.body)
    case .try(let b, let h, let o, let f):
        let handlers = h.map { "except \(show($0.type))" + ($0.name.map { " as " + $0 } ?? "") + ": " + show($0.body) }
        return "try: \(show(b)) " + handlers.joined(separator: " ") + " else: \(show(o)) finally: \(show(f))"
    case .raise(let e, let c): return "raise \(show(e)) from \(show(c))"
    case .assert(let t, let m): return "assert \(show(t)), \(show(m))"
    case .delete(let ts): return "del " + ts.map(show).joined(separator: ", ")
    case .global(let ns): return "global " + ns.joined(separator: ", ")
    case .nonlocal(let ns): return "nonlocal " + ns.joined(separator: ", ")
    case .import(let names): return "import " + names.map { $0.name + ($0.asName.map { " as " + $0 } ?? "") }.joined(separator: ", ")
    case .importFrom(let m, let names, let level):
        return "from \(String(repeating: ".", count: level))\(m ?? "") import " + names.map { $0.name + ($0.asName.map { " as " + $0 } ?? "") }.joined(separator: ", ")
    case .with(let items, let body, let a):
        return (a ? "async " : "") + "with " + items.map { show($0.context) + ($0.target.map { " as " + show($0) } ?? "") }.joined(separator: ", ") + ": " + show(body)
    case .match(let subject, let cases):
        return "match \(show(subject)): " + cases.map { "case " + show($0.pattern) + ($0.guardExpr.map { " if " + show($0) } ?? "") + ": " + show($0.body) }.joined(separator: " ")
    }
}

func show(_ body: [Stmt]) -> String { "[" + body.map(show).joined(separator: "; ") + "]" }

/// Parses `source` and dumps its statements, or returns the error message.
func dumpModule(_ source: String) -> String {
    do {
        return try parseModule(source).body.map(show).joined(separator: "\n")
    } catch {
        return "error: \(error.message) at \(error.location)"
    }
}

func show(_ p: Pattern) -> String {
    switch p.kind {
    case .value(let e): return show(e)
    case .singleton(let c): return "\(c)"
    case .sequence(let items): return "[" + items.map(show).joined(separator: ", ") + "]"
    case .star(let n): return "*" + (n ?? "_")
    case .mapping(let keys, let patterns, let rest):
        return "{" + zip(keys, patterns).map { show($0.0) + ": " + show($0.1) }.joined(separator: ", ") + (rest.map { ", **" + $0 } ?? "") + "}"
    case .classPattern(let cls, let patterns, let names, let keywordPatterns):
        return show(cls) + "(" + (patterns.map(show) + zip(names, keywordPatterns).map { $0.0 + "=" + show($0.1) }).joined(separator: ", ") + ")"
    case .asPattern(let inner, let name):
        guard let inner else { return name ?? "_" }
        return show(inner) + " as " + (name ?? "_")
    case .or(let alternatives): return alternatives.map(show).joined(separator: " | ")
    }
}
