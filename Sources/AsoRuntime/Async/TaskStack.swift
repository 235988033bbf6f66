// `Task.get_stack` and `Task.print_stack` (3.11's base_tasks.py), and the frame objects they
// return, which `tb_frame` also hands out.
//
// One idea: a frame object is a snapshot, a code object and a line, made when asked for. A
// suspended task's stack is its coroutine's own frame (a suspended coroutine has no caller, so
// CPython's walk of `f_back` stops there); a task that failed shows the frames of its exception's
// traceback; any other task has none.

import AsoBytecode

/// A frame as scripts see it: `f_code`, `f_lineno`, `f_back` (always None).
final class FrameObj: Obj {
    let code: CodeObject
    let line: Int

    init(code: CodeObject, line: Int, type: __shared TypeObject) {
        self.code = code
        self.line = line
        super.init(kind: .other, type: type)
    }
}

/// The `f_code` of a frame object: `co_name`, `co_qualname`, `co_filename`, `co_firstlineno`.
final class CodeInfoObj: Obj {
    let code: CodeObject

    init(code: CodeObject, type: __shared TypeObject) {
        self.code = code
        super.init(kind: .other, type: type)
    }
}

extension Runtime {
    func newFrame(_ code: CodeObject, line: Int) -> Value {
        Value(heap.register(FrameObj(code: code, line: line, type: types.frame)))
    }

    /// The attributes of frame and code objects, nil for any other object or name.
    func frameAttribute(_ o: Obj, _ name: String) -> Value? {
        if let f = o as? FrameObj {
            switch name {
            case "f_lineno": return .int(f.line)
            case "f_code": return Value(heap.register(CodeInfoObj(code: f.code, type: types.code)))
            case "f_back": return Value.none
            default: return nil
            }
        }
        let code: CodeObject
        if let c = o as? CodeInfoObj { code = c.code } else if let c = o as? CodeObj { code = c.code } else { return nil }
        switch name {
        case "co_name": return newStr(code.name)
        case "co_qualname": return newStr(code.qualifiedName)
        case "co_filename": return newStr(code.filename)
        case "co_firstlineno": return .int(code.firstLine)
        default: return nil
        }
    }

    /// The introspection attributes of generators, coroutines and async generators (`gi_frame`,
    /// `cr_await`, `ag_code`, ..., `__name__`), nil for any other name.
    func generatorAttribute(_ g: GeneratorObj, _ name: String) -> Value? {
        if name == "__name__" { return newStr(g.function.name) }
        if name == "__qualname__" { return newStr(g.function.qualifiedName) }
        let prefix: String
        if g.hasType(types.coroutine) { prefix = "cr_" } else if g.hasType(types.generator) { prefix = "gi_" } else { prefix = "ag_" }
        guard name.hasPrefix(prefix) else { return nil }
        switch name.dropFirst(3) {
        case "running": return .bool(g.state == .running)
        case "suspended" where prefix == "gi_": return .bool(g.state == .suspended || g.state == .delegated)
        case "code": return Value(heap.register(CodeInfoObj(code: g.function.code.code, type: types.code)))
        case "frame": return g.state == .finished ? .none : newFrame(g.function.code.code, line: coroutineLine(g))
        case "yieldfrom" where prefix == "gi_", "await" where prefix != "gi_": return delegatedTo(g) ?? Value.none
        case "origin" where prefix == "cr_": return Value.none
        default: return nil
        }
    }

    /// What a suspended generator or coroutine is delegating to (`yield from`, `await`): the
    /// iterator its frame keeps below the delegation loop's value, nil when it is not in one.
    private func delegatedTo(_ g: GeneratorObj) -> Value? {
        guard g.state == .suspended, g.fiber.frameCount > 0 else { return nil }
        let frame = g.fiber.frames[0]
        if g.fiber.frameCount > 1 {
            // An awaited coroutine's frame runs above this one; `send` left `(it v)` here.
            return frame.sp >= 2 ? g.fiber.stack[frame.sp - 2] : nil
        }
        return delegation(g)?.iterator
    }

    /// base_tasks' `_task_get_stack`: the frames, outermost first, at most `limit` of them (the
    /// innermost ones for a suspended task, the outermost ones of a traceback).
    func taskStack(_ task: TaskObj, limit: Int?) -> [Value] {
        if let g = task.coro.asObject(.generator, GeneratorObj.self), g.state != .finished {
            guard limit.map({ $0 > 0 }) ?? true else { return [] }
            return [newFrame(g.function.code.code, line: coroutineLine(g))]
        }
        guard let e = task.exception else { return [] }
        var frames: [Value] = []
        for entry in e.traceback.reversed() {
            if let l = limit, frames.count >= l { break }
            frames.append(newFrame(entry.code, line: entry.code.location(at: entry.pc).line))
        }
        return frames
    }

    func installTaskStackMethods() {
        types.task.dict["get_stack"] = native("get_stack", owner: "Task") { rt, args in
            try rt.checkKeywords(args, ["limit"], "get_stack")
            try rt.checkCount(args.count - 1, "get_stack", min: 0, max: 1)
            guard let task = args[0].asTask else { throw rt.typeError("get_stack() needs a Task") }
            let limit = try rt.stackLimit(args.count > 1 ? args[1] : args.keyword("limit") ?? .none)
            return rt.newList(rt.taskStack(task, limit: limit))
        }
        types.task.dict["print_stack"] = native("print_stack", owner: "Task") { rt, args in
            try rt.checkKeywords(args, ["limit", "file"], "print_stack")
            try rt.checkCount(args.count - 1, "print_stack", min: 0, max: 2)
            guard let task = args[0].asTask else { throw rt.typeError("print_stack() needs a Task") }
            let limit = try rt.stackLimit(args.count > 1 ? args[1] : args.keyword("limit") ?? .none)
            let file = args.count > 2 ? args[2] : args.keyword("file") ?? .none
            try rt.printTaskStack(task, limit: limit, file: file)
            return .none
        }
    }

    private func stackLimit(_ v: Value) throws -> Int? {
        if v.isNone { return nil }
        guard let n = indexValue(v) else { throw typeError("'\(typeName(v))' object cannot be interpreted as an integer") }
        return n
    }

    /// base_tasks' `_task_print_stack`: a header, the frames as `traceback.print_list` prints them,
    /// and the exception's last line for a failed task; to `file`, or to `sys.stderr`.
    func printTaskStack(_ task: TaskObj, limit: Int?, file: Value) throws {
        let frames = taskStack(task, limit: limit)
        let taskRepr = try repr(Value(task))
        var out: String
        if frames.isEmpty {
            out = "No stack for \(taskRepr)\n"
        } else if task.exception != nil {
            out = "Traceback for \(taskRepr) (most recent call last):\n"
        } else {
            out = "Stack for \(taskRepr) (most recent call last):\n"
        }
        for case .object(let u) in frames {
            guard let f = u.takeUnretainedValue() as? FrameObj else { continue }
            out += "  File \"\(f.code.filename)\", line \(f.line), in \(f.code.name)\n"
            if let src = rawSourceLine(f.code.filename, f.line) {
                let shown = src.trimmingCharacters(in: " \t\u{0C}\r\n")
                if !shown.isEmpty { out += "    \(shown)\n" }
            }
        }
        if let e = task.exception { out += exceptionOnly(e) }
        try writeText(out, file: file, stderr: true)
    }

    /// `sys.stdout` or `sys.stderr` when a script replaced it (contextlib.redirect_stdout, a
    /// test's capture), nil while it is the host's stream.
    func replacedStream(_ name: String) -> Value? {
        guard let sys = modules["sys"], let now = sys.get(name), let original = sys.get("__\(name)__"),
              !now.isNone, identity(now) != identity(original) else { return nil }
        return now
    }

    /// Writes `text` to a file object's `write`, or (for None) to sys.stderr or sys.stdout as
    /// they are now: the host's stream unless a script replaced them.
    func writeText(_ text: String, file: Value, stderr: Bool) throws {
        var target = file
        if target.isNone, let now = replacedStream(stderr ? "stderr" : "stdout") { target = now }
        if target.isNone {
            try chargeOutput(text.utf8.count)
            if stderr { writeErr(text) } else { writeOut(text) }
            return
        }
        guard let write = try findAttribute(target, "write") else { throw noAttribute(target, "write") }
        tempRoots.append(write)
        defer { tempRoots.removeLast() }
        _ = try call(write, one: newStr(text))
    }
}
