// The collector frees what scripts can no longer reach — cycles included — and keeps everything
// they can, also when it runs at every safepoint (stress mode).

import Testing
@testable import Aso
@testable import AsoRuntime

@Suite struct CollectorTests {
    private func interpreter(stress: Bool = false) -> (Interpreter, OutputBox) {
        let out = OutputBox()
        var config = Configuration()
        config.gcStress = stress
        config.standardOutput = { out.text += $0 }
        config.standardError = { out.text += $0 }
        return (Interpreter(configuration: config), out)
    }

    @Test func cyclesAreCollected() {
        let (interp, out) = interpreter()
        let rt = interp.runtime
        _ = interp.runProgram(source: "x = 1\n")
        rt.collectGarbage()
        let baseline = rt.heap.objectCount
        let status = interp.runProgram(source: """
            def churn():
                for i in range(20000):
                    a = [i]
                    a.append(a)
                    d = {"self": None}
                    d["self"] = d
            churn()
            print("done")
            """)
        #expect(status == 0)
        #expect(out.text == "done\n")
        rt.collectGarbage()
        // A few objects of the second program (its code, interned names) stay; 40 000 cyclic
        // containers must not.
        #expect(rt.heap.objectCount < baseline + 200)
    }

    @Test func liveDataSurvivesStressCollections() {
        let (interp, out) = interpreter(stress: true)
        let status = interp.runProgram(source: """
            def build(n):
                return {str(i): [i, (i, str(i)), {i}] for i in range(n)}
            d = build(300)
            total = 0
            for k, v in d.items():
                total += v[0] + len(v[1][1]) + len(v[2])
            gen = (x * x for x in range(50))
            print(total, sum(gen), sorted(d)[:3])
            """)
        #expect(status == 0)
        #expect(out.text == "45940 40425 ['0', '1', '10']\n")
        #expect(interp.runtime.heap.collections > 50)
    }

    @Test func memoryReturnsAfterGarbage() {
        let (interp, _) = interpreter()
        let rt = interp.runtime
        _ = interp.runProgram(source: "x = [str(i) * 10 for i in range(200000)]\nx = None\n")
        rt.collectGarbage()
        #expect(rt.heap.bytesInUse < 8 << 20)
    }

    @Test func memoryLimitRaisesMemoryError() {
        let out = OutputBox()
        var config = Configuration()
        config.memoryLimit = 64 << 20
        config.standardOutput = { out.text += $0 }
        config.standardError = { out.text += $0 }
        let status = Interpreter(configuration: config).runProgram(source: """
            try:
                s = "x" * (200 * 1024 * 1024)
            except MemoryError:
                print("MemoryError")
            """)
        #expect(status == 0)
        #expect(out.text == "MemoryError\n")
    }

    /// An object that holds another by a strong Swift reference (what the runtime must not do).
    private final class Holder: Obj {
        var other: Obj?
    }

    @Test func leakCheckReportsObjectsKeptByStrongReferences() {
        let (interp, out) = interpreter(stress: true)
        let rt = interp.runtime
        // Two unreachable objects in a strong cycle: the sweep releases both, neither goes away.
        let a = rt.heap.register(Holder(kind: .other, type: rt.types.object))
        let b = rt.heap.register(Holder(kind: .other, type: rt.types.object))
        a.other = b
        b.other = a
        rt.collectGarbage()
        #expect(out.text.contains("aso: leak check: objects outlived the sweep that released them: 2 Holder"))
        a.other = nil
        b.other = nil
    }

    @Test func asyncProgramsLeaveNothingBehind() {
        // gather's state refers back to its outer future and children; cancelled sleeps leave timer
        // entries behind; finished coroutines keep their objects. Under stress, every sweep checks
        // that what it released was freed.
        let (interp, out) = interpreter(stress: true)
        let status = interp.runProgram(source: """
            import asyncio
            async def work(i):
                await asyncio.sleep(0)
                return i
            async def sleeper():
                await asyncio.sleep(1000)
            async def main():
                total = 0
                for r in range(5):
                    total += sum(await asyncio.gather(*[work(i) for i in range(20)]))
                    ts = [asyncio.create_task(sleeper()) for _ in range(20)]
                    await asyncio.sleep(0)
                    for t in ts:
                        t.cancel()
                    done = await asyncio.gather(*ts, return_exceptions=True)
                    total += len(done)
                print(total)
            asyncio.run(main())
            """)
        #expect(status == 0)
        #expect(out.text == "1050\n")
    }

    @Test func cancelledSleepsAndFinishedTasksAreFreed() {
        let (interp, out) = interpreter()
        let rt = interp.runtime
        interp.register("live_objects") { _ in .int(rt.heap.objectCount) }
        // Tasks cancelled in long sleeps, and tasks a gather finished, are garbage once the script
        // drops them, while the loop still runs: neither a stale timer entry nor the gather's state
        // keeps them. (`gc.collect()` collects at the next safepoint.)
        let status = interp.runProgram(source: """
            import asyncio, gc
            async def sleeper():
                await asyncio.sleep(1000)
            async def work(i):
                return [i] * 50
            async def settle():
                # (A step keeps the future that woke it, as CPython's does: start a fresh one.)
                await asyncio.sleep(0)
                gc.collect()
                await asyncio.sleep(0)
                return live_objects()
            async def main():
                before = await settle()
                for r in range(3):
                    ts = [asyncio.create_task(sleeper()) for _ in range(2000)]
                    await asyncio.sleep(0)
                    for t in ts:
                        t.cancel()
                    await asyncio.gather(*ts, return_exceptions=True)
                    await asyncio.gather(*[work(i) for i in range(2000)])
                ts = None
                after = await settle()
                print("kept", "few" if after - before < 300 else after - before)
            asyncio.run(main())
            """)
        #expect(status == 0)
        #expect(out.text == "kept few\n")
    }

    @Test func youngCollectionsKeepWhatOldObjectsReceive() {
        // Old containers (a dict of lists, an instance, a closure's cell, a set) receive young
        // objects between collections while garbage churns: most collections are young, and
        // everything the old objects received survives them.
        let (interp, out) = interpreter()
        let status = interp.runProgram(source: """
            class Box:
                pass
            index = {}
            box = Box()
            seen = set()
            def counter():
                n = [0]
                def bump(x):
                    nonlocal n
                    n = [n[0] + x]
                    return n
                return bump
            bump = counter()
            for i in range(60000):
                junk = [str(i), (i, i), {"k": i}]
                key = "k" + str(i % 500)
                index.setdefault(key, []).append((i, str(i)))
                box.last = [str(i)]
                seen.add(str(i % 1000) + "s")
                bump(1)
            total = sum(len(v) for v in index.values())
            check = sum(int(s) for v in index.values() for _, s in v)
            print(total, check == sum(range(60000)), box.last, len(seen), bump(0))
            """)
        #expect(status == 0)
        #expect(out.text == "60000 True ['59999'] 1000 [60000]\n")
        #expect(interp.runtime.heap.youngCollections > 5)
        #expect(interp.runtime.heap.youngCollections * 2 > interp.runtime.heap.collections)
    }

    /// An object of a kind the collector trusts to run write barriers, whose field does not.
    private final class Unbarriered: Obj {
        var other: Value = .none
        override func trace(_ t: inout Tracer) {
            super.trace(&t)
            t.mark(other)
        }
    }

    @Test func stressModeCatchesAMissingWriteBarrier() {
        let (interp, out) = interpreter(stress: true)
        let rt = interp.runtime
        // (Kind `.cell` is one whose stores the collector trusts to run the barrier.)
        let holder = rt.heap.register(Unbarriered(kind: .cell, type: rt.types.object))
        rt.tempRoots.append(Value(holder))
        rt.collectGarbage()
        // The holder is old now; a young list stored into it without a barrier is reachable only
        // through it, and the next young collection's check says so.
        holder.other = Value(rt.heap.register(ListObj([], type: rt.types.list)))
        rt.collectGarbage(full: false)
        #expect(out.text.contains("aso: collector check: young objects reachable only through an old object that no barrier remembered: 1 ListObj"))
        holder.other = .none
        rt.tempRoots.removeLast()
    }
}
