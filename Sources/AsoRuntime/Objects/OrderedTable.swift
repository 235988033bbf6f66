// The hash index shared by dicts and sets: entries in insertion order plus an open-addressing
// index over them.
//
// One idea: entries live in dense arrays (`keys`, `hashes`) in insertion order, which is also the
// iteration order; the `indices` table maps a probe position to an entry number. Deleting an entry
// leaves `.null` in `keys` (a tombstone the probe walks past); a resize compacts. Hashing and
// equality come from the runtime, since they follow Python's rules (1 == 1.0 == True) and may
// call script code, so every lookup can throw.

final class OrderedTable {
    /// Keys in insertion order; `.null` marks a deleted entry.
    @exclusivity(unchecked) var keys: [Value] = []
    /// `hashes[i]` is the hash of `keys[i]`.
    @exclusivity(unchecked) var hashes: [Int] = []
    /// Probe table: -1 empty, otherwise an index into `keys`. Its size is a power of two (or 0).
    @exclusivity(unchecked) var indices: [Int32] = []
    /// Number of live (non-deleted) entries.
    @exclusivity(unchecked) var count = 0

    enum Probe { case found(Int), missing(slot: Int) }

    /// Finds `key` (with precomputed `hash`).
    @inline(__always)
    func probe(_ key: Value, hash: Int, _ rt: Runtime) throws -> Probe {
        if indices.isEmpty { return .missing(slot: -1) }
        if let p = probeBorrowed(key, hash: hash) { return p }
        return try probeCalling(key, hash: hash, rt)
    }

    /// The probe table's slots for `hash`, in CPython's order: `visit` answers for each slot, or
    /// nil to go on. (Inlined into each caller, so a caller whose `visit` makes no calls walks
    /// borrowed arrays with no reference counting.)
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

    /// `probe` over the borrowed arrays (no reference counting), for keys whose equality runs no
    /// script code (`plainEquals`); nil when a candidate needs the runtime's `equals`, which may
    /// run `__eq__` and change this table under the borrowed pointers.
    @inline(__always)
    private func probeBorrowed(_ key: Value, hash: Int) -> Probe? {
        let outcome = indices.withUnsafeBufferPointer { ind in
            hashes.withUnsafeBufferPointer { hs in
                keys.withUnsafeBufferPointer { ks in
                    OrderedTable.probeSequence(hash, mask: ind.count - 1) { i -> Borrowed? in
                        let ix = Int(ind[i])
                        if ix < 0 { return .answer(.missing(slot: i)) }
                        let k = ks[ix]
                        guard hs[ix] == hash, !k.isNull else { return nil }
                        if k.isIdentical(to: key) { return .answer(.found(ix)) }
                        guard let same = plainEquals(k, key) else { return .undecided }
                        return same ? .answer(.found(ix)) : nil
                    }
                }
            }
        }
        if case .answer(let p) = outcome { return p }
        return nil
    }

    /// `probe` through the runtime's `equals`. A key's `__eq__` may change the table (clear it,
    /// remove the entry, make it grow): then the search starts again, as CPython's does.
    private func probeCalling(_ key: Value, hash: Int, _ rt: Runtime) throws -> Probe {
        let mask = indices.count - 1
        var changed = false
        let found = try OrderedTable.probeSequence(hash, mask: mask) { i -> Probe? in
            let ix = Int(indices[i])
            if ix < 0 { return .missing(slot: i) }
            guard hashes[ix] == hash else { return nil }
            let k = keys[ix]
            if k.isNull { return nil }
            if k.isIdentical(to: key) { return .found(ix) }
            let same = try rt.equals(k, key)
            if indices.count - 1 != mask || ix >= keys.count || !keys[ix].isIdentical(to: k) {
                changed = true
                return .missing(slot: -1)
            }
            return same ? .found(ix) : nil
        }
        return changed ? try probe(key, hash: hash, rt) : found
    }

    @inline(__always)
    func find(_ key: Value, hash: Int, _ rt: Runtime) throws -> Int? {
        if case .found(let ix) = try probe(key, hash: hash, rt) { return ix }
        return nil
    }

    /// Appends a new entry known to be absent; returns its entry index.
    func append(_ key: Value, hash: Int, slot: Int) -> Int {
        let ix = keys.count
        keys.append(key)
        hashes.append(hash)
        count += 1
        if slot >= 0 && (keys.count * 3) < indices.count * 2 {
            indices[slot] = Int32(truncatingIfNeeded: ix)
        } else {
            rebuildIndex(minimum: keys.count)
        }
        return ix
    }

    /// Marks entry `ix` deleted.
    func remove(at ix: Int) {
        keys[ix] = .null
        count -= 1
    }

    /// Whether the entry arrays hold enough tombstones to be worth compacting.
    var needsCompaction: Bool { keys.count > 16 && count * 2 < keys.count }

    /// Rebuilds the probe table for at least `minimum` entries (the entry arrays must already be compact
    /// or hold tombstones, which stay in place).
    func rebuildIndex(minimum: Int) {
        var size = 8
        while size * 2 <= minimum * 3 { size <<= 1 }
        indices = [Int32](filledWith: -1, count: size)
        let mask = size - 1
        for ix in 0..<keys.count where !keys[ix].isNull {
            let i = OrderedTable.probeSequence(hashes[ix], mask: mask) { i in indices[i] < 0 ? i : nil }
            indices[i] = Int32(truncatingIfNeeded: ix)
        }
    }

    /// Removes tombstones; `moved` is called with (from, to) for each live entry so parallel arrays follow.
    func compact(_ moved: (Int, Int) -> Void) {
        var j = 0
        for i in 0..<keys.count where !keys[i].isNull {
            if i != j { keys[j] = keys[i]; hashes[j] = hashes[i]; moved(i, j) }
            j += 1
        }
        keys.removeLast(keys.count - j)
        hashes.removeLast(hashes.count - j)
        rebuildIndex(minimum: j)
    }

    func removeAll() {
        keys = []; hashes = []; indices = []; count = 0
    }

    /// A copy with the same entries, order and tombstones.
    func copy() -> OrderedTable {
        let c = OrderedTable()
        c.keys = keys; c.hashes = hashes; c.indices = indices; c.count = count
        return c
    }
}

class DictObj: Obj {
    /// The keys and their probe index (a reference the dict never shares, so reading it needs
    /// no copy of its arrays).
    @exclusivity(unchecked) final private(set) var table = OrderedTable()
    /// `values[i]` belongs to `table.keys[i]` (meaningless for deleted entries).
    @exclusivity(unchecked) final var values: [Value] = []
    /// Bumped whenever a key is added or removed, so iterators can detect a changed size.
    @exclusivity(unchecked) final var version = 0

    init(type: __shared TypeObject) { super.init(kind: .dict, type: type) }

    final var count: Int { table.count }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        for (i, k) in table.keys.enumerated() where !k.isNull {
            t.mark(k)
            t.mark(values[i])
        }
    }
    override var estimatedSize: Int { 64 + table.keys.capacity * 40 + table.indices.capacity * 4 }

    final func get(_ key: Value, _ rt: Runtime) throws -> Value? {
        let h = try rt.hash(key)
        if let ix = try table.find(key, hash: h, rt) { return values[ix] }
        return nil
    }

    final func set(_ key: Value, _ value: Value, _ rt: Runtime) throws {
        let h = try rt.hash(key)
        try set(key, hash: h, value, rt)
    }

    final func set(_ key: Value, hash h: Int, _ value: Value, _ rt: Runtime) throws {
        switch try table.probe(key, hash: h, rt) {
        case .found(let ix): values[ix] = value
        case .missing(let slot):
            _ = table.append(key, hash: h, slot: slot)
            values.append(value)
            version &+= 1
        }
    }

    /// Removes `key`; returns its value, or nil when absent.
    final func remove(_ key: Value, _ rt: Runtime) throws -> Value? {
        let h = try rt.hash(key)
        guard let ix = try table.find(key, hash: h, rt) else { return nil }
        let v = values[ix]
        table.remove(at: ix)
        values[ix] = .null
        version &+= 1
        if table.needsCompaction { compact() }
        return v
    }

    final func compact() {
        table.compact { from, to in values[to] = values[from] }
        values.removeLast(values.count - table.keys.count)
    }

    final func removeAll() {
        table.removeAll(); values = []; version &+= 1
    }

    /// Makes this dict a copy of `other` (same entries and order).
    final func copyContents(of other: DictObj) {
        table = other.table.copy()
        values = other.values
        version &+= 1
    }

    /// Live entries in order.
    final var entries: [(key: Value, value: Value)] {
        var out: [(key: Value, value: Value)] = []
        out.reserveCapacity(count)
        for (i, k) in table.keys.enumerated() where !k.isNull { out.append((k, values[i])) }
        return out
    }
    final var liveKeys: [Value] { table.keys.filter { !$0.isNull } }
}

