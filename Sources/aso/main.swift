// The `aso` command: run, check and disassemble Aso programs, or type them at a prompt.

import Aso
import AsoCrypto
import AsoHTTP
import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

struct AsoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aso",
        abstract: "Run Aso programs: a Python-subset language with async/await.",
        version: asoVersion,
        subcommands: [Run.self, ReplCommand.self, Check.self, Disasm.self])
}

let asoVersion = "aso 0.1.0 (Python 3.11 subset)"

/// Reads a program from a path, or from standard input for `-`.
func readProgram(_ path: String) throws -> [UInt8] {
    if path == "-" { return FileInput.readStandardInput() }
    guard let bytes = FileInput.read(path) else {
        FileOutput.standardError.write("aso: can't open file '\(path)': No such file or directory\n")
        throw ExitCode(2)
    }
    return bytes
}

func environmentVariables() -> [String: String] {
    var env: [String: String] = [:]
    var p = environ
    while let entry = p.pointee {
        let s = String(cString: entry)
        if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
        p += 1
    }
    return env
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a program (`-` reads it from standard input).")

    @Flag(help: "Run the event loop on a virtual clock: sleeps take no real time, output is the same.")
    var virtualTime = false

    @Flag(name: .customShort("i"), help: "Then open the interactive prompt in the program's globals (as python -i does).")
    var interactive = false

    @Flag(name: .customShort("u"), help: "Write standard output unbuffered, as python -u does (also when PYTHONUNBUFFERED is set).")
    var unbuffered = false

    @Argument(help: "The program file, or - for standard input.")
    var file: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments for the program (sys.argv[1:]).")
    var arguments: [String] = []

    func run() throws {
        guard interactive else { return try runProgram(file, arguments, virtualTime: virtualTime, unbuffered: unbuffered) }
        if file == "-" {
            FileOutput.standardError.write("aso: -i needs a program file (standard input is the prompt's)\n")
            throw ExitCode(2)
        }
        let status = runRepl(virtualTime: virtualTime, first: FirstProgram(source: try readProgram(file), file: file, arguments: arguments))
        FileOutput.standardOutput.flush()
        if status != 0 { throw ExitCode(status) }
    }
}

/// The main script's file name as CPython 3.11 gives it (`__file__`, code objects, tracebacks):
/// a relative path joined to the current directory, not otherwise normalised (`./x.py` stays
/// `/cwd/./x.py`). `sys.argv[0]` keeps the path as typed.
func scriptPath(_ file: String) -> String {
    if file.hasPrefix("/") { return file }
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else { return file }
    let folder = String(cString: buffer)
    return folder.hasSuffix("/") ? folder + file : folder + "/" + file
}

/// `aso run [--virtual-time] FILE ARGS...`.
func runProgram(_ file: String, _ arguments: [String], virtualTime: Bool = false, unbuffered: Bool = false) throws {
    let source = try readProgram(file)
    let env = environmentVariables()
    FileOutput.standardOutput.configureBuffering(unbuffered: unbuffered || !(env["PYTHONUNBUFFERED"] ?? "").isEmpty)
    var config = Configuration()
    // The command line grants what a Python script may do: the network, imports from its folder.
    config.network = .unrestricted
    config.importsFromScriptFolder = true
    config.processControl = true
    config.standardInput = { readLine(strippingNewline: true) }
    config.arguments = [file] + arguments
    config.environment = env
    config.gcStress = env["ASO_GC_STRESS"] == "1"
    config.virtualTime = virtualTime || env["ASO_VIRTUAL_TIME"] == "1"
    config.modulePath = (env["ASOPATH"] ?? "").split(separator: ":").map(String.init)
    config.extensions = [AsoHTTP.runtimeExtension, AsoCrypto.runtimeExtension]
    config.standardOutput = { FileOutput.standardOutput.write($0) }
    config.standardError = { FileOutput.standardError.write($0) }
    config.flushStandardOutput = { FileOutput.standardOutput.flush() }
    // Ctrl-C reaches the script as KeyboardInterrupt (and other signals once it handles them).
    let relay = SignalRelay()
    config.relaySignal = { n in relay?.relay(n) }
    config.defaultSignalAction = { n in endBySignal(n) }
    let interpreter = Interpreter(configuration: config)
    relay?.target = interpreter
    relay?.relay(SIGINT)
    releaseReadOnlyFilePages()
    let status = interpreter.runProgram(source: source, filename: file == "-" ? "<stdin>" : scriptPath(file))
    // An uncaught KeyboardInterrupt ends the process by SIGINT, as CPython's does.
    if interpreter.endedByKeyboardInterrupt { endBySignal(SIGINT) }
    // The process ends now: leave the heap to the operating system rather than free every
    // object one by one.
    _ = Unmanaged.passRetained(interpreter)
    FileOutput.standardOutput.flush()
    if status != 0 { throw ExitCode(status) }
}

struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Start the interactive prompt (also `aso` alone on a terminal).",
        discussion: "Top-level await works at the prompt and tasks keep running between inputs. Type :help at the prompt for keys and commands. With standard input not a terminal, statements are read from it without prompts.")

    @Flag(help: "Start with virtual time: while an input runs, sleeps take no real time.")
    var virtualTime = false

    func run() throws {
        let status = runRepl(virtualTime: virtualTime)
        FileOutput.standardOutput.flush()
        if status != 0 { throw ExitCode(status) }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check programs for syntax errors without running them.")

    @Argument(help: "Program files.")
    var files: [String]

    func run() throws {
        let interpreter = Interpreter()
        var failed = false
        for file in files {
            let source = try readProgram(file)
            do {
                _ = try interpreter.compile(source: source, filename: file)
            } catch let e as AsoSyntaxError {
                FileOutput.standardError.write(e.description)
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}

struct Disasm: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a program's bytecode.")

    @Argument(help: "The program file.")
    var file: String

    func run() throws {
        let source = try readProgram(file)
        do {
            let code = try Interpreter().compile(source: source, filename: file)
            FileOutput.standardOutput.write(code.disassembly)
            FileOutput.standardOutput.flush()
        } catch let e as AsoSyntaxError {
            FileOutput.standardError.write(e.description)
            throw ExitCode(1)
        }
    }
}

do {
    // `aso run FILE ARGS...`, the common case, skips the argument parser: it reflects over the
    // command types at start-up, which costs more than starting the interpreter.
    let argv = CommandLine.arguments
    // `aso` alone: the prompt on a terminal; otherwise the program piped in, as `python3` does.
    if argv.count == 1 {
        if isatty(0) != 0 {
            exit(runRepl(virtualTime: false))
        }
        try runProgram("-", [])
        finish(0)
    }
    if argv.count >= 3, argv[1] == "run", argv[2] == "-" || !argv[2].hasPrefix("-") {
        try runProgram(argv[2], Array(argv.dropFirst(3)))
        finish(0)
    }
    var command = try AsoCommand.parseAsRoot()
    try command.run()
} catch let e as ExitCode {
    finish(e.rawValue)
} catch {
    let code = AsoCommand.exitCode(for: error)
    if code == .success {
        FileOutput.standardOutput.write(AsoCommand.fullMessage(for: error) + "\n")
        finish(0)
    }
    FileOutput.standardError.write(AsoCommand.fullMessage(for: error) + "\n")
    finish(2)
}
finish(0)
