// list methods: append, extend, insert, pop, remove, index, count, sort, reverse, copy, clear.
//
// One idea: comparisons (`remove`, `index`, `count`) may run script `__eq__`, which can change the
// list, so loops re-read `items` and its count at every step instead of holding a copy's indices,
// and values compared are copied out of the argument buffer first.

extension Runtime {
    func installListMethods() {
        let t = types.list
        defineMethod(t, "append", receiver: ListObj.self, kind: .list, fastPath: .listAppend) { rt, me, l, a in
            let v = try a.one(rt)
            l.append(v)
            rt.heap.grew(by: MemoryLayout<Value>.stride, l)
            return .none
        }
        defineMethod(t, "extend", receiver: ListObj.self, kind: .list) { rt, me, l, a in
            let v = try a.one(rt)
            let items = try rt.iterateToArray(v)
            try rt.checkAllocation(l.items.count + items.count, elementSize: MemoryLayout<Value>.stride)
            l.items.append(contentsOf: items)
            rt.heap.grew(by: items.count * MemoryLayout<Value>.stride, l)
            return .none
        }
        defineMethod(t, "insert", receiver: ListObj.self, kind: .list) { rt, me, l, a in
            try a.positional(rt, 2, 2)
            var i = try rt.machineIntOperand(a[0])
            let n = l.items.count
            if i < 0 { i = max(0, i &+ n) } else if i > n { i = n }
            l.items.insert(a[1], at: i)
            return .none
        }
        defineMethod(t, "pop", receiver: ListObj.self, kind: .list) { rt, me, l, a in
            try a.positional(rt, 0, 1)
            var i = a.count == 1 ? try rt.machineIntOperand(a[0]) : -1
            if l.items.isEmpty { throw rt.indexError("pop from empty list") }
            if i < 0 { i = i &+ l.items.count }
            if i < 0 || i >= l.items.count { throw rt.indexError("pop index out of range") }
            if i == l.items.count - 1 { return l.items.removeLast() }
            return l.items.remove(at: i)
        }
        defineMethod(t, "remove", receiver: ListObj.self, kind: .list) { rt, me, l, a in
            let v = try a.one(rt)
            var i = 0
            while i < l.items.count {
                let x = l.items[i]
                if try x.isIdentical(to: v) || rt.equals(x, v) {
                    if i < l.items.count { l.items.remove(at: i) }
                    return .none
                }
                i += 1
            }
            throw rt.valueError("list.remove(x): x not in list")
        }
        defineMethod(t, "index", receiver: ListObj.self, kind: .list) { rt, me, l, a in
            try a.positional(rt, 1, 3)
            let v = a[0]
            var lo = 0, hi = Int.max
            if a.count > 1 { lo = try rt.sliceIndexArgument(a[1]) }
            if a.count > 2 { hi = try rt.sliceIndexArgument(a[2]) }
            let n = l.items.count
            if lo < 0 { lo = max(0, lo &+ n) }
            if hi < 0 { hi = max(0, hi &+ n) }
            var i = lo
            while i < min(hi, l.items.count) {
                let x = l.items[i]
                if try x.isIdentical(to: v) || rt.equals(x, v) { return .int(i) }
                i += 1
            }
            throw rt.valueError("\(try rt.repr(v)) is not in list")
        }
        defineMethod(t, "count", receiver: ListObj.self, kind: .list) { rt, me, l, a in
            let v = try a.one(rt)
            var n = 0, i = 0
            while i < l.items.count {
                let x = l.items[i]
                if try x.isIdentical(to: v) || rt.equals(x, v) { n += 1 }
                i += 1
            }
            return .int(n)
        }
        defineMethod(t, "sort", receiver: ListObj.self, kind: .list) { rt, me, l, a in
            let p = try a.parameters(rt, ["key", "reverse"], keywordOnly: 2)
            let reverse = try p[1].map { v -> Bool in
                if case .float = v { throw rt.typeError("'float' object cannot be interpreted as an integer") }
                return try rt.truthy(v)
            } ?? false
            // CPython empties the list while sorting, so changes made by key functions are detected.
            // (The sort marks the items for collections itself.)
            var items = l.items.array
            l.items.removeAll()
            do {
                try rt.sortValues(&items, key: p[0] ?? .none, reverse: reverse)
            } catch {
                if l.items.isEmpty { l.items.replaceAll(with: items) }
                throw error
            }
            let modified = !l.items.isEmpty
            l.items.replaceAll(with: items)
            if modified { throw rt.valueError("list modified during sort") }
            return .none
        }
        defineMethod(t, "reverse") { rt, me, a in
            try a.none(rt)
            me.asList?.items.reverse()
            return .none
        }
        defineMethod(t, "copy") { rt, me, a in
            try a.none(rt)
            return rt.newList(me.asList?.items.array ?? [])
        }
        defineMethod(t, "clear") { rt, me, a in
            try a.none(rt)
            me.asList?.items.removeAll()
            return .none
        }
    }


    /// start/stop of list.index (clamped like slice bounds).
    func sliceIndexArgument(_ v: Value) throws -> Int {
        guard let i = indexValue(v) else {
            throw typeError("slice indices must be integers or have an __index__ method")
        }
        return i
    }
}

extension Runtime {
    /// tuple.index and tuple.count.
    func installTupleMethods() {
        let t = types.tuple
        defineMethod(t, "index") { rt, me, a in
            try a.positional(rt, 1, 3)
            let items = me.asTuple?.items ?? .empty
            let v = a[0]
            var lo = 0, hi = Int.max
            if a.count > 1 { lo = try rt.sliceIndexArgument(a[1]) }
            if a.count > 2 { hi = try rt.sliceIndexArgument(a[2]) }
            let n = items.count
            if lo < 0 { lo = max(0, lo &+ n) }
            if hi < 0 { hi = max(0, hi &+ n) }
            var i = lo
            while i < min(hi, n) {
                if try items[i].isIdentical(to: v) || rt.equals(items[i], v) { return .int(i) }
                i += 1
            }
            throw rt.valueError("tuple.index(x): x not in tuple")
        }
        defineMethod(t, "count") { rt, me, a in
            let v = try a.one(rt)
            var n = 0
            for x in me.asTuple?.items ?? .empty where try x.isIdentical(to: v) || rt.equals(x, v) { n += 1 }
            return .int(n)
        }
    }
}
