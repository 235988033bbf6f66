// Assignment, deletion and annotation targets: which expressions may be assigned to, and CPython's
// wording when one may not.
//
// One idea: targets are parsed as ordinary expressions and checked afterwards; the first invalid
// sub-expression is reported with `exprName`, the name CPython's `_PyPegen_get_expr_name` gives it.

extension Parser {
    /// CPython's name for an expression in "cannot assign to ..." messages.
    func exprName(_ e: Expr) -> String {
        switch e.kind {
        case .name: return "name"
        case .constant(let c):
            switch c {
            case .none: return "None"
            case .bool(let b): return b ? "True" : "False"
            case .ellipsis: return "ellipsis"
            default: return "literal"
            }
        case .joinedStr: return "f-string expression"
        case .tuple: return "tuple"
        case .list: return "list"
        case .set: return "set display"
        case .dict: return "dict literal"
        case .starred: return "starred"
        case .attribute: return "attribute"
        case .subscript: return "subscript"
        case .slice: return "slice"
        case .call: return "function call"
        case .unary, .binary, .boolOp: return "expression"
        case .compare: return "comparison"
        case .ifExp: return "conditional expression"
        case .lambda: return "lambda"
        case .listComp: return "list comprehension"
        case .setComp: return "set comprehension"
        case .dictComp: return "dict comprehension"
        case .generatorExp: return "generator expression"
        case .await: return "await expression"
        case .yield, .yieldFrom: return "yield expression"
        case .namedExpr: return "named expression"
        }
    }

    /// The first sub-expression of `e` that cannot be a target, or nil when `e` is a valid target.
    /// With `forTargets`, a comparison `x in y` stands for its left side and any other comparison
    /// is let through, as CPython's `_PyPegen_get_invalid_target` does for `for` targets.
    func invalidTarget(_ e: Expr, delete: Bool, forTargets: Bool = false) -> Expr? {
        switch e.kind {
        case .name, .attribute, .subscript: return nil
        case .tuple(let elts), .list(let elts):
            for elt in elts {
                if let bad = invalidTarget(elt, delete: delete, forTargets: forTargets) { return bad }
            }
            return nil
        case .starred(let inner):
            return delete ? e : invalidTarget(inner, delete: delete, forTargets: forTargets)
        case .compare(let left, let ops) where forTargets:
            return ops.first?.0 == .in ? invalidTarget(left, delete: delete, forTargets: true) : nil
        default:
            return e
        }
    }

    /// Throws "cannot assign to X" / "cannot delete X" for an invalid target.
    func checkTarget(_ e: Expr, delete: Bool) throws(SyntaxError) {
        guard let bad = invalidTarget(e, delete: delete) else { return }
        throw error("cannot \(delete ? "delete" : "assign to") \(exprName(bad))", at: bad.loc, end: bad.end)
    }

    /// True for expressions CPython's `bitwise_or` can produce (no comparison, not, and/or, lambda, ...).
    func isBitwiseOrLevel(_ e: Expr) -> Bool {
        switch e.kind {
        case .compare, .boolOp, .ifExp, .lambda, .starred, .namedExpr, .yield, .yieldFrom: return false
        case .unary(let op, _): return op != .not
        default: return true
        }
    }

    /// CPython leaves out the "here. Maybe you meant '=='" hint for these targets.
    func isExcludedFromHereMessage(_ e: Expr) -> Bool {
        switch e.kind {
        case .list, .tuple, .generatorExp: return true
        case .constant(.none), .constant(.bool): return true
        default: return false
        }
    }

    /// The message for an invalid annotated-assignment target, or nil when it is valid.
    func annotationTargetError(_ e: Expr) -> String? {
        switch e.kind {
        case .name, .attribute, .subscript: return nil
        case .tuple: return "only single target (not tuple) can be annotated"
        case .list: return "only single target (not list) can be annotated"
        default: return "illegal target for annotation"
        }
    }
}
