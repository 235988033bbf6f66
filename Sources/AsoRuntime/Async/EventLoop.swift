// The event loop: asyncio's scheduling model, step for step.
//
// One idea: a FIFO ready queue of handles and a timer heap ordered by (deadline, sequence). Each
// iteration waits until the earliest timer (or not at all when something is ready), moves the due
// timers to the ready queue, then runs exactly the handles that were ready when the iteration
// began — BaseEventLoop._run_once. Futures never run their callbacks directly: completing one
// schedules them. With a virtual clock the wait is a jump of the clock to the next deadline, so
// sleep-heavy programs finish at once and print the same thing.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

final class EventLoop {
    /// Handles to run, oldest first (`head` is the next one).
    private(set) var ready: [HandleObj] = []
    private var head = 0
    /// Timers as a binary heap on (deadline, sequence). The handles are unmanaged (moving entries
    /// does no reference counting); `trace` keeps them alive.
    private var timers: [(when: Double, seq: Int, handle: Unmanaged<HandleObj>)] = []
    private var sequence = 0
    /// Virtual time: the clock jumps to the next deadline instead of waiting for it.
    let virtualTime: Bool
    private var virtualNow: Double
    /// The task whose step is running.
    var currentTask: TaskObj?
    /// Tasks not yet done (the loop keeps them alive); each knows its slot here, so removing one
    /// is a swap with the last.
    private(set) var tasks: [TaskObj] = []
    /// The pending tasks in creation order.
    var pendingTasks: [TaskObj] { tasks.sorted { $0.number < $1.number } }

    func addTask(_ task: TaskObj) {
        task.loopSlot = tasks.count
        tasks.append(task)
    }

    func removeTask(_ task: TaskObj) {
        let i = task.loopSlot
        guard i >= 0, i < tasks.count, tasks[i] === task else { return }
        let last = tasks.removeLast()
        if last !== task {
            tasks[i] = last
            last.loopSlot = i
        }
        task.loopSlot = -1
    }
    /// The script-visible loop object (`get_running_loop()`).
    var object: Value = .none
    /// The handles of the iteration being run (rooted until they have run).
    var inFlight: ArraySlice<HandleObj> = []

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

    func schedule(_ h: HandleObj) { ready.append(h) }

    func scheduleTimer(_ h: HandleObj, at when: Double) {
        sequence &+= 1
        timers.append((when, sequence, Unmanaged.passUnretained(h)))
        var i = timers.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if EventLoop.earlier(timers[i], timers[parent]) { timers.swapAt(i, parent); i = parent } else { break }
        }
    }

    private static func earlier(_ a: (when: Double, seq: Int, handle: Unmanaged<HandleObj>),
                                _ b: (when: Double, seq: Int, handle: Unmanaged<HandleObj>)) -> Bool {
        a.when < b.when || (a.when == b.when && a.seq < b.seq)
    }

    private func popTimer() -> HandleObj? {
        guard !timers.isEmpty else { return nil }
        let top = timers[0].handle.takeUnretainedValue()
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

    /// Waits as `_run_once` does, moves due timers to the ready queue and returns the handles to
    /// run in this iteration (the ones ready now; those they schedule wait for the next one).
    func nextBatch() -> ArraySlice<HandleObj> {
        while let first = timers.first, first.handle._withUnsafeGuaranteedRef({ $0.cancelled }) { _ = popTimer() }
        if !hasReady, let first = timers.first {
            let wait = first.when - time()
            if wait > 0 {
                if virtualTime {
                    virtualNow = first.when
                } else {
                    var ts = timespec(tv_sec: Int(wait), tv_nsec: Int((wait - Double(Int(wait))) * 1e9))
                    var left = timespec()
                    while nanosleep(&ts, &left) != 0 && errno == EINTR { ts = left }
                }
            }
        }
        let end = time() + 1e-9
        while let first = timers.first, first.when < end {
            if let h = popTimer(), !h.cancelled { ready.append(h) }
        }
        inFlight = ready[head...]
        ready = []
        head = 0
        return inFlight
    }

    /// Nothing to run and nothing to wait for: a loop in this state can never make progress.
    var isIdle: Bool { !hasReady && timers.allSatisfy { $0.handle._withUnsafeGuaranteedRef { $0.cancelled } } }

    func trace(_ t: inout Tracer) {
        for h in ready[head...] { t.mark(h) }
        for h in inFlight { t.mark(h) }
        for e in timers { t.mark(Unmanaged<Obj>.fromOpaque(e.handle.toOpaque())) }
        t.mark(currentTask)
        for task in tasks { t.mark(task) }
        t.mark(object)
    }
}
