// The event loop through the embedding API: virtual time gives the same output without waiting,
// the loop's clock reports virtual seconds, and it still runs while code runs.

import Testing
import Aso
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

@Suite struct AsyncTests {
    static let example = """
    import asyncio

    async def my_coroutine(delay):
        print(f"Coroutine started with delay: {delay}")
        await asyncio.sleep(delay)
        print(f"Coroutine finished after {delay} seconds")
        return delay * 2

    async def main():
        task1 = asyncio.create_task(my_coroutine(1))
        task2 = asyncio.create_task(my_coroutine(2))
        results = await asyncio.gather(task1, task2)
        print(f"Results: {results}")

    asyncio.run(main())
    """

    static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    @Test func virtualTimeRunsTheExampleAtOnceWithTheSameOutput() {
        let start = Self.seconds()
        let r = runProgram(Self.example) { $0.virtualTime = true }
        let elapsed = Self.seconds() - start
        #expect(r.status == 0)
        // What python3 prints for the program (it takes 2 s there).
        #expect(r.stdout == """
        Coroutine started with delay: 1
        Coroutine started with delay: 2
        Coroutine finished after 1 seconds
        Coroutine finished after 2 seconds
        Results: [2, 4]

        """)
        // The program sleeps 2 s of real time; virtual time skips the wait (the bound leaves room
        // for a loaded machine: it checks that nothing waited, not how fast anything ran).
        #expect(elapsed < 1.9)
    }

    @Test func loopTimeIsVirtual() {
        // The hour is skipped; what the clock shows beyond it is the real time the program took.
        let start = Self.seconds()
        let r = runProgram("""
        import asyncio
        async def main():
            loop = asyncio.get_running_loop()
            t0 = loop.time()
            await asyncio.sleep(3600)
            print(3600 <= loop.time() - t0 < 3660)
        asyncio.run(main())
        """) { $0.virtualTime = true }
        #expect(r.status == 0)
        #expect(r.stdout == "True\n")
        #expect(Self.seconds() - start < 60)
    }

    @Test func virtualTimeRunsWhileCodeRuns() {
        // A busy loop that polls loop.time() ends (the clock moves with real time between jumps),
        // and a timer falls due while the ready queue is never empty.
        let r = runProgram("""
        import asyncio
        async def main():
            loop = asyncio.get_running_loop()
            start = loop.time()
            while loop.time() - start < 0.02:
                pass
            fired = []
            loop.call_later(0.01, fired.append, "timer")
            while not fired:
                await asyncio.sleep(0)
            print("done", fired)
        asyncio.run(main())
        """) { $0.virtualTime = true }
        #expect(r.status == 0)
        #expect(r.stdout == "done ['timer']\n")
    }

    @Test func realTimeWaitsForTimers() {
        let start = Self.seconds()
        let r = runProgram("""
        import asyncio
        async def main():
            await asyncio.sleep(0.2)
            print("woke")
        asyncio.run(main())
        """)
        #expect(r.stdout == "woke\n")
        #expect(Self.seconds() - start >= 0.19)
    }

    @Test func virtualTimeReportsADeadlockAndTheWaitingTasks() {
        let r = runProgram("""
        import asyncio
        async def waiter(f):
            await f
        async def main():
            f = asyncio.get_running_loop().create_future()
            t = asyncio.create_task(waiter(f), name="stuck")
            try:
                await t
            finally:
                print("main cleaned up")
        asyncio.run(main())
        """, filename: "deadlock.aso") { $0.virtualTime = true }
        #expect(r.status == 1)
        // The tasks are cancelled on the way out (their finally blocks run), as on any error.
        #expect(r.stdout == "main cleaned up\n")
        #expect(r.stderr.contains("RuntimeError: deadlock (virtual time): every task is waiting and no timer or I/O can wake one"))
        #expect(r.stderr.contains("  Task-1 waiting in main() at deadlock.aso:8"))
        #expect(r.stderr.contains("  stuck waiting in waiter() at deadlock.aso:3"))
    }

    @Test func nioTimersWakeTheLoopInDeadlineOrder() {
        // Real time: the loop sleeps in SwiftNIO between deadlines; callbacks and sleeps finish
        // in deadline order, whatever order they were scheduled in.
        let r = runProgram("""
        import asyncio
        async def nap(d, tag):
            await asyncio.sleep(d)
            print(tag)
        async def main():
            loop = asyncio.get_running_loop()
            loop.call_later(0.06, print, "callback 0.06")
            await asyncio.gather(nap(0.09, "sleep 0.09"), nap(0.03, "sleep 0.03"), nap(0.0, "sleep 0"))
        asyncio.run(main())
        """)
        #expect(r.status == 0)
        #expect(r.stdout == "sleep 0\nsleep 0.03\ncallback 0.06\nsleep 0.09\n")
    }

    @Test func interpretersOnTwoThreadsRunTheirOwnLoops() {
        // Each interpreter turns its own thread into a SwiftNIO loop: two at once, real time,
        // each sees only its own tasks and timers.
        let results = [OutputBox(), OutputBox()]
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let r = runProgram("""
            import asyncio
            async def tick(tag, n, d):
                for k in range(n):
                    await asyncio.sleep(d)
                    print(tag, k)
            async def main():
                await asyncio.gather(tick("a\(i)", 3, 0.3), tick("b\(i)", 2, 0.75))
                print(len(asyncio.all_tasks()))
            asyncio.run(main())
            """)
            results[i].text = "\(r.status)|" + r.stdout
        }
        for i in 0..<2 {
            // Deadlines 0.3, 0.6, 0.9 for a and 0.75, 1.5 for b (what python3 prints): 150 ms apart at
            // least, so a busy machine keeps the order.
            #expect(results[i].text == "0|a\(i) 0\na\(i) 1\nb\(i) 0\na\(i) 2\nb\(i) 1\n1\n")
        }
    }
}
