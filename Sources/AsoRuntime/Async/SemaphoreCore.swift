// `asyncio._SemaphoreCore`: a semaphore's counter and its waiters, and what never waits.
//
// One idea: as with queues, `Semaphore.acquire` stays a coroutine written in Aso with asyncio's
// waiting and cancellation logic; taking a free permit, giving one back and handing it to the
// first waiter still waiting are single native calls on this object.

final class SemaphoreCore: Obj {
    /// `_value`: permits free (those handed to woken waiters are already taken off).
    @exclusivity(unchecked) var value: Int
    /// The waiting futures, oldest first.
    let waiters: FifoObj

    init(value: Int, waiters: FifoObj, type: __shared TypeObject) {
        self.value = value
        self.waiters = waiters
        super.init(kind: .other, type: type)
        aux8 = SemaphoreCore.tag
    }

    /// `aux8` of a semaphore core (see QueueCore.tag).
    static let tag: UInt8 = 2

    /// asyncio's `locked()`: no permit, or a waiter not cancelled is queued (first come, first served).
    var isLocked: Bool {
        value == 0 || waiters.hasUncancelled
    }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(waiters)
    }
}

extension Runtime {
    /// `_wake_up_next`: hands a permit to the first waiter still waiting.
    func semaphoreWakeNext(_ s: SemaphoreCore) throws {
        guard let first = s.waiters.live.first(where: { !($0.asFuture?.isDone ?? true) }), let f = first.asFuture else { return }
        s.value -= 1
        try setFutureResult(f, .bool(true))
    }

    /// The class `_SemaphoreCore` of the `asyncio` module.
    func makeSemaphoreCoreType() -> TypeObject {
        let t = heap.register(TypeObject(name: "_SemaphoreCore", base: types.object, isException: false, metatype: types.type))
        t.moduleName = "asyncio.locks"
        t.construct = { rt, args in
            // _SemaphoreCore(value, waiters)
            guard args.count == 3, let type = args[0].asType, let waiters = args[2].asFifo else {
                throw rt.typeError("_SemaphoreCore: bad arguments")
            }
            return Value(rt.heap.register(SemaphoreCore(value: try rt.intArgument(args[1]), waiters: waiters, type: type)))
        }
        func method(_ name: String, _ body: @escaping (Runtime, SemaphoreCore) throws -> Value) {
            t.dict[name] = native(name, owner: "_SemaphoreCore") { rt, args in
                guard args.count == 1, let u = args[0].nativeReference(SemaphoreCore.tag) else {
                    throw rt.typeError("_SemaphoreCore.\(name): bad arguments")
                }
                return try Unmanaged<SemaphoreCore>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { try body(rt, $0) }
            }
        }
        method("value") { _, s in .int(s.value) }
        method("locked") { _, s in .bool(s.isLocked) }
        // acquire's first step: a free permit is taken at once (True), else False (it waits).
        method("try_acquire") { _, s in
            if s.isLocked { return .bool(false) }
            s.value -= 1
            return .bool(true)
        }
        method("release") { rt, s in
            s.value += 1
            try rt.semaphoreWakeNext(s)
            return .none
        }
        // After a wait: spare permits go on to the next waiters (asyncio 3.11 wakes one).
        method("wake_if_free") { rt, s in
            if s.value > 0 { try rt.semaphoreWakeNext(s) }
            return .none
        }
        return t
    }
}
