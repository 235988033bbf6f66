// What an embedding host needs of the runtime: values copied in and out, handles that keep an
// object alive, functions written by the host (synchronous and Swift `async`), and the data of an
// uncaught exception.
//
// One idea: the host never sees a `Value`. Values cross as `HostValue`, a plain Swift enum the host
// may keep on any thread; an object with no such copy (an instance, a function, a coroutine)
// crosses as a handle, an entry of the runtime's handle table, which is a root until the host lets
// it go. An async host function returns a pending future to the script; the Swift task that runs
// the function hands its result back to the interpreter's thread through the running loop's
// `HostLoopToken`, and the future completes through the ready queue like any other.

import AsoBytecode
import BigInt
import Dispatch
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutual-exclusion lock (pthread), for the few things other threads touch.
package final class HostLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    package init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }
    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }
    package func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// A script value copied out of (or into) an interpreter.
package indirect enum HostValue: @unchecked Sendable {
    case none
    case bool(Bool)
    case int(Int)
    /// An int beyond 64 bits, as decimal digits with an optional leading `-`.
    case bigInt(String)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case list([HostValue])
    case tuple([HostValue])
    case dict([(key: HostValue, value: HostValue)])
    case handle(HostObjectRef)
}

/// One entry of an interpreter's handle table: the object stays alive until `release` (or until
/// this reference goes away).
package final class HostObjectRef: @unchecked Sendable {
    package let table: HostHandleTable
    let id: Int
    /// The object's type name (for descriptions), taken when the handle was made.
    package let typeName: String
    init(table: HostHandleTable, id: Int, typeName: String) {
        self.table = table
        self.id = id
        self.typeName = typeName
    }
    /// Lets the object go (the collector may free it once nothing else refers to it).
    package func release() { table.remove(id) }
    package var isReleased: Bool { table.value(id) == nil }
    deinit { table.remove(id) }
}

/// The objects the host holds handles to: a root of the collector. Handles are made and used on
/// the interpreter's thread, but may be released from any thread.
package final class HostHandleTable: @unchecked Sendable {
    private let lock = HostLock()
    private var entries: [Int: Value] = [:]
    private var nextID = 0
    /// Identifies the interpreter (a handle of another interpreter is refused).
    package let owner = HostLock()

    func add(_ v: Value) -> Int {
        lock.withLock {
            nextID += 1
            entries[nextID] = v
            return nextID
        }
    }
    func remove(_ id: Int) { lock.withLock { _ = entries.removeValue(forKey: id) } }
    func value(_ id: Int) -> Value? { lock.withLock { entries[id] } }
    package var count: Int { lock.withLock { entries.count } }
    func trace(_ t: inout Tracer) {
        lock.withLock {
            for v in entries.values { t.mark(v) }
        }
    }
}

/// The running loop as other threads may reach it: `post` hands work to the loop's thread while
/// the loop runs, and does nothing once it has ended.
package final class HostLoopToken: @unchecked Sendable {
    private let lock = HostLock()
    private var nio: NIOCore.EventLoop?
    init(_ nio: NIOCore.EventLoop) { self.nio = nio }
    /// Runs `work` on the loop's thread soon; false when the loop has ended.
    @discardableResult
    package func post(_ work: @escaping () -> Void) -> Bool {
        let box = UncheckedBox(work)
        return lock.withLock {
            guard let nio else { return false }
            nio.execute { box.value() }
            return true
        }
    }
    func close() { lock.withLock { nio = nil } }
}

private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// A parameter of a host function: its name and, when it may be left out, its default.
package struct HostParameter: Sendable {
    package var name: String
    package var defaultValue: HostValue?
    package init(name: String, defaultValue: HostValue?) {
        self.name = name
        self.defaultValue = defaultValue
    }
}

/// One frame of a traceback, outermost first.
package struct HostFrame: Sendable {
    package var file: String
    package var line: Int
    package var function: String
}

/// An exception that reached the host.
package struct HostException: Error, @unchecked Sendable {
    /// The exception's class name (`ValueError`, `MyError`).
    package var typeName: String
    /// `str(e)`.
    package var message: String
    /// The frames it passed through, outermost first.
    package var frames: [HostFrame]
    /// The report CPython prints.
    package var text: String
    /// Raised by a limit (memory, recursion, output, tasks) rather than by the script.
    package var isLimit: Bool
    /// `SystemExit`'s exit status, when the script called `sys.exit`.
    package var exitStatus: Int32?
    /// The exception is `CancelledError`.
    package var isCancelled: Bool
}

/// What the deadline's timer touches, from another thread.
private struct HostWake: @unchecked Sendable {
    let host: HostState
    let signals: SignalLine
}

/// What the host registers with a runtime and the runtime's state for it.
final class HostState {
    let handles = HostHandleTable()
    /// Futures of async host functions still running (roots until their result is in).
    var pending: [ObjectIdentifier: FutureObj] = [:]
    /// The running loop, for async host functions (set while a loop runs; read by other threads
    /// to cancel the main task).
    var token: HostLoopToken? {
        get { lock.withLock { _token } }
        set { lock.withLock { _token = newValue } }
    }
    private var _token: HostLoopToken?
    private let lock = HostLock()
    var driver: LoopDriver?
    /// Why the host wants the running call stopped (set from any thread): `Interruption`.
    let interruption = Atomic<Int>(0)
    var cancelRequested: Bool { interruption.load(ordering: .relaxed) == Interruption.cancel.rawValue }
    /// `attend` looks at the host's requests (while a host call runs).
    var watching = false
    /// Steps (backward jumps, calls, loop turns) left of the instruction budget, when there is one.
    var budgetLeft = 0
    var budgetActive = false
    /// The timer of the running call's deadline.
    var deadlineTimer: DispatchWorkItem?
    /// Turns a Swift error thrown by a host function into an exception class name and message.
    var describeError: (Error) -> (type: String, message: String) = { ("RuntimeError", "\($0)") }
    /// Exceptions a limit raised (the host reports them as limits).
    var limitExceptions: Set<ObjectIdentifier> = []
    /// Bytes written to standard output and error so far, against `options.outputLimit`.
    var outputWritten = 0
}

/// Why the host interrupts a call.
enum Interruption: Int {
    case none = 0
    case cancel = 1
    case deadline = 2
}

extension Runtime {
    // MARK: Values in and out

    /// A copy of `v` for the host: containers are copied item by item, other objects become handles
    /// (so does a container that contains itself).
    func hostValue(_ v: Value) -> HostValue {
        var visiting = Set<ObjectIdentifier>()
        return hostValue(v, &visiting)
    }

    private func hostValue(_ v: Value, _ visiting: inout Set<ObjectIdentifier>) -> HostValue {
        switch v {
        case .none, .null: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .object(let u):
            let o = u.takeUnretainedValue()
            switch o.kind {
            case .str: return .string(unsafeDowncast(o, to: StrObj.self).value)
            case .bigint: return .bigInt(unsafeDowncast(o, to: BigIntObj.self).value.description)
            case .bytes: return .bytes(unsafeDowncast(o, to: BytesObj.self).bytes)
            case .list, .tuple, .dict:
                let id = ObjectIdentifier(o)
                guard visiting.insert(id).inserted, visiting.count < 1000 else { return makeHandle(v) }
                defer { visiting.remove(id) }
                if let l = v.asList { return .list(l.items.array.map { hostValue($0, &visiting) }) }
                if let t = v.asTuple { return .tuple(t.items.map { hostValue($0, &visiting) }) }
                if let d = v.asDict {
                    return .dict(d.entries.map { (key: hostValue($0.key, &visiting), value: hostValue($0.value, &visiting)) })
                }
                return makeHandle(v)
            default:
                return makeHandle(v)
            }
        }
    }

    /// A handle to any value (a root until released).
    func makeHandle(_ v: Value) -> HostValue {
        let id = host.handles.add(v)
        return .handle(HostObjectRef(table: host.handles, id: id, typeName: typeName(v)))
    }

    /// The script value for a host value; throws TypeError for a released handle or one of another
    /// interpreter, and for an unhashable dict key.
    func scriptValue(_ h: HostValue) throws -> Value {
        switch h {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .bigInt(let s):
            guard let b = BigInt(s) else { throw valueError("invalid literal for int() with base 10: '\(s)'") }
            return makeInt(b)
        case .float(let d): return .float(d)
        case .string(let s): return newStr(s)
        case .bytes(let b): return newBytes(b)
        case .list(let items), .tuple(let items):
            // Built in a list that is a root, since a dict key's __hash__ may run script code.
            let list = heap.register(ListObj([], type: types.list))
            tempRoots.append(Value(list))
            defer { tempRoots.removeLast() }
            list.items.reserveCapacity(items.count)
            for item in items { list.items.append(try scriptValue(item)) }
            if case .tuple = h { return newTuple(list.items.buffer) }
            return Value(list)
        case .dict(let pairs):
            let d = newDict()
            tempRoots.append(Value(d))
            defer { tempRoots.removeLast() }
            for (k, v) in pairs {
                let key = try scriptValue(k)
                tempRoots.append(key)
                defer { tempRoots.removeLast() }
                try d.set(key, try scriptValue(v), self)
            }
            return Value(d)
        case .handle(let ref):
            guard ref.table === host.handles else { throw typeError("a handle of another interpreter cannot be used here") }
            guard let v = ref.table.value(ref.id) else { throw typeError("the handle was released") }
            return v
        }
    }


    // MARK: Exceptions for the host

    /// The data of an exception that reached the host.
    func hostException(_ e: ExceptionObj) -> HostException {
        let message = (try? str(Value(e))) ?? ""
        let frames = e.traceback.reversed().map { entry -> HostFrame in
            HostFrame(file: entry.code.filename, line: entry.code.location(at: entry.pc).0, function: entry.code.name)
        }
        var exitStatus: Int32? = nil
        var text = ""
        if e.type.isSubtype(of: exc.systemExit) {
            // The status, as the command line would exit with it (and what it would print).
            let sink = writeErr
            var printed = ""
            writeErr = { printed += $0 }
            exitStatus = reportUncaught(e)
            writeErr = sink
            text = printed
        } else {
            text = formatException(e)
        }
        let isLimit = host.limitExceptions.contains(ObjectIdentifier(e))
            || e.type === exc.memoryError || e.type === exc.recursionError
        return HostException(typeName: e.type.name, message: message, frames: frames, text: text, isLimit: isLimit,
                             exitStatus: exitStatus, isCancelled: e.type.isSubtype(of: exc.cancelledError))
    }

    /// An exception raised because of a limit (`isLimit` at the host).
    func limitError(_ type: TypeObject, _ message: String) -> ScriptError {
        let e = newException(type, message)
        host.limitExceptions.insert(ObjectIdentifier(e))
        return ScriptError(exception: e)
    }

    /// The exception a host function's Swift error becomes: of the class the host names (a
    /// builtin exception class, else RuntimeError), with the error's message.
    func scriptError(forHostError error: Error) -> ScriptError {
        if let e = error as? ScriptError { return e }
        let (name, message) = host.describeError(error)
        var type = exc.runtimeError
        if let t = builtins.get(name)?.asType, t.isException { type = t }
        return ScriptError(exception: newException(type, message))
    }

    // MARK: Running code for the host

    /// The module `name` (made empty if it does not exist yet, with `__builtins__`).
    func hostModule(_ name: String) -> ModuleObj {
        if name == "builtins" { return builtins }
        if let m = modules[name] { return m }
        let m = newModule(name, file: nil)
        m.set("__builtins__", Value(builtins))
        return m
    }

    /// Runs compiled code in a module: code compiled with top-level await that awaits runs as the
    /// main task of an event loop of its own (as `asyncio.run` runs a coroutine).
    package func hostRun(_ code: CodeObject, in moduleName: String, file: String, source: String) throws(HostException) {
        let module = hostModule(moduleName)
        sources[file] = SourceLines(Array(source.utf8))
        do {
            let loaded = load(code, into: module)
            if code.flags.contains(.coroutine) {
                let fn = heap.register(FunctionObj(code: loaded, defaults: [], kwDefaults: [], closure: [], type: types.function))
                tempRoots.append(Value(fn))
                defer { tempRoots.removeLast() }
                let coro = try makeGenerator(fn, [], keywords: [])
                _ = try asyncioRun(coro)
                return
            }
            if case .raised(let e) = runModule(loaded) { throw ScriptError(exception: e) }
        } catch {
            throw hostError(error)
        }
    }

    /// A Swift error of the runtime as the host sees it.
    func hostError(_ error: Error) -> HostException {
        if let e = error as? ScriptError { return hostException(e.exception) }
        return HostException(typeName: "RuntimeError", message: "\(error)", frames: [], text: "RuntimeError: \(error)\n",
                             isLimit: false, exitStatus: nil, isCancelled: false)
    }

    /// A module global, copied out (nil when it is not set).
    package func hostGlobal(_ moduleName: String, _ name: String) -> HostValue? {
        let module = hostModule(moduleName)
        return module.get(name).map { hostValue($0) }
    }

    package func hostSetGlobal(_ moduleName: String, _ name: String, _ value: HostValue) throws(HostException) {
        let module = hostModule(moduleName)
        do {
            module.set(name, try scriptValue(value))
        } catch {
            throw hostError(error)
        }
    }

    /// Calls a callable with host values: a coroutine function's coroutine runs to its end on an
    /// event loop of its own (with `asyncio.run`'s semantics), unless a loop runs already.
    package func hostCall(_ callable: HostValue, _ args: [HostValue], keywords: [(String, HostValue)] = [])
        throws(HostException) -> HostValue {
        let f: Value
        do {
            f = try scriptValue(callable)
        } catch {
            throw hostError(error)
        }
        tempRoots.append(f)
        defer { tempRoots.removeLast() }
        return try hostInvoke(f, args, keywords: keywords)
    }

    /// Calls `f` (rooted by the caller) with host values.
    private func hostInvoke(_ f: Value, _ args: [HostValue], keywords: [(String, HostValue)])
        throws(HostException) -> HostValue {
        do {
            let base = tempRoots.count
            defer { tempRoots.removeSubrange(base...) }
            var positional: [Value] = []
            positional.reserveCapacity(args.count)
            for h in args {
                let v = try scriptValue(h)
                tempRoots.append(v)
                positional.append(v)
            }
            var kw: [(name: String, value: Value)] = []
            if !keywords.isEmpty {
                kw.reserveCapacity(keywords.count)
                for (name, h) in keywords {
                    let v = try scriptValue(h)
                    tempRoots.append(v)
                    kw.append((name: name, value: v))
                }
            }
            var result = try call(f, positional, keywords: kw)
            if isCoroutine(result), loop == nil {
                tempRoots.append(result)
                result = try asyncioRun(result)
            }
            return hostValue(result)
        } catch {
            throw hostError(error)
        }
    }

    /// Calls the global `name` of a module (a dotted name reaches into attributes).
    package func hostCallGlobal(_ moduleName: String, _ name: String, _ args: [HostValue],
                                keywords: [(String, HostValue)] = []) throws(HostException) -> HostValue {
        let module = hostModule(moduleName)
        var f: Value
        if !name.utf8.contains(UInt8(ascii: ".")) {
            guard let g = module.get(name) ?? builtins.get(name) ?? modules[name].map({ Value($0) }) else {
                throw hostError(error(exc.nameError, "name '\(name)' is not defined"))
            }
            f = g
        } else {
            let parts = name.split(separator: ".").map(String.init)
            guard let first = parts.first, let g = module.get(first) ?? builtins.get(first) ?? modules[first].map({ Value($0) }) else {
                throw hostError(error(exc.nameError, "name '\(name)' is not defined"))
            }
            f = g
            do {
                for part in parts.dropFirst() {
                    guard let next = try findAttribute(f, part) else {
                        throw attributeError("'\(typeName(f))' object has no attribute '\(part)'")
                    }
                    f = next
                }
            } catch {
                throw hostError(error)
            }
        }
        tempRoots.append(f)
        defer { tempRoots.removeLast() }
        return try hostInvoke(f, args, keywords: keywords)
    }

    // MARK: Host functions

    /// Binds a call's arguments to the declared parameters (nil: positional arguments only, any
    /// number of them), copied out for the host.
    private func bindHostArguments(_ name: String, _ params: [HostParameter]?, _ args: Args) throws -> [HostValue] {
        guard let params else {
            if let kw = args.keywords.first { throw typeError("\(name)() got an unexpected keyword argument '\(kw.name)'") }
            return (0..<args.count).map { hostValue(args[$0]) }
        }
        if args.count > params.count {
            throw typeError("\(name)() takes \(params.count) positional argument\(params.count == 1 ? "" : "s") but \(args.count) were given")
        }
        var bound: [HostValue?] = (0..<params.count).map { $0 < args.count ? hostValue(args[$0]) : nil }
        for kw in args.keywords {
            guard let i = params.firstIndex(where: { $0.name == kw.name }) else {
                throw typeError("\(name)() got an unexpected keyword argument '\(kw.name)'")
            }
            if bound[i] != nil { throw typeError("\(name)() got multiple values for argument '\(kw.name)'") }
            bound[i] = hostValue(kw.value)
        }
        var missing: [String] = []
        for (i, p) in params.enumerated() where bound[i] == nil {
            if let d = p.defaultValue { bound[i] = d } else { missing.append("'\(p.name)'") }
        }
        if !missing.isEmpty {
            let list = missing.count == 1 ? missing[0]
                : missing.dropLast().joined(separator: ", ") + (missing.count > 2 ? "," : "") + " and " + (missing.last ?? "")
            throw typeError("\(name)() missing \(missing.count) required argument\(missing.count == 1 ? "" : "s"): \(list)")
        }
        return bound.map { $0 ?? .none }
    }

    /// A function written by the host: called with its arguments bound to `params`.
    package func makeHostFunction(_ name: String, params: [HostParameter]?,
                                  _ body: @escaping ([HostValue]) throws -> HostValue) -> HostValue {
        let f = native(name) { rt, args in
            let bound = try rt.bindHostArguments(name, params, args)
            let result: HostValue
            do {
                result = try body(bound)
            } catch {
                throw rt.scriptError(forHostError: error)
            }
            return try rt.scriptValue(result)
        }
        return makeHandle(f)
    }

    /// A Swift `async` function written by the host: calling it gives a future the script awaits;
    /// the function runs as a Swift task, and is cancelled when the future is cancelled.
    package func makeHostAsyncFunction(_ name: String, params: [HostParameter]?,
                                       _ body: @escaping @Sendable ([HostValue]) async throws -> HostValue) -> HostValue {
        let f = native(name) { rt, args in
            let bound = try rt.bindHostArguments(name, params, args)
            guard let token = rt.host.token, let loop = rt.loop else {
                throw rt.runtimeError("\(name)() needs a running event loop: await it in a coroutine")
            }
            let future = rt.newFuture()
            rt.host.pending[ObjectIdentifier(future)] = future
            loop.externalPending += 1
            let work = UncheckedBox((rt, future))
            let task = Task {
                let result: Result<HostValue, Error>
                do {
                    result = .success(try await body(bound))
                } catch {
                    result = .failure(error)
                }
                let outcome = UncheckedBox(result)
                token.post {
                    let (rt, future) = work.value
                    rt.deliverHostResult(future, outcome.value)
                }
            }
            // Cancelling the future (the awaiting task was cancelled) cancels the Swift task.
            let cancel = rt.native("_cancel_host_call") { _, args in
                if args.count == 1, let f = args[0].object as? FutureObj, f.state == .cancelled {
                    task.cancel()
                }
                return .none
            }
            rt.addDoneCallback(future, .call(cancel))
            return Value(future)
        }
        return makeHandle(f)
    }

    /// On the loop's thread: an async host function has finished.
    private func deliverHostResult(_ future: FutureObj, _ result: Result<HostValue, Error>) {
        guard host.pending.removeValue(forKey: ObjectIdentifier(future)) != nil else { return }
        loop?.externalPending -= 1
        if !future.isDone {
            do {
                switch result {
                case .success(let v): try setFutureResult(future, try scriptValue(v))
                case .failure(let error): try setFutureException(future, scriptError(forHostError: error).exception)
                }
            } catch let e as ScriptError {
                try? setFutureException(future, e.exception)
            } catch {}
        }
        host.driver?.kick()
    }

    /// Registers a host value under `name` in a module.
    package func hostDefine(_ moduleName: String, _ name: String, _ value: HostValue) throws(HostException) {
        try hostSetGlobal(moduleName, name, value)
    }

    /// Cancels the running call, from any thread: at the next safepoint, the main task of a
    /// running `asyncio.run` is cancelled (code of that task that runs gets CancelledError where
    /// it is); code outside a loop gets CancelledError; a loop not yet started cancels its main
    /// task at once.
    package func requestHostCancel() {
        host.interruption.store(Interruption.cancel.rawValue, ordering: .sequentiallyConsistent)
        signals.wake()
    }

    /// Starts a call from the host (on the interpreter's thread): forgets earlier requests, sets
    /// the instruction budget (in steps; 0: none) and the wall-clock limit (in seconds; 0: none).
    package func beginHostCall(budget: Int, timeLimit: Double) {
        host.interruption.store(Interruption.none.rawValue, ordering: .sequentiallyConsistent)
        host.watching = true
        host.budgetActive = budget > 0
        host.budgetLeft = budget
        if budget > 0 { heap.requestFlag.pointee = true }
        if timeLimit > 0 {
            let line = HostWake(host: host, signals: signals)
            let timer = DispatchWorkItem {
                line.host.interruption.store(Interruption.deadline.rawValue, ordering: .sequentiallyConsistent)
                line.signals.wake()
            }
            host.deadlineTimer = timer
            DispatchQueue.global().asyncAfter(deadline: .now() + min(timeLimit, 1e9), execute: timer)
        }
    }

    /// Ends a call from the host.
    package func endHostCall() {
        host.deadlineTimer?.cancel()
        host.deadlineTimer = nil
        host.budgetActive = false
        host.watching = false
        host.interruption.store(Interruption.none.rawValue, ordering: .sequentiallyConsistent)
    }

    /// The host's cancellation or deadline, where code waits without a safepoint (`time.sleep`).
    func attendHostInterruption() throws {
        if host.interruption.load(ordering: .sequentiallyConsistent) != Interruption.none.rawValue { try attendHost() }
    }

    /// At a safepoint with the attention flag up, during a host call: the host's cancellation,
    /// deadline and instruction budget.
    @inline(never)
    func attendHost() throws {
        switch Interruption(rawValue: host.interruption.load(ordering: .sequentiallyConsistent)) ?? .none {
        case .none: break
        case .deadline:
            // Raised again at every safepoint until the call ends, so a script cannot go on by
            // catching it.
            heap.requestFlag.pointee = true
            throw limitError(exc.timeoutError, "the script ran past its time limit")
        case .cancel:
            host.interruption.store(Interruption.none.rawValue, ordering: .sequentiallyConsistent)
            if let loop, let main = loop.mainTask, !main.isDone, loop.currentTask !== main {
                _ = cancelTask(main, message: .none)
                host.driver?.kick()
            } else {
                throw ScriptError(exception: newException(exc.cancelledError, nil))
            }
        }
        if host.budgetActive {
            heap.requestFlag.pointee = true
            host.budgetLeft -= 1
            if host.budgetLeft < 0 {
                throw limitError(exc.runtimeError, "the script used up its instruction budget")
            }
        }
    }

    /// Sets the main script's file: its folder is searched by `import` when allowed.
    package func setMainFile(_ file: String, module moduleName: String) {
        let module = hostModule(moduleName)
        if let slash = file.lastIndex(of: "/") { mainFolder = String(file[..<slash]) } else { mainFolder = "." }
        module.set("__file__", newStr(file))
    }

    /// The bytes of a file (nil when it cannot be read).
    package func hostReadFile(_ path: String) -> [UInt8]? { readSourceFile(path) }

    /// Output charged against `options.outputLimit`: false once over it.
    func chargeOutput(_ count: Int) throws {
        guard options.outputLimit > 0 else { return }
        host.outputWritten += count
        if host.outputWritten > options.outputLimit {
            throw limitError(exc.osError, "output limit exceeded (\(options.outputLimit) bytes)")
        }
    }

    /// How a host function's Swift error becomes an exception: its class name and message.
    package func setHostErrorDescriber(_ body: @escaping (Error) -> (type: String, message: String)) {
        host.describeError = body
    }

    /// Handles the host still holds.
    package var hostHandleCount: Int { host.handles.count }
    package var handleTable: HostHandleTable { host.handles }
}

extension Runtime {
    package func hostDeleteGlobal(_ moduleName: String, _ name: String) {
        let module = hostModule(moduleName)
        if module.get(name) != nil { module.set(name, .null) }
    }
    package func hostRemoveModule(_ name: String) { modules[name] = nil }
}
