// The hand-off between callers on other threads and an interpreter's own thread
// (Sources/Aso/InterpreterThread.swift): blocking calls through the slot and the queue, async
// calls, idle pauses that let either side go to sleep, and calls racing with shutdown. A lost
// wake-up would hang a call: each scenario runs under a watchdog with a wide margin, so such a
// bug fails the test instead of hanging the suite.

import Aso
import Dispatch
import Foundation
import Testing

/// Runs `body` on a thread of its own; false when it did not finish within `seconds`. The test
/// awaits it without blocking a thread of Swift's cooperative pool (the async calls in `body`
/// need one).
private func finishes(within seconds: Double, _ body: @escaping @Sendable () -> Void) async -> Bool {
    let done = Counter()
    Thread.detachNewThread {
        body()
        done.add(1)
    }
    let deadline = Date().addingTimeInterval(seconds)
    while done.total == 0 && Date() < deadline {
        try? await Task.sleep(nanoseconds: 10_000_000)
    }
    return done.total == 1
}

/// A counter shared by threads.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add(_ n: Int) { lock.lock(); value += n; lock.unlock() }
    var total: Int { lock.lock(); defer { lock.unlock() }; return value }
}

@Suite struct HandOffTests {
    @Test func blockingAndAsyncCallsFromManyThreadsWithPauses() async {
        let interp = Interpreter()
        _ = try? await interp.run(source: "n = 0\ndef bump(k):\n    global n\n    n += k\n    return k\n")
        let returned = Counter()
        let ok = await finishes(within: 300) {
            DispatchQueue.concurrentPerform(iterations: 4) { worker in
                for i in 0..<1500 {
                    // Now and then a pause long enough for both sides to stop spinning and sleep.
                    if i % 97 == worker { usleep(UInt32(60 + worker * 40)) }
                    if let v = try? interp.call("bump", .int(1)), v == .int(1) { returned.add(1) }
                }
            }
            // Async calls too, interleaved with blocking ones from another thread.
            let asyncDone = DispatchSemaphore(value: 0)
            Task {
                for _ in 0..<300 {
                    if let v = try? await interp.call("bump", .int(2)), v == .int(2) { returned.add(2) }
                }
                asyncDone.signal()
            }
            for _ in 0..<300 {
                if let v = try? interp.call("bump", .int(3)), v == .int(3) { returned.add(3) }
            }
            asyncDone.wait()
        }
        #expect(ok, "a call never returned")
        if ok {
            #expect(returned.total == 4 * 1500 + 300 * 2 + 300 * 3)
            #expect((try? await interp.global("n")) == .int(4 * 1500 + 300 * 2 + 300 * 3))
        }
        interp.shutdown()
    }

    @Test func callsRacingWithShutdownEndCleanly() async {
        let ok = await finishes(within: 300) {
            for round in 0..<40 {
                let interp = Interpreter()
                _ = try? interp.run(source: "def f(x):\n    return x + 1\n")
                let answered = Counter(), refused = Counter()
                DispatchQueue.concurrentPerform(iterations: 3) { worker in
                    if worker == 2 {
                        usleep(UInt32(50 + round * 7))
                        interp.shutdown()
                        return
                    }
                    for i in 0..<400 {
                        do {
                            let v = try interp.call("f", .int(i))
                            if v == .int(i + 1) { answered.add(1) }
                        } catch let error as AsoError {
                            if error.kind == .shutDown { refused.add(1) }
                        } catch {}
                    }
                }
                // Every call either answered or was refused as shut down.
                #expect(answered.total + refused.total == 800, "round \(round)")
                #expect(interp.isShutDown)
            }
        }
        #expect(ok, "a call or a shutdown never returned")
    }

    @Test func idleInterpreterAnswersAfterSleeping() async {
        let interp = Interpreter()
        _ = try? await interp.run(source: "def f(x):\n    return x * 2\n")
        let ok = await finishes(within: 120) {
            for i in 0..<20 {
                // Long enough for the interpreter's thread to stop spinning and wait.
                usleep(2_000)
                #expect((try? interp.call("f", .int(i))) == .int(2 * i))
            }
        }
        #expect(ok, "a call to an idle interpreter never returned")
        interp.shutdown()
    }
}
