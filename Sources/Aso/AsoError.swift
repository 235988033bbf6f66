// Everything that can go wrong when a host runs a script, as one error type.

import AsoRuntime

/// Why a call into an interpreter failed: a syntax error, an exception the script did not catch,
/// a limit of the `Configuration`, a cancellation, or an interpreter that was shut down.
///
/// ```swift
/// do {
///     try interpreter.run(source: "1 / 0")
/// } catch let e as AsoError {
///     print(e.kind, e.exceptionType ?? "", e.message)   // uncaughtException ZeroDivisionError division by zero
///     print(e.tracebackText)                             // as CPython prints it
/// }
/// ```
public struct AsoError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure it is.
    public enum Kind: Sendable, Equatable {
        /// The source does not parse or compile (see `syntaxError`).
        case syntax
        /// The script raised an exception it did not catch.
        case uncaughtException
        /// A limit was reached: memory (`MemoryError`), recursion (`RecursionError`), output,
        /// live tasks, and the instruction budget and deadline where they are set.
        case limitExceeded
        /// The call was cancelled (the host's task was cancelled, or the script's main task was).
        case cancelled
        /// The interpreter has been shut down.
        case shutDown
    }

    /// One frame of a traceback.
    public struct Frame: Sendable, Equatable {
        public var file: String
        public var line: Int
        public var function: String
        public init(file: String, line: Int, function: String) {
            self.file = file
            self.line = line
            self.function = function
        }
    }

    public var kind: Kind
    /// The exception's message (`str(e)`), or what went wrong.
    public var message: String
    /// The exception's class name (`ValueError`), when an exception caused it.
    public var exceptionType: String?
    /// The frames the exception passed through, outermost first (as a traceback lists them).
    public var traceback: [Frame]
    /// The report CPython would print (traceback and `Type: message`).
    public var tracebackText: String
    /// The syntax error, for `.syntax`.
    public var syntaxError: AsoSyntaxError?
    /// For `SystemExit`: the exit status the script asked for.
    public var exitStatus: Int32?

    public var description: String {
        if !tracebackText.isEmpty { return tracebackText }
        if let t = exceptionType { return "\(t): \(message)" }
        return message
    }

    init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
        exceptionType = nil
        traceback = []
        tracebackText = ""
    }

    init(_ syntax: AsoSyntaxError) {
        self.init(kind: .syntax, message: syntax.message)
        exceptionType = syntax.kind.rawValue
        tracebackText = syntax.description
        syntaxError = syntax
    }

    init(_ e: HostException) {
        self.init(kind: e.isLimit ? .limitExceeded : (e.isCancelled ? .cancelled : .uncaughtException), message: e.message)
        exceptionType = e.typeName
        traceback = e.frames.map { Frame(file: $0.file, line: $0.line, function: $0.function) }
        tracebackText = e.text
        exitStatus = e.exitStatus
    }

    /// An error of the runtime (a `HostException`, or anything else as a plain message).
    init(_ error: Error) {
        if let e = error as? HostException { self.init(e) } else if let e = error as? AsoError { self = e } else {
            self.init(kind: .uncaughtException, message: "\(error)")
        }
    }

    static let shutDown = AsoError(kind: .shutDown, message: "the interpreter has been shut down")
}

/// Thrown by a host function to raise a particular exception class in the script.
///
/// ```swift
/// interpreter.register("parse_port") { args in
///     guard let n = args[0].intValue, (1...65535).contains(n) else {
///         throw AsoScriptException("ValueError", "not a port: \(args[0])")
///     }
///     return .int(n)
/// }
/// ```
/// Any other Swift error becomes a `RuntimeError` whose message is the error's description.
public struct AsoScriptException: Error, Sendable {
    /// The name of a builtin exception class (`ValueError`, `KeyError`, `TimeoutError`, ...); an
    /// unknown name gives `RuntimeError`.
    public var type: String
    public var message: String
    public init(_ type: String, _ message: String) {
        self.type = type
        self.message = message
    }
}
