// The builtins that consume an iterable: sum, min, max, any, all, sorted.
//
// One idea: each drains its iterable one value at a time through `iterate`/`next` (never building a
// list it does not return), keeping the iterator and the running result on `tempRoots` because a
// key function, `__add__` or the iterator itself may run script code, and a collection may happen
// inside. sum adds floats left to right with plain addition, as CPython 3.11 does.

import AsoBytecode

extension Runtime {
    func installIterableFunctions() {
        builtins.set("sum", native("sum") { rt, args in
            if args.count == 0 {
                throw rt.typeError("sum() takes at least 1 positional argument (0 given)")
            }
            if args.keywords.isEmpty && args.count <= 2 { return try rt.sum(args[0], start: args.count == 2 ? args[1] : .int(0)) }
            let p = try rt.bindParameters(Array(args.positional), args.keywords, "sum", ["iterable", "start"],
                                          required: 1, positionalOnly: 1)
            return try rt.sum(p[0], start: p[1].isNull ? .int(0) : p[1])
        })
        builtins.set("min", native("min") { rt, args in try rt.minMax(args, "min", op: .lt) })
        builtins.set("max", native("max") { rt, args in try rt.minMax(args, "max", op: .gt) })
        builtins.set("any", native("any") { rt, args in
            .bool(try rt.findsTruth(true, in: try rt.exactlyOne(args, "any")))
        })
        builtins.set("all", native("all") { rt, args in
            .bool(try !rt.findsTruth(false, in: try rt.exactlyOne(args, "all")))
        })
        builtins.set("sorted", native("sorted") { rt, args in
            try rt.checkCount(args.count, "sorted", min: 1, max: 1)
            try rt.checkKeywords(args, ["key", "reverse"], "sort")
            let key = args.keyword("key") ?? .none
            let reverse = try args.keyword("reverse").map { try rt.integerOperand($0).signum() != 0 } ?? false
            let source = args[0]
            let list = try rt.iterateToList(source, lengthHint: rt.isNativeSubclassValue(source))
            rt.tempRoots.append(Value(list))
            rt.tempRoots.append(key)
            defer { rt.tempRoots.removeLast(2) }
            // (The items move out of the list, which no script code can see yet, while they are
            // sorted: the sort marks them for collections itself.)
            var items = list.items.array
            list.items.removeAll()
            defer { list.items.replaceAll(with: items) }
            try rt.sortValues(&items, key: key, reverse: reverse)
            return Value(list)
        })
    }

    /// Whether some value of `iterable` has truth `wanted` (`any` looks for a true one, `all`
    /// for a false one). Values whose truth needs no script code are passed over where they
    /// come from (see forEachValue).
    func findsTruth(_ wanted: Bool, in iterable: Value) throws -> Bool {
        let it = try iterate(iterable)
        tempRoots.append(it)
        defer { tempRoots.removeLast() }
        var found = false
        try forEachValue(it, take: { v in plainTruth(v) == !wanted }) { v in
            if try truthy(v) == wanted { found = true; return false }
            return true
        }
        return found
    }

    /// `sum(iterable, start)`.
    func sum(_ iterable: Value, start: Value) throws -> Value {
        if start.asStr != nil { throw typeError("sum() can't sum strings [use ''.join(seq) instead]") }
        if start.asBytes != nil { throw typeError("sum() can't sum bytes [use b''.join(seq) instead]") }
        // A list or tuple of machine ints (or of floats), added where the items are, with no
        // iterator; anything else (or an overflow) starts again below, the general way.
        if let items = try sequenceItems(iterable, lengthHint: false) {
            var total = start
            var plain = true
            for v in items {
                guard let t = Runtime.plainSum(total, v) else { plain = false; break }
                total = t
            }
            if plain { return total }
        }
        let it = try iterate(iterable)
        tempRoots.append(it)
        tempRoots.append(start)
        defer { tempRoots.removeLast(2) }
        let rootIndex = tempRoots.count - 1
        var total = start
        // Machine ints without overflow and floats with plain addition are added where the
        // values come from (no script code: see forEachValue); the rest by `+`.
        try forEachValue(it, take: { v in
            guard let t = Runtime.plainSum(total, v) else { return false }
            total = t
            return true
        }) { v in
            total = try binaryOp(.add, total, v)
            tempRoots[rootIndex] = total
            return true
        }
        return total
    }

    /// `total + v` for machine ints that do not overflow and for floats (an int total meeting a
    /// float becomes a float first, as in CPython's `sum`); nil for anything else.
    @inline(__always)
    static func plainSum(_ total: Value, _ v: Value) -> Value? {
        switch (total, v) {
        case let (.int(x), .int(y)):
            let (r, o) = x.addingReportingOverflow(y)
            return o ? nil : .int(r)
        case let (.float(x), .float(y)): return .float(x + y)
        case let (.int(x), .float(y)): return .float(Double(x) + y)
        default: return nil
        }
    }

    /// `min(...)` (`<`) and `max(...)` (`>`): one iterable or several arguments,
    /// with `key=` and (for an iterable) `default=`.
    func minMax(_ args: Args, _ name: String, op: ComparisonOperator) throws -> Value {
        // `max(a, b)`, `min(lo, x, hi)`: the arguments compared in place.
        if args.keywords.isEmpty && args.count >= 2 {
            // (Rooted: a comparison may run script code, and a native's caller may hold the
            // arguments only in Swift.)
            let base = tempRoots.count
            tempRoots.append(contentsOf: args.positional)
            defer { tempRoots.removeLast(tempRoots.count - base) }
            var best = args[0]
            for i in 1..<args.count where try truthy(try compare(args[i], best, op)) { best = args[i] }
            return best
        }
        try checkKeywords(args, ["key", "default"], name)
        if args.count == 0 { throw typeError("\(name) expected at least 1 argument, got 0") }
        let key = args.keyword("key") ?? .none
        let fallback = args.keyword("default")
        if args.count > 1 && fallback != nil {
            throw typeError("Cannot specify a default for \(name)() with multiple positional arguments")
        }
        let source = args.count == 1 ? try iterate(args[0]) : newIterator(.values(Array(args.positional)))
        tempRoots.append(source)
        tempRoots.append(key)
        tempRoots.append(.none)
        tempRoots.append(.none)
        defer { tempRoots.removeLast(4) }
        let bestSlot = tempRoots.count - 2, bestKeySlot = tempRoots.count - 1
        var best: Value? = nil
        var bestKey: Value = .none
        while let v = try next(source) {
            let k = key.isNone ? v : try call(key, one: v)
            if best == nil {
                best = v; bestKey = k
            } else if try truthy(try compare(k, bestKey, op)) {
                best = v; bestKey = k
            }
            tempRoots[bestSlot] = best ?? .none
            tempRoots[bestKeySlot] = bestKey
        }
        if let b = best { return b }
        if let d = fallback { return d }
        throw valueError("\(name)() arg is an empty sequence")
    }
}
