// The instruction buffer of one code object under construction, and its assembly into final form.
//
// One idea: code is emitted as a flat stream with symbolic labels; exception handlers are lexical —
// `pushHandler` starts a protected region (and leaves a pseudo "setup" marker in the stream),
// every instruction remembers the innermost handler active when it was emitted, and `popHandler`
// ends the region. Assembly then (1) walks every path from the entry with the stack-effect table,
// treating each setup marker as a branch to its handler with one extra value (the exception), to
// get `maxStackDepth` and each handler's depth; (2) drops the markers and resolves labels to word
// indexes; (3) run-length encodes the line table and the per-instruction handlers into the
// exception table. The same scheme is CPython's (SETUP_FINALLY/POP_BLOCK pseudo-instructions).

import AsoBytecode
import AsoSyntax

struct Label: Hashable { let id: Int }

/// The source span the next instructions are attributed to: an AST node's start and end (nil when
/// unknown) and, for a one-line binary operation or subscript, the columns of its anchor (0: none).
struct Span: Equatable {
    var start: SourceLocation
    var end: SourceLocation?
    var anchorStart = 0
    var anchorEnd = 0
    init(_ start: SourceLocation, end: SourceLocation? = nil, anchorStart: Int = 0, anchorEnd: Int = 0) {
        self.start = start; self.end = end; self.anchorStart = anchorStart; self.anchorEnd = anchorEnd
    }
}

/// An internal inconsistency (a compiler bug); reported as an error, never a crash.
struct InternalCompilerError: Error { var message: String }

struct CodeBuilder {
    private struct Item {
        var op: OpCode?          // nil: a handler-setup marker
        var arg: UInt32
        var target: Label?
        var handler: Int?        // index into `handlers`
        var span: Span
    }

    private var items: [Item] = []
    private var labelPositions: [Int?] = []
    private var handlerLabels: [Label] = []
    private var handlerAdjust: [Int] = []
    private(set) var handlerStack: [Int] = []
    var span = Span(SourceLocation(line: 1, column: 1))
    /// The start of `span`; setting it forgets the end (an unknown end draws no markers).
    var loc: SourceLocation {
        get { span.start }
        set { span = Span(newValue) }
    }

    mutating func newLabel() -> Label {
        labelPositions.append(nil)
        return Label(id: labelPositions.count - 1)
    }

    /// Places `label` at the next instruction.
    mutating func bind(_ label: Label) {
        if label.id < labelPositions.count { labelPositions[label.id] = items.count }
        labelAtEnd = items.count
    }
    private var labelAtEnd = -1

    mutating func emit(_ op: OpCode, _ arg: Int = 0) {
        items.append(Item(op: op, arg: UInt32(clamping: max(0, arg)), target: nil, handler: handlerStack.last,
                          span: span))
    }

    mutating func emitJump(_ op: OpCode, _ target: Label) {
        items.append(Item(op: op, arg: 0, target: target, handler: handlerStack.last, span: span))
    }

    /// Starts a region whose exceptions go to `label`, with the stack cut back to its depth here
    /// plus `adjust` (-1 for `with`, whose region starts while the `__enter__` result is still on top).
    mutating func pushHandler(_ label: Label, adjust: Int = 0) {
        handlerLabels.append(label)
        handlerAdjust.append(adjust)
        let id = handlerLabels.count - 1
        items.append(Item(op: nil, arg: 0, target: label, handler: handlerStack.last, span: span))
        handlerStack.append(id)
    }

    /// Ends the innermost protected region.
    mutating func popHandler() {
        if !handlerStack.isEmpty { handlerStack.removeLast() }
    }

    /// Restores a handler stack saved before an early exit (break/continue/return) unwound it.
    mutating func restoreHandlers(_ saved: [Int]) { handlerStack = saved }

    /// True when the last emitted instruction never falls through (no implicit return needed).
    var lastEndsBlock: Bool {
        guard labelAtEnd != items.count, let last = items.last, let op = last.op else { return false }
        return op.endsBlock
    }

    struct Assembled {
        var code: [UInt32]
        var maxStackDepth: Int
        var lineTable: [LineTableEntry]
        var exceptionTable: [ExceptionTableEntry]
    }

    func assemble() throws -> Assembled {
        // Stream index of every label.
        var labelIndex: [Int] = []
        for p in labelPositions {
            guard let p else { throw InternalCompilerError(message: "unbound label") }
            labelIndex.append(p)
        }
        func index(of l: Label) throws -> Int {
            guard l.id >= 0 && l.id < labelIndex.count else { throw InternalCompilerError(message: "bad label") }
            return labelIndex[l.id]
        }

        // 1. Stack depths over every path.
        var depthAt = [Int?](repeating: nil, count: items.count + 1)
        var handlerDepth = [Int](repeating: 0, count: handlerLabels.count)
        var handlerIDAtSetup: [Int: Int] = [:]
        do {
            var next = 0
            for i in items.indices where items[i].op == nil {
                handlerIDAtSetup[i] = next
                next += 1
            }
        }
        var work: [Int] = []
        var maxDepth = 0
        func reach(_ i: Int, _ d: Int, _ work: inout [Int]) throws {
            guard d >= 0 else { throw InternalCompilerError(message: "negative stack depth at \(i)") }
            if let old = depthAt[i] {
                if old != d { throw InternalCompilerError(message: "inconsistent stack depth at \(i): \(old) vs \(d)") }
                return
            }
            depthAt[i] = d
            work.append(i)
        }
        if !items.isEmpty { try reach(0, 0, &work) }
        while let start = work.popLast() {
            var i = start
            guard var d = depthAt[i] else { continue }
            while i < items.count {
                maxDepth = max(maxDepth, d)
                let it = items[i]
                var fall = d
                if let op = it.op {
                    if let t = it.target, op.hasJumpTarget {
                        try reach(try index(of: t), d + op.stackEffect(arg: it.arg, jump: true), &work)
                    }
                    if op.endsBlock { break }
                    fall = d + op.stackEffect(arg: it.arg, jump: false)
                } else if let h = handlerIDAtSetup[i], let t = it.target {
                    handlerDepth[h] = d + handlerAdjust[h]
                    try reach(try index(of: t), d + handlerAdjust[h] + 1, &work)
                }
                guard fall >= 0 else { throw InternalCompilerError(message: "negative stack depth at \(i)") }
                maxDepth = max(maxDepth, fall)
                i += 1
                if i >= items.count { break }
                if let old = depthAt[i] {
                    if old != fall { throw InternalCompilerError(message: "inconsistent stack depth at \(i): \(old) vs \(fall)") }
                    break
                }
                depthAt[i] = fall
                d = fall
            }
        }

        // 2. Drop setup markers; map stream indexes to word indexes.
        var wordIndex = [Int](repeating: 0, count: items.count + 1)
        var n = 0
        for (i, it) in items.enumerated() {
            wordIndex[i] = n
            if it.op != nil { n += 1 }
        }
        wordIndex[items.count] = n
        var code: [UInt32] = []
        code.reserveCapacity(n)
        var lines: [LineTableEntry] = []
        var handlersPerWord: [Int?] = []
        for it in items {
            guard let op = it.op else { continue }
            var arg = it.arg
            if let t = it.target { arg = UInt32(wordIndex[try index(of: t)]) }
            guard arg <= Instruction.maxArg else { throw InternalCompilerError(message: "instruction argument too large") }
            let pc = code.count
            code.append(Instruction(op, arg).word)
            let sp = it.span
            let entry = LineTableEntry(start: pc, line: sp.start.line, column: sp.start.column,
                                       endLine: sp.end?.line ?? 0, endColumn: sp.end?.column ?? 0,
                                       anchorStart: sp.anchorStart, anchorEnd: sp.anchorEnd)
            if let last = lines.last, last.sameSpan(as: entry) {} else { lines.append(entry) }
            handlersPerWord.append(it.handler)
        }

        // 3. Exception table: runs of words with the same innermost handler.
        var table: [ExceptionTableEntry] = []
        var pc = 0
        while pc < handlersPerWord.count {
            guard let h = handlersPerWord[pc] else { pc += 1; continue }
            var end = pc + 1
            while end < handlersPerWord.count && handlersPerWord[end] == h { end += 1 }
            let target = wordIndex[try index(of: handlerLabels[h])]
            table.append(ExceptionTableEntry(start: pc, end: end, target: target, depth: handlerDepth[h]))
            pc = end
        }
        return Assembled(code: code, maxStackDepth: maxDepth, lineTable: lines, exceptionTable: table)
    }
}
