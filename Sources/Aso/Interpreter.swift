// The public embedding API: an `Interpreter` runs Aso source with a `Configuration`.
//
// One idea: this module is the only one that sees both the compiler and the runtime, so it is
// where source text becomes running code — for the command line and for applications that embed
// the language — and it hands the runtime the one compile function the runtime uses for the rest
// (`import` of `.aso` files, the library's parts). Everything it exposes is small and documented.

import AsoBytecode
import AsoCompiler
import AsoRuntime
import AsoSyntax

/// Settings for one interpreter.
///
/// ```swift
/// var config = Configuration()
/// config.arguments = ["script.aso"]
/// let interpreter = Interpreter(configuration: config)
/// let status = interpreter.run(source: "print('hi')", filename: "script.aso")
/// ```
public struct Configuration: Sendable {
    /// `sys.argv`.
    public var arguments: [String] = []
    /// `os.environ`.
    public var environment: [String: String] = [:]
    /// Maximum depth of calls before `RecursionError` (CPython's default is 1000).
    public var recursionLimit = 1000
    /// Most bytes the script's objects may hold before `MemoryError`.
    public var memoryLimit = 8 << 30
    /// Collect garbage at every safepoint (slow; for testing the collector).
    public var gcStress = false
    /// Run the event loop on a virtual clock: when nothing is ready and no I/O is in flight, the
    /// clock jumps to the next timer, so sleeps take no real time (`aso run --virtual-time`).
    public var virtualTime = false
    /// Folders searched, after the main script's folder, for imported `.aso` modules.
    public var modulePath: [String] = []
    /// Receives everything the script prints to standard output.
    public var standardOutput: @Sendable (String) -> Void = { print($0, terminator: "") }
    /// Receives tracebacks and everything the script writes to standard error.
    public var standardError: @Sendable (String) -> Void = { writeStandardError($0) }
    /// Native modules and builtins plugged into the runtime (the `aso` command adds the HTTP
    /// client's, `AsoHTTP.runtimeExtension`).
    public var extensions: [RuntimeExtension] = []
    /// Pushes out what `standardOutput` buffers, when the script asks (`print(flush=True)`,
    /// `sys.stdout.flush()`).
    public var flushStandardOutput: @Sendable () -> Void = {}
    /// What a signal that the script leaves at `SIG_DFL` does when the host raises it
    /// (`Interpreter.raiseSignal`); nil: nothing. The `aso` command ends the process by it.
    public var defaultSignalAction: (@Sendable (Int32) -> Void)? = nil
    /// Called (on the interpreter's thread) when the script sets a handler for a signal with
    /// `signal.signal`: a host that relays the process's signals should relay that one too.
    public var relaySignal: (@Sendable (Int32) -> Void)? = nil

    public init() {}
}

/// A syntax or indentation error, with its location and CPython's report.
public struct AsoSyntaxError: Error, CustomStringConvertible, Sendable {
    /// `SyntaxError`, `IndentationError` or `TabError`.
    public var kind: String
    public var message: String
    public var file: String
    public var line: Int
    public var column: Int
    /// The report as CPython prints it (file and line, the source line, a caret, `Kind: message`).
    public var description: String
}

/// An Aso interpreter: its own heap, modules and limits. Programs run on a thread of the
/// interpreter's own with a large stack, whoever calls `run`; use an interpreter from one thread
/// at a time.
public final class Interpreter {
    public let configuration: Configuration
    /// The stack of the thread a program runs on.
    static let programStackSize = 1 << 30
    let runtime: Runtime

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        runtime = Interpreter.makeRuntime(configuration)
    }

    /// A runtime set up as `configuration` says (also for `InteractiveSession`).
    static func makeRuntime(_ configuration: Configuration) -> Runtime {
        var options = RuntimeOptions()
        options.argv = configuration.arguments
        options.environment = configuration.environment
        options.recursionLimit = configuration.recursionLimit
        options.memoryLimit = configuration.memoryLimit
        options.gcStress = configuration.gcStress
        options.virtualTime = configuration.virtualTime
        options.modulePath = configuration.modulePath
        options.defaultSignalAction = configuration.defaultSignalAction
        options.relaySignal = configuration.relaySignal
        // The runtime compiles what it loads later (imported files, its library) with this.
        let runtime = Runtime(options: options, compile: Interpreter.compileForRuntime,
                              writeOut: configuration.standardOutput, writeErr: configuration.standardError)
        runtime.flushOut = configuration.flushStandardOutput
        for ext in configuration.extensions { runtime.install(ext) }
        return runtime
    }

    /// Delivers signal `signal` (`SIGINT` for Ctrl-C) to the running script; safe from any thread.
    /// Its handler runs on the interpreter's thread at the next safepoint (a loop's back edge, a
    /// call, a turn of the event loop): by default SIGINT raises KeyboardInterrupt there, and
    /// inside `asyncio.run` the first one cancels the main task. A `time.sleep` wakes for it.
    public func raiseSignal(_ signal: Int32) { runtime.signals.raise(signal) }

    /// True when the last program run ended with an uncaught KeyboardInterrupt (CPython's
    /// command then ends by SIGINT).
    public var endedByKeyboardInterrupt: Bool { runtime.endedByKeyboardInterrupt }

    /// Compiles source text; throws `AsoSyntaxError`.
    public func compile(source: [UInt8], filename: String) throws -> CompiledCode {
        try Interpreter.compile(source: source, filename: filename)
    }

    static func compile(source: [UInt8], filename: String) throws -> CompiledCode {
        let text = String(decoding: source, as: UTF8.self)
        do {
            return CompiledCode(code: try Interpreter.parseAndCompile(source, filename: filename).get(), source: text)
        } catch let e as SyntaxError {
            throw AsoSyntaxError(kind: e.kind.rawValue, message: e.message, file: filename, line: e.location.line,
                                 column: e.location.column, description: e.formatted(file: filename))
        }
    }

    /// Runs a program as `__main__`. Syntax errors and uncaught exceptions are reported on standard
    /// error as CPython reports them. Returns the exit status: 0, 1 after an error, or `sys.exit`'s code.
    public func run(source: [UInt8], filename: String) -> Int32 {
        // Native code that recurses (repr of nested data, comparisons, json) counts its depth
        // against the recursion limit; a large stack (reserved, not committed) makes that limit
        // the only one that matters, whatever thread the host calls from.
        withLargeStack(size: Interpreter.programStackSize) {
            let compiled: CompiledCode
            do {
                compiled = try compile(source: source, filename: filename)
            } catch let e as AsoSyntaxError {
                configuration.standardError(e.description)
                return 1
            } catch {
                configuration.standardError("\(error)\n")
                return 1
            }
            return runtime.executeMain(compiled.code, file: filename, source: compiled.source)
        }
    }

    /// Runs a program given as a string.
    public func run(source: String, filename: String = "<string>") -> Int32 {
        run(source: Array(source.utf8), filename: filename)
    }

    /// Parses and compiles a module. (Parsing and compiling recurse as deep as the program nests,
    /// bounded: they get a large stack.)
    private static func parseAndCompile(_ source: [UInt8], filename: String) -> Result<CodeObject, Error> {
        withLargeStack {
            Result {
                let module = try parseModule(source, filename: filename)
                return try compileModule(module, filename: filename, source: String(decoding: source, as: UTF8.self))
            }
        }
    }

    /// Compiles input typed at a prompt: expression statements print their repr and set `_`,
    /// and an input that awaits at top level becomes a coroutine's code (InteractiveSession.swift).
    static func compileInteractive(_ source: String, filename: String) throws(SyntaxError) -> CodeObject {
        let bytes = Array(source.utf8)
        let result: Result<CodeObject, Error> = withLargeStack {
            Result {
                let module = try parseModule(bytes, filename: filename)
                return try compileModule(module, filename: filename, source: source, interactive: true, topLevelAwait: true)
            }
        }
        switch result {
        case .success(let code): return code
        case .failure(let e as SyntaxError): throw e
        case .failure(let e):
            throw SyntaxError(.syntax, "internal compiler error: \(e)", at: SourceLocation(line: 1, column: 1), sourceLine: "")
        }
    }

    /// The compile function the runtime is given: a syntax error becomes the value it raises as
    /// `SyntaxError` at the file and line.
    private static func compileForRuntime(_ source: [UInt8], _ filename: String) throws(CompileError) -> CodeObject {
        switch parseAndCompile(source, filename: filename) {
        case .success(let code): return code
        case .failure(let e as SyntaxError):
            throw CompileError(kind: e.kind.rawValue, message: e.message, line: e.location.line, column: e.location.column)
        case .failure(let e):
            throw CompileError(kind: "SyntaxError", message: "internal compiler error: \(e)", line: 0, column: 0)
        }
    }
}

/// Compiled source, ready to run or disassemble.
public struct CompiledCode {
    let code: CodeObject
    let source: String
    /// A readable listing of the bytecode (like CPython's `dis`).
    public var disassembly: String { code.disassembly() }
}
