// `asyncio._QueueCore`: the state of an asyncio queue and its operations that never wait.
//
// One idea: `Queue.put`, `get` and `join` stay coroutines written in Aso (Library/asyncio/queues.aso), with
// asyncio's waiting and cancellation logic; everything they do without waiting (is it full, add an
// item and wake the first getter, take one and wake the first putter, count a task done) is one
// native call here. The items are a FIFO, a LIFO or a binary heap ordered by `<` (the same
// algorithm as `heapq`, so equal priorities come out in CPython's order).

final class QueueCore: Obj {
    enum Mode: Int { case fifo, lifo, priority }
    let mode: Mode
    /// The items: a FIFO, a stack or a heap, by `mode`.
    let items: FifoObj
    /// How many items make the queue full (`maxsize` when it is positive; otherwise never).
    let limit: Int
    /// `_unfinished_tasks`. (Counters without dynamic exclusivity checks: no access overlaps.)
    @exclusivity(unchecked) var unfinished = 0
    @exclusivity(unchecked) var isShutDown = false
    /// The waiting getters and putters (the Aso side appends to them and removes its own).
    let getters: FifoObj, putters: FifoObj
    /// The queue's `_finished` Event, and whether it is set (it changes only here).
    let finished: Value
    @exclusivity(unchecked) var finishedIsSet = true
    /// The exception classes to raise.
    let queueEmpty: Value, queueFull: Value, queueShutDown: Value

    init(mode: Mode, limit: Int, items: FifoObj, getters: FifoObj, putters: FifoObj, finished: Value,
         errors: (empty: Value, full: Value, shutDown: Value), type: __shared TypeObject) {
        self.mode = mode
        self.items = items
        self.limit = limit
        self.getters = getters
        self.putters = putters
        self.finished = finished
        (queueEmpty, queueFull, queueShutDown) = errors
        super.init(kind: .other, type: type)
        aux8 = QueueCore.tag
    }

    /// `aux8` of a queue core (other `.other` objects leave it 0), so a method finds its receiver
    /// without a dynamic cast.
    static let tag: UInt8 = 1

    var count: Int { items.count }
    var isFull: Bool { count >= limit }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(items)
        t.mark(getters)
        t.mark(putters)
        t.mark(finished)
        t.mark(queueEmpty)
        t.mark(queueFull)
        t.mark(queueShutDown)
    }
}

extension Value {
    /// The native core this value refers to, when its `aux8` tag says so (no dynamic cast).
    @inline(__always) func nativeReference(_ tag: UInt8) -> Unmanaged<Obj>? {
        guard case .object(let u) = self, u._withUnsafeGuaranteedRef({ $0.kind == .other && $0.aux8 == tag }) else { return nil }
        return u
    }
}

extension Runtime {
    /// Adds an item (`Queue._put`).
    func queueAdd(_ q: QueueCore, _ item: Value) throws {
        switch q.mode {
        case .fifo, .lifo: q.items.append(item)
        case .priority:
            // heapq.heappush.
            q.items.append(item)
            try heapSiftUp(q.items, item, from: q.items.count - 1)
        }
    }

    /// heapq's `_siftdown`: `item`, meant for slot `pos`, moves up past every parent greater than it.
    private func heapSiftUp(_ heap: FifoObj, _ item: Value, from start: Int) throws {
        var pos = start
        while pos > 0 {
            let parent = (pos - 1) >> 1
            let p = heap[parent]
            guard try lessThan(item, p) else { break }
            heap[pos] = p
            pos = parent
        }
        heap[pos] = item
    }

    /// Takes the next item (`Queue._get`); the queue is not empty.
    func queueTake(_ q: QueueCore) throws -> Value {
        switch q.mode {
        case .fifo: return q.items.popFirst() ?? .none
        case .lifo: return q.items.popLast() ?? .none
        case .priority:
            // heapq.heappop: the last item goes down by the smaller child to a leaf, then up.
            let heap = q.items
            guard let last = heap.popLast() else { return .none }
            guard heap.count > 0 else { return last }
            let top = heap[0]
            let end = heap.count
            var pos = 0
            var child = 1
            while child < end {
                let right = child + 1
                if right < end, !(try lessThan(heap[child], heap[right])) { child = right }
                heap[pos] = heap[child]
                pos = child
                child = 2 * pos + 1
            }
            try heapSiftUp(heap, last, from: pos)
            return top
        }
    }

    /// Wakes the first waiter of `waiters` that is still waiting (`Queue._wakeup_next`).
    func wakeNext(_ waiters: FifoObj) throws {
        while let w = waiters.popFirst() {
            if let f = w.asFuture, !f.isDone {
                try setFutureResult(f, .none)
                return
            }
        }
    }

    /// `put_nowait`.
    func queuePutNow(_ q: QueueCore, _ item: Value) throws {
        if q.isShutDown { throw ScriptError(exception: try raisedException(q.queueShutDown)) }
        if q.isFull { throw ScriptError(exception: try raisedException(q.queueFull)) }
        try queueAdd(q, item)
        q.unfinished += 1
        if q.finishedIsSet {
            q.finishedIsSet = false
            _ = try callUserMethod(q.finished, "clear", [])
        }
        try wakeNext(q.getters)
    }

    /// `get_nowait`.
    func queueGetNow(_ q: QueueCore) throws -> Value {
        if q.count == 0 {
            throw ScriptError(exception: try raisedException(q.isShutDown ? q.queueShutDown : q.queueEmpty))
        }
        let item = try queueTake(q)
        try wakeNext(q.putters)
        return item
    }

    /// Sets the queue's `_finished` Event when no task is unfinished.
    func queueNoteFinished(_ q: QueueCore) throws {
        if q.unfinished == 0 && !q.finishedIsSet {
            q.finishedIsSet = true
            _ = try callUserMethod(q.finished, "set", [])
        }
    }

    /// The exception `raise cls` raises (an instance of a class, or the instance given).
    private func raisedException(_ v: Value) throws -> ExceptionObj {
        if let e = v.asException { return e }
        guard let e = try call(v, []).asException else { throw typeError("exceptions must derive from BaseException") }
        return e
    }
}

extension Runtime {
    /// The class `_QueueCore` of the `asyncio` module; `fifoType` makes its item store.
    func makeQueueCoreType(fifoType: TypeObject) -> TypeObject {
        let t = heap.register(TypeObject(name: "_QueueCore", base: types.object, isException: false, metatype: types.type))
        t.moduleName = "asyncio.queues"
        t.construct = { [unowned fifoType] rt, args in
            // _QueueCore(mode, maxsize, getters, putters, finished, QueueEmpty, QueueFull, QueueShutDown)
            guard args.count == 9, let type = args[0].asType, let mode = QueueCore.Mode(rawValue: try rt.intArgument(args[1])),
                  let getters = args[3].asFifo, let putters = args[4].asFifo else {
                throw rt.typeError("_QueueCore: bad arguments")
            }
            let items = rt.heap.register(FifoObj(type: fifoType))
            return Value(rt.heap.register(QueueCore(mode: mode, limit: try rt.queueLimit(args[2]), items: items,
                                                    getters: getters, putters: putters, finished: args[5],
                                                    errors: (args[6], args[7], args[8]), type: type)))
        }
        func method(_ name: String, _ arity: Int, _ body: @escaping (Runtime, QueueCore, Args) throws -> Value) {
            t.dict[name] = native(name, owner: "_QueueCore") { rt, args in
                guard args.count == arity + 1, let u = args[0].nativeReference(QueueCore.tag) else {
                    throw rt.typeError("_QueueCore.\(name): bad arguments")
                }
                // (The receiver is on the caller's stack: used without reference counting.)
                return try Unmanaged<QueueCore>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { try body(rt, $0, args) }
            }
        }
        method("qsize", 0) { _, q, _ in .int(q.count) }
        method("full", 0) { _, q, _ in .bool(q.isFull) }
        method("is_shut_down", 0) { _, q, _ in .bool(q.isShutDown) }
        method("unfinished", 0) { _, q, _ in .int(q.unfinished) }
        method("items", 0) { rt, q, _ in rt.newList(Array(q.items.live)) }
        method("put_nowait", 1) { rt, q, args in
            try rt.queuePutNow(q, args[1])
            return .none
        }
        method("get_nowait", 0) { rt, q, _ in try rt.queueGetNow(q) }
        // `put`'s and `get`'s first check: done at once when no wait is needed (True, or the item),
        // else False, or the core itself for `get`.
        method("try_put", 1) { rt, q, args in
            if q.isFull { return .bool(false) }
            try rt.queuePutNow(q, args[1])
            return .bool(true)
        }
        method("try_get", 0) { rt, q, _ in q.count == 0 ? Value(q) : try rt.queueGetNow(q) }
        method("wake_next", 1) { rt, q, args in
            guard let w = args[1].asFifo else { throw rt.typeError("_QueueCore.wake_next: bad arguments") }
            try rt.wakeNext(w)
            return .none
        }
        method("task_done", 0) { rt, q, _ in
            if q.unfinished <= 0 { throw rt.error(rt.exc.valueError, "task_done() called too many times") }
            q.unfinished -= 1
            try rt.queueNoteFinished(q)
            return .none
        }
        method("shutdown", 1) { rt, q, args in
            q.isShutDown = true
            if try rt.truthy(args[1]) {
                let dropped = q.items.count
                while q.items.popLast() != nil {}
                q.unfinished = max(0, q.unfinished - dropped)
                if q.unfinished == 0 {
                    q.finishedIsSet = true
                    _ = try rt.callUserMethod(q.finished, "set", [])
                }
            }
            // Every waiter re-checks, and raises QueueShutDown where it must.
            for waiters in [q.getters, q.putters] {
                while let w = waiters.popFirst() {
                    if let f = w.asFuture, !f.isDone { try rt.setFutureResult(f, .none) }
                }
            }
            return .none
        }
        return t
    }

    /// How many items make a queue of `maxsize` full: never when it is not positive.
    func queueLimit(_ maxsize: Value) throws -> Int {
        switch maxsize {
        case .int(let n): return n > 0 ? n : Int.max
        case .bool(let b): return b ? 1 : Int.max
        case .float(let d): return d > 0 && d < 9e18 ? Int(d.rounded(.up)) : Int.max
        default:
            if maxsize.asBigInt != nil { return Int.max }   // beyond any count, or negative
            throw typeError("'<=' not supported between instances of '\(typeName(maxsize))' and 'int'")
        }
    }
}

extension Runtime {
    /// The two native decorators with which the library's Aso source declares its fast paths
    /// (Library/asyncio/locks.aso, queues.aso; docs/library.md):
    /// `@_native_core("_core")` on a class records in its type which instance attribute holds the
    /// native core, and `@_await_fast("queue_put")` on a coroutine marks its code (CodeObj.awaitFast)
    /// so that `await` of it that need not wait is done by `awaitWithoutWaiting`.
    func installFastPathDeclarations(_ m: ModuleObj) {
        m.set("_native_core", native("_native_core") { rt, args in
            try rt.checkCount(args.count, "_native_core", min: 1, max: 1)
            guard let attribute = args[0].asStr?.value else { throw rt.typeError("_native_core() argument must be str") }
            return rt.native("_native_core.<locals>.declare") { rt, args in
                guard args.count == 1, let t = args[0].asType else { throw rt.typeError("@_native_core applies to a class") }
                t.nativeCore = attribute
                return args[0]
            }
        })
        m.set("_await_fast", native("_await_fast") { rt, args in
            try rt.checkCount(args.count, "_await_fast", min: 1, max: 1)
            guard let s = args[0].asStr?.value else { throw rt.typeError("_await_fast() argument must be str") }
            guard let kind = AwaitFast(declared: s) else { throw rt.valueError("_await_fast(): unknown fast path '\(s)'") }
            return rt.native("_await_fast.<locals>.mark") { rt, args in
                guard args.count == 1, let f = args[0].asFunction, f.code.code.flags.contains(.coroutine) else {
                    throw rt.typeError("@_await_fast applies to an async def")
                }
                f.code.awaitFast = kind
                return args[0]
            }
        })
    }

    /// `await q.put(x)`, `await q.get()`, `await sem.acquire()` when they need not wait: done here
    /// (nil when they must wait, or the receiver is not what the library made).
    @inline(never)
    func awaitWithoutWaiting(_ cu: Unmanaged<CodeObj>, _ args: UnsafeMutablePointer<Value>) throws -> Value? {
        try cu._withUnsafeGuaranteedRef { c -> Value? in
            guard case .object(let receiver) = args[0] else { return nil }
            // The receiver's native core, in the attribute its class declared (`@_native_core`),
            // through the slot remembered for its shape.
            let core: Value? = receiver._withUnsafeGuaranteedRef { o in
                guard o.kind == .instance else { return nil }
                let inst = unsafeDowncast(o, to: InstanceObj.self)
                let shape = inst.attributes.shapeAddress
                if shape != c.awaitFastShape {
                    guard let name = inst.type.declaredNativeCore, let i = inst.attributes.shape.slot(of: name) else { return nil }
                    c.awaitFastShape = shape
                    c.awaitFastSlot = i
                }
                return inst.attributes[slot: c.awaitFastSlot]
            }
            guard let core else { return nil }
            switch c.awaitFast {
            case .none: return nil
            case .queuePut:
                guard let u = core.nativeReference(QueueCore.tag) else { return nil }
                return try Unmanaged<QueueCore>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { q -> Value? in
                    guard !q.isShutDown, !q.isFull else { return nil }
                    try queuePutNow(q, args[1])
                    return Value.none
                }
            case .queueGet:
                guard let u = core.nativeReference(QueueCore.tag) else { return nil }
                return try Unmanaged<QueueCore>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { q -> Value? in
                    q.count > 0 ? try queueGetNow(q) : nil
                }
            case .semaphoreAcquire:
                guard let u = core.nativeReference(SemaphoreCore.tag) else { return nil }
                return Unmanaged<SemaphoreCore>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { s -> Value? in
                    guard !s.isLocked else { return nil }
                    s.value -= 1
                    return Value.bool(true)
                }
            }
        }
    }
}

extension AwaitFast {
    /// The kind `@_await_fast(name)` declares.
    init?(declared name: String) {
        switch name {
        case "queue_put": self = .queuePut
        case "queue_get": self = .queueGet
        case "semaphore_acquire": self = .semaphoreAcquire
        default: return nil
        }
    }
}

extension TypeObject {
    /// The instance attribute holding the native core, as this class or a base declared it.
    var declaredNativeCore: String? {
        var t: TypeObject? = self
        while let c = t {
            if let name = c.nativeCore { return name }
            t = c.base
        }
        return nil
    }
}
