// Native awaitables (objects that `await` steps in Swift), and how a step of one, or of a
// generator, ends.
//
// One idea: an awaitable made in Swift (a future's iterator, `asyncio.sleep`, an async
// generator's step) is an object flagged `awaitableFlag` whose `resume` is one step of a small
// state machine; a step ends as a generator's does, with a value yielded or returned
// (`ResumeResult`). Defined here, below the VM and asyncio, so both can make and drive them.

/// How one step of a generator or of a native awaitable ended.
enum ResumeResult {
    case yielded(Value)
    case returned(Value)
    /// The task being stepped parked itself on its own timer (`RunOutcome.parked`): only the
    /// step of that task's coroutine (`sendToCoroutine`) ever sees this.
    case parked
}

extension Obj {
    /// A native awaitable (kind `.other`, an AwaitObj or a future): `await` drives it through
    /// `resume`. (asyncio's other `flags` bits are in Async/Futures.swift.)
    static let awaitableFlag: UInt8 = 4
}

/// The iterator `await` drives for a native awaitable (a future, `asyncio.sleep`, ...): a small
/// state machine. `resume` gets nil when resumed normally and the exception when one is thrown in;
/// it yields what the task should wait for, or returns the `await`'s value.
class AwaitObj: Obj {
    init(type: __shared TypeObject) {
        super.init(kind: .other, type: type)
        flags = Obj.awaitableFlag
    }
}

/// An awaitable whose step is a closure (the rarer ones: async generator steps, wrappers).
final class ClosureAwait: AwaitObj {
    typealias Step = (Runtime, ClosureAwait, ExceptionObj?) throws -> ResumeResult
    let step: Step
    /// Values the step closure refers to (for the collector).
    let traced: [Value]

    init(traced: [Value], type: __shared TypeObject, step: @escaping Step) {
        self.step = step
        self.traced = traced
        super.init(type: type)
    }

    override func resume(_ rt: Runtime, _ e: ExceptionObj?) throws -> ResumeResult { try step(rt, self, e) }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        for v in traced { t.mark(v) }
    }
}
