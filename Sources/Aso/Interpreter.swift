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

/// Settings for one interpreter: what a script may do and see, and where its output goes.
///
/// The defaults suit an application that runs scripts it does not trust: no network, no
/// environment variables, an empty `sys.argv`, `import` only from `modulePath`, no limit on
/// output or tasks. (The `aso` command grants the network and imports from the script's folder.)
///
/// ```swift
/// var config = Configuration()
/// config.arguments = ["script.aso"]
/// config.memoryLimit = 64 << 20
/// let interpreter = Interpreter(configuration: config)
/// try interpreter.run(source: "print('hi')", name: "script.aso")
/// ```
public struct Configuration: Sendable {
    /// `sys.argv`.
    public var arguments: [String] = []
    /// `os.environ`: only what the host passes.
    public var environment: [String: String] = [:]
    /// Maximum depth of calls before `RecursionError` (CPython's default is 1000).
    public var recursionLimit = 1000
    /// Most bytes the script's objects may hold before `MemoryError`.
    public var memoryLimit = 8 << 30
    /// Most bytes a script may write to standard output and error (nil: no limit). Past it,
    /// `print` and `sys.stdout.write` raise `OSError`, reported to the host as `.limitExceeded`.
    public var outputLimit: Int? = nil
    /// Most tasks alive at once (nil: no limit). Past it, `asyncio.create_task` (and whatever makes
    /// tasks: `gather`, `TaskGroup`) raises `RuntimeError`, reported as `.limitExceeded`.
    public var maxTasks: Int? = nil
    /// Most steps one call (`run`, `evaluate`, `call`, ...) may take, counting each backward jump
    /// (a loop's iteration), each call and each turn of the event loop (nil: no limit). Past it
    /// the script gets `RuntimeError` where it is, reported as `.limitExceeded`. A budget makes
    /// the interpreter check at every such step, which costs some speed.
    public var instructionBudget: Int? = nil
    /// Most seconds of wall-clock time one call may take (nil: no limit). Past it the script gets
    /// `TimeoutError` at its next step (again at every step after, so it cannot go on by catching
    /// it), reported as `.limitExceeded`; an event loop that waits is woken for it.
    public var timeLimit: Double? = nil
    /// Collect garbage at every safepoint (slow; for testing the collector).
    public var gcStress = false
    /// Run the event loop on a virtual clock: when nothing is ready and no I/O is in flight, the
    /// clock jumps to the next timer, so sleeps take no real time (`aso run --virtual-time`).
    public var virtualTime = false
    /// Seeds `random`'s generator at start, so that a script's random numbers are the same on
    /// every run (nil: seeded from the system's entropy, as Python does).
    public var randomSeed: Int? = nil
    /// Folders searched for imported `.aso` modules: the only ones, unless
    /// `importsFromScriptFolder` adds the main script's folder before them.
    public var modulePath: [String] = []
    /// Does `import` also search the folder of the script `run(file:)` runs (the current folder
    /// for source given as text)? Off for embedders; the `aso` command turns it on.
    public var importsFromScriptFolder = false
    /// Which hosts the script's network access may reach.
    public var network: NetworkAccess = .none
    /// The largest HTTP response body the HTTP client accepts, in bytes (a larger one raises
    /// `aiohttp.ResponseTooLargeError`); nil: the environment's `ASO_HTTP_MAX_BODY`, else 64 MiB.
    public var maxResponseBodySize: Int? = nil
    /// May the script send signals to processes with `os.kill` (other than to itself, which only
    /// reaches the interpreter)? Off for embedders; the `aso` command turns it on.
    public var processControl = false
    /// Gives `input()` its lines (nil is end of file, `EOFError`). The default gives none; the
    /// `aso` command reads the process's standard input.
    public var standardInput: @Sendable () -> String? = { nil }
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

/// What network access a script has.
public enum NetworkAccess: Sendable, Equatable {
    /// None (the default for embedders).
    case none
    /// Only these hosts (names or addresses, compared exactly).
    case allowList([String])
    /// Any host (the `aso` command).
    case unrestricted
}

/// A syntax or indentation error, with its location and CPython's report.
public struct AsoSyntaxError: Error, CustomStringConvertible, Sendable {
    /// Which of Python's syntax errors it is.
    public enum Kind: String, Sendable {
        case syntaxError = "SyntaxError"
        case indentationError = "IndentationError"
        case tabError = "TabError"
    }
    public var kind: Kind
    public var message: String
    public var file: String
    public var line: Int
    public var column: Int
    /// The report as CPython prints it (file and line, the source line, a caret, `Kind: message`).
    public var description: String
}

/// An Aso interpreter: its own heap, modules, event loop and limits. Many may live in one
/// process, independent of each other.
///
/// Every method may be called from any thread: the work is handed to the interpreter's own
/// thread (made on first use, with a large stack) and done there one call at a time. Each has a
/// blocking form and an `async` form; cancelling the Swift task that awaits the `async` form
/// cancels the script's main task (its `finally` blocks run). A host function called by the
/// script runs on the interpreter's thread and may call the interpreter again (it is done at once).
///
/// ```swift
/// let interpreter = Interpreter()
/// try interpreter.run(source: "def double(x): return 2 * x")
/// let four = try interpreter.call("double", 2)          // .int(4)
/// ```
public final class Interpreter: @unchecked Sendable {
    public let configuration: Configuration
    /// The stack of the thread a program runs on.
    static let programStackSize = 1 << 30
    let runtime: Runtime
    /// The thread scripts run on (started on first use).
    let thread = InterpreterThread()

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        runtime = Interpreter.makeRuntime(configuration)
        runtime.setHostErrorDescriber(Interpreter.describeHostError)
    }

    deinit { thread.stop() }

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
        options.importsFromMainFolder = configuration.importsFromScriptFolder
        options.outputLimit = max(0, configuration.outputLimit ?? 0)
        options.maxTasks = max(0, configuration.maxTasks ?? 0)
        options.randomSeed = configuration.randomSeed
        options.processControl = configuration.processControl
        options.maxResponseBodySize = configuration.maxResponseBodySize.map { max(0, $0) }
        options.readLine = configuration.standardInput
        switch configuration.network {
        case .none: options.networkAllowList = []
        case .allowList(let hosts): options.networkAllowList = hosts
        case .unrestricted: options.networkAllowList = nil
        }
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
            throw AsoSyntaxError(kind: AsoSyntaxError.Kind(rawValue: e.kind.rawValue) ?? .syntaxError, message: e.message, file: filename, line: e.location.line,
                                 column: e.location.column, description: e.formatted(file: filename))
        }
    }

    /// Runs a program as a fresh `__main__`, as the `aso` command does. Syntax errors and uncaught
    /// exceptions are reported on standard error as CPython reports them. Returns the exit status:
    /// 0, 1 after an error, or `sys.exit`'s code.
    public func runProgram(source: [UInt8], filename: String) -> Int32 {
        // Native code that recurses (repr of nested data, comparisons, json) counts its depth
        // against the recursion limit; the interpreter's thread has a large stack (reserved, not
        // committed) so that limit is the only one that matters, whatever thread the host calls from.
        let result: Result<Int32, AsoError> = perform {
            let compiled: CompiledCode
            do {
                compiled = try self.compile(source: source, filename: filename)
            } catch let e as AsoSyntaxError {
                self.configuration.standardError(e.description)
                return 1
            } catch {
                self.configuration.standardError("\(error)\n")
                return 1
            }
            return self.runtime.executeMain(compiled.code, file: filename, source: compiled.source)
        }
        switch result {
        case .success(let status): return status
        case .failure(let e):
            configuration.standardError(e.tracebackText.isEmpty ? "aso: \(e.message)\n" : e.tracebackText)
            return 1
        }
    }

    /// Runs a program given as a string (see `runProgram(source:filename:)` for bytes).
    public func runProgram(source: String, filename: String = "<string>") -> Int32 {
        runProgram(source: Array(source.utf8), filename: filename)
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
