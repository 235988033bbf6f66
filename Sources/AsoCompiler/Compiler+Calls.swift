// Calls: `call`, `callKw` and `callEx`, on the `callable selfOrNull args` stack layout.
//
// One idea: `obj.m(...)` without `*`/`**` pushes `loadMethod`'s pair (function, obj) so no bound
// method is built; any other callee is pushed followed by `pushNull`. Then plain positional calls
// use `call n`; keyword arguments add a constant tuple of names and use `callKw`; `*args` or
// `**kwargs` build one positional tuple (and one keyword dict) for `callEx`.

import AsoBytecode
import AsoSyntax

extension Compiler {
    func call(_ e: Expr, _ function: Expr, _ args: [Expr], _ keywords: [Keyword]) throws {
        var seen = Set<String>()
        for k in keywords {
            guard let name = k.name else { continue }
            if !seen.insert(name).inserted {
                throw error("keyword argument repeated: \(name)", k.loc)
            }
        }
        let hasStar = args.contains { if case .starred = $0.kind { return true } else { return false } }
        let hasDoubleStar = keywords.contains { $0.name == nil }
        if case .attribute(let obj, let attr) = function.kind, !hasStar, !hasDoubleStar {
            try expr(obj)
            span = spanAtAttributeName(spanOf(function), attribute: function, name: attr)
            emit(.loadMethod, nameIndex(attr))
            span = spanAtAttributeName(spanOf(e), attribute: function, name: attr)
        } else {
            try expr(function)
            emit(.pushNull)
        }
        try callHelper(args, keywords, pushed: 0)
    }

    /// Pushes the arguments and emits the call; `pushed` positional arguments are already on the stack.
    func callHelper(_ args: [Expr], _ keywords: [Keyword], pushed: Int) throws {
        let callLoc = span
        let hasStar = args.contains { if case .starred = $0.kind { return true } else { return false } }
        let hasDoubleStar = keywords.contains { $0.name == nil }
        if !hasStar && !hasDoubleStar {
            for a in args { try expr(a) }
            if keywords.isEmpty {
                span = callLoc
                emit(.call, pushed + args.count)
                return
            }
            for k in keywords { try expr(k.value) }
            span = callLoc
            emitConst(.tuple(keywords.map { .str($0.name ?? "") }))
            emit(.callKw, pushed + args.count + keywords.count)
            return
        }
        // The positional tuple.
        var flags = 0
        if hasStar, pushed == 0, args.count == 1, case .starred(let v) = args[0].kind {
            // `f(*x)`: x as it is (callEx flag 2), as CPython passes it to CALL_FUNCTION_EX.
            try expr(v)
            flags = 2
        } else if hasStar {
            var count = pushed
            var started = false
            for a in args {
                if case .starred(let v) = a.kind {
                    if !started { emit(.buildList, count); started = true }
                    try expr(v)
                    emit(.listExtend, 1)
                } else {
                    try expr(a)
                    if started { emit(.listAppend, 1) } else { count += 1 }
                }
            }
            if !started { emit(.buildList, count) }
            emit(.listToTuple)
        } else {
            for a in args { try expr(a) }
            emit(.buildTuple, pushed + args.count)
        }
        // The keyword dict (CPython's compiler_subkwargs + DICT_MERGE).
        var haveDict = false
        var run: [Keyword] = []
        func flushRun() throws {
            guard !run.isEmpty else { return }
            for k in run {
                emitConst(.str(k.name ?? ""))
                try expr(k.value)
            }
            emit(.buildMap, run.count)
            if haveDict { emit(.dictMerge, 1) }
            haveDict = true
            run = []
        }
        for k in keywords {
            if k.name == nil {
                try flushRun()
                if !haveDict { emit(.buildMap, 0); haveDict = true }
                try expr(k.value)
                emit(.dictMerge, 1)
            } else {
                run.append(k)
            }
        }
        try flushRun()
        span = callLoc
        emit(.callEx, (keywords.isEmpty ? 0 : 1) | flags)
    }
}
