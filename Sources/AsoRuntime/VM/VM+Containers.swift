// Containers in the dispatch loop: `list[int]` without reference counting, and the values the
// build instructions make from stack slots (f-strings, sets, dicts, `[*xs]`, functions).

extension Runtime {
    /// `container[lower:upper:step]` of a list, tuple or str of the builtin types with int or
    /// None bounds and step, with no slice object (`binarySlice`); nil for anything else (then
    /// `sliceSlowly`). A whole tuple or str is itself, as in CPython.
    @inline(__always)
    func slice(_ container: Value, _ lower: Value, _ upper: Value, _ step: Value) -> Value? {
        guard case .object(let u) = container else { return nil }
        return u._withUnsafeGuaranteedRef { o -> Value? in
            guard !o.isNativeSubclass else { return nil }
            switch o.kind {
            case .list:
                let items = unsafeDowncast(o, to: ListObj.self).items.buffer
                guard let r = Runtime.sliceRange(lower, upper, step, length: items.count) else { return nil }
                if r.step == 1 {
                    return makeList(taking: ValueVector(UnsafeBufferPointer(rebasing: items[r.start..<r.start &+ r.count])))
                }
                var out = ValueVector(capacity: r.count)
                var i = r.start
                for _ in 0..<r.count { out.append(items[i]); i &+= r.step }
                return makeList(taking: out)
            case .tuple:
                let items = unsafeDowncast(o, to: TupleObj.self).items
                guard let r = Runtime.sliceRange(lower, upper, step, length: items.count) else { return nil }
                if r.step == 1 && r.count == items.count { return container }
                return makeTuple(count: r.count) { p in
                    var i = r.start
                    for k in 0..<r.count { (p + k).initialize(to: items[i]); i &+= r.step }
                }
            case .str:
                let s = unsafeDowncast(o, to: StrObj.self)
                guard let r = Runtime.sliceRange(lower, upper, step, length: s.count) else { return nil }
                if r.step == 1 && r.count == s.count { return container }
                if r.count == 1 { return character(s, at: r.start) }
                if !s.isASCII {
                    return r.step == 1 ? newStr(s.substring(r.start, r.start &+ r.count)) : nil
                }
                return withUTF8(s.value) { bytes -> Value in
                    if r.step == 1 { return newStr(utf8: UnsafeBufferPointer(rebasing: bytes[r.start..<r.start &+ r.count]), ascii: true) }
                    let text = String(unsafeUninitializedCapacity: r.count) { out in
                        var i = r.start
                        for k in 0..<r.count { out[k] = bytes[i]; i &+= r.step }
                        return r.count
                    }
                    return makeStr(text, count: r.count, ascii: true)
                }
            default:
                return nil
            }
        }
    }

    /// The items `[lower:upper:step]` takes from a sequence of `length` items, as
    /// `slice.indices`: the first index, the step and how many; nil unless the bounds are ints or
    /// None and the step an int other than 0 (and Int.min) or None.
    @inline(__always)
    static func sliceRange(_ lower: Value, _ upper: Value, _ step: Value, length n: Int) -> (start: Int, step: Int, count: Int)? {
        let st: Int
        switch step {
        case .none: st = 1
        case .int(let i) where i != 0 && i != .min: st = i
        default: return nil
        }
        @inline(__always) func bound(_ v: Value, _ missing: Int) -> Int? {
            switch v {
            case .none: return missing
            case .int(let i):
                if i < 0 { return i &+ n >= 0 ? i &+ n : (st < 0 ? -1 : 0) }
                return i < n ? i : (st < 0 ? n &- 1 : n)
            default: return nil
            }
        }
        guard let start = bound(lower, st < 0 ? n &- 1 : 0), let stop = bound(upper, st < 0 ? -1 : n) else { return nil }
        if st < 0 { return (start, st, stop < start ? (start &- stop &- 1) / (0 &- st) &+ 1 : 0) }
        return (start, st, start < stop ? (stop &- start &- 1) / st &+ 1 : 0)
    }

    /// `container[lower:upper] = value` (`storeSlice`; `slots` holds the value, the container
    /// and the bounds) of a list with a list or tuple of the builtin types and int or None bounds,
    /// with no slice object; false for anything else (then `storeSliceSlowly`).
    @inline(__always)
    static func storeSlice(_ slots: UnsafeMutablePointer<Value>) -> Bool {
        guard case .object(let lu) = slots[1], case .object(let vu) = slots[0] else { return false }
        return lu._withUnsafeGuaranteedRef { lo -> Bool in
            guard lo.kind == .list, !lo.isNativeSubclass else { return false }
            let l = unsafeDowncast(lo, to: ListObj.self)
            guard let r = Runtime.sliceRange(slots[2], slots[3], .none, length: l.items.count) else { return false }
            let a = r.start, b = r.start &+ r.count
            return vu._withUnsafeGuaranteedRef { vo -> Bool in
                guard !vo.isNativeSubclass else { return false }
                // (The vector copies the source first when it is the list itself.)
                switch vo.kind {
                case .list: l.items.replaceSubrange(a..<b, with: unsafeDowncast(vo, to: ListObj.self).items.buffer)
                case .tuple: l.items.replaceSubrange(a..<b, with: unsafeDowncast(vo, to: TupleObj.self).items)
                default: return false
                }
                return true
            }
        }
    }

    /// `storeSlice` of anything else, through a slice object (left in `slots[2]`, rooted while
    /// `__setitem__` runs).
    @inline(never)
    func storeSliceSlowly(_ slots: UnsafeMutablePointer<Value>) throws {
        slots[2] = Value(heap.register(SliceObj(start: slots[2], stop: slots[3], step: .none, type: types.slice)))
        try setItem(slots[1], slots[2], slots[0])
    }

    /// `binarySlice` of anything else: `base[0][base[1]:base[2]:step]` through a slice object
    /// (left in `base[1]`, so that it is rooted while `__getitem__` runs), the result in `base[0]`.
    @inline(never)
    func sliceSlowly(_ base: UnsafeMutablePointer<Value>, step: Value) throws {
        (base + 1).pointee = Value(heap.register(SliceObj(start: (base + 1).pointee, stop: (base + 2).pointee,
                                                          step: step, type: types.slice)))
        base.pointee = try getItem(base.pointee, (base + 1).pointee)
    }

    /// `container[key]` of a list and an int in range, without reference counting, written to
    /// `slot`; false for anything else (then `getItem`).
    @inline(__always)
    static func listItem(_ container: Value, _ key: Value, into slot: UnsafeMutablePointer<Value>) -> Bool {
        guard case .object(let u) = container, case .int(let i) = key,
              let v = u._withUnsafeGuaranteedRef({ o -> Value? in
                  guard o.kind == .list, !o.isNativeSubclass else { return nil }
                  let l = unsafeDowncast(o, to: ListObj.self)
                  return i >= 0 && i < l.items.count ? l.items[i] : nil
              }) else { return false }
        slot.pointee = v
        return true
    }

    /// `container[key] = value` of a builtin list and an int in range (negative ones counted from
    /// the end), without reference counting; false for anything else (then `setItem`).
    @inline(__always)
    static func storeListItem(_ container: Value, _ key: Value, _ value: Value) -> Bool {
        guard case .object(let u) = container, case .int(var i) = key else { return false }
        return u._withUnsafeGuaranteedRef { o -> Bool in
            guard o.kind == .list, !o.isNativeSubclass else { return false }
            let l = unsafeDowncast(o, to: ListObj.self)
            let n = l.items.count
            if i < 0 { i &+= n }
            guard i >= 0 && i < n else { return false }
            l.store(value, at: i)
            return true
        }
    }

    /// `unpackSequence` of a tuple or list of the builtin types holding exactly `count` items,
    /// without reference counting: the items go to `slot` upwards, last item first (the first on
    /// top, as the instruction leaves them); false for anything else (then `unpack`). The source
    /// may be in `slot` itself: nothing is freed before the next safepoint.
    @inline(__always)
    static func unpackInPlace(_ v: Value, count: Int, into slot: UnsafeMutablePointer<Value>) -> Bool {
        guard case .object(let u) = v else { return false }
        return u._withUnsafeGuaranteedRef { o -> Bool in
            guard o.flags & Obj.subclassFlag == 0 else { return false }
            let copy = { (items: UnsafeBufferPointer<Value>) -> Bool in
                guard items.count == count else { return false }
                var i = 0
                while i < count { slot[i] = items[count &- 1 &- i]; i &+= 1 }
                return true
            }
            switch o.kind {
            case .tuple: return copy(unsafeDowncast(o, to: TupleObj.self).items)
            case .list: return copy(unsafeDowncast(o, to: ListObj.self).items.buffer)
            default: return false
            }
        }
    }

    /// `buildString`: the `count` pieces of an f-string at `items` joined (pieces are strings,
    /// or ints and floats left as they are by `formatValue`).
    @inline(__always)
    func concatenate(_ items: UnsafeMutablePointer<Value>, count: Int) -> Value {
        buildingString { out in
            var ascii = true   // numbers are; a string piece says so itself
            for i in 0..<count {
                switch items[i] {
                case .int(let n): out.append(decimalString(n))
                case .float(let d): appendFloatRepr(d, into: &out)
                case let v:
                    v.withStr {
                        ascii = ascii && $0.isASCII
                        withUTF8($0.value) { out.append(bytes: $0) }
                    }
                }
            }
            return out.bytes.withUnsafeBufferPointer { newStr(utf8: $0, ascii: ascii ? true : nil) }
        }
    }

    /// `{a, b, ...}` from `count` stack slots (which stay rooted while they are hashed).
    func buildSet(_ items: UnsafeMutablePointer<Value>, count: Int) throws -> Value {
        let s = newSet()
        // Rooted while hashing (`__hash__` may run script code and collect); not in a stack slot:
        // a frame's stack has no room above its deepest point.
        tempRoots.append(Value(s))
        defer { tempRoots.removeLast() }
        for i in 0..<count { try s.add(items[i], self) }
        return Value(s)
    }

    /// `{k: v, ...}` from `pairs` key/value pairs of stack slots.
    func buildMap(_ items: UnsafeMutablePointer<Value>, pairs: Int) throws -> Value {
        let d = newDict()
        tempRoots.append(Value(d))
        defer { tempRoots.removeLast() }
        for i in 0..<pairs { try d.set(items[2 * i], items[2 * i + 1], self) }
        return Value(d)
    }

    /// `listExtend`: the items of `iterable` appended to `list` (`[*xs]`, `f(*xs)`).
    @inline(__always)
    func extendList(_ list: Value, _ iterable: Value) throws {
        if !isIterable(iterable) { throw typeError("Value after * must be an iterable, not \(typeName(iterable))") }
        let items = try iterateToArray(iterable)
        guard let l = list.asList else { return }
        // An empty list takes the items' storage as it is (shared until either side changes: copy
        // on write).
        if l.items.isEmpty { l.items.replaceAll(with: items) } else { l.items.append(contentsOf: items) }
    }

    /// `makeFunction`: a function from the code object on top of the stack and, below it, what
    /// the flags in `arg` say is there (closure 8, keyword defaults 2, defaults 1).
    @inline(__always)
    func makeFunction(_ arg: Int, _ sp: inout UnsafeMutablePointer<Value>) throws {
        sp -= 1
        guard let c = sp.pointee.asObject(.code, CodeObj.self) else { throw runtimeError("bad code constant") }
        var closure: [Value] = [], kwDefaults: [(String, Value)] = [], defaults: [Value] = []
        if arg & 8 != 0 { sp -= 1; closure = sp.pointee.tupleArray ?? [] }
        var annotations = Value.null
        if arg & 4 != 0 { sp -= 1; annotations = sp.pointee }
        if arg & 2 != 0 {
            sp -= 1
            for (k, v) in sp.pointee.asDict?.entries ?? [] { kwDefaults.append((k.asStr?.value ?? "", v)) }
        }
        if arg & 1 != 0 { sp -= 1; defaults = sp.pointee.tupleArray ?? [] }
        let f = heap.register(FunctionObj(code: c, defaults: defaults, kwDefaults: kwDefaults,
                                          closure: closure, type: types.function))
        f.annotations = annotations
        sp.pointee = Value(f)
        sp += 1
    }
}
