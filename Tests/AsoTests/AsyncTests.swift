// The event loop through the embedding API: virtual time gives the same output without waiting,
// and the loop's clock reports virtual seconds.

import Testing
import Aso
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
        #expect(elapsed < 1.5)
    }

    @Test func loopTimeIsVirtual() {
        let r = runProgram("""
        import asyncio
        async def main():
            loop = asyncio.get_running_loop()
            t0 = loop.time()
            await asyncio.sleep(3600)
            print(round(loop.time() - t0, 6))
        asyncio.run(main())
        """) { $0.virtualTime = true }
        #expect(r.status == 0)
        #expect(r.stdout == "3600.0\n")
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
}
