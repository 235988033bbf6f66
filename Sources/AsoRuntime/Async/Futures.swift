// Futures, tasks and native awaitables: asyncio's Future and Task, stepped by the event loop.
//
// One idea: a task is a coroutine plus a future. Each step resumes the coroutine's frame chain
// (awaited coroutines run as frames on the task's fiber) until it yields: a
// pending future (the task parks, with a done-callback that schedules the next step) or None (a
// bare yield: the next step is scheduled at once). The frames left in place are the continuation;
// each is resumed once per step. Everything follows asyncio's Lib/asyncio/futures.py and tasks.py
// so that programs interleave exactly as under CPython.

/// What a future runs when it completes (always through the loop's ready queue).
enum FutureCallback {
    /// A script callable, called with the future (`add_done_callback`).
    case call(Value)
    /// A task waiting on the future: its next step.
    case wakeup(TaskObj)
    /// A child of `gather`.
    case gather(GatherState)
}

extension Obj {
    /// `flags` bits of asyncio's objects (all of kind `.other`): cheaper than dynamic casts.
    /// `futureFlag`: an asyncio Future or Task scripts see; `parkableFlag`: anything a task can wait
    /// on (futures, and `asyncio.sleep`'s own object). (Bit 4 is `awaitableFlag`, which every
    /// native awaitable has: Objects/Awaitables.swift.)
    static let futureFlag: UInt8 = 1, taskFlag: UInt8 = 2, timerCancelledFlag: UInt8 = 8,
               parkableFlag: UInt8 = 16, sleepStartedFlag: UInt8 = 32
    /// A mark one native operation sets on objects it has seen and clears before it returns
    /// (gather's check for repeated awaitables). Only on asyncio objects and coroutines.
    static let scanMarkFlag: UInt8 = 128
    /// An `asyncio._Fifo` (FifoObj), recognised without a dynamic cast.
    static let fifoFlag: UInt8 = 64
}

extension Value {
    /// The future (or task) this value is, without a dynamic cast.
    @inline(__always) var asFuture: FutureObj? {
        guard case .object(let u) = self, u._withUnsafeGuaranteedRef({ $0.kind == .other && $0.flags & Obj.futureFlag != 0 }) else { return nil }
        return unsafeDowncast(u.takeUnretainedValue(), to: FutureObj.self)
    }
    @inline(__always) var asTask: TaskObj? {
        guard case .object(let u) = self, u._withUnsafeGuaranteedRef({ $0.kind == .other && $0.flags & Obj.taskFlag != 0 }) else { return nil }
        return unsafeDowncast(u.takeUnretainedValue(), to: TaskObj.self)
    }
    @inline(__always) static func isAwaitable(_ u: Unmanaged<Obj>) -> Bool {
        u._withUnsafeGuaranteedRef { $0.kind == .other && $0.flags & Obj.awaitableFlag != 0 }
    }
    /// A native awaitable (its `resume` drives it).
    @inline(__always) var asAwaitable: Obj? {
        guard case .object(let u) = self, Value.isAwaitable(u) else { return nil }
        return u.takeUnretainedValue()
    }
    /// Something a task can park on: a future, or a sleep.
    @inline(__always) var asParkable: FutureObj? {
        guard case .object(let u) = self, u._withUnsafeGuaranteedRef({ $0.kind == .other && $0.flags & Obj.parkableFlag != 0 }) else { return nil }
        return unsafeDowncast(u.takeUnretainedValue(), to: FutureObj.self)
    }
}

class FutureObj: Obj {
    enum State: UInt8 { case pending, cancelled, finished }
    // (Declared in this order so the one-byte fields fill the padding after `outcome`: a task is
    // made per `create_task`, and its size counts.)
    /// The result, or the exception when `hasException` (a future has one or the other).
    private final var outcome: Value = .none
    final var state = State.pending
    private final var hasException = false
    /// Set while the future is being awaited (asyncio's `_asyncio_future_blocking`).
    final var blocking = false
    /// An exception was set and nobody has looked at it yet.
    final var logTraceback = false
    /// A task's cancel request that arrived while it was not waiting on a future.
    final var mustCancel = false
    /// The first done-callback (most futures have one: the task waiting on it, or its `gather`);
    /// the others are in `extras`.
    final var firstCallback: FutureCallback?
    /// What few futures need, kept apart so that a plain future stays small.
    final var extras: FutureExtras?

    init(type: __shared TypeObject) {
        super.init(kind: .other, type: type)
        flags = Obj.futureFlag | Obj.parkableFlag | Obj.awaitableFlag
    }

    final var isDone: Bool { state != .pending }

    /// `await f` drives the future itself (Future.__await__, with nothing made per await): pending,
    /// it yields itself for the task to park on; done, it gives its result or raises.
    override func resume(_ rt: Runtime, _ e: ExceptionObj?) throws -> ResumeResult {
        if let e { throw ScriptError(exception: e) }
        if !isDone {
            blocking = true
            return .yielded(Value(self))
        }
        return .returned(try rt.futureResult(self))
    }

    /// The value set by `set_result` (a sleep keeps its result here before it is done).
    final var result: Value {
        get { hasException ? .none : outcome }
        set { outcome = newValue; hasException = false }
    }
    /// The exception set by `set_exception`.
    final var exception: ExceptionObj? {
        get { hasException ? outcome.asException : nil }
        set {
            hasException = newValue != nil
            outcome = newValue.map { Value($0) } ?? .none
        }
    }

    final var moreCallbacks: [FutureCallback] {
        get { extras?.moreCallbacks ?? [] }
        set { if extras != nil || !newValue.isEmpty { makeExtras().moreCallbacks = newValue } }
    }
    /// `cancel(msg)`'s message (`.none` when not given).
    final var cancelMessage: Value {
        get { extras?.cancelMessage ?? .none }
        set { if extras != nil || !newValue.isNone { makeExtras().cancelMessage = newValue } }
    }
    /// The CancelledError that cancelled a task, re-raised by `result()`.
    final var cancelledError: ExceptionObj? {
        get { extras?.cancelledError }
        set { if extras != nil || newValue != nil { makeExtras().cancelledError = newValue } }
    }
    /// `gather`'s outer future: a cancel request seen before its children finished.
    final var gatherChildren: GatherState? {
        get { extras?.gatherChildren }
        set { if extras != nil || newValue != nil { makeExtras().gatherChildren = newValue } }
    }

    /// The loop the future was made for, when that is not the running loop (see `ownerLoop`).
    final var ownerLoop: EventLoop? {
        get { extras?.ownerLoop }
        set { if extras != nil || newValue != nil { makeExtras().ownerLoop = newValue } }
    }

    final func makeExtras() -> FutureExtras {
        if let e = extras { return e }
        let e = FutureExtras()
        extras = e
        return e
    }

    /// A sleep's timer was cancelled (the sleep's future is its own timer; see SleepAwait).
    final var timerCancelled: Bool {
        get { flags & Obj.timerCancelledFlag != 0 }
        set { flags = newValue ? flags | Obj.timerCancelledFlag : flags & ~Obj.timerCancelledFlag }
    }

    /// All done-callbacks, in order.
    final var callbacks: [FutureCallback] {
        get { firstCallback.map { [$0] + moreCallbacks } ?? moreCallbacks }
        set {
            firstCallback = newValue.first
            moreCallbacks = Array(newValue.dropFirst())
        }
    }

    final func appendCallback(_ c: FutureCallback) {
        if firstCallback == nil && moreCallbacks.isEmpty { firstCallback = c } else { moreCallbacks.append(c) }
    }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(outcome)
        firstCallback?.trace(&t)
        extras?.trace(&t)
    }
}

/// The rarely used state of a future.
final class FutureExtras {
    var moreCallbacks: [FutureCallback] = []
    var cancelMessage: Value = .none
    var cancelledError: ExceptionObj?
    var gatherChildren: GatherState?
    /// A task's name, when given (`create_task(name=)`, `set_name`) or once asked for.
    var taskName: Value = .null
    /// A task's context (contextvars): a copy of the context current when it was made.
    var taskContext: Value = .none
    /// The loop a future belongs to when it is not the loop that ran when it was made
    /// (`other_loop.create_future()`): a task of another loop that awaits it fails.
    weak var ownerLoop: EventLoop?

    func trace(_ t: inout Tracer) {
        for c in moreCallbacks { c.trace(&t) }
        t.mark(cancelMessage)
        t.mark(cancelledError)
        gatherChildren?.trace(&t)
        t.mark(taskName)
        t.mark(taskContext)
    }
}

extension FutureCallback {
    func trace(_ t: inout Tracer) {
        switch self {
        case .call(let v): t.mark(v)
        case .wakeup(let task): t.mark(unmanaged: Unmanaged.passUnretained(task))
        // The outer future traces the gather's children (`gatherChildren`): tracing them again
        // from every child would make a collection quadratic in the number of children.
        case .gather(let g): t.mark(unmanaged: Unmanaged.passUnretained(g.outer))
        }
    }
}

final class TaskObj: FutureObj {
    /// The coroutine the task drives (an object: a coroutine or a native awaitable).
    private let coroObj: Obj
    var coro: Value { Value(coroObj) }
    /// What the task is parked on: a future (`waiter`), its own timer (`sleepSeq`) or nothing.
    /// One word for both (the task's size counts): 0, a future's address, or a sleep's timer
    /// sequence number shifted left with the low bit set. The future is kept alive by `trace`.
    private var parkedOn: UInt = 0
    /// The future the task is parked on. (Setting it clears `sleepSeq`.)
    var waiter: FutureObj? {
        get {
            guard parkedOn & 1 == 0, let p = UnsafeRawPointer(bitPattern: parkedOn) else { return nil }
            return Unmanaged<FutureObj>.fromOpaque(p).takeUnretainedValue()
        }
        set { parkedOn = newValue.map { UInt(bitPattern: Unmanaged.passUnretained($0).toOpaque()) } ?? 0 }
    }
    /// The task's creation number (1 for the first task of the interpreter).
    let number: Int
    /// Its index in the loop's list of pending tasks (-1 once done).
    var loopSlot: Int32 = -1
    var cancelRequests: Int32 = 0
    /// While the task sleeps in `await asyncio.sleep(d)` with no future of its own (the VM's
    /// native call path parks it on the timer heap directly): the sequence number of its timer;
    /// 0 otherwise. A timer entry whose number is no longer this one is stale (the sleep was
    /// cancelled). (Setting it clears `waiter`.)
    var sleepSeq: Int {
        get { parkedOn & 1 != 0 ? Int(bitPattern: parkedOn >> 1) : 0 }
        set { parkedOn = newValue > 0 ? UInt(bitPattern: newValue) << 1 | 1 : 0 }
    }
    /// Parked on nothing (the task is stepping).
    func unpark() { parkedOn = 0 }

    init(coro: Obj, number: Int, type: __shared TypeObject) {
        self.coroObj = coro
        self.number = number
        super.init(type: type)
        flags |= Obj.taskFlag
    }

    /// Set by `set_name` or `create_task(name=)`; `.null` for the default `Task-<number>` (made
    /// when asked for: most tasks are never asked their name).
    var explicitName: Value {
        get { extras?.taskName ?? .null }
        set { makeExtras().taskName = newValue }
    }

    /// The context the task's steps run in (none until contextvars is used).
    var context: Value {
        get { extras?.taskContext ?? .none }
        set { if extras != nil || !newValue.isNone { makeExtras().taskContext = newValue } }
    }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(coroObj)
        t.mark(waiter)
    }
}

/// The shared state of one `gather` call.
///
/// Its references to the outer future and the children are unowned: the collector owns those
/// objects, and the outer future keeps this state (`gatherChildren`), so a strong reference back
/// would be a cycle that reference counting never frees (every gather would leak its children).
final class GatherState {
    unowned(unsafe) let outer: FutureObj
    /// One per argument (a repeated awaitable is here each time).
    var children: UnownedArray<FutureObj> = UnownedArray()
    /// Distinct children, each counted by `finished` once.
    var unique = 0
    var finished = 0
    let returnExceptions: Bool
    var cancelRequested = false

    init(outer: FutureObj, returnExceptions: Bool) {
        self.outer = outer
        self.returnExceptions = returnExceptions
    }

    func trace(_ t: inout Tracer) {
        t.mark(unmanaged: Unmanaged.passUnretained(outer))
        children.forEachUnmanaged { t.mark(unmanaged: $0) }
    }
}

/// `asyncio.sleep(0)`: one bare yield (the task runs again on the next iteration), then the result.
final class SleepZeroAwait: AwaitObj {
    var yielded = false
    let result: Value

    init(result: Value, type: __shared TypeObject) {
        self.result = result
        super.init(type: type)
    }

    override func resume(_ rt: Runtime, _ e: ExceptionObj?) throws -> ResumeResult {
        if let e { throw ScriptError(exception: e) }
        if !yielded {
            yielded = true
            return .yielded(.none)
        }
        return .returned(result)
    }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(result)
    }
}

/// What `await asyncio.sleep(0)` leaves in its `await` loop once it has yielded (see the native
/// call path of the VM): the next send returns None. Stateless, so one is shared.
final class SleepZeroDone: AwaitObj {
    override func resume(_ rt: Runtime, _ e: ExceptionObj?) throws -> ResumeResult {
        if let e { throw ScriptError(exception: e) }
        return .returned(.none)
    }
}

/// `asyncio.sleep(delay)`, as CPython writes it: a future the task waits on, resolved by a timer
/// (`_set_result_unless_cancelled`). Here one object is all three: the awaitable `await` drives,
/// the future the task parks on (never seen by scripts, so not flagged as a Future) and, in the
/// loop's timer heap, the timer itself.
final class SleepAwait: FutureObj {
    let delay: Double

    /// The sleep's result waits in the future's own `result` (read only once the future is done).
    init(delay: Double, result: Value, type: __shared TypeObject) {
        self.delay = delay
        super.init(type: type)
        self.result = result
        flags = Obj.awaitableFlag | Obj.parkableFlag
    }

    override func resume(_ rt: Runtime, _ e: ExceptionObj?) throws -> ResumeResult {
        if let e {
            timerCancelled = true
            throw ScriptError(exception: e)
        }
        if flags & Obj.sleepStartedFlag == 0 {
            // First step: the timer, then the task parks on this future.
            flags |= Obj.sleepStartedFlag
            rt.loop?.scheduleTimer(self, at: (rt.loop?.time() ?? 0) + delay)
            blocking = true
            return .yielded(Value(self))
        }
        timerCancelled = true
        return .returned(try rt.futureResult(self))
    }
}

/// A callback scheduled on the loop (`call_soon`, `call_later`, a task step, ...).
final class HandleObj: Obj {
    enum Work {
        case callback(FutureCallback, FutureObj)
        case call(Value, [Value])
    }
    let work: Work
    var cancelled = false
    /// The deadline of a timer handle.
    let when: Double?

    init(_ work: Work, when: Double?, type: __shared TypeObject) {
        self.work = work
        self.when = when
        super.init(kind: .other, type: type)
    }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        switch work {
        case .callback(let c, let f): c.trace(&t); t.mark(f)
        case .call(let fn, let args): t.mark(fn); for a in args { t.mark(a) }
        }
    }
}
