// Stable sorting with Python's rules, shared by `sorted()` and `list.sort()`.
//
// The algorithm is CPython's timsort, step for step: natural runs (descending ones reversed),
// short runs extended to `minrun` by binary insertion, the powersort merge order, and merges that
// gallop once one side keeps winning. Following it exactly means the same `<` calls in the same
// order, so a logging `__lt__` sees what it sees under CPython, and inconsistent orders (NaNs,
// a `__lt__` that lies) give CPython's result. A comparison that raises leaves every item in the
// list, in the order the sort had reached, as CPython does. `reverse` keeps stability by
// reversing, sorting, and reversing back.

extension Runtime {
    /// Sorts `items` in place, stably; `key` (if not None) is called once per item, before any
    /// comparison. When a comparison raises, `items` holds the partly sorted items. The items and
    /// keys are marked by every collection while the sort runs (a key function and `__lt__` may
    /// run script code, which may collect), wherever they are: in `items`, in the (key, item)
    /// pairs, in the sorter's merge buffer. So the caller roots nothing, and an array moved out
    /// of a list can be sorted while the list is empty.
    func sortValues(_ items: inout [Value], key: Value, reverse: Bool) throws {
        if items.count < 2 { return }
        if key.isNone, let ints = allInts(items) {
            // Equal ints cannot be told apart and comparing them runs no code, so any correct
            // sort gives the same list.
            items = (reverse ? ints.sorted(by: >) : ints.sorted()).map { .int($0) }
            return
        }
        if key.isNone {
            if reverse { items.reverse() }
            defer { if reverse { items.reverse() } }
            switch orderKind(items) {
            case .int: try timSort(&items, IntOrder())
            case .float: try timSort(&items, FloatOrder())
            case .str: try timSort(&items, StrOrder())
            case .rich: try timSort(&items, RichOrder(runtime: Unmanaged.passUnretained(self)))
            }
            return
        }
        // The items stay in `items` and the keys go to `pairs` as they are made, each array marked
        // by collections while the key function runs (it may run script code that collects).
        var pairs: [KeyedValue] = []
        pairs.reserveCapacity(items.count)
        try whileMarking(&items) { items in
            try whileMarking(&pairs) { pairs in
                for v in items.pointee { pairs.pointee.append(KeyedValue(key: try call(key, one: v), item: v)) }
            }
        }
        if reverse { pairs.reverse() }
        defer {
            items.reserveCapacity(pairs.count)
            for p in pairs { items.append(p.item) }
            if reverse { items.reverse() }
        }
        // (The items are in the pairs now: their array is given back while the pairs are sorted,
        // and filled again from them.)
        items = []
        switch orderKind(pairs.lazy.map { $0.key }) {
        case .int: try timSort(&pairs, KeyOrder(IntOrder()))
        case .float: try timSort(&pairs, KeyOrder(FloatOrder()))
        case .str: try timSort(&pairs, KeyOrder(StrOrder()))
        case .rich: try timSort(&pairs, KeyOrder(RichOrder(runtime: Unmanaged.passUnretained(self))))
        }
    }

    /// Runs `body` with the array variable `array` (which it reaches through the pointer it is
    /// given) marked by every collection that happens meanwhile: what the array holds then, as it
    /// grows, shrinks or moves.
    func whileMarking<Item: SortItem, R>(_ array: inout [Item],
                                         _ body: (UnsafeMutablePointer<[Item]>) throws -> R) rethrows -> R {
        try withUnsafeMutablePointer(to: &array) { p in
            try whileMarking({ t in Item.mark(p.pointee, &t) }) { try body(p) }
        }
    }

    /// Runs `body` with `marks` called by every collection that happens meanwhile.
    private func whileMarking<R>(_ marks: @escaping (inout Tracer) -> Void, _ body: () throws -> R) rethrows -> R {
        localArrayRoots.append(marks)
        defer { localArrayRoots.removeLast() }
        return try body()
    }

    /// `items` sorted in place by `order` (partly sorted when a comparison raises). The sorter's
    /// arrays are marked by collections (a comparison may run script code): an item being merged
    /// may be in its merge buffer only.
    private func timSort<O: SortOrder>(_ items: inout [O.Item], _ order: O) throws {
        // (The items are moved in and out, not copied: the sorter owns their array alone.)
        var sorter = TimSort([], order: order)
        swap(&sorter.a, &items)
        defer { swap(&sorter.a, &items) }
        try withUnsafeMutablePointer(to: &sorter) { p in
            try whileMarking({ t in
                O.Item.mark(p.pointee.a, &t)
                O.Item.mark(p.pointee.tmp, &t)
            }) { try p.pointee.sort() }
        }
    }

    private enum OrderKind { case int, float, str, rich }

    /// Which `<` the sort uses for `keys`: a direct one when every key is an int, every key a
    /// float, or every key a str of the builtin type (CPython's pre-sort type check does the
    /// same; a subclass may define `__lt__`), else the full rich comparison.
    private func orderKind<S: Sequence>(_ keys: S) -> OrderKind where S.Element == Value {
        var kind: OrderKind? = nil
        for k in keys {
            let this: OrderKind
            switch k {
            case .int: this = .int
            case .float: this = .float
            default:
                guard k.withStr({ $0.flags & Obj.subclassFlag == 0 }) == true else { return .rich }
                this = .str
            }
            if kind == nil { kind = this } else if kind != this { return .rich }
        }
        return kind ?? .rich
    }

    /// The plain ints of `items`, or nil when any item is something else.
    private func allInts(_ items: [Value]) -> [Int]? {
        var out: [Int] = []
        out.reserveCapacity(items.count)
        for v in items {
            guard case .int(let i) = v else { return nil }
            out.append(i)
        }
        return out
    }
}

/// A sort's `<` (which may throw). Each kind of order is its own type, so the sort is compiled
/// once per order with the comparison inlined (no closure call per comparison).
protocol SortOrder {
    associatedtype Item: SortItem
    func less(_ a: Item, _ b: Item) throws -> Bool
}

/// What a sort moves: values, or items with their keys. A collection marks the arrays of a sort
/// in progress through `mark`.
protocol SortItem {
    static func mark(_ items: [Self], _ t: inout Tracer)
}

extension Value: SortItem {
    static func mark(_ items: [Value], _ t: inout Tracer) { t.mark(all: items) }
}

/// An item and its key (`sorted(key=)`).
struct KeyedValue: SortItem {
    var key: Value
    var item: Value

    static func mark(_ items: [KeyedValue], _ t: inout Tracer) {
        for p in items {
            t.mark(p.key)
            t.mark(p.item)
        }
    }
}

/// Plain ints.
struct IntOrder: SortOrder {
    @inline(__always) func less(_ a: Value, _ b: Value) -> Bool {
        if case .int(let x) = a, case .int(let y) = b { return x < y }
        return false
    }
}

/// Plain floats.
struct FloatOrder: SortOrder {
    @inline(__always) func less(_ a: Value, _ b: Value) -> Bool {
        if case .float(let x) = a, case .float(let y) = b { return x < y }
        return false
    }
}

/// Strings of the builtin type, by code points.
struct StrOrder: SortOrder {
    @inline(__always) func less(_ a: Value, _ b: Value) -> Bool { (plainStrOrder(a, b) ?? 0) < 0 }
}

/// Python's `<` (which may run `__lt__`). The runtime outlives the sort; held unmanaged, so a
/// comparison does no reference counting.
struct RichOrder: SortOrder {
    let runtime: Unmanaged<Runtime>
    func less(_ a: Value, _ b: Value) throws -> Bool { try runtime._withUnsafeGuaranteedRef { try $0.lessThan(a, b) } }
}

/// (key, item) pairs by their keys.
struct KeyOrder<Base: SortOrder>: SortOrder where Base.Item == Value {
    let base: Base
    init(_ base: Base) { self.base = base }
    @inline(__always) func less(_ a: KeyedValue, _ b: KeyedValue) throws -> Bool { try base.less(a.key, b.key) }
}

/// CPython's timsort (Objects/listsort.txt) over an array, with a `<` that may throw.
struct TimSort<Order: SortOrder> {
    typealias T = Order.Item
    var a: [T]
    /// (Called as `order.less`, never through a method of the sorter: from a mutating method that
    /// would copy the sorter, retaining its arrays, at every comparison.)
    let order: Order
    /// The merge buffer. (Not private: a collection during a sort marks it.)
    var tmp: [T] = []
    private var minGallop = TimSort.minGallopStart
    /// Pending runs: start, length, and powersort power.
    private var runs: [(base: Int, len: Int, power: Int)] = []
    private static var minGallopStart: Int { 7 }

    init(_ a: [T], order: Order) {
        self.a = a
        self.order = order
    }

    mutating func sort() throws {
        let n = a.count
        if n < 2 { return }
        let minrun = Self.minrun(n)
        if n < 64 {
            // One run, extended to the whole array by binary insertion: nothing to merge (as
            // CPython, whose minrun is then the length itself).
            let (len, descending) = try countRun(0, n)
            if descending { a[0..<len].reverse() }
            if len < n { try binarySort(0, n, len) }
            return
        }
        var lo = 0, remaining = n
        while remaining > 0 {
            var (len, descending) = try countRun(lo, lo + remaining)
            if descending { a[lo..<(lo + len)].reverse() }
            if len < minrun {
                let force = remaining <= minrun ? remaining : minrun
                try binarySort(lo, lo + force, lo + len)
                len = force
            }
            try foundNewRun(len)
            runs.append((lo, len, 0))
            lo += len
            remaining -= len
        }
        while runs.count > 1 {
            var i = runs.count - 2
            if i > 0 && runs[i - 1].len < runs[i + 1].len { i -= 1 }
            try mergeAt(i)
        }
    }

    private static func minrun(_ count: Int) -> Int {
        var n = count, r = 0
        while n >= 64 { r |= n & 1; n >>= 1 }
        return n + r
    }

    /// The length of the run starting at `lo` (at least 2 when two items remain), and whether it
    /// is strictly descending.
    private func countRun(_ lo: Int, _ hi: Int) throws -> (Int, Bool) {
        var i = lo + 1
        if i == hi { return (1, false) }
        var n = 2
        if try order.less(a[i], a[i - 1]) {
            i += 1
            while i < hi {
                if try !order.less(a[i], a[i - 1]) { break }
                i += 1; n += 1
            }
            return (n, true)
        }
        i += 1
        while i < hi {
            if try order.less(a[i], a[i - 1]) { break }
            i += 1; n += 1
        }
        return (n, false)
    }

    /// Sorts `a[lo..<hi]` by binary insertion, `a[lo..<start]` being sorted already.
    private mutating func binarySort(_ lo: Int, _ hi: Int, _ startAt: Int) throws {
        var start = startAt == lo ? startAt + 1 : startAt
        while start < hi {
            var l = lo, r = start
            let pivot = a[r]
            repeat {
                let p = l + ((r - l) >> 1)
                if try order.less(pivot, a[p]) { r = p } else { l = p + 1 }
            } while l < r
            var p = start
            while p > l { a[p] = a[p - 1]; p -= 1 }
            a[l] = pivot
            start += 1
        }
    }

    /// Powersort: merges pending runs whose power exceeds the new boundary's.
    private mutating func foundNewRun(_ n2: Int) throws {
        guard let last = runs.last else { return }
        let power = Self.power(last.base, last.len, n2, a.count)
        while runs.count > 1 && runs[runs.count - 2].power > power {
            try mergeAt(runs.count - 2)
        }
        runs[runs.count - 1].power = power
    }

    private static func power(_ s1: Int, _ n1: Int, _ n2: Int, _ n: Int) -> Int {
        var result = 0
        var a = 2 * s1 + n1, b = a + n1 + n2
        while true {
            result += 1
            if a >= n { a -= n; b -= n } else if b >= n { break }
            a <<= 1
            b <<= 1
        }
        return result
    }

    /// Merges pending runs `i` and `i + 1`.
    private mutating func mergeAt(_ i: Int) throws {
        let baseA = runs[i].base, lenA = runs[i].len
        let baseB = runs[i + 1].base, lenB = runs[i + 1].len
        runs[i].len = lenA + lenB
        if i == runs.count - 3 { runs[i + 1] = runs[i + 2] }
        runs.removeLast()
        // Items of A already in place, and of B past A's end, need no merging.
        let k = try gallopRight(a[baseB], a, baseA, lenA, 0)
        let pa = baseA + k, na = lenA - k
        if na == 0 { return }
        let nb = try gallopLeft(a[pa + na - 1], a, baseB, lenB, lenB - 1)
        if nb <= 0 { return }
        if na <= nb { try mergeLo(pa, na, baseB, nb) } else { try mergeHi(pa, na, baseB, nb) }
    }

    /// Where `key` goes in the sorted `arr[base..<base+n]`, left of equal items, searching from `hint`.
    private func gallopLeft(_ key: T, _ arr: [T], _ base: Int, _ n: Int, _ hint: Int) throws -> Int {
        var lastofs = 0, ofs = 1
        if try order.less(arr[base + hint], key) {
            let maxofs = n - hint
            while ofs < maxofs {
                if try order.less(arr[base + hint + ofs], key) { lastofs = ofs; ofs = (ofs << 1) + 1 } else { break }
            }
            if ofs > maxofs { ofs = maxofs }
            lastofs += hint
            ofs += hint
        } else {
            let maxofs = hint + 1
            while ofs < maxofs {
                if try order.less(arr[base + hint - ofs], key) { break }
                lastofs = ofs
                ofs = (ofs << 1) + 1
            }
            if ofs > maxofs { ofs = maxofs }
            let k = lastofs
            lastofs = hint - ofs
            ofs = hint - k
        }
        lastofs += 1
        while lastofs < ofs {
            let m = lastofs + ((ofs - lastofs) >> 1)
            if try order.less(arr[base + m], key) { lastofs = m + 1 } else { ofs = m }
        }
        return ofs
    }

    /// Like `gallopLeft`, but right of equal items.
    private func gallopRight(_ key: T, _ arr: [T], _ base: Int, _ n: Int, _ hint: Int) throws -> Int {
        var lastofs = 0, ofs = 1
        if try order.less(key, arr[base + hint]) {
            let maxofs = hint + 1
            while ofs < maxofs {
                if try order.less(key, arr[base + hint - ofs]) { lastofs = ofs; ofs = (ofs << 1) + 1 } else { break }
            }
            if ofs > maxofs { ofs = maxofs }
            let k = lastofs
            lastofs = hint - ofs
            ofs = hint - k
        } else {
            let maxofs = n - hint
            while ofs < maxofs {
                if try order.less(key, arr[base + hint + ofs]) { break }
                lastofs = ofs
                ofs = (ofs << 1) + 1
            }
            if ofs > maxofs { ofs = maxofs }
            lastofs += hint
            ofs += hint
        }
        lastofs += 1
        while lastofs < ofs {
            let m = lastofs + ((ofs - lastofs) >> 1)
            if try order.less(key, arr[base + m]) { ofs = m } else { lastofs = m + 1 }
        }
        return ofs
    }

    /// Merges the adjacent runs `a[pa..<pa+na]` and `a[pb..<pb+nb]`, na <= nb, copying A aside.
    private mutating func mergeLo(_ pa: Int, _ naStart: Int, _ pb: Int, _ nbStart: Int) throws {
        tmp.removeAll(keepingCapacity: true)
        tmp.append(contentsOf: a[pa..<(pa + naStart)])
        var na = naStart, nb = nbStart
        var dest = pa, ia = 0, ib = pb
        var copyB = false
        a[dest] = a[ib]; dest += 1; ib += 1; nb -= 1
        do {
            main: do {
                if nb == 0 { break main }
                if na == 1 { copyB = true; break main }
                while true {
                    var acount = 0, bcount = 0
                    while true {
                        if try order.less(a[ib], tmp[ia]) {
                            a[dest] = a[ib]; dest += 1; ib += 1
                            bcount += 1; acount = 0; nb -= 1
                            if nb == 0 { break main }
                            if bcount >= minGallop { break }
                        } else {
                            a[dest] = tmp[ia]; dest += 1; ia += 1
                            acount += 1; bcount = 0; na -= 1
                            if na == 1 { copyB = true; break main }
                            if acount >= minGallop { break }
                        }
                    }
                    minGallop += 1
                    repeat {
                        if minGallop > 1 { minGallop -= 1 }
                        var k = try gallopRight(a[ib], tmp, ia, na, 0)
                        acount = k
                        if k != 0 {
                            for j in 0..<k { a[dest + j] = tmp[ia + j] }
                            dest += k; ia += k; na -= k
                            if na == 1 { copyB = true; break main }
                            // Impossible for a consistent order, but `<` may be anything.
                            if na == 0 { break main }
                        }
                        a[dest] = a[ib]; dest += 1; ib += 1; nb -= 1
                        if nb == 0 { break main }
                        k = try gallopLeft(tmp[ia], a, ib, nb, 0)
                        bcount = k
                        if k != 0 {
                            for j in 0..<k { a[dest + j] = a[ib + j] }
                            dest += k; ib += k; nb -= k
                            if nb == 0 { break main }
                        }
                        a[dest] = tmp[ia]; dest += 1; ia += 1; na -= 1
                        if na == 1 { copyB = true; break main }
                    } while acount >= Self.minGallopStart || bcount >= Self.minGallopStart
                    minGallop += 1
                }
            }
        } catch {
            for j in 0..<na { a[dest + j] = tmp[ia + j] }
            throw error
        }
        if copyB {
            // The last item of A goes after the rest of B.
            for j in 0..<nb { a[dest + j] = a[ib + j] }
            a[dest + nb] = tmp[ia]
        } else {
            for j in 0..<na { a[dest + j] = tmp[ia + j] }
        }
    }

    /// Merges the adjacent runs `a[pa..<pa+na]` and `a[pb..<pb+nb]`, na >= nb, copying B aside and
    /// filling from the right.
    private mutating func mergeHi(_ pa: Int, _ naStart: Int, _ pb: Int, _ nbStart: Int) throws {
        tmp.removeAll(keepingCapacity: true)
        tmp.append(contentsOf: a[pb..<(pb + nbStart)])
        var na = naStart, nb = nbStart
        var dest = pb + nb - 1, ia = pa + na - 1, ib = nb - 1
        var copyA = false
        a[dest] = a[ia]; dest -= 1; ia -= 1; na -= 1
        do {
            main: do {
                if na == 0 { break main }
                if nb == 1 { copyA = true; break main }
                while true {
                    var acount = 0, bcount = 0
                    while true {
                        if try order.less(tmp[ib], a[ia]) {
                            a[dest] = a[ia]; dest -= 1; ia -= 1
                            acount += 1; bcount = 0; na -= 1
                            if na == 0 { break main }
                            if acount >= minGallop { break }
                        } else {
                            a[dest] = tmp[ib]; dest -= 1; ib -= 1
                            bcount += 1; acount = 0; nb -= 1
                            if nb == 1 { copyA = true; break main }
                            if bcount >= minGallop { break }
                        }
                    }
                    minGallop += 1
                    repeat {
                        if minGallop > 1 { minGallop -= 1 }
                        var k = try gallopRight(tmp[ib], a, pa, na, na - 1)
                        k = na - k
                        acount = k
                        if k != 0 {
                            dest -= k; ia -= k
                            var j = k
                            while j >= 1 { a[dest + j] = a[ia + j]; j -= 1 }
                            na -= k
                            if na == 0 { break main }
                        }
                        a[dest] = tmp[ib]; dest -= 1; ib -= 1; nb -= 1
                        if nb == 1 { copyA = true; break main }
                        k = try gallopLeft(a[ia], tmp, 0, nb, nb - 1)
                        k = nb - k
                        bcount = k
                        if k != 0 {
                            dest -= k; ib -= k
                            for j in 1...k { a[dest + j] = tmp[ib + j] }
                            nb -= k
                            if nb == 1 { copyA = true; break main }
                            // Impossible for a consistent order, but `<` may be anything.
                            if nb == 0 { break main }
                        }
                        a[dest] = a[ia]; dest -= 1; ia -= 1; na -= 1
                        if na == 0 { break main }
                    } while acount >= Self.minGallopStart || bcount >= Self.minGallopStart
                    minGallop += 1
                }
            }
        } catch {
            for j in 0..<nb { a[dest - (nb - 1) + j] = tmp[j] }
            throw error
        }
        if copyA {
            // The first item of B goes before the rest of A.
            var j = 0
            while j > -na { a[dest + j] = a[ia + j]; j -= 1 }
            dest -= na; ia -= na
            a[dest] = tmp[ib]
        } else {
            for j in 0..<nb { a[dest - (nb - 1) + j] = tmp[j] }
        }
    }
}
