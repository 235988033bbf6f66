// The thread an interpreter's scripts run on, and how calls from other threads reach it.
//
// One idea: an interpreter's runtime is touched by one thread only, its own. Every call of the
// public API becomes a job on that thread's queue; the blocking forms wait for the job, the async
// forms resume a continuation from it. A call made on the thread itself (a host function calling
// back into its interpreter) runs at once.

import AsoRuntime
import AsoSyntax
import Dispatch

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
    private var started = false
    private var stopped = false
    /// The thread, once it runs (compared with the caller's).
    private var current: pthread_t?
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
                lock.withLock { current = pthread_self() }
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
        available.signal()
        return true
    }

    /// Is the caller the interpreter's thread?
    var isCurrent: Bool {
        lock.withLock {
            guard let current else { return false }
            return pthread_equal(current, pthread_self()) != 0
        }
    }

    var isStopped: Bool { lock.withLock { stopped } }

    private func loop() {
        while true {
            available.wait()
            let next: (() -> Void)?? = lock.withLock { jobs.isEmpty ? nil : jobs.removeFirst() }
            guard let job = next else { continue }
            guard let job else { break }
            job()
        }
        lock.withLock { current = nil }
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
        if wait && !isCurrent { ended.wait() }
    }
}

/// An answer handed from the interpreter's thread to a waiting caller.
final class Answer<T>: @unchecked Sendable {
    private var value: T?
    private let ready = DispatchSemaphore(value: 0)
    func set(_ v: T) {
        value = v
        ready.signal()
    }
    func wait() -> T? {
        ready.wait()
        return value
    }
}
