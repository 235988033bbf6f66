// An interactive session: the embedding API of the `aso repl` prompt.
//
// One idea: a session is an interpreter whose event loop never ends. It runs on a thread of its
// own (with a large stack) that is a SwiftNIO event loop from `start` to `close`; every call made
// from another thread hands work to that loop and, where it answers, waits for the answer. Inputs
// are compiled in interactive mode with top-level await: an expression statement prints its repr
// and sets `_`, and an input that awaits runs as a task on the loop, which `interrupt` cancels.
// Tasks an input creates go on running between inputs. The session knows nothing of terminals:
// the command line's prompt (readline, Ctrl-C, history) is written against this API only.

import AsoBytecode
import AsoCompiler
import AsoRuntime
import AsoSyntax
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An interactive session: `__main__`'s globals persist from one input to the next, and the event
/// loop keeps running between inputs.
///
/// ```swift
/// let session = InteractiveSession(configuration: config)
/// session.start()
/// _ = session.execute("import asyncio")
/// _ = session.execute("t = asyncio.create_task(asyncio.sleep(1, 'done'))")
/// _ = session.execute("await t")     // prints 'done' (the repr of the value)
/// session.close()
/// ```
///
/// Output goes to the configuration's `standardOutput` and `standardError`, from the session's
/// thread, also between inputs (a task printing in the background). All methods may be called
/// from any thread, one call at a time; `execute(_:completion:)` and `interrupt()` return at once,
/// the others wait for the session's thread.
public final class InteractiveSession: @unchecked Sendable {
    /// What the lines typed so far are, as Python's prompt decides whether to ask for more.
    public enum InputState: Sendable, Equatable {
        /// Blank lines and comments only.
        case empty
        /// More lines are needed: an open bracket or triple-quoted string, a line ending in `\`,
        /// or a compound statement (`if`, `def`, `async with`, ...) not yet closed by an empty line.
        case incomplete
        /// Ready to run (or to report its syntax error).
        case complete
    }

    /// What became of one input.
    public enum Outcome: Sendable, Equatable {
        case finished
        /// An exception or syntax error, already reported on standard error.
        case raised
        /// Cancelled by `interrupt()` (the awaited work was cancelled).
        case interrupted
        /// The input raised `SystemExit`: the session should end with this status.
        case exit(Int32)
    }

    public let configuration: Configuration
    /// The file name inputs are compiled under (tracebacks and syntax errors show it).
    public let filename: String
    private let runtime: Runtime
    private let loop: InteractiveLoop
    private let started = DispatchSemaphore(value: 0)
    private let ended = DispatchSemaphore(value: 0)
    /// Set by `start`, read by the other methods (after `start` has returned).
    private var running = false

    /// A session; nothing runs until `start`. `configuration.virtualTime` starts it in virtual
    /// time (see `setVirtualTime`).
    public init(configuration: Configuration = Configuration(), filename: String = "<stdin>") {
        self.configuration = configuration
        self.filename = filename
        runtime = Interpreter.makeRuntime(configuration)
        loop = InteractiveLoop(runtime: runtime, virtualTime: configuration.virtualTime)
    }

    /// Starts the session's thread, which becomes its event loop; returns once it accepts input.
    /// A `program` given runs first as the `__main__` file `filename` in the session's globals, as
    /// `python -i FILE` runs it (it may use `asyncio.run`; its errors are reported and the session
    /// starts anyway).
    public func start(program: [UInt8]? = nil, filename: String = "<string>") {
        guard !running else { return }
        running = true
        var compiled: CompiledCode?
        if let program {
            do {
                compiled = try Interpreter.compile(source: program, filename: filename)
            } catch let e as AsoSyntaxError {
                configuration.standardError(e.description)
            } catch {
                configuration.standardError("\(error)\n")
            }
        }
        // The loop runs on a thread of its own with a large stack, like `Interpreter.run`'s program.
        let spawned = startDetachedThread(stackSize: Interpreter.programStackSize) { [self] in
            loop.run(first: {
                if let compiled { loop.runProgram(compiled.code, file: filename, source: compiled.source) }
            }, started: { self.started.signal() })
            ended.signal()
        }
        if !spawned {
            // No thread to be had: nothing can run.
            running = false
            configuration.standardError("aso: cannot start the interactive session's thread\n")
            started.signal()
            ended.signal()
        }
        started.wait()
    }

    /// Decides whether `source` (the lines typed so far, joined by newlines) is complete.
    public static func inputState(_ source: String) -> InputState {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        func blank(_ line: Substring) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\u{0C}" || $0 == "\r" } }
        let meaningful = lines.filter { line in
            let t = line.drop(while: { $0 == " " || $0 == "\t" || $0 == "\u{0C}" })
            return !t.isEmpty && !t.hasPrefix("#") && !blank(t)
        }
        if meaningful.isEmpty { return .empty }
        let endsWithBlank = lines.count > 1 && (lines.last.map(blank) ?? false)
        do {
            let module = try parseModule(Array(source.utf8), filename: "<stdin>")
            if endsWithBlank { return .complete }
            if let last = module.body.last, isCompound(last) { return .incomplete }
            return .complete
        } catch {
            let m = error.message
            if m.hasSuffix("was never closed") || m.hasPrefix("unterminated triple-quoted string")
                || m == "unexpected EOF while parsing" {
                return .incomplete
            }
            if endsWithBlank { return .complete }
            // An error at the end of a block not yet closed by an empty line (`try:` without its
            // `except` yet), or a decorator waiting for its definition.
            let atEnd = error.location.line >= lines.count
            let opensBlock = meaningful.contains { line in
                let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? line
                return code.trimmingTrailingBlanks().hasSuffix(":")
            }
            if atEnd && opensBlock { return .incomplete }
            if atEnd, let last = meaningful.last, last.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("@") {
                return .incomplete
            }
            return .complete
        }
    }

    private static func isCompound(_ s: Stmt) -> Bool {
        switch s.kind {
        case .if, .while, .for, .functionDef, .classDef, .try, .with, .match: return true
        default: return false
        }
    }

    /// Runs one input (the lines joined by newlines); `completion` is called on the session's
    /// thread when it has finished. A syntax error is reported at once (`.raised`).
    public func execute(_ source: String, completion: @escaping @Sendable (Outcome) -> Void) {
        let code: CodeObject
        do {
            code = try Interpreter.compileInteractive(source + "\n", filename: filename)
        } catch {
            configuration.standardError(error.formatted(file: filename))
            return completion(.raised)
        }
        let loop = self.loop
        let posted = running && loop.post {
            loop.runInput(code) { outcome in
                switch outcome {
                case .finished: completion(.finished)
                case .raised: completion(.raised)
                case .interrupted: completion(.interrupted)
                case .exit(let status): completion(.exit(status))
                }
            }
        }
        if !posted { completion(.finished) }
    }

    /// Runs one input and waits for it to finish.
    public func execute(_ source: String) -> Outcome {
        let box = ResultBox<Outcome>(.finished)
        execute(source) { outcome in
            box.set(outcome)
        }
        return box.wait()
    }

    /// Interrupts the input that runs, as Ctrl-C does: an input that awaits something is cancelled
    /// (its task gets CancelledError and the input ends with `.interrupted`); code that is running
    /// gets KeyboardInterrupt where it is (a loop that never awaits, say).
    public func interrupt() {
        if running { runtime.signals.raise(Runtime.sigint) }
    }

    /// Completions of the word before the cursor: keywords, globals, builtins, and for a dotted
    /// name the attributes of the live object (`asyncio.cr` gives `asyncio.create_task(`).
    public func completions(for text: String) -> [String] {
        ask([]) { $0.completions(for: text) }
    }

    /// The pending tasks: name, state, what each waits on and the frames of its await chain.
    public func taskListing() -> String {
        ask("") { $0.taskListing() }
    }

    /// Virtual time: while an input runs, the clock jumps to the next timer instead of waiting, so
    /// `await asyncio.sleep(60)` returns at once; between inputs time passes as it does.
    public func setVirtualTime(_ on: Bool) {
        ask(()) { $0.virtualTime = on }
    }

    public var virtualTime: Bool { ask(false) { $0.virtualTime } }

    /// Ends the session: cancels the pending tasks and waits for them to end (`announce` is told
    /// how many first, on the session's thread), then stops the loop. Returns the number of tasks
    /// that were cancelled.
    @discardableResult
    public func close(announce: @escaping @Sendable (Int) -> Void = { _ in }) -> Int {
        guard running else { return 0 }
        let count = ResultBox<Int>(0)
        let loop = self.loop
        if loop.post({
            loop.shutdown { n in
                count.set(n, signal: false)
                announce(n)
            }
        }) {
            ended.wait()
        }
        running = false
        return count.value
    }

    /// Runs `body` on the session's thread and waits for its answer (`fallback` when the session
    /// is not running).
    private func ask<T>(_ fallback: T, _ body: @escaping (InteractiveLoop) -> T) -> T {
        guard running else { return fallback }
        let box = ResultBox<T>(fallback)
        let loop = self.loop
        guard loop.post({ box.set(body(loop)) }) else { return fallback }
        return box.wait()
    }
}

extension Substring {
    fileprivate func trimmingTrailingBlanks() -> Substring {
        var s = self
        while let last = s.last, last == " " || last == "\t" || last == "\r" || last == "\u{0C}" { s.removeLast() }
        return s
    }
}

/// One answer handed from the session's thread to a waiting caller.
private final class ResultBox<T>: @unchecked Sendable {
    private(set) var value: T
    private let ready = DispatchSemaphore(value: 0)
    init(_ value: T) { self.value = value }
    func set(_ v: T, signal: Bool = true) {
        value = v
        if signal { ready.signal() }
    }
    func wait() -> T {
        ready.wait()
        return value
    }
}
