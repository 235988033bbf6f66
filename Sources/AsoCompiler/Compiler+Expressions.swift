// Expressions: names, constants, operators, displays, f-strings, comparisons, await and yield.
//
// One idea: every expression leaves exactly one value on the stack, and every instruction it emits
// carries the expression's own location (set on entry, restored on exit), so a call or operator on
// a continuation line is reported on that line. Displays with `*items` build a list and extend it
// (then convert it for tuples), as CPython's starunpack_helper does.

import AsoBytecode
import AsoSyntax

extension Compiler {
    func expr(_ e: Expr) throws {
        try enterNesting(e.loc)
        let saved = span
        setSpan(e)
        defer { nesting -= 1; span = saved }
        switch e.kind {
        case .name(let n):
            try nameOp(n, .load)
        case .constant(let c):
            if case .imaginary(let v) = c {
                // No complex type at compile time: build it with `complex(0.0, v)` at run time.
                emit(.loadGlobal, nameIndex("complex"))
                emit(.pushNull)
                emitConst(.float(0))
                emitConst(.float(v))
                emit(.call, 2)
            } else {
                emitConst(codeConstant(c))
            }
        case .joinedStr(let parts):
            try fstring(parts)
        case .tuple(let items):
            if let c = constantValue(e) { emitConst(c) } else { try display(items, .buildTuple) }
        case .list(let items):
            try display(items, .buildList)
        case .set(let items):
            try display(items, .buildSet)
        case .dict(let items):
            try dict(items)
        case .starred:
            throw error("can't use starred expression here", e.loc)
        case .attribute(let obj, let attr):
            try expr(obj)
            span = spanAtAttributeName(span, attribute: e, name: attr)
            emit(.loadAttr, nameIndex(attr))
        case .subscript(let obj, let index):
            try expr(obj)
            if case .slice(let lower, let upper, let step) = index.kind {
                // (`x[a:b]` and `x[a:b:c]` make no slice object: binarySlice.)
                try sliceBounds(lower, upper)
                if let step { try expr(step) }
                emit(.binarySlice, step == nil ? 2 : 3)
            } else {
                try expr(index)
                emit(.binarySubscr)
            }
        case .slice(let lower, let upper, let step):
            try sliceBounds(lower, upper)
            if let step { try expr(step); emit(.buildSlice, 3) } else { emit(.buildSlice, 2) }
        case .call(let function, let args, let keywords):
            try call(e, function, args, keywords)
        case .unary(let op, let v):
            if let c = constantValue(e) {
                emitConst(c)
                return
            }
            try expr(v)
            switch op {
            case .invert: emit(.unaryInvert)
            case .not: emit(.unaryNot)
            case .plus: emit(.unaryPositive)
            case .minus: emit(.unaryNegative)
            }
        case .binary(let l, let op, let r):
            if let c = constantValue(e) {
                emitConst(c)
                return
            }
            try expr(l)
            try expr(r)
            emit(.binaryOp, Int(binaryOperator(op).rawValue))
        case .boolOp(let op, let values):
            let end = newLabel()
            for v in values.dropLast() {
                try expr(v)
                emitJump(op == .and ? .jumpIfFalseOrPop : .jumpIfTrueOrPop, end)
            }
            if let last = values.last { try expr(last) } else { emitConst(.none) }
            bind(end)
        case .compare(let left, let rest):
            try compare(left, rest)
        case .ifExp(let test, let bodyValue, let orElse):
            let other = newLabel(), end = newLabel()
            try jumpIf(test, false, other)
            try expr(bodyValue)
            emitJump(.jump, end)
            bind(other)
            try expr(orElse)
            bind(end)
        case .lambda(let args, let bodyValue):
            try lambda(e, args, bodyValue)
        case .listComp(let elt, let gens):
            try comprehension(e, .list, [elt], gens)
        case .setComp(let elt, let gens):
            try comprehension(e, .set, [elt], gens)
        case .dictComp(let key, let value, let gens):
            try comprehension(e, .dict, [key, value], gens)
        case .generatorExp(let elt, let gens):
            try comprehension(e, .generator, [elt], gens)
        case .await(let v):
            let s = unit.scope
            if !(topLevelAwait && s.kind == .module) {
                if !s.isFunctionLike { throw error("'await' outside function", e.loc, end: e.end) }
                if !(s.isAsyncDef || s.kind == .comprehension) { throw error("'await' outside async function", e.loc) }
            }
            try expr(v)
            emit(.getAwaitable, 0)
            emitConst(.none)
            emitYieldFromLoop()
        case .yield(let v):
            let s = unit.scope
            if !s.isFunctionLike { throw error("'yield' outside function", e.loc, end: e.end) }
            if let v { try expr(v) } else { emitConst(.none) }
            if s.isAsyncDef { emit(.asyncGenWrap) }
            emit(.yieldValue)
        case .yieldFrom(let v):
            let s = unit.scope
            if !s.isFunctionLike { throw error("'yield' outside function", e.loc, end: e.end) }
            if s.isAsyncDef { throw error("'yield from' inside async function", e.loc) }
            try expr(v)
            emit(.getYieldFromIter)
            emitConst(.none)
            emitYieldFromLoop()
        case .namedExpr(let target, let value):
            try expr(value)
            emit(.copy, 1)
            try nameOp(target, .store)
        }
    }

    func codeConstant(_ c: Constant) -> CodeConstant {
        switch c {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .bigInt(let s): return .bigInt(s)
        case .float(let d): return .float(d)
        case .imaginary(let d): return .float(d)
        case .str(let s): return .str(s)
        case .bytes(let b): return .bytes(b)
        case .ellipsis: return .ellipsis
        }
    }

    /// The value of a constant, or of an expression CPython's constant folding makes one: a
    /// tuple of constants, a sign on a number, arithmetic on numbers and repeated strings and
    /// tuples that cannot fail (Compiler+Folding.swift); else nil.
    func constantValue(_ e: Expr, depth: Int = 0) -> CodeConstant? {
        if depth > ConstantFolding.maxDepth { return nil }
        switch e.kind {
        case .constant(let c):
            if case .imaginary = c { return nil }
            return codeConstant(c)
        case .tuple(let items):
            var out: [CodeConstant] = []
            for i in items {
                guard let c = constantValue(i, depth: depth + 1) else { return nil }
                out.append(c)
            }
            return .tuple(out)
        case .unary(let op, let v):
            guard op != .not, let c = constantValue(v, depth: depth + 1) else { return nil }
            return ConstantFolding.unary(op, c)
        case .binary(let l, let op, let r):
            guard let a = constantValue(l, depth: depth + 1), let b = constantValue(r, depth: depth + 1) else { return nil }
            return ConstantFolding.binary(op, a, b)
        default:
            return nil
        }
    }

    /// Whether CPython's constant folding makes `e` a constant.
    private func isFoldedConstant(_ e: Expr) -> Bool { constantValue(e) != nil }

    func binaryOperator(_ op: BinOp, inplace: Bool = false) -> BinaryOperator {
        let plain: BinaryOperator
        switch op {
        case .add: plain = .add
        case .sub: plain = .subtract
        case .mul: plain = .multiply
        case .matmul: plain = .matrixMultiply
        case .div: plain = .trueDivide
        case .floorDiv: plain = .floorDivide
        case .mod: plain = .remainder
        case .pow: plain = .power
        case .lshift: plain = .lshift
        case .rshift: plain = .rshift
        case .bitOr: plain = .or
        case .bitXor: plain = .xor
        case .bitAnd: plain = .and
        }
        return inplace ? (BinaryOperator(rawValue: plain.rawValue + 13) ?? plain) : plain
    }

    func emitCompare(_ op: CmpOp) {
        switch op {
        case .eq: emit(.compareOp, Int(ComparisonOperator.eq.rawValue))
        case .notEq: emit(.compareOp, Int(ComparisonOperator.ne.rawValue))
        case .lt: emit(.compareOp, Int(ComparisonOperator.lt.rawValue))
        case .ltE: emit(.compareOp, Int(ComparisonOperator.le.rawValue))
        case .gt: emit(.compareOp, Int(ComparisonOperator.gt.rawValue))
        case .gtE: emit(.compareOp, Int(ComparisonOperator.ge.rawValue))
        case .is: emit(.isOp, 0)
        case .isNot: emit(.isOp, 1)
        case .in: emit(.containsOp, 0)
        case .notIn: emit(.containsOp, 1)
        }
    }

    /// `a < b < c`: each middle operand is kept (swap/copy) for the next comparison; the first
    /// false result short-circuits to `cleanup`, which drops the kept operand.
    private func compare(_ left: Expr, _ rest: [(CmpOp, Expr)]) throws {
        try expr(left)
        guard let last = rest.last else { return }
        if rest.count == 1 {
            try comparand(last.0, last.1)
            emitCompare(last.0)
            return
        }
        let cleanup = newLabel(), end = newLabel()
        for (op, right) in rest.dropLast() {
            try comparand(op, right)
            emit(.swap, 2)
            emit(.copy, 2)
            emitCompare(op)
            emitJump(.jumpIfFalseOrPop, cleanup)
        }
        try comparand(last.0, last.1)
        emitCompare(last.0)
        emitJump(.jump, end)
        bind(cleanup)
        emit(.swap, 2)
        emit(.popTop)
        bind(end)
    }

    private func fstring(_ parts: [FStringPart]) throws {
        // With more than one piece the pieces meet in `buildString`, which formats plain ints and
        // floats itself: their `formatValue` (flag 8) leaves them as they are, saving a string each.
        let joined = parts.reduce(0) { count, p in
            switch p {
            case .literal(let s): return count + (s.isEmpty ? 0 : 1)
            case .formatted(_, _, _, let selfDoc): return count + 1 + ((selfDoc ?? "").isEmpty ? 0 : 1)
            }
        } > 1
        var n = 0
        for p in parts {
            switch p {
            case .literal(let s):
                if s.isEmpty { continue }
                emitConst(.str(s))
                n += 1
            case .formatted(let value, let conversion, let spec, let selfDoc):
                if let selfDoc, !selfDoc.isEmpty {
                    emitConst(.str(selfDoc))
                    n += 1
                }
                try expr(value)
                var flags = 0
                switch conversion {
                case "s": flags = 1
                case "r": flags = 2
                case "a": flags = 3
                default: flags = (selfDoc != nil && spec == nil) ? 2 : 0
                }
                if let spec {
                    try fstring(spec)
                    flags |= 4
                }
                if joined { flags |= 8 }
                emit(.formatValue, flags)
                n += 1
            }
        }
        if n == 0 { emitConst(.str("")) } else if n > 1 { emit(.buildString, n) }
    }

    /// Lists, tuples and sets, with `*items` unpacked into them.
    private func display(_ items: [Expr], _ build: OpCode) throws {
        let hasStar = items.contains { if case .starred = $0.kind { return true } else { return false } }
        if build == .buildSet && items.count > 2 && items.allSatisfy(isFoldedConstant) {
            // CPython folds an all-constant set display into a frozenset constant (made from the
            // items, then remade from that set's order when constants are merged) and merges it
            // into a new set; colliding keys show the difference. Build the constant the same
            // way: a set of the items, listed, re-added one by one, then merged.
            emit(.buildSet, 0)
            emit(.buildSet, 0)
            emit(.buildList, 0)
            if items.count <= 30 {
                for i in items { try expr(i) }
                emit(.buildSet, items.count)
            } else {
                emit(.buildSet, 0)
                for i in items { try expr(i); emit(.setAdd, 1) }
            }
            emit(.listExtend, 1)
            emit(.setUpdate, 1)
            emit(.setUpdate, 1)
            return
        }
        if !hasStar && items.count <= 30 {
            for i in items { try expr(i) }
            emit(build, items.count)
            return
        }
        let isSet = build == .buildSet
        var pushed = 0
        var started = false
        for item in items {
            if case .starred(let v) = item.kind {
                if !started { emit(isSet ? .buildSet : .buildList, pushed); started = true }
                try expr(v)
                emit(isSet ? .setUpdate : .listExtend, 1)
            } else {
                if !started && pushed >= 30 { emit(isSet ? .buildSet : .buildList, pushed); started = true }
                try expr(item)
                if started { emit(isSet ? .setAdd : .listAppend, 1) } else { pushed += 1 }
            }
        }
        if !started { emit(isSet ? .buildSet : .buildList, pushed) }
        if build == .buildTuple { emit(.listToTuple) }
    }

    private func dict(_ items: [DictItem]) throws {
        var haveDict = false
        var pending = 0
        func flush() {
            if pending > 0 || !haveDict {
                emit(.buildMap, pending)
                if haveDict { emit(.dictUpdate, 1) }
                haveDict = true
                pending = 0
            }
        }
        for item in items {
            if let key = item.key {
                try expr(key)
                try expr(item.value)
                pending += 1
                if pending >= 16 { flush() }
            } else {
                if pending > 0 || !haveDict { flush() }
                try expr(item.value)
                emit(.dictUpdate, 1)
            }
        }
        if pending > 0 || !haveDict { flush() }
    }
}

extension Compiler {
    /// Pushes a slice's lower and upper bounds, None for one left out.
    func sliceBounds(_ lower: Expr?, _ upper: Expr?) throws {
        for part in [lower, upper] {
            if let part { try expr(part) } else { emitConst(.none) }
        }
    }
}
