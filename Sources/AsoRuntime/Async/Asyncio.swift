// The `asyncio` module: run, sleep, create_task, gather, the running loop, Future and Task.
//
// One idea: these are thin: each checks its arguments with CPython's messages and hands over to
// the scheduling core (Runtime+Scheduling.swift). Awaiting `asyncio.sleep` drives an `AwaitObj`,
// whose step function is the body of the coroutine CPython would have run; a future drives itself.

extension Runtime {
    func makeAsyncioModule() -> ModuleObj {
        let m = newModule("asyncio", file: nil)
        m.set("CancelledError", Value(exc.cancelledError))
        m.set("InvalidStateError", Value(exc.invalidStateError))
        m.set("TimeoutError", Value(exc.timeoutError))
        m.set("Future", Value(types.future))
        m.set("Task", Value(types.task))
        m.set("Handle", Value(types.handle))
        m.set("TimerHandle", Value(types.timerHandle))
        m.set("AbstractEventLoop", Value(types.abstractEventLoop))
        m.set("BaseEventLoop", Value(types.baseEventLoop))
        m.set("SelectorEventLoop", Value(types.eventLoop))
        let fifo = makeFifoType()
        m.set("_Fifo", Value(fifo))
        m.set("_QueueCore", Value(makeQueueCoreType(fifoType: fifo)))
        m.set("_SemaphoreCore", Value(makeSemaphoreCoreType()))
        installFastPathDeclarations(m)
        types.future.construct = { rt, args in
            if rt.loop == nil { _ = try rt.getEventLoop() }
            return Value(rt.newFuture())
        }
        // `Task(coro, *, loop=None, name=None, context=None)`: scheduled on `loop`, else the
        // running loop, else the current one; named at once.
        types.task.construct = { rt, args in
            try rt.checkKeywords(args, ["coro", "loop", "name", "context"], "Task")
            // (The requested class comes first.)
            let positional = Array(args.positional.dropFirst())
            guard let coro = positional.first ?? args.keyword("coro") else {
                throw rt.typeError("Task.__init__() missing required argument 'coro' (pos 1)")
            }
            if positional.count > 1 {
                throw rt.typeError("Task.__init__() takes at most 1 positional argument (\(positional.count) given)")
            }
            let target = try rt.loopArgument(args) ?? rt.loop ?? rt.eventLoop(of: try rt.getEventLoop())
            return Value(try rt.createTask(coro, name: args.keyword("name") ?? .none,
                                           context: args.keyword("context") ?? .none, on: target))
        }

        m.set("run", native("run") { rt, args in
            try rt.checkKeywords(args, ["debug"], "run")
            try rt.checkCount(args.count, "run", min: 1, max: 1)
            let debug = try args.keyword("debug").map { $0.isNone ? false : try rt.truthy($0) } ?? false
            return try rt.asyncioRun(args[0], debug: debug)
        })
        m.set("sleep", native("sleep", fastPath: .asyncioSleep) { rt, args in
            // (Checked only when unusual: `sleep(0)` is the commonest call of all.)
            if !args.keywords.isEmpty { try rt.checkKeywords(args, ["result"], "sleep") }
            if args.count != 1 { try rt.checkCount(args.count, "sleep", min: 1, max: 2) }
            let result = args.count == 2 ? args[1] : (args.keyword("result") ?? .none)
            return Value(try rt.sleepAwaitable(try rt.seconds(args[0]), result: result))
        })
        sleepZeroDone = Value(heap.register(SleepZeroDone(type: types.nativeCoroutine)))
        m.set("create_task", native("create_task") { rt, args in
            if !args.keywords.isEmpty { try rt.checkKeywords(args, ["coro", "name", "context"], "create_task") }
            guard args.count == 1 || (args.count == 0 && args.keyword("coro") != nil) else {
                if args.count == 0 { throw rt.typeError("create_task() missing required argument 'coro' (pos 1)") }
                try rt.checkCount(args.count, "create_task", min: 1, max: 1)
                return .none
            }
            let coro = args.count == 1 ? args[0] : (args.keyword("coro") ?? .none)
            // As 3.11's asyncio.create_task: the task takes a default name (and its number), then
            // the name given. (`loop.create_task(name=)` names it at once.)
            let task = try rt.createTask(coro, context: args.keyword("context") ?? .none)
            if let name = args.keyword("name"), !name.isNone { task.explicitName = rt.newStr(try rt.str(name)) }
            return Value(task)
        })
        m.set("ensure_future", native("ensure_future") { rt, args in
            try rt.checkKeywords(args, ["loop"], "ensure_future")
            try rt.checkCount(args.count, "ensure_future", min: 1, max: 1)
            var on = try rt.loopArgument(args)
            if on == nil, rt.loop == nil, rt.isCoroutine(args[0]) {
                on = rt.eventLoop(of: try rt.getEventLoop())
            }
            return Value(try rt.ensureFuture(args[0], on: on))
        })
        m.set("gather", native("gather") { rt, args in
            try rt.checkKeywords(args, ["return_exceptions"], "gather")
            let re = try args.keyword("return_exceptions").map { try rt.truthy($0) } ?? false
            if rt.loop == nil {
                // Library-style code gathers before running the loop: the children's loop, else the
                // current one (asyncio takes the first future's loop, else get_event_loop()).
                let positional = Array(args.positional)
                let l = try rt.loopOutsideRunning(positional)
                rt.loop = l
                defer { rt.loop = nil }
                return Value(try rt.gather(positional, returnExceptions: re))
            }
            return Value(try rt.gather(args.positional, returnExceptions: re))
        })
        // `get_running_loop().create_future()` in one call, for the library's waiters.
        m.set("_new_future", native("_new_future") { rt, args in
            guard rt.loop != nil else { throw rt.runtimeError("no running event loop") }
            return Value(rt.newFuture())
        })
        m.set("get_running_loop", native("get_running_loop") { rt, args in
            try rt.checkCount(args.count, "get_running_loop", min: 0, max: 0)
            guard let loop = rt.loop else { throw rt.runtimeError("no running event loop") }
            return loop.object
        })
        installLoopFunctions(m)
        m.set("current_task", native("current_task") { rt, _ in
            guard let loop = rt.loop else { throw rt.runtimeError("no running event loop") }
            return loop.currentTask.map { Value($0) } ?? .none
        })
        m.set("all_tasks", native("all_tasks") { rt, _ in
            guard let loop = rt.loop else { throw rt.runtimeError("no running event loop") }
            let s = rt.newSet()
            for t in loop.pendingTasks where !t.isDone { try s.add(Value(t), rt) }
            return Value(s)
        })
        m.set("isfuture", native("isfuture") { rt, args in
            try rt.checkCount(args.count, "isfuture", min: 1, max: 1)
            return .bool(args[0].asFuture != nil)
        })
        m.set("iscoroutine", native("iscoroutine") { rt, args in
            try rt.checkCount(args.count, "iscoroutine", min: 1, max: 1)
            return .bool(rt.isCoroutine(args[0]))
        })
        m.set("iscoroutinefunction", native("iscoroutinefunction") { rt, args in
            try rt.checkCount(args.count, "iscoroutinefunction", min: 1, max: 1)
            var callable = args[0]
            if let bm = callable.asObject(.boundMethod, BoundMethodObj.self) { callable = bm.function }
            guard let f = callable.asFunction else { return .bool(false) }
            return .bool(f.code.code.flags.contains(.coroutine))
        })
        installFutureMethods()
        return m
    }

    /// A delay in seconds (an int or a float).
    func seconds(_ v: Value) throws -> Double {
        switch v {
        case .float(let d): return d
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        default:
            if let d = try floatValue(v) { return d }
            throw typeError("'\(typeName(v))' object cannot be interpreted as an integer")
        }
    }

    /// `asyncio.run(main)`.
    func asyncioRun(_ main: Value, debug: Bool = false) throws -> Value {
        // Another interpreter's loop may be running on this thread (a host callback that runs a
        // second interpreter): a thread can be only one SwiftNIO event loop at a time.
        if loop != nil || isOnNIOLoop() { throw runtimeError("asyncio.run() cannot be called from a running event loop") }
        guard isCoroutine(main) else { throw valueError("a coroutine was expected, got \(try repr(main))") }
        // As 3.11's Runner: a new loop, set as the current one, and closed (with None set) at the end.
        let loop = newEventLoop()
        loop.debug = debug
        policyLoop = loop.object
        self.loop = loop
        defer {
            self.loop = nil
            // (The Runner's shutdown_asyncgens and shutdown_default_executor are tasks too: they
            // take the next two task numbers.)
            tasksCreated += 2
            taskNamesNumbered += 2
            try? closeLoop(loop)
            policyLoop = Value.none
        }
        let task = try createTask(main)
        loop.mainTask = task
        // The host cancelled the call before this loop started (Host/).
        if host.cancelRequested { _ = cancelTask(task, message: .none) }
        tempRoots.append(Value(task))
        defer { tempRoots.removeLast() }
        // With the default Ctrl-C handler, the first Ctrl-C cancels the main task (3.11's Runner).
        let runner = RunnerInterrupt(task: task)
        if case .keyboardInterrupt = signalDisposition(Runtime.sigint), runnerInterrupt == nil { runnerInterrupt = runner }
        defer { if runnerInterrupt === runner { runnerInterrupt = nil } }
        // What escapes the loop stays rooted while the remaining tasks run.
        let outcome = RunOutcomeBox(rootSlot: tempRoots.count)
        tempRoots.append(.none)
        defer { tempRoots.removeLast() }
        withNIOLoop(loop) { (driver: LoopDriver) -> Void in
            // Run the main task; then cancel what is still pending and let it end (asyncio.run's
            // _cancel_all_tasks). An error in the first part wins over one in the second.
            driver.run(until: task, oneMoreIteration: true) { (error: Error?) -> Void in
                // The Runner's handler is gone before the clean-up: a second Ctrl-C interrupts it.
                if self.runnerInterrupt === runner { self.runnerInterrupt = nil }
                var error = error
                if error == nil && !task.isDone {
                    error = self.runtimeError("Event loop stopped before Future completed.")
                }
                if error == nil, runner.count > 0, task.state == .cancelled, task.cancelRequests <= 1 {
                    outcome.interrupted = true
                }
                self.finishRun(driver, outcome, error)
            }
        }
        if let failure = outcome.error { throw failure }
        if outcome.interrupted {
            // The main task ended cancelled by Ctrl-C: KeyboardInterrupt, raised while its
            // CancelledError is handled.
            let interrupt = newException(exc.keyboardInterrupt, nil)
            do { _ = try futureResult(task) } catch let e as ScriptError { interrupt.context = Value(e.exception) } catch {}
            throw ScriptError(exception: interrupt)
        }
        return try futureResult(task)
    }

    /// What extensions asked to run when the main task is over (`ExtensionContext.atMainTaskEnd`);
    /// a callback's exception goes to the loop's exception handler.
    func runMainTaskEndCallbacks(_ l: EventLoop) {
        let callbacks = l.mainTaskEndCallbacks
        l.mainTaskEndCallbacks = []
        tempRoots.append(contentsOf: callbacks)
        defer { tempRoots.removeLast(callbacks.count) }
        for c in callbacks {
            do {
                _ = try call(c, [])
            } catch let err as ScriptError {
                let context = newDict()
                try? context.set(newStr("message"), newStr("Exception in callback \((try? repr(c)) ?? "?")"), self)
                try? context.set(newStr("exception"), Value(err.exception), self)
                try? callExceptionHandler(l, context)
            } catch {}
        }
    }

    /// asyncio.run's second part: the tasks still pending are cancelled and run to their end.
    private func finishRun(_ driver: LoopDriver, _ outcome: RunOutcomeBox, _ error: Error?) {
        outcome.keep(error, self)
        if let l = loop { runMainTaskEndCallbacks(l) }
        let rest: FutureObj?
        do {
            rest = try cancelRemainingTasks()
        } catch let later {
            if outcome.error == nil { outcome.keep(later, self) }
            driver.stop()
            return
        }
        guard let rest else {
            driver.stop()
            return
        }
        driver.run(until: rest) { (later: Error?) -> Void in
            if outcome.error == nil { outcome.keep(later, self) }
            driver.stop()
        }
    }

    /// `asyncio.sleep(delay, result)`: a bare yield for a delay of zero or less, else a future
    /// completed by a timer (which is cancelled when the sleep ends early).
    func sleepAwaitable(_ delay: Double, result: Value) throws -> Obj {
        if delay.isNaN { throw valueError("Invalid value NaN (not a number)") }
        if delay <= 0 { return heap.register(SleepZeroAwait(result: result, type: types.nativeCoroutine)) }
        return heap.register(SleepAwait(delay: delay, result: result, type: types.nativeCoroutine))
    }

    /// GET_AWAITABLE: the iterator an `await` drives. `from` says where the value came from, for
    /// the message when it is not awaitable (0 `await`, 1 `__aenter__`, 2 `__aexit__`, 3 `__anext__`).
    func awaitable(_ v: Value, from: Int = 0) throws -> Value {
        if case .object(let u) = v, u._withUnsafeGuaranteedRef({ $0.kind == .generator }) {
            let (coroutine, state) = Unmanaged<GeneratorObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef {
                ($0.type === types.coroutine, $0.state)
            }
            guard coroutine else { throw typeError("object generator can't be used in 'await' expression") }
            switch state {
            case .created, .running: return v
            case .finished: throw runtimeError("cannot reuse already awaited coroutine")
            case .delegated:
                // Its frame runs on another fiber: one that is running (the coroutine is in the
                // chain that is executing now) or one that is parked (another task awaits it).
                if let g = v.asObject(.generator, GeneratorObj.self), isExecuting(g) { throw alreadyExecuting(g) }
                throw runtimeError("coroutine is being awaited already")
            case .suspended:
                // Suspended inside an `await` of its own (another task drives it).
                if let g = v.asObject(.generator, GeneratorObj.self), delegation(g) != nil {
                    throw runtimeError("coroutine is being awaited already")
                }
                return v
            }
        }
        if case .object(let u) = v {
            if Value.isAwaitable(u) { return v }
            let o = u.takeUnretainedValue()
            if o.type.moduleName != nil, let r = try callUserMethod(v, "__await__", []) {
                if isCoroutine(r) { throw typeError("__await__() returned a coroutine") }
                guard isIterator(r) else { throw typeError("__await__() returned non-iterator of type '\(typeName(r))'") }
                return r
            }
        }
        let n = typeName(v)
        switch from {
        case 1: throw typeError("'async with' received an object from __aenter__ that does not implement __await__: \(n)")
        case 2: throw typeError("'async with' received an object from __aexit__ that does not implement __await__: \(n)")
        case 3: throw typeError("'async for' received an invalid object from __anext__: \(n)")
        default: throw typeError("object \(n) can't be used in 'await' expression")
        }
    }

    /// Is the frame of this coroutine (moved onto an awaiter's fiber) part of what runs now?
    private func isExecuting(_ g: GeneratorObj) -> Bool {
        var found = false
        activeFibers.forEach { fiber in
            for i in 0..<fiber.frameCount where fiber.frames[i].exit == .finishAwaited {
                if fiber.frames[i].namespace.isIdentical(to: Value(g)) { found = true }
            }
        }
        return found
    }

    private func future(_ v: Value, _ method: String) throws -> FutureObj {
        if let f = v.asFuture { return f }
        throw typeError("descriptor '\(method)' for 'Future' objects doesn't apply to a '\(typeName(v))' object")
    }

    func installFutureMethods() {
        let t = types.future
        func method(_ name: String, _ body: @escaping (Runtime, FutureObj, Args) throws -> Value) {
            t.dict[name] = native(name, owner: "Future") { rt, args in
                guard args.count >= 1 else { throw rt.typeError("unbound method Future.\(name)() needs an argument") }
                return try body(rt, try rt.future(args[0], name), args)
            }
        }
        method("result") { rt, f, _ in try rt.futureResult(f) }
        method("exception") { rt, f, _ in try rt.futureException(f) }
        method("done") { _, f, _ in .bool(f.isDone) }
        method("cancelled") { _, f, _ in .bool(f.state == .cancelled) }
        method("cancel") { rt, f, args in
            try rt.checkKeywords(args, ["msg"], "cancel")
            let msg = args.count > 1 ? args[1] : (args.keyword("msg") ?? .none)
            return .bool(rt.cancelFuture(f, message: msg))
        }
        method("set_result") { rt, f, args in
            try rt.checkCount(args.count - 1, "set_result", min: 1, max: 1)
            try rt.setFutureResult(f, args[1])
            return .none
        }
        method("set_exception") { rt, f, args in
            try rt.checkCount(args.count - 1, "set_exception", min: 1, max: 1)
            var e = args[1]
            if let cls = e.asType { e = try rt.call(Value(cls), []) }
            guard let x = e.asException else { throw rt.typeError("exception must be a BaseException instance") }
            try rt.setFutureException(f, x)
            return .none
        }
        method("add_done_callback") { rt, f, args in
            try rt.checkKeywords(args, ["context"], "add_done_callback")
            try rt.checkCount(args.count - 1, "add_done_callback", min: 1, max: 1)
            rt.addDoneCallback(f, .call(try rt.doneCallback(args[1], context: args.keyword("context"))))
            return .none
        }
        method("remove_done_callback") { rt, f, args in
            try rt.checkCount(args.count - 1, "remove_done_callback", min: 1, max: 1)
            let before = f.callbacks.count
            f.callbacks.removeAll {
                if case .call(let fn) = $0 { return fn.isIdentical(to: args[1]) }
                return false
            }
            return .int(before - f.callbacks.count)
        }
        method("get_loop") { rt, f, _ in f.ownerLoop?.object ?? rt.loop?.object ?? .none }
        method("get_name") { rt, f, _ in
            guard let task = Value(f).asTask else { throw rt.attributeError("'Future' object has no attribute 'get_name'") }
            return rt.taskName(task)
        }
        method("set_name") { rt, f, args in
            guard let task = Value(f).asTask else { throw rt.attributeError("'Future' object has no attribute 'set_name'") }
            try rt.checkCount(args.count - 1, "set_name", min: 1, max: 1)
            task.explicitName = rt.newStr(try rt.str(args[1]))
            return .none
        }
        method("get_coro") { _, f, _ in Value(f).asTask?.coro ?? .none }
        method("cancelling") { _, f, _ in .int(Int(Value(f).asTask?.cancelRequests ?? 0)) }
        method("uncancel") { _, f, _ in
            guard let task = Value(f).asTask else { return .int(0) }
            if task.cancelRequests > 0 { task.cancelRequests -= 1 }
            return .int(Int(task.cancelRequests))
        }

        func handle(_ args: Args) -> HandleObj? {
            if case .object(let u)? = args.positional.first { return u.takeUnretainedValue() as? HandleObj }
            return nil
        }
        types.handle.dict["cancel"] = native("cancel", owner: "Handle") { _, args in
            handle(args)?.cancelled = true
            return .none
        }
        types.handle.dict["cancelled"] = native("cancelled", owner: "Handle") { _, args in
            .bool(handle(args)?.cancelled ?? false)
        }
        types.timerHandle.dict["when"] = native("when", owner: "TimerHandle") { _, args in
            handle(args).map { .float($0.when ?? 0) } ?? .none
        }

        installLoopMethods()
        installLoopSignalMethods()
        installTaskStackMethods()
    }
}

/// What escaped `asyncio.run`'s loop, set from inside it.
final class RunOutcomeBox {
    private(set) var error: Error?
    /// The slot of `Runtime.tempRoots` that holds the error's exception.
    let rootSlot: Int
    init(rootSlot: Int) { self.rootSlot = rootSlot }

    func keep(_ error: Error?, _ rt: Runtime) {
        self.error = error
        if let e = error as? ScriptError, rootSlot < rt.tempRoots.count { rt.tempRoots[rootSlot] = Value(e.exception) }
    }
    /// The main task ended cancelled by the first Ctrl-C (asyncio.run then raises KeyboardInterrupt).
    var interrupted = false
}
