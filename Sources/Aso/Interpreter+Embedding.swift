// The embedding API: running source, evaluating expressions, calling script functions, globals,
// modules and host functions, each in a blocking and an async form.

import AsoBytecode
import AsoCompiler
import AsoRuntime
import AsoSyntax

/// A parameter of a host function.
public struct AsoParameter: Sendable {
    public var name: String
    /// The value used when the call leaves the parameter out (nil: the call must give it).
    public var defaultValue: AsoValue?
    /// A parameter every call must give (by position or by name).
    public static func required(_ name: String) -> AsoParameter { AsoParameter(name: name, defaultValue: nil) }
    /// A parameter with a default.
    public static func optional(_ name: String, default value: AsoValue) -> AsoParameter {
        AsoParameter(name: name, defaultValue: value)
    }
}

/// A module written by the host, which scripts `import`: functions and values.
///
/// ```swift
/// var app = AsoModule("myapp")
/// app.set("version", "1.2")
/// app.register("greet", parameters: [.required("name"), .optional("punct", default: "!")]) { args in
///     .string("hello, \(args[0].stringValue ?? "")\(args[1].stringValue ?? "")")
/// }
/// app.registerAsync("fetch_user") { args in try await users.load(args[0].intValue ?? 0).asoValue }
/// try interpreter.addModule(app)
/// ```
public struct AsoModule: @unchecked Sendable {
    enum Member {
        case value(AsoValue)
        case function([AsoParameter]?, ([AsoValue]) throws -> AsoValue)
        case asyncFunction([AsoParameter]?, @Sendable ([AsoValue]) async throws -> AsoValue)
    }
    public let name: String
    var members: [(String, Member)] = []
    public init(_ name: String) { self.name = name }
    /// A module attribute.
    public mutating func set(_ name: String, _ value: AsoValue) { members.append((name, .value(value))) }
    /// A synchronous function; see `Interpreter.register`.
    public mutating func register(_ name: String, parameters: [AsoParameter]? = nil,
                                  _ body: @escaping ([AsoValue]) throws -> AsoValue) {
        members.append((name, .function(parameters, body)))
    }
    /// A Swift `async` function; see `Interpreter.registerAsync`.
    public mutating func registerAsync(_ name: String, parameters: [AsoParameter]? = nil,
                                       _ body: @escaping @Sendable ([AsoValue]) async throws -> AsoValue) {
        members.append((name, .asyncFunction(parameters, body)))
    }
}

/// Cancellation of one async call, asked from any thread.
private final class CancelRequest: @unchecked Sendable {
    private let lock = HostLock()
    private var requested = false
    private var action: (() -> Void)?
    func request() {
        let act: (() -> Void)? = lock.withLock {
            requested = true
            return action
        }
        act?()
    }
    /// Sets what a request does; true when one came already.
    func onRequest(_ body: @escaping () -> Void) -> Bool {
        lock.withLock {
            action = body
            return requested
        }
    }
}

extension Interpreter {
    // MARK: The interpreter's thread

    /// Runs `body` on the interpreter's thread and waits for it (at once when called there).
    func perform<T>(_ body: @escaping () throws(AsoError) -> T) -> Result<T, AsoError> {
        if thread.isCurrent { return Result { () throws(AsoError) -> T in try body() } }
        let rt = runtime
        let (budget, limit) = callLimits
        // Through the slot when it is free (no allocation), else through the queue.
        var result: Result<T, AsoError>?
        switch thread.runInSlot({
            rt.beginHostCall(budget: budget, timeLimit: limit)
            result = Result { () throws(AsoError) -> T in try body() }
            rt.endHostCall()
        }) {
        case .ran: return result ?? .failure(.shutDown)
        case .refused: return .failure(.shutDown)
        case .busy: break
        }
        let answer = Answer<Result<T, AsoError>>()
        guard thread.submit({
            rt.beginHostCall(budget: budget, timeLimit: limit)
            let r = Result { () throws(AsoError) -> T in try body() }
            rt.endHostCall()
            answer.set(r)
        }) else { return .failure(.shutDown) }
        return answer.wait() ?? .failure(.shutDown)
    }

    func performing<T>(_ body: @escaping () throws(AsoError) -> T) throws(AsoError) -> T {
        try perform(body).get()
    }

    /// Runs `body` on the interpreter's thread; cancelling the calling task cancels the script's
    /// main task.
    func performAsync<T>(_ body: @escaping () throws(AsoError) -> T) async throws(AsoError) -> T {
        if thread.isCurrent { return try body() }
        let request = CancelRequest()
        let rt = runtime
        let (budget, limit) = callLimits
        let box: Result<UncheckedResult<T>, AsoError> = await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Result<UncheckedResult<T>, AsoError>, Never>) in
                let resume = UncheckedContinuation(c)
                let submitted = thread.submit {
                    rt.beginHostCall(budget: budget, timeLimit: limit)
                    if request.onRequest({ rt.requestHostCancel() }) {
                        rt.endHostCall()
                        return resume.value.resume(returning: .failure(AsoError(kind: .cancelled, message: "cancelled")))
                    }
                    let r = Result { () throws(AsoError) -> T in try body() }
                    _ = request.onRequest({})
                    rt.endHostCall()
                    resume.value.resume(returning: r.map(UncheckedResult.init))
                }
                if !submitted { c.resume(returning: .failure(.shutDown)) }
            }
        } onCancel: {
            request.request()
        }
        return try box.get().value
    }

    /// The instruction budget and time limit of each call.
    private var callLimits: (Int, Double) {
        (max(0, configuration.instructionBudget ?? 0), max(0, configuration.timeLimit ?? 0))
    }

    // MARK: Compiling

    /// Compiles source for the host: top-level `await` is allowed (such code runs as the main
    /// task of an event loop of its own).
    static func compileForHost(_ source: String, name: String) throws(AsoError) -> CodeObject {
        let bytes = Array(source.utf8)
        let result: Result<CodeObject, Error> = withLargeStack {
            Result {
                let module = try parseModule(bytes, filename: name)
                return try compileModule(module, filename: name, source: source, topLevelAwait: true)
            }
        }
        return try hostCode(result, name)
    }

    /// Compiles an expression whose value is stored in `__aso_result__`.
    static func compileExpression(_ source: String) throws(AsoError) -> CodeObject {
        let bytes = Array(source.utf8)
        let name = "<string>"
        let result: Result<CodeObject, Error> = withLargeStack {
            Result {
                var module = try parseModule(bytes, filename: name)
                guard module.body.count == 1, let stmt = module.body.first, case .expr(let e) = stmt.kind else {
                    throw SyntaxError(.syntax, "evaluate() takes a single expression",
                                      at: module.body.first?.loc ?? SourceLocation(line: 1, column: 1), sourceLine: "")
                }
                let target = Expr(.name("__aso_result__"), stmt.loc)
                module.body = [Stmt(.assign(targets: [target], value: e), stmt.loc, end: stmt.end)]
                return try compileModule(module, filename: name, source: source, topLevelAwait: true)
            }
        }
        return try hostCode(result, name)
    }

    private static func hostCode(_ result: Result<CodeObject, Error>, _ name: String) throws(AsoError) -> CodeObject {
        switch result {
        case .success(let code): return code
        case .failure(let e as SyntaxError):
            throw AsoError(AsoSyntaxError(kind: AsoSyntaxError.Kind(rawValue: e.kind.rawValue) ?? .syntaxError,
                                          message: e.message, file: name, line: e.location.line,
                                          column: e.location.column, description: e.formatted(file: name)))
        case .failure(let e):
            throw AsoError(kind: .syntax, message: "internal compiler error: \(e)")
        }
    }

    /// The `__main__` module scripts run in (their globals persist from one call to the next).
    var mainModule: String { "__main__" }

    static func describeHostError(_ error: Error) -> (type: String, message: String) {
        switch error {
        case let e as AsoScriptException: return (e.type, e.message)
        case let e as AsoError: return (e.exceptionType ?? "RuntimeError", e.message)
        case is CancellationError: return ("RuntimeError", "the host function was cancelled")
        default: return ("RuntimeError", "\(error)")
        }
    }

    // MARK: Running source

    private func runNow(_ source: String, name: String) throws(AsoError) {
        let code = try Interpreter.compileForHost(source, name: name)
        do {
            try runtime.hostRun(code, in: mainModule, file: name, source: source)
        } catch {
            throw AsoError(error)
        }
    }

    /// Runs statements in the interpreter's `__main__` module; its globals stay for later calls.
    /// Top-level `await` is allowed, and `asyncio.run` works as in a program.
    public func run(source: String, name: String = "<string>") throws(AsoError) {
        try performing { () throws(AsoError) in try self.runNow(source, name: name) }
    }

    /// Runs statements in `__main__` (see the blocking form).
    public func run(source: String, name: String = "<string>") async throws(AsoError) {
        try await performAsync { () throws(AsoError) in try self.runNow(source, name: name) }
    }

    private func runFileNow(_ path: String) throws(AsoError) {
        guard let bytes = runtime.hostReadFile(path) else {
            throw AsoError(kind: .uncaughtException, message: "can't open file '\(path)'")
        }
        runtime.setMainFile(path, module: mainModule)
        try runNow(String(decoding: bytes, as: UTF8.self), name: path)
    }

    /// Runs a file in `__main__` (its folder is searched by `import` when
    /// `Configuration.importsFromScriptFolder` is on).
    public func run(file path: String) throws(AsoError) {
        try performing { () throws(AsoError) in try self.runFileNow(path) }
    }

    public func run(file path: String) async throws(AsoError) {
        try await performAsync { () throws(AsoError) in try self.runFileNow(path) }
    }

    private func evaluateNow(_ expression: String) throws(AsoError) -> AsoValue {
        let code = try Interpreter.compileExpression(expression)
        let module = mainModule
        do {
            try runtime.hostRun(code, in: module, file: "<string>", source: expression)
        } catch {
            throw AsoError(error)
        }
        defer { runtime.hostDeleteGlobal(module, "__aso_result__") }
        return runtime.hostGlobal(module, "__aso_result__").map(AsoValue.init) ?? .none
    }

    /// The value of an expression, in `__main__`'s globals (`await` allowed).
    public func evaluate(_ expression: String) throws(AsoError) -> AsoValue {
        try performing { () throws(AsoError) in try self.evaluateNow(expression) }
    }

    public func evaluate(_ expression: String) async throws(AsoError) -> AsoValue {
        try await performAsync { () throws(AsoError) in try self.evaluateNow(expression) }
    }

    // MARK: Calling

    /// Calls a function of `__main__` (or a builtin; a dotted name such as `"math.sqrt"` reaches
    /// into a module or object). Calling an `async def` runs the coroutine to its end on an event
    /// loop of its own, as `asyncio.run` would, and gives its result.
    public func call(_ function: String, _ args: AsoValue...) throws(AsoError) -> AsoValue {
        try call(function, arguments: args)
    }

    public func call(_ function: String, _ args: AsoValue...) async throws(AsoError) -> AsoValue {
        try await call(function, arguments: args)
    }

    /// `call` with keyword arguments.
    public func call(_ function: String, arguments: [AsoValue], keywords: [(String, AsoValue)] = []) throws(AsoError) -> AsoValue {
        let args = arguments.map(\.host), kw = keywords.map { ($0.0, $0.1.host) }
        return try performing { () throws(AsoError) -> AsoValue in
            do {
                return AsoValue(try self.runtime.hostCallGlobal(self.mainModule, function, args, keywords: kw))
            } catch {
                throw AsoError(error)
            }
        }
    }

    public func call(_ function: String, arguments: [AsoValue], keywords: [(String, AsoValue)] = []) async throws(AsoError) -> AsoValue {
        let args = arguments.map(\.host), kw = keywords.map { ($0.0, $0.1.host) }
        return try await performAsync { () throws(AsoError) -> AsoValue in
            do {
                return AsoValue(try self.runtime.hostCallGlobal(self.mainModule, function, args, keywords: kw))
            } catch {
                throw AsoError(error)
            }
        }
    }

    /// Calls a callable the host holds a handle to (a function or a bound method the script gave).
    public func call(_ callable: AsoHandle, _ args: AsoValue...) throws(AsoError) -> AsoValue {
        let args = args.map(\.host), f = HostValue.handle(callable.ref)
        return try performing { () throws(AsoError) -> AsoValue in
            do {
                return AsoValue(try self.runtime.hostCall(f, args))
            } catch {
                throw AsoError(error)
            }
        }
    }

    public func call(_ callable: AsoHandle, _ args: AsoValue...) async throws(AsoError) -> AsoValue {
        let args = args.map(\.host), f = HostValue.handle(callable.ref)
        return try await performAsync { () throws(AsoError) -> AsoValue in
            do {
                return AsoValue(try self.runtime.hostCall(f, args))
            } catch {
                throw AsoError(error)
            }
        }
    }

    // MARK: Globals and modules

    /// A global of `__main__` (nil when it is not set).
    public func global(_ name: String) throws(AsoError) -> AsoValue? {
        try performing { self.runtime.hostGlobal(self.mainModule, name).map(AsoValue.init) }
    }

    public func global(_ name: String) async throws(AsoError) -> AsoValue? {
        try await performAsync { self.runtime.hostGlobal(self.mainModule, name).map(AsoValue.init) }
    }

    /// Sets a global of `__main__`.
    public func setGlobal(_ name: String, _ value: AsoValue) throws(AsoError) {
        let v = value.host
        try performing { () throws(AsoError) in
            do { try self.runtime.hostSetGlobal(self.mainModule, name, v) } catch { throw AsoError(error) }
        }
    }

    public func setGlobal(_ name: String, _ value: AsoValue) async throws(AsoError) {
        let v = value.host
        try await performAsync { () throws(AsoError) in
            do { try self.runtime.hostSetGlobal(self.mainModule, name, v) } catch { throw AsoError(error) }
        }
    }

    /// Makes a module from source, which scripts can then `import name` (its errors are thrown).
    public func addModule(name: String, source: String) throws(AsoError) {
        try performing { () throws(AsoError) in
            let code = try Interpreter.compileForHost(source, name: name + ".aso")
            do {
                try self.runtime.hostRun(code, in: name, file: name + ".aso", source: source)
            } catch {
                self.runtime.hostRemoveModule(name)
                throw AsoError(error)
            }
        }
    }

    /// Adds a module written by the host (scripts `import` it).
    public func addModule(_ module: AsoModule) throws(AsoError) {
        try performing { () throws(AsoError) in
            let m = module.name
            for (name, member) in module.members {
                do { try self.runtime.hostDefine(m, name, self.hostValue(name, member)) } catch { throw AsoError(error) }
            }
        }
    }

    private func hostValue(_ name: String, _ member: AsoModule.Member) -> HostValue {
        switch member {
        case .value(let v): return v.host
        case .function(let params, let body):
            return runtime.makeHostFunction(name, params: params.map(Interpreter.hostParameters)) { args throws in
                try body(args.map(AsoValue.init)).host
            }
        case .asyncFunction(let params, let body):
            return runtime.makeHostAsyncFunction(name, params: params.map(Interpreter.hostParameters)) { args async throws in
                try await body(args.map(AsoValue.init)).host
            }
        }
    }

    private static func hostParameters(_ ps: [AsoParameter]) -> [HostParameter] {
        ps.map { HostParameter(name: $0.name, defaultValue: $0.defaultValue?.host) }
    }

    /// Registers a synchronous Swift function as a builtin every script can call.
    ///
    /// The function gets its arguments bound to `parameters` in order (defaults filled in; a call
    /// with a missing or unknown argument raises `TypeError` as for a script function). Without
    /// `parameters` it takes any number of positional arguments and no keywords. It runs on the
    /// interpreter's thread; a Swift error it throws becomes an exception in the script
    /// (`AsoScriptException` chooses the class, anything else is a `RuntimeError`).
    public func register(_ name: String, parameters: [AsoParameter]? = nil,
                         _ body: @escaping ([AsoValue]) throws -> AsoValue) {
        let member = UncheckedMember(.function(parameters, body))
        _ = perform { () throws(AsoError) in
            do {
                try self.runtime.hostDefine("builtins", name, self.hostValue(name, member.value))
            } catch {
                throw AsoError(error)
            }
        }
    }

    /// Registers a Swift `async` function as a builtin. Calling it in a script gives an awaitable
    /// (`await fetch(url)`, or `asyncio.gather(fetch(a), fetch(b))`): the function runs as a Swift
    /// task, concurrently with the script's other tasks, and its result comes back through the
    /// interpreter's event loop. When the awaiting script task is cancelled, the Swift task is
    /// cancelled too.
    public func registerAsync(_ name: String, parameters: [AsoParameter]? = nil,
                              _ body: @escaping @Sendable ([AsoValue]) async throws -> AsoValue) {
        let member = UncheckedMember(.asyncFunction(parameters, body))
        _ = perform { () throws(AsoError) in
            do {
                try self.runtime.hostDefine("builtins", name, self.hostValue(name, member.value))
            } catch {
                throw AsoError(error)
            }
        }
    }

    /// Handles the host holds that are not yet released (for tests and leak checks).
    public var liveHandleCount: Int { runtime.hostHandleCount }

    // MARK: Shutting down

    /// Ends the interpreter: a running call is cancelled (its main task, if it awaits), the
    /// interpreter's thread ends once the call has returned, and every later call throws
    /// `AsoError` of kind `.shutDown`. Returns when the thread has ended.
    public func shutdown() {
        runtime.requestHostCancel()
        thread.stop(wait: true)
    }

    /// Has `shutdown` been called?
    public var isShutDown: Bool { thread.isStopped }
}

private struct UncheckedMember: @unchecked Sendable {
    let value: AsoModule.Member
    init(_ value: AsoModule.Member) { self.value = value }
}

struct UncheckedResult<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

private struct UncheckedContinuation<T>: @unchecked Sendable {
    let value: CheckedContinuation<T, Never>
    init(_ value: CheckedContinuation<T, Never>) { self.value = value }
}
