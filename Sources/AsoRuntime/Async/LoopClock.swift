// The event loop's clock: what `loop.time()` reads, and what the loop does when it has to wait.
//
// One idea: the loop asks its clock for the time, and, when nothing is ready and no I/O is in
// flight, whether the clock can move to the next deadline itself (a virtual clock) or the loop
// must wait for it in SwiftNIO (the system clock). The virtual clock is real time plus the time it
// has skipped: it advances while code runs, so a program that polls `loop.time()` in a busy loop
// sees the time pass, and only the waits cost nothing.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The clock an event loop runs on (not Swift's `Clock`: seconds as a `Double`, as asyncio's are).
protocol LoopClock: AnyObject {
    /// Seconds on a monotonic scale: `loop.time()`, and the scale of every timer's deadline.
    func now() -> Double
    /// Called when nothing is ready and no I/O is in flight, with the earliest deadline (later
    /// than `now()`): true when the clock has moved to it, so the loop runs the timer at once;
    /// false when the loop must wait for it in real time.
    func skip(to deadline: Double) -> Bool
    /// True when no wait is real: a loop with nothing left that could wake a task is a deadlock
    /// to report, not a wait forever.
    var isVirtual: Bool { get }
}

/// The host's monotonic clock (CLOCK_MONOTONIC, as asyncio's `time.monotonic`): waits are real.
final class SystemClock: LoopClock {
    static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    func now() -> Double { SystemClock.monotonic() }
    func skip(to deadline: Double) -> Bool { false }
    var isVirtual: Bool { false }
}

/// `--virtual-time`: real time, plus a jump to the next deadline whenever the loop would wait.
/// Programs print what they print in real time (timers fire in the same order, a busy loop sees
/// the clock move), but sleeps and timeouts take no time.
final class VirtualClock: LoopClock {
    /// Where real time is read (the monotonic clock; a test gives one it controls).
    private let realTime: () -> Double
    /// The virtual time at the real time `realBase`; `now()` runs on from there at real speed.
    /// Both move only in `skip`, where the virtual time only grows.
    private var base: Double
    private var realBase: Double

    init(realTime: @escaping () -> Double = SystemClock.monotonic) {
        self.realTime = realTime
        realBase = realTime()
        base = realBase
    }

    func now() -> Double { base + (realTime() - realBase) }

    /// Moves the clock to `deadline` exactly (a later deadline only: the clock never goes back).
    func skip(to deadline: Double) -> Bool {
        let real = realTime()
        if deadline > base + (real - realBase) {
            base = deadline
            realBase = real
        }
        return true
    }

    var isVirtual: Bool { true }
}
