// The thread an interpreter's scripts run on, and how calls from other threads reach it.
//
// One idea: an interpreter's runtime is touched by one thread only, its own. Every call of the
// public API becomes a job for that thread; the blocking forms wait for the job, the async forms
// resume a continuation from it. A call made on the thread itself (a host function calling back
// into its interpreter) runs at once.
//
// A call from another thread is a hand-off each way. Made with semaphores alone, each hand-off
// puts a thread to sleep and wakes it (a system call and a context switch each, about 5 µs a
// call); so each side first spins a little (`spin`, some tens of µs) on an atomic before it
// sleeps: the thread for its next job, a caller for its answer. Back-to-back calls then never
// sleep. A side that goes to sleep says so first (`sleeping`, `callerSleeping`) and looks once
// more; the other side posts its work first and then looks whether to signal. Both use
// sequentially consistent atomics, so at least one of them sees the other's write: a wake-up is
// never lost (an extra one only makes the sleeper look again).
//
// Jobs go through a queue (first in, first out), except blocking calls: one blocking caller at a
// time posts its job in a slot (`runInSlot`), a job that lives on the caller's stack and writes
// its answer there, so the hand-off allocates nothing and touches a few words. The thread takes
// the slot when its queue is empty; another blocking caller meanwhile uses the queue.

import AsoRuntime
import AsoSyntax
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A thread with a large stack that runs jobs one after the other until stopped.
final class InterpreterThread: @unchecked Sendable {
    private let lock = HostLock()
    /// Queued jobs (under `lock`); nil stops the thread.
    private var jobs: [(() -> Void)?] = []
    /// `jobs.count`, changed under `lock` with the array, read without it.
    private let queued = Atomic<Int>(0)
    /// Wakes the thread; signalled only when it says it is sleeping.
    private let available = DispatchSemaphore(value: 0)
    /// The thread is about to wait (or waits) on `available`.
    private let sleeping = Atomic<Bool>(false)
    private var started = false
    private var stopped = false
    /// The thread's identity once it runs (0 before and after), compared with the caller's.
    private let current = Atomic<UInt>(0)
    /// The thread runs its loop (the slot is served).
    private let live = Atomic<Bool>(false)
    /// The thread has left its loop: a job posted in the slot now is refused.
    private let exited = Atomic<Bool>(false)
    private let ended = DispatchSemaphore(value: 0)

    /// The blocking caller's slot. `slotOwned`: a caller holds it. `slotState`: 0 empty,
    /// 1 job posted, 2 job done, 3 refused (the thread ended).
    private let slotOwned = Atomic<Bool>(false)
    private let slotState = Atomic<Int>(0)
    /// The posted job (written before `slotState` becomes 1, read after).
    @exclusivity(unchecked) private var slotJob: (() -> Void)?
    /// Wakes a caller waiting for the slot's answer; signalled only when it says it sleeps.
    private let slotAnswered = DispatchSemaphore(value: 0)
    private let callerSleeping = Atomic<Bool>(false)

    /// Queues `job`; false when the thread has been stopped (or cannot be made).
    func submit(_ job: @escaping () -> Void) -> Bool {
        let (accepted, start): (Bool, Bool) = lock.withLock {
            if stopped { return (false, false) }
            jobs.append(job)
            queued.add(1, ordering: .sequentiallyConsistent)
            if started { return (true, false) }
            started = true
            return (true, true)
        }
        guard accepted else { return false }
        if start {
            let spawned = startDetachedThread(stackSize: Interpreter.programStackSize) { [self] in
                current.store(currentThreadID(), ordering: .releasing)
                loop()
            }
            if !spawned {
                lock.withLock {
                    stopped = true
                    jobs = []
                    queued.store(0, ordering: .sequentiallyConsistent)
                }
                return false
            }
        }
        wake()
        return true
    }

    /// What became of a job given to `runInSlot`.
    enum SlotOutcome { case ran, refused, busy }

    /// Runs `job` on the thread and waits for it, through the slot: `.busy` (the job did not run)
    /// when the slot is taken or the thread is not running yet, `.refused` when the thread ended.
    func runInSlot(_ job: () -> Void) -> SlotOutcome {
        guard live.load(ordering: .acquiring),
              slotOwned.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return .busy }
        defer { slotOwned.store(false, ordering: .releasing) }
        return withoutActuallyEscaping(job) { job in
            slotJob = job
            slotState.store(1, ordering: .sequentiallyConsistent)
            wake()
            if exited.load(ordering: .sequentiallyConsistent),
               slotState.compareExchange(expected: 1, desired: 0, ordering: .sequentiallyConsistent).exchanged {
                // The thread ended without taking it.
                slotJob = nil
                return .refused
            }
            if !spin(nanoseconds: 50_000, until: { slotState.load(ordering: .acquiring) >= 2 }) {
                callerSleeping.store(true, ordering: .sequentiallyConsistent)
                while slotState.load(ordering: .sequentiallyConsistent) < 2 { slotAnswered.wait() }
                callerSleeping.store(false, ordering: .relaxed)
            }
            let outcome: SlotOutcome = slotState.load(ordering: .acquiring) == 2 ? .ran : .refused
            slotJob = nil
            slotState.store(0, ordering: .releasing)
            return outcome
        }
    }

    /// Signals the thread if it said it is going to sleep.
    private func wake() {
        if sleeping.load(ordering: .sequentiallyConsistent) { available.signal() }
    }

    /// Is the caller the interpreter's thread?
    var isCurrent: Bool {
        current.load(ordering: .acquiring) == currentThreadID()
    }

    var isStopped: Bool { lock.withLock { stopped } }

    private func loop() {
        live.store(true, ordering: .releasing)
        while true {
            // The queue first (its jobs keep their order), then the slot, then idle.
            if queued.load(ordering: .acquiring) > 0 {
                let next: (() -> Void)?? = lock.withLock {
                    if jobs.isEmpty { return nil }
                    queued.subtract(1, ordering: .sequentiallyConsistent)
                    return jobs.removeFirst()
                }
                if let job = next {
                    guard let job else { break }
                    job()
                    continue
                }
            }
            if slotState.load(ordering: .acquiring) == 1 {
                runSlotJob()
                slotState.store(2, ordering: .sequentiallyConsistent)
                if callerSleeping.load(ordering: .sequentiallyConsistent) { slotAnswered.signal() }
                continue
            }
            if spin(nanoseconds: 50_000, until: {
                queued.load(ordering: .acquiring) > 0 || slotState.load(ordering: .acquiring) == 1
            }) { continue }
            sleeping.store(true, ordering: .sequentiallyConsistent)
            if queued.load(ordering: .sequentiallyConsistent) == 0 && slotState.load(ordering: .sequentiallyConsistent) != 1 {
                available.wait()
            }
            sleeping.store(false, ordering: .relaxed)
        }
        live.store(false, ordering: .releasing)
        exited.store(true, ordering: .sequentiallyConsistent)
        if slotState.compareExchange(expected: 1, desired: 3, ordering: .sequentiallyConsistent).exchanged,
           callerSleeping.load(ordering: .sequentiallyConsistent) {
            slotAnswered.signal()
        }
        current.store(0, ordering: .releasing)
        ended.signal()
    }

    /// Calls the slot's job; out of line, so that its copy of the closure is released before the
    /// caller is told (it checks that the job did not escape).
    @inline(never)
    private func runSlotJob() {
        let job = slotJob
        job?()
    }

    /// Ends the thread after the jobs already queued; `wait` waits for it to end (not from the
    /// thread itself).
    func stop(wait: Bool = false) {
        let running: Bool = lock.withLock {
            if stopped { return false }
            stopped = true
            jobs.append(nil)
            queued.add(1, ordering: .sequentiallyConsistent)
            return started
        }
        guard running else { return }
        wake()
        if wait && !isCurrent { ended.wait() }
    }
}

/// An answer handed from the interpreter's thread to a waiting caller.
final class Answer<T>: @unchecked Sendable {
    private var value: T?
    private let ready = DispatchSemaphore(value: 0)
    private let done = Atomic<Bool>(false)
    func set(_ v: T) {
        value = v
        // The count first, then the flag the caller spins on: its wait then finds the count.
        ready.signal()
        done.store(true, ordering: .releasing)
    }
    func wait() -> T? {
        _ = spin(nanoseconds: 50_000) { done.load(ordering: .acquiring) }
        ready.wait()
        return value
    }
}

/// The calling thread's identity as a number (never 0).
func currentThreadID() -> UInt {
    #if canImport(Darwin)
    return UInt(bitPattern: pthread_self())
    #else
    return UInt(pthread_self())
    #endif
}

/// Spins until `ready` is true or `nanoseconds` have passed; whether it became true. After the
/// first microseconds it yields the processor between looks, so that on a machine with more
/// busy threads than cores the thread it waits for gets to run.
func spin(nanoseconds: UInt64, until ready: () -> Bool) -> Bool {
    if ready() { return true }
    let start = DispatchTime.now().uptimeNanoseconds
    while true {
        for _ in 0..<32 where ready() { return true }
        let waited = DispatchTime.now().uptimeNanoseconds &- start
        if waited > nanoseconds { return ready() }
        if waited > 2_000 { sched_yield() }
    }
}
