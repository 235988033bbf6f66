// A fiber: one contiguous value stack and the frames that live on it.
//
// One idea: frames are plain structs in a buffer owned by the fiber, and their locals and operand
// stacks are windows of the fiber's value stack, so a script call allocates nothing. A fiber is
// what a task, a generator or a native call back into script code runs on; suspending one is just
// returning from the dispatch loop with its frames left in place (the frames *are* the continuation).

/// One activation of a code object. Indexes are kept in 32 bits and objects as plain references
/// (a frame is 48 bytes, not 72: every pending task holds at least one); the accessors speak `Int`
/// and `Value`.
struct Frame {
    /// The running code.
    var code: Unmanaged<CodeObj>
    private var functionRef: Unmanaged<Obj>?
    private var namespaceRef: Unmanaged<Obj>?
    private var ip32: Int32
    private var base32: Int32
    private var sp32: Int32
    private var returnSlot32: Int32
    /// What returning from this frame (or an exception leaving it) does.
    var exit: FrameExit

    init(code: Unmanaged<CodeObj>, function: Value, ip: Int, base: Int, sp: Int, returnSlot: Int,
         namespace: Value, exit: FrameExit) {
        self.code = code
        functionRef = Frame.reference(function)
        namespaceRef = Frame.reference(namespace)
        ip32 = Int32(truncatingIfNeeded: ip)
        base32 = Int32(truncatingIfNeeded: base)
        sp32 = Int32(truncatingIfNeeded: sp)
        returnSlot32 = Int32(truncatingIfNeeded: returnSlot)
        self.exit = exit
    }

    @inline(__always) private static func reference(_ v: Value) -> Unmanaged<Obj>? {
        if case .object(let u) = v { return u }
        return nil
    }

    /// The function being run (its closure cells and name), `.none` for module and class bodies.
    var function: Value {
        @inline(__always) get { functionRef.map { .object($0) } ?? .none }
        @inline(__always) set { functionRef = Frame.reference(newValue) }
    }
    /// The namespace dict of a class body (loadName/storeName), `.null` otherwise; for a coroutine
    /// moved onto its awaiter's fiber, the coroutine object.
    var namespace: Value {
        @inline(__always) get { namespaceRef.map { .object($0) } ?? .null }
        @inline(__always) set { namespaceRef = Frame.reference(newValue) }
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
    /// Like `toCaller`, for the `__init__` of a class being called: the caller gets the new
    /// instance held in `namespace`, and a TypeError when `__init__` returned anything but None.
    case initialized
}

/// A fiber is an object (kind `.other`, no type, never registered with the heap) so that a
/// generator can *be* its own fiber: `GeneratorObj` subclasses it, and a coroutine costs one object
/// and one block, not two objects and a block (every pending task holds one).
class Fiber: Obj {
    /// The value stack: locals and operand stacks of all frames, bottom to top.
    @exclusivity(unchecked) final private(set) var stack: UnsafeMutablePointer<Value>
    /// The block: the frames, then the stack (one allocation, so a small fiber costs one block
    /// besides the object).
    @exclusivity(unchecked) final private(set) var frames: UnsafeMutablePointer<Frame>
    @exclusivity(unchecked) final private var capacity32: Int32
    @exclusivity(unchecked) final private var frameCapacity32: Int32
    /// `frameCount` and `sp`, in 32 bits (the object fills its allocator's size class exactly).
    /// Unchecked: the dispatch loop updates them on every call.
    @exclusivity(unchecked) final private var frameCount32: Int32 = 0
    @exclusivity(unchecked) final private var sp32: Int32 = 0

    /// Stack slots.
    final var capacity: Int { @inline(__always) get { Int(capacity32) } }
    /// Frames the block has room for.
    final var frameCapacity: Int { @inline(__always) get { Int(frameCapacity32) } }
    /// Live frames (the frames, outermost first, are `frames[0..<frameCount]`).
    final var frameCount: Int {
        @inline(__always) get { Int(frameCount32) }
        @inline(__always) set { frameCount32 = Int32(truncatingIfNeeded: newValue) }
    }
    /// The stack top (first free slot) when the fiber is not running.
    final var sp: Int {
        @inline(__always) get { Int(sp32) }
        @inline(__always) set { sp32 = Int32(truncatingIfNeeded: newValue) }
    }

    init(capacity: Int = 1024, frameCapacity: Int = 32, kind: ObjKind = .other, type: __shared TypeObject? = nil) {
        let slots = max(1, capacity), frameSlots = max(1, frameCapacity)
        (frames, stack) = Fiber.allocateBlock(frames: frameSlots, slots: slots)
        capacity32 = Int32(truncatingIfNeeded: slots)
        frameCapacity32 = Int32(truncatingIfNeeded: frameSlots)
        super.init(kind: kind, type: type)
        stack.initialize(repeating: .null, count: slots)
    }
    deinit {
        frames.deinitialize(count: frameCount)
        UnsafeMutableRawPointer(frames).deallocate()
    }

    private static func roundUp(_ bytes: Int, _ align: Int) -> Int { (bytes + align - 1) / align * align }
    private static let alignment = max(MemoryLayout<Frame>.alignment, MemoryLayout<Value>.alignment)

    private static func allocateBlock(frames: Int, slots: Int) -> (UnsafeMutablePointer<Frame>, UnsafeMutablePointer<Value>) {
        let stackAt = roundUp(frames * MemoryLayout<Frame>.stride, alignment)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: stackAt + slots * MemoryLayout<Value>.stride, alignment: alignment)
        return (raw.bindMemory(to: Frame.self, capacity: frames), (raw + stackAt).bindMemory(to: Value.self, capacity: slots))
    }

    /// Moves frames and stack into a new block of the given capacities.
    private final func regrow(frames newFrames: Int, slots newSlots: Int) {
        let (f, s) = Fiber.allocateBlock(frames: newFrames, slots: newSlots)
        f.moveInitialize(from: frames, count: frameCount)
        s.moveInitialize(from: stack, count: capacity)
        (s + capacity).initialize(repeating: .null, count: newSlots - capacity)
        UnsafeMutableRawPointer(frames).deallocate()
        frames = f
        stack = s
        frameCapacity32 = Int32(truncatingIfNeeded: newFrames)
        capacity32 = Int32(truncatingIfNeeded: newSlots)
    }

    /// Makes room for `needed` slots in total and `frames` more frames, in one move of the block
    /// (a coroutine's fiber starts with room for one frame, and grows when it awaits); returns true
    /// if the stack moved.
    @discardableResult
    final func reserve(_ needed: Int, frames extra: Int = 0) -> Bool {
        let moreFrames = frameCount + extra > frameCapacity
        if needed <= capacity && !moreFrames { return false }
        // Half as much again, or what is needed: a coroutine's fiber grows once or twice, when
        // it first awaits a chain of calls, and then stays as it is while the task waits (a
        // doubling would leave a pending task with up to half of its block unused).
        var n = capacity
        if needed > capacity { n = max(needed, capacity + capacity / 2) }
        var f = frameCapacity
        if moreFrames { f = max(frameCount + extra, f + f / 2, 2) }
        regrow(frames: f, slots: n)
        return true
    }

    /// Makes room for one more frame; returns true if the frames (and the stack) moved.
    @discardableResult
    final func reserveFrame() -> Bool {
        if frameCount < frameCapacity { return false }
        regrow(frames: frameCapacity + max(1, frameCapacity / 2), slots: capacity)
        return true
    }

    /// Appends a frame; returns a pointer to it (valid until the next push).
    @inline(__always)
    final func push(_ f: Frame) -> UnsafeMutablePointer<Frame> {
        reserveFrame()
        (frames + frameCount).initialize(to: f)
        frameCount += 1
        return frames + (frameCount - 1)
    }

    /// Appends a frame when the caller has checked `frameCount < frameCapacity`.
    @inline(__always)
    final func pushUnchecked(_ f: Frame) -> UnsafeMutablePointer<Frame> {
        let p = frames + frameCount
        p.initialize(to: f)
        frameCount &+= 1
        return p
    }

    @inline(__always) final func pop() {
        frameCount &-= 1
        (frames + frameCount).deinitialize(count: 1)
    }

    /// Everything the fiber keeps alive: the live part of the stack and the frames' objects.
    final func traceContents(_ t: inout Tracer) {
        for i in 0..<sp { t.mark(stack[i]) }
        for i in 0..<frameCount {
            let f = frames + i
            t.mark(unmanaged: f.pointee.code)
            t.mark(f.pointee.function)
            t.mark(f.pointee.namespace)
        }
    }

    /// Gives back the block of a fiber that will run no more (a finished generator or coroutine,
    /// which a task or a `gather` may keep for a long time), keeping room for one frame and slot.
    final func shrinkToMinimum() {
        guard frameCount == 0, capacity > 1 || frameCapacity > 1 else { return }
        let (f, s) = Fiber.allocateBlock(frames: 1, slots: 1)
        s.initialize(to: .null)
        UnsafeMutableRawPointer(frames).deallocate()
        frames = f
        stack = s
        frameCapacity32 = 1
        capacity32 = 1
        sp = 0
    }

    /// Clears the stack slots above `from` (so stale values do not stay reachable).
    final func clear(from: Int, to: Int) {
        var i = from
        while i < to { stack[i] = .null; i += 1 }
    }
}
