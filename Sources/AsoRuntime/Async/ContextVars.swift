// The `contextvars` module's native side: which context is current. The module itself
// (ContextVar, Token, Context, copy_context) is a library part (Library/contextvars).
//
// One idea: nothing costs anything until the module is used. Until then `contextsUsed` is false
// and tasks and callbacks capture no context; from then on each task runs its steps in a copy of
// the context current when it was made, and each callback in the context it was given (or a copy
// of the one current when it was scheduled), as asyncio does.

extension Runtime {
    func makeContextvarsModule() -> ModuleObj {
        let m = newModule("contextvars", file: nil)
        m.set("_get_context", native("_get_context") { rt, _ in rt.currentContext })
        m.set("_set_context", native("_set_context") { rt, args in
            try rt.checkCount(args.count, "_set_context", min: 1, max: 1)
            rt.currentContext = args[0]
            return .none
        })
        m.set("_enable", native("_enable") { rt, _ in
            rt.contextsUsed = true
            return .none
        })
        return m
    }

    /// `contextvars.copy_context()`.
    func copyContext() throws -> Value {
        if copyContextFunction.isNone {
            let m = try loadModule("contextvars")
            guard let f = try findAttribute(Value(m), "copy_context") else {
                throw runtimeError("contextvars.copy_context is missing")
            }
            copyContextFunction = f
        }
        return try call(copyContextFunction, [])
    }

    /// What a callback scheduled with `context=` (or, once contextvars is used, without it) runs:
    /// `context.run(fn, *args)`.
    func callbackWork(_ fn: Value, _ args: [Value], context: Value?) throws -> HandleObj.Work {
        var ctx = context ?? .none
        if ctx.isNone {
            guard contextsUsed else { return .call(fn, args) }
            ctx = try copyContext()
        }
        guard let run = try findAttribute(ctx, "run") else { throw typeError("context must be a Context, not '\(typeName(ctx))'") }
        return .call(run, [fn] + args)
    }

    /// A done callback given `context=`: a callable that runs it there.
    func doneCallback(_ fn: Value, context: Value?) throws -> Value {
        guard let ctx = context, !ctx.isNone else { return fn }
        let m = try loadModule("contextvars")
        // (Loading a public name of the part defines its private helper too.)
        if m.get("_InContext") == nil { _ = try findAttribute(Value(m), "Context") }
        guard let wrap = m.get("_InContext") else { throw runtimeError("contextvars is missing _InContext") }
        return try call(wrap, [ctx, fn])
    }
}
