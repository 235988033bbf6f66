// Stable sorting with Python's rules, shared by `sorted()` and `list.sort()`.
//
// One idea: a merge sort over (key, value) pairs whose comparison may throw (a TypeError for
// unorderable values, or whatever a key function raises); `reverse` keeps stability as CPython
// does, by reversing, sorting, and reversing back.

extension Runtime {
    /// Sorts `items` in place, stably; `key` (if not None) is called once per item.
    func sortValues(_ items: inout [Value], key: Value, reverse: Bool) throws {
        if items.count < 2 { return }
        if key.isNone, let ints = allInts(items) {
            // Equal ints cannot be told apart, so an unstable native sort gives the same list.
            items = (reverse ? ints.sorted(by: >) : ints.sorted()).map { .int($0) }
            return
        }
        var keys = items
        // The items, and the keys as they are made, stay rooted until the sort is done: the key
        // function and `__lt__` may run script code, which may collect.
        let rootBase = tempRoots.count
        defer { tempRoots.removeLast(tempRoots.count - rootBase) }
        if key.isNone {
            if items.contains(where: { if case .object = $0 { return true } else { return false } }) {
                tempRoots.append(contentsOf: items)
            }
        } else {
            tempRoots.append(contentsOf: items)
            keys = []
            keys.reserveCapacity(items.count)
            for v in items {
                let k = try call(key, [v])
                keys.append(k)
                tempRoots.append(k)
            }
        }
        var idx = Array(0..<items.count)
        if reverse { idx.reverse() }
        var buf = idx
        try mergeSort(&idx, &buf, 0, idx.count, keys)
        if reverse { idx.reverse() }
        items = idx.map { items[$0] }
    }

    private func mergeSort(_ a: inout [Int], _ buf: inout [Int], _ lo: Int, _ hi: Int, _ keys: [Value]) throws {
        if hi - lo <= 8 {
            // Insertion sort for short runs.
            var i = lo + 1
            while i < hi {
                let x = a[i]
                var j = i - 1
                while j >= lo, try lessThan(keys[x], keys[a[j]]) { a[j + 1] = a[j]; j -= 1 }
                a[j + 1] = x
                i += 1
            }
            return
        }
        let mid = (lo + hi) / 2
        try mergeSort(&a, &buf, lo, mid, keys)
        try mergeSort(&a, &buf, mid, hi, keys)
        if try !lessThan(keys[a[mid]], keys[a[mid - 1]]) { return }
        var i = lo, j = mid, k = lo
        while i < mid && j < hi {
            if try lessThan(keys[a[j]], keys[a[i]]) { buf[k] = a[j]; j += 1 } else { buf[k] = a[i]; i += 1 }
            k += 1
        }
        while i < mid { buf[k] = a[i]; i += 1; k += 1 }
        while j < hi { buf[k] = a[j]; j += 1; k += 1 }
        for t in lo..<hi { a[t] = buf[t] }
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
