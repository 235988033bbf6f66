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
    init(_ body: @escaping () -> Void) { self.body = body }
}

/// Runs `body` on a new thread with a large stack (`size` bytes, reserved rather than committed)
/// and waits for it; runs it in place if no thread can be created. Also used by the compiler and
/// the command line, whose recursion is bounded but may be deep.
public func withLargeStack<T>(size: Int = 256 << 20, _ body: () -> T) -> T {
    var result: T?
    withoutActuallyEscaping(body) { escapable in
        let job = StackJob { result = escapable() }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, size)
        let context = Unmanaged.passRetained(job).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let status = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            let job = Unmanaged<StackJob>.fromOpaque(raw).takeRetainedValue()
            job.body()
            return nil
        }, context)
        if status == 0 {
            #if canImport(Darwin)
            if let thread { pthread_join(thread, nil) }
            #else
            pthread_join(thread, nil)
            #endif
        } else {
            Unmanaged<StackJob>.fromOpaque(context).release()
            job.body()
        }
    }
    // `result` is always set: the job ran either on the thread (joined above) or in place.
    guard let value = result else { return body() }
    return value
}
