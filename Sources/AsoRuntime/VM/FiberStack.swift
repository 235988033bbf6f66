// The stack of fibers running now: the innermost is the one whose dispatch loop runs.
//
// One idea: a fiber is pushed when a generator or coroutine is resumed or native code runs script
// code (a call, a module's body), and popped when that returns, so the stack mirrors the nesting
// of dispatch loops on the Swift stack; the collector traces every fiber on it.

/// The fibers now running, innermost last. Pushed and popped on every generator resume and
/// nested call, so its storage sits behind pointers (no exclusivity checks, no reference counting;
/// a running fiber is kept alive by whoever runs it).
final class FiberStack {
    private let state: UnsafeMutablePointer<(base: UnsafeMutablePointer<Unmanaged<Fiber>>, count: Int, capacity: Int)>

    init() {
        state = .allocate(capacity: 1)
        state.initialize(to: (.allocate(capacity: 16), 0, 16))
    }
    deinit {
        state.pointee.base.deallocate()
        state.deallocate()
    }

    @inline(__always) func append(_ f: Fiber) {
        if state.pointee.count == state.pointee.capacity {
            let n = state.pointee.capacity * 2
            let b = UnsafeMutablePointer<Unmanaged<Fiber>>.allocate(capacity: n)
            b.moveInitialize(from: state.pointee.base, count: state.pointee.count)
            state.pointee.base.deallocate()
            state.pointee.base = b
            state.pointee.capacity = n
        }
        (state.pointee.base + state.pointee.count).initialize(to: Unmanaged.passUnretained(f))
        state.pointee.count += 1
    }

    @inline(__always) func removeLast() { state.pointee.count -= 1 }

    var last: Fiber? {
        state.pointee.count > 0 ? state.pointee.base[state.pointee.count - 1].takeUnretainedValue() : nil
    }

    func forEach(_ body: (Fiber) -> Void) {
        for i in 0..<state.pointee.count { body(state.pointee.base[i].takeUnretainedValue()) }
    }
}
