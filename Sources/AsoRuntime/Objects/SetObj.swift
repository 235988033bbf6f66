// Sets and frozensets, stored exactly as CPython 3.11's setobject.c stores them.
//
// One idea: a set's iteration order is its hash-table order, which scripts see whenever they print
// a set (`{3, 1, 2}` prints `{1, 2, 3}`). To print what CPython prints, the table follows CPython's
// algorithm step for step: 8 slots to start, linear probing of 9 slots then perturbation, a resize
// when 3/5 full (to 4x the live count, or 2x above 50 000), dummies left by removal, and the same
// merge paths for copies and unions. With CPython's hash for ints, floats and tuples, sets of
// those print in CPython's order.

struct SetTable {
    /// The slots. `.null` marks an empty slot or a dummy (then `hashes[i] == -1`).
    var keys: [Value] = []
    /// The hash of each slot's key (0 for empty slots, -1 for dummies).
    var hashes: [Int] = []
    /// Live keys.
    var count = 0
    /// Live keys plus dummies.
    var fill = 0
    /// Where `popAny` starts looking (CPython's search finger): one past the last slot popped.
    var finger = 0

    static let minSize = 8
    static let linearProbes = 9

    var mask: Int { keys.count - 1 }

    private mutating func ensureAllocated() {
        if keys.isEmpty {
            keys = [Value](filledWith: .null, count: SetTable.minSize)
            hashes = [Int](filledWith: 0, count: SetTable.minSize)
        }
    }

    /// The slot holding `key`, if present.
    func find(_ key: Value, hash: Int, _ rt: Runtime) throws -> Int? {
        if keys.isEmpty { return nil }
        switch findBorrowed(key, hash: hash) {
        case .found(let slot): return slot
        case .absent: return nil
        case .undecided: return try findCalling(key, hash: hash, rt)
        }
    }

    private enum Lookup { case found(Int), absent, undecided }

    /// The slots `hash` probes, in CPython's order (a few linear steps, then a perturbed jump):
    /// `visit` answers for each slot, or nil to go on. (Inlined into each caller, so a caller whose
    /// `visit` makes no calls walks borrowed arrays with no reference counting.)
    @inline(__always)
    private static func probeSlots<R>(_ hash: Int, mask: Int, _ visit: (Int) throws -> R?) rethrows -> R {
        var perturb = UInt(bitPattern: hash)
        var i = Int(UInt(bitPattern: hash) & UInt(mask))
        while true {
            var probes = i + SetTable.linearProbes <= mask ? SetTable.linearProbes : 0
            var j = i
            while true {
                if let r = try visit(j) { return r }
                if probes == 0 { break }
                probes -= 1
                j += 1
            }
            perturb >>= 5
            i = (i &* 5 &+ 1 &+ Int(bitPattern: perturb)) & mask
        }
    }

    /// `find` over the borrowed arrays (no reference counting) for keys whose equality runs no
    /// script code (`plainEquals`); undecided when a candidate needs the runtime's `equals`.
    @inline(__always)
    private func findBorrowed(_ key: Value, hash: Int) -> Lookup {
        keys.withUnsafeBufferPointer { ks in
            hashes.withUnsafeBufferPointer { hs -> Lookup in
                SetTable.probeSlots(hash, mask: ks.count - 1) { j -> Lookup? in
                    let k = ks[j]
                    if k.isNull { return hs[j] == 0 ? .absent : nil }
                    guard hs[j] == hash else { return nil }
                    if k.isIdentical(to: key) { return .found(j) }
                    guard let same = plainEquals(k, key) else { return .undecided }
                    return same ? .found(j) : nil
                }
            }
        }
    }

    /// `find` through the runtime's `equals`. A key's `__eq__` may change the set (clear it,
    /// remove the key, make it grow): then the search starts again, as CPython's does.
    private func findCalling(_ key: Value, hash: Int, _ rt: Runtime) throws -> Int? {
        let mask = self.mask
        let found = try SetTable.probeSlots(hash, mask: mask) { j -> Lookup? in
            let k = keys[j]
            if k.isNull { return hashes[j] == 0 ? .absent : nil }
            guard hashes[j] == hash else { return nil }
            if k.isIdentical(to: key) { return .found(j) }
            let same = try rt.equals(k, key)
            if keys.count - 1 != mask || !keys[j].isIdentical(to: k) { return .undecided }
            return same ? .found(j) : nil
        }
        switch found {
        case .found(let j): return j
        case .absent: return nil
        case .undecided: return try find(key, hash: hash, rt)
        }
    }

    /// Adds `key` unless present; returns true when it was added.
    mutating func add(_ key: Value, hash: Int, _ rt: Runtime) throws -> Bool {
        try insert(key, hash: hash) { k in try k.isIdentical(to: key) || rt.equals(k, key) }
    }

    /// Adds `key`, known not to be present (`find` said so): the slot `add` would choose, without
    /// comparing keys, so no script code runs while the table is being changed.
    mutating func insertAbsent(_ key: Value, hash: Int) {
        _ = insert(key, hash: hash) { _ in false }
    }

    /// The probe of `add`: true when `key` went in, false when a key with the same hash that
    /// `isKey` accepts is there already.
    @inline(__always)
    private mutating func insert(_ key: Value, hash: Int, isKey: (Value) throws -> Bool) rethrows -> Bool {
        ensureAllocated()
        let mask = self.mask
        var perturb = UInt(bitPattern: hash)
        var i = Int(UInt(bitPattern: hash) & UInt(mask))
        var freeSlot = -1
        while true {
            var probes = i + SetTable.linearProbes <= mask ? SetTable.linearProbes : 0
            var j = i
            while true {
                let k = keys[j]
                if k.isNull && hashes[j] == 0 {
                    if freeSlot >= 0 {
                        keys[freeSlot] = key
                        hashes[freeSlot] = hash
                        count += 1
                        return true
                    }
                    keys[j] = key
                    hashes[j] = hash
                    fill += 1
                    count += 1
                    if fill * 5 >= mask * 3 { resize(count > 50000 ? count * 2 : count * 4) }
                    return true
                }
                if !k.isNull && hashes[j] == hash {
                    if try isKey(k) { return false }
                } else if k.isNull && hashes[j] == -1 {
                    // CPython's set keeps the last dummy of the probe path, not the first.
                    freeSlot = j
                }
                if probes == 0 { break }
                probes -= 1
                j += 1
            }
            perturb >>= 5
            i = (i &* 5 &+ 1 &+ Int(bitPattern: perturb)) & mask
        }
    }

    /// Removes the key in slot `j` (leaving a dummy).
    mutating func remove(at j: Int) {
        keys[j] = .null
        hashes[j] = -1
        count -= 1
    }

    /// Inserts into a table known to hold neither `key` nor dummies in its probe path.
    private mutating func insertClean(_ key: Value, hash: Int) {
        let mask = self.mask
        var perturb = UInt(bitPattern: hash)
        var i = Int(UInt(bitPattern: hash) & UInt(mask))
        while true {
            if keys[i].isNull && hashes[i] == 0 { break }
            var found = -1
            if i + SetTable.linearProbes <= mask {
                for j in (i + 1)...(i + SetTable.linearProbes) where keys[j].isNull && hashes[j] == 0 { found = j; break }
            }
            if found >= 0 { i = found; break }
            perturb >>= 5
            i = (i &* 5 &+ 1 &+ Int(bitPattern: perturb)) & mask
        }
        keys[i] = key
        hashes[i] = hash
    }

    /// CPython's set_table_resize: a new table with room for more than `minUsed` keys.
    mutating func resize(_ minUsed: Int) {
        var size = SetTable.minSize
        while size <= minUsed { size <<= 1 }
        // A small table without dummies stays as it is.
        if size == SetTable.minSize && keys.count == size && fill == count { return }
        let oldKeys = keys, oldHashes = hashes
        keys = [Value](filledWith: .null, count: size)
        hashes = [Int](filledWith: 0, count: size)
        fill = count
        for i in 0..<oldKeys.count where !oldKeys[i].isNull { insertClean(oldKeys[i], hash: oldHashes[i]) }
    }

    /// CPython's set_merge: adds every key of `other` (in its table order).
    mutating func merge(_ other: SetTable, _ rt: Runtime) throws {
        if other.count == 0 { return }
        if keys.isEmpty || (fill + other.count) * 5 >= mask * 3 {
            ensureAllocated()
            if (fill + other.count) * 5 >= mask * 3 { resize((count + other.count) * 2) }
        }
        if fill == 0 && mask == other.mask && other.fill == other.count {
            keys = other.keys
            hashes = other.hashes
            fill = other.fill
            count = other.count
            return
        }
        if fill == 0 {
            for i in 0..<other.keys.count where !other.keys[i].isNull { insertClean(other.keys[i], hash: other.hashes[i]) }
            fill = other.count
            count = other.count
            return
        }
        for i in 0..<other.keys.count where !other.keys[i].isNull { _ = try add(other.keys[i], hash: other.hashes[i], rt) }
    }

    /// Resizes ahead of adding `n` keys, as CPython does before a bulk update from a dict.
    mutating func reserve(adding n: Int) {
        if n == 0 { return }
        ensureAllocated()
        if (fill + n) * 5 >= mask * 3 { resize((count + n) * 2) }
    }

    /// Removes and returns the key `set.pop()` takes: the first live slot at or after the finger,
    /// wrapping around; nil when the set is empty.
    mutating func popAny() -> Value? {
        if count == 0 { return nil }
        let size = keys.count
        var j = finger & mask
        for _ in 0..<size {
            if !keys[j].isNull {
                let key = keys[j]
                remove(at: j)
                finger = j &+ 1
                return key
            }
            j = j == mask ? 0 : j + 1
        }
        return nil
    }

    mutating func removeAll() {
        keys = []; hashes = []; count = 0; fill = 0
    }

    /// Drops dummies (rebuilding the table); the closure is kept for signature compatibility.
    mutating func compact(_ moved: (Int, Int) -> Void) {
        if fill != count { resize(count > 50000 ? count * 2 : count * 4) }
    }
}

/// `set` and `frozenset` (kind tells which).
class SetObj: Obj {
    final var table = SetTable()

    /// Takes another table's keys, as CPython's set_swap_bodies does for in-place operators: the
    /// pop finger stays this set's own.
    final func replaceContents(with other: SetTable) {
        let finger = table.finger
        table = other
        table.finger = finger
        version &+= 1
    }
    /// Bumped when a key is added or removed, so iterators can detect a changed size.
    final var version = 0

    /// `clear()`: no keys, and the small table again.
    final func removeAll() {
        table.removeAll()
        version &+= 1
    }
    init(frozen: Bool, type: __shared TypeObject) { super.init(kind: frozen ? .frozenset : .set, type: type) }
    final var count: Int { table.count }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        for k in table.keys { t.mark(k) }
    }
    override var estimatedSize: Int { 64 + table.keys.capacity * 24 }

    final func contains(_ key: Value, _ rt: Runtime) throws -> Bool {
        try table.find(key, hash: rt.hash(key), rt) != nil
    }
    /// Adds `key`; returns false if it was already present.
    @discardableResult
    final func add(_ key: Value, _ rt: Runtime) throws -> Bool {
        let h = try rt.hash(key)
        // Keys are compared (script code may run, and the collector with it) while the table is
        // only read; it is changed afterwards, with no script code running.
        if try table.find(key, hash: h, rt) != nil { return false }
        table.insertAbsent(key, hash: h)
        version &+= 1
        return true
    }
    @discardableResult
    final func remove(_ key: Value, _ rt: Runtime) throws -> Bool {
        guard let j = try table.find(key, hash: rt.hash(key), rt) else { return false }
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
            try table.merge(other.table, rt)
        } else {
            let keys = other.table.keys, hashes = other.table.hashes
            for i in 0..<keys.count where !keys[i].isNull {
                if try table.find(keys[i], hash: hashes[i], rt) == nil { table.insertAbsent(keys[i], hash: hashes[i]) }
            }
        }
        version &+= 1
    }
    final var liveKeys: [Value] { table.keys.filter { !$0.isNull } }
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
        while let v = try next(it) { try s.add(v, self) }
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
