// The builtins `aiter()` and `anext()`: the async counterparts of `iter()` and `next()`.
//
// One idea: `anext(it)` is `it.__anext__()` (the awaitable itself); with a default it is a
// native awaitable that drives that one and turns its StopAsyncIteration into the default.

extension Runtime {
    func installAsyncBuiltins() {
        builtins.set("aiter", native("aiter") { rt, args in
            try rt.checkKeywords(args, [], "aiter")
            try rt.checkCount(args.count, "aiter", min: 1, max: 1)
            let obj = args[0]
            guard let method = try rt.specialMethod(obj, "__aiter__") else {
                throw rt.typeError("'\(rt.typeName(obj))' object is not an async iterable")
            }
            let it = try rt.call(method, [])
            if try rt.specialMethod(it, "__anext__") == nil {
                throw rt.typeError("aiter() returned not an async iterator of type '\(rt.typeName(it))'")
            }
            return it
        })
        builtins.set("anext", native("anext") { rt, args in
            try rt.checkKeywords(args, [], "anext")
            try rt.checkCount(args.count, "anext", min: 1, max: 2)
            let it = args[0]
            let fallback: Value? = args.count == 2 ? args[1] : nil
            guard let method = try rt.specialMethod(it, "__anext__") else {
                throw rt.typeError("'\(rt.typeName(it))' object is not an async iterator")
            }
            let step = try rt.call(method, [])
            guard let fallback else { return step }
            let inner = try rt.awaitable(step, from: 3)
            return Value(rt.heap.register(ClosureAwait(traced: [inner, fallback], type: rt.types.nativeCoroutine) { rt, _, e in
                do {
                    return try rt.sendToCoroutine(inner, e)
                } catch let err as ScriptError where err.exception.type.isSubtype(of: rt.exc.stopAsyncIteration) {
                    return .returned(fallback)
                }
            }))
        })
    }
}
