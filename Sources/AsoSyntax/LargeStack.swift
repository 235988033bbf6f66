// Running the parser on a thread with a large stack.
//
// One idea: the parser is recursive and its depth is bounded (`Parser.maxDepth`), but how much
// stack a bounded depth needs depends on the build (debug frames are large) and on the caller's
// thread (secondary threads may have small stacks). Running each parse on its own thread with a
// 256 MB stack (reserved, not committed) makes the bound safe everywhere; the caller waits.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A closure and its result, handed to the parsing thread; used by one thread at a time.
private final class StackJob: @unchecked Sendable {
    let body: () -> Void
    let size: Int
    init(size: Int, _ body: @escaping () -> Void) {
        self.size = size
        self.body = body
    }
}

/// Runs `body` on a new thread with a large stack (`size` bytes, reserved rather than committed)
/// and waits for it; runs it in place if no thread can be created. Also used by the compiler and
/// the command line, whose recursion is bounded but may be deep.
package func withLargeStack<T>(size: Int = 256 << 20, _ body: () -> T) -> T {
    // Already on a thread with that much stack left (the command line runs everything on one
    // large-stack thread): no new thread.
    if stackRemaining() >= size { return body() }
    var result: T?
    withoutActuallyEscaping(body) { escapable in
        if let thread = startThread(stackSize: size, { result = escapable() }) {
            pthread_join(thread, nil)
        } else {
            result = escapable()
        }
    }
    // `result` is always set: the job ran either on the thread (joined above) or in place.
    guard let value = result else { return body() }
    return value
}

/// Starts a thread with `body` on a stack of `stackSize` bytes (reserved, not committed), where
/// `withLargeStack` knows how much stack is left and runs in place. Returns a detached thread that
/// outlives its caller (an interactive session's loop), or false when no thread can be made.
package func startDetachedThread(stackSize: Int, _ body: @escaping () -> Void) -> Bool {
    guard let thread = startThread(stackSize: stackSize, body) else { return false }
    pthread_detach(thread)
    return true
}

/// A new thread running `body` on a stack of `stackSize` bytes, or nil when none can be made.
private func startThread(stackSize: Int, _ body: @escaping () -> Void) -> pthread_t? {
    let job = StackJob(size: stackSize, body)
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, stackSize)
    let context = Unmanaged.passRetained(job).toOpaque()
    #if canImport(Darwin)
    var thread: pthread_t?
    #else
    var thread = pthread_t()
    #endif
    let status = pthread_create(&thread, &attributes, { raw in
        guard let raw else { return nil }
        let job = Unmanaged<StackJob>.fromOpaque(raw).takeRetainedValue()
        // Remember how far down this thread's stack goes (a margin is kept for what runs
        // above the body and for the runtime's own needs).
        let limit = currentStackAddress() - job.size + (1 << 20)
        pthread_setspecific(stackLimitKey, UnsafeRawPointer(bitPattern: limit))
        job.body()
        return nil
    }, context)
    guard status == 0 else {
        Unmanaged<StackJob>.fromOpaque(context).release()
        return nil
    }
    return thread
}

/// Per thread: the lowest usable stack address of a thread made by `withLargeStack`.
private let stackLimitKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

/// The address of a local of the caller (about where the stack is now).
@inline(never)
private func currentStackAddress() -> Int {
    var marker = 0
    return withUnsafeMutablePointer(to: &marker) { Int(bitPattern: $0) }
}

/// Bytes of stack left below the caller on this thread (0 when it is not a `withLargeStack` thread).
private func stackRemaining() -> Int {
    guard let limit = pthread_getspecific(stackLimitKey) else { return 0 }
    return max(0, currentStackAddress() - Int(bitPattern: limit))
}
