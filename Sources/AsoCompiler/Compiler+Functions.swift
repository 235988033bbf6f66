// Nested code objects: def, lambda, class bodies and comprehensions, and the closures that tie
// them to their parent's cells.
//
// One idea: each of these compiles its body into a new unit, then, back in the parent, pushes
// (defaults) (keyword-only defaults) (closure tuple of the parent's cells for the child's free
// variables, via loadClosure) and the code constant, and emits `makeFunction`. A comprehension is
// such a function called at once with the iterator of its first `for` as its `.0` argument.

import AsoBytecode
import AsoSyntax

extension Compiler {
    /// Calls the decorators, innermost first; each call is attributed to its decorator expression.
    func applyDecorators(_ decorators: [Expr], _ defLoc: SourceLocation) throws {
        guard !decorators.isEmpty else { return }
        let saved = span
        for d in decorators.reversed() {
            setSpan(d)
            emit(.call, 0)
        }
        span = saved
    }

    func functionDef(_ fd: FunctionDef, _ defLoc: SourceLocation) throws {
        let scope = try childScope(.function, defLoc)
        for d in fd.decorators { try expr(d) }
        loc = defLoc
        var flags = try emitDefaults(fd.args)
        if try emitAnnotations(fd.args, returns: fd.returns) { flags |= 4 }
        pushUnit(scope, name: fd.name, firstLine: fd.decorators.first?.loc.line ?? defLoc.line)
        setArgCounts(fd.args)
        unit.docstring = docstring(of: fd.body)
        emitPrologue()
        try body(fd.body)
        if !unit.b.lastEndsBlock {
            emitConst(.none)
            emit(.returnValue)
        }
        let code = try finishUnit()
        loc = defLoc
        try makeClosure(code, flags)
        try applyDecorators(fd.decorators, defLoc)
        try nameOp(fd.name, .store)
    }

    /// The string literal that opens `body`, if it opens with one.
    func docstring(of body: [Stmt]) -> String? {
        if let first = body.first, case .expr(let e) = first.kind, case .constant(.str(let doc)) = e.kind { return doc }
        return nil
    }

    func lambda(_ e: Expr, _ args: Arguments, _ bodyValue: Expr) throws {
        let scope = try childScope(.lambda, e.loc)
        let flags = try emitDefaults(args)
        pushUnit(scope, name: "<lambda>", firstLine: e.loc.line)
        setArgCounts(args)
        emitPrologue()
        try expr(bodyValue)
        if scope.isGenerator {
            emit(.popTop)
            emitConst(.none)
        }
        emit(.returnValue)
        let code = try finishUnit()
        try makeClosure(code, flags)
    }

    private func setArgCounts(_ a: Arguments) {
        unit.argCount = a.posOnly.count + a.args.count
        unit.posOnlyCount = a.posOnly.count
        unit.kwOnlyCount = a.kwOnly.count
    }

    /// Pushes the dict of a function's annotations (parameters, then `return`), in CPython
    /// 3.11's order; false when it has none.
    private func emitAnnotations(_ a: Arguments, returns: Expr?) throws -> Bool {
        var n = 0
        func add(_ arg: Arg?) throws {
            guard let arg, let ann = arg.annotation else { return }
            emitConst(.str(arg.name))
            try emitAnnotation(ann)
            n += 1
        }
        for arg in a.args { try add(arg) }
        for arg in a.posOnly { try add(arg) }
        try add(a.vararg)
        for arg in a.kwOnly { try add(arg) }
        try add(a.kwarg)
        if let r = returns {
            emitConst(.str("return"))
            try emitAnnotation(r)
            n += 1
        }
        guard n > 0 else { return false }
        emit(.buildMap, n)
        return true
    }

    /// Pushes the defaults tuple and the keyword-only defaults dict; returns makeFunction's flags.
    private func emitDefaults(_ a: Arguments) throws -> Int {
        var flags = 0
        if !a.defaults.isEmpty {
            for d in a.defaults { try expr(d) }
            emit(.buildTuple, a.defaults.count)
            flags |= 1
        }
        var n = 0
        for (i, arg) in a.kwOnly.enumerated() {
            guard i < a.kwDefaults.count, let d = a.kwDefaults[i] else { continue }
            emitConst(.str(arg.name))
            try expr(d)
            n += 1
        }
        if n > 0 {
            emit(.buildMap, n)
            flags |= 2
        }
        return flags
    }

    /// Pushes the closure tuple (when the child has free variables) and the code, then makeFunction.
    func makeClosure(_ code: CodeObject, _ flags: Int) throws {
        var flags = flags
        if code.freeCount > 0 {
            let free = code.localNames.suffix(code.freeCount)
            for name in free {
                guard let slot = unit.slots[name] else {
                    throw InternalCompilerError(message: "closure variable \(name) not found in \(unit.qualname)")
                }
                emit(.loadClosure, slot)
            }
            emit(.buildTuple, code.freeCount)
            flags |= 8
        }
        emitConst(.code(code))
        emit(.makeFunction, flags)
    }

    func classDef(_ cd: ClassDef, _ defLoc: SourceLocation) throws {
        let scope = try childScope(.classBody, defLoc)
        for d in cd.decorators { try expr(d) }
        loc = defLoc
        pushUnit(scope, name: cd.name, firstLine: cd.decorators.first?.loc.line ?? defLoc.line)
        emitPrologue()
        emit(.loadName, nameIndex("__name__"))
        emit(.storeName, nameIndex("__module__"))
        emitConst(.str(unit.qualname))
        emit(.storeName, nameIndex("__qualname__"))
        var classBody = cd.body[...]
        if let first = classBody.first, let doc = docstring(of: cd.body) {
            loc = first.loc
            emitConst(.str(doc))
            emit(.storeName, nameIndex("__doc__"))
            classBody = classBody.dropFirst()
        }
        setupAnnotations(Array(classBody))
        for s in classBody { try stmt(s) }
        if scope.needsClassClosure, let slot = unit.slots["__class__"] {
            emit(.loadClosure, slot)
            emit(.copy, 1)
            emit(.storeName, nameIndex("__classcell__"))
            emit(.returnValue)
        } else {
            emitConst(.none)
            emit(.returnValue)
        }
        let code = try finishUnit()
        loc = defLoc
        emit(.loadBuildClass)
        emit(.pushNull)
        try makeClosure(code, 0)
        emitConst(.str(cd.name))
        try callHelper(cd.bases, cd.keywords, pushed: 2)
        try applyDecorators(cd.decorators, defLoc)
        try nameOp(cd.name, .store)
    }

    enum ComprehensionKind { case list, set, dict, generator }

    func comprehension(_ e: Expr, _ kind: ComprehensionKind, _ elts: [Expr], _ gens: [Comprehension]) throws {
        guard let first = gens.first else { throw InternalCompilerError(message: "comprehension without for") }
        let scope = try childScope(.comprehension, e.loc)
        let isAsync = scope.isCoroutine
        if isAsync && kind != .generator && !(unitMayAwait || unit.scope.kind == .comprehension) {
            throw error("asynchronous comprehension outside of an asynchronous function", e.loc)
        }
        pushUnit(scope, name: scope.name, firstLine: e.loc.line)
        unit.argCount = 1
        setSpan(e)
        emitPrologue()
        switch kind {
        case .list: emit(.buildList, 0)
        case .set: emit(.buildSet, 0)
        case .dict: emit(.buildMap, 0)
        case .generator: break
        }
        try comprehensionLoop(gens, 0, depth: 0, kind, elts, isAsyncCode: isAsync)
        setSpan(e)
        if kind == .generator { emitConst(.none) }
        emit(.returnValue)
        let code = try finishUnit()
        try makeClosure(code, 0)
        try iterable(first.iter)
        emit(first.isAsync ? .getAIter : .getIter)
        emit(.call, 0)
        if isAsync && kind != .generator {
            emit(.getAwaitable, 0)
            emitConst(.none)
            emitYieldFromLoop()
        }
    }

    private func comprehensionLoop(_ gens: [Comprehension], _ index: Int, depth: Int, _ kind: ComprehensionKind,
                                   _ elts: [Expr], isAsyncCode: Bool) throws {
        guard index < gens.count else { return }
        let gen = gens[index]
        let start = newLabel(), ifCleanup = newLabel(), anchor = newLabel()
        if index == 0 {
            emit(.loadFast, 0)
        } else {
            try iterable(gen.iter)
            emit(gen.isAsync ? .getAIter : .getIter)
        }
        bind(start)
        if gen.isAsync {
            try pushFBlock(.asyncComprehensionGenerator, start: start, gen.iter.loc)
            unit.b.pushHandler(anchor)
            emit(.getANext)
            emitConst(.none)
            emitYieldFromLoop()
            unit.b.popHandler()
        } else {
            emitJump(.forIter, anchor)
        }
        try store(gen.target)
        for cond in gen.ifs { try jumpIf(cond, false, ifCleanup) }
        let inner = depth + 1
        if index + 1 < gens.count {
            try comprehensionLoop(gens, index + 1, depth: inner, kind, elts, isAsyncCode: isAsyncCode)
        } else {
            switch kind {
            case .generator:
                try expr(elts[0])
                if isAsyncCode { emit(.asyncGenWrap) }
                emit(.yieldValue)
                emit(.popTop)
            case .list:
                try expr(elts[0])
                emit(.listAppend, inner + 1)
            case .set:
                try expr(elts[0])
                emit(.setAdd, inner + 1)
            case .dict:
                try expr(elts[0])
                try expr(elts[1])
                emit(.mapAdd, inner + 1)
            }
        }
        bind(ifCleanup)
        emitJump(.jump, start)
        bind(anchor)
        if gen.isAsync {
            popFBlock()
            emit(.endAsyncFor)
        }
    }
}
