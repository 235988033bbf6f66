// Loading compiled code into a module, and imports.
//
// One idea: loading turns the compiler's constants into values once and gives every name the code
// uses a global slot (and a builtins slot), so the dispatch loop never looks a name up by string.

import AsoBytecode
import BigInt

extension Runtime {
    /// Prepares `code` (and its nested code objects) to run in `module`.
    func load(_ code: CodeObject, into module: ModuleObj) -> CodeObj {
        let consts = code.constants.map { constantValue($0, module) }
        let globalSlots = code.names.map { Int32(module.slot(for: $0)) }
        let builtinSlots = code.names.map { Int32(builtins.slot(for: $0)) }
        let names = code.names.map { intern($0) }
        let parameters = code.localNames.prefix(code.argCount + code.keywordOnlyCount).map { intern($0) }
        return heap.register(CodeObj(code: code, module: module, consts: consts, globalSlots: globalSlots,
                                     builtinSlots: builtinSlots, names: names, parameterNames: parameters, type: types.code))
    }

    private func constantValue(_ c: CodeConstant, _ module: ModuleObj) -> Value {
        switch c {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .bigInt(let s): return makeInt(BigInt(s) ?? 0)
        case .float(let d): return .float(d)
        case .str(let s): return intern(s)
        case .bytes(let b): return newBytes(b)
        case .ellipsis: return ellipsis
        case .tuple(let items): return newTuple(items.map { constantValue($0, module) })
        case .code(let code): return Value(load(code, into: module))
        }
    }

    /// Creates (and registers in `modules`) an empty module.
    func newModule(_ name: String, file: String?) -> ModuleObj {
        let m = heap.register(ModuleObj(name: name, type: types.module))
        m.file = file
        m.set("__name__", newStr(name))
        m.set("__file__", file.map { newStr($0) } ?? .none)
        m.set("__doc__", .none)
        modules[name] = m
        return m
    }

    /// `import name` (absolute imports only): a loaded module, a native one, or a `.aso` file
    /// (Library/Runtime+Library.swift).
    func importModule(_ name: String, fromList: Value, level: Value) throws -> Value {
        if let lv = indexValue(level), lv > 0 {
            throw error(exc.importError, "attempted relative import with no known parent package")
        }
        let top = name.split(separator: ".").first.map(String.init) ?? name
        let m = try loadModule(name)
        if name != top, fromList.isNone {
            return Value(try loadModule(top))
        }
        return Value(m)
    }

    func loadModule(_ name: String) throws -> ModuleObj {
        if let m = modules[name] { return m }
        if let make = nativeModules[name] {
            let m = make(self)
            modules[name] = m
            return m
        }
        if LibraryPart.byModule[name] != nil {
            // A module written wholly in Aso (functools, typing, ...): an empty module whose parts
            // run on first use of a name they define (Library/Runtime+Library.swift).
            let m = newModule(name, file: nil)
            if let dot = name.lastIndex(of: ".") {
                let parent = try loadModule(String(name[..<dot]))
                parent.set(String(name[name.index(after: dot)...]), Value(m))
            }
            return m
        }
        if let ext = extensionModules[name] { return try loadExtensionModule(ext) }
        if let m = try makeAsyncioSubmodule(name) { return m }
        if let m = try importSourceModule(name) { return m }
        let missing = newException(exc.moduleNotFoundError, "No module named '\(name)'")
        missing.attributes["name"] = newStr(name)
        throw ScriptError(exception: missing)
    }

    func importFrom(_ module: Value, _ name: String) throws -> Value {
        if let v = try findAttribute(module, name) { return v }
        let modName = module.asModule?.name ?? "?"
        let location = module.asModule?.file ?? "unknown location"
        let partially = initializingModules.contains(modName)
            ? "partially initialized module '\(modName)' (most likely due to a circular import)" : "'\(modName)'"
        let missing = newException(exc.importError, "cannot import name '\(name)' from \(partially) (\(location))")
        missing.attributes["name"] = newStr(modName)
        throw ScriptError(exception: missing)
    }

    func importStar(_ module: Value, into target: ModuleObj) throws {
        guard let m = module.asModule else { return }
        _ = try loadLibraryPart(m, defining: "*")
        for (k, v) in m.boundNames where !k.hasPrefix("_") { target.set(k, v) }
    }
}

extension Runtime {
    /// Runs a program as `__main__`; prints an uncaught exception's traceback to `writeErr` and
    /// returns the process exit status (SystemExit's code, 1 after an error, else 0).
    package func executeMain(_ code: CodeObject, file: String, source: String) -> Int32 {
        if let slash = file.lastIndex(of: "/") { mainFolder = String(file[..<slash]) }
        let m = newModule("__main__", file: file)
        m.set("__builtins__", Value(builtins))
        sources[file] = SourceLines(Array(source.utf8))
        let status: Int32
        switch runModule(load(code, into: m)) {
        case .returned, .yielded, .parked: status = 0
        case .raised(let e): status = reportUncaught(e)
        }
        // At exit every object goes. Tasks still pending are reported as CPython's finalizers
        // report them (taken before the collection below frees the ones that are garbage, and
        // before never-started coroutines are marked finished). Of the coroutines never started,
        // what is garbage now would have gone already in CPython (its warning names the line
        // that made it); what is still alive gets the shutdown warning. (A collection only when
        // there is such a coroutine: a large heap takes a while.)
        let destroyedTasks = pendingTaskReports()
        let neverStarted = hasCoroutinesNeverStarted()
        if neverStarted { collectGarbage() }
        reportNeverAwaited()
        if !destroyedTasks.isEmpty { writeErr(destroyedTasks) }
        if neverStarted {
            noteCoroutinesNeverStarted(atExit: true)
            reportNeverAwaited()
        }
        return status
    }

    func reportUncaught(_ e: ExceptionObj) -> Int32 {
        if e.type.isSubtype(of: exc.systemExit) {
            let args = e.args.tupleArray ?? []
            let code = args.count == 1 ? args[0] : (args.isEmpty ? Value.none : e.args)
            switch code {
            case .none: return 0
            case .int(let i): return Int32(truncatingIfNeeded: i)
            case .bool(let b): return b ? 1 : 0
            default:
                writeErr(((try? str(code)) ?? "") + "\n")
                return 1
            }
        }
        offerSuggestions = true
        let text = formatException(e)
        offerSuggestions = false
        writeErr(text)
        if e.type.isSubtype(of: exc.keyboardInterrupt) { endedByKeyboardInterrupt = true }
        return 1
    }
}
