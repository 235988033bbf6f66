// Futures, tasks and native awaitables: asyncio's Future and Task, stepped by the event loop.
//
// One idea: a task is a coroutine plus a future. Each step resumes the coroutine's frame chain
// (`await` is `yield from`, so the chain is nested generator-style fibers) until it yields: a
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

class FutureObj: Obj {
    enum State { case pending, cancelled, finished }
    final var state = State.pending
    final var result: Value = .none
    final var exception: ExceptionObj?
    final var callbacks: [FutureCallback] = []
    /// `cancel(msg)`'s message (`.none` when not given).
    final var cancelMessage: Value = .none
    /// The CancelledError that cancelled a task, re-raised by `result()`.
    final var cancelledError: ExceptionObj?
    /// Set while the future is being awaited (asyncio's `_asyncio_future_blocking`).
    final var blocking = false
    /// An exception was set and nobody has looked at it yet.
    final var logTraceback = false
    /// `gather`'s outer future: a cancel request seen before its children finished.
    final var gatherChildren: GatherState?

    init(type: TypeObject) { super.init(kind: .other, type: type) }

    final var isDone: Bool { state != .pending }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(result)
        t.mark(exception)
        t.mark(cancelMessage)
        t.mark(cancelledError)
        for c in callbacks { c.trace(&t) }
        gatherChildren?.trace(&t)
    }
}

extension FutureCallback {
    func trace(_ t: inout Tracer) {
        switch self {
        case .call(let v): t.mark(v)
        case .wakeup(let task): t.mark(task)
        case .gather(let g): g.trace(&t)
        }
    }
}

final class TaskObj: FutureObj {
    /// The coroutine the task drives.
    let coro: Value
    var name: Value
    /// A cancel request that arrived while the task was not waiting on a future.
    var mustCancel = false
    /// The future the task is parked on.
    var waiter: FutureObj?
    var cancelRequests = 0
    /// The task's creation number (1 for the first task of the interpreter).
    let number: Int
    /// Its index in the loop's list of pending tasks (-1 once done).
    var loopSlot = -1

    init(coro: Value, name: Value, number: Int, type: TypeObject) {
        self.coro = coro
        self.name = name
        self.number = number
        super.init(type: type)
    }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(coro)
        t.mark(name)
        t.mark(waiter)
    }
}

/// The shared state of one `gather` call.
final class GatherState {
    let outer: FutureObj
    var children: [FutureObj] = []
    var finished = 0
    let returnExceptions: Bool
    var cancelRequested = false

    init(outer: FutureObj, returnExceptions: Bool) {
        self.outer = outer
        self.returnExceptions = returnExceptions
    }

    func trace(_ t: inout Tracer) {
        t.mark(outer)
        for c in children { t.mark(c) }
    }
}

/// The iterator `await` drives for a native awaitable (a future, `asyncio.sleep`, ...): a small
/// state machine. `step` gets nil when resumed normally and the exception when one is thrown in;
/// it yields what the task should wait for, or returns the `await`'s value.
final class AwaitObj: Obj {
    typealias Step = (Runtime, AwaitObj, ExceptionObj?) throws -> ResumeResult
    let step: Step
    /// Values the step closure refers to (for the collector).
    let traced: [Value]
    /// State a step function without captures keeps here (`asyncio.sleep(0)`: one yield, then
    /// `value`), so the commonest awaitable costs one allocation.
    var stage = 0
    var value: Value = .none

    init(traced: [Value], type: TypeObject, step: @escaping Step) {
        self.step = step
        self.traced = traced
        super.init(kind: .other, type: type)
    }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        for v in traced { t.mark(v) }
        t.mark(value)
    }
}

/// A callback scheduled on the loop (`call_soon`, `call_later`, a task step, ...).
final class HandleObj: Obj {
    enum Work {
        case step(TaskObj, ExceptionObj?)
        case callback(FutureCallback, FutureObj)
        case call(Value, [Value])
        case setResultUnlessCancelled(FutureObj, Value)
    }
    let work: Work
    var cancelled = false
    /// The deadline of a timer handle.
    let when: Double?

    init(_ work: Work, when: Double?, type: TypeObject) {
        self.work = work
        self.when = when
        super.init(kind: .other, type: type)
    }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        switch work {
        case .step(let task, let e): t.mark(task); t.mark(e)
        case .callback(let c, let f): c.trace(&t); t.mark(f)
        case .call(let fn, let args): t.mark(fn); for a in args { t.mark(a) }
        case .setResultUnlessCancelled(let f, let v): t.mark(f); t.mark(v)
        }
    }
}
