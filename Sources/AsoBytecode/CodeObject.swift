// A compiled function, module body, class body, lambda or comprehension.
//
// One idea: a code object is immutable data produced by the compiler and consumed by the runtime;
// it knows nothing of run-time values, so its constants are `CodeConstant`s that the runtime turns
// into values once, when the code is loaded. Local slots are numbered: `localNames` lists every slot
// (parameters first, in call order, then other locals, then cell-only names, then free variables).

/// A constant in a code object's pool.
package indirect enum CodeConstant: Sendable, Hashable {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer beyond `Int`, as decimal digits with an optional leading `-`.
    case bigInt(String)
    case float(Double)
    case str(String)
    case bytes([UInt8])
    case ellipsis
    case tuple([CodeConstant])
    /// A nested code object (functions, lambdas, comprehensions, class bodies).
    case code(CodeObject)

    package static func == (a: CodeConstant, b: CodeConstant) -> Bool {
        switch (a, b) {
        case (.none, .none), (.ellipsis, .ellipsis): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.bigInt(x), .bigInt(y)): return x == y
        // Constants are merged by identity of bits so that 0.0 and -0.0 (and NaNs) stay distinct.
        case let (.float(x), .float(y)): return x.bitPattern == y.bitPattern
        case let (.str(x), .str(y)): return x == y
        case let (.bytes(x), .bytes(y)): return x == y
        case let (.tuple(x), .tuple(y)): return x == y
        case let (.code(x), .code(y)): return x === y
        default: return false
        }
    }
    package func hash(into h: inout Hasher) {
        switch self {
        case .none: h.combine(0)
        case .ellipsis: h.combine(1)
        case .bool(let x): h.combine(2); h.combine(x)
        case .int(let x): h.combine(3); h.combine(x)
        case .bigInt(let x): h.combine(4); h.combine(x)
        case .float(let x): h.combine(5); h.combine(x.bitPattern)
        case .str(let x): h.combine(6); h.combine(x)
        case .bytes(let x): h.combine(7); h.combine(x)
        case .tuple(let x): h.combine(8); h.combine(x)
        case .code(let x): h.combine(9); h.combine(ObjectIdentifier(x))
        }
    }
}

/// An exception-table entry: an exception raised by an instruction in `start ..< end` jumps to
/// `target` after the frame's value stack is cut back to `depth` values (not counting locals).
/// Entries are ordered so that the first one covering an instruction is the innermost handler.
package struct ExceptionTableEntry: Sendable, Hashable {
    package var start: Int
    package var end: Int
    package var target: Int
    package var depth: Int
    package init(start: Int, end: Int, target: Int, depth: Int) {
        self.start = start; self.end = end; self.target = target; self.depth = depth
    }
}

/// A line-table entry: instructions from `start` up to the next entry's start come from the source
/// span `line:column` ..< `endLine:endColumn` (1-based columns in Unicode scalars, end exclusive;
/// `endLine` 0 when the end is unknown). That span is the AST node being compiled, as CPython's
/// positions table records it, and tracebacks underline it (PEP 657). For a one-line binary
/// operation or subscript, `anchorStart ..< anchorEnd` (columns on `line`, 0 when absent) is the
/// operator or the `[index]` part, which the underline marks with `^` and the rest with `~`.
package struct LineTableEntry: Sendable, Hashable {
    package var start: Int
    package var line: Int
    package var column: Int
    package var endLine: Int
    package var endColumn: Int
    package var anchorStart: Int
    package var anchorEnd: Int
    package init(start: Int, line: Int, column: Int, endLine: Int = 0, endColumn: Int = 0,
                anchorStart: Int = 0, anchorEnd: Int = 0) {
        self.start = start; self.line = line; self.column = column
        self.endLine = endLine; self.endColumn = endColumn
        self.anchorStart = anchorStart; self.anchorEnd = anchorEnd
    }

    /// True when both entries describe the same source span (they may start at different words).
    package func sameSpan(as other: LineTableEntry) -> Bool {
        line == other.line && column == other.column && endLine == other.endLine && endColumn == other.endColumn
            && anchorStart == other.anchorStart && anchorEnd == other.anchorEnd
    }
}

package struct CodeFlags: OptionSet, Sendable, Hashable {
    package let rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }
    /// Takes `*args` (its slot follows the keyword-only parameters).
    package static let varArgs = CodeFlags(rawValue: 1 << 0)
    /// Takes `**kwargs` (its slot follows `*args`, or the keyword-only parameters).
    package static let varKeywords = CodeFlags(rawValue: 1 << 1)
    /// A generator function (contains `yield`, not async).
    package static let generator = CodeFlags(rawValue: 1 << 2)
    /// An `async def` without `yield`.
    package static let coroutine = CodeFlags(rawValue: 1 << 3)
    /// An `async def` with `yield`.
    package static let asyncGenerator = CodeFlags(rawValue: 1 << 4)
    /// The module body (names are globals).
    package static let module = CodeFlags(rawValue: 1 << 5)
    /// A class body (names use loadName/storeName).
    package static let classBody = CodeFlags(rawValue: 1 << 6)
    /// A comprehension or generator expression body.
    package static let comprehension = CodeFlags(rawValue: 1 << 7)
    /// A lambda.
    package static let lambda = CodeFlags(rawValue: 1 << 8)
    /// Interactive input: expression statements use printExpr.
    package static let interactive = CodeFlags(rawValue: 1 << 9)
}

/// Compiled code for one function or module body.
package final class CodeObject: @unchecked Sendable {
    /// The function's name (`<module>`, `<lambda>`, `<listcomp>`, ...), as tracebacks print it.
    package let name: String
    /// The dotted name (`outer.<locals>.inner`), as reprs of functions print it.
    package let qualifiedName: String
    /// The source file's name as given to the compiler (shown in tracebacks).
    package let filename: String
    package let flags: CodeFlags
    /// Positional parameters, including positional-only ones.
    package let argCount: Int
    /// How many of the first `argCount` parameters are positional-only.
    package let positionalOnlyCount: Int
    /// Keyword-only parameters (they follow the positional ones in `localNames`).
    package let keywordOnlyCount: Int
    /// One name per local slot: parameters (positional, keyword-only, *args, **kwargs), other
    /// locals, cell-only names, then the `freeCount` free variables last.
    package let localNames: [String]
    /// Slots that hold cells made by `makeCell` (captured by inner functions).
    package let cellSlots: [Int]
    /// How many trailing slots are free variables, filled by `copyFreeVars` from the closure.
    package let freeCount: Int
    /// Names used by global, attribute, import and class-body instructions.
    package let names: [String]
    package let constants: [CodeConstant]
    /// The instructions, one `Instruction` word each.
    package let code: [UInt32]
    /// The deepest the value stack gets (not counting locals).
    package let maxStackDepth: Int
    package let lineTable: [LineTableEntry]
    package let exceptionTable: [ExceptionTableEntry]
    /// The line of the `def` (or 1 for a module).
    package let firstLine: Int
    /// The docstring: the string literal that opens a function's or module's body, if any.
    package let docstring: String?

    package init(name: String, qualifiedName: String, filename: String, flags: CodeFlags,
                argCount: Int, positionalOnlyCount: Int, keywordOnlyCount: Int,
                localNames: [String], cellSlots: [Int], freeCount: Int, names: [String],
                constants: [CodeConstant], code: [UInt32], maxStackDepth: Int,
                lineTable: [LineTableEntry], exceptionTable: [ExceptionTableEntry], firstLine: Int,
                docstring: String? = nil) {
        self.name = name; self.qualifiedName = qualifiedName; self.filename = filename; self.flags = flags
        self.argCount = argCount; self.positionalOnlyCount = positionalOnlyCount
        self.keywordOnlyCount = keywordOnlyCount; self.localNames = localNames; self.cellSlots = cellSlots
        self.freeCount = freeCount; self.names = names; self.constants = constants; self.code = code
        self.maxStackDepth = maxStackDepth; self.lineTable = lineTable; self.exceptionTable = exceptionTable
        self.firstLine = firstLine
        self.docstring = docstring
    }

    /// The source position of the instruction at word `pc` (binary search in the line table).
    package func location(at pc: Int) -> (line: Int, column: Int) {
        var lo = 0, hi = lineTable.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if lineTable[mid].start <= pc { lo = mid + 1 } else { hi = mid }
        }
        if lo == 0 { return (firstLine, 1) }
        let e = lineTable[lo - 1]
        return (e.line, e.column)
    }

    /// The full source span of the instruction at word `pc`, or nil before the first entry.
    package func span(at pc: Int) -> LineTableEntry? {
        var lo = 0, hi = lineTable.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if lineTable[mid].start <= pc { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : lineTable[lo - 1]
    }

    /// The innermost handler for an exception raised at word `pc`, if any.
    package func handler(at pc: Int) -> ExceptionTableEntry? {
        for e in exceptionTable where e.start <= pc && pc < e.end { return e }
        return nil
    }
}
