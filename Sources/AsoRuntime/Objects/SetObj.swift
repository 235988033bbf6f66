// Sets and frozensets, stored exactly as CPython 3.11's setobject.c stores them.
//
// One idea: a set's iteration order is its hash-table order, which scripts see whenever they print
// a set (`{3, 1, 2}` prints `{1, 2, 3}`). To print what CPython prints, the table follows CPython's
// algorithm step for step: 8 slots to start, linear probing of 9 slots then perturbation, a resize
// when 3/5 full (to 4x the live count, or 2x above 50 000), dummies left by removal, and the same
// merge paths for copies and unions. With CPython's hash for ints, floats and tuples, sets of
// those print in CPython's order.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One slot of a set's table, as CPython's `setentry`: the key's hash and the key. An empty slot
/// holds `.null` with hash 0; a dummy (a removed key) `.null` with hash -1.
struct SetEntry {
    var hash: Int
    var key: Value
}

/// A set's hash table, in one block of raw memory the set owns (values are POD, so reading and
/// moving slots costs no reference counting). Noncopyable: `copy()` makes a second table. Its
/// methods never run script code; what compares keys with `__eq__` is `SetObj`'s, which reads the
/// table again after each comparison.
struct SetTable: ~Copyable {
    /// `size` slots; nil until the first key goes in.
    private var block: UnsafeMutablePointer<SetEntry>?
    /// Slots: a power of two, at least 8 (0 before the first key).
    private(set) var size = 0
    /// Live keys.
    var count = 0
    /// Live keys plus dummies.
    var fill = 0
    /// Where `popAny` starts looking (CPython's search finger): one past the last slot popped.
    var finger = 0

    static let minSize = 8
    static let linearProbes = 9

    init() {}
    deinit { free(block) }

    /// A table with the same slots (CPython's set_copy shape, a `memcpy`).
    func copy() -> SetTable {
        var t = SetTable()
        if let b = block {
            let n = SetTable.allocate(size)
            n.update(from: b, count: size)
            t.block = n
            t.size = size
        }
        t.count = count
        t.fill = fill
        return t
    }

    @inline(__always) var mask: Int { size &- 1 }
    /// The key in slot `j` (`.null` when empty or a dummy); 0 <= j < size.
    @inline(__always) func key(at j: Int) -> Value { block.unsafelyUnwrapped[j].key }
    @inline(__always) func hash(at j: Int) -> Int { block.unsafelyUnwrapped[j].hash }
    /// The first slot at or after `i` that holds a key.
    @inline(__always) func nextLive(from i: Int) -> Int? {
        guard let b = block else { return nil }
        var j = i
        while j < size { if !b[j].key.isNull { return j }; j &+= 1 }
        return nil
    }
    /// Every key, in table order.
    var liveKeys: [Value] {
        var out: [Value] = []
        out.reserveCapacity(count)
        forEachLive { _, k in out.append(k) }
        return out
    }
    @inline(__always) func forEachLive(_ body: (Int, Value) throws -> Void) rethrows {
        guard let b = block else { return }
        for j in 0..<size where !b[j].key.isNull { try body(b[j].hash, b[j].key) }
    }

    private static func allocate(_ n: Int) -> UnsafeMutablePointer<SetEntry> {
        reallocateBlock(nil, n &* MemoryLayout<SetEntry>.stride, keeping: 0).assumingMemoryBound(to: SetEntry.self)
    }
    /// A block of `n` empty slots.
    private static func emptySlots(_ n: Int) -> UnsafeMutablePointer<SetEntry> {
        let b = allocate(n)
        b.initialize(repeating: SetEntry(hash: 0, key: .null), count: n)
        return b
    }

    private mutating func ensureAllocated() {
        if block == nil {
            block = SetTable.emptySlots(SetTable.minSize)
            size = SetTable.minSize
        }
    }

    enum Lookup { case found(Int), absent, undecided }

    /// The slots `hash` probes, in CPython's order (a few linear steps, then a perturbed jump):
    /// `visit` answers for each slot, or nil to go on.
    @inline(__always)
    static func probeSlots<R>(_ hash: Int, mask: Int, _ visit: (Int) throws -> R?) rethrows -> R {
        var perturb = UInt(bitPattern: hash)
        var i = Int(UInt(bitPattern: hash) & UInt(mask))
        while true {
            var probes = i &+ SetTable.linearProbes <= mask ? SetTable.linearProbes : 0
            var j = i
            while true {
                if let r = try visit(j) { return r }
                if probes == 0 { break }
                probes &-= 1
                j &+= 1
            }
            perturb >>= 5
            i = (i &* 5 &+ 1 &+ Int(bitPattern: perturb)) & mask
        }
    }

    /// The slot of `key` for keys whose equality runs no script code (`plainEquals`); undecided
    /// when a candidate needs the runtime's `equals`.
    @inline(__always)
    func findPlain(_ key: Value, hash: Int) -> Lookup {
        guard let b = block else { return .absent }
        return SetTable.probeSlots(hash, mask: mask) { j -> Lookup? in
            let e = b[j]
            if e.key.isNull { return e.hash == 0 ? .absent : nil }
            guard e.hash == hash else { return nil }
            if e.key.isIdentical(to: key) { return .found(j) }
            guard let same = plainEquals(e.key, key) else { return .undecided }
            return same ? .found(j) : nil
        }
    }

    /// Adds `key`, known not to be present (a lookup said so): the slot CPython's set_add_entry
    /// would choose (the last dummy of the probe path, else the empty slot that ends it).
    mutating func insertAbsent(_ key: Value, hash: Int) {
        ensureAllocated()
        let b = block.unsafelyUnwrapped
        var freeSlot = -1
        let empty = SetTable.probeSlots(hash, mask: mask) { j -> Int? in
            let e = b[j]
            if e.key.isNull {
                if e.hash == 0 { return j }
                freeSlot = j
            }
            return nil
        }
        if freeSlot >= 0 {
            b[freeSlot] = SetEntry(hash: hash, key: key)
            count &+= 1
            return
        }
        b[empty] = SetEntry(hash: hash, key: key)
        fill &+= 1
        count &+= 1
        if fill &* 5 >= mask &* 3 { resize(count > 50000 ? count &* 2 : count &* 4) }
    }

    /// Removes the key in slot `j` (leaving a dummy).
    mutating func remove(at j: Int) {
        block.unsafelyUnwrapped[j] = SetEntry(hash: -1, key: .null)
        count &-= 1
    }

    /// Inserts into a table known to hold neither `key` nor dummies in its probe path.
    private static func insertClean(_ b: UnsafeMutablePointer<SetEntry>, mask: Int, _ key: Value, hash: Int) {
        var perturb = UInt(bitPattern: hash)
        var i = Int(UInt(bitPattern: hash) & UInt(mask))
        while true {
            if b[i].key.isNull && b[i].hash == 0 { break }
            var found = -1
            if i &+ SetTable.linearProbes <= mask {
                var j = i &+ 1
                while j <= i &+ SetTable.linearProbes {
                    if b[j].key.isNull && b[j].hash == 0 { found = j; break }
                    j &+= 1
                }
            }
            if found >= 0 { i = found; break }
            perturb >>= 5
            i = (i &* 5 &+ 1 &+ Int(bitPattern: perturb)) & mask
        }
        b[i] = SetEntry(hash: hash, key: key)
    }

    /// CPython's set_table_resize: a new table with room for more than `minUsed` keys.
    mutating func resize(_ minUsed: Int) {
        var n = SetTable.minSize
        while n <= minUsed { n <<= 1 }
        // A small table without dummies stays as it is.
        if n == SetTable.minSize && size == n && fill == count { return }
        let old = block, oldSize = size
        let b = SetTable.emptySlots(n)
        block = b
        size = n
        fill = count
        if let old {
            for i in 0..<oldSize where !old[i].key.isNull { SetTable.insertClean(b, mask: n &- 1, old[i].key, hash: old[i].hash) }
            free(old)
        }
    }

    /// CPython's set_merge into a table with no keys and no dummies: every key of `other`, in its
    /// table order, with no comparisons.
    mutating func mergeIntoEmpty(_ other: borrowing SetTable) {
        guard other.count > 0, let ob = other.block else { return }
        if (fill &+ other.count) &* 5 >= mask &* 3 || block == nil {
            ensureAllocated()
            if (fill &+ other.count) &* 5 >= mask &* 3 { resize((count &+ other.count) &* 2) }
        }
        if size == other.size && other.fill == other.count {
            block.unsafelyUnwrapped.update(from: ob, count: size)
        } else {
            let b = block.unsafelyUnwrapped
            for i in 0..<other.size where !ob[i].key.isNull { SetTable.insertClean(b, mask: mask, ob[i].key, hash: ob[i].hash) }
        }
        fill = other.count
        count = other.count
    }

    /// Resizes ahead of adding `n` keys, as CPython does before a bulk update from a dict.
    mutating func reserve(adding n: Int) {
        if n == 0 { return }
        ensureAllocated()
        if (fill &+ n) &* 5 >= mask &* 3 { resize((count &+ n) &* 2) }
    }

    /// Removes and returns the key `set.pop()` takes: the first live slot at or after the finger,
    /// wrapping around; nil when the set is empty.
    mutating func popAny() -> Value? {
        guard count > 0, let b = block else { return nil }
        var j = finger & mask
        for _ in 0..<size {
            if !b[j].key.isNull {
                let key = b[j].key
                remove(at: j)
                finger = j &+ 1
                return key
            }
            j = j == mask ? 0 : j &+ 1
        }
        return nil
    }

    mutating func removeAll() {
        free(block)
        block = nil
        size = 0; count = 0; fill = 0
    }

    /// Marks every key for the collector.
    func trace(_ t: inout Tracer) {
        forEachLive { _, k in t.mark(k) }
    }
}

/// `set` and `frozenset` (kind tells which).
class SetObj: Obj {
    /// The keys. Every change goes through `_modify`, which runs the write barrier.
    final var table: SetTable {
        @inline(__always) _read { yield storedTable }
        @inline(__always) _modify { writeBarrier(); yield &storedTable }
    }
    @exclusivity(unchecked) private final var storedTable = SetTable()

    /// Takes the table of `other` (a set made for the purpose, left empty), as CPython's
    /// set_swap_bodies does for in-place operators: the pop finger stays this set's own.
    final func replaceContents(takingFrom other: SetObj) {
        let finger = table.finger
        swap(&table, &other.table)
        other.removeAll()
        table.finger = finger
        version &+= 1
    }
    /// Bumped when a key is added or removed, so iterators can detect a changed size.
    @exclusivity(unchecked) final var version = 0

    /// `clear()`: no keys, and the small table again.
    final func removeAll() {
        table.removeAll()
        version &+= 1
    }
    init(frozen: Bool, type: __shared TypeObject) { super.init(kind: frozen ? .frozenset : .set, type: type) }
    /// A dead set the heap keeps in its pool gives its table back.
    final func emptyForPool() {
        storedTable = SetTable()
        version = 0
    }
    final var count: Int { table.count }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        storedTable.trace(&t)
    }
    override var estimatedSize: Int { 64 &+ table.size &* MemoryLayout<SetEntry>.stride }

    /// The slot holding `key`, if present. A key's `__eq__` may change the set (clear it, remove
    /// the key, make it grow): the table is read again after each comparison, and the search
    /// starts again when it changed, as CPython's does.
    final func find(_ key: Value, hash: Int, _ rt: Runtime) throws -> Int? {
        switch table.findPlain(key, hash: hash) {
        case .found(let j): return j
        case .absent: return nil
        case .undecided: break
        }
        let mask = table.mask
        let found = try SetTable.probeSlots(hash, mask: mask) { j -> SetTable.Lookup? in
            if table.mask != mask { return .undecided }
            let k = table.key(at: j)
            if k.isNull { return table.hash(at: j) == 0 ? .absent : nil }
            guard table.hash(at: j) == hash else { return nil }
            if k.isIdentical(to: key) { return .found(j) }
            let same = try rt.equals(k, key)
            if table.mask != mask || !table.key(at: j).isIdentical(to: k) { return .undecided }
            return same ? .found(j) : nil
        }
        switch found {
        case .found(let j): return j
        case .absent: return nil
        case .undecided: return try find(key, hash: hash, rt)
        }
    }

    final func contains(_ key: Value, _ rt: Runtime) throws -> Bool {
        try find(key, hash: rt.hash(key), rt) != nil
    }
    /// Adds `key`; returns false if it was already present.
    @discardableResult
    final func add(_ key: Value, _ rt: Runtime) throws -> Bool {
        try add(key, hash: rt.hash(key), rt)
    }
    /// Adds `key` of hash `h`; returns false if it was already present. Keys are compared (script
    /// code may run, and the collector with it) while the table is only read; it is changed
    /// afterwards, with no script code running.
    @discardableResult
    final func add(_ key: Value, hash h: Int, _ rt: Runtime) throws -> Bool {
        if try find(key, hash: h, rt) != nil { return false }
        table.insertAbsent(key, hash: h)
        version &+= 1
        return true
    }
    @discardableResult
    final func remove(_ key: Value, _ rt: Runtime) throws -> Bool {
        guard let j = try find(key, hash: rt.hash(key), rt) else { return false }
        table.remove(at: j)
        version &+= 1
        return true
    }
    /// Adds every key of another set, as CPython's set_merge does.
    final func merge(_ other: SetObj, _ rt: Runtime) throws {
        if other === self || other.table.count == 0 { return }
        // One resize first; a table left without keys or dummies then takes the other's slots
        // with no key comparisons.
        table.reserve(adding: other.table.count)
        if table.fill == 0 {
            table.mergeIntoEmpty(other.table)
        } else {
            // (Keys copied out first: comparing may run script code that changes `other`.)
            // They stay rooted while compared.
            var pairs: [(Int, Value)] = []
            pairs.reserveCapacity(other.table.count)
            other.table.forEachLive { h, k in pairs.append((h, k)) }
            let rootBase = rt.tempRoots.count
            defer { rt.tempRoots.removeLast(rt.tempRoots.count - rootBase) }
            for (_, k) in pairs { rt.tempRoots.append(k) }
            for (h, k) in pairs where try find(k, hash: h, rt) == nil { table.insertAbsent(k, hash: h) }
        }
        version &+= 1
    }
    final var liveKeys: [Value] { table.liveKeys }
}

extension Runtime {
    /// CPython's set_update_internal: sets merge table to table, dicts add their keys after one
    /// resize, other iterables add one by one.
    func setUpdate(_ s: SetObj, from other: Value) throws {
        if let o = other.asSet { return try s.merge(o, self) }
        if let d = other.asDict {
            s.table.reserve(adding: d.count)
            for k in d.liveKeys { try s.add(k, self) }
            return
        }
        let it = try iterate(other)
        tempRoots.append(it)
        defer { tempRoots.removeLast() }
        // While the set holds only numbers, None and exact strings, adding one of those runs no
        // script code (no `__hash__` or `__eq__` of a script object): it is added where the
        // value comes from (see forEachValue).
        var plain = s.count == 0
        try forEachValue(it, take: { v in
            guard plain, isPlainKey(v) else { return false }
            return (try? s.add(v, self)) != nil
        }) { v in
            if !isPlainKey(v) { plain = false }
            try s.add(v, self)
            return true
        }
    }

    /// A number, None or an exact string: hashed and compared without script code.
    @inline(__always) func isPlainKey(_ v: Value) -> Bool {
        switch v {
        case .int, .float, .bool, .none: return true
        case .object(let u): return u._withUnsafeGuaranteedRef { $0.kind == .str && !$0.isNativeSubclass }
        default: return false
        }
    }

    /// A new set (or frozenset) holding a copy of `s`, made as CPython's set_copy makes it.
    func copySet(_ s: SetObj, frozen: Bool) throws -> SetObj {
        let r = newSet(frozen: frozen)
        try r.merge(s, self)
        return r
    }

    /// `a & b`: walks the smaller set, in its table order (CPython's set_intersection).
    func setIntersection(_ a: SetObj, _ b: SetObj, frozen: Bool) throws -> SetObj {
        if a === b { return try copySet(a, frozen: frozen) }
        let r = newSet(frozen: frozen)
        let (small, large) = b.count > a.count ? (a, b) : (b, a)
        for k in small.liveKeys where try large.contains(k, self) { try r.add(k, self) }
        return r
    }

    /// `s.intersection(other)` for any iterable: a set goes the way of `&`; another iterable's
    /// items found in `s` are added in its order (its objects, not `s`'s), until all of `s` is found.
    func setIntersection(_ s: SetObj, with other: Value, frozen: Bool) throws -> SetObj {
        if let o = other.asSet { return try setIntersection(s, o, frozen: frozen) }
        let r = newSet(frozen: frozen)
        tempRoots.append(Value(r))
        defer { tempRoots.removeLast() }
        let it = try iterate(other)
        tempRoots.append(it)
        defer { tempRoots.removeLast() }
        while let v = try next(it) {
            if try s.contains(v, self) {
                try r.add(v, self)
                if r.count >= s.count { break }
            }
        }
        return r
    }

    /// `s - other` (CPython's set_difference): a copy of `s` less `other` when `other` is small or
    /// not a set or dict, else the keys of `s` not in `other`, added to a new set in table order.
    func setDifference(_ s: SetObj, _ other: Value, frozen: Bool) throws -> SetObj {
        let otherSize: Int
        if let o = other.asSet { otherSize = o.count } else if let d = other.asDict { otherSize = d.count } else { otherSize = -1 }
        if otherSize < 0 || (s.count >> 2) > otherSize {
            let r = try copySet(s, frozen: frozen)
            tempRoots.append(Value(r))
            defer { tempRoots.removeLast() }
            try setDifferenceUpdate(r, other)
            return r
        }
        let r = newSet(frozen: frozen)
        if let d = other.asDict {
            for k in s.liveKeys where try d.find(k, hash: hash(k), self) == nil { try r.add(k, self) }
        } else if let o = other.asSet {
            for k in s.liveKeys where !(try o.contains(k, self)) { try r.add(k, self) }
        }
        return r
    }

    /// `s -= other`, `s.difference_update(other)` (CPython's set_difference_update_internal):
    /// discards `other`'s keys (a set more than 8 times larger is first cut down to the common
    /// keys), then rebuilds the table when more than a quarter of it is dummies.
    func setDifferenceUpdate(_ s: SetObj, _ other: Value) throws {
        if let o = other.asSet {
            if o === s { return s.removeAll() }
            let source = (o.count >> 3) > s.count ? try setIntersection(s, o, frozen: false) : o
            for k in source.liveKeys { try s.remove(k, self) }
        } else {
            let it = try iterate(other)
            tempRoots.append(it)
            defer { tempRoots.removeLast() }
            while let v = try next(it) { try s.remove(v, self) }
        }
        if s.table.fill - s.table.count > s.table.mask / 4 {
            s.table.resize(s.count > 50000 ? s.count * 2 : s.count * 4)
            s.version &+= 1
        }
    }

    /// `a ^ b`: a copy of `b`, then each key of `a` toggled in it.
    func setSymmetricDifference(_ a: SetObj, _ b: SetObj, frozen: Bool) throws -> SetObj {
        let r = newSet(frozen: frozen)
        try r.merge(b, self)
        try toggle(a.liveKeys, in: r)
        return r
    }

    /// Removes from `target` each of `keys` it holds and adds the others, in order (the loop of
    /// CPython's set_symmetric_difference_update).
    func toggle(_ keys: [Value], in target: SetObj) throws {
        for k in keys where try !target.remove(k, self) { try target.add(k, self) }
    }
}
