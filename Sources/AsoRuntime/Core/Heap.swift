// The heap: owns every object and frees the unreachable ones (mark and sweep, in two generations).
//
// One idea: allocation only *requests* a collection (when the bytes allocated since the last one
// pass a threshold); the collection itself runs at a safepoint of the dispatch loop, where every
// live value sits in a root (fiber stacks and frames, modules, the runtime's tables, the host's
// handles and native code's `tempRoots`). `ASO_GC_STRESS=1` collects at every safepoint so that a
// missing root fails a test at once.
//
// Most collections are young: they free only objects made since the last collection and trace
// neither old objects nor what those hold, except the old objects that may hold young ones: those
// a write barrier remembered (lists, dicts, sets, instances, cells: `Obj.writeBarrier`) and those
// without barriers, which every young collection traces (`scanned`). A full collection, when the
// heap has grown by half since the last one, frees old garbage too. (docs/architecture.md)

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
    /// survivors during the sweep does no reference counting (ObjectRegistry.swift).
    @exclusivity(unchecked) private var objects = ObjectRegistry()
    /// Estimated bytes held by registered objects (updated at registration and at each sweep).
    @exclusivity(unchecked) private(set) var bytesInUse = 0
    /// Bytes registered since the last collection.
    @exclusivity(unchecked) private var bytesSinceCollection = 0
    /// `objects[youngStart...]` are the young objects, registered since the last collection.
    @exclusivity(unchecked) private var youngStart = 0
    /// Old objects a write barrier noted since the last collection (`Obj.gcRemembered` set).
    @exclusivity(unchecked) private var remembered: [Unmanaged<Obj>] = []
    /// Old objects without write barriers, traced by every young collection (their
    /// `Obj.gcRemembered` stays set, so barriers pass them by); rebuilt by each full collection.
    @exclusivity(unchecked) private var scanned: [Unmanaged<Obj>] = []
    /// Estimated bytes of `scanned` (a young collection's fixed work, for the pacing).
    @exclusivity(unchecked) private var scannedBytes = 0
    /// Estimated bytes of the old objects: what the last collection found, and the growth of old
    /// objects reported since (`grew`). A young collection adds its survivors' bytes.
    @exclusivity(unchecked) private var settledBytes = 0
    /// Estimated bytes of the remembered objects the last young collection traced.
    @exclusivity(unchecked) private var rememberedBytes = 0
    /// `bytesInUse` above which the next collection is full.
    @exclusivity(unchecked) private var fullThreshold = Heap.floor
    /// The next collection is full (`gc.collect()`).
    @exclusivity(unchecked) private var fullRequested = false
    /// The Swift classes whose objects have write barriers (`hasBarriers`), looked up once.
    private let exactClasses = (list: ObjectIdentifier(ListObj.self), tuple: ObjectIdentifier(TupleObj.self),
                                dict: ObjectIdentifier(DictObj.self), set: ObjectIdentifier(SetObj.self),
                                instance: ObjectIdentifier(InstanceObj.self), str: ObjectIdentifier(StrObj.self))
    /// How a dead string's text is rewritten in place (set once the str type exists; nil: strings
    /// are not pooled).
    var strText: StrObj.Text? = nil
    /// Young collections so far (for tests and statistics).
    private(set) var youngCollections = 0
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
    }

    deinit {
        objects.forEach { $0.release() }
        for k in 0..<Heap.poolCount {
            for i in 0..<Int(poolCounts[k]) { pools[k &* Heap.poolDepth &+ i].release() }
        }
        pools.deallocate()
        poolCounts.deallocate()
        requestFlag.deallocate()
    }

    // MARK: The pools of dead objects

    /// Builtin tuples of 1 to 8 items, builtin lists, dicts, sets, frozensets, iterators and ASCII
    /// strings, and instances of script classes the sweep found dead are kept here (at most
    /// `poolDepth` of each kind: one pool per tuple size, one for each other kind), and the next
    /// object of that kind is one of them made new (`revive`, `Obj.renew`): no allocation and no
    /// freeing, which cost such an object more than its whole use (as CPython's free lists). A
    /// tuple keeps its block of items (its size is the pool's), a list or a set gives its block
    /// back, a dict keeps the smallest blocks, an iterator forgets its source, an instance its
    /// attributes (keeping a small block of slots), a string its text (its next one is written in
    /// place: `StrObj.Text`). The pools hold at most `pooledBytesLimit` counted bytes (as much as
    /// the nursery: a young collection refills them with what the program just let go, and the
    /// next cycle's objects come from there), so what they keep from being freed stays small.
    /// Never in stress mode, where a dead object must be gone so that a use after its death fails.
    static let pooledTupleSizes = 8
    /// The pool of lists.
    static let listPool = Heap.pooledTupleSizes
    /// The pool of iterators.
    static let iteratorPool = Heap.pooledTupleSizes + 1
    /// The pool of dicts.
    static let dictPool = Heap.pooledTupleSizes + 2
    /// The pool of instances of script classes.
    static let instancePool = Heap.pooledTupleSizes + 3
    /// The pools of sets and of frozensets (a set's kind is fixed when it is made).
    static let setPool = Heap.pooledTupleSizes + 4
    static let frozensetPool = Heap.pooledTupleSizes + 5
    /// The pool of builtin ASCII strings (the exact `StrObj` class).
    static let strPool = Heap.pooledTupleSizes + 6
    static let poolCount = Heap.pooledTupleSizes + 7
    static let poolDepth = 16384
    static let pooledBytesLimit = Heap.floor
    /// Counted bytes of the objects in the pools.
    @exclusivity(unchecked) private var pooledBytes = 0
    /// `poolCount` stacks of `poolDepth` entries; the registry's reference to each pooled object
    /// is kept (released when the heap goes).
    private let pools = UnsafeMutablePointer<Unmanaged<Obj>>.allocate(capacity: Heap.poolCount * Heap.poolDepth)
    /// How many objects each stack holds.
    private let poolCounts: UnsafeMutablePointer<Int32> = {
        let p = UnsafeMutablePointer<Int32>.allocate(capacity: Heap.poolCount)
        p.initialize(repeating: 0, count: Heap.poolCount)
        return p
    }()

    /// The counted bytes of an object of pool `k` (for the pools' budget).
    @inline(__always) private static func pooledSize(_ k: Int) -> Int {
        k == Heap.instancePool ? 128 : k == Heap.strPool ? 56 : k == Heap.dictPool ? 80 &+ 5 &* MemoryLayout<DictEntry>.stride
            : k >= Heap.listPool ? 64 : 48 &+ (k &+ 1) &* MemoryLayout<Value>.stride
    }

    /// A dead object of pool `k` to make new (nil when the pool has none).
    @inline(__always) func pooled(_ k: Int) -> Unmanaged<Obj>? {
        let n = poolCounts[k]
        if n == 0 { return nil }
        poolCounts[k] = n &- 1
        pooledBytes &-= Heap.pooledSize(k)
        return pools[k &* Heap.poolDepth &+ Int(n &- 1)]
    }

    /// A dead tuple of `count` items to make new (nil when its pool has none, or it has no pool).
    @inline(__always) func pooledTuple(_ count: Int) -> Unmanaged<TupleObj>? {
        let k = count &- 1
        guard UInt(bitPattern: k) < UInt(Heap.pooledTupleSizes), let u = pooled(k) else { return nil }
        return Unmanaged<TupleObj>.fromOpaque(u.toOpaque())
    }

    /// Puts a dead object in pool `k`; false when the pools are full.
    @inline(__always) private func pool(_ u: Unmanaged<Obj>, _ k: Int) -> Bool {
        let n = Int(poolCounts[k])
        let size = Heap.pooledSize(k)
        if n == Heap.poolDepth || pooledBytes &+ size > Heap.pooledBytesLimit { return false }
        pools[k &* Heap.poolDepth &+ n] = u
        poolCounts[k] &+= 1
        pooledBytes &+= size
        return true
    }

    /// Gives back a pooled tuple that was not made new after all.
    func unpoolTuple(_ u: Unmanaged<TupleObj>, _ count: Int) {
        _ = pool(Unmanaged<Obj>.fromOpaque(u.toOpaque()), count &- 1)
    }

    /// Registers an object made new from a pool (its reference is the registry's already).
    @inline(__always) func registerRevived<T: Obj>(_ u: Unmanaged<T>, size: Int) -> Value {
        let o = Unmanaged<Obj>.fromOpaque(u.toOpaque())
        adopt(o, size: size)
        return .object(o)
    }

    /// Puts `o`, dead, in pool `k` emptied by `empty`, if its Swift class is exactly `exact` (a
    /// subclass may hold more) and the pool has room.
    @inline(__always) private func pool(_ u: Unmanaged<Obj>, _ o: Obj, exact: ObjectIdentifier, _ k: Int, _ empty: (Obj) -> Void) -> Bool {
        guard ObjectIdentifier(Swift.type(of: o)) == exact, pool(u, k) else { return false }
        empty(o)
        return true
    }

    /// Keeps an object the sweep found dead in its pool, if its kind has one (by exact class) and
    /// the pool has room; false when the sweep should release it.
    @inline(__always) private func poolDead(_ u: Unmanaged<Obj>) -> Bool {
        if stress { return false }
        return u._withUnsafeGuaranteedRef { o -> Bool in
            switch o.kind {
            case .tuple:
                guard ObjectIdentifier(Swift.type(of: o)) == exactClasses.tuple else { return false }
                let k = unsafeDowncast(o, to: TupleObj.self).count &- 1
                return UInt(bitPattern: k) < UInt(Heap.pooledTupleSizes) && pool(u, k)
            case .list:
                return pool(u, o, exact: exactClasses.list, Heap.listPool) { unsafeDowncast($0, to: ListObj.self).emptyForPool() }
            case .instance:
                return pool(u, o, exact: exactClasses.instance, Heap.instancePool) {
                    unsafeDowncast($0, to: InstanceObj.self).emptyForPool()
                }
            case .set, .frozenset:
                return pool(u, o, exact: exactClasses.set, o.kind == .set ? Heap.setPool : Heap.frozensetPool) {
                    unsafeDowncast($0, to: SetObj.self).emptyForPool()
                }
            case .dict:
                return pool(u, o, exact: exactClasses.dict, Heap.dictPool) { unsafeDowncast($0, to: DictObj.self).emptyForPool() }
            case .str:
                guard let text = strText else { return false }
                return pool(u, o, exact: exactClasses.str, Heap.strPool) { text.replace(unsafeDowncast($0, to: StrObj.self), with: "") }
            case .iterator:
                // (IterObj is final: every object of this kind is one.)
                guard pool(u, Heap.iteratorPool) else { return false }
                unsafeDowncast(o, to: IterObj.self).source = .exhausted
                return true
            default:
                return false
            }
        }
    }

    /// How many dead objects pool `k` holds (for tests and statistics).
    func pooledCount(_ k: Int) -> Int { Int(poolCounts[k]) }

    /// How many objects are registered (for tests and statistics).
    var objectCount: Int { objects.count }

    /// Registers a new object; the heap now owns it. (The caller's reference becomes the
    /// registry's: consumed, not retained and released.)
    @inline(__always) @discardableResult
    func register<T: Obj>(_ o: consuming T) -> T {
        let u = Unmanaged.passRetained(consume o)
        adopt(Unmanaged<Obj>.fromOpaque(u.toOpaque()))
        return u.takeUnretainedValue()
    }

    /// `register` for a caller that wants the value: the new object handed out unmanaged (the
    /// strong reference `register` returns costs a retain, and its caller's drop a release).
    @inline(__always)
    func registerValue<T: Obj>(_ o: consuming T) -> Value {
        let obj = Unmanaged<Obj>.fromOpaque(Unmanaged.passRetained(consume o).toOpaque())
        adopt(obj)
        return .object(obj)
    }

    /// Takes a new object (its reference, now the registry's) into the registry and the counts.
    @inline(__always) private func adopt(_ obj: Unmanaged<Obj>) {
        adopt(obj, size: obj._withUnsafeGuaranteedRef { o -> Int in
            if o.kind == .type { unsafeDowncast(o, to: TypeObject.self).heapRef = Unmanaged.passUnretained(self) }
            return o.estimatedSize
        })
    }

    /// `adopt` of an object whose counted size the caller knows (one made new from a pool).
    @inline(__always) private func adopt(_ obj: Unmanaged<Obj>, size: Int) {
        objects.append(obj)
        bytesInUse &+= size
        bytesSinceCollection &+= size
        if bytesSinceCollection > threshold { collectionRequested = true; requestFlag.pointee = true }
    }

    /// Accounts for memory `o` acquired after registration (a list that grew, ...).
    @inline(__always) func grew(by bytes: Int, _ o: Obj) {
        bytesInUse &+= bytes
        bytesSinceCollection &+= bytes
        if o.gcBits & Obj.gcOld != 0 { settledBytes &+= bytes }
        if bytesSinceCollection > threshold { collectionRequested = true; requestFlag.pointee = true }
    }

    /// Asks for a full collection at the next safepoint (`gc.collect()`).
    func requestCollection() {
        fullRequested = true
        collectionRequested = true
        requestFlag.pointee = true
    }

    /// Notes an old object that a write barrier caught (`Obj.writeBarrier`).
    func remember(_ o: Obj) {
        remembered.append(Unmanaged.passUnretained(o))
    }

    /// Whether a young collection may leave `o` alone once it is old: every reference it holds
    /// is fixed when it is made, or every store of one runs the write barrier. (By exact class: a
    /// Swift subclass, such as a script subclass of `list` with its attributes, has no barriers.)
    private func hasBarriers(_ o: Obj) -> Bool {
        switch o.kind {
        case .str, .bigint, .bytes: return o.flags & Obj.subclassFlag == 0
        case .list: return ObjectIdentifier(Swift.type(of: o)) == exactClasses.list
        case .tuple: return ObjectIdentifier(Swift.type(of: o)) == exactClasses.tuple
        case .dict: return ObjectIdentifier(Swift.type(of: o)) == exactClasses.dict
        case .set, .frozenset: return ObjectIdentifier(Swift.type(of: o)) == exactClasses.set
        case .instance: return ObjectIdentifier(Swift.type(of: o)) == exactClasses.instance
        case .cell, .boundMethod, .slice, .range: return true
        default: return false
        }
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
        objects.forEach { $0._withUnsafeGuaranteedRef(body) }
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

    /// Collects: young or full as the pacing says (full when `full`). Marks from `roots` and
    /// frees what is not reached.
    func collect(full: Bool = false, roots: (inout Tracer) -> Void) {
        // Stress mode checks young collections against a full traversal at every safepoint, with
        // a full collection at every eighth.
        let isFull = full || fullRequested || bytesInUse > fullThreshold || (stress && collections % 8 == 7)
        if isFull { collectFull(roots: roots) } else { collectYoung(roots: roots) }
        fullRequested = false
        bytesSinceCollection = 0
        // The next young collection comes after as many bytes again as the old objects the last
        // one traced (the scanned ones, and what it went through of the remembered ones), so
        // that the work stays in proportion to the allocation, as with a single generation; at
        // least the floor. Stress mode
        // collects after (nearly) every allocation while the heap is small, and after a 1/64
        // growth of a large one, so hostile programs still finish in linear time.
        threshold = stress ? bytesInUse >> 6 : max(Heap.floor, scannedBytes &+ rememberedBytes)
        collectionRequested = false
        collections += 1
    }

    /// Marks what `roots` reach and, in a young collection, what the scanned and remembered old
    /// objects reach.
    private func markAll(_ t: inout Tracer, roots: (inout Tracer) -> Void, young: Bool = false) {
        t.pending.reserveCapacity(256)
        roots(&t)
        if young {
            for u in scanned { u._withUnsafeGuaranteedRef { $0.trace(&t) } }
            var bytes = 0
            for u in remembered {
                bytes &+= u._withUnsafeGuaranteedRef { $0.traceRemembered(&t) }
            }
            rememberedBytes = bytes
        }
        while let u = t.pending.popLast() { u._withUnsafeGuaranteedRef { $0.trace(&t) } }
    }

    private func runBeforeSweep(_ t: inout Tracer) {
        if let hook = beforeSweep {
            hook(&t)
            while let u = t.pending.popLast() { u._withUnsafeGuaranteedRef { $0.trace(&t) } }
        }
    }

    /// A full collection: marks everything reachable and frees the rest, old or young.
    private func collectFull(roots: (inout Tracer) -> Void) {
        var t = Tracer()
        markAll(&t, roots: roots)
        runBeforeSweep(&t)
        // (The sweep sets every survivor's bits afresh.)
        remembered.removeAll(keepingCapacity: true)
        rememberedBytes = 0
        scanned.removeAll(keepingCapacity: true)
        scannedBytes = 0
        let live = sweep(from: 0)
        bytesInUse = live
        settledBytes = live
        // Old garbage may pile up to half the live data again before the next full collection.
        fullThreshold = live &+ max(Heap.floor, live >> 1)
    }

    /// A young collection: marks the young objects reachable from the roots, the remembered and
    /// the scanned objects; frees the other young ones; the survivors are old from now on.
    private func collectYoung(roots: (inout Tracer) -> Void) {
        var t = Tracer(markBit: Obj.gcMarked, stopBits: Obj.gcMarked | Obj.gcOld)
        markAll(&t, roots: roots, young: true)
        runBeforeSweep(&t)
        if stress { checkYoung(roots: roots) }
        for u in remembered { u._withUnsafeGuaranteedRef { $0.gcBits &= ~Obj.gcRemembered } }
        remembered.removeAll(keepingCapacity: true)
        youngCollections += 1
        settledBytes &+= sweep(from: youngStart)
        bytesInUse = settledBytes
    }

    /// Stress mode's check of a young collection: every young object reachable from the roots
    /// (through old objects or not) must have been marked; one that was not would be freed while
    /// an old object still refers to it, because a store into that object missed its write
    /// barrier. Reported on stderr like the leak check, so the corpus run in stress mode fails.
    private func checkYoung(roots: (inout Tracer) -> Void) {
        var t = Tracer(markBit: Obj.gcChecked, stopBits: Obj.gcChecked)
        markAll(&t, roots: roots)
        var kinds: [String: Int] = [:]
        var i = 0
        objects.forEach { u in
            u._withUnsafeGuaranteedRef { o in
                if i >= youngStart && o.gcBits & (Obj.gcChecked | Obj.gcMarked) == Obj.gcChecked {
                    kinds[String(describing: Swift.type(of: o)), default: 0] += 1
                }
                o.gcBits &= ~Obj.gcChecked
            }
            i += 1
        }
        if kinds.isEmpty { return }
        var text = "aso: collector check: young objects reachable only through an old object that no barrier remembered:"
        for (name, n) in kinds.sorted(by: { $0.key < $1.key }) { text += " \(n) \(name)" }
        leakReport(text + "\n")
    }

    /// Frees the unmarked objects of `objects[start...]` and makes the marked ones old (noting
    /// those without barriers in `scanned`); returns the bytes of the survivors.
    private func sweep(from start: Int) -> Int {
        var live = 0
        // (Stress mode only: what the sweep released, to check that it was freed.)
        var doomed: [WeakObj] = []
        // (Loaded once: reading the closure per object would retain its context each time.)
        let freeGenerator = onFreeGenerator
        objects.filter(from: start) { u in
            let survives = u._withUnsafeGuaranteedRef { o -> Bool in
                if o.gcBits & Obj.gcMarked == 0 { return false }
                let size = o.kind == .str ? unsafeDowncast(o, to: StrObj.self).estimatedBytes : o.estimatedSize
                live &+= size
                if hasBarriers(o) {
                    o.gcBits = Obj.gcOld
                } else {
                    o.gcBits = Obj.gcOld | Obj.gcRemembered
                    scanned.append(u)
                    scannedBytes &+= size
                }
                return true
            }
            if !survives {
                if poolDead(u) { return false }
                if u._withUnsafeGuaranteedRef({ $0.kind == .generator }), let hook = freeGenerator {
                    u._withUnsafeGuaranteedRef(hook)
                }
                if stress { doomed.append(WeakObj(u.takeUnretainedValue())) }
                u.release()
            }
            return survives
        }
        youngStart = objects.count
        if stress { checkFreed(doomed) }
        // A full collection that freed much hands the allocator's free pages back to the system,
        // so the process's resident size follows the live data rather than its past peak.
        #if canImport(Glibc)
        if !stress && start == 0 && bytesInUse &- live > 16 << 20 { _ = glibcMallocTrim(0) }
        #endif
        return live
    }
}

