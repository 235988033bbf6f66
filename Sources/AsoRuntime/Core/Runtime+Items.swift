// Subscripts and slices: `x[i]`, `x[a:b:c]`, item assignment and deletion, and `in`.

import BigInt

extension Runtime {
    /// An index operand as an Int (bools count), clamping huge ints to ±Int.max; nil if not an int.
    func indexValue(_ v: Value) -> Int? {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default:
            if let b = bigValue(v) { return b.signum() < 0 ? Int.min + 1 : Int.max }
            if let c = numberCore(v), isIntegral(c) { return indexValue(c) }
            return nil
        }
    }

    /// What a script class's `__index__` gives for `v` (an int, checked as CPython checks it);
    /// nil when `v`'s class has none.
    func indexFromDunder(_ v: Value) throws -> Value? {
        if let c = numberCore(v), isIntegral(c), userMethod(v, "__index__") == nil { return c }
        guard case .object(let u) = v, u.takeUnretainedValue().kind == .instance, let f = userMethod(v, "__index__") else { return nil }
        let r = try callFunction(f, [v], keywords: [])
        guard isIntegral(r) else { throw typeError("__index__ returned non-int (type \(typeName(r)))") }
        return r.asPlainInt
    }

    /// `indexFromDunder` as a machine int (kept out of line: only a miss of the int paths gets here).
    @inline(never) func indexThroughDunder(_ v: Value) throws -> Int? {
        try indexFromDunder(v).flatMap(indexValue)
    }

    /// Python's slice.indices(length): (start, stop, step, count).
    func sliceIndices(_ s: SliceObj, length: Int) throws -> (Int, Int, Int, Int) {
        var step = 1
        if !s.step.isNone {
            guard let v = try indexValue(s.step) ?? indexThroughDunder(s.step) else { throw typeError("slice indices must be integers or None or have an __index__ method") }
            if v == 0 { throw valueError("slice step cannot be zero") }
            step = v
        }
        func bound(_ v: Value, _ dflt: Int) throws -> Int {
            if v.isNone { return dflt }
            guard var i = try indexValue(v) ?? indexThroughDunder(v) else { throw typeError("slice indices must be integers or None or have an __index__ method") }
            if i < 0 { i = i &+ length; if i < 0 { i = step < 0 ? -1 : 0 } }
            else if i >= length { i = step < 0 ? length - 1 : length }
            return i
        }
        let start = try bound(s.start, step < 0 ? length - 1 : 0)
        let stop = try bound(s.stop, step < 0 ? -1 : length)
        var count = 0
        if step < 0 { if stop < start { count = (start - stop - 1) / (-step) + 1 } }
        else if start < stop { count = (stop - start - 1) / step + 1 }
        return (start, stop, step, count)
    }

    private func normalize(_ key: Value, _ count: Int, _ what: String, _ container: String) throws -> Int {
        if key.asBigInt != nil { throw indexError("cannot fit 'int' into an index-sized integer") }
        guard let i = try indexValue(key) ?? indexThroughDunder(key) else {
            if container == "str" { throw typeError("string indices must be integers, not '\(typeName(key))'") }
            throw typeError("\(container) indices must be integers or slices, not \(typeName(key))")
        }
        let j = i < 0 ? i &+ count : i
        if j < 0 || j >= count { throw indexError("\(what) index out of range") }
        return j
    }

    /// `l[key]` for an int in range (negative from the end), or a new list for a slice; nil for
    /// anything else (then the general path's errors).
    @inline(__always)
    private func listItem(_ l: ListObj, _ key: Value) throws -> Value? {
        if case .int(var i) = key {
            let n = l.items.count
            if i < 0 { i &+= n }
            return i >= 0 && i < n ? l.items[i] : nil
        }
        return try key.withObject(.slice, SliceObj.self) { try slicedList(l, $0) }
    }

    /// `l[s]`: a new list, written in place.
    func slicedList(_ l: ListObj, _ s: SliceObj) throws -> Value {
        let (start, _, step, count) = try sliceIndices(s, length: l.items.count)
        var out = ValueVector(capacity: count)
        // (sliceIndices may run `__index__`, which may change the list: indices are checked.)
        var i = start
        for _ in 0..<count where i >= 0 && i < l.items.count { out.append(l.items[i]); i &+= step }
        return makeList(taking: out)
    }

    /// `listItem` of a tuple's elements.
    @inline(__always)
    private func sequenceItem(_ b: UnsafeBufferPointer<Value>, _ key: Value) throws -> Value? {
        if case .int(var i) = key {
            if i < 0 { i &+= b.count }
            return i >= 0 && i < b.count ? b[i] : nil
        }
        return try key.withObject(.slice, SliceObj.self) { try slicedTuple(b, $0) }
    }

    /// `container[key]`; `builtin` skips a script subclass's `__getitem__` (the base's own
    /// method, as `dict.__getitem__` and `super().__getitem__` run it).
    func getItem(_ container: Value, _ key: Value, builtin: Bool = false) throws -> Value {
        guard case .object(let u) = container else {
            throw typeError("'\(typeName(container))' object is not subscriptable")
        }
        // Fast paths, borrowing the container (no reference counting): a dict's key, an in-range
        // index of a list, tuple or ASCII string, for objects of the builtin types themselves.
        let fast = try u._withUnsafeGuaranteedRef { o -> Value? in
            guard o.flags & Obj.subclassFlag == 0 else { return nil }
            switch o.kind {
            case .dict:
                if let v = try unsafeDowncast(o, to: DictObj.self).get(key, self) { return v }
                throw keyError(key)
            case .list:
                return try listItem(unsafeDowncast(o, to: ListObj.self), key)
            case .tuple:
                return try sequenceItem(unsafeDowncast(o, to: TupleObj.self).items, key)
            case .str:
                // An ASCII string's character at an int index in range (a tokenizer's `s[i]`).
                guard case .int(var i) = key else { return nil }
                let s = unsafeDowncast(o, to: StrObj.self)
                guard s.isASCII else { return nil }
                if i < 0 { i &+= s.count }
                return i >= 0 && i < s.count ? character(s, at: i) : nil
            default:
                return nil
            }
        }
        if let fast { return fast }
        // (Borrowed: the caller holds the container.)
        return try u._withUnsafeGuaranteedRef { try getItemSlowly($0, container, key, builtin: builtin) }
    }

    /// `getItem` past its fast paths.
    private func getItemSlowly(_ o: Obj, _ container: Value, _ key: Value, builtin: Bool) throws -> Value {
        if !builtin && o.isNativeSubclass, o.kind != .other, let r = try callUserMethod(container, "__getitem__", key) { return r }
        switch o.kind {
        case .list:
            let l = unsafeDowncast(o, to: ListObj.self)
            if case .int(let i) = key, i >= 0, i < l.items.count { return l.items[i] }
            if let v = try key.withObject(.slice, SliceObj.self, { try slicedList(l, $0) }) { return v }
            return l.items[try normalize(key, l.items.count, "list", "list")]
        case .tuple:
            let t = unsafeDowncast(o, to: TupleObj.self)
            if let v = try key.withObject(.slice, SliceObj.self, { try slicedTuple(t.items, $0) }) { return v }
            return t.items[try normalize(key, t.items.count, "tuple", "tuple")]
        case .str:
            let str = unsafeDowncast(o, to: StrObj.self)
            if let s = key.asObject(.slice, SliceObj.self) {
                let (start, stop, step, count) = try sliceIndices(s, length: str.count)
                if step == 1 { return newStr(str.substring(start, max(start, stop))) }
                var out = String.UnicodeScalarView()
                let sc = str.scalars
                var i = start
                for _ in 0..<count { out.append(sc[i]); i += step }
                return newStr(String(out))
            }
            let i = try normalize(key, str.count, "string", "str")
            return character(str, at: i)
        case .dict:
            let d = unsafeDowncast(o, to: DictObj.self)
            if let v = try d.get(key, self) { return v }
            // A subclass's `__missing__` answers for absent keys (as dict.__getitem__ asks it).
            if o.isNativeSubclass, let r = try callUserMethod(container, "__missing__", key) { return r }
            throw keyError(key)
        case .range:
            let r = unsafeDowncast(o, to: RangeObj.self)
            if let b = r.big { return try bigRangeItem(r, b, key) }
            if let s = key.asObject(.slice, SliceObj.self) {
                let b = BigRange(start: BigInt(r.start), stop: BigInt(r.stop), step: BigInt(r.step))
                // (A bound or step past a machine int is taken exactly: range(0, 16, 2)[::2**70]
                // steps by 2**71, where `sliceIndices` would clamp it.)
                if s.start.asBigInt != nil || s.stop.asBigInt != nil || s.step.asBigInt != nil {
                    return try bigRangeItem(r, b, key)
                }
                let (start, stop, step, _) = try sliceIndices(s, length: r.length)
                return Value(heap.register(RangeObj.make(b.element(BigInt(start)), b.element(BigInt(stop)),
                                                         b.step * BigInt(step), type: types.range)))
            }
            guard indexValue(key) != nil else {
                throw typeError("range indices must be integers or slices, not \(typeName(key))")
            }
            return .int(r.element(try normalize(key, r.length, "range object", "range")))
        case .bytes:
            let b = unsafeDowncast(o, to: BytesObj.self)
            if isBytearray(o) {
                if let s = key.asObject(.slice, SliceObj.self) { return newBytearray(try sliced(b.bytes, s)) }
                return .int(Int(b.bytes[try normalize(key, b.bytes.count, "bytearray", "bytearray")]))
            }
            if let s = key.asObject(.slice, SliceObj.self) { return newBytes(try sliced(b.bytes, s)) }
            return .int(Int(b.bytes[try normalize(key, b.bytes.count, "index", "byte")]))
        case .type:
            // The metaclass's `__getitem__`, then the class's `__class_getitem__`.
            if let r = try callUserMethod(container, "__getitem__", key) { return r }
            let t = unsafeDowncast(o, to: TypeObject.self)
            if let cg = t.lookup("__class_getitem__") {
                return try call(try bindClassAttribute(cg, instance: nil, owner: t), [key])
            }
            if t === types.type || isNativeGeneric(t) { return makeGenericAlias(container, key) }
            throw typeError("type '\(t.name)' is not subscriptable")
        case .instance:
            if let r = try callUserMethod(container, "__getitem__", key) { return r }
            throw typeError("'\(o.type.name)' object is not subscriptable")
        default:
            throw typeError("'\(o.type.name)' object is not subscriptable")
        }
    }

    /// `t[s]` of a tuple's elements: a new tuple, written in place.
    func slicedTuple(_ items: UnsafeBufferPointer<Value>, _ s: SliceObj) throws -> Value {
        let (start, _, step, count) = try sliceIndices(s, length: items.count)
        return makeTuple(count: count) { out in
            var i = start
            for k in 0..<count { (out + k).initialize(to: items[i]); i &+= step }
        }
    }

    func sliced<T>(_ items: [T], _ s: SliceObj) throws -> [T] {
        let (start, stop, step, count) = try sliceIndices(s, length: items.count)
        if step == 1 { return start < stop ? Array(items[start..<stop]) : [] }
        var out: [T] = []
        out.reserveCapacity(count)
        var i = start
        for _ in 0..<count { out.append(items[i]); i += step }
        return out
    }

    func setItem(_ container: Value, _ key: Value, _ value: Value, builtin: Bool = false) throws {
        // Fast path: dict[key] = value without reference counting on the dict.
        if case .object(let u) = container, u._withUnsafeGuaranteedRef({ $0.kind == .dict && (builtin || !$0.isNativeSubclass) }) {
            let h = try hash(key)
            try Unmanaged<DictObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { try $0.set(key, hash: h, value, self) }
            return
        }
        // A list's item at an int index in range, borrowed too.
        if Runtime.storeListItem(container, key, value) { return }
        // (Borrowed: the caller holds the container.)
        if case .object(let u) = container, try u._withUnsafeGuaranteedRef({ try setItemSlowly($0, container, key, value, builtin: builtin) }) {
            return
        }
        throw typeError("'\(typeName(container))' object does not support item assignment")
    }

    /// `setItem` past its fast paths: false when the object has no item assignment.
    private func setItemSlowly(_ o: Obj, _ container: Value, _ key: Value, _ value: Value, builtin: Bool) throws -> Bool {
        if !builtin && o.isNativeSubclass, o.kind != .other,
           try callUserMethod(container, "__setitem__", [key, value]) != nil { return true }
        switch o.kind {
        case .list:
            let l = unsafeDowncast(o, to: ListObj.self)
            if case .int(let i) = key, i >= 0, i < l.items.count { l.store(value, at: i); return true }
            if case .object(let k) = key, k._withUnsafeGuaranteedRef({ $0.kind == .slice }) {
                try Unmanaged<SliceObj>.fromOpaque(k.toOpaque())._withUnsafeGuaranteedRef { try assignSlice(l, $0, value) }
                return true
            }
            guard indexValue(key) != nil else {
                throw typeError("list indices must be integers or slices, not \(typeName(key))")
            }
            let count = l.items.count
            guard let i = indexValue(key), (i < 0 ? i &+ count : i) >= 0, (i < 0 ? i &+ count : i) < count else {
                throw indexError("list assignment index out of range")
            }
            l.items[i < 0 ? i + count : i] = value
            return true
        case .dict:
            try unsafeDowncast(o, to: DictObj.self).set(key, value, self)
            return true
        case .bytes where isBytearray(o):
            try bytearraySetItem(unsafeDowncast(o, to: BytesObj.self), key, value)
            return true
        case .instance:
            return try callUserMethod(container, "__setitem__", [key, value]) != nil
        default:
            return false
        }
    }

    private func assignSlice(_ l: ListObj, _ s: SliceObj, _ value: Value) throws {
        let (start, stop, step, count) = try sliceIndices(s, length: l.items.count)
        if !isIterable(value) {
            throw typeError(step == 1 ? "can only assign an iterable" : "must assign iterable to extended slice")
        }
        if step == 1, case .object(let u) = value {
            // A list's or tuple's items go in as they are (the vector copies its own first).
            let done = u._withUnsafeGuaranteedRef { o -> Bool in
                guard o.flags & Obj.subclassFlag == 0 else { return false }
                let hi = max(start, stop)
                switch o.kind {
                case .list: l.items.replaceSubrange(start..<hi, with: unsafeDowncast(o, to: ListObj.self).items.buffer)
                case .tuple: l.items.replaceSubrange(start..<hi, with: unsafeDowncast(o, to: TupleObj.self).items)
                default: return false
                }
                return true
            }
            if done { return }
        }
        let newItems = try iterateToArray(value)
        if step == 1 {
            let hi = max(start, stop)
            l.items.replaceSubrange(start..<hi, with: newItems)
            return
        }
        if newItems.count != count {
            throw valueError("attempt to assign sequence of size \(newItems.count) to extended slice of size \(count)")
        }
        var i = start
        for v in newItems { l.items[i] = v; i += step }
    }

    func deleteItem(_ container: Value, _ key: Value, builtin: Bool = false) throws {
        if case .object(let u) = container {
            let o = u.takeUnretainedValue()
            if !builtin && o.isNativeSubclass, o.kind != .other,
               try callUserMethod(container, "__delitem__", key) != nil { return }
            switch o.kind {
            case .list:
                let l = unsafeDowncast(o, to: ListObj.self)
                if let s = key.asObject(.slice, SliceObj.self) {
                    let (start, stop, step, count) = try sliceIndices(s, length: l.items.count)
                    if step == 1 { if start < stop { l.items.removeSubrange(start..<stop) }; return }
                    var drop = Set<Int>()
                    var i = start
                    for _ in 0..<count { drop.insert(i); i += step }
                    l.items.replaceAll(with: l.items.array.enumerated().filter { !drop.contains($0.offset) }.map { $0.element })
                    return
                }
                guard indexValue(key) != nil else {
                    throw typeError("list indices must be integers or slices, not \(typeName(key))")
                }
                let count = l.items.count
                guard let i = indexValue(key), (i < 0 ? i &+ count : i) >= 0, (i < 0 ? i &+ count : i) < count else {
                    throw indexError("list assignment index out of range")
                }
                l.items.remove(at: i < 0 ? i + count : i)
                return
            case .dict:
                if try unsafeDowncast(o, to: DictObj.self).remove(key, self) == nil { throw keyError(key) }
                return
            case .bytes where isBytearray(o):
                try bytearrayDeleteItem(unsafeDowncast(o, to: BytesObj.self), key)
                return
            case .instance:
                if try callUserMethod(container, "__delitem__", key) != nil { return }
            default: break
            }
        }
        throw typeError("'\(typeName(container))' object doesn't support item deletion")
    }

    /// `item in container`.
    func contains(_ container: Value, _ item: Value, builtin: Bool = false) throws -> Bool {
        if case .object(let u) = container,
           // (Borrowed: the caller's value keeps the object alive; a local would retain it.)
           let found = try u._withUnsafeGuaranteedRef({ o -> Bool? in
                if !builtin && o.isNativeSubclass, o.kind != .other, let r = try callUserMethod(container, "__contains__", item) {
                    return try truthy(r)
                }
                switch o.kind {
                case .list:
                    let l = unsafeDowncast(o, to: ListObj.self)
                    // (An `__eq__` may change the list: the count is read again at each step.)
                    var i = 0
                    while i < l.items.count {
                        let v = l.items[i]
                        if try v.isIdentical(to: item) || equals(v, item) { return true }
                        i &+= 1
                    }
                    return false
                case .tuple:
                    for v in unsafeDowncast(o, to: TupleObj.self).items { if try v.isIdentical(to: item) || equals(v, item) { return true } }
                    return false
                case .str:
                    guard let s = item.asStr else {
                        throw typeError("'in <string>' requires string as left operand, not \(typeName(item))")
                    }
                    // By UTF-8 bytes, which is by code points (Swift's `contains` compares Characters,
                    // so it would find "é" in "e\u{301}" and not "e" there).
                    let hay = unsafeDowncast(o, to: StrObj.self).value
                    return s.value.isEmpty || utf8Find(hay, s.value) != nil
                case .dict: return try unsafeDowncast(o, to: DictObj.self).get(item, self) != nil
                case .set, .frozenset: return try unsafeDowncast(o, to: SetObj.self).contains(item, self)
                case .range:
                    let r = unsafeDowncast(o, to: RangeObj.self)
                    if let b = r.big { return bigRangeContains(b, item) }
                    guard isIntegral(item) || { if case .float = item { return true }; return false }() else { return false }
                    guard let i = indexValue(item), (try? equals(item, .int(i))) == true else { return false }
                    if r.step > 0 { return i >= r.start && i < r.stop && (i - r.start) % r.step == 0 }
                    return i <= r.start && i > r.stop && (r.start - i) % (-r.step) == 0
                case .bytes:
                    let b = unsafeDowncast(o, to: BytesObj.self).bytes
                    if let i = indexValue(item) { return i >= 0 && i < 256 && b.contains(UInt8(i)) }
                    if let n = item.asBytes { return n.bytes.isEmpty || containsSubsequence(b, n.bytes) }
                    throw typeError("a bytes-like object is required, not '\(typeName(item))'")
                case .other:
                    if let view = o as? DictViewObj, view.what == 0 { return try view.dict.get(item, self) != nil }
                case .instance, .type:
                    if let r = try callUserMethod(container, "__contains__", item) { return try truthy(r) }
                    if userMethod(container, "__getitem__") != nil && userMethod(container, "__iter__") == nil {
                        var i = 0
                        while true {
                            let v: Value
                            do { v = try getItem(container, .int(i)) } catch let e as ScriptError where e.exception.type.isSubtype(of: exc.indexError) { return false }
                            if try v.isIdentical(to: item) || equals(v, item) { return true }
                            i += 1
                        }
                    }
                default: break
                }
                return nil
           }) {
            return found
        }
        guard isIterable(container) else {
            throw typeError("argument of type '\(typeName(container))' is not iterable")
        }
        // Lazily: a generator or iterator is consumed only up to the first match.
        let it = try iterate(container)
        tempRoots.append(it)   // a generator made by `__iter__` lives only here while it runs
        defer { tempRoots.removeLast() }
        while let v = try next(it) {
            if try v.isIdentical(to: item) || equals(v, item) { return true }
        }
        return false
    }

    private func containsSubsequence(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        if needle.count > hay.count { return false }
        for i in 0...(hay.count - needle.count) where Array(hay[i..<(i + needle.count)]) == needle { return true }
        return false
    }
}
