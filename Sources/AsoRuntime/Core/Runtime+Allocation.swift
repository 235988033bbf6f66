// Making the builtin objects: every new string, list, tuple, dict, ... is registered with the
// heap here, so the collector owns it from the start.
//
// One idea: strings used as names and constants are interned (one object per text), everything
// else is a fresh object; nothing is freed but by the collector.

extension Runtime {
    @inline(__always) func newStr(_ s: __owned String) -> Value {
        let m = StrObj.measured(s)
        return makeStr(s, count: m.count, ascii: m.ascii)
    }
    /// A new string whose text the caller knows to be all ASCII (it is not measured again).
    @inline(__always) func newASCIIStr(_ s: __owned String) -> Value {
        makeStr(s, count: s.utf8.count, ascii: true)
    }
    /// A new builtin string of `value`, `count` code points long and all ASCII when `ascii` (as
    /// the caller measured it).
    @inline(__always) func makeStr(_ value: __owned String, count: Int, ascii: Bool) -> Value {
        if ascii, let text = heap.strText, let u = heap.pooled(Heap.strPool) {
            return revivedStr(u, text, value, count: count)
        }
        return heap.registerValue(StrObj.make(value, count: count, ascii: ascii, type: types.str))
    }

    /// A dead ASCII string from the pool made new with `value`.
    private func revivedStr(_ u: Unmanaged<Obj>, _ text: StrObj.Text, _ value: __owned String, count: Int) -> Value {
        let s = Unmanaged<StrObj>.fromOpaque(u.toOpaque())
        s._withUnsafeGuaranteedRef { o in
            o.renew(type: Unmanaged.passUnretained(types.str))
            o.setMeasured(count: count, ascii: true)
            text.fill(o, with: value)
        }
        return heap.registerRevived(s, size: 56 &+ count)
    }
    /// A new string from UTF-8 bytes; `ascii: true` when the caller knows them all ASCII (then they
    /// are not measured again).
    /// No bytes are the one empty string, one ASCII byte its interned one-character string
    /// (CPython shares both too).
    @inline(__always) func newStr(utf8 bytes: UnsafeBufferPointer<UInt8>, ascii: Bool?) -> Value {
        if bytes.count <= 1 {
            guard let b = bytes.first else { return emptyString }
            if b < 0x80 { return asciiCharacter(Int(b)) }
        }
        let s = utf8String(bytes)
        if ascii == true { return makeStr(s, count: bytes.count, ascii: true) }
        return newStr(s)
    }

    /// The empty string, made once.
    var emptyString: Value {
        if asciiCharacters[128].isNull { asciiCharacters[128] = intern("") }
        return asciiCharacters[128]
    }

    /// The interned one-character string of ASCII code `b` (0..<128).
    @inline(__always) func asciiCharacter(_ b: Int) -> Value {
        let known = asciiCharacters[b]
        if !known.isNull { return known }
        let made = intern(String(UnicodeScalar(UInt8(truncatingIfNeeded: b))))
        asciiCharacters[b] = made
        return made
    }

    /// `s[i]` (0 <= i < s.count): the interned one-character string; for an ASCII string, by
    /// its byte, without hashing the text.
    @inline(__always) func character(_ s: StrObj, at i: Int) -> Value {
        if s.isASCII { return asciiCharacter(Int(withUTF8(s.value) { $0[i] } & 0x7F)) }
        return intern(s.character(at: i))
    }

    /// A string shared by every use of the same text (for names and constants).
    func intern(_ s: String) -> Value {
        if let o = interned[s] { return Value(o) }
        let o = heap.register(StrObj.make(s, type: types.str))
        interned[s] = o
        return Value(o)
    }

    @inline(__always) func newList(_ items: [Value]) -> Value { makeList(taking: ValueVector(items)) }
    /// A list of the values of `items`.
    @inline(__always) func newList(_ items: UnsafeBufferPointer<Value>) -> Value { makeList(taking: ValueVector(items)) }
    /// A list that takes `items` as its elements: a dead one from the heap's pool made new when
    /// there is one (Heap.swift), else a new one.
    @inline(__always) func makeList(taking items: consuming ValueVector) -> Value {
        if let list = revivedList(taking: &items) { return heap.registerRevived(list.list, size: list.size) }
        return heap.registerValue(ListObj(taking: items, type: types.list))
    }
    /// `makeList(taking:)` as an object. (The value form hands the list out unmanaged: going
    /// through a strong `ListObj` cost a retain and a release per list.)
    @inline(__always) func makeListObject(taking items: consuming ValueVector) -> ListObj {
        if let list = revivedList(taking: &items) {
            _ = heap.registerRevived(list.list, size: list.size)
            return list.list.takeUnretainedValue()
        }
        return heap.register(ListObj(taking: items, type: types.list))
    }
    /// A dead list from the heap's pool made new with `items` (taken, left empty), and its
    /// counted size; nil when the pool has none.
    @inline(__always) private func revivedList(taking items: inout ValueVector) -> (list: Unmanaged<ListObj>, size: Int)? {
        guard let u = heap.pooled(Heap.listPool) else { return nil }
        let list = Unmanaged<ListObj>.fromOpaque(u.toOpaque())
        let size = list._withUnsafeGuaranteedRef { l -> Int in
            l.revive(taking: &items, type: Unmanaged.passUnretained(types.list))
            return 64 &+ l.items.capacity &* MemoryLayout<Value>.stride
        }
        return (list, size)
    }
    /// `newList` for the dispatch loop, kept out of it.
    @inline(never) func listOutOfLine(_ items: UnsafeBufferPointer<Value>) -> Value { newList(items) }
    @inline(__always) func newTuple(_ items: [Value]) -> Value {
        items.withUnsafeBufferPointer { newTuple($0) }
    }
    @inline(__always) func newTuple(_ items: UnsafeBufferPointer<Value>) -> Value {
        makeTuple(count: items.count) { p in if let s = items.baseAddress { p.initialize(from: s, count: items.count) } }
    }
    /// `newTuple` for the dispatch loop, kept out of it (its pool path would grow the loop).
    @inline(never) func tupleOutOfLine(_ items: UnsafeBufferPointer<Value>) -> Value { newTuple(items) }
    /// A pair, made without an array.
    @inline(__always) func newTuple(_ a: Value, _ b: Value) -> Value {
        makeTuple(count: 2) { p in p.initialize(to: a); (p + 1).initialize(to: b) }
    }
    /// A tuple of `count` items that `fill` writes (every one, in order): a dead one from the
    /// heap's pool made new when there is one (Heap.swift), else a new one; the empty tuple is
    /// always the same one.
    @inline(__always) func makeTuple(count: Int, _ fill: (UnsafeMutablePointer<Value>) throws -> Void) rethrows -> Value {
        if count == 0 && !emptyTuple.isNone { return emptyTuple }
        if let u = heap.pooledTuple(count) {
            do {
                try u._withUnsafeGuaranteedRef { try $0.revive(type: Unmanaged.passUnretained(types.tuple), fill) }
            } catch {
                heap.unpoolTuple(u, count)
                throw error
            }
            return heap.registerRevived(u, size: 48 &+ count &* MemoryLayout<Value>.stride)
        }
        return heap.registerValue(try TupleObj(count: count, type: types.tuple, fill: fill))
    }
    /// A new instance of the script class `t` (no attributes yet): a dead one from the heap's pool
    /// made new when there is one.
    @inline(__always) func newInstance(of t: TypeObject) -> Value {
        if let u = heap.pooled(Heap.instancePool) {
            let i = Unmanaged<InstanceObj>.fromOpaque(u.toOpaque())
            i._withUnsafeGuaranteedRef { $0.revive(type: Unmanaged.passUnretained(t)) }
            return heap.registerRevived(i, size: 48)
        }
        return heap.registerValue(InstanceObj(type: t))
    }
    /// A new empty dict: a dead one from the heap's pool made new when there is one.
    func newDict() -> DictObj {
        if let u = heap.pooled(Heap.dictPool) {
            let d = Unmanaged<DictObj>.fromOpaque(u.toOpaque())
            let size = d._withUnsafeGuaranteedRef { d -> Int in
                d.renew(type: Unmanaged.passUnretained(types.dict))
                return d.estimatedSize
            }
            _ = heap.registerRevived(d, size: size)
            return d.takeUnretainedValue()
        }
        return heap.register(DictObj(type: types.dict))
    }
    /// A new empty set (or frozenset): a dead one from the heap's pool made new when there is one.
    @inline(__always)
    func newSet(frozen: Bool = false) -> SetObj {
        if let u = heap.pooled(frozen ? Heap.frozensetPool : Heap.setPool) {
            let s = Unmanaged<SetObj>.fromOpaque(u.toOpaque())
            let t = Unmanaged.passUnretained(frozen ? types.frozenset : types.set)
            s._withUnsafeGuaranteedRef { $0.renew(type: t) }
            _ = heap.registerRevived(s, size: 64)
            return s.takeUnretainedValue()
        }
        return heap.register(SetObj(frozen: frozen, type: frozen ? types.frozenset : types.set))
    }
    func newBytes(_ b: [UInt8]) -> Value { Value(heap.register(BytesObj(b, type: types.bytes))) }
    @inline(__always)
    func newIterator(_ source: IterObj.Source, type: TypeObject? = nil) -> Value {
        if let u = heap.pooled(Heap.iteratorPool) {
            let it = Unmanaged<IterObj>.fromOpaque(u.toOpaque())
            let t = type.map { Unmanaged.passUnretained($0) } ?? Unmanaged.passUnretained(types.iterator)
            it._withUnsafeGuaranteedRef { $0.revive(source, type: t) }
            return heap.registerRevived(it, size: 48)
        }
        return heap.registerValue(IterObj(source, type: type ?? types.iterator))
    }

    /// A native function object.
    func native(_ name: String, owner: String? = nil, fastPath: NativeFastPath = .none, _ fn: @escaping NativeFn) -> Value {
        let f = NativeFunctionObj(name: name, owner: owner, type: types.builtinFunction, fn: fn)
        f.fastPath = fastPath
        return Value(heap.register(f))
    }
}

extension Array {
    /// `count` copies of `value`, as `Array(repeating:count:)` makes them, but by a path the
    /// compiler specializes for the element type. (`Array(repeating:count:)` allocates through an
    /// unspecialized function of the standard library that looks up the array's generic metadata in
    /// the runtime's hash table on every call: a few percent of a program that makes many small
    /// sets or dicts.)
    @inline(__always) init(filledWith value: Element, count: Int) {
        self.init()
        reserveCapacity(count)
        for _ in 0..<count { append(value) }
    }
}
