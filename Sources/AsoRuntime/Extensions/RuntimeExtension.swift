// Runtime extensions: native modules and builtins a host plugs in before running (the `aso`
// command plugs in the HTTP client, Sources/AsoHTTP).
//
// One idea: an extension never sees the runtime's objects. Its native functions take and return
// plain Swift values (`ExtensionValue`), a module may carry Aso source that runs into it after the
// natives are set (the Python-facing surface, written like a library part), and work that
// finishes later (I/O) completes an `IOCompletion` on the loop's thread: the runtime turns that
// into a future's result, which wakes the waiting task through the ready queue like any other
// future. While such work is in flight the loop counts it (`EventLoop.pendingIO`): it waits for
// it instead of reporting a deadlock.

import NIOCore

/// A set of native modules and builtins, registered with `Configuration.extensions`.
public struct RuntimeExtension: Sendable {
    /// A name for messages (`http`).
    public let name: String
    package let modules: [ExtensionModule]
    /// Builtins that forward to a module's attribute: `fetch` -> (`aiohttp`, `_fetch`). The module
    /// is imported on the first call.
    package let builtins: [(name: String, module: String, attribute: String)]

    package init(name: String, modules: [ExtensionModule], builtins: [(name: String, module: String, attribute: String)]) {
        self.name = name
        self.modules = modules
        self.builtins = builtins
    }
}

/// A module of an extension: native functions, then Aso source run into the module on import.
package struct ExtensionModule: Sendable {
    package let name: String
    package let functions: [(name: String, function: ExtensionFunction)]
    /// (file name as tracebacks show it, source text), run in order.
    package let sources: [(file: String, text: String)]

    package init(name: String, functions: [(name: String, function: ExtensionFunction)], sources: [(file: String, text: String)]) {
        self.name = name
        self.functions = functions
        self.sources = sources
    }
}

/// A native function of an extension: positional arguments in, a value out; a thrown
/// `ExtensionError` is raised in the script.
package typealias ExtensionFunction = @Sendable (ExtensionContext, [ExtensionValue]) throws -> ExtensionValue

/// The values extension functions exchange with scripts.
package enum ExtensionValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case str(String)
    case bytes([UInt8])
    /// A list (a tuple coming in is a list too).
    case list([ExtensionValue])
    /// A tuple (going out).
    case tuple([ExtensionValue])
    /// A script object passed through unchanged (a future made by `startIO`).
    case object(ExtensionObject)

    package var string: String? { if case .str(let s) = self { return s } else { return nil } }
    package var int: Int? {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }
    package var double: Double? {
        switch self {
        case .float(let d): return d
        case .int(let i): return Double(i)
        default: return nil
        }
    }
    package var items: [ExtensionValue]? {
        switch self {
        case .list(let l), .tuple(let l): return l
        default: return nil
        }
    }
    package var isNone: Bool { if case .none = self { return true } else { return false } }
}

/// An opaque script object (kept alive while the script holds it).
package final class ExtensionObject {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// An exception for the script: a builtin exception type by name and its message.
package struct ExtensionError: Error {
    package var type: String
    package var message: String
    package init(_ type: String, _ message: String) {
        self.type = type
        self.message = message
    }
}

/// Work in flight whose result a script awaits: call `complete` once, on the loop's thread.
package final class IOCompletion {
    private weak var rt: Runtime?
    private var future: FutureObj?
    private weak var loop: EventLoop?

    init(rt: Runtime, future: FutureObj, loop: EventLoop) {
        self.rt = rt
        self.future = future
        self.loop = loop
        loop.pendingIO += 1
    }

    /// Is the work still wanted (not completed, its future not cancelled, its loop still running)?
    package var isWanted: Bool {
        guard let future, let rt, let loop, rt.loop === loop else { return false }
        return !future.isDone
    }

    /// Gives the future its result (unless it was cancelled or its loop is over) and wakes the loop.
    package func complete(_ value: ExtensionValue) {
        guard let f = future else { return }
        future = nil
        guard let loop else { return }
        loop.pendingIO -= 1
        guard let rt, rt.loop === loop else { return }
        rt.extensionFutures[ObjectIdentifier(f)] = nil
        if rt.describesIO { rt.ioDescriptions[ObjectIdentifier(f)] = nil }
        // (No rooting: neither the conversion nor setting the result reaches a safepoint.)
        if !f.isDone, let v = try? rt.scriptValue(value) { try? rt.setFutureResult(f, v) }
        loop.wakeUp?()
    }
}

/// What an extension function can reach besides its arguments.
package final class ExtensionContext {
    let rt: Runtime
    init(rt: Runtime) { self.rt = rt }

    /// The SwiftNIO loop the interpreter's thread runs now (`asyncio.run`), nil outside one.
    package var eventLoop: NIOCore.EventLoop? { rt.loop?.nio }
    /// Hosts the script may reach over the network: nil for any, empty for none (the host's
    /// `Configuration.network`).
    package var networkAllowList: [String]? { rt.options.networkAllowList }
    /// The host's limit on an HTTP response body (`Configuration.maxResponseBodySize`), if it set one.
    package var maxResponseBodySize: Int? { rt.options.maxResponseBodySize }
    /// `os.environ` as the runtime was given it.
    package var environment: [String: String] { rt.options.environment }
    /// State an extension keeps per interpreter, by key.
    package func state(_ key: String) -> AnyObject? { rt.extensionState[key] }
    package func setState(_ key: String, _ value: AnyObject?) { rt.extensionState[key] = value }

    /// A future for the script to await and the completion that will give it its result.
    /// `description` says what the work is, for the prompt's `:tasks` ("an HTTP request GET URL").
    package func startIO(_ description: @autoclosure () -> String? = nil) throws -> (future: ExtensionValue, completion: IOCompletion) {
        guard let loop = rt.loop else { throw ExtensionError("RuntimeError", "no running event loop") }
        let f = rt.newFuture()
        // The loop holds the future until its work is done (the script may drop it).
        rt.extensionFutures[ObjectIdentifier(f)] = f
        if rt.describesIO, let text = description() { rt.ioDescriptions[ObjectIdentifier(f)] = text }
        return (.object(ExtensionObject(Value(f))), IOCompletion(rt: rt, future: f, loop: loop))
    }

    /// Calls the script callable `callback` (no arguments) when the running `asyncio.run`'s main
    /// task has ended, before the tasks still pending are cancelled.
    package func atMainTaskEnd(_ callback: ExtensionValue) throws {
        guard let loop = rt.loop else { throw ExtensionError("RuntimeError", "no running event loop") }
        guard case .object(let o) = callback else { throw ExtensionError("TypeError", "a callable is required") }
        loop.mainTaskEndCallbacks.append(o.value)
    }

    /// Runs `body` when the current loop ends, before its SwiftNIO loop shuts down; the loop
    /// shuts down once the future `body` returns is done.
    package func onLoopEnd(_ body: @escaping () -> EventLoopFuture<Void>) {
        rt.loop?.endHooks.append(body)
    }
}

extension Runtime {
    /// Plugs an extension in: its builtins now, its modules on import.
    package func install(_ ext: RuntimeExtension) {
        for m in ext.modules { extensionModules[m.name] = m }
        for b in ext.builtins {
            let (module, attribute) = (b.module, b.attribute)
            builtins.set(b.name, native(b.name) { rt, args in
                let m = try rt.loadModule(module)
                guard let target = m.get(attribute) else {
                    throw rt.error(rt.exc.importError, "cannot import name '\(attribute)' from '\(module)'")
                }
                return try rt.call(target, Array(args.positional), keywords: args.keywords)
            })
        }
    }

    /// Makes an extension's module: its natives, then its sources run into it.
    func loadExtensionModule(_ ext: ExtensionModule) throws -> ModuleObj {
        let m = newModule(ext.name, file: nil)
        let context = ExtensionContext(rt: self)
        for (name, fn) in ext.functions {
            m.set(name, native(name) { rt, args in
                if !args.keywords.isEmpty { throw rt.typeError("\(name)() takes no keyword arguments") }
                let values = try args.positional.map { try rt.extensionValue($0) }
                do {
                    return try rt.scriptValue(try fn(context, values))
                } catch let e as ExtensionError {
                    throw rt.error(rt.exc.byName[e.type] ?? rt.exc.runtimeError, e.message)
                }
            })
        }
        modules[ext.name] = m
        initializingModules.insert(ext.name)
        defer { initializingModules.remove(ext.name) }
        for (file, text) in ext.sources {
            let code = try compileSource(Array(text.utf8), file: file)
            if case .raised(let e) = runModule(load(code, into: m)) {
                modules[ext.name] = nil
                throw ScriptError(exception: e)
            }
        }
        return m
    }

    func extensionValue(_ v: Value) throws -> ExtensionValue {
        switch v {
        case .none, .null: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .object:
            if let s = v.asStr { return .str(s.value) }
            if let b = v.asBytes { return .bytes(b.bytes) }
            if let l = v.asList { return .list(try l.items.array.map { try extensionValue($0) }) }
            if let t = v.asTuple { return .list(try t.items.map { try extensionValue($0) }) }
            return .object(ExtensionObject(v))
        }
    }

    /// The script value of an extension's value. (What it makes needs no rooting: a collection
    /// happens only at a safepoint of the dispatch loop, and nothing here reaches one.)
    func scriptValue(_ v: ExtensionValue) throws -> Value {
        switch v {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .str(let s): return newStr(s)
        case .bytes(let b): return newBytes(b)
        case .list(let items):
            return newList(try scriptValues(items))
        case .tuple(let items):
            return newTuple(try scriptValues(items))
        case .object(let o): return o.value
        }
    }

    private func scriptValues(_ items: [ExtensionValue]) throws -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(items.count)
        for i in items.indices { out.append(try scriptValue(items[i])) }
        return out
    }
}
