// The thread an interpreter's scripts run on, and how calls from other threads reach it.
//
// One idea: an interpreter's runtime is touched by one thread only, its own. Every call of the
// public API becomes a job on that thread's queue; the blocking forms wait for the job, the async
// forms resume a continuation from it. A call made on the thread itself (a host function calling
// back into its interpreter) runs at once.
//
// A call from another thread is a hand-off each way. Made with semaphores alone, each hand-off
// puts a thread to sleep and wakes it (a system call and a context switch each, about 5 µs a
// call); so each side first spins a little (`spin`, some tens of µs) on an atomic before it
// sleeps: the thread for its next job, a caller for its answer. Back-to-back calls then never
// sleep, and the semaphores' signal and wait find a count already there (no system call).

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
    private var jobs: [(() -> Void)?] = []
    private let available = DispatchSemaphore(value: 0)
    /// Jobs queued and not yet taken (what the thread spins on before it waits).
    private let queued = Atomic<Int>(0)
    private var started = false
    private var stopped = false
    /// The thread, once it runs (compared with the caller's).
    /// The thread's identity once it runs (0 before and after), compared with the caller's.
    private let current = Atomic<UInt>(0)
    private let ended = DispatchSemaphore(value: 0)

    /// Queues `job`; false when the thread has been stopped (or cannot be made).
    func submit(_ job: @escaping () -> Void) -> Bool {
        let (accepted, start): (Bool, Bool) = lock.withLock {
            if stopped { return (false, false) }
            jobs.append(job)
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
                }
                return false
            }
        }
        // The count first, then the flag the thread spins on: its wait then finds the count.
        available.signal()
        queued.add(1, ordering: .releasing)
        return true
    }

    /// Is the caller the interpreter's thread?
    var isCurrent: Bool {
        current.load(ordering: .acquiring) == currentThreadID()
    }

    var isStopped: Bool { lock.withLock { stopped } }

    private func loop() {
        while true {
            _ = spin(nanoseconds: 50_000) { queued.load(ordering: .acquiring) > 0 }
            available.wait()
            let next: (() -> Void)?? = lock.withLock { jobs.isEmpty ? nil : jobs.removeFirst() }
            guard let job = next else { continue }
            queued.subtract(1, ordering: .relaxed)
            guard let job else { break }
            job()
        }
        current.store(0, ordering: .releasing)
        ended.signal()
    }

    /// Ends the thread after the jobs already queued; `wait` waits for it to end (not from the
    /// thread itself).
    func stop(wait: Bool = false) {
        let running: Bool = lock.withLock {
            if stopped { return false }
            stopped = true
            jobs.append(nil)
            return started
        }
        guard running else { return }
        available.signal()
        queued.add(1, ordering: .releasing)
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
