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
}
