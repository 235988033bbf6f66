// The asyncio loop on SwiftNIO: `asyncio.run` turns the interpreter's thread into a SwiftNIO event
// loop for as long as it runs.
//
// One idea: asyncio's model (the ready queue and timer heap in EventLoop.swift) decides what runs
// and in which order; SwiftNIO decides when the thread sleeps and what wakes it. The driver runs
// loop iterations while there is work; when there is none it schedules a NIO timer for the next
// deadline and returns to NIO, which waits in the kernel (and will deliver I/O completions on this
// same thread). With a virtual clock there is no waiting: the clock jumps to the next deadline.
// Script code therefore only ever runs on this thread, inside NIO's loop.

import NIOCore
import NIOPosix

final class LoopDriver {
    private unowned let rt: Runtime
    private let loop: EventLoop
    private let nio: NIOCore.EventLoop
    /// The NIO timer that will wake the driver for the next deadline.
    private var wake: Scheduled<Void>?
    /// The future the loop runs for, and what to do once it is done (or running failed).
    private var target: FutureObj?
    private var then: ((Error?) -> Void)?
    /// An interactive session's loop (Interactive.swift): with no target it goes on running what
    /// becomes ready (tasks left in the background between inputs) until `stop()`, and what escapes
    /// the loop then goes to `idleError`.
    var runsForever = false
    var idleError: ((Error) -> Void)?
    /// May a virtual clock jump to the next deadline? Always under `asyncio.run`; an interactive
    /// session allows it only while an input runs, and only in virtual-time mode.
    var jumps = true
    /// True while `pump` runs (it is not re-entered).
    private var pumping = false
    private var repump = false
    /// `loop.run_forever()`: no target; the loop runs until `loop.stop()`.
    private var forever = false
    /// `loop.run_until_complete()`: once the target is done, one more iteration runs (the one in
    /// which asyncio's done callback stops the loop).
    private var extraIteration = false

    init(rt: Runtime, loop: EventLoop, nio: NIOCore.EventLoop) {
        self.rt = rt
        self.loop = loop
        self.nio = nio
    }

    /// Runs the loop until `f` is done (run_until_complete), then calls `then` with nil, or with
    /// what escaped the loop (SystemExit, a deadlock under virtual time, ...).
    func run(until f: FutureObj, oneMoreIteration: Bool = false, then: @escaping (Error?) -> Void) {
        target = f
        extraIteration = oneMoreIteration
        self.then = then
        pump()
    }

    /// Runs the loop until `loop.stop()` (run_forever), then calls `then`.
    func runForever(then: @escaping (Error?) -> Void) {
        target = nil
        forever = true
        self.then = then
        pump()
    }

    /// Runs what is ready now and waits for what comes next: for work handed to the loop from
    /// outside (an interactive session's input) that may have made tasks or timers.
    func kick() { pump() }

    /// Runs the loop once the NIO loop has handled the events at hand: I/O completions (an HTTP
    /// response) make their tasks ready together, as asyncio's selector does, and one pass then
    /// runs them all, instead of a pass per completion inside the channel's read.
    func kickSoon() {
        if kickScheduled { return }
        kickScheduled = true
        nio.assumeIsolated().execute { [unowned self] in
            self.kickScheduled = false
            self.pump()
        }
    }
    private var kickScheduled = false

    /// Ends the NIO loop: `withCurrentThreadAsEventLoop` returns.
    func stop() {
        runsForever = false
        rt.host.token?.close()
        wake?.cancel()
        wake = nil
        // NIO starts the close from the queue given here. A serial queue of our own (not the
        // global one) gets a thread even when the host's Dispatch pool is busy, for instance
        // when every pool thread waits in an `Interpreter.run` of its own.
        let hooks = loop.endHooks
        loop.endHooks = []
        loop.wakeUp = nil
        guard !hooks.isEmpty else {
            nio.shutdownGracefully(queue: rt.loopShutdownQueue) { _ in }
            return
        }
        // Extensions close what they keep on this loop (connection pools) first.
        let queue = rt.loopShutdownQueue
        let nio = self.nio
        EventLoopFuture.whenAllComplete(hooks.map { $0() }, on: nio).whenComplete { _ in
            nio.shutdownGracefully(queue: queue) { _ in }
        }
    }

    /// Runs iterations until the target is done or the loop has to wait.
    private func pump() {
        // Asked again while it runs (an I/O completion delivered while script code runs, or the
        // next `run(until:)` from a `then`): it runs again once the current pass is over.
        if pumping {
            repump = true
            return
        }
        pumping = true
        repeat {
            repump = false
            pumpPass()
        } while repump
        pumping = false
    }

    private func pumpPass() {
        wake?.cancel()
        wake = nil
        guard target != nil || runsForever || forever else { return }
        var turns = 0
        do {
            while true {
                if target?.isDone ?? false {
                    // run_until_complete: the iteration in which asyncio's done callback runs
                    // (whatever else is ready runs with it) ends the loop.
                    guard extraIteration else { break }
                    extraIteration = false
                    try rt.runOnce(loop)
                    break
                }
                // A signal (Ctrl-C) wakes the loop: its handler runs between callbacks.
                if rt.heap.requestFlag.pointee { try rt.attend() }
                // An interactive session's loop lets work handed in from outside (an interrupt, the
                // next input) run between its iterations, even when tasks are always ready.
                if runsForever {
                    turns += 1
                    if turns > 64 {
                        nio.assumeIsolated().execute { [unowned self] in self.pump() }
                        return
                    }
                }
                if !loop.hasReady && !loop.stopping {
                    // While I/O is in flight the loop waits for it (or a timer): no jump, no deadlock.
                    let jumping = jumps && (target != nil || forever) && loop.pendingIO == 0
                    guard let next = loop.nextDeadline() else {
                        // (Work of the host in flight, an async host function, may still wake one.)
                        if loop.clock.isVirtual && jumping && loop.externalPending == 0 { throw rt.deadlockError(loop) }
                        // Nothing can wake a task but I/O or the host's work, or nothing can ever:
                        // wait, as CPython does.
                        return
                    }
                    // Nothing is ready and no I/O is in flight:
                    // a virtual clock moves to the deadline, the system clock waits for it.
                    let wait = next - loop.time()
                    if wait > 0 && jumping && loop.externalPending == 0 && loop.clock.skip(to: next) {
                        loop.jumpSlack = 0.001
                    } else if wait > 0 {
                        // In whole milliseconds, rounded up, as asyncio's selector waits: the
                        // timers due by then all run in the next iteration, as under CPython.
                        let nanos = Int64((min(wait, 86400) * 1e3).rounded(.up)) * 1_000_000
                        wake = nio.assumeIsolated().scheduleTask(in: .nanoseconds(nanos)) { [unowned self] in self.pump() }
                        return
                    }
                }
                try rt.runOnce(loop)
                if loop.stopping {
                    loop.stopping = false
                    if target != nil || forever { break }
                }
            }
        } catch {
            finish(error)
            return
        }
        finish(nil)
    }

    private func finish(_ error: Error?) {
        let next = then
        target = nil
        then = nil
        forever = false
        extraIteration = false
        if let next {
            next(error)
        } else if let error {
            idleError?(error)
        }
        // Between an interactive session's inputs the loop goes on with what is left.
        if runsForever && target == nil {
            nio.assumeIsolated().execute { [unowned self] in self.pump() }
        }
    }
}

extension Runtime {
    /// Is this thread a SwiftNIO event loop already?
    func isOnNIOLoop() -> Bool { MultiThreadedEventLoopGroup.currentEventLoop != nil }

    /// Runs `body` with the interpreter's thread turned into a SwiftNIO event loop; returns when
    /// `body`'s work calls `stop()` on the driver.
    func withNIOLoop(_ loop: EventLoop, _ body: @escaping (LoopDriver) -> Void) {
        let outer = (host.token, host.driver)
        MultiThreadedEventLoopGroup.withCurrentThreadAsEventLoop { nio in
            let driver = LoopDriver(rt: self, loop: loop, nio: nio)
            loop.nio = nio
            loop.wakeUp = { [unowned driver] in driver.kickSoon() }
            // Async host functions hand their results back through the token (Host/).
            self.host.token = HostLoopToken(nio)
            self.host.driver = driver
            // A signal raised on another thread wakes the loop where it waits.
            let wake = UnsafeTransfer(driver)
            self.signals.setWaker { nio.execute { wake.value.kick() } }
            nio.assumeIsolated().execute { body(driver) }
        }
        signals.setWaker(nil)
        host.token = outer.0
        host.driver = outer.1
        // Results of async host functions still running can no longer arrive.
        if outer.0 == nil { host.pending = [:] }
    }
}
