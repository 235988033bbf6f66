// Assignment, augmented assignment and `del` targets, and the errors for invalid ones.
//
// One idea: a target consumes the value on top of the stack. Names store by scope, attributes and
// subscripts evaluate their object (and key) first, tuples and lists unpack (`unpackSequence`, or
// `unpackEx` around one starred target) and store each item in order. Invalid targets are reported
// with CPython's wording ("cannot assign to function call", ...).

import AsoBytecode
import AsoSyntax

extension Compiler {
    enum TargetContext { case assign, forTarget, withTarget }

    /// CPython's name for an expression in error messages (_PyPegen_get_expr_name).
    func exprName(_ e: Expr) -> String {
        switch e.kind {
        case .attribute: return "attribute"
        case .subscript: return "subscript"
        case .starred: return "starred"
        case .name: return "name"
        case .list: return "list"
        case .tuple: return "tuple"
        case .lambda: return "lambda"
        case .call: return "function call"
        case .boolOp, .binary, .unary: return "expression"
        case .generatorExp: return "generator expression"
        case .yield, .yieldFrom: return "yield expression"
        case .await: return "await expression"
        case .listComp: return "list comprehension"
        case .setComp: return "set comprehension"
        case .dictComp: return "dict comprehension"
        case .dict: return "dict literal"
        case .set: return "set display"
        case .joinedStr: return "f-string expression"
        case .constant(let c):
            switch c {
            case .none: return "None"
            case .bool(let b): return b ? "True" : "False"
            case .ellipsis: return "ellipsis"
            default: return "literal"
            }
        case .compare: return "comparison"
        case .ifExp: return "conditional expression"
        case .namedExpr: return "named expression"
        case .slice: return "slice"
        }
    }

    /// Rejects targets that cannot be assigned to, before any code for the statement is emitted.
    func checkTarget(_ t: Expr, direct: Bool, context: TargetContext) throws {
        switch t.kind {
        case .name, .attribute, .subscript: return
        case .tuple(let items), .list(let items):
            for i in items { try checkTarget(i, direct: false, context: context) }
        case .starred(let v):
            try checkTarget(v, direct: false, context: context)
        case .yield, .yieldFrom:
            throw error("assignment to yield expression not possible", t.loc)
        default:
            let name = exprName(t)
            var suffix = false
            if direct && context == .assign {
                switch t.kind {
                case .compare, .boolOp, .unary(.not, _), .ifExp, .lambda: suffix = false
                case .constant(.none), .constant(.bool): suffix = false
                default: suffix = true
                }
            }
            throw error(suffix ? "cannot assign to \(name) here. Maybe you meant '==' instead of '='?" : "cannot assign to \(name)", t.loc)
        }
    }

    /// Stores the value on top of the stack into `t`.
    func store(_ t: Expr) throws {
        let saved = span
        setSpan(t)
        defer { span = saved }
        switch t.kind {
        case .name(let n):
            try nameOp(n, .store)
        case .attribute(let obj, let attr):
            try expr(obj)
            span = spanAtAttributeName(spanOf(t), attribute: t, name: attr)
            emit(.storeAttr, nameIndex(attr))
        case .subscript(let obj, let index):
            try expr(obj)
            if case .slice(let lower, let upper, nil) = index.kind {
                // (`x[a:b] = v` makes no slice object: storeSlice.)
                try sliceBounds(lower, upper)
                setSpan(t)
                emit(.storeSlice)
            } else {
                try expr(index)
                setSpan(t)
                emit(.storeSubscr)
            }
        case .tuple(let items), .list(let items):
            try unpack(items, t.loc)
            for item in items {
                if case .starred(let inner) = item.kind { try store(inner) } else { try store(item) }
            }
        case .starred:
            throw error("starred assignment target must be in a list or tuple", t.loc)
        default:
            throw error("cannot assign to \(exprName(t))", t.loc)
        }
    }

    private func unpack(_ items: [Expr], _ at: SourceLocation) throws {
        var starIndex: Int?
        for (i, item) in items.enumerated() {
            if case .starred = item.kind {
                if starIndex != nil { throw error("multiple starred expressions in assignment", at) }
                starIndex = i
            }
        }
        if let s = starIndex {
            let after = items.count - s - 1
            if s >= 1 << 8 || after >= 1 << 16 {
                throw error("too many expressions in star-unpacking assignment", at)
            }
            emit(.unpackEx, s | after << 8)
        } else {
            emit(.unpackSequence, items.count)
        }
    }

    func augAssign(_ target: Expr, _ op: BinOp, _ value: Expr) throws {
        let opArg = Int(binaryOperator(op, inplace: true).rawValue)
        // As CPython: the operation is the statement's; loads and stores are the target's.
        let statement = span
        let targetSpan = spanOf(target)
        switch target.kind {
        case .name(let n):
            try nameOp(n, .load)
            try expr(value)
            span = statement
            emit(.binaryOp, opArg)
            span = targetSpan
            try nameOp(n, .store)
        case .attribute(let obj, let attr):
            try expr(obj)
            span = spanAtAttributeName(targetSpan, attribute: target, name: attr)
            emit(.copy, 1)
            emit(.loadAttr, nameIndex(attr))
            span = statement
            try expr(value)
            emit(.binaryOp, opArg)
            span = spanAtAttributeName(targetSpan, attribute: target, name: attr)
            emit(.swap, 2)
            emit(.storeAttr, nameIndex(attr))
        case .subscript(let obj, let index):
            try expr(obj)
            try expr(index)
            span = targetSpan
            emit(.copy, 2)
            emit(.copy, 2)
            emit(.binarySubscr)
            span = statement
            try expr(value)
            emit(.binaryOp, opArg)
            span = targetSpan
            emit(.swap, 3)
            emit(.swap, 2)
            emit(.storeSubscr)
        default:
            throw error("'\(exprName(target))' is an illegal expression for augmented assignment", target.loc)
        }
    }

    func delete(_ t: Expr) throws {
        setSpan(t)
        switch t.kind {
        case .name(let n):
            try nameOp(n, .delete)
        case .attribute(let obj, let attr):
            try expr(obj)
            span = spanAtAttributeName(spanOf(t), attribute: t, name: attr)
            emit(.deleteAttr, nameIndex(attr))
        case .subscript(let obj, let index):
            try expr(obj)
            try expr(index)
            setSpan(t)
            emit(.deleteSubscr)
        case .tuple(let items), .list(let items):
            for i in items { try delete(i) }
        default:
            throw error("cannot delete \(exprName(t))", t.loc, end: t.end)
        }
    }
}
