// `Interpreter.run` runs the program on a large stack of its own, whatever thread calls it: deep
// native recursion (repr, equality and json of nested data) is bounded by the recursion limit,
// not by the caller's stack.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

/// Runs `body` on a new thread with a stack of `size` bytes and waits for it.
private func onSmallStack(size: Int, _ body: @escaping () -> Void) -> Bool {
    final class Job { let body: () -> Void; init(_ body: @escaping () -> Void) { self.body = body } }
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, size)
    let context = Unmanaged.passRetained(Job(body)).toOpaque()
    #if canImport(Darwin)
    var thread: pthread_t?
    #else
    var thread = pthread_t()
    #endif
    let status = pthread_create(&thread, &attributes, { raw in
        guard let raw else { return nil }
        Unmanaged<Job>.fromOpaque(raw).takeRetainedValue().body()
        return nil
    }, context)
    guard status == 0 else {
        Unmanaged<Job>.fromOpaque(context).release()
        return false
    }
    #if canImport(Darwin)
    if let thread { pthread_join(thread, nil) }
    #else
    pthread_join(thread, nil)
    #endif
    return true
}

@Suite struct InterpreterThreadTests {
    @Test func deepNativeRecursionFromASmallStackThread() {
        // Expected output from python3 on the same program.
        let source = """
            import json
            x = []
            for i in range(900):
                x = [x]
            print(len(repr(x)), len(json.dumps(x)), x == x)
            def down(n):
                return 0 if n == 0 else 1 + down(n - 1)
            print(down(900))

            """
        final class Box: @unchecked Sendable { var result: ProgramResult? }
        let box = Box()
        let started = onSmallStack(size: 256 << 10) { box.result = runProgram(source) }
        #expect(started)
        #expect(box.result?.status == 0)
        #expect(box.result?.stdout == "1802 1802 True\n900\n")
    }
}
