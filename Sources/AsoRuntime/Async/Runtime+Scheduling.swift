// Completing futures, stepping tasks and running the loop: asyncio's futures.py, tasks.py and
// base_events.py, in the same order of operations.
//
// One idea: nothing here calls script code directly from a completion. Setting a future's result
// schedules its callbacks on the ready queue; a task parked on a future is woken by one of those
// callbacks; `gather` counts its children through them. So the order in which things print is the
// order in which asyncio's ready queue would have run them.

extension Runtime {
    // MARK: Futures

    func newFuture(type: TypeObject? = nil) -> FutureObj {
        heap.register(FutureObj(type: type ?? types.future))
    }

    func invalidState(_ m: String) -> ScriptError { error(exc.invalidStateError, m) }

    func setFutureResult(_ f: FutureObj, _ v: Value) throws {
        if f.isDone { throw invalidState("invalid state") }
        f.result = v
        f.state = .finished
        scheduleCallbacks(f)
    }

    func setFutureException(_ f: FutureObj, _ e: ExceptionObj) throws {
        if f.isDone { throw invalidState("invalid state") }
        if e.type.isSubtype(of: exc.stopIteration) {
            throw typeError("StopIteration interacts badly with generators and cannot be raised into a Future")
        }
        f.exception = e
        f.state = .finished
        f.logTraceback = true
        scheduleCallbacks(f)
    }

    /// Future.cancel (the base behaviour, also used when a task's coroutine lets CancelledError out).
    func cancelFutureBase(_ f: FutureObj, message: Value) -> Bool {
        f.logTraceback = false
        if f.isDone { return false }
        f.state = .cancelled
        f.cancelMessage = message
        scheduleCallbacks(f)
        return true
    }

    /// `f.cancel(msg)` for any kind of future.
    func cancelFuture(_ f: FutureObj, message: Value) -> Bool {
        if let task = Value(f).asTask { return cancelTask(task, message: message) }
        if let g = f.gatherChildren {
            if f.isDone { return false }
            var any = false
            for child in g.children where cancelFuture(child, message: message) { any = true }
            if any { g.cancelRequested = true }
            return any
        }
        return cancelFutureBase(f, message: message)
    }

    func scheduleCallbacks(_ f: FutureObj) {
        guard let first = f.firstCallback else { return }
        f.firstCallback = nil
        scheduleCallback(first, f)
        if !f.moreCallbacks.isEmpty {
            let more = f.moreCallbacks
            f.moreCallbacks = []
            for c in more { scheduleCallback(c, f) }
        }
    }

    /// A done-callback through the ready queue: a task's wakeup as a plain entry, others as handles.
    private func scheduleCallback(_ c: FutureCallback, _ f: FutureObj) {
        switch c {
        case .wakeup(let task):
            let item = ReadyItem.wakeup(Unmanaged.passUnretained(task), Unmanaged.passUnretained(f))
            loopRef?._withUnsafeGuaranteedRef { $0.schedule(item) }
        case .gather(let g):
            let item = ReadyItem.gatherChild(Unmanaged.passUnretained(g), Unmanaged.passUnretained(f))
            loopRef?._withUnsafeGuaranteedRef { $0.schedule(item) }
        case .call: callSoon(.callback(c, f))
        }
    }

    func addDoneCallback(_ f: FutureObj, _ c: FutureCallback) {
        if f.isDone { scheduleCallback(c, f) } else { f.appendCallback(c) }
    }

    /// The CancelledError a cancelled future raises from `result()`.
    func cancelledError(for f: FutureObj) -> ExceptionObj {
        if let e = f.cancelledError {
            f.cancelledError = nil
            return e
        }
        return heap.register(ExceptionObj(type: exc.cancelledError,
                                          args: f.cancelMessage.isNone ? newTuple([]) : newTuple([f.cancelMessage])))
    }

    /// `f.result()`.
    func futureResult(_ f: FutureObj) throws -> Value {
        switch f.state {
        case .cancelled: throw ScriptError(exception: cancelledError(for: f))
        case .pending: throw invalidState("Result is not set.")
        case .finished:
            f.logTraceback = false
            if let e = f.exception { throw ScriptError(exception: e) }
            return f.result
        }
    }

    /// `f.exception()`.
    func futureException(_ f: FutureObj) throws -> Value {
        switch f.state {
        case .cancelled: throw ScriptError(exception: cancelledError(for: f))
        case .pending: throw invalidState("Exception is not set.")
        case .finished:
            f.logTraceback = false
            return f.exception.map { Value($0) } ?? .none
        }
    }

    // MARK: Tasks

    /// `create_task(coro, name=...)`: the task's first step runs on the next loop iteration.
    func createTask(_ coro: Value, name: Value = .none, context: Value = .none, on target: EventLoop? = nil) throws -> TaskObj {
        guard let loop = target ?? loop else { throw runtimeError("no running event loop") }
        guard isCoroutine(coro), let object = coro.object else { throw typeError("a coroutine was expected, got \(try repr(coro))") }
        if options.maxTasks > 0 && loop.taskCount >= options.maxTasks {
            throw limitError(exc.runtimeError, "too many tasks (the limit is \(options.maxTasks))")
        }
        tasksCreated += 1
        let task = heap.register(TaskObj(coro: object, number: tasksCreated, type: types.task))
        if !name.isNone {
            task.explicitName = newStr(try str(name))
        } else {
            taskNamesNumbered += 1
            // The default name is made when asked for, from the task's number, while no task has
            // been named (the two counts agree); after that it is made now.
            if taskNamesNumbered != tasksCreated { task.explicitName = newStr("Task-\(taskNamesNumbered)") }
        }
        if !context.isNone {
            task.context = context
        } else if contextsUsed {
            // (Copying runs script code, which may collect: the new task is rooted meanwhile.)
            tempRoots.append(Value(task))
            defer { tempRoots.removeLast() }
            task.context = try copyContext()
        }
        loop.addTask(task)
        loop.schedule(.step(Unmanaged.passUnretained(task)))
        return task
    }

    /// `task.get_name()`: the name given, else `Task-<number>`.
    func taskName(_ task: TaskObj) -> Value {
        if task.explicitName.isNull { task.explicitName = newStr("Task-\(task.number)") }
        return task.explicitName
    }

    /// Task.__step, scheduled (with an exception to throw in, when given).
    func scheduleStep(_ task: TaskObj, _ e: ExceptionObj? = nil) {
        let item: ReadyItem = if let e { .stepThrowing(Unmanaged.passUnretained(task), Unmanaged.passUnretained(e)) }
                              else { .step(Unmanaged.passUnretained(task)) }
        loopRef?._withUnsafeGuaranteedRef { $0.schedule(item) }
    }

    func isCoroutine(_ v: Value) -> Bool {
        if let g = v.asObject(.generator, GeneratorObj.self) { return g.hasType(types.coroutine) }
        if case .object(let u) = v { return u._withUnsafeGuaranteedRef { $0.hasType(types.nativeCoroutine) } }
        return false
    }

    /// Task.cancel: cancels the future the task waits on, or makes its next step raise.
    func cancelTask(_ task: TaskObj, message: Value) -> Bool {
        task.logTraceback = false
        if task.isDone { return false }
        task.cancelRequests += 1
        if let w = task.waiter, cancelFuture(w, message: message) { return true }
        if task.sleepSeq != 0 {
            cancelSleep(task, message: message)
            return true
        }
        task.mustCancel = true
        task.cancelMessage = message
        return true
    }

    /// Resumes a task's coroutine (or native awaitable) once.
    func sendToCoroutine(_ coro: Value, _ e: ExceptionObj?) throws -> ResumeResult {
        if case .object(let u) = coro, u._withUnsafeGuaranteedRef({ $0.kind == .generator }) {
            return try Unmanaged<GeneratorObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { g in
                if let e { return try resumeThrowing(g, e) }
                return try resume(g, sending: .none)
            }
        }
        if let a = coro.asAwaitable { return try a.resume(self, e) }
        throw typeError("a coroutine was expected, got \(try repr(coro))")
    }

    /// Task.__step.
    func stepTask(_ task: TaskObj, _ given: ExceptionObj?) throws {
        if _slowPath(contextsUsed) {
            try stepTaskInContext(task, given)
        } else {
            try stepTaskNow(task, given)
        }
    }

    /// contextvars: the step runs in the task's context (what it sets stays the task's).
    @inline(never)
    private func stepTaskInContext(_ task: TaskObj, _ given: ExceptionObj?) throws {
        let outerContext = currentContext
        currentContext = task.context
        // (The outer context is held here only: rooted while the step runs.)
        tempRoots.append(outerContext)
        defer {
            tempRoots.removeLast()
            task.context = currentContext
            currentContext = outerContext
        }
        try stepTaskNow(task, given)
    }

    @inline(__always)
    private func stepTaskNow(_ task: TaskObj, _ given: ExceptionObj?) throws {
        guard let loopRef, !task.isDone else { return }
        var e = given
        if task.mustCancel {
            if !(e?.type.isSubtype(of: exc.cancelledError) ?? false) { e = cancelledError(for: task) }
            task.mustCancel = false
        }
        task.unpark()
        loopRef._withUnsafeGuaranteedRef { $0.currentTask = task }
        defer { loopRef._withUnsafeGuaranteedRef { $0.currentTask = nil } }
        let outcome: ResumeResult
        do {
            outcome = try sendToCoroutine(task.coro, e)
        } catch let err as ScriptError {
            let x = err.exception
            if x.type.isSubtype(of: exc.cancelledError) {
                task.cancelledError = x
                _ = cancelFutureBase(task, message: .none)
            } else {
                try setFutureException(task, x)
                if x.type.isSubtype(of: exc.systemExit) || x.type.isSubtype(of: exc.keyboardInterrupt) { throw err }
            }
            finishTask(task)
            return
        }
        switch outcome {
        case .returned(let v):
            if task.mustCancel {
                task.mustCancel = false
                _ = cancelFutureBase(task, message: task.cancelMessage)
            } else {
                try setFutureResult(task, v)
            }
            finishTask(task)
        case .parked:
            // On its own timer, by `await asyncio.sleep(d)` (see `sleepTask`).
            if task.mustCancel {
                task.mustCancel = false
                cancelSleep(task, message: task.cancelMessage)
            }
        case .yielded(let y):
            if y.isNone {
                scheduleStep(task)
            } else if let f = y.asParkable, f.blocking {
                if f === task {
                    scheduleStep(task, newException(exc.runtimeError, "Task cannot await on itself: \(try repr(Value(task)))"))
                } else if let owner = f.ownerLoop, owner !== loopRef.takeUnretainedValue() {
                    f.blocking = false
                    scheduleStep(task, newException(exc.runtimeError,
                        "Task \(try repr(Value(task))) got Future \(try repr(Value(f))) attached to a different loop"))
                } else {
                    f.blocking = false
                    addDoneCallback(f, .wakeup(task))
                    task.waiter = f
                    if task.mustCancel, cancelFuture(f, message: task.cancelMessage) { task.mustCancel = false }
                }
            } else {
                scheduleStep(task, newException(exc.runtimeError, "Task got bad yield: \(try repr(y))"))
            }
        }
    }

    /// `await asyncio.sleep(delay)` in the task's own coroutine chain, with the default result: the
    /// task parks on a timer of its own, with no future and no awaitable made. Behaves as asyncio's
    /// sleep does: the timer, when due, completes the sleep (`.sleepDone`), which schedules the
    /// task's next step; a cancel before that wakes the task at once with CancelledError.
    /// True when parked (the VM then returns `.parked` to `stepTask`); false when `fiber` is not the
    /// fiber of the task being stepped (a coroutine driven by hand, an async generator...).
    func sleepTask(on fiber: Fiber, delay: Double) -> Bool {
        guard let loop = loopRef?.takeUnretainedValue(), let task = loop.currentTask,
              let g = task.coro.asObject(.generator, GeneratorObj.self), g.fiber === fiber else { return false }
        task.sleepSeq = loop.scheduleTimer(task, at: loop.time() + delay)
        return true
    }

    /// A sleeping task's timer is due: the sleep is over, and the task steps next iteration.
    func finishSleep(_ task: TaskObj) {
        guard task.sleepSeq != 0 else { return }
        task.sleepSeq = 0
        scheduleStep(task)
    }

    /// Cancels the sleep a task is parked in (its timer entry is left to go stale): the task
    /// resumes with CancelledError at the `await`, as when the sleep's future is cancelled.
    func cancelSleep(_ task: TaskObj, message: Value) {
        task.sleepSeq = 0
        scheduleStep(task, heap.register(ExceptionObj(type: exc.cancelledError,
                                                      args: message.isNone ? newTuple([]) : newTuple([message]))))
    }

    private func finishTask(_ task: TaskObj) {
        guard let loop else { return }
        loop.removeTask(task)
        if task.exception != nil && task.logTraceback { finishedWithException.append(task) }
    }

    /// Task.__wakeup: the future the task waited on is done.
    func wakeTask(_ task: TaskObj, _ f: FutureObj) throws {
        do {
            _ = try futureResult(f)
        } catch let err as ScriptError {
            try stepTask(task, err.exception)
            return
        }
        try stepTask(task, nil)
    }

    // MARK: gather

    func gather<C: Collection>(_ items: C, returnExceptions: Bool) throws -> FutureObj where C.Element == Value {
        let outer = newFuture(type: types.gatheringFuture)
        let g = GatherState(outer: outer, returnExceptions: returnExceptions)
        outer.gatherChildren = g
        if items.isEmpty {
            try setFutureResult(outer, newList([]))
            return outer
        }
        tempRoots.append(Value(outer))
        defer { tempRoots.removeLast() }
        // The same awaitable twice is one child, waited for once. Awaitables already taken carry
        // `scanMarkFlag` for the length of the loop, so the usual case (no repeats) needs no table;
        // the table from awaitable to future is made at the first repeat.
        var seen: [UnsafeMutableRawPointer: FutureObj]? = nil
        defer {
            for item in items {
                if case .object(let u) = item { u._withUnsafeGuaranteedRef { $0.flags &= ~Obj.scanMarkFlag } }
            }
        }
        g.children.reserveCapacity(items.count)
        for item in items {
            guard case .object(let u) = item else { _ = try ensureFuture(item); continue }
            if u._withUnsafeGuaranteedRef({ $0.flags & Obj.scanMarkFlag != 0 }) {
                if seen == nil {
                    var table: [UnsafeMutableRawPointer: FutureObj] = [:]
                    for (arg, f) in zip(items, g.children) { if case .object(let a) = arg { table[a.toOpaque()] = f } }
                    seen = table
                }
                if let f = seen?[u.toOpaque()] { g.children.append(f) }
                continue
            }
            let f = try ensureFuture(item, on: g.children.first?.ownerLoop)
            u._withUnsafeGuaranteedRef { $0.flags |= Obj.scanMarkFlag }
            seen?[u.toOpaque()] = f
            g.children.append(f)
            g.unique += 1
            addDoneCallback(f, .gather(g))
        }
        // The outer future belongs to the children's loop (asyncio takes the first one's).
        if let owner = g.children.first?.ownerLoop { outer.ownerLoop = owner }
        return outer
    }

    /// A future for an awaitable: futures as they are, coroutines wrapped in a task.
    func ensureFuture(_ v: Value, on target: EventLoop? = nil) throws -> FutureObj {
        if let f = v.asFuture {
            if let owner = f.ownerLoop ?? loop, let t = target, owner !== t {
                throw valueError("The future belongs to a different loop than the one specified as the loop argument")
            }
            return f
        }
        if isCoroutine(v) { return try createTask(v, on: target) }
        throw typeError("An asyncio.Future, a coroutine or an awaitable is required")
    }

    func gatherChildDone(_ g: GatherState, _ child: FutureObj) throws {
        g.finished += 1
        let outer = g.outer
        if outer.isDone {
            if child.state != .cancelled { _ = try? futureException(child) }
            return
        }
        if !g.returnExceptions {
            if child.state == .cancelled {
                try setFutureException(outer, cancelledError(for: child))
                return
            }
            if case .object = try futureException(child), let e = child.exception {
                try setFutureException(outer, e)
                return
            }
        }
        if g.finished == g.unique {
            var results: [Value] = []
            for c in g.children {
                if c.state == .cancelled {
                    results.append(Value(heap.register(ExceptionObj(type: exc.cancelledError,
                        args: newTuple([c.cancelMessage.isNone ? newStr("") : c.cancelMessage])))))
                } else {
                    let x = try futureException(c)
                    results.append(x.isNone ? c.result : x)
                }
            }
            if g.cancelRequested, let last = g.children.last {
                try setFutureException(outer, cancelledError(for: last))
            } else {
                try setFutureResult(outer, newList(results))
            }
        }
    }

    // MARK: The loop

    @discardableResult
    func callSoon(_ work: HandleObj.Work, on target: EventLoop? = nil) -> HandleObj {
        let h = heap.register(HandleObj(work, when: nil, type: types.handle))
        (target ?? loop)?.schedule(.handle(Unmanaged.passUnretained(h)))
        return h
    }

    @discardableResult
    func callLater(_ delay: Double, _ work: HandleObj.Work, on target: EventLoop? = nil) -> HandleObj {
        let loop = target ?? self.loop
        return callAt((loop?.time() ?? 0) + delay, work, on: loop)
    }

    /// `loop.call_at(when, ...)`: a timer handle due at the loop's time `when`.
    @discardableResult
    func callAt(_ when: Double, _ work: HandleObj.Work, on target: EventLoop? = nil) -> HandleObj {
        let loop = target ?? self.loop
        let h = heap.register(HandleObj(work, when: when, type: types.timerHandle))
        loop?.scheduleTimer(h, at: when)
        return h
    }

    func run(_ item: ReadyItem) throws {
        // (Every object borrowed: the queue entry holds it unmanaged, and the loop's roots keep it
        // alive; a `takeUnretainedValue()` would retain and release it around the call.)
        switch item.work {
        case .handle(let h):
            try h._withUnsafeGuaranteedRef { h in if !h.cancelled { try runHandle(h) } }
        case .step(let task):
            try task._withUnsafeGuaranteedRef { try stepTask($0, nil) }
        case .stepThrowing(let task, let e):
            try task._withUnsafeGuaranteedRef { t in try e._withUnsafeGuaranteedRef { try stepTask(t, $0) } }
        case .wakeup(let task, let f):
            try task._withUnsafeGuaranteedRef { t in try f._withUnsafeGuaranteedRef { try wakeTask(t, $0) } }
        case .sleepDone(let task):
            task._withUnsafeGuaranteedRef { finishSleep($0) }
        case .resolve(let f):
            // A sleep's timer: its result is already in place.
            try f._withUnsafeGuaranteedRef { f in if !f.isDone { try setFutureResult(f, f.result) } }
        case .gatherChild(let g, let f):
            try g._withUnsafeGuaranteedRef { g in try f._withUnsafeGuaranteedRef { try gatherChildDone(g, $0) } }
        }
    }

    func runHandle(_ h: HandleObj) throws {
        switch h.work {
        case .callback(let c, let f):
            switch c {
            case .call(let fn): try callLogging(fn, [Value(f)], h)
            case .wakeup(let task): try wakeTask(task, f)
            case .gather(let g): try gatherChildDone(g, f)
            }
        case .call(let fn, let args): try callLogging(fn, args, h)
        }
    }

    /// Runs a handle's callback; an exception it raises is reported and the loop goes on
    /// (SystemExit and KeyboardInterrupt end the loop), as Handle._run does: the loop's exception
    /// handler gets the message ("Exception in callback cb(args) at file:line"), the exception
    /// and the handle; the default handler writes them, with a `handle:` line.
    private func callLogging(_ fn: Value, _ args: [Value], _ h: HandleObj) throws {
        // (Taken off the ready queue, the handle is kept alive here for the report.)
        tempRoots.append(Value(h))
        defer { tempRoots.removeLast() }
        do {
            _ = try call(fn, args)
        } catch let err as ScriptError {
            let e = err.exception
            if e.type.isSubtype(of: exc.systemExit) || e.type.isSubtype(of: exc.keyboardInterrupt) { throw err }
            // (The report runs script code, reprlib's: the exception is kept alive meanwhile.)
            let context = newDict()
            tempRoots.append(Value(context))
            defer { tempRoots.removeLast() }
            try context.set(newStr("message"), Value.none, self)  // (its place: asyncio's order)
            try context.set(newStr("exception"), Value(e), self)
            let message = "Exception in callback " + ((try? callbackSource(fn, args)) ?? typeName(fn))
            try context.set(newStr("message"), newStr(message), self)
            try context.set(newStr("handle"), Value(h), self)
            if let loop { try callExceptionHandler(loop, context) } else { try defaultExceptionHandler(context) }
        }
    }

    /// One iteration of the loop: the due timers and the ready work, in asyncio's order.
    func runOnce(_ loop: EventLoop) throws {
        if !loop.signalled.isEmpty { scheduleSignalReader(loop) }
        var left = loop.beginIteration()
        defer { loop.current = nil }
        while left > 0, let item = loop.ready.popFirst() {
            left -= 1
            loop.current = item
            try run(item)
            if heap.requestFlag.pointee { try attend() }
        }
    }

    /// asyncio.run's shutdown: cancels the tasks still pending; the future that gathers them (nil
    /// when there are none) is done when they have all ended.
    func cancelRemainingTasks() throws -> FutureObj? {
        guard let loop, !loop.tasks.isEmpty else { return nil }
        let pending = loop.pendingTasks
        for t in pending { _ = cancelTask(t, message: .none) }
        return try gather(pending.map { Value($0) }, returnExceptions: true)
    }

    /// What virtual time reports when every task waits for something that can never happen (a
    /// real clock would wait forever, as CPython does).
    func deadlockError(_ loop: EventLoop) -> ScriptError {
        var text = "deadlock (virtual time): every task is waiting and no timer or I/O can wake one"
        for task in loop.pendingTasks {
            text += "\n  " + (taskName(task).asStr?.value ?? "?")
            if let g = task.coro.asObject(.generator, GeneratorObj.self), g.fiber.frameCount > 0 {
                let frame = g.fiber.frames[g.fiber.frameCount - 1]
                let code = frame.code.takeUnretainedValue().code
                text += " waiting in \(code.qualifiedName)() at \(code.filename):\(code.location(at: max(0, frame.ip - 1)).line)"
            }
        }
        return runtimeError(text)
    }

    /// "Task exception was never retrieved", for tasks that failed and that nobody asked about.
    func reportUnretrievedExceptions() {
        let failed = finishedWithException
        finishedWithException = []
        for task in failed where task.logTraceback {
            guard let e = task.exception else { continue }
            task.logTraceback = false
            let name = taskName(task).asStr?.value ?? "?"
            let coro = (try? coroutineRepr(task.coro, done: true)) ?? "?"
            let exRepr = (try? repr(Value(e))) ?? "?"
            writeErr("Task exception was never retrieved\nfuture: <Task finished name='\(name)' coro=\(coro) exception=\(exRepr)>\n"
                     + formatException(e))
        }
    }

    /// At exit, what CPython's finalizer of a task that never finished writes: "Task was
    /// destroyed but it is pending!" and the task's repr, for each task of a loop that was closed
    /// or left with it pending (`asyncio.run` finishes every task of its own loop). A task of a
    /// closed loop is garbage in a cycle with its coroutine, which CPython's collector closes
    /// first: its repr shows the coroutine done.
    func pendingTaskReports() -> String {
        var pending: [TaskObj] = []
        heap.forEachObject { o in
            guard o.kind == .other, o.flags & Obj.taskFlag != 0 else { return }
            let task = unsafeDowncast(o, to: TaskObj.self)
            if !task.isDone { pending.append(task) }
        }
        if pending.isEmpty { return "" }
        var open = Set<ObjectIdentifier>()
        for l in knownLoops.values { for t in l.tasks { open.insert(ObjectIdentifier(t)) } }
        if let l = loop { for t in l.tasks { open.insert(ObjectIdentifier(t)) } }
        // Garbage (tasks of closed loops) goes first. (CPython's order among them follows its
        // collector's lists; here it is the order the tasks were made.)
        let isOpen = { (t: TaskObj) in open.contains(ObjectIdentifier(t)) ? 1 : 0 }
        let ordered = pending.sorted { (isOpen($0), $0.number) < (isOpen($1), $1.number) }
        // (Nothing runs after this but the exit's own collection, which must not report them again.)
        orphanedTasks = []
        return destroyedTasksReport(ordered) { isOpen($0) == 0 }
    }

    /// The collector's hook before it sweeps: a pending task of a closed loop that is garbage is
    /// kept for one more collection, to be reported ("Task was destroyed but it is pending!") as
    /// CPython's finalizer reports it when its cycle is collected.
    func keepDestroyedTasks(_ t: inout Tracer) {
        var kept: [Unmanaged<TaskObj>] = []
        for u in orphanedTasks {
            let task = u.takeUnretainedValue()
            if task.isDone { continue }
            if t.survives(task) { kept.append(u); continue }
            t.mark(task)
            destroyedTasks.append(task)
        }
        orphanedTasks = kept
    }

    /// Reports the tasks `keepDestroyedTasks` kept; they are garbage from now on.
    func reportDestroyedTasks() {
        guard !destroyedTasks.isEmpty else { return }
        let tasks = destroyedTasks
        destroyedTasks = []
        writeErr(destroyedTasksReport(tasks) { _ in true })
    }

    /// "Task was destroyed but it is pending!" and the repr of each task (with its coroutine shown
    /// done when it went in a cycle with the task: CPython's collector closes the coroutine
    /// first). The tasks are marked done, so that nothing reports them again.
    private func destroyedTasksReport(_ tasks: [TaskObj], coroutineDone: (TaskObj) -> Bool) -> String {
        var text = ""
        for task in tasks {
            let g = task.coro.asObject(.generator, GeneratorObj.self)
            let saved = g?.state
            if coroutineDone(task), let g { g.state = .finished }
            text += "Task was destroyed but it is pending!\ntask: \((try? futureRepr(task)) ?? "?")\n"
            if let g, let saved { g.state = saved }
        }
        for task in tasks { task.state = .cancelled }
        return text
    }

    /// `<f() done, defined at file:line>` / `<f() running at file:line>`, as task reprs show coroutines.
    func coroutineRepr(_ coro: Value, done: Bool) throws -> String {
        guard let g = coro.asObject(.generator, GeneratorObj.self) else { return try repr(coro) }
        let code = g.function.code.code
        if done || g.state == .finished {
            return "<\(g.function.qualifiedName)() done, defined at \(code.filename):\(code.firstLine)>"
        }
        return "<\(g.function.qualifiedName)() running at \(code.filename):\(coroutineLine(g))>"
    }
}
