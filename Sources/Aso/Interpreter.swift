// The public embedding API: an `Interpreter` runs Aso source with a `Configuration`.
//
// One idea: this module is the only one that sees both the compiler and the runtime, so it is
// where source text becomes running code — for the command line, for `import` of `.aso` files,
// and for applications that embed the language. Everything it exposes is small and documented.

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
    /// The main script's folder, searched first by `import`.
    private var mainFolder = "."
    /// Library parts loaded on first use so far (see `lazyLibraryModule`).
    private var loadedLibraryParts: Set<String> = []

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        var options = RuntimeOptions()
        options.argv = configuration.arguments
        options.environment = configuration.environment
        options.recursionLimit = configuration.recursionLimit
        options.memoryLimit = configuration.memoryLimit
        options.gcStress = configuration.gcStress
        options.virtualTime = configuration.virtualTime
        runtime = Runtime(options: options, writeOut: configuration.standardOutput, writeErr: configuration.standardError)
        runtime.importHook = { [unowned self] name in try self.findModule(name) }
        runtime.lazyLibraryHook = { [unowned self] module, name in self.lazyLibraryModule(module, name) }
    }

    /// Compiles source text; throws `AsoSyntaxError`.
    public func compile(source: [UInt8], filename: String) throws -> CompiledCode {
        // Parsing and compiling recurse as deep as the program nests (bounded): give them room.
        let result: Result<CompiledCode, Error> = withLargeStack {
            Result {
                let module = try parseModule(source, filename: filename)
                let text = String(decoding: source, as: UTF8.self)
                return CompiledCode(code: try compileModule(module, filename: filename, source: text), source: text)
            }
        }
        do {
            return try result.get()
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
            if let slash = filename.lastIndex(of: "/") { mainFolder = String(filename[..<slash]) }
            return runtime.executeMain(compiled.code, file: filename, source: compiled.source)
        }
    }

    /// Runs a program given as a string.
    public func run(source: String, filename: String = "<string>") -> Int32 {
        run(source: Array(source.utf8), filename: filename)
    }

    /// Finds `name.aso` beside the main script, then in `modulePath`.
    /// A part of a native module's script code (Sources/Aso/Library): compiled and run into the
    /// module when one of the names it defines is first looked up, after the parts it needs.
    private struct LibraryPart {
        let file: String, source: String, names: Set<String>, needs: [String]
    }
    private static let asyncioParts = [
        LibraryPart(file: asyncioLibraryFile, source: asyncioLibrarySource, names: asyncioCombinatorNames, needs: []),
        LibraryPart(file: asyncioLocksFile, source: asyncioLocksSource, names: asyncioLocksNames, needs: []),
        LibraryPart(file: asyncioConditionsFile, source: asyncioConditionsSource, names: asyncioConditionsNames,
                    needs: [asyncioLocksFile]),
        LibraryPart(file: asyncioQueuesFile, source: asyncioQueuesSource, names: asyncioQueuesNames,
                    needs: [asyncioConditionsFile]),
    ]

    /// The parts not yet loaded that `module.name` needs (`*`: all of them), in the order they run;
    /// empty when the name is not one of theirs. (Loading on first use keeps start-up free of
    /// compiling code a program never names.)
    private func lazyLibraryModule(_ module: String, _ name: String) -> [CompiledModule] {
        guard module == "asyncio" else { return [] }
        let parts = Interpreter.asyncioParts
        var wanted: [LibraryPart] = []
        func want(_ part: LibraryPart) {
            guard !loadedLibraryParts.contains(part.file) else { return }
            for file in part.needs { if let p = parts.first(where: { $0.file == file }) { want(p) } }
            loadedLibraryParts.insert(part.file)
            wanted.append(part)
        }
        for part in parts where name == "*" || part.names.contains(name) { want(part) }
        return compileLibrary(wanted.map { ($0.file, $0.source) })
    }

    private func compileLibrary(_ parts: [(file: String, source: String)]) -> [CompiledModule] {
        parts.compactMap { file, source in
            (try? compile(source: Array(source.utf8), filename: file)).map { CompiledModule(code: $0.code, file: file, source: $0.source) }
        }
    }

    private func findModule(_ name: String) throws -> CompiledModule? {
        let relative = name.split(separator: ".").joined(separator: "/") + ".aso"
        for folder in [mainFolder] + configuration.modulePath {
            let path = folder == "." ? relative : folder + "/" + relative
            guard let bytes = readFileBytes(path) else { continue }
            do {
                let c = try compile(source: bytes, filename: path)
                return CompiledModule(code: c.code, file: path, source: c.source)
            } catch let e as AsoSyntaxError {
                let line = c_sourceLine(bytes, e.line)
                throw ImportSyntaxError(kind: e.kind, message: e.message, file: path, line: e.line, column: e.column, text: line)
            }
        }
        return nil
    }

    private func c_sourceLine(_ bytes: [UInt8], _ line: Int) -> String {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        return line >= 1 && line <= lines.count ? String(lines[line - 1]) : ""
    }
}

/// Compiled source, ready to run or disassemble.
public struct CompiledCode {
    let code: CodeObject
    let source: String
    /// A readable listing of the bytecode (like CPython's `dis`).
    public var disassembly: String { code.disassembly() }
}
