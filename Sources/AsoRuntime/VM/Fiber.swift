// A fiber: one contiguous value stack and the frames that live on it.
//
// One idea: frames are plain structs in a buffer owned by the fiber, and their locals and operand
// stacks are windows of the fiber's value stack, so a script call allocates nothing. A fiber is
// what a task, a generator or a native call back into script code runs on; suspending one is just
// returning from the dispatch loop with its frames left in place (the frames *are* the continuation).

/// One activation of a code object. Indexes are kept in 32 bits (a frame is 56 bytes, not 72:
/// every pending task holds at least one); the accessors speak `Int`.
struct Frame {
    /// The running code.
    var code: Unmanaged<CodeObj>
    /// The function being run (its closure cells and name), `.none` for module and class bodies.
    var function: Value
    /// The namespace dict of a class body (loadName/storeName), `.null` otherwise; for a coroutine
    /// moved onto its awaiter's fiber, the coroutine object.
    var namespace: Value
    private var ip32: Int32
    private var base32: Int32
    private var sp32: Int32
    private var returnSlot32: Int32
    /// What returning from this frame (or an exception leaving it) does.
    var exit: FrameExit

    init(code: Unmanaged<CodeObj>, function: Value, ip: Int, base: Int, sp: Int, returnSlot: Int,
         namespace: Value, exit: FrameExit) {
        self.code = code
        self.function = function
        self.namespace = namespace
        ip32 = Int32(truncatingIfNeeded: ip)
        base32 = Int32(truncatingIfNeeded: base)
        sp32 = Int32(truncatingIfNeeded: sp)
        returnSlot32 = Int32(truncatingIfNeeded: returnSlot)
        self.exit = exit
    }

    /// Index of the next instruction while the frame is not the running one.
    var ip: Int {
        @inline(__always) get { Int(ip32) }
        @inline(__always) set { ip32 = Int32(truncatingIfNeeded: newValue) }
    }
    /// Index in the fiber's stack of local slot 0; the operand stack starts at `base + localCount`.
    var base: Int {
        @inline(__always) get { Int(base32) }
        @inline(__always) set { base32 = Int32(truncatingIfNeeded: newValue) }
    }
    /// Saved stack top (index of the first free slot) while the frame is not the running one.
    var sp: Int {
        @inline(__always) get { Int(sp32) }
        @inline(__always) set { sp32 = Int32(truncatingIfNeeded: newValue) }
    }
    /// Where the caller wants the result (the callable's slot).
    var returnSlot: Int {
        @inline(__always) get { Int(returnSlot32) }
        @inline(__always) set { returnSlot32 = Int32(truncatingIfNeeded: newValue) }
    }
}

/// What returning from a frame does.
enum FrameExit: UInt8 {
    /// Hands the result to the caller's frame just below (a call or an awaited call in script code).
    case toCaller
    /// Ends the current `run` of the dispatch loop (a fiber's bottom frame).
    case toHost
    /// Like `toCaller`, and marks finished the coroutine object in `namespace`: a coroutine that was
    /// made first and awaited later, whose frame moved onto its awaiter's fiber.
    case finishAwaited
}

final class Fiber {
    /// The value stack: locals and operand stacks of all frames, bottom to top.
    @exclusivity(unchecked) private(set) var stack: UnsafeMutablePointer<Value>
    @exclusivity(unchecked) private(set) var capacity: Int
    /// The frames, outermost first; `frameCount` of them are live. Counters, frames and stack
    /// share one allocation (in that order), so a small fiber costs one block besides the object.
    @exclusivity(unchecked) private(set) var frames: UnsafeMutablePointer<Frame>
    @exclusivity(unchecked) private(set) var frameCapacity: Int
    /// `frameCount` and `sp` live behind a pointer: the dispatch loop updates them on every call,
    /// and a pointer store needs no exclusivity check (a class's stored property would). The
    /// third word is the state of the generator that owns the fiber, if any.
    @exclusivity(unchecked) private var counters: UnsafeMutablePointer<Counters>
    typealias Counters = (frames: Int, sp: Int, owner: Int)
    /// Live frames.
    var frameCount: Int {
        @inline(__always) get { counters.pointee.frames }
        @inline(__always) set { counters.pointee.frames = newValue }
    }
    /// The stack top (first free slot) when the fiber is not running.
    var sp: Int {
        @inline(__always) get { counters.pointee.sp }
        @inline(__always) set { counters.pointee.sp = newValue }
    }
    /// A word the owning generator keeps its state in (no allocation of its own).
    var ownerWord: Int {
        @inline(__always) get { counters.pointee.owner }
        @inline(__always) set { counters.pointee.owner = newValue }
    }

    init(capacity: Int = 1024, frameCapacity: Int = 32) {
        self.capacity = max(1, capacity)
        self.frameCapacity = max(1, frameCapacity)
        (counters, frames, stack) = Fiber.allocateBlock(frames: self.frameCapacity, slots: self.capacity)
        counters.initialize(to: (0, 0, 0))
        stack.initialize(repeating: .null, count: self.capacity)
    }
    deinit {
        frames.deinitialize(count: frameCount)
        UnsafeMutableRawPointer(counters).deallocate()
    }

    private static func roundUp(_ bytes: Int, _ align: Int) -> Int { (bytes + align - 1) / align * align }

    private static func allocateBlock(frames: Int, slots: Int)
        -> (UnsafeMutablePointer<Counters>, UnsafeMutablePointer<Frame>, UnsafeMutablePointer<Value>) {
        let align = max(MemoryLayout<Counters>.alignment, MemoryLayout<Frame>.alignment, MemoryLayout<Value>.alignment)
        let framesAt = roundUp(MemoryLayout<Counters>.stride, align)
        let stackAt = roundUp(framesAt + frames * MemoryLayout<Frame>.stride, align)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: stackAt + slots * MemoryLayout<Value>.stride, alignment: align)
        return (raw.bindMemory(to: Counters.self, capacity: 1),
                (raw + framesAt).bindMemory(to: Frame.self, capacity: frames),
                (raw + stackAt).bindMemory(to: Value.self, capacity: slots))
    }

    /// Moves counters, frames and stack into a new block of the given capacities.
    private func regrow(frames newFrames: Int, slots newSlots: Int) {
        let (c, f, s) = Fiber.allocateBlock(frames: newFrames, slots: newSlots)
        c.initialize(to: counters.pointee)
        f.moveInitialize(from: frames, count: frameCount)
        s.moveInitialize(from: stack, count: capacity)
        (s + capacity).initialize(repeating: .null, count: newSlots - capacity)
        UnsafeMutableRawPointer(counters).deallocate()
        counters = c
        frames = f
        stack = s
        frameCapacity = newFrames
        capacity = newSlots
    }

    /// Makes room for `needed` slots in total; returns true if the stack moved.
    @discardableResult
    func reserve(_ needed: Int) -> Bool {
        if needed <= capacity { return false }
        var n = capacity * 2
        while n < needed { n *= 2 }
        regrow(frames: frameCapacity, slots: n)
        return true
    }

    /// Makes room for one more frame; returns true if the frames (and the stack) moved.
    @discardableResult
    func reserveFrame() -> Bool {
        if frameCount < frameCapacity { return false }
        regrow(frames: frameCapacity * 2, slots: capacity)
        return true
    }

    /// Appends a frame; returns a pointer to it (valid until the next push).
    @inline(__always)
    func push(_ f: Frame) -> UnsafeMutablePointer<Frame> {
        reserveFrame()
        (frames + frameCount).initialize(to: f)
        frameCount += 1
        return frames + (frameCount - 1)
    }

    /// Appends a frame when the caller has checked `frameCount < frameCapacity`.
    @inline(__always)
    func pushUnchecked(_ f: Frame) -> UnsafeMutablePointer<Frame> {
        let p = frames + frameCount
        p.initialize(to: f)
        frameCount &+= 1
        return p
    }

    @inline(__always) func pop() {
        frameCount &-= 1
        (frames + frameCount).deinitialize(count: 1)
    }

    /// Everything the fiber keeps alive: the live part of the stack and the frames' objects.
    func trace(_ t: inout Tracer) {
        for i in 0..<sp { t.mark(stack[i]) }
        for i in 0..<frameCount {
            let f = frames[i]
            t.mark(f.code.takeUnretainedValue())
            t.mark(f.function)
            t.mark(f.namespace)
        }
    }

    /// Clears the stack slots above `from` (so stale values do not stay reachable).
    func clear(from: Int, to: Int) {
        var i = from
        while i < to { stack[i] = .null; i += 1 }
    }
}
