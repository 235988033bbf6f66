// The event loop: asyncio's scheduling model, step for step.
//
// One idea: a FIFO ready queue and a timer heap ordered by (deadline, sequence). Each iteration
// (after the wait, which LoopDriver.swift leaves to SwiftNIO) moves the due timers to the ready
// queue, then runs exactly the work that was ready when the iteration began —
// BaseEventLoop._run_once. Futures never run their callbacks directly: completing one schedules
// them. Entries are plain values (a task's step, a wakeup, a sleep's timer); only callbacks that
// scripts can see have a Handle object. The time comes from the loop's clock (LoopClock.swift):
// with a virtual one the wait is a jump of the clock to the next deadline, so sleep-heavy
// programs finish at once and print the same thing.

/// One entry of the ready queue: a script-visible handle, or work the runtime schedules for itself
/// without an object of its own. Two words (the queue holds one per runnable task): the first
/// reference with the kind in its low bits (objects are at least 8-byte aligned), and the second
/// reference of the kinds that have one. References are unmanaged (queueing does no reference
/// counting); the loop's `trace` keeps them alive.
struct ReadyItem {
    enum Work {
        /// A handle (`call_soon`, `call_later`, a future's script callback, ...).
        case handle(Unmanaged<HandleObj>)
        /// Task.__step.
        case step(Unmanaged<TaskObj>)
        /// Task.__step with an exception to throw in.
        case stepThrowing(Unmanaged<TaskObj>, Unmanaged<ExceptionObj>)
        /// Task.__wakeup: the future the task waited on is done.
        case wakeup(Unmanaged<TaskObj>, Unmanaged<FutureObj>)
        /// `asyncio.sleep`'s timer: the future gets its result unless it is done already.
        case resolve(Unmanaged<FutureObj>)
        /// The timer of a task parked by `await asyncio.sleep(d)` (Runtime.sleepTask) is due.
        case sleepDone(Unmanaged<TaskObj>)
        /// A child of a `gather` is done.
        case gatherChild(Unmanaged<GatherState>, Unmanaged<FutureObj>)
    }

    /// The first reference plus the kind (0...6).
    private let first: UnsafeRawPointer
    /// The second reference (the first again for kinds with one).
    private let second: UnsafeRawPointer

    private init<A: AnyObject>(_ kind: Int, _ a: Unmanaged<A>, _ b: UnsafeRawPointer? = nil) {
        first = UnsafeRawPointer(a.toOpaque()) + kind
        second = b ?? UnsafeRawPointer(a.toOpaque())
    }
    private static func word<A: AnyObject>(_ u: Unmanaged<A>) -> UnsafeRawPointer { UnsafeRawPointer(u.toOpaque()) }
    private var kind: Int { Int(bitPattern: first) & 7 }
    private func ref<A: AnyObject>(_ p: UnsafeRawPointer, _: A.Type) -> Unmanaged<A> { Unmanaged<A>.fromOpaque(p) }

    static func handle(_ h: Unmanaged<HandleObj>) -> ReadyItem { ReadyItem(0, h) }
    static func step(_ t: Unmanaged<TaskObj>) -> ReadyItem { ReadyItem(1, t) }
    static func stepThrowing(_ t: Unmanaged<TaskObj>, _ e: Unmanaged<ExceptionObj>) -> ReadyItem { ReadyItem(2, t, word(e)) }
    static func wakeup(_ t: Unmanaged<TaskObj>, _ f: Unmanaged<FutureObj>) -> ReadyItem { ReadyItem(3, t, word(f)) }
    static func resolve(_ f: Unmanaged<FutureObj>) -> ReadyItem { ReadyItem(4, f) }
    static func sleepDone(_ t: Unmanaged<TaskObj>) -> ReadyItem { ReadyItem(5, t) }
    static func gatherChild(_ g: Unmanaged<GatherState>, _ f: Unmanaged<FutureObj>) -> ReadyItem { ReadyItem(6, g, word(f)) }

    var work: Work {
        let k = kind, a = first - k
        switch k {
        case 0: return .handle(ref(a, HandleObj.self))
        case 1: return .step(ref(a, TaskObj.self))
        case 2: return .stepThrowing(ref(a, TaskObj.self), ref(second, ExceptionObj.self))
        case 3: return .wakeup(ref(a, TaskObj.self), ref(second, FutureObj.self))
        case 4: return .resolve(ref(a, FutureObj.self))
        case 5: return .sleepDone(ref(a, TaskObj.self))
        default: return .gatherChild(ref(a, GatherState.self), ref(second, FutureObj.self))
        }
    }

    func trace(_ t: inout Tracer) {
        switch work {
        case .handle(let h): t.mark(Unmanaged<Obj>.fromOpaque(h.toOpaque()))
        case .step(let task), .sleepDone(let task): t.mark(Unmanaged<Obj>.fromOpaque(task.toOpaque()))
        case .stepThrowing(let task, let e):
            t.mark(Unmanaged<Obj>.fromOpaque(task.toOpaque()))
            t.mark(Unmanaged<Obj>.fromOpaque(e.toOpaque()))
        case .wakeup(let task, let f):
            t.mark(Unmanaged<Obj>.fromOpaque(task.toOpaque()))
            t.mark(Unmanaged<Obj>.fromOpaque(f.toOpaque()))
        case .resolve(let f): t.mark(Unmanaged<Obj>.fromOpaque(f.toOpaque()))
        case .gatherChild(let g, let f):
            // The outer future keeps the gather's state (and traces its children).
            t.mark(g._withUnsafeGuaranteedRef { $0.outer })
            t.mark(Unmanaged<Obj>.fromOpaque(f.toOpaque()))
        }
    }
}

import NIOCore

/// A timer in the heap (TimerHeap.swift): a handle (`call_later`), a sleep's future, which is its own timer, or a
/// task parked in `await asyncio.sleep(d)` with no future at all.
struct TimerEntry {
    let when: Double
    let seq: Int
    let target: Unmanaged<Obj>

    private enum Kind { case handle, sleep, task }
    private var kind: Kind {
        target._withUnsafeGuaranteedRef { o in
            o.flags & Obj.taskFlag != 0 ? .task : o.flags & Obj.parkableFlag != 0 ? .sleep : .handle
        }
    }

    /// What runs when the timer is due.
    var item: ReadyItem {
        switch kind {
        case .task: return .sleepDone(Unmanaged<TaskObj>.fromOpaque(target.toOpaque()))
        case .sleep: return .resolve(Unmanaged<FutureObj>.fromOpaque(target.toOpaque()))
        case .handle: return .handle(Unmanaged<HandleObj>.fromOpaque(target.toOpaque()))
        }
    }

    /// A timer that no longer needs to run: a cancelled handle, a sleep already over.
    var isCancelled: Bool {
        switch kind {
        case .task:
            return Unmanaged<TaskObj>.fromOpaque(target.toOpaque())._withUnsafeGuaranteedRef { $0.sleepSeq != seq }
        case .sleep:
            return Unmanaged<FutureObj>.fromOpaque(target.toOpaque())._withUnsafeGuaranteedRef { $0.isDone || $0.timerCancelled }
        case .handle:
            return Unmanaged<HandleObj>.fromOpaque(target.toOpaque())._withUnsafeGuaranteedRef { $0.cancelled }
        }
    }
}

final class EventLoop {
    /// Work of runtime extensions in flight (Extensions/RuntimeExtension.swift): while there is
    /// some, a loop with nothing ready waits for it (a virtual clock does not jump, and a loop
    /// with no timers is not deadlocked).
    var pendingIO = 0
    /// Runs the loop after work from outside it (an I/O completion) made something ready.
    var wakeUp: (() -> Void)?
    /// The SwiftNIO loop the interpreter's thread runs while this loop runs.
    var nio: NIOCore.EventLoop?
    /// What extensions run when the loop ends, before its SwiftNIO loop shuts down.
    var endHooks: [() -> EventLoopFuture<Void>] = []
    /// Work to run, oldest first.
    let ready = ReadyQueue()
    /// The entry running now (taken off the queue, so rooted here until it has run).
    var current: ReadyItem?
    /// Signals `add_signal_handler` handles that arrived: asyncio's self-pipe, read by a callback
    /// the next iteration schedules (LoopSignals.swift).
    var signalled: [Int32] = []
    /// Timers as a binary heap on (deadline, sequence).
    private var timers = TimerHeap()
    private var sequence = 0
    /// What `loop.time()` reads and what decides whether a wait is real (LoopClock.swift).
    let clock: LoopClock
    /// The task whose step is running (alive: it is in the batch being run).
    unowned(unsafe) var currentTask: TaskObj?
    /// The task `asyncio.run` runs (the one a host's cancellation cancels).
    weak var mainTask: TaskObj?
    /// Work of the host in flight (async host functions): like I/O, it may wake a task, so a
    /// virtual clock neither jumps nor reports a deadlock while there is some.
    var externalPending = 0
    /// Tasks not yet done (the loop keeps them alive); each knows its slot here, so removing one
    /// is a swap with the last.
    private(set) var tasks: [TaskObj] = []
    /// Tasks not yet done.
    var taskCount: Int { tasks.count }
    /// The pending tasks in creation order.
    var pendingTasks: [TaskObj] { tasks.sorted { $0.number < $1.number } }

    func addTask(_ task: TaskObj) {
        task.loopSlot = Int32(truncatingIfNeeded: tasks.count)
        tasks.append(task)
    }

    func removeTask(_ task: TaskObj) {
        let i = Int(task.loopSlot)
        guard i >= 0, i < tasks.count, tasks[i] === task else { return }
        let last = tasks.removeLast()
        if last !== task {
            tasks[i] = last
            last.loopSlot = Int32(truncatingIfNeeded: i)
        }
        task.loopSlot = -1
    }
    /// The script-visible loop object (`get_running_loop()`).
    var object: Value = .none
    /// `loop.stop()` was called: the loop ends after the iteration that runs now (run_forever).
    @exclusivity(unchecked) var stopping = false
    /// `loop.close()` was called.
    var closed = false
    /// `loop.set_debug()`.
    var debug = false
    /// `loop.set_exception_handler()` (None: the default handler).
    var exceptionHandler: Value = .none
    /// Called (no arguments) when `asyncio.run`'s main task has ended, before the remaining tasks
    /// are cancelled: where an extension checks what the script left open (an unclosed session).
    var mainTaskEndCallbacks: [Value] = []

    init(clock: LoopClock) {
        self.clock = clock
    }
    deinit { timers.deallocate() }

    /// `loop.time()`.
    func time() -> Double { clock.now() }

    var hasReady: Bool { !ready.isEmpty || !signalled.isEmpty }

    @inline(__always) func schedule(_ item: ReadyItem) { ready.append(item) }

    /// Adds a timer: a handle (call_later, call_at) or a sleep, which is its own timer.
    func scheduleTimer(_ handle: HandleObj, at when: Double) { addTimer(Unmanaged.passUnretained(handle), when) }
    func scheduleTimer(_ sleep: SleepAwait, at when: Double) { addTimer(Unmanaged.passUnretained(sleep), when) }
    /// A sleeping task's timer; returns its sequence number (the task keeps it: see TaskObj.sleepSeq).
    func scheduleTimer(_ task: TaskObj, at when: Double) -> Int { addTimer(Unmanaged.passUnretained(task), when) }

    @discardableResult
    private func addTimer(_ target: Unmanaged<Obj>, _ when: Double) -> Int {
        sequence &+= 1
        timers.push(TimerEntry(when: when, seq: sequence, target: target))
        return sequence
    }

    private func popTimer() -> TimerEntry? { timers.pop() }

    /// The deadline of the earliest timer still wanted (cancelled ones at the top are dropped).
    func nextDeadline() -> Double? {
        while let first = timers.first, first.isCancelled { _ = popTimer() }
        return timers.first?.when
    }

    /// One iteration of `_run_once` after its wait: moves the due timers to the ready queue and
    /// returns how many entries to run in this iteration (what is ready now; what they schedule
    /// waits for the next iteration).
    /// Set for one iteration after a virtual clock jumped to a deadline: the timers due within
    /// that much more run with it, as CPython's would after a selector wait in whole milliseconds
    /// (rounded up) found them due together.
    var jumpSlack = 0.0

    func beginIteration() -> Int {
        let end = time() + 1e-9 + jumpSlack
        jumpSlack = 0
        // (Written as asyncio's `if handle._when >= end_time: break`, so a NaN deadline is due now.)
        while let first = timers.first, !(first.when >= end) {
            if let timer = popTimer(), !timer.isCancelled { ready.append(timer.item) }
        }
        return ready.count
    }

    /// When the timer still wanted for `target` (a sleeping task, a sleep's future) is due; nil
    /// when it has none (for an interactive session's list of tasks).
    func deadline(of target: Obj) -> Double? {
        var when: Double?
        timers.forEach { e in
            if e.target.toOpaque() == Unmanaged.passUnretained(target).toOpaque() && !e.isCancelled { when = e.when }
        }
        return when
    }

    func trace(_ t: inout Tracer) {
        ready.forEach { $0.trace(&t) }
        current?.trace(&t)
        // Timers no longer wanted (a cancelled handle, the sleep of a task that was cancelled) are
        // dropped here rather than kept until their deadline, so a long sleep that was cancelled
        // does not keep its task and coroutine alive (as CPython clears a cancelled handle and
        // purges its timer heap).
        timers.removeAll { $0.isCancelled }
        timers.forEach { t.mark($0.target) }
        t.mark(currentTask)
        tasks.withUnsafeBufferPointer { b in for task in b { t.mark(unmanaged: Unmanaged.passUnretained(task)) } }
        t.mark(object)
        t.mark(exceptionHandler)
        for c in mainTaskEndCallbacks { t.mark(c) }
    }
}
