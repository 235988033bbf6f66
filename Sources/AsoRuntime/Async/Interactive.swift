// An interactive session's event loop: one `__main__` module that lives across inputs, and an
// event loop that runs until the session ends rather than until one coroutine is done.
//
// One idea: the interpreter's thread becomes a SwiftNIO event loop for the whole session (as it
// does for the length of `asyncio.run` in a program), and everything the session does is work
// handed to that loop from outside (`post`, the one call other threads may make): running an
// input, cancelling it, listing completions or tasks, ending the session. Between inputs the loop
// goes on running the tasks an input left behind. An input that awaits was compiled as a
// coroutine's code (the compiler's top-level await); it runs as a task, so Ctrl-C can cancel it
// and the awaited work sees CancelledError. Any other input runs at once, as a loop callback
// would, so it can make tasks but cannot block the loop for longer than it runs.

import AsoBytecode
import NIOCore
import NIOPosix

/// What became of one input.
package enum InteractiveOutcome: Sendable, Equatable {
    case finished
    /// An exception, already reported (its traceback written to standard error).
    case raised
    /// Cancelled by `InteractiveLoop.interrupt()`.
    case interrupted
    /// `SystemExit`, with the exit status it asks for.
    case exit(Int32)
}

/// Hands a closure to another thread (the session's work runs on the loop's thread only).
private struct Transfer<T>: @unchecked Sendable {
    let value: T
}

package final class InteractiveLoop {
    private unowned let rt: Runtime
    /// The session's `__main__`: its globals persist across inputs.
    let module: ModuleObj
    private let loop: EventLoop
    private var driver: LoopDriver?
    /// The NIO loop, set on the loop's thread before `started` runs; read by `post` from others.
    private var nio: NIOCore.EventLoop?
    /// The task running the input that awaits, while it runs.
    private var statement: TaskObj?
    private var interrupted = false
    /// True while an input that does not await runs (straight from `runInput`).
    private var runningAtOnce = false
    /// Sleeps take no time while an input runs (between inputs, time passes as it does).
    package var virtualTime: Bool {
        didSet { driver?.jumps = virtualTime }
    }

    package init(runtime rt: Runtime, virtualTime: Bool) {
        self.rt = rt
        self.virtualTime = virtualTime
        // `:tasks` says what I/O a task waits on.
        rt.describesIO = true
        module = rt.newModule("__main__", file: nil)
        module.set("__builtins__", Value(rt.builtins))
        // `exit()` and `quit()`, which Python's prompt has (sys.exit's SystemExit ends the session).
        if let sys = try? rt.loadModule("sys"), let exit = sys.get("exit") {
            for name in ["exit", "quit"] where rt.builtins.get(name) == nil { rt.builtins.set(name, exit) }
        }
        // A virtual clock that jumps only when allowed (`driver.jumps`), so the mode can change
        // at the prompt; `loop.time()` runs at real speed in between.
        loop = EventLoop(clock: VirtualClock())
        rt.interactiveInterrupt = { [unowned self] in self.interruptAtSafepoint() }
    }

    /// Ctrl-C, on the loop's thread (from the runtime's SIGINT handler): code of the input that
    /// runs now (or of a task that never lets the loop go on) gets KeyboardInterrupt where it is
    /// (false); an input awaiting something is cancelled instead (true).
    private func interruptAtSafepoint() -> Bool {
        if runningAtOnce { return false }
        if let task = statement, !task.isDone {
            if loop.currentTask === task { return false }
            return interrupt()
        }
        return loop.currentTask == nil
    }

    /// Turns the calling thread into the session's event loop until `shutdown` ends it; `started`
    /// runs on the loop once `post` works. `first` runs before the loop starts (a program run
    /// before the prompt, `aso run -i`, may call `asyncio.run` itself).
    package func run(first: () -> Void = {}, started: @escaping () -> Void) {
        first()
        rt.loop = loop
        loop.object = Value(rt.heap.register(InstanceObj(type: rt.types.eventLoop)))
        rt.withNIOLoop(loop) { [unowned self] driver in
            self.driver = driver
            driver.runsForever = true
            driver.jumps = virtualTime
            driver.idleError = { [unowned self] error in self.reportEscaped(error) }
            nio = MultiThreadedEventLoopGroup.currentEventLoop
            started()
        }
        driver = nil
        rt.loop = nil
        rt.reportUnretrievedExceptions()
        rt.noteCoroutinesNeverStarted()
        rt.reportNeverAwaited()
    }

    /// Runs a program in the session's module as its `__main__` file, before the loop starts (call
    /// it from `run`'s `first`): errors are reported, and the session goes on either way.
    package func runProgram(_ code: CodeObject, file: String, source: String) {
        if let slash = file.lastIndex(of: "/") { rt.mainFolder = String(file[..<slash]) }
        module.set("__file__", rt.newStr(file))
        rt.sources[file] = SourceLines(Array(source.utf8))
        if case .raised(let e) = rt.runModule(rt.load(code, into: module)) {
            _ = rt.reportUncaught(e)
        }
    }

    /// Runs `work` on the loop's thread, soon. The one method other threads may call (after
    /// `started`); false when the loop has ended.
    @discardableResult
    package func post(_ work: @escaping () -> Void) -> Bool {
        guard let nio else { return false }
        let box = Transfer(value: work)
        nio.execute { box.value() }
        return true
    }

    /// Runs compiled input in the session's module (on the loop's thread); `done` is called on the
    /// loop's thread when it has finished, failed (reported) or been interrupted.
    package func runInput(_ code: CodeObject, done: @escaping (InteractiveOutcome) -> Void) {
        guard let driver else { return done(.finished) }
        let loaded = rt.load(code, into: module)
        if !code.flags.contains(.coroutine) {
            let outcome: InteractiveOutcome
            runningAtOnce = true
            defer { runningAtOnce = false }
            switch rt.runModule(loaded) {
            case .returned, .yielded, .parked: outcome = .finished
            case .raised(let e): outcome = report(e)
            }
            done(outcome)
            driver.kick()
            return
        }
        let task: TaskObj
        do {
            let fn = rt.heap.register(FunctionObj(code: loaded, defaults: [], kwDefaults: [], closure: [], type: rt.types.function))
            rt.tempRoots.append(Value(fn))
            defer { rt.tempRoots.removeLast() }
            let coro = try rt.makeGenerator(fn, [], keywords: [])
            rt.tempRoots.append(coro)
            defer { rt.tempRoots.removeLast() }
            task = try rt.createTask(coro)
        } catch let e as ScriptError {
            return done(report(e.exception))
        } catch {
            rt.writeErr("\(error)\n")
            return done(.raised)
        }
        statement = task
        interrupted = false
        driver.run(until: task) { [unowned self] error in
            statement = nil
            done(outcome(of: task, error))
        }
    }

    private func outcome(of task: TaskObj, _ error: Error?) -> InteractiveOutcome {
        if let error {
            if let e = error as? ScriptError { return report(e.exception) }
            rt.writeErr("\(error)\n")
            return .raised
        }
        if interrupted && task.state == .cancelled {
            task.logTraceback = false
            return .interrupted
        }
        do {
            _ = try rt.futureResult(task)
            return .finished
        } catch let e as ScriptError {
            if interrupted && e.exception.type.isSubtype(of: rt.exc.cancelledError) { return .interrupted }
            return report(e.exception)
        } catch {
            rt.writeErr("\(error)\n")
            return .raised
        }
    }

    /// Reports an exception that ended an input: SystemExit asks to end the session.
    private func report(_ e: ExceptionObj) -> InteractiveOutcome {
        if e.type.isSubtype(of: rt.exc.systemExit) { return .exit(rt.reportUncaught(e)) }
        rt.writeErr(rt.formatException(e))
        return .raised
    }

    /// What escaped the loop between inputs (a task that raised SystemExit, say): reported.
    private func reportEscaped(_ error: Error) {
        if let e = error as? ScriptError {
            rt.writeErr(rt.formatException(e.exception))
        } else {
            rt.writeErr("\(error)\n")
        }
    }

    /// Cancels the input that is running (its task: the awaited work gets CancelledError); false
    /// when no input is awaiting.
    @discardableResult
    package func interrupt() -> Bool {
        guard let task = statement, !task.isDone else { return false }
        interrupted = true
        _ = rt.cancelTask(task, message: .none)
        driver?.kick()
        return true
    }

    /// The tasks not yet done.
    package var pendingTaskCount: Int { loop.pendingTasks.filter { !$0.isDone }.count }

    /// Ends the session: cancels the pending tasks, lets them finish (they may catch the
    /// cancellation and print), then stops the loop, which makes `run` return. `announce` gets the
    /// number of tasks first.
    package func shutdown(announce: (Int) -> Void) {
        guard let driver else { return }
        announce(pendingTaskCount)
        let rest: FutureObj?
        do {
            rest = try rt.cancelRemainingTasks()
        } catch {
            reportEscaped(error)
            rest = nil
        }
        guard let rest else { return driver.stop() }
        driver.run(until: rest) { [unowned self] error in
            if let error { reportEscaped(error) }
            driver.stop()
        }
    }

    // MARK: What the prompt shows

    /// Python's keywords, for completion.
    static let keywords = ["False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
                           "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
                           "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
                           "return", "try", "while", "with", "yield"]

    /// Completions of the word `text` (a name, or a dotted name whose last part is incomplete):
    /// keywords, globals and builtins, or the attributes of the live object the dotted part names.
    /// Callables end with `(`, as Python's rlcompleter gives them. Names starting with `_` only
    /// when the part typed starts with `_`.
    package func completions(for text: String) -> [String] {
        func visible(_ name: String, _ prefix: String) -> Bool {
            name.hasPrefix(prefix) && (prefix.hasPrefix("_") || !name.hasPrefix("_"))
        }
        func decorate(_ name: String, _ value: Value?) -> String {
            if let value, rt.isCallable(value) { return name + "(" }
            return name
        }
        guard let dot = text.lastIndex(of: ".") else {
            var seen = Set<String>()
            var out: [String] = []
            for k in Self.keywords where k.hasPrefix(text) && seen.insert(k).inserted { out.append(k) }
            for (name, value) in module.boundNames + rt.builtins.boundNames
            where visible(name, text) && seen.insert(name).inserted {
                out.append(decorate(name, value))
            }
            return out.sorted()
        }
        let base = String(text[..<dot])
        let prefix = String(text[text.index(after: dot)...])
        let parts = base.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, parts.allSatisfy(Self.isIdentifier),
              var object = module.get(first) ?? rt.builtins.get(first) else { return [] }
        for part in parts.dropFirst() {
            // Reading an attribute may run a property: any failure means no completions.
            guard let next = try? rt.findAttribute(object, part) else { return [] }
            object = next
        }
        var out: [String] = []
        for name in Set(attributeNames(object)) where visible(name, prefix) {
            let value = try? rt.findAttribute(object, name)
            out.append(base + "." + decorate(name, value ?? nil))
        }
        return out.sorted()
    }

    private static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || first.properties.isXIDStart else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isXIDContinue }
    }

    /// The names `dir()` would list: a module's globals (and the names its library parts define),
    /// an instance's attributes, and the attributes of its class and the classes above.
    private func attributeNames(_ v: Value) -> [String] {
        var names: [String] = []
        var type: TypeObject? = rt.typeOf(v)
        if case .object(let u) = v {
            let o = u.takeUnretainedValue()
            switch o.kind {
            case .module:
                let m = unsafeDowncast(o, to: ModuleObj.self)
                names += m.boundNames.map(\.0)
                for part in LibraryPart.byModule[m.name] ?? [] { names += part.names }
                return names
            case .type:
                type = unsafeDowncast(o, to: TypeObject.self)
            case .instance:
                for (name, value) in unsafeDowncast(o, to: InstanceObj.self).attributes.pairs where !value.isNull { names.append(name) }
            default:
                break
            }
        }
        while let t = type {
            names += t.dict.keys
            type = t.base
        }
        return names
    }

    /// `:tasks`: each pending task with its state and where it is suspended: the frames of its
    /// await chain (file, line, function), innermost last, and what it waits on.
    package func taskListing() -> String {
        let tasks = loop.pendingTasks.filter { !$0.isDone && $0 !== statement }
        if tasks.isEmpty { return "no pending tasks\n" }
        var out = ""
        let now = loop.time()
        for task in tasks {
            let name = rt.taskName(task).asStr?.value ?? "?"
            var state = "pending"
            if loop.currentTask === task { state = "running" } else if task.cancelRequests > 0 { state = "cancelling" }
            out += "\(name) (\(state))"
            if task.sleepSeq != 0, let when = loop.deadline(of: task) {
                out += ": sleeping, \(Self.seconds(when - now)) left"
            } else if let w = task.waiter {
                if let when = loop.deadline(of: w) {
                    out += ": sleeping, \(Self.seconds(when - now)) left"
                } else if let io = rt.ioDescriptions[ObjectIdentifier(w)] {
                    // Work of an extension in flight: it said what it is.
                    out += ": waiting on \(io)"
                } else if let part = libraryFrame(task) {
                    // A queue, lock, event, ... of the library: the method it waits in says which.
                    out += ": waiting in asyncio.\(part)"
                } else {
                    out += ": waiting on a \(w.type.name)"
                }
            } else if loop.currentTask !== task {
                out += ": ready"
            }
            out += "\n"
            if let g = task.coro.asObject(.generator, GeneratorObj.self) {
                for i in 0..<g.fiber.frameCount {
                    let frame = g.fiber.frames[i]
                    let code = frame.code.takeUnretainedValue().code
                    let line = code.location(at: max(0, frame.ip - 1)).line
                    out += "    File \"\(code.filename)\", line \(line), in \(code.qualifiedName)\n"
                }
            }
        }
        return out
    }

    /// The innermost frame of a task's await chain that runs a library part (`Queue.get`).
    private func libraryFrame(_ task: TaskObj) -> String? {
        guard let g = task.coro.asObject(.generator, GeneratorObj.self) else { return nil }
        var i = g.fiber.frameCount
        while i > 0 {
            i -= 1
            let code = g.fiber.frames[i].code.takeUnretainedValue().code
            if code.filename.hasPrefix("asyncio/") { return code.qualifiedName }
        }
        return nil
    }

    private static func seconds(_ d: Double) -> String {
        let tenths = d.isFinite && d > 0 ? Int((min(d, 1e9) * 100).rounded()) : 0
        let frac = tenths % 100
        return "\(tenths / 100).\(frac < 10 ? "0" : "")\(frac) s"
    }
}
