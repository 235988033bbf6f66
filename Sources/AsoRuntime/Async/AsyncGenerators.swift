// Async generators: `yield` inside `async def`, consumed with `async for`.
//
// One idea: an async generator is a generator-style frame whose yields are of two kinds. A value
// from `yield` comes marked (ASYNC_GEN_WRAP) and goes to the consumer: the awaitable returned by
// `__anext__` returns it. Anything else it yields comes from an `await` inside it (a future the task
// must wait for) and is passed up unchanged. A finished generator makes `__anext__` raise
// StopAsyncIteration, which ends an `async for`.

extension Runtime {
    /// `asyncGenWrap`: `v` marked as a value the async generator yields to its consumer. (Out of
    /// the dispatch loop: code inlined there, even on paths that seldom run, moves its hot paths.)
    @inline(never)
    func wrapAsyncYield(_ v: Value) -> Value {
        let wrapped = heap.register(InstanceObj(type: types.asyncGenWrapped))
        wrapped.attributes["value"] = v
        return Value(wrapped)
    }

    /// The value a marked yield carries, or nil for a yield from an inner `await`.
    private func unwrapAsyncYield(_ v: Value) -> Value? {
        guard let w = v.asObject(.instance, InstanceObj.self), w.hasType(types.asyncGenWrapped) else { return nil }
        return w.attributes["value"] ?? Value.none
    }

    /// The awaitable of `__anext__()` / `asend(v)` (`sending` is sent on the first step) or
    /// `athrow(e)` (`throwing` is thrown in on the first step).
    func asyncGenStep(_ g: GeneratorObj, sending: Value = .none, throwing: ExceptionObj? = nil) -> AwaitObj {
        var first = true
        return heap.register(ClosureAwait(traced: [Value(g), sending, throwing.map { Value($0) } ?? .none],
                                      type: types.nativeCoroutine) { rt, _, e in
            let outcome: ResumeResult
            if first {
                first = false
                if let t = throwing ?? e {
                    // athrow() on a finished async generator does nothing in 3.11.
                    if throwing != nil && g.state == .finished { return .returned(.none) }
                    outcome = try rt.resumeThrowing(g, t)
                } else {
                    if g.state == .finished { throw rt.error(rt.exc.stopAsyncIteration, nil) }
                    outcome = try rt.resume(g, sending: sending)
                }
            } else if let e {
                outcome = try rt.resumeThrowing(g, e)
            } else {
                outcome = try rt.resume(g, sending: .none)
            }
            switch outcome {
            case .yielded(let y):
                if let v = rt.unwrapAsyncYield(y) { return .returned(v) }
                return .yielded(y)
            case .returned:
                throw rt.error(rt.exc.stopAsyncIteration, nil)
            case .parked:
                throw rt.parkedOutsideTask()
            }
        })
    }

    /// `aclose()`: throws GeneratorExit in; a generator that yields a value instead is an error.
    func asyncGenClose(_ g: GeneratorObj) -> AwaitObj {
        var first = true
        return heap.register(ClosureAwait(traced: [Value(g)], type: types.nativeCoroutine) { rt, _, e in
            let outcome: ResumeResult
            do {
                if first {
                    first = false
                    if g.state != .suspended {
                        g.state = .finished
                        return .returned(.none)
                    }
                    outcome = try rt.resumeThrowing(g, rt.newException(rt.exc.generatorExit, nil))
                } else if let e {
                    outcome = try rt.resumeThrowing(g, e)
                } else {
                    outcome = try rt.resume(g, sending: .none)
                }
            } catch let err as ScriptError where err.exception.type.isSubtype(of: rt.exc.generatorExit)
                        || err.exception.type.isSubtype(of: rt.exc.stopAsyncIteration) {
                return .returned(.none)
            }
            switch outcome {
            case .yielded(let y):
                if rt.unwrapAsyncYield(y) != nil { throw rt.runtimeError("async generator ignored GeneratorExit") }
                return .yielded(y)
            case .returned:
                return .returned(.none)
            case .parked:
                throw rt.parkedOutsideTask()
            }
        })
    }

    func installAsyncGeneratorMethods() {
        let t = types.asyncGenerator
        func method(_ name: String, _ body: @escaping (Runtime, GeneratorObj, Args) throws -> Value) {
            t.dict[name] = native(name, owner: "async_generator") { rt, args in
                guard args.count >= 1, let g = args[0].asObject(.generator, GeneratorObj.self), g.hasType(rt.types.asyncGenerator) else {
                    throw rt.typeError("descriptor '\(name)' requires an 'async_generator' object")
                }
                return try body(rt, g, args)
            }
        }
        method("__aiter__") { _, g, _ in Value(g) }
        method("__anext__") { rt, g, _ in Value(rt.asyncGenStep(g)) }
        method("asend") { rt, g, args in
            try rt.checkCount(args.count - 1, "asend", min: 1, max: 1)
            return Value(rt.asyncGenStep(g, sending: args[1]))
        }
        method("athrow") { rt, g, args in
            try rt.checkCount(args.count - 1, "athrow", min: 1, max: 3)
            var e = args[1]
            if let cls = e.asType { e = try rt.call(Value(cls), []) }
            guard let x = e.asException else {
                throw rt.typeError("exceptions must be classes or instances deriving from BaseException, not \(rt.typeName(e))")
            }
            return Value(rt.asyncGenStep(g, throwing: x))
        }
        method("aclose") { rt, g, _ in Value(rt.asyncGenClose(g)) }
    }
}
