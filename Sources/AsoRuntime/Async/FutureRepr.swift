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
        let name = isTask != nil ? "Task" : (f.type === types.future || f.flags & Obj.futureFlag == 0 ? "Future" : f.type.name)
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
        return try str(try call(shorten, [v]))
    }

    private func callbackRepr(_ c: FutureCallback) throws -> String {
        switch c {
        case .wakeup: return "Task.task_wakeup()"
        case .gather: return "gather.<locals>._done_callback()"
        case .call(let fn):
            if let f = fn.asFunction {
                let code = f.code.code
                return "\(f.qualifiedName)() at \(code.filename):\(code.firstLine)"
            }
            if let q = try findAttribute(fn, "__qualname__")?.asStr?.value { return q + "()" }
            return try repr(fn)
        }
    }

    /// The line a suspended coroutine's own frame is at (its first line before it starts).
    func coroutineLine(_ g: GeneratorObj) -> Int {
        let code = g.function.code.code
        guard g.state != .created, g.fiber.frameCount > 0 else { return code.firstLine }
        let frame = g.fiber.frames[0]
        return frame.code.takeUnretainedValue().code.location(at: max(0, frame.ip - 1)).line
    }
}
