// Dicts: entries in insertion order plus an open-addressing index over them, in two blocks of raw
// memory that the dict owns.
//
// One idea: as CPython's, a dict's storage is a probe table of entry numbers and the entries
// themselves (hash, key, value), in insertion order, which is also the iteration order. Deleting
// an entry leaves `.null` in its key (a tombstone the probe walks past); rebuilding the probe
// table compacts. The blocks are plain memory (values are POD), so reading them costs no
// reference counting and copying a dict is a `memcpy`. The entries grow by `realloc` as they are
// added (by half again, up to what the probe table allows), apart from the probe table, so a
// dict holds little more than its entries and growing a large one moves no memory twice.
// Hashing and equality come from the runtime, since they follow Python's rules (1 == 1.0 ==
// True) and may call script code, so every lookup can throw.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One entry of a dict: the key's hash, the key (`.null` once deleted) and its value, packed in 32
/// bytes. A value is 9 bytes (an 8-byte payload and a byte for its case) padded to 16, so the two
/// values are kept as their payloads and their case bytes side by side: 26 bytes where three
/// fields took 40, and an entry is half a cache line, never straddling two.
struct DictEntry {
    var hash: Int
    private var keyPayload: UInt64
    private var valuePayload: UInt64
    private var keyCase: UInt8
    private var valueCase: UInt8

    @inline(__always) init(hash: Int, key: Value, value: Value) {
        self.hash = hash
        (keyPayload, keyCase) = DictEntry.split(key)
        (valuePayload, valueCase) = DictEntry.split(value)
    }

    var key: Value {
        @inline(__always) get { DictEntry.join(keyPayload, keyCase) }
        @inline(__always) set { (keyPayload, keyCase) = DictEntry.split(newValue) }
    }
    var value: Value {
        @inline(__always) get { DictEntry.join(valuePayload, valueCase) }
        @inline(__always) set { (valuePayload, valueCase) = DictEntry.split(newValue) }
    }

    /// A value's bytes: its payload and its case byte. (A value is a plain enum: Swift lays out
    /// an enum whose payloads have no spare bits in common as the payload, then a byte for the
    /// case; DictStorageTests round-trips every case.)
    @inline(__always) private static func split(_ v: Value) -> (UInt64, UInt8) {
        withUnsafeBytes(of: v) { ($0.load(as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt8.self)) }
    }
    /// The value of those bytes.
    @inline(__always) private static func join(_ payload: UInt64, _ tag: UInt8) -> Value {
        var v = Value.null
        withUnsafeMutableBytes(of: &v) {
            $0.storeBytes(of: payload, as: UInt64.self)
            $0.storeBytes(of: tag, toByteOffset: 8, as: UInt8.self)
        }
        return v
    }
}

class DictObj: Obj {
    /// The probe table of more than 8 slots: `indexSize` Int32s, -1 empty, otherwise an entry
    /// number; nil for a table of 8 slots (`smallIndex`) and before the first entry is added.
    @exclusivity(unchecked) private final var indexBlock: UnsafeMutablePointer<Int32>?
    /// The probe table of 8 slots, in the object: a byte per slot, 0xFF empty, otherwise an entry
    /// number (below 5). It fills the object's last word (80 bytes with or without it), and a
    /// dict of up to five keys needs no block for its table.
    @exclusivity(unchecked) private final var smallIndex: UInt64 = ~0
    /// Room for `entryCapacity` entries.
    @exclusivity(unchecked) private final var entryBlock: UnsafeMutablePointer<DictEntry>?
    /// Slots in the probe table: a power of two, at least 8 (0 without storage: then
    /// `entryBlock` is nil too).
    @exclusivity(unchecked) private final var indexSize: Int32 = 0
    /// Entries the entry block has room for (at most `capacity(indexSize)`).
    @exclusivity(unchecked) private final var entryCapacity: Int32 = 0
    /// Entries used, deleted ones included (the next entry goes at this number).
    @exclusivity(unchecked) private final var used: Int32 = 0
    /// Live (non-deleted) entries.
    @exclusivity(unchecked) private final var live: Int32 = 0
    /// While the dict is remembered: the entries before this number are as the last collection
    /// found them (only new keys came since), so a young collection traces from here.
    @exclusivity(unchecked) private final var changedFrom: Int32 = 0
    /// Bumped whenever a key is added or removed, so iterators can detect a changed size.
    @exclusivity(unchecked) final var version: Int32 = 0

    init(type: __shared TypeObject) { super.init(kind: .dict, type: type) }

    deinit {
        free(indexBlock)
        free(entryBlock)
    }

    /// The number of items (`len(d)`).
    @inline(__always) final var count: Int { Int(live) }
    /// Entry numbers in use, deleted ones included: iteration walks `0..<entryCount`.
    @inline(__always) final var entryCount: Int { Int(used) }

    /// Entries a probe table of `size` slots holds (two thirds of it, as CPython's).
    @inline(__always) private static func capacity(_ size: Int) -> Int { (size << 1) / 3 }
    /// Bytes of the two blocks.
    @inline(__always) private final var storageBytes: Int {
        (indexBlock == nil ? 0 : Int(indexSize) &* MemoryLayout<Int32>.stride) &+ Int(entryCapacity) &* MemoryLayout<DictEntry>.stride
    }

    /// The probe table as read: its block, or the 8 slots of `smallIndex`.
    private struct Slots {
        let small: UInt64
        let block: UnsafeMutablePointer<Int32>?
        /// The entry number in slot `i`, or -1.
        @inline(__always) subscript(i: Int) -> Int {
            if let b = block { return Int(b[i]) }
            return Int(Int8(truncatingIfNeeded: small &>> UInt64(truncatingIfNeeded: i &<< 3)))
        }
    }
    @inline(__always) private final var slots: Slots { Slots(small: smallIndex, block: indexBlock) }
    /// Writes entry number `ix` into slot `i` of the probe table.
    @inline(__always) private final func setSlot(_ i: Int, _ ix: Int) {
        if let b = indexBlock {
            b[i] = Int32(truncatingIfNeeded: ix)
            return
        }
        let shift = UInt64(truncatingIfNeeded: i &<< 3)
        smallIndex = (smallIndex & ~(0xFF &<< shift)) | (UInt64(UInt8(truncatingIfNeeded: ix)) &<< shift)
    }
    /// The entries (valid for `0..<entryCount`).
    @inline(__always) final var entryBase: UnsafeMutablePointer<DictEntry> { entryBlock.unsafelyUnwrapped }

    /// The key of entry `i` (0 <= i < entryCount; `.null` when deleted).
    @inline(__always) final func key(at i: Int) -> Value { entryBase[i].key }
    /// The value of entry `i` (0 <= i < entryCount).
    @inline(__always) final func value(at i: Int) -> Value { entryBase[i].value }

    /// The first live entry at or after `i`, if any.
    @inline(__always) final func nextLive(from i: Int) -> Int? {
        var j = i
        let n = Int(used)
        if j >= n { return nil }
        let e = entryBase
        while j < n && e[j].key.isNull { j &+= 1 }
        return j < n ? j : nil
    }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        let n = Int(used)
        if n == 0 { return }
        let e = entryBase
        for i in 0..<n where !e[i].key.isNull {
            t.mark(e[i].key)
            t.mark(e[i].value)
        }
    }
    override var estimatedSize: Int { 80 &+ storageBytes }

    /// The write barrier, before a reference is stored in entry `ix` or later.
    @inline(__always) private final func changedEntry(_ ix: Int32) {
        if gcBits & Obj.gcOld == 0 { return }
        if gcBits & Obj.gcRemembered == 0 {
            changedFrom = ix
            rememberWrite()
        } else if ix < changedFrom {
            changedFrom = ix
        }
    }
    override func traceRemembered(_ t: inout Tracer) -> Int {
        super.trace(&t)
        let n = Int(used)
        if n == 0 { return 80 }
        let e = entryBase
        let from = min(Int(changedFrom), n)
        for i in from..<n where !e[i].key.isNull {
            t.mark(e[i].key)
            t.mark(e[i].value)
        }
        return 80 &+ (n &- from) &* MemoryLayout<DictEntry>.stride
    }

    // MARK: Probing

    enum Probe { case found(Int), missing(slot: Int) }

    /// The probe table's slots for `hash`, in CPython's order: `visit` answers for each slot, or
    /// nil to go on. (Inlined into each caller, so a caller whose `visit` makes no calls walks
    /// the block with no reference counting.)
    @inline(__always)
    private static func probeSequence<R>(_ hash: Int, mask: Int, _ visit: (Int) throws -> R?) rethrows -> R {
        var i = hash & mask
        var perturb = UInt(bitPattern: hash)
        while true {
            if let r = try visit(i) { return r }
            perturb >>= 5
            i = (i &* 5 &+ Int(truncatingIfNeeded: perturb) &+ 1) & mask
        }
    }

    private enum Borrowed { case answer(Probe), undecided }

    /// Finds `key` (with precomputed `hash`): its entry, or the empty probe slot where it would go
    /// (-1 when the dict has no storage).
    @inline(__always)
    final func probe(_ key: Value, hash: Int, _ rt: Runtime) throws -> Probe {
        if indexSize == 0 { return .missing(slot: -1) }
        if let p = probePlain(key, hash: hash) { return p }
        return try probeCalling(key, hash: hash, rt)
    }

    /// `probe` for keys whose equality runs no script code (`plainEquals`); nil when a candidate
    /// needs the runtime's `equals`, which may run `__eq__` and change this dict.
    @inline(__always)
    private final func probePlain(_ key: Value, hash: Int) -> Probe? {
        let ind = slots, es = entryBase
        let outcome = DictObj.probeSequence(hash, mask: Int(indexSize) &- 1) { i -> Borrowed? in
            let ix = ind[i]
            if ix < 0 { return .answer(.missing(slot: i)) }
            let e = es + ix
            guard e.pointee.hash == hash else { return nil }
            let k = e.pointee.key
            if k.isNull { return nil }
            if k.isIdentical(to: key) { return .answer(.found(ix)) }
            guard let same = plainEquals(k, key) else { return .undecided }
            return same ? .answer(.found(ix)) : nil
        }
        if case .answer(let p) = outcome { return p }
        return nil
    }

    /// `probe` through the runtime's `equals`. A key's `__eq__` may change the dict (clear it,
    /// remove the entry, make it grow; each changes `version`): then the search starts again, as
    /// CPython's does.
    private final func probeCalling(_ key: Value, hash: Int, _ rt: Runtime) throws -> Probe {
        let before = version
        let mask = Int(indexSize) &- 1
        var changed = false
        let found = try DictObj.probeSequence(hash, mask: mask) { i -> Probe? in
            let ix = slots[i]
            if ix < 0 { return .missing(slot: i) }
            guard entryBase[ix].hash == hash else { return nil }
            let k = entryBase[ix].key
            if k.isNull { return nil }
            if k.isIdentical(to: key) { return .found(ix) }
            let same = try rt.equals(k, key)
            if version != before || Int(indexSize) &- 1 != mask || ix >= Int(used) || !entryBase[ix].key.isIdentical(to: k) {
                changed = true
                return .missing(slot: -1)
            }
            return same ? .found(ix) : nil
        }
        return changed ? try probe(key, hash: hash, rt) : found
    }

    /// The entry of `key` (with precomputed `hash`), if present.
    @inline(__always)
    final func find(_ key: Value, hash: Int, _ rt: Runtime) throws -> Int? {
        if case .found(let ix) = try probe(key, hash: hash, rt) { return ix }
        return nil
    }

    // MARK: Reading and writing

    final func get(_ key: Value, _ rt: Runtime) throws -> Value? {
        let h = try rt.hash(key)
        if let ix = try find(key, hash: h, rt) { return entryBase[ix].value }
        return nil
    }

    final func set(_ key: Value, _ value: Value, _ rt: Runtime) throws {
        let h = try rt.hash(key)
        try set(key, hash: h, value, rt)
    }

    final func set(_ key: Value, hash h: Int, _ value: Value, _ rt: Runtime) throws {
        switch try probe(key, hash: h, rt) {
        case .found(let ix):
            if case .object = value { changedEntry(0) }
            entryBase[ix].value = value
        case .missing(let slot): append(key, hash: h, value, slot: slot, rt)
        }
    }

    /// Adds an entry for a key known to be absent; `slot` is the empty probe slot `probe` found
    /// for it (-1: none known).
    private final func append(_ key: Value, hash: Int, _ value: Value, slot: Int, _ rt: Runtime?) {
        var slot = slot
        let before = storageBytes
        if indexSize == 0 || Int(used) >= DictObj.capacity(Int(indexSize)) {
            // CPython's growth: a probe table for three times the live entries (which compacts).
            var size = 8
            while size < Int(live) &* 3 { size <<= 1 }
            rebuildIndex(slots: size)
            slot = -1
        }
        if Int(used) >= Int(entryCapacity) {
            // Half as many again, within what the probe table allows.
            let room = min(DictObj.capacity(Int(indexSize)), max(Int(used) &+ Int(used) >> 1, 4))
            reserveEntries(max(room, Int(used) &+ 1))
        }
        rt?.heap.grew(by: storageBytes &- before, self)
        if key.isObject || value.isObject { changedEntry(used) }
        if slot < 0 { slot = emptySlot(hash) }
        let ix = Int(used)
        (entryBase + ix).initialize(to: DictEntry(hash: hash, key: key, value: value))
        setSlot(slot, ix)
        used &+= 1
        live &+= 1
        version &+= 1
    }

    /// Makes room for `n` entries in the entry block (`n >= used`).
    private final func reserveEntries(_ n: Int) {
        let stride = MemoryLayout<DictEntry>.stride
        let raw = reallocateBlock(entryBlock.map { UnsafeMutableRawPointer($0) }, n &* stride, keeping: Int(used) &* stride)
        entryBlock = raw.bindMemory(to: DictEntry.self, capacity: n)
        entryCapacity = Int32(truncatingIfNeeded: n)
    }

    /// The probe table's size for `n` entries: the smallest power of two, at least 8, that holds them.
    private static func slots(for n: Int) -> Int {
        var size = 8
        while DictObj.capacity(size) < n { size <<= 1 }
        return size
    }

    /// Compacts the entries (in order, without tombstones) and makes a new probe table of `size`
    /// slots (a power of two that holds them).
    private final func rebuildIndex(slots size: Int) {
        // (Entries move down: a young collection traces them all.)
        if gcBits & Obj.gcRemembered != 0 { changedFrom = 0 }
        var j = 0
        if let es = entryBlock {
            for i in 0..<Int(used) where !es[i].key.isNull {
                if i != j { es[j] = es[i] }
                j &+= 1
            }
        }
        free(indexBlock)
        indexBlock = nil
        smallIndex = ~0
        if size > 8 {
            let ind = reallocateBlock(nil, size &* MemoryLayout<Int32>.stride, keeping: 0)
                .bindMemory(to: Int32.self, capacity: size)
            ind.initialize(repeating: -1, count: size)
            indexBlock = ind
        }
        indexSize = Int32(truncatingIfNeeded: size)
        if let es = entryBlock {
            for ix in 0..<j { setSlot(emptySlot(es[ix].hash), ix) }
        }
        used = Int32(truncatingIfNeeded: j)
    }

    /// The first empty slot on `hash`'s probe sequence in the probe table.
    @inline(__always)
    private final func emptySlot(_ hash: Int) -> Int {
        let ind = slots
        return DictObj.probeSequence(hash, mask: Int(indexSize) &- 1) { i in ind[i] < 0 ? i : nil }
    }

    /// Removes `key`; returns its value, or nil when absent.
    final func remove(_ key: Value, _ rt: Runtime) throws -> Value? {
        let h = try rt.hash(key)
        guard let ix = try find(key, hash: h, rt) else { return nil }
        let e = entryBase + ix
        let v = e.pointee.value
        e.pointee.key = .null
        e.pointee.value = .null
        live &-= 1
        version &+= 1
        // Many tombstones: compact, so that iteration and probing do not walk them.
        if used > 16 && live &* 2 < used { compact() }
        return v
    }

    /// Removes the tombstones (entry numbers change; the order stays).
    final func compact() {
        if indexSize == 0 || live == used { return }
        rebuildIndex(slots: DictObj.slots(for: Int(live)))
    }

    /// A dead dict the heap keeps in its pool: empty, keeping its entry block when its probe
    /// table is the smallest (8 slots, in the object), so the dict it becomes adds its first keys
    /// without allocating; larger blocks are given back.
    final func emptyForPool() {
        if indexSize == 8 {
            smallIndex = ~0
            used = 0; live = 0
        } else {
            removeAll()
        }
        changedFrom = 0
        version = 0
    }
    final func removeAll() {
        free(indexBlock)
        free(entryBlock)
        indexBlock = nil
        entryBlock = nil
        smallIndex = ~0
        indexSize = 0; entryCapacity = 0; used = 0; live = 0
        version &+= 1
    }

    /// Makes this dict a copy of `other` (same entries and order; its tombstones dropped).
    final func copyContents(of other: DictObj, _ rt: Runtime) {
        let before = storageBytes
        removeAll()
        changedEntry(0)
        defer { rt.heap.grew(by: storageBytes &- before, self) }
        guard other.indexSize > 0, let fromEntries = other.entryBlock else { return }
        let n = Int(other.live)
        reserveEntries(max(n, 1))
        if other.live != other.used {
            // (Entry by entry, which leaves the tombstones out.)
            var j = 0
            for i in 0..<Int(other.used) where !fromEntries[i].key.isNull {
                (entryBase + j).initialize(to: fromEntries[i])
                j &+= 1
            }
            used = Int32(truncatingIfNeeded: j)
            live = used
            rebuildIndex(slots: DictObj.slots(for: j))
            return
        }
        entryBase.initialize(from: fromEntries, count: n)
        if let fromIndex = other.indexBlock {
            let size = Int(other.indexSize)
            let ind = reallocateBlock(nil, size &* MemoryLayout<Int32>.stride, keeping: 0)
                .bindMemory(to: Int32.self, capacity: size)
            ind.initialize(from: fromIndex, count: size)
            indexBlock = ind
        }
        smallIndex = other.smallIndex
        indexSize = other.indexSize
        used = other.used
        live = other.live
    }

    /// The last live entry, if any (`popitem`).
    final var lastLive: Int? {
        var i = Int(used) &- 1
        while i >= 0 && entryBase[i].key.isNull { i &-= 1 }
        return i >= 0 ? i : nil
    }

    /// Live entries in order.
    final var entries: [(key: Value, value: Value)] {
        var out: [(key: Value, value: Value)] = []
        out.reserveCapacity(count)
        for i in 0..<Int(used) where !entryBase[i].key.isNull { out.append((entryBase[i].key, entryBase[i].value)) }
        return out
    }
    final var liveKeys: [Value] {
        var out: [Value] = []
        out.reserveCapacity(count)
        for i in 0..<Int(used) where !entryBase[i].key.isNull { out.append(entryBase[i].key) }
        return out
    }
}
