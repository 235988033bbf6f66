// The heap: owns every object and frees the unreachable ones (mark and sweep).
//
// One idea: allocation only *requests* a collection (when the bytes allocated since the last one
// pass a threshold); the collection itself runs at a safepoint of the dispatch loop, where every
// live value sits in a root (fiber stacks and frames, modules, the runtime's tables, the host's
// handles and native code's `tempRoots`). `ASO_GC_STRESS=1` collects at every safepoint so that a
// missing root fails a test at once.

#if canImport(Glibc)
/// glibc's `int malloc_trim(size_t pad)` (not exported by Swift's Glibc module).
@_silgen_name("malloc_trim") private func glibcMallocTrim(_ pad: Int) -> Int32
#endif

/// A weak reference to an object (the leak check's).
struct WeakObj {
    weak var object: Obj?
    init(_ o: Obj) { object = o }
}

final class Heap {
    /// Every live object, each retained once at registration and released by the sweep that finds
    /// it unmarked: the registry's references are what keep objects alive. Unmanaged, so moving
    /// survivors during the sweep does no reference counting.
    @exclusivity(unchecked) private var objects: [Unmanaged<Obj>] = []
    /// Estimated bytes held by registered objects (updated at registration and at each sweep).
    @exclusivity(unchecked) private(set) var bytesInUse = 0
    /// Bytes registered since the last collection.
    @exclusivity(unchecked) private var bytesSinceCollection = 0
    /// The least allocation volume between two collections (see docs/architecture.md for why
    /// 512 KiB: the counted bytes leave out part of what the allocator hands out, so each counted
    /// byte of garbage costs about two of resident memory).
    static let floor = 512 << 10
    /// The allocation volume that triggers the next collection.
    @exclusivity(unchecked) private var threshold = Heap.floor
    /// The "attention at the next safepoint" flag (a pointer, so the dispatch loop reads it without
    /// an exclusivity check). Allocation raises it to ask for a collection; an interruption (a
    /// signal, Runtime+Signals.swift) raises it too. `Runtime.attend()` lowers it and does the work.
    let requestFlag: UnsafeMutablePointer<Bool>
    /// True when allocation has asked for a collection at the next safepoint.
    @exclusivity(unchecked) private(set) var collectionRequested = false
    /// Collect at every safepoint (stress mode).
    let stress: Bool
    /// Collections so far (for tests and statistics).
    private(set) var collections = 0
    /// The limit on `bytesInUse`; above it allocation sites raise MemoryError.
    var memoryLimit: Int

    init(stress: Bool, memoryLimit: Int) {
        self.stress = stress
        self.memoryLimit = memoryLimit
        requestFlag = .allocate(capacity: 1)
        requestFlag.initialize(to: false)
        if stress { threshold = 0 }
        objects.reserveCapacity(1024)
    }

    deinit {
        for u in objects { u.release() }
        requestFlag.deallocate()
    }

    /// How many objects are registered (for tests and statistics).
    var objectCount: Int { objects.count }

    /// Registers a new object; the heap now owns it. (The caller's reference becomes the
    /// registry's: consumed, not retained and released.)
    @inline(__always) @discardableResult
    func register<T: Obj>(_ o: consuming T) -> T {
        let u = Unmanaged.passRetained(consume o)
        objects.append(Unmanaged<Obj>.fromOpaque(u.toOpaque()))
        let size = u._withUnsafeGuaranteedRef { $0.estimatedSize }
        bytesInUse &+= size
        bytesSinceCollection &+= size
        if bytesSinceCollection > threshold { collectionRequested = true; requestFlag.pointee = true }
        return u.takeUnretainedValue()
    }

    /// Accounts for memory an object acquired after registration (a list that grew, ...).
    @inline(__always) func grew(by bytes: Int) {
        bytesInUse &+= bytes
        bytesSinceCollection &+= bytes
        if bytesSinceCollection > threshold { collectionRequested = true; requestFlag.pointee = true }
    }

    /// Asks for a full collection at the next safepoint (`gc.collect()`).
    func requestCollection() {
        collectionRequested = true
        requestFlag.pointee = true
    }

    /// Would an allocation of `bytes` more exceed the memory limit?
    func wouldExceedLimit(_ bytes: Int) -> Bool {
        bytes < 0 || bytes > memoryLimit || bytesInUse > memoryLimit - bytes
    }

    /// Called (during the sweep, so it must not allocate in this heap) with each generator about
    /// to be freed: the runtime notes coroutines that were never awaited.
    var onFreeGenerator: ((Obj) -> Void)?

    /// Called after marking, before the sweep: may mark more objects (which then survive this
    /// collection), as finalizers that resurrect what they report on.
    var beforeSweep: ((inout Tracer) -> Void)?

    /// Every registered object (for the end-of-run report of unawaited coroutines).
    func forEachObject(_ body: (Obj) -> Void) {
        for u in objects { u._withUnsafeGuaranteedRef(body) }
    }

    /// Stress mode's leak check: every object the sweep released must be gone once all of them
    /// are. One that is still there is held by a strong Swift reference (an `Obj` in a strong
    /// property, often in a cycle that reference counting never frees), which breaks the rule that
    /// the registry alone keeps objects alive (docs/architecture.md): it is reported on stderr, so
    /// the corpus run in stress mode fails.
    private func checkFreed(_ released: [WeakObj]) {
        var kinds: [String: Int] = [:]
        for w in released {
            guard let o = w.object else { continue }
            // (A native function is named, since many share the class.)
            let name = (o as? NativeFunctionObj).map { "(\($0.name))" } ?? ""
            kinds[String(describing: Swift.type(of: o)) + name, default: 0] += 1
        }
        if kinds.isEmpty { return }
        var text = "aso: leak check: objects outlived the sweep that released them:"
        for (name, n) in kinds.sorted(by: { $0.key < $1.key }) { text += " \(n) \(name)" }
        leakReport(text + "\n")
    }

    /// Where the leak check reports (the interpreter's standard error).
    var leakReport: (String) -> Void = { _ in }

    /// Marks from `roots` and frees everything else.
    func collect(roots: (inout Tracer) -> Void) {
        var t = Tracer()
        t.pending.reserveCapacity(256)
        roots(&t)
        while let u = t.pending.popLast() { u._withUnsafeGuaranteedRef { $0.trace(&t) } }
        if let hook = beforeSweep {
            hook(&t)
            while let u = t.pending.popLast() { u._withUnsafeGuaranteedRef { $0.trace(&t) } }
        }
        var live = 0
        var kept = 0
        let n = objects.count
        // (Stress mode only: what the sweep released, to check that it was freed.)
        var doomed: [WeakObj] = []
        // (Loaded once: reading the closure per object would retain its context each time.)
        let freeGenerator = onFreeGenerator
        objects.withUnsafeMutableBufferPointer { buf in
            for i in 0..<n {
                let u = buf[i]
                let size = u._withUnsafeGuaranteedRef { o -> Int in
                    if !o.marked { return -1 }
                    o.marked = false
                    return o.kind == .str ? unsafeDowncast(o, to: StrObj.self).estimatedBytes : o.estimatedSize
                }
                if size < 0 {
                    if u._withUnsafeGuaranteedRef({ $0.kind == .generator }), let hook = freeGenerator {
                        u._withUnsafeGuaranteedRef(hook)
                    }
                    if stress { doomed.append(WeakObj(u.takeUnretainedValue())) }
                    u.release()
                } else {
                    live &+= size
                    buf[kept] = u
                    kept &+= 1
                }
            }
        }
        objects.removeLast(n - kept)
        if stress { checkFreed(doomed) }
        let freed = bytesInUse &- live
        bytesInUse = live
        // A collection that freed much hands the allocator's free pages back to the system, so the
        // process's resident size follows the live data rather than its past peak.
        #if canImport(Glibc)
        if !stress && freed > 16 << 20 { _ = glibcMallocTrim(0) }
        #endif
        bytesSinceCollection = 0
        // Stress mode collects after (nearly) every allocation while the heap is small, and after
        // a 1/64 growth of a large one, so hostile programs still finish in linear time.
        threshold = stress ? live >> 6 : max(Heap.floor, live)
        collectionRequested = false
        collections += 1
    }
}
