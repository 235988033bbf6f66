// Generators: a function frame that suspends at `yield`.
//
// One idea: a generator owns a fiber whose bottom frame is the generator function's frame.
// Resuming it runs the dispatch loop on that fiber until the frame yields (the loop returns
// `.yielded`, leaving the frame in place: that is the continuation) or returns. Coroutines are the
// same object; a coroutine awaited by another one runs its frame on the awaiter's fiber instead
// (VM.swift: the `await` fast path of `call`, and `moveAwaited`), so a task's whole chain of
// awaits is one fiber, suspended and resumed as one.

import AsoBytecode

final class GeneratorObj: Fiber {
    /// `delegated`: a coroutine whose frame was moved onto the fiber of the coroutine awaiting it
    /// (it runs there, and `finishAwaited` marks it finished when that frame ends).
    enum State: Int { case created, suspended, running, delegated, finished }
    /// The generator function's frame and value stack: the generator is its own fiber.
    var fiber: Fiber { @inline(__always) get { self } }
    /// The function that made it (for its name). Unmanaged, kept alive by `trace`: making and
    /// freeing a coroutine does no reference counting for it.
    var function: FunctionObj { functionRef.takeUnretainedValue() }
    private let functionRef: Unmanaged<FunctionObj>
    /// Where it was made (code and instruction), for "coroutine ... was never awaited".
    /// (Unmanaged, kept alive by `trace`: making a coroutine does no reference counting for it.)
    var origin: (code: Unmanaged<CodeObj>, pc: Int)? {
        get { originCode.map { ($0, Int(originPC)) } }
        set {
            originCode = newValue?.code
            originPC = Int32(truncatingIfNeeded: newValue?.pc ?? 0)
        }
    }
    /// `origin`: the code here, the instruction in `aux32` (a generator is made per call: its
    /// size counts).
    private var originCode: Unmanaged<CodeObj>?
    private var originPC: Int32 {
        get { aux32 }
        set { aux32 = newValue }
    }
    /// Kept in `aux8` (written on every resume, with no exclusivity check).
    var state: State {
        @inline(__always) get { State(rawValue: Int(aux8)) ?? .finished }
        @inline(__always) set { aux8 = UInt8(truncatingIfNeeded: newValue.rawValue) }
    }

    /// A generator for `function` whose block has room for `capacity` slots and one frame.
    init(capacity: Int, function: __shared FunctionObj, type: __shared TypeObject) {
        functionRef = .passUnretained(function)
        super.init(capacity: capacity, frameCapacity: 1, kind: .generator, type: type)
        state = .created
    }

    /// The object plus its fiber's stack and frames (so the collector paces itself by them).
    override var estimatedSize: Int {
        96 &+ fiber.capacity &* MemoryLayout<Value>.stride &+ fiber.frameCapacity &* MemoryLayout<Frame>.stride
    }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(unmanaged: functionRef)
        if let o = originCode { t.mark(unmanaged: o) }
        if state != .finished {
            traceContents(&t)
        } else {
            // A finished generator's frames are gone (as CPython drops a finished coroutine's
            // frame); a collection is a safepoint, where nothing reads its stack any more.
            shrinkToMinimum()
        }
    }
}

extension Runtime {
    /// Calling a simple generator or coroutine function with exactly its positional arguments
    /// (`CodeObj.resumableArgCount`): copies them into a new suspended frame.
    func makeGeneratorFast(_ fn: FunctionObj, _ args: UnsafeMutablePointer<Value>, origin: CodeObj, pc: Int) -> Value {
        let fiber = unregisteredGenerator(fn)
        fn.codeRef._withUnsafeGuaranteedRef { code in
            let n = code.argCount, stack = fiber.stack
            for i in 0..<code.localCount { stack[i] = i < n ? args[i] : .null }
        }
        return newGenerator(fn, consume fiber, origin: (Unmanaged.passUnretained(origin), pc))
    }

    /// Calling a generator or coroutine function with arguments that need binding (keywords,
    /// defaults, `*args`, `**kwargs`): they are bound straight into the new frame's slots, by
    /// `bindPlainly` when the call is plain, else by the general binder (which raises CPython's
    /// errors). `names` are the keyword names (string values) with their values at `values`.
    func makeGenerator(_ fn: FunctionObj, positional: UnsafeBufferPointer<Value>, names: UnsafeBufferPointer<Value>,
                       values: UnsafePointer<Value>, origin: (code: Unmanaged<CodeObj>, pc: Int)) throws -> Value {
        let g = unregisteredGenerator(fn)
        try fn.codeRef._withUnsafeGuaranteedRef { code in
            let slots = g.stack
            if try !bindPlainly(fn, code, slots, positional: positional, names: names, values: values) {
                for i in 0..<code.localCount { slots[i] = .null }
                try bindArguments(fn, positional: positional, keywords: keywordList(names, values), into: slots)
            }
        }
        return newGenerator(fn, consume g, origin: origin)
    }

    /// The generator, coroutine or async generator for `fn`, whose arguments are already in the
    /// first slots of its stack: its frame is pushed, suspended before its first instruction, and
    /// the heap takes it.
    private func newGenerator(_ fn: FunctionObj, _ g: consuming GeneratorObj, origin: (code: Unmanaged<CodeObj>, pc: Int)?) -> Value {
        // (The generator is the caller's to give: the heap takes it without reference counting.)
        let locals = fn.codeRef._withUnsafeGuaranteedRef { $0.localCount }
        Unmanaged.passUnretained(g)._withUnsafeGuaranteedRef { g in
            g.sp = locals
            _ = g.push(Frame(code: fn.codeRef, function: Value(fn), ip: 0, base: 0,
                             sp: locals, returnSlot: 0, namespace: .null, exit: .toHost))
            if g.hasType(types.coroutine) { g.origin = origin }
        }
        return Value(heap.register(g))
    }

    /// The instruction of the running script frame (the call being made).
    func callerPosition() -> (code: Unmanaged<CodeObj>, pc: Int)? {
        guard let f = activeFibers.last, f.frameCount > 0 else { return nil }
        let frame = f.frames[f.frameCount - 1]
        return (frame.code, frame.ip - 1)
    }

    /// CPython's warning for a coroutine that was made and never started. As the "default"
    /// warning filter, it is written once per place (and message); one still alive at exit is
    /// warned about as CPython's shutdown does, from `sys:1` and without the tracemalloc hint.
    func neverAwaitedWarning(_ g: GeneratorObj, atExit: Bool = false) -> String {
        var text = ""
        let message = "RuntimeWarning: coroutine '\(g.function.qualifiedName)' was never awaited"
        if atExit {
            guard warnedNeverAwaited.insert("sys:1: " + message).inserted else { return "" }
            return "sys:1: " + message + "\n"
        }
        if let (codeObj, pc) = g.origin {
            let code = codeObj.takeUnretainedValue().code
            let line = code.location(at: pc).line
            guard warnedNeverAwaited.insert("\(code.filename):\(line): " + message).inserted else { return "" }
            text += "\(code.filename):\(line): RuntimeWarning: coroutine '\(g.function.qualifiedName)' was never awaited\n"
            if let src = rawSourceLine(code.filename, line) {
                let trimmed = src.trimmingCharacters(in: " \t\u{0C}")
                if !trimmed.isEmpty { text += "  \(trimmed)\n" }
            }
        } else {
            text += "RuntimeWarning: coroutine '\(g.function.qualifiedName)' was never awaited\n"
        }
        return text + "RuntimeWarning: Enable tracemalloc to get the object allocation traceback\n"
    }

    /// The class of what calling `fn`'s code makes.
    @inline(__always) func resumableType(_ code: CodeObj) -> TypeObject {
        let flags = code.code.flags
        if flags.contains(.asyncGenerator) { return types.asyncGenerator }
        return flags.contains(.coroutine) ? types.coroutine : types.generator
    }

    /// Calling a generator function: binds the arguments into a new fiber, runs nothing yet.
    func makeGenerator(_ fn: FunctionObj, _ args: [Value], keywords: [(name: String, value: Value)]) throws -> Value {
        let code = fn.code
        let fiber = unregisteredGenerator(fn)
        for i in 0..<code.localCount { fiber.stack[i] = .null }
        try args.withUnsafeBufferPointer { buf in
            let plain = code.isSimple || (code.code.keywordOnlyCount == 0
                                          && !code.code.flags.contains(.varArgs) && !code.code.flags.contains(.varKeywords))
            if plain && keywords.isEmpty && buf.count == code.code.argCount {
                for i in 0..<buf.count { fiber.stack[i] = buf[i] }
            } else {
                try bindArguments(fn, positional: buf, keywords: keywords, into: fiber.stack)
            }
        }
        return newGenerator(fn, consume fiber, origin: callerPosition())
    }

    /// `next(g)` / `g.send(v)`: runs the generator to its next yield or its end.
    func resume(_ g: GeneratorObj, sending v: Value) throws -> ResumeResult {
        switch g.state {
        case .running, .delegated: throw alreadyExecuting(g)
        case .finished:
            if g.hasType(types.coroutine) { throw runtimeError("cannot reuse already awaited coroutine") }
            return .returned(.none)
        case .created:
            if !v.isNone { throw typeError("can't send non-None value to a just-started generator") }
            return try resume(g, .fresh)
        case .suspended:
            return try resume(g, .value(v))
        }
    }

    /// `g.throw(e)`: raises `e` at the generator's suspended yield.
    func resumeThrowing(_ g: GeneratorObj, _ e: ExceptionObj) throws -> ResumeResult {
        switch g.state {
        case .running, .delegated: throw alreadyExecuting(g)
        case .finished where g.hasType(types.coroutine):
            throw runtimeError("cannot reuse already awaited coroutine")
        case .finished, .created:
            g.state = .finished
            throw ScriptError(exception: e)
        case .suspended:
            if let d = delegation(g) { return try throwThroughDelegate(g, d, e) }
            return try resume(g, .raise(e))
        }
    }

    /// The iterator a suspended generator is delegating to with `yield from`, and the instruction
    /// that follows the delegation loop; nil when it is paused at a plain `yield`. The compiler
    /// emits the loop as `send exit; yieldValue; jump send`, so a generator paused inside one has
    /// its next instruction a jump to a `send`, with the iterator on top of its stack.
    func delegation(_ g: GeneratorObj) -> (iterator: Value, exit: Int)? {
        let fiber = g.fiber
        guard fiber.frameCount > 0, fiber.sp > 0 else { return nil }
        let frame = fiber.frames[fiber.frameCount - 1]
        let words = frame.code.takeUnretainedValue().code.code
        let ip = frame.ip
        guard ip >= 0, ip < words.count, words[ip] & 0xFF == UInt32(OpCode.jump.rawValue) else { return nil }
        let target = Int(words[ip] >> 8)
        guard target < words.count, words[target] & 0xFF == UInt32(OpCode.send.rawValue) else { return nil }
        return (fiber.stack[fiber.sp - 1], Int(words[target] >> 8))
    }

    /// `throw()`/`close()` on a generator paused in `yield from`, as CPython does: GeneratorExit
    /// first closes the delegate; any other exception goes to the delegate's `throw`. When the
    /// delegate yields, so does the generator; when it returns, the `yield from` evaluates to its
    /// value; when it raises, the exception is raised in the generator at the `yield from`.
    private func throwThroughDelegate(_ g: GeneratorObj, _ d: (iterator: Value, exit: Int), _ e: ExceptionObj) throws -> ResumeResult {
        let sub = d.iterator.asObject(.generator, GeneratorObj.self)
        g.state = .running
        if e.type.isSubtype(of: exc.generatorExit) {
            var raised = e
            do {
                if let sub { try closeGenerator(sub) } else if let close = try findAttribute(d.iterator, "close") {
                    _ = try call(close, [])
                }
            } catch let err as ScriptError { raised = err.exception }
            g.state = .suspended
            return try resume(g, .raise(raised))
        }
        var outcome: ResumeResult
        // A native awaitable takes the exception in its own step (a sleep cancels its timer, an
        // async generator's `__anext__` throws it into the generator).
        let native = d.iterator.asAwaitable
        let throwMethod = sub == nil && native == nil ? try findAttribute(d.iterator, "throw") : nil
        if sub == nil && native == nil && throwMethod == nil {
            // A delegate without `throw` (a native awaitable): the exception is raised at the
            // delegation itself. (Outside the `do` below: what the generator then raises is its own.)
            g.state = .suspended
            return try resume(g, .raise(e))
        }
        do {
            if let sub {
                outcome = try resumeThrowing(sub, e)
            } else if let native {
                outcome = try native.resume(self, e)
            } else {
                outcome = .yielded(try call(throwMethod ?? .none, [Value(e)]))
            }
        } catch let err as ScriptError {
            g.state = .suspended
            if sub == nil && err.exception.type.isSubtype(of: exc.stopIteration) {
                outcome = .returned(err.exception.attributes["value"] ?? .none)
            } else {
                return try resume(g, .raise(err.exception))
            }
        }
        g.state = .suspended
        switch outcome {
        case .yielded(let v):
            return .yielded(v)
        case .parked:
            return .parked
        case .returned(let r):
            // End the delegation loop as its `send` would: drop the iterator, continue after the loop.
            let fiber = g.fiber
            fiber.sp -= 1
            fiber.frames[fiber.frameCount - 1].sp = fiber.sp
            fiber.frames[fiber.frameCount - 1].ip = d.exit
            return try resume(g, .value(r))
        }
    }

    private func resume(_ g: GeneratorObj, _ mode: Resume) throws -> ResumeResult {
        if hot.pointee.depth >= hot.pointee.recursionLimit {
            // As in CPython, the frame is entered and left at once: the generator is done.
            g.state = .finished
            throw error(exc.recursionError, "maximum recursion depth exceeded")
        }
        // Every frame of the chain counts (awaited coroutines run on the same fiber).
        depth += g.fiber.frameCount
        g.state = .running
        activeFibers.append(g.fiber)
        let outcome = run(g.fiber, resume: mode)
        activeFibers.removeLast()
        switch outcome {
        case .yielded(let v):
            depth -= g.fiber.frameCount
            g.state = .suspended
            return .yielded(v)
        case .parked:
            depth -= g.fiber.frameCount
            g.state = .suspended
            return .parked
        case .returned(let v):
            g.state = .finished
            return .returned(v)
        case .raised(let e):
            g.state = .finished
            throw ScriptError(exception: leakedStopIteration(e, g.function.code.code.flags))
        }
    }

    /// What leaves a generator or coroutine frame: a StopIteration becomes a RuntimeError (PEP 479),
    /// anything else goes on as it is.
    func leakedStopIteration(_ e: ExceptionObj, _ flags: CodeFlags) -> ExceptionObj {
        guard e.type.isSubtype(of: exc.stopIteration) else { return e }
        let what = flags.contains(.asyncGenerator) ? "async generator" : flags.contains(.coroutine) ? "coroutine" : "generator"
        let r = newException(exc.runtimeError, "\(what) raised StopIteration")
        r.cause = Value(e)
        r.context = Value(e)
        r.suppressContext = true
        return r
    }

    /// The end of a coroutine object's frame that ran on its awaiter's fiber.
    func finishAwaited(_ coroutine: Value) {
        coroutine.asObject(.generator, GeneratorObj.self)?.state = .finished
    }

    /// A new generator or coroutine for `fn`, not yet given to the heap. Most run one frame, so
    /// its stack starts at the frame's size and grows on demand.
    private func unregisteredGenerator(_ fn: FunctionObj) -> GeneratorObj {
        fn.codeRef._withUnsafeGuaranteedRef { code in
            Unmanaged.passUnretained(resumableType(code))._withUnsafeGuaranteedRef {
                GeneratorObj(capacity: code.frameSize, function: fn, type: $0)
            }
        }
    }

    /// `g.close()`: raises GeneratorExit inside a suspended generator.
    func closeGenerator(_ g: GeneratorObj) throws {
        if g.state == .running || g.state == .delegated { throw alreadyExecuting(g) }
        guard g.state == .suspended else { g.state = .finished; return }
        do {
            if case .yielded = try resumeThrowing(g, newException(exc.generatorExit, nil)) {
                throw runtimeError("generator ignored GeneratorExit")
            }
        } catch let e as ScriptError where e.exception.type.isSubtype(of: exc.generatorExit)
                    || e.exception.type.isSubtype(of: exc.stopIteration) {
            return
        }
    }

    func installGeneratorMethods() {
        let t = types.generator
        t.dict["send"] = native("send", owner: "generator") { rt, args in
            guard args.count == 2, let g = args[0].asObject(.generator, GeneratorObj.self) else {
                throw rt.typeError("send() takes exactly one argument")
            }
            switch try rt.resume(g, sending: args[1]) {
            case .yielded(let v): return v
            case .returned(let r): throw ScriptError(exception: rt.stopIteration(r))
            case .parked: throw rt.parkedOutsideTask()
            }
        }
        t.dict["throw"] = native("throw", owner: "generator") { rt, args in
            guard args.count >= 2, let g = args[0].asObject(.generator, GeneratorObj.self) else {
                throw rt.typeError("throw expected at least 1 argument, got 0")
            }
            var e = args[1]
            if let cls = e.asType { e = try rt.call(Value(cls), args.count > 2 ? [args[2]] : []) }
            guard let ex = e.asException else { throw rt.typeError("exceptions must be classes or instances deriving from BaseException, not \(rt.typeName(e))") }
            switch try rt.resumeThrowing(g, ex) {
            case .yielded(let v): return v
            case .returned(let r): throw ScriptError(exception: rt.stopIteration(r))
            case .parked: throw rt.parkedOutsideTask()
            }
        }
        t.dict["close"] = native("close", owner: "generator") { rt, args in
            if let g = args.count > 0 ? args[0].asObject(.generator, GeneratorObj.self) : nil { try rt.closeGenerator(g) }
            return .none
        }
        t.dict["__next__"] = native("__next__", owner: "generator") { rt, args in
            guard let g = args.count > 0 ? args[0].asObject(.generator, GeneratorObj.self) : nil else { return .none }
            switch try rt.resume(g, sending: .none) {
            case .yielded(let v): return v
            case .returned(let r): throw ScriptError(exception: rt.stopIteration(r))
            case .parked: throw rt.parkedOutsideTask()
            }
        }
        t.dict["__iter__"] = native("__iter__", owner: "generator") { _, args in args[0] }
        for name in ["send", "throw", "close"] { types.coroutine.dict[name] = t.dict[name] }
        types.coroutine.dict["__await__"] = native("__await__", owner: "coroutine") { rt, args in
            guard let g = args.count > 0 ? args[0].asObject(.generator, GeneratorObj.self) : nil else { return .none }
            return Value(rt.coroutineWrapper(g))
        }
        // The wrapper's methods are the coroutine's, applied to the coroutine it wraps.
        let wrapper = types.coroutineWrapper
        for name in ["send", "throw", "close", "__next__"] {
            guard let method = t.dict[name] else { continue }
            wrapper.dict[name] = native(name, owner: "coroutine_wrapper") { rt, args in
                guard args.count > 0, case .object(let u) = args[0], let a = u.takeUnretainedValue() as? ClosureAwait,
                      let coro = a.traced.first else { throw rt.typeError("descriptor '\(name)' requires a 'coroutine_wrapper' object") }
                var all = Array(args.positional)
                all[0] = coro
                return try rt.call(method, all)
            }
        }
        wrapper.dict["__iter__"] = native("__iter__", owner: "coroutine_wrapper") { _, args in args[0] }
        // Every StopIteration has a `value`; one made without arguments (by a native iterator
        // running out) finds None here, on its class.
        exc.stopIteration.dict["value"] = Value.none
    }

    /// `coroutine.__await__()`: an iterator over the coroutine (awaiting it drives the coroutine).
    func coroutineWrapper(_ g: GeneratorObj) -> ClosureAwait {
        heap.register(ClosureAwait(traced: [Value(g)], type: types.coroutineWrapper) { rt, _, e in
            if let e { return try rt.resumeThrowing(g, e) }
            return try rt.resume(g, sending: .none)
        })
    }

    /// A generator or coroutine resumed by anything but its task's step reported `.parked`, which
    /// cannot happen (`sleepTask` parks only the fiber of the task being stepped).
    func parkedOutsideTask() -> ScriptError {
        runtimeError("a coroutine parked outside its task's step")
    }

    /// "generator already executing" / "coroutine already executing".
    func alreadyExecuting(_ g: GeneratorObj) -> ScriptError {
        valueError(g.hasType(types.coroutine) ? "coroutine already executing" : "generator already executing")
    }

    /// A StopIteration carrying a generator's return value (no args when it is None).
    func stopIteration(_ value: Value) -> ExceptionObj {
        let e = heap.register(ExceptionObj(type: exc.stopIteration, args: value.isNone ? newTuple([]) : newTuple([value])))
        e.attributes["value"] = value
        return e
    }
}
