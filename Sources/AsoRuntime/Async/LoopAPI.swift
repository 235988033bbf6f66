// The event-loop API of library-style asyncio code: `new_event_loop()`, `get_event_loop()`,
// `set_event_loop()`, `loop.run_until_complete()`, `run_forever()`, `stop()`, `close()`, the
// exception handler, debug mode, and the loop methods that work on a loop that is not running.
//
// One idea: a loop object names an `EventLoop` (the runtime's `knownLoops`, by object, until it is
// closed); running one makes it the runtime's `loop` for as long as it runs, exactly as
// `asyncio.run` does, so the scheduler's hot paths never look further than `rt.loop`. What is made
// on a loop that is not running (a task, a `call_soon`) goes to that loop's queues directly.

extension Runtime {
    /// `asyncio.new_event_loop()`.
    func newEventLoop() -> EventLoop {
        let loop = EventLoop(clock: virtualTime ? VirtualClock() : SystemClock())
        let object = heap.register(InstanceObj(type: types.eventLoop))
        loop.object = Value(object)
        knownLoops[ObjectIdentifier(object)] = loop
        return loop
    }

    /// The loop a `loop=` keyword names: nil when none is given; "Event loop is closed" when it
    /// names a closed one.
    func loopArgument(_ args: Args) throws -> EventLoop? {
        guard let l = args.keyword("loop"), !l.isNone else { return nil }
        guard let given = eventLoop(of: l) else { throw runtimeError("Event loop is closed") }
        return given
    }

    /// The loop a loop object names; nil once it is closed.
    func eventLoop(of v: Value) -> EventLoop? {
        guard case .object(let u) = v else { return nil }
        if let l = knownLoops[ObjectIdentifier(u.takeUnretainedValue())] { return l }
        if let running = loop, running.object.isIdentical(to: v) { return running }
        return nil
    }

    /// The loop an operation outside a running loop works on: the loop of the first task given
    /// that is pending on one, else the current loop (`get_event_loop()`).
    func loopOutsideRunning(_ items: [Value]) throws -> EventLoop {
        for v in items {
            guard let task = v.asTask, task.loopSlot >= 0 else { continue }
            let slot = Int(task.loopSlot)
            for l in knownLoops.values where slot < l.tasks.count && l.tasks[slot] === task { return l }
        }
        guard let l = eventLoop(of: try getEventLoop()) else { throw runtimeError("Event loop is closed") }
        return l
    }

    /// `loop.close()`: a running loop cannot be closed; a closed one stays closed.
    func closeLoop(_ l: EventLoop) throws {
        if l === loop { throw runtimeError("Cannot close a running event loop") }
        if l.closed { return }
        l.closed = true
        removeLoopSignalHandlers(of: l)
        if case .object(let u) = l.object { knownLoops[ObjectIdentifier(u.takeUnretainedValue())] = nil }
        // Its pending tasks are no longer the loop's: the collector may find them garbage.
        for task in l.tasks where !task.isDone { orphanedTasks.append(Unmanaged.passUnretained(task)) }
        reportUnretrievedExceptions()
    }

    /// `asyncio.get_event_loop()`: the running loop, else the one set (made the first time, as
    /// 3.11's policy does when `set_event_loop` was never called).
    func getEventLoop() throws -> Value {
        if let loop { return loop.object }
        if let p = policyLoop {
            if p.isNone { throw runtimeError("There is no current event loop in thread 'MainThread'.") }
            return p
        }
        let made = newEventLoop()
        policyLoop = made.object
        return made.object
    }

    /// `loop.run_until_complete(future)`: runs the loop until the future (or the task made for a
    /// coroutine) is done; returns its result.
    func runUntilComplete(_ l: EventLoop, _ what: Value) throws -> Value {
        try checkCanRun(l)
        let target = try ensureFuture(what, on: l)
        tempRoots.append(Value(target))
        defer { tempRoots.removeLast() }
        let outcome = RunOutcomeBox(rootSlot: tempRoots.count)
        tempRoots.append(.none)
        defer { tempRoots.removeLast() }
        runLoop(l) { driver, done in
            driver.run(until: target, oneMoreIteration: true) { error in
                outcome.keep(error, self)
                done()
            }
        }
        if let failure = outcome.error { throw failure }
        if !target.isDone { throw runtimeError("Event loop stopped before Future completed.") }
        return try futureResult(target)
    }

    /// `loop.run_forever()`: runs the loop until `loop.stop()`.
    func runForever(_ l: EventLoop) throws {
        try checkCanRun(l)
        let outcome = RunOutcomeBox(rootSlot: tempRoots.count)
        tempRoots.append(.none)
        defer { tempRoots.removeLast() }
        runLoop(l) { driver, done in
            driver.runForever { error in
                outcome.keep(error, self)
                done()
            }
        }
        if let failure = outcome.error { throw failure }
    }

    private func checkCanRun(_ l: EventLoop) throws {
        if l.closed { throw runtimeError("Event loop is closed") }
        if l === loop { throw runtimeError("This event loop is already running") }
        if loop != nil || isOnNIOLoop() { throw runtimeError("Cannot run the event loop while another loop is running") }
    }

    /// Makes `l` the running loop on a SwiftNIO loop of this thread until `body` calls its `done`.
    private func runLoop(_ l: EventLoop, _ body: @escaping (LoopDriver, @escaping () -> Void) -> Void) {
        loop = l
        defer { loop = nil }
        withNIOLoop(l) { driver in
            body(driver) { driver.stop() }
        }
    }

    /// asyncio.runners' `_cancel_all_tasks(loop)`: the loop's pending tasks are cancelled and run
    /// to their end; a task that ended with an exception other than the cancellation goes to the
    /// loop's exception handler.
    func cancelAllTasks(_ l: EventLoop) throws {
        guard l !== loop else { throw runtimeError("This event loop is already running") }
        if l.tasks.isEmpty { return }
        let pending = l.pendingTasks
        loop = l
        let rest: FutureObj?
        do {
            defer { loop = nil }
            for t in pending { _ = cancelTask(t, message: .none) }
            rest = try gather(pending.map { Value($0) }, returnExceptions: true)
        }
        guard let rest else { return }
        _ = try runUntilComplete(l, Value(rest))
        for t in pending where t.state != .cancelled {
            guard let e = t.exception else { continue }
            t.logTraceback = false
            let context = newDict()
            try context.set(newStr("message"), newStr("unhandled exception during asyncio.run() shutdown"), self)
            try context.set(newStr("exception"), Value(e), self)
            try context.set(newStr("task"), Value(t), self)
            try callExceptionHandler(l, context)
        }
    }

    /// `loop.call_exception_handler(context)`: the handler set, else the default one.
    func callExceptionHandler(_ l: EventLoop, _ context: DictObj) throws {
        if l.exceptionHandler.isNone {
            try defaultExceptionHandler(context)
            return
        }
        do {
            _ = try call(l.exceptionHandler, [l.object, Value(context)])
        } catch let err as ScriptError {
            let e = err.exception
            if e.type.isSubtype(of: exc.systemExit) || e.type.isSubtype(of: exc.keyboardInterrupt) { throw err }
            // As asyncio does: the handler's own failure goes to the default handler's log.
            writeErr("Unhandled error in exception handler\n" + formatException(e))
        }
    }

    /// `loop.default_exception_handler(context)`: the message, the other keys sorted (with their
    /// reprs), then the exception's traceback, on stderr (asyncio's logger with no configuration).
    func defaultExceptionHandler(_ context: DictObj) throws {
        let ctx = Value(context)
        var message = "Unhandled exception in event loop"
        if let m = try context.get(newStr("message"), self), try truthy(m) { message = try str(m) }
        var lines = [message]
        var keys: [String] = []
        for k in context.liveKeys {
            if let s = k.asStr?.value, s != "message", s != "exception" { keys.append(s) }
        }
        for k in keys.sorted() {
            guard let v = try context.get(newStr(k), self) else { continue }
            lines.append("\(k): \(try repr(v))")
        }
        var text = lines.joined(separator: "\n") + "\n"
        if let e = try context.get(newStr("exception"), self), let x = e.asException {
            text += formatException(x)
        }
        _ = ctx
        writeErr(text)
    }

    /// The loop's repr: `<_UnixSelectorEventLoop running=False closed=False debug=False>`.
    func loopRepr(_ v: Value) -> String {
        let l = eventLoop(of: v)
        let running = l != nil && l === loop
        let closed = l?.closed ?? true
        let debug = l?.debug ?? false
        func py(_ b: Bool) -> String { b ? "True" : "False" }
        return "<_UnixSelectorEventLoop running=\(py(running)) closed=\(py(closed)) debug=\(py(debug))>"
    }

    /// The loop functions of the `asyncio` module.
    func installLoopFunctions(_ m: ModuleObj) {
        m.set("new_event_loop", native("new_event_loop") { rt, args in
            try rt.checkCount(args.count, "new_event_loop", min: 0, max: 0)
            return rt.newEventLoop().object
        })
        m.set("get_event_loop", native("get_event_loop") { rt, args in
            try rt.checkCount(args.count, "get_event_loop", min: 0, max: 0)
            return try rt.getEventLoop()
        })
        m.set("set_event_loop", native("set_event_loop") { rt, args in
            try rt.checkCount(args.count, "set_event_loop", min: 1, max: 1)
            let v = args[0]
            guard v.isNone || (v.object?.type === rt.types.eventLoop) else {
                throw rt.typeError("loop must be an instance of AbstractEventLoop or None, not '\(rt.typeName(v))'")
            }
            rt.policyLoop = v
            return .none
        })
        m.set("_get_running_loop", native("_get_running_loop") { rt, _ in rt.loop?.object ?? .none })
        m.set("_cancel_all_tasks", native("_cancel_all_tasks") { rt, args in
            try rt.checkCount(args.count, "_cancel_all_tasks", min: 1, max: 1)
            guard let l = rt.eventLoop(of: args[0]) else { throw rt.runtimeError("Event loop is closed") }
            try rt.cancelAllTasks(l)
            return .none
        })
    }

    /// The methods of loop objects (`loop` is the loop object itself, as `self`).
    func installLoopMethods() {
        let l = types.eventLoop
        func method(_ name: String, closedOK: Bool = false, _ body: @escaping (Runtime, EventLoop, Args) throws -> Value) {
            l.dict[name] = native(name, owner: "BaseEventLoop") { rt, args in
                guard args.count >= 1 else { throw rt.typeError("unbound method BaseEventLoop.\(name)() needs an argument") }
                guard let loop = rt.eventLoop(of: args[0]) else {
                    if closedOK { return .none }
                    throw rt.runtimeError("Event loop is closed")
                }
                return try body(rt, loop, args)
            }
        }
        l.dict["__repr__"] = native("__repr__", owner: "BaseEventLoop") { rt, args in
            guard args.count >= 1 else { throw rt.typeError("__repr__ needs an argument") }
            return rt.newStr(rt.loopRepr(args[0]))
        }
        l.dict["is_closed"] = native("is_closed", owner: "BaseEventLoop") { rt, args in
            guard args.count >= 1 else { throw rt.typeError("is_closed needs an argument") }
            return .bool(rt.eventLoop(of: args[0])?.closed ?? true)
        }
        l.dict["is_running"] = native("is_running", owner: "BaseEventLoop") { rt, args in
            guard args.count >= 1 else { throw rt.typeError("is_running needs an argument") }
            let target = rt.eventLoop(of: args[0])
            return .bool(target != nil && target === rt.loop)
        }
        method("close", closedOK: true) { rt, loop, _ in
            try rt.closeLoop(loop)
            return .none
        }
        method("stop") { _, loop, _ in
            loop.stopping = true
            return .none
        }
        method("time") { _, loop, _ in .float(loop.time()) }
        method("run_until_complete") { rt, loop, args in
            try rt.checkKeywords(args, [], "run_until_complete")
            try rt.checkCount(args.count - 1, "run_until_complete", min: 1, max: 1)
            return try rt.runUntilComplete(loop, args[1])
        }
        method("run_forever") { rt, loop, args in
            try rt.checkCount(args.count - 1, "run_forever", min: 0, max: 0)
            try rt.runForever(loop)
            return .none
        }
        method("get_debug") { _, loop, _ in .bool(loop.debug) }
        method("set_debug") { rt, loop, args in
            try rt.checkCount(args.count - 1, "set_debug", min: 1, max: 1)
            loop.debug = try rt.truthy(args[1])
            return .none
        }
        method("get_exception_handler") { _, loop, _ in loop.exceptionHandler }
        method("set_exception_handler") { rt, loop, args in
            try rt.checkCount(args.count - 1, "set_exception_handler", min: 1, max: 1)
            let h = args[1]
            if !h.isNone && !rt.isCallable(h) {
                throw rt.typeError("A callable object or None is expected, got \(try rt.repr(h))")
            }
            loop.exceptionHandler = h
            return .none
        }
        method("call_exception_handler") { rt, loop, args in
            try rt.checkCount(args.count - 1, "call_exception_handler", min: 1, max: 1)
            guard let d = args[1].asObject(.dict, DictObj.self) else {
                throw rt.typeError("'\(rt.typeName(args[1]))' object is not subscriptable")
            }
            try rt.callExceptionHandler(loop, d)
            return .none
        }
        method("default_exception_handler") { rt, _, args in
            try rt.checkCount(args.count - 1, "default_exception_handler", min: 1, max: 1)
            guard let d = args[1].asObject(.dict, DictObj.self) else {
                throw rt.typeError("'\(rt.typeName(args[1]))' object is not subscriptable")
            }
            try rt.defaultExceptionHandler(d)
            return .none
        }
        // Nothing to finalise: no async generator outlives its loop here.
        method("shutdown_asyncgens") { rt, _, _ in rt.sleepZeroDone ?? .none }
        method("shutdown_default_executor") { rt, _, _ in rt.sleepZeroDone ?? .none }
        method("create_future") { rt, loop, _ in
            let f = rt.newFuture()
            if loop !== rt.loop { f.ownerLoop = loop }
            return Value(f)
        }
        method("create_task") { rt, loop, args in
            try rt.checkKeywords(args, ["name", "context"], "create_task")
            let coro = args.count > 1 ? args[1] : args.keyword("coro")
            guard let coro, args.count <= 2 else {
                try rt.checkCount(args.count - 1, "create_task", min: 1, max: 1)
                return .none
            }
            return Value(try rt.createTask(coro, name: args.keyword("name") ?? .none, context: args.keyword("context") ?? .none, on: loop))
        }
        method("call_soon") { rt, loop, args in
            try rt.checkKeywords(args, ["context"], "call_soon")
            try rt.checkCount(args.count - 1, "call_soon", min: 1, max: Int.max)
            return Value(rt.callSoon(try rt.callbackWork(args[1], Array(args.positional.dropFirst(2)), context: args.keyword("context")), on: loop))
        }
        method("call_later") { rt, loop, args in
            try rt.checkKeywords(args, ["context"], "call_later")
            try rt.checkCount(args.count - 1, "call_later", min: 2, max: Int.max)
            let delay = try rt.seconds(args[1])
            return Value(rt.callLater(delay, try rt.callbackWork(args[2], Array(args.positional.dropFirst(3)), context: args.keyword("context")), on: loop))
        }
        method("call_at") { rt, loop, args in
            try rt.checkKeywords(args, ["context"], "call_at")
            try rt.checkCount(args.count - 1, "call_at", min: 2, max: Int.max)
            let when = try rt.seconds(args[1])
            return Value(rt.callAt(when, try rt.callbackWork(args[2], Array(args.positional.dropFirst(3)), context: args.keyword("context")), on: loop))
        }
    }
}
