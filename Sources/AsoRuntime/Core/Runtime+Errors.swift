// Making and raising exceptions from Swift code, with CPython's wording.

extension Runtime {
    /// A new exception of `type` whose args are `(message,)` (or `()` when message is nil).
    func newException(_ type: TypeObject, _ message: String?) -> ExceptionObj {
        let args = message.map { newTuple([newStr($0)]) } ?? newTuple([])
        return heap.register(ExceptionObj(type: type, args: args))
    }

    /// A Swift error carrying a new exception, for `throw`.
    func error(_ type: TypeObject, _ message: String?) -> ScriptError {
        ScriptError(exception: newException(type, message))
    }

    func typeError(_ m: String) -> ScriptError { error(exc.typeError, m) }
    func valueError(_ m: String) -> ScriptError { error(exc.valueError, m) }
    func indexError(_ m: String) -> ScriptError { error(exc.indexError, m) }
    func attributeError(_ m: String) -> ScriptError { error(exc.attributeError, m) }
    func overflowError(_ m: String) -> ScriptError { error(exc.overflowError, m) }
    func zeroDivision(_ m: String) -> ScriptError { error(exc.zeroDivisionError, m) }
    func runtimeError(_ m: String) -> ScriptError { error(exc.runtimeError, m) }
    func memoryError() -> ScriptError { error(exc.memoryError, nil) }

    /// KeyError's args are the key itself (so `str(e)` is its repr).
    func keyError(_ key: Value) -> ScriptError {
        ScriptError(exception: heap.register(ExceptionObj(type: exc.keyError, args: newTuple([key]))))
    }

    /// Raises MemoryError if `count` elements of `elementSize` bytes cannot be had.
    func checkAllocation(_ count: Int, elementSize: Int) throws {
        let (bytes, o) = count.multipliedReportingOverflow(by: max(1, elementSize))
        if count < 0 || o || heap.wouldExceedLimit(bytes) { throw memoryError() }
    }

    /// The name of a value's class, as error messages print it (`'int'`, `'NoneType'`).
    func typeName(_ v: Value) -> String {
        switch v {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .object(let u): return u.takeUnretainedValue().type.name
        case .null: return "NULL"
        }
    }

    /// The class of a value (`type(v)`). (Inlined, so that a caller that only compares or reads
    /// the class can do without the retain a returned reference costs.)
    @inline(__always) func typeOf(_ v: Value) -> TypeObject {
        switch v {
        case .none: return types.none
        case .bool: return types.bool
        case .int: return types.int
        case .float: return types.float
        case .object(let u): return u.takeUnretainedValue().type
        case .null: return types.none
        }
    }

    /// Runs `body` with the class of `v`, borrowed (no reference counting).
    @inline(__always) func withTypeOf<R>(_ v: Value, _ body: (TypeObject) throws -> R) rethrows -> R {
        if case .object(let u) = v { return try u._withUnsafeGuaranteedRef { $0.typeUnmanaged }._withUnsafeGuaranteedRef(body) }
        return try body(typeOf(v))
    }

    /// The message of an exception (`str(e)`), without raising.
    func exceptionMessage(_ e: ExceptionObj) -> String {
        (try? str(Value(e))) ?? "<exception str() failed>"
    }
}
