// `with` and `async with` in the dispatch loop: entering (the manager's methods looked up on its
// class, as special methods are) and `__exit__` with an exception.

extension Runtime {
    /// `beforeWith`/`beforeAsyncWith`: replaces the manager on top of the stack with its bound
    /// `__exit__` and pushes what `__enter__()` returns (for `async with`, the awaitable of
    /// `__aenter__()`, awaited next). Both stay on the stack (rooted) while `__enter__` runs. True
    /// when a coroutine `__aenter__` had its frame pushed instead, as an awaited call does (the
    /// loop reloads; the entered value arrives after the `await`).
    @inline(__always)
    func enterWith(_ async: Bool, _ fiber: Fiber, _ codeRef: Unmanaged<CodeObj>, _ words: UnsafeMutablePointer<UInt32>,
                   _ fp: UnsafeMutablePointer<Frame>, _ ip: Int,
                   _ locals: inout UnsafeMutablePointer<Value>, _ sp: inout UnsafeMutablePointer<Value>) throws -> Bool {
        Runtime.saveState(fp, ip, sp, fiber)
        let mgr = (sp - 1).pointee
        let (enterName, exitName, kind) = async
            ? ("__aenter__", "__aexit__", "asynchronous context manager") : ("__enter__", "__exit__", "context manager")
        let (rawEnter, rawExit) = contextMethods(typeOf(mgr), async: async, enterName, exitName)
        guard let rawEnter else {
            throw typeError("'\(typeName(mgr))' object does not support the \(kind) protocol")
        }
        let owner = typeOf(mgr)
        guard let rawExit else {
            throw typeError("'\(typeName(mgr))' object does not support the \(kind) protocol (missed \(exitName) method)")
        }
        (sp - 1).pointee = try bindClassAttribute(rawExit, instance: mgr, owner: owner)
        if async, let fn = rawEnter.asFunction, fn.code.awaitArgCount == 1, let exit = codeRef._withUnsafeGuaranteedRef({ Runtime.awaitExit(words, ip, $0) }) {
            // `__aenter__` is a plain coroutine method: its frame runs at once.
            sp.pointee = .none
            Runtime.saveState(fp, ip, sp + 1, fiber)
            try pushAwaited(fn, receiver: mgr, on: fiber, resultSlot: sp - fiber.stack, resumeAt: exit)
            return true
        }
        sp.pointee = try bindClassAttribute(rawEnter, instance: mgr, owner: owner)
        Runtime.saveState(fp, ip, sp + 1, fiber)
        let top = sp - fiber.stack
        let entered = try call(sp.pointee, [])
        locals = fiber.stack + fp.pointee.base
        sp = fiber.stack + top
        sp.pointee = entered
        sp += 1
        return false
    }

    /// `withExceptStart`: `exit(type(e), e, e.__traceback__)` for the exception being handled.
    @inline(__always)
    func callExit(_ exit: Value, _ e: Value) throws -> Value {
        let tb = e.asException.map { tracebackObject($0) } ?? Value.none
        return try call(exit, [Value(typeOf(e)), e, tb])
    }

    /// The enter and exit methods of a context manager's class, looked up once per class and type
    /// epoch (a class changing its attributes bumps the epoch).
    func contextMethods(_ t: TypeObject, async: Bool, _ enterName: String, _ exitName: String) -> (Value?, Value?) {
        let i = async ? 1 : 0
        let epoch = hot.pointee.typeEpoch
        if t.contextEpoch[i] != epoch {
            t.contextMethods[i] = (t.lookup(enterName), t.lookup(exitName))
            t.contextEpoch[i] = epoch
        }
        return t.contextMethods[i]
    }
}
