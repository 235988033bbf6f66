// Statements: simple statements, `if`, loops, and the exits (break/continue/return) that unwind
// frame blocks.
//
// One idea: an early exit runs the cleanup of every frame block it leaves — popping a `for`
// iterator, running a `finally` body, calling a context manager's `__exit__`, ending an `except`
// handler — exactly as CPython's compiler_unwind_fblock does, then jumps or returns. The lexical
// exception-handler stack is popped along the way and restored afterwards, since the code after
// the exit is unreachable.

import AsoBytecode
import AsoSyntax

extension Compiler {
    func body(_ stmts: [Stmt]) throws {
        for s in stmts { try stmt(s) }
    }

    func stmt(_ s: Stmt) throws {
        try enterNesting(s.loc)
        defer { nesting -= 1 }
        setSpan(s)
        switch s.kind {
        case .expr(let e):
            if interactive && unit.scope.kind == .module {
                try expr(e)
                setSpan(s)
                emit(.printExpr)
            } else if case .constant = e.kind {
                emit(.nop)
            } else {
                try expr(e)
                setSpan(s)
                emit(.popTop)
            }
        case .assign(let targets, let value):
            for t in targets { try checkTarget(t, direct: targets.count == 1, context: .assign) }
            try expr(value)
            for (i, t) in targets.enumerated() {
                if i < targets.count - 1 { emit(.copy, 1) }
                try store(t)
            }
        case .augAssign(let target, let op, let value):
            try augAssign(target, op, value)
        case .annAssign(let target, let annotation, let value):
            try checkTarget(target, direct: false, context: .assign)
            if let value {
                try expr(value)
                try store(target)
            }
            // Module and class bodies keep the annotations of names in `__annotations__` (and
            // evaluate the others); function bodies never evaluate them.
            if unit.scope.kind == .module || unit.scope.kind == .classBody {
                if case .name(let n) = target.kind {
                    try emitAnnotation(annotation)
                    try nameOp("__annotations__", .load)
                    emitConst(.str(n))
                    setSpan(s)
                    emit(.storeSubscr)
                } else if !futureAnnotations {
                    try expr(annotation)
                    emit(.popTop)
                }
            }
        case .if(let test, let thenBody, let orElse):
            let end = newLabel()
            if orElse.isEmpty {
                try jumpIf(test, false, end)
                try body(thenBody)
            } else {
                let next = newLabel()
                try jumpIf(test, false, next)
                try body(thenBody)
                emitJump(.jump, end)
                bind(next)
                try body(orElse)
            }
            bind(end)
        case .while(let test, let loopBody, let orElse):
            let start = newLabel(), anchor = newLabel(), exit = newLabel()
            bind(start)
            try pushFBlock(.whileLoop, start: start, exit: exit, s.loc)
            try jumpIf(test, false, anchor)
            try body(loopBody)
            setSpan(s)
            emitJump(.jump, start)
            popFBlock()
            bind(anchor)
            try body(orElse)
            bind(exit)
        case .for(let target, let iter, let loopBody, let orElse, let isAsync):
            try checkTarget(target, direct: false, context: .forTarget)
            if isAsync { try asyncFor(s, target, iter, loopBody, orElse) } else { try forLoop(s, target, iter, loopBody, orElse) }
        case .break:
            let saved = unit.b.handlerStack
            guard let loop = try unwindStack(preserveTOS: false, stopAtLoop: true) else {
                throw error("'break' outside loop", s.loc)
            }
            try unwind(loop, preserveTOS: false)
            if let exit = loop.exit { emitJump(.jump, exit) }
            unit.b.restoreHandlers(saved)
        case .continue:
            let saved = unit.b.handlerStack
            guard let loop = try unwindStack(preserveTOS: false, stopAtLoop: true) else {
                throw error("'continue' not properly in loop", s.loc)
            }
            if let start = loop.start { emitJump(.jump, start) }
            unit.b.restoreHandlers(saved)
        case .pass:
            emit(.nop)
        case .return(let value):
            try returnStmt(s, value)
        case .functionDef(let fd):
            try functionDef(fd, s.loc)
        case .classDef(let cd):
            try classDef(cd, s.loc)
        case .try(let tryBody, let handlers, let orElse, let finally):
            if finally.isEmpty {
                try tryExceptAny(s, tryBody, handlers, orElse)
            } else {
                try tryFinally(s, tryBody, handlers, orElse, finally)
            }
        case .raise(let exc, let cause):
            var n = 0
            if let exc {
                try expr(exc)
                n = 1
                if let cause { try expr(cause); n = 2 }
            }
            setSpan(s)
            emit(.raiseVarargs, n)
        case .assert(let test, let message):
            let end = newLabel()
            try jumpIf(test, true, end)
            span = assertSpan(s, test)
            emit(.loadAssertionError)
            if let message {
                try expr(message)
                span = assertSpan(s, test)
                emit(.call, 0)
            }
            emit(.raiseVarargs, 1)
            bind(end)
        case .delete(let targets):
            for t in targets { try delete(t) }
        case .global, .nonlocal:
            emit(.nop)
        case .import(let aliases):
            try importStmt(aliases)
        case .importFrom(let module, let names, let level):
            if module == "__future__" && level == 0 { try futureImport(names, s.loc) }
            emitConst(.int(level))
            emitConst(.tuple(names.map { .str($0.name) }))
            emit(.importName, nameIndex(module ?? ""))
            if names.count == 1 && names[0].name == "*" {
                emit(.importStar)
            } else {
                for a in names {
                    emit(.importFrom, nameIndex(a.name))
                    try nameOp(a.asName ?? a.name, .store)
                }
                emit(.popTop)
            }
        case .with(let items, let withBody, let isAsync):
            for item in items { if let t = item.target { try checkTarget(t, direct: false, context: .withTarget) } }
            try with(s, items[...], withBody, isAsync: isAsync)
        case .match(let subject, let cases):
            try matchStatement(subject, cases)
        }
    }

    private func forLoop(_ s: Stmt, _ target: Expr, _ iter: Expr, _ loopBody: [Stmt], _ orElse: [Stmt]) throws {
        let start = newLabel(), cleanup = newLabel(), end = newLabel()
        try iterable(iter)
        setSpan(s)
        emit(.getIter)
        bind(start)
        try pushFBlock(.forLoop, start: start, exit: end, s.loc)
        emitJump(.forIter, cleanup)
        try store(target)
        try body(loopBody)
        setSpan(s)
        emitJump(.jump, start)
        popFBlock()
        bind(cleanup)
        try body(orElse)
        bind(end)
    }

    private func returnStmt(_ s: Stmt, _ value: Expr?) throws {
        let scope = unit.scope
        guard scope.isFunctionLike else { throw error("'return' outside function", s.loc, end: s.end) }
        if value != nil && scope.isCoroutine && scope.isGenerator {
            throw error("'return' with value in async generator", s.loc, end: s.end)
        }
        var preserve = false
        if let value {
            if case .constant = value.kind {} else { preserve = true }
        }
        if preserve, let value { try expr(value) }
        let saved = unit.b.handlerStack
        _ = try unwindStack(preserveTOS: preserve, stopAtLoop: false)
        setSpan(s)
        if let value, !preserve { try expr(value) } else if value == nil { emitConst(.none) }
        setSpan(s)
        emit(.returnValue)
        unit.b.restoreHandlers(saved)
    }

    private func importStmt(_ aliases: [Alias]) throws {
        for a in aliases {
            emitConst(.int(0))
            emitConst(.none)
            emit(.importName, nameIndex(a.name))
            let parts = a.name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            if let asName = a.asName {
                if parts.count > 1 {
                    for (i, attr) in parts.dropFirst().enumerated() {
                        emit(.importFrom, nameIndex(attr))
                        if i < parts.count - 2 { emit(.swap, 2); emit(.popTop) }
                    }
                    try nameOp(asName, .store)
                    emit(.popTop)
                } else {
                    try nameOp(asName, .store)
                }
            } else {
                try nameOp(parts.first ?? a.name, .store)
            }
        }
    }

    // MARK: Conditions

    /// Jumps to `target` when `e` is truthy (`cond`) or falsy (`!cond`), consuming it (compiler_jump_if).
    func jumpIf(_ e: Expr, _ cond: Bool, _ target: Label) throws {
        switch e.kind {
        case .unary(.not, let v):
            try jumpIf(v, !cond, target)
        case .boolOp(let op, let values) where values.count >= 2:
            let isOr = op == .or
            let next = isOr == cond ? target : newLabel()
            for v in values.dropLast() { try jumpIf(v, isOr, next) }
            if let last = values.last { try jumpIf(last, cond, target) }
            if next != target { bind(next) }
        default:
            try expr(e)
            emitJump(cond ? .popJumpIfTrue : .popJumpIfFalse, target)
        }
    }

    // MARK: Unwinding

    /// Emits the cleanup of the frame blocks an exit leaves, innermost first; stops at the innermost
    /// loop when `stopAtLoop` and returns it (nil when there is none).
    func unwindStack(preserveTOS: Bool, stopAtLoop: Bool) throws -> FBlock? {
        guard let top = unit.fblocks.last else { return nil }
        if stopAtLoop {
            switch top.kind {
            case .whileLoop, .forLoop: return top
            default: break
            }
        }
        unit.fblocks.removeLast()
        defer { unit.fblocks.append(top) }
        try unwind(top, preserveTOS: preserveTOS)
        return try unwindStack(preserveTOS: preserveTOS, stopAtLoop: stopAtLoop)
    }

    /// The cleanup for leaving one frame block early (CPython's compiler_unwind_fblock).
    func unwind(_ info: FBlock, preserveTOS: Bool) throws {
        switch info.kind {
        case .whileLoop, .exceptionHandler, .asyncComprehensionGenerator:
            return
        case .exceptionGroupHandler:
            throw error("'break', 'continue' and 'return' cannot appear in an except* block", loc)
        case .forLoop:
            if preserveTOS { emit(.swap, 2) }
            emit(.popTop)
        case .tryExcept:
            unit.b.popHandler()
        case .finallyTry(let finalBody):
            unit.b.popHandler()
            if preserveTOS { try pushFBlock(.popValue, info.loc) }
            try body(finalBody)
            if preserveTOS { popFBlock() }
        case .finallyEnd:
            if preserveTOS { emit(.swap, 2) }
            emit(.popTop)
            if preserveTOS { emit(.swap, 2) }
            unit.b.popHandler()
            emit(.popExcept)
        case .with(let isAsync):
            unit.b.popHandler()
            loc = info.loc
            if preserveTOS { emit(.swap, 2) }
            emitExitCall(isAsync: isAsync)
        case .handlerCleanup(let name):
            if name != nil { unit.b.popHandler() }
            if preserveTOS { emit(.swap, 2) }
            unit.b.popHandler()
            emit(.popExcept)
            if let name {
                emitConst(.none)
                try nameOp(name, .store)
                try nameOp(name, .delete)
            }
        case .popValue:
            if preserveTOS { emit(.swap, 2) }
            emit(.popTop)
        }
    }

    /// `from __future__ import ...`: allowed only at the top of a module, and only for the
    /// features CPython 3.11 knows.
    private func futureImport(_ names: [Alias], _ loc: SourceLocation) throws {
        guard futureImportsAllowed && unit.scope.kind == .module else {
            throw error("from __future__ imports must occur at the beginning of the file", loc)
        }
        let known: Set<String> = ["nested_scopes", "generators", "division", "absolute_import", "with_statement",
                                  "print_function", "unicode_literals", "barry_as_FLUFL", "generator_stop", "annotations"]
        for a in names {
            if a.name == "braces" { throw error("not a chance", loc) }
            guard known.contains(a.name) else { throw error("future feature \(a.name) is not defined", loc) }
            if a.name == "annotations" { futureAnnotations = true }
        }
    }

    /// `__annotations__ = {}` at the start of a module or class body that annotates a name
    /// (CPython's SETUP_ANNOTATIONS).
    func setupAnnotations(_ body: [Stmt]) {
        guard bodyAnnotatesNames(body) else { return }
        emit(.buildMap, 0)
        try? nameOp("__annotations__", .store)
    }

    private func bodyAnnotatesNames(_ body: [Stmt]) -> Bool {
        for s in body {
            switch s.kind {
            case .annAssign: return true
            case .if(_, let a, let b), .while(_, let a, let b):
                if bodyAnnotatesNames(a) || bodyAnnotatesNames(b) { return true }
            case .for(_, _, let a, let b, _):
                if bodyAnnotatesNames(a) || bodyAnnotatesNames(b) { return true }
            case .with(_, let a, _):
                if bodyAnnotatesNames(a) { return true }
            case .try(let a, let handlers, let b, let c):
                if bodyAnnotatesNames(a) || bodyAnnotatesNames(b) || bodyAnnotatesNames(c) { return true }
                for h in handlers where bodyAnnotatesNames(h.body) { return true }
            default: break
            }
        }
        return false
    }

    /// Pushes an annotation's value: the expression, or under `from __future__ import
    /// annotations` its source text.
    func emitAnnotation(_ e: Expr) throws {
        if futureAnnotations {
            emitConst(.str(annotationText(e)))
        } else {
            try expr(e)
        }
    }

    /// The source text of an annotation, as `from __future__ import annotations` keeps it:
    /// CPython keeps the expression unparsed, so string literals take single quotes.
    func annotationText(_ e: Expr) -> String {
        let lines = sourceLineScalars
        var out = String.UnicodeScalarView()
        // (Columns count from 1.)
        var line = e.loc.line, col = max(0, e.loc.column - 1)
        while line <= e.end.line, line >= 1, line - 1 < lines.count {
            let l = lines[line - 1]
            let stop = line == e.end.line ? min(max(0, e.end.column - 1), l.count) : l.count
            if col < stop { out.append(contentsOf: l[col..<stop]) }
            if line != e.end.line { out.append(" ") }
            line += 1
            col = 0
        }
        return Compiler.singleQuoted(String(out))
    }

    /// Rewrites simple double-quoted string literals (no quote or backslash inside) with single
    /// quotes, as `ast.unparse` writes them.
    static func singleQuoted(_ text: String) -> String {
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "'" || c == "\"" {
                var j = i + 1
                var plain = true
                while j < s.count && s[j] != c {
                    if s[j] == "\\" { plain = false; j += 1 }
                    if j < s.count && (s[j] == "'" || s[j] == "\"") { plain = false }
                    j += 1
                }
                let end = min(j, s.count - 1)
                if c == "\"" && plain && j < s.count {
                    out.append("'")
                    out.append(contentsOf: s[(i + 1)..<j])
                    out.append("'")
                } else {
                    out.append(contentsOf: s[i...end])
                }
                i = end + 1
                continue
            }
            out.append(c)
            i += 1
        }
        return String(out)
    }
}
