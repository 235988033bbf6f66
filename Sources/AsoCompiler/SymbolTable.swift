// Scopes: which names are local, cell, free or global in each module, function, lambda,
// comprehension and class body.
//
// One idea: a first pass (SymbolTable+Visit.swift) records how each scope uses each name (bound,
// used, declared global/nonlocal, parameter); a second pass, `analyze`, resolves every name the way
// CPython 3.11's symtable.c does, walking down with the set of names bound in enclosing function
// scopes and back up with the set of names free in children. A local of a function that a child
// needs becomes a cell; a class body never lends its names to its methods, except the implicit
// `__class__` cell that `super()` and `__class__` need.

import AsoSyntax

/// How one scope uses one name (CPython's DEF_* flags).
struct SymbolFlags: OptionSet, Sendable {
    let rawValue: UInt16
    static let global = SymbolFlags(rawValue: 1 << 0)
    static let local = SymbolFlags(rawValue: 1 << 1)
    static let param = SymbolFlags(rawValue: 1 << 2)
    static let nonlocal = SymbolFlags(rawValue: 1 << 3)
    static let use = SymbolFlags(rawValue: 1 << 4)
    /// A free variable of a method that the class body also binds (or declares global).
    static let freeClass = SymbolFlags(rawValue: 1 << 5)
    static let annotated = SymbolFlags(rawValue: 1 << 6)
    /// An iteration variable of a comprehension.
    static let compIter = SymbolFlags(rawValue: 1 << 7)
    static let bound: SymbolFlags = [.local, .param]
}

/// Where a name lives once resolved.
enum NameScope: Sendable { case local, cell, free, globalExplicit, globalImplicit }

/// Identifies the AST node that opened a scope: its location and kind.
struct ScopeKey: Hashable, Sendable {
    var line: Int
    var column: Int
    var kind: Scope.Kind
}

final class Scope {
    enum Kind: Hashable, Sendable { case module, function, lambda, comprehension, classBody }

    let kind: Kind
    let name: String
    let loc: SourceLocation
    let isAsyncDef: Bool
    private(set) var flags: [String: SymbolFlags] = [:]
    /// Names in the order they were first seen (keeps slot numbering deterministic).
    private(set) var order: [String] = []
    var params: [String] = []
    var children: [Scope] = []
    var childByKey: [ScopeKey: Scope] = [:]
    var resolved: [String: NameScope] = [:]
    /// Contains `yield` or `yield from`.
    var isGenerator = false
    /// Contains `await` or an `async for`/`async with` (directly, not in nested scopes).
    var hasAwait = false
    /// A comprehension with an `async for`.
    var hasAsyncFor = false
    var needsClassClosure = false
    var hasVarArgs = false
    var hasVarKeywords = false
    /// For comprehensions: "list comprehension", "generator expression", ...
    var comprehensionDescription = ""
    /// Where each name was first declared `global` or `nonlocal` (for error locations).
    var declLocs: [String: SourceLocation] = [:]
    /// Where each of those statements ends (the error underlines the statement).
    var declEnds: [String: SourceLocation] = [:]

    init(kind: Kind, name: String, loc: SourceLocation, isAsyncDef: Bool = false) {
        self.kind = kind; self.name = name; self.loc = loc; self.isAsyncDef = isAsyncDef
    }

    var isFunctionLike: Bool { kind == .function || kind == .lambda || kind == .comprehension }

    /// A coroutine-producing scope: `async def`, or a comprehension that awaits.
    var isCoroutine: Bool {
        if kind == .comprehension { return hasAwait || hasAsyncFor }
        return isAsyncDef
    }

    func flags(of name: String) -> SymbolFlags { flags[name] ?? [] }

    func add(_ name: String, _ f: SymbolFlags) {
        if let old = flags[name] { flags[name] = old.union(f) } else { flags[name] = f; order.append(name) }
    }

    func scope(of name: String) -> NameScope? { resolved[name] }

    /// Cell variables (locals captured by children), sorted like CPython's `co_cellvars`.
    var cellNames: [String] {
        var cells = order.filter { resolved[$0] == .cell }
        if needsClassClosure { cells.append("__class__") }
        return cells.sorted()
    }

    /// Free variables (from enclosing functions), sorted like CPython's `co_freevars`.
    var freeNames: [String] {
        order.filter { resolved[$0] == .free || flags(of: $0).contains(.freeClass) }.sorted()
    }

    /// Plain fast locals that are not parameters, in order of first appearance.
    var plainLocals: [String] {
        guard isFunctionLike else { return [] }
        let ps = Set(params)
        return order.filter { resolved[$0] == .local && !ps.contains($0) }
    }
}

/// An error found while building or analysing scopes.
struct ScopeError: Error {
    var message: String
    var loc: SourceLocation
    var end: SourceLocation? = nil
}

enum SymbolAnalysis {
    /// Resolves every name of `top` and its descendants.
    static func analyze(_ top: Scope) throws {
        var free = Set<String>()
        var global = Set<String>()
        try analyze(top, bound: nil, free: &free, global: &global)
    }

    private static func analyze(_ s: Scope, bound: Set<String>?, free: inout Set<String>, global: inout Set<String>) throws {
        var bound = bound
        var local = Set<String>()
        var newGlobal = Set<String>()
        var newFree = Set<String>()
        var newBound = Set<String>()
        if s.kind == .classBody {
            newGlobal.formUnion(global)
            if let b = bound { newBound.formUnion(b) }
        }
        for name in s.order {
            try analyzeName(s, name, s.flags(of: name), &bound, &local, &free, &global)
        }
        if s.kind != .classBody {
            if s.isFunctionLike { newBound.formUnion(local) }
            if let b = bound { newBound.formUnion(b) }
            newGlobal.formUnion(global)
        } else {
            newBound.insert("__class__")
        }
        var allFree = Set<String>()
        for child in s.children {
            var childFree = newFree
            var childGlobal = newGlobal
            try analyze(child, bound: newBound, free: &childFree, global: &childGlobal)
            allFree.formUnion(childFree)
        }
        newFree.formUnion(allFree)
        if s.isFunctionLike {
            for name in s.order where s.resolved[name] == .local && newFree.contains(name) {
                s.resolved[name] = .cell
                newFree.remove(name)
            }
        } else if s.kind == .classBody, newFree.contains("__class__") {
            newFree.remove("__class__")
            s.needsClassClosure = true
        }
        // Free names of children pass through this scope unless it binds or declares them.
        for name in newFree.sorted() {
            if s.flags[name] != nil {
                if s.kind == .classBody && !s.flags(of: name).intersection([.local, .param, .global]).isEmpty {
                    s.add(name, .freeClass)
                }
                continue
            }
            if let b = bound, !b.contains(name) { continue }
            if bound == nil { continue }
            s.add(name, [])
            s.resolved[name] = .free
        }
        free.formUnion(newFree)
    }

    private static func analyzeName(_ s: Scope, _ name: String, _ f: SymbolFlags, _ bound: inout Set<String>?,
                                    _ local: inout Set<String>, _ free: inout Set<String>,
                                    _ global: inout Set<String>) throws {
        if f.contains(.global) {
            if f.contains(.nonlocal) {
                throw ScopeError(message: "name '\(name)' is nonlocal and global", loc: s.declLocs[name] ?? s.loc, end: s.declEnds[name])
            }
            s.resolved[name] = .globalExplicit
            global.insert(name)
            bound?.remove(name)
            return
        }
        if f.contains(.nonlocal) {
            guard let b = bound, b.contains(name) else {
                throw ScopeError(message: "no binding for nonlocal '\(name)' found", loc: s.declLocs[name] ?? s.loc, end: s.declEnds[name])
            }
            _ = b
            s.resolved[name] = .free
            free.insert(name)
            return
        }
        if !f.intersection(.bound).isEmpty {
            s.resolved[name] = .local
            local.insert(name)
            global.remove(name)
            return
        }
        if let b = bound, b.contains(name) {
            s.resolved[name] = .free
            free.insert(name)
            return
        }
        s.resolved[name] = .globalImplicit
    }
}
