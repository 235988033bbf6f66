// The interactive prompt (`aso`, `aso repl`): GNU readline in front of an `InteractiveSession`.
//
// One idea: the main thread owns the terminal and the session's thread owns the interpreter.
// The main thread runs readline's callback interface (rl_callback_handler_install /
// rl_callback_read_char) in a poll loop over standard input and two pipes: one that the SIGINT
// handler writes to, and one that says the session has something for it (an input has finished,
// or output arrived while the prompt is shown). Output from the session is written at once while
// an input runs; while the prompt is shown (a background task printing) it is queued, and the main
// thread clears the line being edited, writes the output and redraws the prompt and the line, so
// nothing is garbled. Every readline call happens on the main thread.

import Aso
import AsoCrypto
import AsoHTTP
@preconcurrency import CReadline

#if canImport(Glibc)
import Glibc
#endif

/// Everything written to the terminal goes through here, from either thread.
final class Console: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// The prompt is shown: output waits in `pending` for the main thread.
    private var atPrompt = false
    private var pending: [(fd: Int32, text: String)] = []
    /// Inputs that have finished, for the main thread.
    private var outcomes: [InteractiveSession.Outcome] = []
    /// The write end of the pipe that wakes the main thread (-1 without one).
    private let wakeFD: Int32

    init(wakeFD: Int32) {
        self.wakeFD = wakeFD
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    private func wake() {
        guard wakeFD >= 0 else { return }
        var byte: UInt8 = 1
        _ = Glibc.write(wakeFD, &byte, 1)
    }

    func write(_ fd: Int32, _ text: String) {
        locked {
            if atPrompt {
                pending.append((fd, text))
                wake()
            } else {
                Console.writeAll(fd, text)
            }
        }
    }

    func finished(_ outcome: InteractiveSession.Outcome) {
        locked {
            outcomes.append(outcome)
            wake()
        }
    }

    /// Says whether the prompt is shown; returns the output queued meanwhile.
    func setAtPrompt(_ on: Bool) -> [(fd: Int32, text: String)] {
        locked {
            atPrompt = on
            let out = pending
            pending = []
            return out
        }
    }

    func takePending() -> [(fd: Int32, text: String)] {
        locked {
            let out = pending
            pending = []
            return out
        }
    }

    func takeOutcomes() -> [InteractiveSession.Outcome] {
        locked {
            let out = outcomes
            outcomes = []
            return out
        }
    }

    static func writeAll(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress.map { $0 + done }, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            done += n
        }
    }
}

/// The text of `:help`.
let replHelp = """
    Type Python (the Aso subset); `await` works at the prompt, and tasks keep running between inputs.
    A line ending in `:` or an open bracket continues with `... `; an empty line ends the block.
    Keys: Tab completes names and attributes, Up/Down and Ctrl-R search the history, Ctrl-C
    cancels the running input (or clears the line), Ctrl-D at an empty prompt exits.
    Commands:
      :help            this text
      :tasks           the pending tasks: state, what each waits on, the frames of its await chain
      :virtual on|off  virtual time: while an input runs, sleeps take no time (`:virtual` tells)
      :quit            exit (as Ctrl-D does)

    """

/// The prompt's state, shared with readline's C callbacks (which capture nothing).
nonisolated(unsafe) var activeRepl: Repl?
nonisolated(unsafe) var interruptWriteFD: Int32 = -1
nonisolated(unsafe) var interruptReadFD: Int32 = -1
nonisolated(unsafe) var completionMatches: [String] = []

final class Repl {
    let session: InteractiveSession
    let console: Console
    /// Lines of the input being typed.
    var lines: [String] = []
    /// An input is running (the prompt is not shown).
    var running = false
    var quitting = false
    var status: Int32 = 0
    /// Ctrl-C presses while the running input did not end.
    var interrupts = 0
    let historyPath: String?
    let historySize: Int32 = 1000

    init(session: InteractiveSession, console: Console, historyPath: String?) {
        self.session = session
        self.console = console
        self.historyPath = historyPath
    }

    var prompt: String { lines.isEmpty ? ">>> " : "... " }

    func showPrompt() {
        let queued = console.setAtPrompt(true)
        for item in queued { Console.writeAll(item.fd, item.text) }
        rl_callback_handler_install(prompt) { line in activeRepl?.accept(line) }
    }

    /// A line from readline (nil: end of input).
    func accept(_ raw: UnsafeMutablePointer<CChar>?) {
        rl_callback_handler_remove()
        _ = console.setAtPrompt(false)
        guard let raw else {
            Console.writeAll(1, "\n")
            if lines.isEmpty {
                quitting = true
            } else {
                // End of input inside a block: run what there is (or report its error).
                let source = lines.joined(separator: "\n")
                lines = []
                submit(source)
            }
            return
        }
        let line = String(decoding: UnsafeRawBufferPointer(start: raw, count: strlen(raw)), as: UTF8.self)
        free(raw)
        if line.contains(where: { $0 != " " && $0 != "\t" }) {
            add_history(line)
            saveHistory()
        }
        if lines.isEmpty, line.hasPrefix(":") {
            command(line)
            if !quitting { showPrompt() }
            return
        }
        lines.append(line)
        let source = lines.joined(separator: "\n")
        switch InteractiveSession.inputState(source) {
        case .empty:
            lines = []
            showPrompt()
        case .incomplete:
            showPrompt()
        case .complete:
            lines = []
            submit(source)
        }
    }

    func submit(_ source: String) {
        running = true
        interrupts = 0
        let console = self.console
        session.execute(source) { outcome in console.finished(outcome) }
    }

    func finished(_ outcome: InteractiveSession.Outcome) {
        running = false
        switch outcome {
        case .finished, .raised: break
        case .interrupted: Console.writeAll(2, "\nKeyboardInterrupt\n")
        case .exit(let code):
            status = code
            quitting = true
            return
        }
        showPrompt()
    }

    func command(_ line: String) {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch words.first ?? "" {
        case ":help": Console.writeAll(1, replHelp)
        case ":tasks": Console.writeAll(1, session.taskListing())
        case ":virtual":
            if words.count > 1 {
                guard words[1] == "on" || words[1] == "off" else {
                    Console.writeAll(2, "usage: :virtual on|off\n")
                    return
                }
                session.setVirtualTime(words[1] == "on")
            }
            Console.writeAll(1, "virtual time is \(session.virtualTime ? "on" : "off")\n")
        case ":quit", ":exit", ":q": quitting = true
        default: Console.writeAll(2, "unknown command \(words.first ?? line) (:help lists the commands)\n")
        }
    }

    /// Ctrl-C: cancels the running input, or drops the line and the block being typed.
    func interrupt() {
        if running {
            interrupts += 1
            session.interrupt()
            if interrupts == 3 {
                Console.writeAll(2, "\n(the input runs code that does not await, which Ctrl-C cannot stop; Ctrl-\\ quits)\n")
            }
            return
        }
        rl_callback_sigcleanup()
        rl_free_line_state()
        rl_callback_handler_remove()
        _ = console.setAtPrompt(false)
        Console.writeAll(1, "\nKeyboardInterrupt\n")
        lines = []
        showPrompt()
    }

    /// Output that arrived while the prompt was shown: written above the prompt, which is redrawn.
    func flushPending() {
        let items = console.takePending()
        guard !items.isEmpty else { return }
        rl_clear_visible_line()
        var last = ""
        for item in items {
            Console.writeAll(item.fd, item.text)
            last = item.text
        }
        if !last.isEmpty && !last.hasSuffix("\n") { Console.writeAll(1, "\n") }
        rl_forced_update_display()
    }

    func loadHistory() {
        using_history()
        stifle_history(historySize)
        guard let historyPath else { return }
        let e = read_history(historyPath)
        if e != 0 && e != ENOENT {
            Console.writeAll(2, "aso: cannot read the history file \(historyPath): \(String(cString: strerror(e)))\n")
        }
    }

    private var historyFailed = false

    func saveHistory() {
        guard let historyPath, !historyFailed else { return }
        let e = write_history(historyPath)
        if e != 0 {
            historyFailed = true
            Console.writeAll(2, "aso: cannot write the history file \(historyPath): \(String(cString: strerror(e)))\n")
        } else {
            _ = history_truncate_file(historyPath, historySize)
        }
    }
}

/// The history file: `ASO_HISTORY`, else `~/.aso_history` (none when neither can be told).
func historyFilePath(_ env: [String: String]) -> String? {
    if let p = env["ASO_HISTORY"], !p.isEmpty { return p }
    if let home = env["HOME"], !home.isEmpty { return home + "/.aso_history" }
    return nil
}

func makePipe() -> (read: Int32, write: Int32)? {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { return nil }
    for fd in fds {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }
    return (fds[0], fds[1])
}

func drain(_ fd: Int32) {
    var buf = [UInt8](repeating: 0, count: 256)
    while buf.withUnsafeMutableBytes({ read(fd, $0.baseAddress, 256) }) > 0 {}
}

/// The configuration of a session whose output goes through `console`.
func sessionConfiguration(_ console: Console, virtualTime: Bool, arguments: [String]) -> Configuration {
    let env = environmentVariables()
    var config = Configuration()
    // The command line grants what a Python script may do: the network, imports from its folder.
    config.network = .unrestricted
    config.importsFromScriptFolder = true
    config.processControl = true
    config.standardInput = { readLine(strippingNewline: true) }
    config.arguments = arguments
    config.environment = env
    config.gcStress = env["ASO_GC_STRESS"] == "1"
    config.virtualTime = virtualTime || env["ASO_VIRTUAL_TIME"] == "1"
    config.modulePath = (env["ASOPATH"] ?? "").split(separator: ":").map(String.init)
    config.extensions = [AsoHTTP.runtimeExtension, AsoCrypto.runtimeExtension]
    config.standardOutput = { console.write(1, $0) }
    config.standardError = { console.write(2, $0) }
    return config
}

/// Says how many tasks the end of the session cancels.
func announceCancelled(_ console: Console) -> @Sendable (Int) -> Void {
    { n in
        if n > 0 { console.write(2, "cancelling \(n) pending task\(n == 1 ? "" : "s")\n") }
    }
}

/// A program to run before the prompt (`aso run -i FILE ARGS...`).
struct FirstProgram {
    var source: [UInt8]
    var file: String
    var arguments: [String]
}

/// `aso repl`: the prompt on a terminal, or the same session reading standard input without
/// prompts or line editing when it is not a terminal. Returns the exit status.
func runRepl(virtualTime: Bool, first: FirstProgram? = nil) -> Int32 {
    if isatty(0) == 0 { return runPipedRepl(virtualTime: virtualTime, first: first) }
    guard let wake = makePipe(), let sigPipe = makePipe() else {
        FileOutput.standardError.write("aso: cannot make a pipe\n")
        return 1
    }
    let console = Console(wakeFD: wake.write)
    let session = InteractiveSession(configuration: sessionConfiguration(console, virtualTime: virtualTime,
                                                                         arguments: first.map { [$0.file] + $0.arguments } ?? [""]))
    let env = environmentVariables()
    let repl = Repl(session: session, console: console, historyPath: historyFilePath(env))
    activeRepl = repl

    // Readline: no signal handlers of its own (Ctrl-C comes through our pipe), no bracketed
    // paste (a pasted block arrives line by line, as typed), completion from the session.
    rl_readline_name = UnsafePointer(strdup("aso"))
    rl_catch_signals = 0
    _ = rl_variable_bind("enable-bracketed-paste", "off")
    rl_completer_word_break_characters = UnsafePointer(strdup(" \t\n`~!@#$%^&*()-=+[{]}\\|;:'\",<>/?"))
    rl_attempted_completion_function = { text, start, _ in
        rl_attempted_completion_over = 1
        rl_completion_append_character = 0
        guard let text, let repl = activeRepl else { return nil }
        let word = String(cString: text)
        // Tab at the start of a line indents, as Python's prompt does.
        if word.isEmpty, let buffer = rl_line_buffer {
            let before = UnsafeRawBufferPointer(start: buffer, count: Int(max(0, start)))
            if before.allSatisfy({ $0 == 32 || $0 == 9 }) {
                rl_insert_text("    ")
                return nil
            }
        }
        completionMatches = repl.session.completions(for: word)
        return rl_completion_matches(text) { _, state in
            let i = Int(state)
            guard i >= 0, i < completionMatches.count else { return nil }
            return strdup(completionMatches[i])
        }
    }
    // Readline reads a key's bytes itself. A signal's byte in the pipe ends the wait for the next
    // one (as a Ctrl-C key, which does nothing), so readline is never left blocked in a read of
    // the terminal whose input the signal's key discarded.
    rl_getc_function = { _ in
        while true {
            var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: interruptReadFD, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 2, -1) < 0 {
                if errno == EINTR { continue }
                return EOF
            }
            if fds[1].revents != 0 { return 3 }
            if fds[0].revents != 0 {
                var byte: UInt8 = 0
                let n = read(0, &byte, 1)
                if n == 1 { return Int32(byte) }
                if n == 0 { return EOF }
                if errno == EINTR || errno == EAGAIN { continue }
                return EOF
            }
        }
    }
    repl.loadHistory()

    // Signals come through a pipe (the byte is the signal's number): Ctrl-C interrupts; Ctrl-\,
    // a hang-up or a termination end the process at once, with the terminal restored.
    interruptWriteFD = sigPipe.write
    interruptReadFD = sigPipe.read
    let handled = [SIGINT, SIGQUIT, SIGTERM, SIGHUP]
    for sig in handled {
        signal(sig) { number in
            var byte = UInt8(truncatingIfNeeded: number)
            _ = write(interruptWriteFD, &byte, 1)
        }
    }
    // The session's threads start with these signals blocked, so they reach the main thread
    // (whose waits they interrupt) and no other.
    var blocked = sigset_t()
    sigemptyset(&blocked)
    for sig in handled { sigaddset(&blocked, sig) }
    pthread_sigmask(SIG_BLOCK, &blocked, nil)
    session.start(program: first?.source, filename: first.map { scriptPath($0.file) } ?? "<string>")
    pthread_sigmask(SIG_UNBLOCK, &blocked, nil)
    repl.showPrompt()
    while !repl.quitting {
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: sigPipe.read, events: Int16(POLLIN), revents: 0)]
        // Typed-ahead input waits in the terminal while an input runs.
        if repl.running { fds[0].fd = -1 }
        let n = poll(&fds, 3, -1)
        if n < 0 {
            if errno == EINTR { continue }
            break
        }
        if fds[2].revents != 0 {
            var signals = [UInt8](repeating: 0, count: 64)
            let got = signals.withUnsafeMutableBytes { read(sigPipe.read, $0.baseAddress, 64) }
            for byte in signals.prefix(max(0, got)) {
                if Int32(byte) == SIGINT {
                    repl.interrupt()
                } else {
                    // Ends now, whatever the session is doing (an input that never awaits).
                    rl_callback_handler_remove()
                    repl.saveHistory()
                    if Int32(byte) == SIGQUIT { Console.writeAll(2, "\nQuit\n") }
                    exit(128 + Int32(byte))
                }
            }
        }
        if fds[1].revents != 0 {
            drain(wake.read)
            for outcome in console.takeOutcomes() where !repl.quitting { repl.finished(outcome) }
            if !repl.running && !repl.quitting { repl.flushPending() }
        }
        if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 && !repl.running && !repl.quitting {
            rl_callback_read_char()
        }
    }
    rl_callback_handler_remove()
    _ = console.setAtPrompt(false)
    repl.saveHistory()
    // Ctrl-C while the tasks wind down does nothing more.
    signal(SIGINT, SIG_IGN)
    session.close(announce: announceCancelled(console))
    activeRepl = nil
    return repl.status
}

/// `aso repl` with standard input not a terminal: the session reads statements from it, with no
/// prompts, as typed (an empty line ends a block).
func runPipedRepl(virtualTime: Bool, first: FirstProgram?) -> Int32 {
    let console = Console(wakeFD: -1)
    let session = InteractiveSession(configuration: sessionConfiguration(console, virtualTime: virtualTime,
                                                                         arguments: first.map { [$0.file] + $0.arguments } ?? [""]))
    session.start(program: first?.source, filename: first.map { scriptPath($0.file) } ?? "<string>")
    var lines: [String] = []
    var status: Int32 = 0
    var pendingBytes: [UInt8] = []
    var eof = false
    var buf = [UInt8](repeating: 0, count: 65536)

    func run(_ source: String) -> Bool {
        if case .exit(let code) = session.execute(source) {
            status = code
            return false
        }
        return true
    }

    reading: while !eof {
        let n = buf.withUnsafeMutableBytes { read(0, $0.baseAddress, 65536) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 {
            eof = true
            if !pendingBytes.isEmpty { pendingBytes.append(10) }
        } else {
            pendingBytes.append(contentsOf: buf[0..<n])
        }
        while let nl = pendingBytes.firstIndex(of: 10) {
            var line = String(decoding: pendingBytes[..<nl], as: UTF8.self)
            if line.hasSuffix("\r") { line.removeLast() }
            pendingBytes.removeSubrange(...nl)
            lines.append(line)
            let source = lines.joined(separator: "\n")
            switch InteractiveSession.inputState(source) {
            case .empty: lines = []
            case .incomplete: break
            case .complete:
                lines = []
                if !run(source) { break reading }
            }
        }
    }
    if !lines.isEmpty && status == 0 { _ = run(lines.joined(separator: "\n")) }
    session.close(announce: announceCancelled(console))
    return status
}
