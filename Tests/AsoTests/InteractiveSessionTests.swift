// InteractiveSession: what `aso repl` stands on, driven in-process. The expected values are what
// CPython's prompt shows (`python3 -i`, `python3 -m asyncio`): an expression statement echoes
// its repr unless it is None, `_` holds the last one, top-level await runs on the loop, and tasks
// run between inputs. Waits are for events (output appearing), never for durations.

import Aso
import Dispatch
import Synchronization
import Testing

/// Collects what a session writes, from its thread.
private final class SessionOutput: Sendable {
    private let out = Mutex("")
    private let err = Mutex("")
    func write(_ s: String) { out.withLock { $0 += s } }
    func writeError(_ s: String) { err.withLock { $0 += s } }
    var stdout: String { out.withLock { $0 } }
    var stderr: String { err.withLock { $0 } }
    /// Takes what was written so far.
    func take() -> String { out.withLock { s in defer { s = "" }; return s } }

    /// Waits (up to a minute: CI machines are busy) until standard output contains `text`.
    func wait(for text: String) -> Bool {
        for _ in 0..<6000 {
            if stdout.contains(text) { return true }
            usleepMilliseconds(10)
        }
        return false
    }
}

private func usleepMilliseconds(_ ms: Int) {
    let done = DispatchSemaphore(value: 0)
    _ = done.wait(timeout: .now() + .milliseconds(ms))
}

private func makeSession(virtualTime: Bool = false) -> (InteractiveSession, SessionOutput) {
    let output = SessionOutput()
    var config = Configuration()
    config.virtualTime = virtualTime
    config.standardOutput = { output.write($0) }
    config.standardError = { output.writeError($0) }
    let session = InteractiveSession(configuration: config)
    session.start()
    return (session, output)
}

@Suite struct InteractiveSessionTests {
    @Test func inputStates() {
        typealias S = InteractiveSession
        #expect(S.inputState("") == .empty)
        #expect(S.inputState("   # a comment") == .empty)
        #expect(S.inputState("1 + 1") == .complete)
        #expect(S.inputState("x = = 1") == .complete)
        #expect(S.inputState("1 +") == .complete)
        #expect(S.inputState("x = (1,") == .incomplete)
        #expect(S.inputState("x = (1,\n2)") == .complete)
        #expect(S.inputState("s = '''abc") == .incomplete)
        #expect(S.inputState("x = 1 + \\") == .incomplete)
        #expect(S.inputState("if x:") == .incomplete)
        #expect(S.inputState("if x: pass") == .incomplete)
        #expect(S.inputState("def f():\n    return 1") == .incomplete)
        #expect(S.inputState("def f():\n    return 1\n") == .complete)
        #expect(S.inputState("if x:\n    a\nelse:") == .incomplete)
        #expect(S.inputState("async with a as b:\n    pass\n") == .complete)
        #expect(S.inputState("@decorator") == .incomplete)
        #expect(S.inputState("if x:\n") == .complete)
        #expect(S.inputState("async def f():\n    try:\n        g()") == .incomplete)
        #expect(S.inputState("async def f():\n    try:\n        g()\n") == .complete)
        #expect(S.inputState("if x:\n    1 +") == .incomplete)
    }

    @Test func echoAndUnderscore() {
        let (session, output) = makeSession()
        defer { session.close() }
        #expect(session.execute("1 + 1") == .finished)
        #expect(session.execute("_ * 10") == .finished)
        #expect(session.execute("None") == .finished)
        #expect(session.execute("x = 'a'") == .finished)
        #expect(session.execute("x") == .finished)
        #expect(session.execute("[x, _]") == .finished)
        #expect(output.take() == "2\n20\n'a'\n['a', 'a']\n")
    }

    @Test func globalsPersistAndBlocksRun() {
        let (session, output) = makeSession()
        defer { session.close() }
        #expect(session.execute("def f(n):\n    return n * 2\n") == .finished)
        #expect(session.execute("for i in range(3):\n    f(i)\n") == .finished)
        #expect(output.take() == "0\n2\n4\n")
    }

    @Test func topLevelAwait() {
        let (session, output) = makeSession()
        defer { session.close() }
        #expect(session.execute("import asyncio") == .finished)
        #expect(session.execute("await asyncio.sleep(0.01, 'done')") == .finished)
        #expect(session.execute("r = await asyncio.sleep(0, 7)") == .finished)
        #expect(session.execute("r + 1") == .finished)
        let gen = "async def agen():\n    for i in range(2):\n        yield i\n"
        #expect(session.execute(gen) == .finished)
        #expect(session.execute("async for v in agen():\n    print('got', v)\n") == .finished)
        #expect(session.execute("[v async for v in agen()]") == .finished)
        #expect(session.execute("lock = asyncio.Lock()") == .finished)
        #expect(session.execute("async with lock:\n    lock.locked()\n") == .finished)
        #expect(output.take() == "'done'\n8\ngot 0\ngot 1\n[0, 1]\nTrue\n")
    }

    @Test func tasksRunBetweenInputs() {
        let (session, output) = makeSession()
        defer { session.close() }
        #expect(session.execute("import asyncio") == .finished)
        let body = "async def later():\n    await asyncio.sleep(0.05)\n    print('background')\n"
        #expect(session.execute(body) == .finished)
        #expect(session.execute("t = asyncio.create_task(later())") == .finished)
        // No input runs now: the task prints on its own.
        #expect(output.wait(for: "background\n"))
        #expect(session.execute("t.done()") == .finished)
        #expect(output.take() == "background\nTrue\n")
    }

    @Test func interruptCancelsTheAwaitedWork() {
        let (session, output) = makeSession()
        defer { session.close() }
        #expect(session.execute("import asyncio") == .finished)
        let body = """
            async def g():
                try:
                    print('sleeping')
                    await asyncio.sleep(1000)
                except asyncio.CancelledError:
                    print('cancelled')
                    raise

            """
        #expect(session.execute(body) == .finished)
        let result = Mutex<InteractiveSession.Outcome?>(nil)
        let done = DispatchSemaphore(value: 0)
        session.execute("await g()") { outcome in
            result.withLock { $0 = outcome }
            done.signal()
        }
        #expect(output.wait(for: "sleeping\n"))
        session.interrupt()
        done.wait()
        #expect(result.withLock { $0 } == .interrupted)
        #expect(output.take() == "sleeping\ncancelled\n")
        // The session goes on.
        #expect(session.execute("2 * 21") == .finished)
        #expect(output.take() == "42\n")
    }

    @Test func errorsAreReportedAndTheSessionGoesOn() {
        let (session, output) = makeSession()
        defer { session.close() }
        #expect(session.execute("1/0") == .raised)
        #expect(session.execute("x = = 1") == .raised)
        #expect(session.execute("await undefined_name") == .raised)
        #expect(session.execute("'still here'") == .finished)
        #expect(output.stdout == "'still here'\n")
        #expect(output.stderr == """
            Traceback (most recent call last):
              File "<stdin>", line 1, in <module>
            ZeroDivisionError: division by zero
              File "<stdin>", line 1
                x = = 1
                    ^
            SyntaxError: invalid syntax
            Traceback (most recent call last):
              File "<stdin>", line 1, in <module>
            NameError: name 'undefined_name' is not defined

            """)
    }

    @Test func systemExitEndsTheSession() {
        let (session, _) = makeSession()
        defer { session.close() }
        #expect(session.execute("import sys") == .finished)
        #expect(session.execute("sys.exit(3)") == .exit(3))
        #expect(session.execute("exit()") == .exit(0))
    }

    @Test func completions() {
        let (session, _) = makeSession()
        defer { session.close() }
        #expect(session.execute("import asyncio") == .finished)
        #expect(session.execute("class P:\n    def __init__(self):\n        self.value = 1\n    def method(self): pass\n") == .finished)
        #expect(session.execute("p = P()") == .finished)
        #expect(session.completions(for: "asyncio.cr") == ["asyncio.create_task("])
        // Names of the library parts not loaded yet are there too.
        #expect(session.completions(for: "asyncio.Que").starts(with: ["asyncio.Queue(", "asyncio.QueueEmpty(", "asyncio.QueueFull("]))
        #expect(session.completions(for: "asyncio.sl") == ["asyncio.sleep("])
        #expect(session.completions(for: "p.") == ["p.method(", "p.value"])
        #expect(session.completions(for: "pri") == ["print("])
        #expect(session.completions(for: "whi") == ["while"])
        #expect(session.completions(for: "asy") == ["async", "asyncio"])
        #expect(session.completions(for: "nothing.here") == [])
        #expect(session.completions(for: "1.") == [])
    }

    @Test func programRunsFirst() {
        let output = SessionOutput()
        var config = Configuration()
        config.standardOutput = { output.write($0) }
        config.standardError = { output.writeError($0) }
        let session = InteractiveSession(configuration: config)
        let program = "import asyncio\nasync def main():\n    return 'ran'\nresult = asyncio.run(main())\nprint(__name__)\n"
        session.start(program: Array(program.utf8), filename: "program.aso")
        defer { session.close() }
        #expect(session.execute("result") == .finished)
        #expect(output.take() == "__main__\n'ran'\n")
    }

    @Test func virtualTimeAtThePrompt() {
        let (session, output) = makeSession(virtualTime: true)
        defer { session.close() }
        #expect(session.virtualTime)
        #expect(session.execute("import asyncio") == .finished)
        #expect(session.execute("loop = asyncio.get_running_loop()") == .finished)
        #expect(session.execute("t0 = loop.time()") == .finished)
        #expect(session.execute("await asyncio.sleep(3600)") == .finished)
        #expect(session.execute("loop.time() - t0 >= 3600") == .finished)
        session.setVirtualTime(false)
        #expect(!session.virtualTime)
        #expect(output.take() == "True\n")
    }

    @Test func taskListingAndClose() {
        let (session, output) = makeSession()
        #expect(session.execute("import asyncio") == .finished)
        let body = """
            async def wait_forever(n):
                try:
                    await asyncio.sleep(1000)
                except asyncio.CancelledError:
                    print('cancelled', n)

            """
        #expect(session.execute(body) == .finished)
        #expect(session.execute("a = asyncio.create_task(wait_forever(1), name='first')") == .finished)
        #expect(session.execute("b = asyncio.create_task(wait_forever(2), name='second')") == .finished)
        #expect(session.execute("q = asyncio.Queue()") == .finished)
        #expect(session.execute("c = asyncio.create_task(q.get(), name='consumer')") == .finished)
        #expect(session.execute("await asyncio.sleep(0)") == .finished)
        let listing = session.taskListing()
        #expect(listing.contains("consumer (pending): waiting in asyncio.Queue.get"), "\(listing)")
        #expect(listing.contains("first (pending): sleeping"))
        #expect(listing.contains("second (pending): sleeping"))
        #expect(listing.contains("File \"<stdin>\", line 3, in wait_forever"))
        #expect(session.close() == 3)
        #expect(output.take() == "cancelled 1\ncancelled 2\n")
    }
}
