// The compiler: scopes and AST -> code objects.
//
// One idea: `compileModule` first resolves every name (SymbolTable), then generates code one
// "unit" (code object under construction) at a time, following CPython 3.11's compile.c: nested
// functions, lambdas, comprehensions and class bodies push a unit, compile into it, and pop it
// as a code constant of their parent. This file holds the entry point, the unit stack, constants,
// names, local slots, the frame-block stack used by break/continue/return, and error reporting.

import AsoBytecode
import AsoSyntax

/// Compiles a parsed module. `source` is the module's text, used to quote the offending line in
/// syntax errors. In `interactive` mode, expression statements print their value (`printExpr`).
/// With `topLevelAwait` (CPython's PyCF_ALLOW_TOP_LEVEL_AWAIT), `await`, `async for`, `async with`
/// and asynchronous comprehensions are allowed at module level, and a module that uses them is
/// compiled as a coroutine's code (the `coroutine` flag): running it makes a coroutine.
/// Throws `SyntaxError` for errors CPython reports at compile time.
package func compileModule(_ module: Module, filename: String, source: String = "", interactive: Bool = false,
                           topLevelAwait: Bool = false) throws -> CodeObject {
    let compiler = Compiler(filename: filename, source: source, interactive: interactive)
    compiler.topLevelAwait = topLevelAwait
    do {
        return try compiler.compile(module)
    } catch let e as InternalCompilerError {
        throw compiler.error("internal compiler error: \(e.message)", compiler.loc)
    }
}

/// A frame block: a statement whose exit needs cleanup code (CPython's `fblockinfo`).
struct FBlock {
    enum Kind {
        case whileLoop, forLoop, tryExcept, finallyTry([Stmt]), finallyEnd, with(isAsync: Bool)
        case handlerCleanup(String?), popValue, exceptionHandler, asyncComprehensionGenerator
        /// The clauses of `try ... except*`: no `break`, `continue` or `return` may leave them.
        case exceptionGroupHandler
    }
    var kind: Kind
    var start: Label?
    var exit: Label?
    var loc: SourceLocation
}

/// One code object under construction.
final class Unit {
    let scope: Scope
    let qualname: String
    var b = CodeBuilder()
    var constants: [CodeConstant] = []
    var constIndex: [CodeConstant: Int] = [:]
    var names: [String] = []
    var nameIndex: [String: Int] = [:]
    var localNames: [String] = []
    var slots: [String: Int] = [:]
    var cellSlots: [Int] = []
    var freeCount = 0
    var fblocks: [FBlock] = []
    var argCount = 0
    var posOnlyCount = 0
    var kwOnlyCount = 0
    var firstLine = 1
    /// The body's docstring (functions and modules).
    var docstring: String?

    init(scope: Scope, qualname: String) {
        self.scope = scope
        self.qualname = qualname
        let params = scope.params
        localNames = params + scope.plainLocals
        let ps = Set(params)
        for c in scope.cellNames where !ps.contains(c) { localNames.append(c) }
        let free = scope.freeNames
        localNames += free
        freeCount = free.count
        for (i, n) in localNames.enumerated() where slots[n] == nil { slots[n] = i }
        for c in scope.cellNames { if let s = slots[c] { cellSlots.append(s) } }
    }
}

final class Compiler {
    let filename: String
    let source: String
    let interactive: Bool
    /// Module-level code may await (see `compileModule`).
    var topLevelAwait = false
    /// `from __future__ import annotations` seen: annotations are kept as their source text.
    var futureAnnotations = false
    /// True while the statements compiled are the module's opening ones (docstring and
    /// `from __future__` imports), where a future import is allowed.
    var futureImportsAllowed = true
    var units: [Unit] = []
    var unit: Unit
    var nesting = 0
    static let maxNesting = 1000
    /// The source split into lines of scalars (for anchors of spans, see Compiler+Positions.swift).
    /// (One pass over the scalars: splitting the `String` by `Character` costs a grapheme break
    /// test per character, which made it most of the cost of compiling a module.)
    lazy var sourceLineScalars: [[Unicode.Scalar]] = {
        var lines: [[Unicode.Scalar]] = []
        var line: [Unicode.Scalar] = []
        for c in source.unicodeScalars {
            if c == "\n" {
                if line.last == "\r" { line.removeLast() }
                lines.append(line)
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(c)
            }
        }
        if line.last == "\r" { line.removeLast() }
        lines.append(line)
        return lines
    }()

    init(filename: String, source: String, interactive: Bool) {
        self.filename = filename
        self.source = source
        self.interactive = interactive
        unit = Unit(scope: Scope(kind: .module, name: "<module>", loc: SourceLocation(line: 1, column: 1)), qualname: "<module>")
    }

    func compile(_ module: Module) throws -> CodeObject {
        let top: Scope
        do {
            top = try SymbolTableBuilder.build(module)
        } catch let e as ScopeError {
            throw error(e.message, e.loc, end: e.end)
        }
        unit = Unit(scope: top, qualname: "<module>")
        var body = module.body[...]
        if !interactive, let first = body.first, let doc = docstring(of: module.body) {
            // As CPython does: the docstring becomes `__doc__` and is not run as a statement.
            setSpan(first)
            unit.docstring = doc
            emitConst(.str(doc))
            emit(.storeName, nameIndex("__doc__"))
            body = body.dropFirst()
        }
        if !interactive { setupAnnotations(Array(body)) }
        for s in body {
            if case .importFrom(let m, _, let level) = s.kind, m == "__future__", level == 0 {} else { futureImportsAllowed = false }
            try stmt(s)
        }
        futureImportsAllowed = false
        if !unit.b.lastEndsBlock || module.body.isEmpty {
            emitConst(.none)
            emit(.returnValue)
        }
        return try finishUnit()
    }

    /// May the current unit await? In an `async def`, or at module level with `topLevelAwait`.
    var unitMayAwait: Bool { unit.scope.isAsyncDef || (topLevelAwait && unit.scope.kind == .module) }

    // MARK: Errors

    func error(_ message: String, _ loc: SourceLocation, end: SourceLocation? = nil) -> SyntaxError {
        var e = SyntaxError(.syntax, message, at: loc, sourceLine: sourceLine(loc.line))
        e.end = end
        return e
    }

    func sourceLine(_ n: Int) -> String {
        guard let scalars = sourceScalars(n) else { return "" }
        var s = ""
        s.unicodeScalars.append(contentsOf: scalars)
        return s
    }

    /// Guards the Swift stack against absurdly deep trees.
    func enterNesting(_ loc: SourceLocation) throws {
        nesting += 1
        if nesting > Compiler.maxNesting {
            throw error("too many nested expressions or statements", loc)
        }
    }

    // MARK: Emitting

    /// The start of `span`; setting it gives a span with no known end (see Compiler+Positions.swift).
    var loc: SourceLocation {
        get { unit.b.loc }
        set { unit.b.loc = newValue }
    }

    func emit(_ op: OpCode, _ arg: Int = 0) { unit.b.emit(op, arg) }
    func emitJump(_ op: OpCode, _ l: Label) { unit.b.emitJump(op, l) }
    func newLabel() -> Label { unit.b.newLabel() }
    func bind(_ l: Label) { unit.b.bind(l) }

    func constIndex(_ c: CodeConstant) -> Int {
        if let i = unit.constIndex[c] { return i }
        unit.constants.append(c)
        unit.constIndex[c] = unit.constants.count - 1
        return unit.constants.count - 1
    }

    func emitConst(_ c: CodeConstant) { emit(.loadConst, constIndex(c)) }

    func nameIndex(_ n: String) -> Int {
        if let i = unit.nameIndex[n] { return i }
        unit.names.append(n)
        unit.nameIndex[n] = unit.names.count - 1
        return unit.names.count - 1
    }

    enum NameContext { case load, store, delete }

    /// Loads, stores or deletes a variable according to its scope (CPython's compiler_nameop).
    func nameOp(_ name: String, _ ctx: NameContext) throws {
        let scope = unit.scope
        let kind = scope.scope(of: name) ?? .globalImplicit
        switch kind {
        case .free, .cell:
            guard let slot = unit.slots[name] else { throw InternalCompilerError(message: "no slot for \(name)") }
            emit(ctx == .load ? .loadDeref : ctx == .store ? .storeDeref : .deleteDeref, slot)
        case .local where scope.isFunctionLike:
            guard let slot = unit.slots[name] else { throw InternalCompilerError(message: "no slot for \(name)") }
            emit(ctx == .load ? .loadFast : ctx == .store ? .storeFast : .deleteFast, slot)
        case .local, .globalImplicit:
            if scope.kind == .classBody {
                emit(ctx == .load ? .loadName : ctx == .store ? .storeName : .deleteName, nameIndex(name))
            } else {
                emit(ctx == .load ? .loadGlobal : ctx == .store ? .storeGlobal : .deleteGlobal, nameIndex(name))
            }
        case .globalExplicit:
            emit(ctx == .load ? .loadGlobal : ctx == .store ? .storeGlobal : .deleteGlobal, nameIndex(name))
        }
    }

    // MARK: Units

    /// The scope the symbol table made for the node at `loc` of `kind`.
    func childScope(_ kind: Scope.Kind, _ loc: SourceLocation) throws -> Scope {
        let key = ScopeKey(line: loc.line, column: loc.column, kind: kind)
        guard let s = unit.scope.childByKey[key] else {
            throw InternalCompilerError(message: "no scope for node at \(loc)")
        }
        return s
    }

    /// The dotted name of a new child called `name` (CPython's compiler_set_qualname).
    func qualname(for name: String, child: Scope) -> String {
        let parent = unit.scope
        if parent.kind == .module { return name }
        if (child.kind == .function || child.kind == .classBody), parent.scope(of: name) == .globalExplicit {
            return name
        }
        if parent.isFunctionLike { return unit.qualname + ".<locals>." + name }
        return unit.qualname + "." + name
    }

    func pushUnit(_ scope: Scope, name: String, firstLine: Int) {
        let q = qualname(for: name, child: scope)
        units.append(unit)
        unit = Unit(scope: scope, qualname: q)
        unit.firstLine = firstLine
        unit.b.loc = SourceLocation(line: firstLine, column: 1)
    }

    /// Emits the prologue: cells for captured locals, free variables, generator start.
    func emitPrologue() {
        for s in unit.cellSlots { emit(.makeCell, s) }
        if unit.freeCount > 0 { emit(.copyFreeVars, unit.freeCount) }
        if codeFlags().intersection([.generator, .coroutine, .asyncGenerator]).isEmpty == false {
            emit(.returnGenerator)
        }
    }

    func codeFlags() -> CodeFlags {
        let s = unit.scope
        var f: CodeFlags = []
        switch s.kind {
        case .module:
            f.insert(.module)
            if interactive { f.insert(.interactive) }
        case .classBody: f.insert(.classBody)
        case .lambda: f.insert(.lambda)
        case .comprehension: f.insert(.comprehension)
        case .function: break
        }
        if s.kind == .module && topLevelAwait && s.hasAwait { f.insert(.coroutine) }
        if s.hasVarArgs { f.insert(.varArgs) }
        if s.hasVarKeywords { f.insert(.varKeywords) }
        if s.isFunctionLike {
            if s.isCoroutine && s.isGenerator { f.insert(.asyncGenerator) }
            else if s.isCoroutine { f.insert(.coroutine) }
            else if s.isGenerator { f.insert(.generator) }
        }
        return f
    }

    func finishUnit() throws -> CodeObject {
        let asm: CodeBuilder.Assembled
        do {
            asm = try unit.b.assemble()
        } catch let e as InternalCompilerError {
            throw error("internal compiler error: \(e.message)", SourceLocation(line: unit.firstLine, column: 1))
        }
        let u = unit
        let code = CodeObject(
            name: u.scope.kind == .module ? "<module>" : u.scope.name, qualifiedName: u.qualname,
            filename: filename, flags: codeFlags(), argCount: u.argCount, positionalOnlyCount: u.posOnlyCount,
            keywordOnlyCount: u.kwOnlyCount, localNames: u.localNames, cellSlots: u.cellSlots,
            freeCount: u.freeCount, names: u.names, constants: u.constants, code: asm.code,
            maxStackDepth: asm.maxStackDepth, lineTable: asm.lineTable, exceptionTable: asm.exceptionTable,
            firstLine: u.firstLine, docstring: u.docstring)
        if let parent = units.popLast() { unit = parent }
        return code
    }

    // MARK: Frame blocks

    func pushFBlock(_ kind: FBlock.Kind, start: Label? = nil, exit: Label? = nil, _ loc: SourceLocation) throws {
        if unit.fblocks.count >= 20 {
            throw error("too many statically nested blocks", loc)
        }
        unit.fblocks.append(FBlock(kind: kind, start: start, exit: exit, loc: loc))
    }

    func popFBlock() {
        if !unit.fblocks.isEmpty { unit.fblocks.removeLast() }
    }
}
