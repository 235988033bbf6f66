// The embedding API: values in and out, script functions called from Swift, host functions
// called from scripts (sync and async), errors, output and limits.

import Aso
import Dispatch
import Foundation
import Testing

/// An interpreter whose output is collected.
private func makeInterpreter(_ configure: (inout Configuration) -> Void = { _ in }) -> (Interpreter, OutputBox, OutputBox) {
    let out = OutputBox(), err = OutputBox()
    var config = Configuration()
    config.standardOutput = { out.text += $0 }
    config.standardError = { err.text += $0 }
    configure(&config)
    return (Interpreter(configuration: config), out, err)
}

/// Counts and orders things host functions see (from any thread).
private final class Log: @unchecked Sendable {
    private let lock = DispatchSemaphore(value: 1)
    private var items: [String] = []
    func add(_ s: String) {
        lock.wait()
        items.append(s)
        lock.signal()
    }
    var all: [String] {
        lock.wait()
        defer { lock.signal() }
        return items
    }
}

@Suite struct EmbeddingTests {
    @Test func runEvaluateCallAndGlobals() throws {
        let (interp, out, _) = makeInterpreter()
        try interp.run(source: "x = 20\ndef add(a, b=1):\n    return a + b\nprint('ran', x)\n")
        #expect(out.text == "ran 20\n")
        #expect(try interp.evaluate("x * 2 + 2") == .int(42))
        #expect(try interp.call("add", 1, 2) == .int(3))
        #expect(try interp.call("add", arguments: [5], keywords: [("b", 10)]) == .int(15))
        #expect(try interp.call("len", "four") == .int(4))
        #expect(try interp.global("x") == .int(20))
        #expect(try interp.global("nothing") == nil)
        try interp.setGlobal("y", ["a": 1, "b": [1.5, "s", nil, true]])
        #expect(try interp.evaluate("y['b'][1] + str(y['a'])") == .string("s1"))
        // Values come back as Swift values.
        let v = try interp.evaluate("{'k': [1, 2, 3], 'big': 2 ** 70, 't': (1, b'hi')}")
        #expect(v["k"]?.as([Int].self) == [1, 2, 3])
        #expect(v["big"] == .bigInt("1180591620717411303424"))
        #expect(v["t"] == .tuple([.int(1), .bytes(Array("hi".utf8))]))
    }

    @Test func conversions() {
        #expect(AsoValue(3) == .int(3))
        #expect(AsoValue(["a": 1.5]) == .dict([(key: .string("a"), value: .float(1.5))]))
        #expect(AsoValue([Int?.none, 2]) == .list([.none, .int(2)]))
        #expect(AsoValue.list([.int(1), .none]).as([Int?].self) == [1, nil])
        #expect(AsoValue.string("x").as(Int.self) == nil)
        #expect(AsoValue.dict([(key: .string("n"), value: .list([.string("a")]))]).as([String: [String]].self) == ["n": ["a"]])
        #expect(AsoValue.int(2).doubleValue == 2.0)
        #expect("\(AsoValue.list([.string("it's"), .none, .bool(true)]))" == "['it\\'s', None, True]")
    }

    @Test func codableValues() throws {
        struct Point: Codable, Equatable { var x: Int; var y: Double }
        struct Shape: Codable, Equatable { var name: String; var points: [Point]; var tag: String?; var big: Int64 }
        let shape = Shape(name: "tri", points: [Point(x: 1, y: 2.5), Point(x: -3, y: 0)], tag: nil, big: 1 << 40)
        let (interp, _, _) = makeInterpreter()
        try interp.setGlobal("shape", try AsoValue(encoding: shape))
        #expect(try interp.evaluate("sum(p['x'] for p in shape['points'])") == .int(-2))
        let back = try interp.evaluate("dict(shape, name=shape['name'].upper(), tag='t')")
        #expect(try back.decode(Shape.self) == Shape(name: "TRI", points: shape.points, tag: "t", big: 1 << 40))
        #expect(throws: DecodingError.self) { try AsoValue.string("x").decode(Point.self) }
    }

    @Test func asyncDefIsAwaited() async throws {
        let (interp, _, _) = makeInterpreter()
        try await interp.run(source: """
            import asyncio
            async def slow_double(x):
                await asyncio.sleep(0.01)
                return 2 * x
            """)
        #expect(try await interp.call("slow_double", 21) == .int(42))
        #expect(try await interp.call("slow_double", 5) == .int(10))
        // Top-level await in run and evaluate.
        try await interp.run(source: "r = await slow_double(4)")
        #expect(try await interp.evaluate("r + await slow_double(1)") == .int(10))
    }

    @Test func syncHostFunctionsWithKeywordsDefaultsAndErrors() throws {
        let (interp, out, _) = makeInterpreter()
        interp.register("greet", parameters: [.required("name"), .optional("punct", default: "!")]) { args in
            .string("hello, \(args[0].stringValue ?? "?")\(args[1].stringValue ?? "")")
        }
        interp.register("parse_port", parameters: [.required("text")]) { args in
            guard let s = args[0].stringValue, let n = Int(s), (1...65535).contains(n) else {
                throw AsoScriptException("ValueError", "not a port: \(args[0])")
            }
            return .int(n)
        }
        struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
        interp.register("boom") { _ in throw Boom() }
        try interp.run(source: """
            print(greet('ada'), greet(punct='?', name='bob'))
            try:
                parse_port('99999')
            except ValueError as e:
                print('ValueError', e)
            try:
                boom()
            except RuntimeError as e:
                print('RuntimeError', e)
            for bad in ["greet()", "greet('a', 'b', 'c')", "greet('a', x=1)", "greet('a', name='b')"]:
                try:
                    eval_me = bad
                    exec_result = None
                    if bad == "greet()": greet()
                    elif bad == "greet('a', 'b', 'c')": greet('a', 'b', 'c')
                    elif bad == "greet('a', x=1)": greet('a', x=1)
                    else: greet('a', name='b')
                except TypeError as e:
                    print('TypeError', e)
            """)
        #expect(out.text == """
            hello, ada! hello, bob?
            ValueError not a port: '99999'
            RuntimeError boom
            TypeError greet() missing 1 required argument: 'name'
            TypeError greet() takes 2 positional arguments but 3 were given
            TypeError greet() got an unexpected keyword argument 'x'
            TypeError greet() got multiple values for argument 'name'

            """)
    }

    @Test func hostModules() throws {
        let (interp, out, _) = makeInterpreter()
        var app = AsoModule("myapp")
        app.set("version", "1.2")
        app.register("twice", parameters: [.required("x")]) { args in .int(2 * (args[0].intValue ?? 0)) }
        try interp.addModule(app)
        try interp.addModule(name: "helpers", source: "def triple(x):\n    return 3 * x\n")
        try interp.run(source: "import myapp\nfrom helpers import triple\nprint(myapp.version, myapp.twice(4), triple(5))\n")
        #expect(out.text == "1.2 8 15\n")
        #expect(try interp.call("helpers.triple", 2) == .int(6))
    }

    @Test func asyncHostFunctionsRunConcurrently() async throws {
        let (interp, out, _) = makeInterpreter()
        let log = Log()
        interp.registerAsync("fetch", parameters: [.required("n")]) { args in
            let n = args[0].intValue ?? 0
            log.add("start \(n)")
            // Later calls finish first: the results still come back in gather's order.
            try await Task.sleep(nanoseconds: UInt64(10 - n) * 2_000_000)
            return .int(n * n)
        }
        try await interp.run(source: """
            import asyncio
            async def main():
                results = await asyncio.gather(*(fetch(i) for i in range(10)))
                print(results)
            asyncio.run(main())
            """)
        #expect(out.text == "[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]\n")
        // All ten were started before any finished.
        #expect(log.all.count == 10)
    }

    @Test func asyncHostFunctionErrorsAndCancellation() async throws {
        let (interp, out, _) = makeInterpreter()
        let log = Log()
        interp.registerAsync("fail") { _ in throw AsoScriptException("KeyError", "missing") }
        interp.registerAsync("forever") { _ in
            do {
                try await Task.sleep(nanoseconds: 600_000_000_000)
            } catch {
                log.add("swift task cancelled")
                throw error
            }
            return .none
        }
        try await interp.run(source: """
            import asyncio
            async def main():
                try:
                    await fail()
                except KeyError as e:
                    print('KeyError', e)
                try:
                    await asyncio.wait_for(forever(), 0.05)
                except asyncio.TimeoutError:
                    print('timed out')
            asyncio.run(main())
            """)
        #expect(out.text == "KeyError 'missing'\ntimed out\n")
        for _ in 0..<200 where log.all.isEmpty { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(log.all == ["swift task cancelled"])
    }

    @Test func asyncHostFunctionUnderVirtualTime() throws {
        let (interp, out, _) = makeInterpreter { $0.virtualTime = true }
        interp.registerAsync("work") { _ in
            try await Task.sleep(nanoseconds: 20_000_000)
            return "done"
        }
        try interp.run(source: """
            import asyncio
            async def main():
                t = asyncio.get_running_loop().time()
                r = await work()
                await asyncio.sleep(3600)
                print(r, asyncio.get_running_loop().time() - t >= 3600)
            asyncio.run(main())
            """)
        #expect(out.text == "done True\n")
    }

    @Test func errorsAsData() throws {
        let (interp, _, _) = makeInterpreter()
        do {
            try interp.run(source: "def f():\n    return 1 / 0\n\nf()\n", name: "calc.aso")
            Issue.record("no error")
        } catch {
            #expect(error.kind == .uncaughtException)
            #expect(error.exceptionType == "ZeroDivisionError")
            #expect(error.message == "division by zero")
            #expect(error.traceback == [AsoError.Frame(file: "calc.aso", line: 4, function: "<module>"),
                                        AsoError.Frame(file: "calc.aso", line: 2, function: "f")])
            #expect(error.tracebackText.hasPrefix("Traceback (most recent call last):\n  File \"calc.aso\", line 4, in <module>\n"))
            #expect(error.tracebackText.hasSuffix("ZeroDivisionError: division by zero\n"))
        }
        do {
            try interp.run(source: "if True\n    pass\n")
            Issue.record("no error")
        } catch {
            #expect(error.kind == .syntax)
            #expect(error.syntaxError?.kind == .syntaxError)
            #expect(error.message == "expected ':'")
        }
        do {
            _ = try interp.evaluate("x = 1")
            Issue.record("no error")
        } catch {
            #expect(error.kind == .syntax)
        }
        do {
            try interp.run(source: "import sys\nsys.exit(3)\n")
        } catch {
            #expect(error.exceptionType == "SystemExit")
            #expect(error.exitStatus == 3)
        }
    }

    @Test func handlesKeepObjectsAlive() throws {
        // The collector runs at every safepoint: a handle that were no root would fail at once.
        let (interp, out, _) = makeInterpreter { $0.gcStress = true }
        try interp.run(source: """
            class Counter:
                def __init__(self): self.n = 0
                def bump(self):
                    self.n += 1
                    return self.n
            def make(): return Counter()
            """)
        let counter = try interp.call("make")
        guard case .handle(let h) = counter else {
            Issue.record("not a handle: \(counter)")
            return
        }
        #expect(h.typeName == "Counter")
        #expect(interp.liveHandleCount >= 1)
        // Nothing in the script refers to it any more: collections must not free it.
        try interp.run(source: "for i in range(3):\n    junk = [[i] * 100 for _ in range(1000)]\n")
        try interp.setGlobal("c", counter)
        #expect(try interp.evaluate("c.bump() + c.bump()") == .int(3))
        let bump = try interp.evaluate("c.bump")
        if case .handle(let m) = bump { #expect(try interp.call(m) == .int(3)) }
        h.release()
        #expect(h.isReleased)
        do {
            try interp.setGlobal("d", counter)
            Issue.record("released handle accepted")
        } catch {
            #expect(error.message == "the handle was released")
        }
        _ = out
    }

    @Test func outputSinksInOrder() throws {
        let (interp, out, err) = makeInterpreter()
        try interp.run(source: "import sys\nprint('a')\nsys.stderr.write('b\\n')\nprint('c', end='')\n")
        #expect(out.text == "a\nc")
        #expect(err.text == "b\n")
    }

    @Test func limits() throws {
        // Recursion.
        let (deep, _, _) = makeInterpreter { $0.recursionLimit = 100 }
        do {
            try deep.run(source: "def f(n): return f(n + 1)\nf(0)\n")
            Issue.record("no error")
        } catch {
            #expect(error.kind == .limitExceeded)
            #expect(error.exceptionType == "RecursionError")
        }
        // Memory: catchable in the script, a limit at the host.
        let (small, out, _) = makeInterpreter { $0.memoryLimit = 32 << 20 }
        try small.run(source: """
            try:
                x = []
                while True:
                    x.append('x' * 100000)
            except MemoryError:
                x = None
                print('caught')
            """)
        #expect(out.text == "caught\n")
        do {
            try small.run(source: "y = []\nwhile True:\n    y.append([0] * 100000)\n")
            Issue.record("no error")
        } catch {
            #expect(error.kind == .limitExceeded)
            #expect(error.exceptionType == "MemoryError")
        }
        // Output.
        let (chatty, said, _) = makeInterpreter { $0.outputLimit = 100 }
        do {
            try chatty.run(source: "while True:\n    print('0123456789')\n")
            Issue.record("no error")
        } catch {
            #expect(error.kind == .limitExceeded)
            #expect(error.exceptionType == "OSError")
        }
        #expect(said.text.utf8.count <= 100)
        // Tasks.
        let (busy, _, _) = makeInterpreter { $0.maxTasks = 5 }
        do {
            try busy.run(source: """
                import asyncio
                async def main():
                    await asyncio.gather(*(asyncio.sleep(0) for _ in range(10)))
                asyncio.run(main())
                """)
            Issue.record("no error")
        } catch {
            #expect(error.kind == .limitExceeded)
            #expect(error.message == "too many tasks (the limit is 5)")
        }
    }

    @Test func instructionBudgetStopsAnEndlessLoop() throws {
        let (interp, out, _) = makeInterpreter { $0.instructionBudget = 100_000 }
        do {
            try interp.run(source: "n = 0\nwhile True:\n    n += 1\n")
            Issue.record("no error")
        } catch {
            #expect(error.kind == .limitExceeded)
            #expect(error.exceptionType == "RuntimeError")
            #expect(error.message == "the script used up its instruction budget")
        }
        // Each call has the whole budget; the script may catch the error.
        let n = try interp.global("n")?.intValue ?? 0
        #expect(n > 50_000 && n <= 100_001, "n = \(n)")
        try interp.run(source: "try:\n    while True: pass\nexcept RuntimeError as e:\n    print(e)\n")
        #expect(out.text == "the script used up its instruction budget\n")
        #expect(try interp.evaluate("sum(range(10))") == .int(45))
    }

    @Test func timeLimitStopsEndlessLoopsAndWaits() throws {
        let (interp, _, _) = makeInterpreter { $0.timeLimit = 0.3 }
        for source in ["while True:\n    pass\n",
                       "try:\n    while True: pass\nexcept TimeoutError:\n    while True: pass\n",
                       "import asyncio\nasyncio.run(asyncio.sleep(600))\n",
                       "import time\ntime.sleep(600)\n"] {
            do {
                try interp.run(source: source)
                Issue.record("no error")
            } catch {
                #expect(error.kind == .limitExceeded)
                #expect(error.exceptionType == "TimeoutError")
            }
        }
        // A call that ends in time is not affected by the last one's limit.
        #expect(try interp.evaluate("1 + 1") == .int(2))
    }

    @Test func cancellingStopsCodeThatNeverAwaits() async throws {
        let (interp, out, _) = makeInterpreter()
        let started = Log()
        interp.register("started") { _ in
            started.add("started")
            return .none
        }
        let task = Task {
            try await interp.run(source: "try:\n    started()\n    while True: pass\nfinally:\n    print('finally ran')\n")
        }
        for _ in 0..<1000 where started.all.isEmpty { try await Task.sleep(nanoseconds: 5_000_000) }
        task.cancel()
        switch await task.result {
        case .success: Issue.record("not cancelled")
        case .failure(let e): #expect((e as? AsoError)?.kind == .cancelled)
        }
        #expect(out.text == "finally ran\n")
    }

    @Test func importsOnlyFromGrantedFolders() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aso-embed-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "answer = 42\n".write(toFile: folder + "/granted_mod.aso", atomically: true, encoding: .utf8)
        try "import granted_mod\nprint(granted_mod.answer)\n".write(toFile: folder + "/main.aso", atomically: true, encoding: .utf8)
        // Not granted: neither the script's folder nor any other.
        let (closed, _, _) = makeInterpreter()
        do {
            try closed.run(file: folder + "/main.aso")
            Issue.record("imported")
        } catch {
            #expect(error.exceptionType == "ModuleNotFoundError")
        }
        // Granted by modulePath.
        let (open, out, _) = makeInterpreter { $0.modulePath = [folder] }
        try open.run(file: folder + "/main.aso")
        #expect(out.text == "42\n")
        // Granted as the script's folder.
        let (own, out2, _) = makeInterpreter { $0.importsFromScriptFolder = true }
        try own.run(file: folder + "/main.aso")
        #expect(out2.text == "42\n")
        // Environment and argv: only what the host gives.
        try closed.run(source: "import os, sys")
        #expect(try closed.evaluate("os.environ.get('HOME')") == .none)
        #expect(try closed.evaluate("sys.argv") == .list([]))
        let (given, _, _) = makeInterpreter {
            $0.environment = ["MODE": "test"]
            $0.arguments = ["tool", "-v"]
        }
        try given.run(source: "import os, sys")
        // No signals to other processes, no lines from the process's standard input.
        do {
            try closed.run(source: "os.kill(1, 0)")
            Issue.record("os.kill allowed")
        } catch {
            #expect(error.exceptionType == "PermissionError")
        }
        do {
            try closed.run(source: "input()")
            Issue.record("input() read something")
        } catch {
            #expect(error.exceptionType == "EOFError")
        }
        let (fed, fedOut, _) = makeInterpreter { $0.standardInput = { "typed" } }
        try fed.run(source: "print(input('> ').upper())")
        #expect(fedOut.text == "> TYPED\n")
        #expect(try given.evaluate("(os.environ['MODE'], sys.argv)") == .tuple([.string("test"), .list(["tool", "-v"])]))
    }

    @Test func seededRandomAndVirtualTime() throws {
        func draw() throws -> AsoValue {
            let (interp, _, _) = makeInterpreter {
                $0.randomSeed = 42
                $0.virtualTime = true
            }
            try interp.run(source: """
                import asyncio, random
                async def main():
                    await asyncio.sleep(1000)
                    return [random.randint(1, 100) for _ in range(5)]
                """)
            return try interp.call("main")
        }
        let first = try draw()
        #expect(first == (try draw()))
        #expect(first.as([Int].self)?.count == 5)
    }

    @Test func cancellingTheHostTaskCancelsTheScript() async throws {
        let (interp, out, _) = makeInterpreter()
        let started = Log()
        interp.register("started") { _ in
            started.add("started")
            return .none
        }
        let task = Task {
            try await interp.run(source: """
                import asyncio
                async def main():
                    try:
                        started()
                        await asyncio.sleep(600)
                    finally:
                        print('finally ran')
                asyncio.run(main())
                """)
        }
        for _ in 0..<1000 where started.all.isEmpty { try await Task.sleep(nanoseconds: 5_000_000) }
        task.cancel()
        let result = await task.result
        switch result {
        case .success: Issue.record("not cancelled")
        case .failure(let e): #expect((e as? AsoError)?.kind == .cancelled)
        }
        #expect(out.text == "finally ran\n")
        // The interpreter goes on working.
        #expect(try await interp.evaluate("1 + 1") == .int(2))
    }

    @Test func shutdown() throws {
        let (interp, _, _) = makeInterpreter()
        try interp.run(source: "x = 1")
        interp.shutdown()
        #expect(interp.isShutDown)
        do {
            _ = try interp.evaluate("x")
            Issue.record("ran after shutdown")
        } catch {
            #expect(error.kind == .shutDown)
        }
    }

    @Test func manyInterpretersOnManyThreads() {
        let results = Log()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let (interp, out, _) = makeInterpreter()
            do {
                try interp.run(source: "total = 0\nfor k in range(20000):\n    total += k % (\(i) + 2)\nprint(total)\n")
                let t = try interp.global("total")
                results.add("\(i) \(t?.intValue ?? -1) \(out.text == "\(t?.intValue ?? -1)\n")")
            } catch {
                results.add("\(i) error \(error)")
            }
            interp.shutdown()
        }
        let expected = (0..<8).map { i in "\(i) \((0..<20000).reduce(0) { $0 + $1 % (i + 2) }) true" }
        #expect(results.all.sorted() == expected.sorted())
    }

    @Test func callsFromManyThreadsAreSerialised() {
        let (interp, _, _) = makeInterpreter()
        _ = try? interp.run(source: "n = 0\ndef bump():\n    global n\n    n += 1\n")
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<50 { _ = try? interp.call("bump") }
        }
        #expect((try? interp.global("n")) == .int(400))
    }

    /// The package's example (Examples/EmbedDemo), built with the tests.
    private func runDemo(_ arguments: [String]) throws -> String? {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var demo = folder.appendingPathComponent("EmbedDemo")
        if !FileManager.default.fileExists(atPath: demo.path) {
            demo = folder.deletingLastPathComponent().appendingPathComponent("EmbedDemo")
        }
        guard FileManager.default.fileExists(atPath: demo.path) else { return nil }
        let process = Process()
        process.executableURL = demo
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func embedDemoGathersTenAsyncHostCalls() throws {
        let output = try runDemo([])
        #expect(output == "[\"item-0\", \"item-1\", \"item-2\", \"item-3\", \"item-4\", \"item-5\", \"item-6\", \"item-7\", \"item-8\", \"item-9\"]\n")
    }

    @Test func createRunShutdownCyclesLeaveNothingBehind() throws {
        guard let output = try runDemo(["--cycles", "1000"]) else {
            Issue.record("EmbedDemo not built")
            return
        }
        // "[...]\nthreads A -> B, memory growth C KiB"
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        let numbers = last.split(whereSeparator: { !$0.isNumber && $0 != "-" }).compactMap { Int($0) }
        #expect(numbers.count == 3, "\(last)")
        if numbers.count == 3 {
            #expect(numbers[1] <= numbers[0] + 1, "\(last)")
            #expect(numbers[2] < 64 * 1024, "\(last)")
        }
    }

    @Test func hostFunctionMayCallItsInterpreter() throws {
        let (interp, _, _) = makeInterpreter()
        try interp.run(source: "base = 10")
        interp.register("add_base") { [unowned interp] args in
            let base = try interp.global("base") ?? .int(0)
            return .int((base.intValue ?? 0) + (args.first?.intValue ?? 0))
        }
        #expect(try interp.evaluate("add_base(5)") == .int(15))
    }
}
