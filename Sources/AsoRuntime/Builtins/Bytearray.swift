// `bytearray`: the mutable bytes. Its objects are bytes objects (kind `.bytes`) whose class is
// `bytearray`, so every builtin that takes a bytes-like object takes one; the byte methods
// (Methods+Bytes.swift) are defined for both types and give a bytearray back to a bytearray.
// Here: the constructor, the methods that change the object, and the helpers the item and
// operator paths use.

extension Runtime {
    /// A new bytearray holding `b`.
    func newBytearray(_ b: [UInt8]) -> Value { Value(heap.register(BytesObj(b, type: types.bytearray))) }

    /// Whether a bytes-kind object is a bytearray.
    @inline(__always) func isBytearray(_ o: Obj) -> Bool { o.typeRef === types.bytearray }

    /// Bytes of the same type as `like` (a bytearray for a bytearray, else bytes).
    func newBytes(_ b: [UInt8], like: Value) -> Value {
        if case .object(let u) = like, isBytearray(u.takeUnretainedValue()) { return newBytearray(b) }
        return newBytes(b)
    }

    /// One byte for `ba[i] = v`, `append`, `insert`: an int in range(0, 256).
    func byteArgument(_ v: Value) throws -> UInt8 {
        let b = try integerOperand(v)
        guard let x = UInt8(exactly: b) else { throw valueError("byte must be in range(0, 256)") }
        return x
    }

    /// What `ba[a:b] = v` and `ba.extend(v)` take: a bytes-like object, or an iterable of ints
    /// in range(0, 256) (nil when `v` is neither bytes-like nor iterable).
    func bytesOperand(_ v: Value) throws -> [UInt8]? {
        if let b = v.asBytes { return b.bytes }
        if v.asStr != nil || !isIterable(v) { return nil }
        return try collectValues(v).map { try byteArgument($0) }
    }

    /// `ba[key] = value`.
    func bytearraySetItem(_ ba: BytesObj, _ key: Value, _ value: Value) throws {
        if let s = key.asObject(.slice, SliceObj.self) {
            guard let new = try bytesOperand(value) else {
                throw typeError("can assign only bytes, buffers, or iterables of ints in range(0, 256)")
            }
            let (start, stop, step, count) = try sliceIndices(s, length: ba.bytes.count)
            if step == 1 {
                ba.bytes.replaceSubrange(start..<max(start, stop), with: new)
                return
            }
            if new.count != count {
                throw valueError("attempt to assign bytes of size \(new.count) to extended slice of size \(count)")
            }
            var i = start
            for b in new { ba.bytes[i] = b; i += step }
            return
        }
        guard let i = try indexValue(key) ?? indexThroughDunder(key) else {
            throw typeError("bytearray indices must be integers or slices, not \(typeName(key))")
        }
        let n = ba.bytes.count
        let j = i < 0 ? i &+ n : i
        guard j >= 0 && j < n else { throw indexError("bytearray index out of range") }
        ba.bytes[j] = try byteArgument(value)
    }

    /// `del ba[key]`.
    func bytearrayDeleteItem(_ ba: BytesObj, _ key: Value) throws {
        if let s = key.asObject(.slice, SliceObj.self) {
            let (start, stop, step, count) = try sliceIndices(s, length: ba.bytes.count)
            if step == 1 { if start < stop { ba.bytes.removeSubrange(start..<stop) }; return }
            var drop = Set<Int>()
            var i = start
            for _ in 0..<count { drop.insert(i); i += step }
            ba.bytes = ba.bytes.enumerated().filter { !drop.contains($0.offset) }.map { $0.element }
            return
        }
        guard let i = try indexValue(key) ?? indexThroughDunder(key) else {
            throw typeError("bytearray indices must be integers or slices, not \(typeName(key))")
        }
        let n = ba.bytes.count
        let j = i < 0 ? i &+ n : i
        guard j >= 0 && j < n else { throw indexError("bytearray index out of range") }
        ba.bytes.remove(at: j)
    }

    func installBytearray() {
        let t = types.bytearray
        t.construct = { rt, args in
            let p = try rt.bindParameters(Array(args.positional.dropFirst()), args.keywords, "bytearray",
                                          ["source", "encoding", "errors"], required: 0)
            return rt.newBytearray(try rt.bytesFrom(p[0], encoding: p[1], errors: p[2], name: "bytearray"))
        }
        defineMethod(t, "append") { rt, me, a in
            let b = try rt.byteArgument(try a.one(rt))
            me.asBytes?.bytes.append(b)
            return .none
        }
        defineMethod(t, "extend") { rt, me, a in
            let v = try a.one(rt)
            guard let new = try rt.bytesOperand(v) else { throw rt.typeError("can't extend bytearray with \(rt.typeName(v))") }
            me.asBytes?.bytes.append(contentsOf: new)
            return .none
        }
        defineMethod(t, "insert") { rt, me, a in
            try a.positional(rt, 2, 2)
            let i = try rt.intArgument(a[0])
            let b = try rt.byteArgument(a[1])
            guard let ba = me.asBytes else { return .none }
            let n = ba.bytes.count
            let j = i < 0 ? max(0, i &+ n) : min(i, n)
            ba.bytes.insert(b, at: j)
            return .none
        }
        defineMethod(t, "pop") { rt, me, a in
            try a.positional(rt, 0, 1)
            guard let ba = me.asBytes else { return .none }
            let i = a.count == 1 ? try rt.intArgument(a[0]) : -1
            let n = ba.bytes.count
            if n == 0 { throw rt.indexError("pop from empty bytearray") }
            let j = i < 0 ? i &+ n : i
            guard j >= 0 && j < n else { throw rt.indexError("pop index out of range") }
            return .int(Int(ba.bytes.remove(at: j)))
        }
        defineMethod(t, "remove") { rt, me, a in
            let b = try rt.byteArgument(try a.one(rt))
            guard let ba = me.asBytes else { return .none }
            guard let j = ba.bytes.firstIndex(of: b) else { throw rt.valueError("value not found in bytearray") }
            ba.bytes.remove(at: j)
            return .none
        }
        defineMethod(t, "clear") { rt, me, a in
            try a.none(rt)
            me.asBytes?.bytes.removeAll()
            return .none
        }
        defineMethod(t, "reverse") { rt, me, a in
            try a.none(rt)
            me.asBytes?.bytes.reverse()
            return .none
        }
        defineMethod(t, "copy") { rt, me, a in
            try a.none(rt)
            return rt.newBytearray(me.asBytes?.bytes ?? [])
        }
        defineMethod(t, "__iadd__") { rt, me, a in
            let v = try a.one(rt)
            guard let b = v.asBytes else { throw rt.typeError("can't concat \(rt.typeName(v)) to bytearray") }
            me.asBytes?.bytes.append(contentsOf: b.bytes)
            return me
        }
    }
}
