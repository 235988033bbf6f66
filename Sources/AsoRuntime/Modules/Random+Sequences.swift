// `random.choice`, `shuffle`, `sample` and `choices`, after CPython 3.11's `Lib/random.py`.
//
// One idea: the generator is drawn from exactly as the Python code draws (`_randbelow` per pick,
// `floor(random() * n)` for unweighted choices, `bisect` over cumulative weights), and sequences
// are read through `len`/`getitem`, so any sequence works. Values fetched while script code may
// still run (a user `__getitem__`, `__add__`, `__lt__`) are kept in a rooted list.

import BigInt

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Runtime {
    func installRandomSequenceFunctions(_ table: RandomMethodTable) {
        table.python("choice", ["seq"], required: 1) { rt, gen, a in
            let seq = a[0]
            let n = try rt.length(seq)
            if n == 0 { throw rt.indexError("Cannot choose from an empty sequence") }
            return try rt.getItem(seq, .int(gen.below(try rt.length(seq))))
        }
        table.python("shuffle", ["x"], required: 1) { rt, gen, a in
            try rt.shuffle(gen, a[0])
            return .none
        }
        table.python("sample", ["population", "k"], required: 2, keywordOnly: ["counts"]) { rt, gen, a in
            try rt.sample(gen, a[0], a[1], counts: a[2].isNull ? .none : a[2])
        }
        table.python("choices", ["population", "weights"], required: 1, keywordOnly: ["cum_weights", "k"]) { rt, gen, a in
            try rt.choices(gen, a[0], weights: a[1].isNull ? .none : a[1], cumWeights: a[2].isNull ? .none : a[2],
                           k: a[3].isNull ? .int(1) : a[3])
        }
    }

    /// Runs `body` with a list that stays reachable for the collector meanwhile.
    func withRootedList<T>(_ body: (ListObj) throws -> T) rethrows -> T {
        let acc = heap.register(ListObj([], type: types.list))
        tempRoots.append(Value(acc))
        defer { tempRoots.removeLast() }
        return try body(acc)
    }

    /// `Random.shuffle(x)`: reversed Fisher-Yates with `_randbelow(i + 1)`.
    func shuffle(_ gen: MersenneTwister, _ x: Value) throws {
        let n = try length(x)
        if n < 2 { return }
        if let list = x.asList, list.items.count == n {
            for i in stride(from: n - 1, through: 1, by: -1) {
                let j = gen.below(i + 1)
                if i < list.items.count, j < list.items.count { list.items.swapAt(i, j) }
            }
            return
        }
        try withRootedList { held in
            for i in stride(from: n - 1, through: 1, by: -1) {
                let j = gen.below(i + 1)
                held.items.replaceAll(with: [try getItem(x, .int(j))])
                held.items.append(try getItem(x, .int(i)))
                try setItem(x, .int(i), held.items[0])
                try setItem(x, .int(j), held.items[1])
            }
        }
    }

    /// True for what `collections.abc.Sequence` accepts among Aso's builtin types.
    private func isSequence(_ v: Value) -> Bool {
        guard let o = v.object else { return false }
        switch o.kind {
        case .list, .tuple, .str, .range, .bytes: return true
        default: return false
        }
    }

    /// `Random.sample(population, k, *, counts=None)`.
    func sample(_ gen: MersenneTwister, _ population: Value, _ kValue: Value, counts: Value) throws -> Value {
        guard isSequence(population) else {
            throw typeError("Population must be a sequence.  For dicts or sets, use sorted(d).")
        }
        let n = try length(population)
        if !counts.isNone { return try sampleWithCounts(gen, population, n, kValue, counts) }
        guard isIntegral(kValue) else {
            if case .bool(true) = try compare(.int(0), kValue, .le), case .bool(true) = try compare(kValue, .int(n), .le) {
                throw typeError("can't multiply sequence by non-int of type '\(typeName(kValue))'")
            }
            throw valueError("Sample larger than population or is negative")
        }
        guard let kBig = bigValue(kValue), let k = Int(exactly: kBig), k >= 0, k <= n else {
            throw valueError("Sample larger than population or is negative")
        }
        try checkAllocation(k, elementSize: 16)
        var setsize = 21.0
        if k > 5 { setsize += pow(4, (log(Double(k) * 3) / log(4)).rounded(.up)) }
        return try withRootedList { result in
            if Double(n) <= setsize {
                // An n-length list is smaller than a k-length set. Invariant: non-selected at pool[0 : n-i].
                result.items.replaceAll(with: try iterateToArray(population))
                var pool = result.items.array
                guard pool.count == n else { throw runtimeError("sequence changed size during sample") }
                var picked: [Value] = []
                picked.reserveCapacity(k)
                for i in 0..<k {
                    let j = gen.below(n - i)
                    picked.append(pool[j])
                    pool[j] = pool[n - i - 1]
                }
                result.items.replaceAll(with: picked)
            } else {
                var selected = Set<Int>()
                for _ in 0..<k {
                    var j = gen.below(n)
                    while selected.contains(j) { j = gen.below(n) }
                    selected.insert(j)
                    result.items.append(try getItem(population, .int(j)))
                }
            }
            return newList(result.items.array)
        }
    }

    /// `sample(population, k, counts=...)`: a sample of `range(total)` mapped through `bisect`.
    private func sampleWithCounts(_ gen: MersenneTwister, _ population: Value, _ n: Int, _ k: Value, _ counts: Value) throws -> Value {
        try withRootedList { cum in
            cum.items.replaceAll(with: try accumulate(counts, into: cum))
            if cum.items.count != n { throw valueError("The number of counts does not match the population") }
            guard let total = cum.items.popLast() else { throw indexError("pop from empty list") }
            guard isIntegral(total) else { throw typeError("Counts must be integers") }
            if (bigValue(total) ?? 0).signum() <= 0 { throw valueError("Total of counts must be greater than zero") }
            guard let rangeType = builtins.get("range") else { throw runtimeError("no range") }
            let bounds = cum.items.array
            let selections = try sample(gen, try call(rangeType, one: total), k, counts: .none)
            guard let picks = selections.listArray else { return selections }
            return try withRootedList { out in
                out.items.append(selections)
                for s in picks {
                    let i = try bisectRight(bounds, s, hi: bounds.count)
                    out.items.append(try getItem(population, .int(i)))
                }
                return newList(Array(out.items.array.dropFirst()))
            }
        }
    }

    /// `list(itertools.accumulate(values))`, with the partial sums kept in `held`.
    private func accumulate(_ values: Value, into held: ListObj) throws -> [Value] {
        held.items.replaceAll(with: try iterateToArray(values))
        var sums: [Value] = []
        sums.reserveCapacity(held.items.count)
        for i in 0..<held.items.count {
            let x = held.items[i]
            sums.append(sums.isEmpty ? x : try binaryOp(.add, sums[sums.count - 1], x))
            held.items.append(sums[sums.count - 1])
        }
        return sums
    }

    /// `bisect.bisect_right(a, x, 0, hi)`.
    private func bisectRight(_ a: [Value], _ x: Value, hi: Int) throws -> Int {
        var lo = 0, hi = hi
        while lo < hi {
            let mid = (lo + hi) / 2
            if case .float(let xf) = x, case .float(let m) = a[mid] {
                if xf < m { hi = mid } else { lo = mid + 1 }
            } else if try lessThan(x, a[mid]) {
                hi = mid
            } else {
                lo = mid + 1
            }
        }
        return lo
    }

    /// `Random.choices(population, weights=None, *, cum_weights=None, k=1)`.
    func choices(_ gen: MersenneTwister, _ population: Value, weights: Value, cumWeights: Value, k kValue: Value) throws -> Value {
        let n = try length(population)
        return try withRootedList { held in
            var cum: [Value]
            if cumWeights.isNone {
                if weights.isNone {
                    let count = try repeatCount(kValue)
                    let nf = Double(n)
                    for _ in 0..<count {
                        let i = Int((gen.random() * nf).rounded(.down))
                        held.items.append(try getItem(population, .int(i)))
                    }
                    return newList(held.items.array)
                }
                if !isIterable(weights), isIntegral(weights) {
                    throw typeError("The number of choices must be a keyword argument: k=\(try repr(weights))")
                }
                cum = try accumulate(weights, into: held)
            } else {
                if !weights.isNone { throw typeError("Cannot specify both weights and cumulative weights") }
                cum = try iterateToArray(cumWeights)
            }
            held.items.replaceAll(with: cum)
            if cum.count != n { throw valueError("The number of weights does not match the population") }
            guard let last = cum.last else { throw indexError("list index out of range") }
            let totalValue = try binaryOp(.add, last, .float(0))
            guard case .float(let total) = totalValue else { throw typeError("Total of weights must be a number") }
            if !(total > 0) {
                if total.isNaN { throw valueError("Total of weights must be finite") }
                throw valueError("Total of weights must be greater than zero")
            }
            if !total.isFinite { throw valueError("Total of weights must be finite") }
            let count = try repeatCount(kValue)
            let base = held.items.count
            for _ in 0..<count {
                let i = try bisectRight(cum, .float(gen.random() * total), hi: n - 1)
                held.items.append(try getItem(population, .int(i)))
            }
            return newList(Array(held.items.buffer[base...]))
        }
    }

    /// The count of `itertools.repeat(None, k)`: an index, negative meaning none.
    private func repeatCount(_ k: Value) throws -> Int {
        guard let b = bigValue(k) else { throw typeError("'\(typeName(k))' object cannot be interpreted as an integer") }
        guard let c = Int(exactly: b) else {
            if b.signum() < 0 { return 0 }
            throw overflowError("Python int too large to convert to C ssize_t")
        }
        let count = max(0, c)
        try checkAllocation(count, elementSize: 16)
        return count
    }
}
