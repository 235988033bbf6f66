// Exceptions: instances of BaseException and its subclasses.
//
// One idea: an exception is ordinary runtime data. Raising one unwinds through the frames'
// exception tables; each frame it leaves appends a traceback entry, so the traceback is built
// as the exception travels, in the order CPython prints it after reversing.

import AsoBytecode

/// One line of a traceback: the code and the instruction that was executing. The code object
/// is held unmanaged (appending an entry costs no reference counting): whoever holds the entry
/// traces it (`ExceptionObj`, `TracebackObj`).
struct TracebackEntry {
    let codeRef: Unmanaged<CodeObj>
    let pc: Int
    init(_ code: Unmanaged<CodeObj>, pc: Int) {
        self.codeRef = code
        self.pc = pc
    }
    /// The compiled code (for printing: a strong reference).
    var code: CodeObject { codeRef._withUnsafeGuaranteedRef { $0.code } }
}

extension Tracer {
    mutating func mark(entries: [TracebackEntry]) {
        entries.withUnsafeBufferPointer { for e in $0 { mark(unmanaged: e.codeRef) } }
    }
}

final class ExceptionObj: Obj {
    /// `e.args`, a tuple.
    var args: Value
    /// Frames the exception passed through, innermost first.
    var traceback: [TracebackEntry] = []
    /// `raise ... from cause` (`.none` when absent).
    var cause: Value = .none
    /// The exception being handled when this one was raised (`.none` when absent).
    var context: Value = .none
    /// True after `raise ... from ...` (even `from None`): the context is not printed.
    var suppressContext = false
    /// The `__traceback__` object last handed out, and how many entries it covered.
    var tracebackObject: (object: TracebackObj, entries: Int)?
    /// Other attributes (`e.code` of SystemExit, user attributes, ...).
    @exclusivity(unchecked) var attributes: AttributeTable

    init(type: __shared TypeObject, args: Value) {
        self.args = args
        self.attributes = AttributeTable(root: type.instanceShape)
        super.init(kind: .exception, type: type)
    }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(args)
        t.mark(cause)
        t.mark(context)
        if let tb = tracebackObject { t.mark(tb.object) }
        t.mark(entries: traceback)
        for v in attributes.buffer { t.mark(v) }
    }
}

/// A script exception travelling through Swift code (natives and the runtime's helpers).
/// The VM turns it back into data at once, so the object stays rooted by the time a collection runs.
struct ScriptError: Error, @unchecked Sendable {
    let exception: ExceptionObj
}

/// A traceback object (`e.__traceback__`, the third argument of `__exit__`): one frame the
/// exception passed through, outermost first, with `tb_lineno` and `tb_next`.
final class TracebackObj: Obj {
    /// The exception's entries, outermost first, and this object's position among them.
    let entries: [TracebackEntry]
    let position: Int
    /// The next (inner) traceback object, made on first use.
    var next: TracebackObj?

    init(entries: [TracebackEntry], position: Int, type: __shared TypeObject) {
        self.entries = entries
        self.position = position
        super.init(kind: .other, type: type)
    }

    var line: Int { entries[position].code.location(at: entries[position].pc).0 }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(next)
        t.mark(entries: entries)
    }
}
