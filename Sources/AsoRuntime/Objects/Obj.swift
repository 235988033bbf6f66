// The base class of every heap object, and the kind tag that the VM switches on.
//
// One idea: every object is owned by the interpreter's `Heap` (a strong registry) and referenced
// from values by unmanaged pointers; the collector marks from the roots through `trace` and drops
// the registry's reference to what it did not reach. `kind` is a plain byte so the dispatch loop
// can test an object's class without a dynamic cast.

enum ObjKind: UInt8 {
    case str, list, tuple, dict, set, frozenset, bigint, bytes
    case function, native, boundMethod, type, module, cell, code
    case exception, instance, range, slice, iterator, generator, other

    /// Objects that hold no references but to their (builtin, never collected) type.
    @inline(__always) var isLeaf: Bool { self == .str || self == .bigint || self == .bytes }
}

class Obj {
    /// What the object is, for fast checks; fixed at creation.
    let kind: ObjKind
    /// The collector's bits (`Obj.gc...`, Heap.swift): marked, old, remembered, checked.
    /// (Declared beside `kind` so the two bytes share one word of the object.)
    @exclusivity(unchecked) final var gcBits: UInt8 = 0
    /// Bits a kind of object may use for itself (strings keep "ASCII" and "hash computed" here).
    var flags: UInt8 = 0
    /// A byte and a word a kind of object may use for itself. They fill the padding between
    /// `flags` and `typeRef`, so they cost nothing (a generator keeps its state and where it was
    /// made here). Unchecked: written on every resume of a generator.
    @exclusivity(unchecked) final var aux8: UInt8 = 0
    @exclusivity(unchecked) final var aux32: Int32 = 0
    /// The object's class (`type(x)`); nil only inside the bootstrap of the `type` type itself.
    /// Types are never freed while an object of theirs is alive, since `trace` marks it.
    final var typeRef: TypeObject? {
        @inline(__always) get { typeBits?.takeUnretainedValue() }
        @inline(__always) set { writeBarrier(); typeBits = newValue.map { Unmanaged.passUnretained($0) } }
    }
    /// `typeRef` as stored: unmanaged, so the collector reads it without reference counting.
    @exclusivity(unchecked) private final var typeBits: Unmanaged<TypeObject>?

    init(kind: ObjKind, type: __shared TypeObject?) {
        self.kind = kind
        self.typeBits = type.map { Unmanaged.passUnretained($0) }
    }

    /// The object's class. Set for every object once the runtime's types are bootstrapped.
    @inline(__always) var type: TypeObject { typeRef.unsafelyUnwrapped }
    /// The class's address, read without reference counting (an identity for caches).
    @inline(__always) final var typeAddress: UnsafeMutableRawPointer? { typeBits?.toOpaque() }
    /// Whether the object's class is `t` (compared by address, without reference counting).
    @inline(__always) final func hasType(_ t: TypeObject) -> Bool {
        typeBits?.toOpaque() == Unmanaged.passUnretained(t).toOpaque()
    }
    /// The class as stored, for borrowed access (`typeUnmanaged._withUnsafeGuaranteedRef`):
    /// reading `type` into a local retains the class, this does not.
    @inline(__always) final var typeUnmanaged: Unmanaged<TypeObject> { typeBits.unsafelyUnwrapped }

    // MARK: The collector's bits and the write barrier

    /// Reached by the mark phase of the collection in progress.
    static let gcMarked: UInt8 = 1
    /// Survived a collection: a young collection neither traces nor frees it.
    static let gcOld: UInt8 = 2
    /// Old and in the heap's remembered set (written since the last collection), or old and
    /// traced by every young collection (an object without write barriers).
    static let gcRemembered: UInt8 = 4
    /// Reached by stress mode's check of a young collection.
    static let gcChecked: UInt8 = 8

    /// The write barrier: called before a reference is stored into the object. An old object
    /// that is not yet remembered joins the heap's remembered set, so the next young collection
    /// traces it (the young object stored in it is then kept). One test of a byte when the object
    /// is young or already remembered.
    @inline(__always) final func writeBarrier() {
        if gcBits & (Obj.gcOld | Obj.gcRemembered) == Obj.gcOld { rememberWrite() }
    }
    @inline(never) final func rememberWrite() {
        gcBits |= Obj.gcRemembered
        // (Every object that has barriers has a class; the class knows its heap.)
        typeBits?._withUnsafeGuaranteedRef { $0.heapRef?._withUnsafeGuaranteedRef { $0.remember(self) } }
    }

    /// What a young collection traces of an old object the write barrier remembered: all of it,
    /// unless the object knows which part changed (a list or dict that only grew). Returns an
    /// estimate of the bytes it went through (the collector's pacing).
    func traceRemembered(_ t: inout Tracer) -> Int {
        trace(&t)
        return estimatedSize
    }

    /// A dead object from the heap's pools made new (`Heap.pooled`): the collector's bits, the
    /// flags and the spare words of a new object, and its class.
    /// (The class comes unmanaged: a strong reference held across the caller's own work on the
    /// object, freeing a block, say, was retained and released around it. No write barrier: the
    /// object is new to the collector.)
    @inline(__always) final func renew(type: Unmanaged<TypeObject>) {
        gcBits = 0
        flags = 0
        aux8 = 0
        aux32 = 0
        typeBits = type
    }

    /// Reports every value and object this object refers to. Subclasses call super.
    func trace(_ t: inout Tracer) {
        if let ty = typeBits { t.mark(Unmanaged<Obj>.fromOpaque(ty.toOpaque())) }
    }

    /// An estimate of the object's size in bytes, for the collector's pacing and memory limit.
    var estimatedSize: Int { 48 }

    /// One step of a native awaitable (objects flagged `awaitableFlag`: `asyncio.sleep`, a future's
    /// iterator, ...): nil when resumed normally, the exception when one is thrown in. It yields
    /// what the task should wait for, or returns the `await`'s value.
    func resume(_ rt: Runtime, _ e: ExceptionObj?) throws -> ResumeResult {
        throw rt.runtimeError("'\(type.name)' object is not awaitable")
    }
}

/// A reference to an object that whoever holds the `Ref` traces (so the collector keeps the object
/// alive), held without reference counting: copying a `Ref` is copying a pointer. Native
/// structures that refer to heap objects hold them this way (docs/architecture.md).
struct Ref<T: AnyObject> {
    unowned(unsafe) let object: T
    @inline(__always) init(_ object: T) { self.object = object }
    /// Runs `body` with the object, without reference counting. (Reading `object` into a local,
    /// even an `unowned(unsafe)` one, retains and releases it around each use.)
    @inline(__always) func borrow<R>(_ body: (T) throws -> R) rethrows -> R {
        try Unmanaged.passUnretained(object)._withUnsafeGuaranteedRef(body)
    }
}

/// An array of `Ref`s that reads as an array of the objects.
struct UnownedArray<T: AnyObject>: RandomAccessCollection {
    private var refs: [Ref<T>] = []
    init() {}
    var startIndex: Int { 0 }
    var endIndex: Int { refs.count }
    subscript(i: Int) -> T { refs[i].object }
    mutating func append(_ o: T) { refs.append(Ref(o)) }
    /// Each element, unmanaged (no reference counting).
    @inline(__always) func forEachUnmanaged(_ body: (Unmanaged<T>) -> Void) {
        refs.withUnsafeBufferPointer { b in for r in b { body(Unmanaged.passUnretained(r.object)) } }
    }
    mutating func reserveCapacity(_ n: Int) { refs.reserveCapacity(n) }
}

/// The mark phase's work list: marks are set when an object is first seen and its children are
/// traced later, so deep structures never recurse on the Swift stack.
struct Tracer {
    /// Objects marked but not yet traced (unmanaged: the heap's registry keeps them alive).
    var pending: [Unmanaged<Obj>] = []
    /// The bit this traversal sets (`Obj.gcMarked`, or stress mode's `Obj.gcChecked`).
    let markBit: UInt8
    /// The bits that stop it: its own mark, and in a young collection `Obj.gcOld` too (an old
    /// object is neither traced nor freed there).
    let stopBits: UInt8

    /// A traversal of a full collection.
    init() { markBit = Obj.gcMarked; stopBits = Obj.gcMarked }
    init(markBit: UInt8, stopBits: UInt8) { self.markBit = markBit; self.stopBits = stopBits }

    /// Whether `o` survives the collection under way as things stand: marked, or old in a young
    /// collection.
    func survives(_ o: Obj) -> Bool { o.gcBits & stopBits != 0 }

    @inline(__always) mutating func mark(_ v: Value) {
        if case .object(let u) = v { mark(u) }
    }
    @inline(__always) mutating func mark(_ u: Unmanaged<Obj>) {
        let (bit, stop) = (markBit, stopBits)
        let fresh = u._withUnsafeGuaranteedRef { o -> Bool in
            if o.gcBits & stop != 0 { return false }
            o.gcBits |= bit
            // Strings, big ints and bytes refer only to their builtin type, which is a root:
            // nothing to trace, so they never enter the work list (unless they belong to a script
            // subclass, whose class and attributes are traced); nor does a builtin tuple that an
            // earlier trace found holds no object.
            if o.flags & Obj.subclassFlag != 0 { return true }
            return !(o.kind.isLeaf || o.kind == .tuple && o.flags & TupleObj.atomicFlag != 0)
        }
        if fresh { pending.append(u) }
    }
    @inline(__always) mutating func mark(_ o: Obj) { mark(Unmanaged.passUnretained(o)) }
    /// Marks an object held unmanaged (no reference counting, unlike `takeUnretainedValue()`).
    @inline(__always) mutating func mark<T: Obj>(unmanaged u: Unmanaged<T>) { mark(Unmanaged<Obj>.fromOpaque(u.toOpaque())) }
    mutating func mark(_ o: Obj?) { if let o { mark(o) } }
    mutating func mark<S: Sequence>(all values: S) where S.Element == Value {
        for v in values { mark(v) }
    }
}
