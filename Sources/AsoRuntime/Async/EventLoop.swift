// The event loop: asyncio's scheduling model, step for step.
//
// One idea: a FIFO ready queue and a timer heap ordered by (deadline, sequence). Each iteration
// (after the wait, which LoopDriver.swift leaves to SwiftNIO) moves the due timers to the ready
// queue, then runs exactly the work that was ready when the iteration began —
// BaseEventLoop._run_once. Futures never run their callbacks directly: completing one schedules
// them. Entries are plain values (a task's step, a wakeup, a sleep's timer); only callbacks that
// scripts can see have a Handle object. With a virtual clock the wait is a jump of the clock to
// the next deadline, so sleep-heavy programs finish at once and print the same thing.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One entry of the ready queue (or of the timer heap): a script-visible handle, or work the
/// runtime schedules for itself without an object of its own. References are unmanaged (queueing
/// does no reference counting); the loop's `trace` keeps them alive.
enum ReadyItem {
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

    func trace(_ t: inout Tracer) {
        switch self {
        case .handle(let h): t.mark(Unmanaged<Obj>.fromOpaque(h.toOpaque()))
        case .step(let task): t.mark(Unmanaged<Obj>.fromOpaque(task.toOpaque()))
        case .stepThrowing(let task, let e):
            t.mark(Unmanaged<Obj>.fromOpaque(task.toOpaque()))
            t.mark(Unmanaged<Obj>.fromOpaque(e.toOpaque()))
        case .wakeup(let task, let f):
            t.mark(Unmanaged<Obj>.fromOpaque(task.toOpaque()))
            t.mark(Unmanaged<Obj>.fromOpaque(f.toOpaque()))
        case .resolve(let f): t.mark(Unmanaged<Obj>.fromOpaque(f.toOpaque()))
        case .sleepDone(let task): t.mark(Unmanaged<Obj>.fromOpaque(task.toOpaque()))
        case .gatherChild(let g, let f):
            // The outer future keeps the gather's state (and traces its children).
            t.mark(g._withUnsafeGuaranteedRef { $0.outer })
            t.mark(Unmanaged<Obj>.fromOpaque(f.toOpaque()))
        }
    }
}

/// A timer in the heap: a handle (`call_later`), a sleep's future, which is its own timer, or a
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
    /// Work to run, oldest first (`head` is the next one).
    private(set) var ready: [ReadyItem] = []
    private var head = 0
    /// Timers as a binary heap on (deadline, sequence).
    private var timers: [TimerEntry] = []
    private var sequence = 0
    /// Virtual time: the clock jumps to the next deadline instead of waiting for it.
    let virtualTime: Bool
    private var virtualNow: Double
    /// The task whose step is running (alive: it is in the batch being run).
    unowned(unsafe) var currentTask: TaskObj?
    /// Tasks not yet done (the loop keeps them alive); each knows its slot here, so removing one
    /// is a swap with the last.
    private(set) var tasks: [TaskObj] = []
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
    /// The work of the iteration being run (rooted until it has run).
    var inFlight: ArraySlice<ReadyItem> = []

    init(virtualTime: Bool) {
        self.virtualTime = virtualTime
        virtualNow = EventLoop.monotonic()
    }

    static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// `loop.time()`.
    func time() -> Double { virtualTime ? virtualNow : EventLoop.monotonic() }

    var hasReady: Bool { head < ready.count }

    @inline(__always) func schedule(_ item: ReadyItem) { ready.append(item) }

    /// Adds a timer: a handle (call_later, call_at) or a sleep, which is its own timer.
    func scheduleTimer(_ handle: HandleObj, at when: Double) { addTimer(Unmanaged.passUnretained(handle), when) }
    func scheduleTimer(_ sleep: SleepAwait, at when: Double) { addTimer(Unmanaged.passUnretained(sleep), when) }
    /// A sleeping task's timer; returns its sequence number (the task keeps it: see TaskObj.sleepSeq).
    func scheduleTimer(_ task: TaskObj, at when: Double) -> Int { addTimer(Unmanaged.passUnretained(task), when) }

    @discardableResult
    private func addTimer(_ target: Unmanaged<Obj>, _ when: Double) -> Int {
        sequence &+= 1
        timers.append(TimerEntry(when: when, seq: sequence, target: target))
        var i = timers.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if EventLoop.earlier(timers[i], timers[parent]) { timers.swapAt(i, parent); i = parent } else { break }
        }
        return sequence
    }

    private static func earlier(_ a: TimerEntry, _ b: TimerEntry) -> Bool {
        a.when < b.when || (a.when == b.when && a.seq < b.seq)
    }

    private func popTimer() -> TimerEntry? {
        guard !timers.isEmpty else { return nil }
        let top = timers[0]
        let last = timers.removeLast()
        if !timers.isEmpty {
            timers[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < timers.count && EventLoop.earlier(timers[l], timers[m]) { m = l }
                if r < timers.count && EventLoop.earlier(timers[r], timers[m]) { m = r }
                if m == i { break }
                timers.swapAt(i, m)
                i = m
            }
        }
        return top
    }

    /// The deadline of the earliest timer still wanted (cancelled ones at the top are dropped).
    func nextDeadline() -> Double? {
        while let first = timers.first, first.isCancelled { _ = popTimer() }
        return timers.first?.when
    }

    /// Virtual time: nothing is runnable, so the clock jumps to the next deadline.
    func advanceVirtualClock(to when: Double) {
        if virtualTime && when > virtualNow { virtualNow = when }
    }

    /// One iteration of `_run_once` after its wait: moves the due timers to the ready queue and
    /// returns the work to run in this iteration (what is ready now; what it schedules waits for
    /// the next iteration).
    func nextBatch() -> ArraySlice<ReadyItem> {
        let end = time() + 1e-9
        // (Written as asyncio's `if handle._when >= end_time: break`, so a NaN deadline is due now.)
        while let first = timers.first, !(first.when >= end) {
            if let timer = popTimer(), !timer.isCancelled { ready.append(timer.item) }
        }
        inFlight = ready[head...]
        ready = []
        head = 0
        return inFlight
    }

    func trace(_ t: inout Tracer) {
        for item in ready[head...] { item.trace(&t) }
        for item in inFlight { item.trace(&t) }
        for e in timers { t.mark(e.target) }
        t.mark(currentTask)
        for task in tasks { t.mark(task) }
        t.mark(object)
    }
}
