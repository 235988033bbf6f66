// The reprs of futures and tasks, as asyncio's `_future_repr_info` and `_task_repr_info` write
// them: `<Future finished result=1>`, `<Task pending name='Task-2' coro=<main() running at
// file:line> wait_for=<Future pending cb=[Task.task_wakeup()]>>`.

extension Runtime {
    func futureRepr(_ f: FutureObj) throws -> String {
        let isTask = Value(f).asTask
        var info: [String] = []
        switch f.state {
        // A task whose cancellation was requested and not taken back (`cancelling()` > 0) says
        // so while it is not done, as asyncio's `_task_repr_info` does.
        case .pending: info.append((isTask?.cancelRequests ?? 0) > 0 ? "cancelling" : "pending")
        case .cancelled: info.append("cancelled")
        case .finished: info.append("finished")
        }
        if let task = isTask {
            info.append("name=" + pyStringRepr(taskName(task).asStr?.value ?? "?"))
            info.append("coro=" + (try coroutineRepr(task.coro, done: task.isDone)))
        }
        if f.state == .finished {
            if let e = f.exception {
                info.append("exception=" + (try repr(Value(e))))
            } else {
                info.append("result=" + (try reprShortened(f.result)))
            }
        }
        let cbs = f.callbacks
        if !cbs.isEmpty {
            let shown = try cbs.map { try callbackRepr($0) }
            let text: String
            switch shown.count {
            case 1: text = shown[0]
            case 2: text = shown[0] + ", " + shown[1]
            default: text = "\(shown[0]), <\(shown.count - 2) more>, \(shown[shown.count - 1])"
            }
            info.append("cb=[\(text)]")
        }
        if let task = isTask, !task.isDone {
            if let w = task.waiter {
                info.append("wait_for=" + (try futureRepr(w)))
            } else if task.sleepSeq != 0 {
                info.append("wait_for=<Future pending cb=[Task.task_wakeup()]>")
            }
        }
        let name = isTask != nil ? "Task" : (f.hasType(types.future) || f.flags & Obj.futureFlag == 0 ? "Future" : f.type.name)
        return "<\(name) " + info.joined(separator: " ") + ">"
    }

    /// reprlib's shortening, as asyncio uses it for results (a long repr keeps its ends).
    /// `reprlib.repr(v)`, as asyncio shows a result: long strings, numbers and containers cut
    /// down with `...`.
    private func reprShortened(_ v: Value) throws -> String {
        let reprlib = Value(try loadModule("reprlib"))
        guard let shorten = try findAttribute(reprlib, "repr") else { return try repr(v) }
        tempRoots.append(shorten)
        defer { tempRoots.removeLast() }
        return try str(try call(shorten, one: v))
    }

    private func callbackRepr(_ c: FutureCallback) throws -> String {
        switch c {
        case .wakeup: return "Task.task_wakeup()"
        case .gather: return "gather.<locals>._done_callback()"
        case .call(let fn): return try callbackSource(fn, [])
        }
    }

    /// format_helpers' `_format_callback_source`: the callback's name, its arguments (each as
    /// `reprlib.repr` shows it) and, for a function, ` at file:line` of its definition. A
    /// `functools.partial` shows the function it wraps, with the partial's arguments.
    func callbackSource(_ fn: Value, _ args: [Value]) throws -> String {
        var fn = fn, args = args, keywords: [(String, Value)] = [], suffix = ""
        var source = fn
        if isPartial(fn), let inner = try findAttribute(fn, "func") {
            // The call's own arguments come after the partial's.
            suffix = try formatArguments(args, [])
            args = try findAttribute(fn, "args").map { try iterateToArray($0) } ?? []
            if let kw = try findAttribute(fn, "keywords")?.asDict {
                for k in kw.liveKeys { keywords.append((try str(k), try kw.get(k, self) ?? .none)) }
            }
            fn = inner
            source = inner
            while isPartial(source), let deeper = try findAttribute(source, "func") { source = deeper }
        }
        var text: String
        if let q = try findAttribute(fn, "__qualname__")?.asStr?.value, !q.isEmpty {
            text = q
        } else if let n = try findAttribute(fn, "__name__")?.asStr?.value, !n.isEmpty {
            text = n
        } else {
            text = try repr(fn)
        }
        text += try formatArguments(args, keywords) + suffix
        if let f = source.asFunction {
            let code = f.code.code
            text += " at \(code.filename):\(code.firstLine)"
        }
        return text
    }

    private func isPartial(_ v: Value) -> Bool {
        let t = typeOf(v)
        return t.name == "partial" && t.moduleName == "functools"
    }

    /// `(a, b, k=v)`, each value as `reprlib.repr` shows it.
    private func formatArguments(_ args: [Value], _ keywords: [(String, Value)]) throws -> String {
        var items = try args.map { try reprShortened($0) }
        for (k, v) in keywords { items.append(k + "=" + (try reprShortened(v))) }
        return "(" + items.joined(separator: ", ") + ")"
    }

    /// A handle's callback and its arguments.
    func handleCall(_ h: HandleObj) -> (Value, [Value])? {
        switch h.work {
        case .call(let fn, let args): return (fn, args)
        case .callback(.call(let fn), let f): return (fn, [Value(f)])
        case .callback: return nil
        }
    }

    /// `<Handle cb(args) at file:line>`, `<TimerHandle when=12.5 cb() at ...>`, `<Handle cancelled>`
    /// (a cancelled handle forgets its callback).
    func handleRepr(_ h: HandleObj) throws -> String {
        var info = [h.when == nil ? "Handle" : "TimerHandle"]
        if h.cancelled { info.append("cancelled") }
        if let when = h.when { info.append("when=" + (try repr(.float(when)))) }
        if !h.cancelled {
            switch h.work {
            case .callback(.wakeup, let f): info.append("Task.task_wakeup(" + (try reprShortened(Value(f))) + ")")
            case .callback(.gather, let f): info.append("gather.<locals>._done_callback(" + (try reprShortened(Value(f))) + ")")
            default:
                if let (fn, args) = handleCall(h) { info.append(try callbackSource(fn, args)) }
            }
        }
        return "<" + info.joined(separator: " ") + ">"
    }

    /// The line a suspended coroutine's own frame is at (its first line before it starts).
    func coroutineLine(_ g: GeneratorObj) -> Int {
        let code = g.function.code.code
        guard g.state != .created, g.fiber.frameCount > 0 else { return code.firstLine }
        let frame = g.fiber.frames[0]
        return frame.code.takeUnretainedValue().code.location(at: max(0, frame.ip - 1)).line
    }
}
