// Source code the runtime loads: the library parts written in Aso, and `import` of `.aso` files.
//
// One idea: the runtime never links the compiler; it is given one compile function at start
// (`Runtime.init(compile:)`) and every piece of Aso source it runs after the main program goes
// through it: a library part (Library/<module>/*.aso, built in through
// LibraryParts.generated.swift) the first time a program looks up a name the part defines, and a
// user module when `import` names a file beside the main script or in `modulePath`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import AsoBytecode

/// A syntax error the compile function reports: the runtime raises it as `SyntaxError` (or the
/// subclass `kind` names) at the file and line.
package struct CompileError: Error {
    /// `SyntaxError`, `IndentationError` or `TabError`.
    package var kind: String
    package var message: String
    package var line: Int
    package var column: Int
    package init(kind: String, message: String, line: Int, column: Int) {
        self.kind = kind; self.message = message; self.line = line; self.column = column
    }
}

/// Turns a module's source (UTF-8 bytes) into code; `filename` is what tracebacks will name.
package typealias CompileFunction = (_ source: [UInt8], _ filename: String) throws(CompileError) -> CodeObject

/// A part of a native module written in Aso: one `.aso` file of Sources/AsoRuntime/Library,
/// compiled and run into its module when a program first looks up a name it defines (see
/// docs/library.md). The list is generated: `LibraryPart.all` (LibraryParts.generated.swift).
struct LibraryPart: Sendable {
    /// The module it runs into (`asyncio`).
    let module: String
    /// Its file, as tracebacks name it (`asyncio/queues.aso`).
    let file: String
    /// The public names its top level defines: looking one up loads the part.
    let names: Set<String>
    /// The parts (files) of the same module that must run first.
    let needs: [String]
    /// The native names of the module it builds on (`_QueueCore`): checked before it runs.
    let native: [String]
    let source: String

    /// The parts of each module, in file order.
    static let byModule: [String: [LibraryPart]] = Dictionary(grouping: all, by: \.module)
}

extension Runtime {
    /// Runs into `m` the library parts that define `name` (`*`: every part of the module) and
    /// have not run yet, each after the parts it needs. False when there is none to run.
    func loadLibraryPart(_ m: ModuleObj, defining name: String) throws -> Bool {
        guard let parts = LibraryPart.byModule[m.name] else { return false }
        var wanted: [LibraryPart] = []
        func want(_ part: LibraryPart) {
            guard !loadedLibraryParts.contains(part.file) else { return }
            loadedLibraryParts.insert(part.file)
            for file in part.needs { if let p = parts.first(where: { $0.file == file }) { want(p) } }
            wanted.append(part)
        }
        for part in parts where name == "*" || part.names.contains(name) { want(part) }
        guard !wanted.isEmpty else { return false }
        for part in wanted {
            for native in part.native where m.get(native) == nil {
                throw error(exc.importError, "\(part.file) needs \(m.name).\(native), which the runtime does not provide")
            }
            let code = try compileSource(Array(part.source.utf8), file: part.file)
            if case .raised(let e) = runModule(load(code, into: m)) { throw ScriptError(exception: e) }
        }
        return true
    }

    /// `import name` of a `.aso` file: `name.aso` (`a/b.aso` for `a.b`) beside the main script,
    /// then in each folder of `modulePath`, run as a new module; nil when there is no such file.
    func importSourceModule(_ name: String) throws -> ModuleObj? {
        let relative = name.split(separator: ".").joined(separator: "/") + ".aso"
        for folder in (options.importsFromMainFolder ? [mainFolder] : []) + options.modulePath {
            let path = folder == "." ? relative : folder + "/" + relative
            guard let bytes = readSourceFile(path) else { continue }
            let code = try compileSource(bytes, file: path)
            let m = newModule(name, file: path)
            initializingModules.insert(name)
            let outcome = runModule(load(code, into: m))
            initializingModules.remove(name)
            switch outcome {
            case .returned, .yielded, .parked: return m
            case .raised(let e):
                modules[name] = nil
                throw ScriptError(exception: e)
            }
        }
        return nil
    }

    /// Compiles source through the compile function given at start, and keeps its lines for
    /// tracebacks; a syntax error is raised as the script sees it (`SyntaxError` at file and line).
    func compileSource(_ bytes: [UInt8], file: String) throws -> CodeObject {
        guard let compile else { throw error(exc.importError, "cannot compile \(file): the runtime was given no compiler") }
        let lines = SourceLines(bytes)
        do {
            let code = try compile(bytes, file)
            sources[file] = lines
            return code
        } catch {
            let text = lines.line(error.line) ?? ""
            throw ScriptError(exception: syntaxErrorObject(error, file: file, text: text))
        }
    }

    /// A SyntaxError exception object for a compile error, with CPython's attributes.
    func syntaxErrorObject(_ e: CompileError, file: String, text: String) -> ExceptionObj {
        let t = exc.byName[e.kind] ?? exc.syntaxError
        let details = newTuple([newStr(file), .int(e.line), .int(e.column), newStr(text)])
        let x = heap.register(ExceptionObj(type: t, args: newTuple(newStr(e.message), details)))
        x.attributes["msg"] = newStr(e.message)
        x.attributes["filename"] = newStr(file)
        x.attributes["lineno"] = .int(e.line)
        x.attributes["offset"] = .int(e.column)
        x.attributes["text"] = newStr(text)
        return x
    }

    /// The bytes of a file, or nil if it cannot be read (missing, a directory, ...).
    func readSourceFile(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { fread($0.baseAddress, 1, 65536, f) }
            if n > 0 { out.append(contentsOf: buf[0..<n]) }
            if n < 65536 {
                if ferror(f) != 0 { return nil }
                break
            }
        }
        return out
    }
}
