// Signals: Ctrl-C as `KeyboardInterrupt`, `signal.signal` handlers, and asyncio.run's first Ctrl-C.
//
// One idea: a signal reaches an interpreter from any thread (the host's signal relay, `os.kill`
// of the script's own process, a host that wants to stop a script) as a bit in `SignalLine` plus
// the heap's attention flag, which the dispatch loop already tests at its safepoints (backward
// jumps, calls, function entry) and the event loop between callbacks. The handler then runs on the
// interpreter's own thread, at that safepoint, as CPython runs a Python-level handler at the next
// bytecode boundary: `signal.default_int_handler` raises KeyboardInterrupt where the code is, a
// handler the script set with `signal.signal` is called there. While `asyncio.run` runs with the
// default handler, the first Ctrl-C cancels the main task instead (3.11's Runner), and asyncio.run
// then raises KeyboardInterrupt once the task has ended cancelled; a second Ctrl-C raises it at once.

import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The pending signals of one interpreter: raised from any thread, taken on the interpreter's.
package final class SignalLine: @unchecked Sendable {
    /// Bit n: signal n is pending.
    private let pending = Atomic<UInt64>(0)
    /// The heap's attention flag (a plain byte the dispatch loop reads at its safepoints).
    private let attention: UnsafeMutablePointer<Bool>
    /// Wakes the event loop when it waits (set while one runs).
    private let waker = Mutex<(@Sendable () -> Void)?>(nil)
    /// Wakes a `time.sleep` in progress.
    let sleeper = DispatchSemaphore(value: 0)

    init(attention: UnsafeMutablePointer<Bool>) { self.attention = attention }

    /// Marks signal `n` pending and wakes the interpreter's thread; safe from any thread.
    package func raise(_ n: Int32) {
        guard n > 0 && n < 64 else { return }
        pending.bitwiseOr(1 << UInt64(n), ordering: .sequentiallyConsistent)
        attention.pointee = true
        sleeper.signal()
        let wake = waker.withLock { $0 }
        wake?()
    }

    var hasPending: Bool { pending.load(ordering: .sequentiallyConsistent) != 0 }

    /// Takes every pending signal (lowest number first).
    func take() -> [Int32] {
        let bits = pending.exchange(0, ordering: .sequentiallyConsistent)
        return (1..<64).filter { bits & (1 << UInt64($0)) != 0 }.map { Int32($0) }
    }

    /// Puts signals back (the handler of an earlier one raised before they ran).
    func putBack(_ signals: [Int32]) {
        for n in signals { pending.bitwiseOr(1 << UInt64(n), ordering: .sequentiallyConsistent) }
        if !signals.isEmpty { attention.pointee = true }
    }

    func setWaker(_ wake: (@Sendable () -> Void)?) { waker.withLock { $0 = wake } }

    /// Raises the attention flag and wakes the interpreter's thread, with no signal pending (the
    /// host's deadline or cancellation, Host/); safe from any thread.
    package func wake() {
        attention.pointee = true
        sleeper.signal()
        let wake = waker.withLock { $0 }
        wake?()
    }
}

/// What a signal does when it reaches the interpreter (`signal.signal`'s second argument).
enum SignalDisposition {
    /// `SIG_DFL`: the host's default action (the `aso` command: the process ends by the signal).
    case defaultAction
    /// `SIG_IGN`.
    case ignore
    /// `signal.default_int_handler`: raise KeyboardInterrupt.
    case keyboardInterrupt
    /// A callable of the script's, called with `(signum, frame)`.
    case call(Value)
    /// `loop.add_signal_handler`: the handle to schedule on the loop (LoopSignals.swift).
    case loopHandle(HandleObj, EventLoop)
}

/// asyncio.run's handler of the first Ctrl-C (3.11's `Runner._on_sigint`).
final class RunnerInterrupt {
    let task: TaskObj
    var count = 0
    init(task: TaskObj) { self.task = task }
}

extension Runtime {
    /// Raised when the attention flag is up at a safepoint: collects if allocation asked for it,
    /// then runs the handlers of the pending signals (which may raise).
    @inline(never)
    func attend() throws {
        heap.requestFlag.pointee = false
        if heap.collectionRequested { collectGarbage(full: false) }
        if signals.hasPending { try handleSignals() }
        if host.watching { try attendHost() }
    }

    /// The dispatch loop's safepoint, out of line (the loop's code stays small): saves the
    /// running state, then `attend`.
    @inline(never)
    func safepoint(_ fp: UnsafeMutablePointer<Frame>, _ ip: Int, _ sp: UnsafeMutablePointer<Value>, _ fiber: Fiber) throws {
        Runtime.saveState(fp, ip, sp, fiber)
        try attend()
    }

    /// Runs the handler of each pending signal, here and now.
    func handleSignals() throws {
        var left = signals.take()
        while !left.isEmpty {
            let n = left.removeFirst()
            do { try runSignalHandler(n) } catch {
                signals.putBack(left)
                throw error
            }
        }
    }

    func signalDisposition(_ n: Int32) -> SignalDisposition {
        if let d = signalDispositions[n] { return d }
        return n == SIGINT ? .keyboardInterrupt : .defaultAction
    }

    private func runSignalHandler(_ n: Int32) throws {
        switch signalDisposition(n) {
        case .ignore:
            return
        case .defaultAction:
            options.defaultSignalAction?(n)
        case .keyboardInterrupt:
            if n == SIGINT, let runner = runnerInterrupt {
                runner.count += 1
                if runner.count == 1 && !runner.task.isDone {
                    _ = cancelTask(runner.task, message: .none)
                    return
                }
            }
            if n == SIGINT, let interactive = interactiveInterrupt, interactive() { return }
            throw ScriptError(exception: newException(exc.keyboardInterrupt, nil))
        case .call(let handler):
            _ = try call(handler, [.int(Int(n)), .none])
        case .loopHandle(let handle, let loop):
            scheduleLoopSignalHandle(n, handle, loop)
        }
    }

    /// `time.sleep`: waits `seconds`, running the handlers of signals that arrive meanwhile (a
    /// handler that raises ends the sleep; one that returns lets it go on, as PEP 475 says).
    func interruptibleSleep(_ seconds: Double) throws {
        let end = DispatchTime.now().uptimeNanoseconds &+ UInt64(seconds * 1e9)
        while true {
            if signals.hasPending { try handleSignals() }
            if host.watching { try attendHostInterruption() }
            let now = DispatchTime.now().uptimeNanoseconds
            if now >= end { return }
            _ = signals.sleeper.wait(timeout: DispatchTime(uptimeNanoseconds: end))
        }
    }
}

/// A value handed to another thread that only ever uses it on the thread it came from (the
/// event loop's driver, called back through `EventLoop.execute` on its own thread).
struct UnsafeTransfer<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

extension Runtime {
    /// SIGINT's number, for code that does not import the C library.
    package static let sigint: Int32 = SIGINT
}
