// Iteration: `iter()`, `next()`, draining an iterable, and unpacking into targets.

import BigInt

extension Runtime {
    func isIterable(_ v: Value) -> Bool {
        guard case .object(let u) = v else { return false }
        switch u.takeUnretainedValue().kind {
        case .generator: return u._withUnsafeGuaranteedRef { $0.hasType(types.generator) }
        case .list, .tuple, .str, .bytes, .dict, .set, .frozenset, .range, .iterator: return true
        case .other: return u.takeUnretainedValue().type.containerSlots != nil
        case .instance, .type: return userMethod(v, "__iter__") != nil || userMethod(v, "__next__") != nil || userMethod(v, "__getitem__") != nil
        default: return false
        }
    }

    /// `iter(v)`.
    func iterate(_ v: Value, builtin: Bool = false) throws -> Value {
        if case .object(let u) = v,
           // (Borrowed: `v` keeps the object alive; a local would retain it.)
           let r = try u._withUnsafeGuaranteedRef({ o -> Value? in
                if !builtin && o.isNativeSubclass, o.kind != .other, let r = try callUserMethod(v, "__iter__", []) {
                    guard isIterator(r) else { throw typeError("iter() returned non-iterator of type '\(typeName(r))'") }
                    return r
                }
                switch o.kind {
                case .list: return newIterator(.list(Ref(unsafeDowncast(o, to: ListObj.self))), type: types.listIterator)
                case .tuple: return newIterator(.tuple(Ref(unsafeDowncast(o, to: TupleObj.self))), type: types.tupleIterator)
                case .str: return newIterator(.str(Ref(unsafeDowncast(o, to: StrObj.self))), type: types.strIterator)
                case .bytes:
                    return newIterator(.bytes(Ref(unsafeDowncast(o, to: BytesObj.self))),
                                       type: isBytearray(o) ? types.bytearrayIterator : types.bytesIterator)
                case .range:
                    let r = unsafeDowncast(o, to: RangeObj.self)
                    if let b = r.big { return bigRangeIterator(r, b, reversed: false) }
                    return newIterator(.range(Ref(r)), type: types.rangeIterator)
                case .dict:
                    let d = unsafeDowncast(o, to: DictObj.self)
                    return newIterator(.dict(Ref(d), what: 0, version: d.version), type: types.dictKeyIterator)
                case .set, .frozenset:
                    let s = unsafeDowncast(o, to: SetObj.self)
                    return newIterator(.set(Ref(s), version: s.version), type: types.setIterator)
                case .iterator: return v
                case .generator where o.hasType(types.generator): return v
                case .other where o.hasType(types.coroutineWrapper): return v
                case .instance, .type:
                    if let r = try callUserMethod(v, "__iter__", []) {
                        guard isIterator(r) else { throw typeError("iter() returned non-iterator of type '\(typeName(r))'") }
                        return r
                    }
                    if userMethod(v, "__getitem__") != nil {
                        // The old sequence protocol: __getitem__(0), (1), ... until IndexError.
                        var i = 0
                        return newIterator(.native(next: { rt in
                            do {
                                let x = try rt.getItem(v, .int(i))
                                i += 1
                                return x
                            } catch let e as ScriptError where e.exception.type.isSubtype(of: rt.exc.indexError) {
                                return nil
                            }
                        }, traced: [v]), type: types.iterator)
                    }
                case .other:
                    if let slots = o.type.containerSlots { return slots.iterate(self, o) }
                default: break
                }
                return nil
           }) {
            return r
        }
        throw typeError("'\(typeName(v))' object is not iterable")
    }

    /// `iter(view)` for a dict view: an iterator over the dict's keys, values or items.
    func iterateDictView(_ view: DictViewObj) -> Value {
        let t = [types.dictKeyIterator, types.dictValueIterator, types.dictItemIterator][view.what]
        return newIterator(.dict(Ref(view.dict), what: view.what, version: view.dict.version), type: t)
    }

    /// Whether `v` is an iterator: it has a `__next__`.
    func isIterator(_ v: Value) -> Bool {
        guard case .object(let u) = v else { return false }
        switch u.takeUnretainedValue().kind {
        case .iterator, .generator: return true
        case .instance: return userMethod(v, "__next__") != nil
        case .other: return u._withUnsafeGuaranteedRef { $0.hasType(types.coroutineWrapper) }
        default: return false
        }
    }

    /// The next value of an iterator value, or nil when exhausted.
    /// The builtin `next(it)` / `next(it, default)`: the next item; at the end the default, or else
    /// the StopIteration that ends the iterator, carrying a generator's return value and passing a
    /// user `__next__`'s own StopIteration through unchanged.
    func nextItem(_ v: Value, default fallback: Value?) throws -> Value {
        if case .object(let u) = v, u._withUnsafeGuaranteedRef({ $0.kind == .generator }) {
            switch try resumeGenerator(u) {
            case .yielded(let x): return x
            case .returned(let r):
                if let d = fallback { return d }
                throw ScriptError(exception: stopIteration(r))
            case .parked: throw parkedOutsideTask()
            }
        }
        if fallback == nil, userMethod(v, "__next__") != nil { return try callUserMethod(v, "__next__", []) ?? .none }
        if let x = try next(v) { return x }
        if let d = fallback { return d }
        throw ScriptError(exception: stopIteration(.none))
    }

    func next(_ v: Value) throws -> Value? {
        if case .object(let u) = v {
            // (Borrowed: the caller holds the iterator.)
            switch u._withUnsafeGuaranteedRef({ $0.kind }) {
            case .generator:
                if !u._withUnsafeGuaranteedRef({ $0.hasType(types.generator) }) {
                    throw typeError("'\(typeName(v))' object is not an iterator")
                }
                if case .yielded(let x) = try resumeGenerator(u) { return x }
                return nil
            case .iterator:
                return try u._withUnsafeGuaranteedRef { try next(unsafeDowncast($0, to: IterObj.self)) }
            default: break
            }
        }
        if userMethod(v, "__next__") != nil {
            do { return try callUserMethod(v, "__next__", []) } catch let e as ScriptError where e.exception.type.isSubtype(of: exc.stopIteration) {
                return nil
            }
        }
        throw typeError("'\(typeName(v))' object is not an iterator")
    }

    /// Each value of iterator `it`, in order: offered to `take` first, then, when `take` does
    /// not take it, to `body`, which returns false to stop. For a plain generator, `take` runs
    /// inside the generator's own run (`Runtime.generatorSink`): the values it takes cost no
    /// return to native code and no resumption. So `take` must run no script code, throw
    /// nothing and keep what it takes rooted; `body` runs between resumptions, as a `next`
    /// loop's body would.
    func forEachValue(_ it: Value, take: (Value) -> Bool, _ body: (Value) throws -> Bool) throws {
        // (The sink is released before `withoutActuallyEscaping` ends: nothing else keeps it.)
        if case .object(let u) = it, u._withUnsafeGuaranteedRef({ $0.kind == .generator && $0.hasType(types.generator) }) {
            // (Borrowed: the caller holds the iterator.)
            try Unmanaged<GeneratorObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { g in
                try withoutActuallyEscaping(take) { take in
                    let sink = ValueSink(take)
                    defer { withExtendedLifetime(sink) {} }
                    while true {
                        let outer = generatorSink
                        generatorSink = (u.toOpaque(), Unmanaged.passUnretained(sink))
                        let step: ResumeResult
                        do {
                            step = try resume(g, sending: .none)
                        } catch {
                            generatorSink = outer
                            throw error
                        }
                        generatorSink = outer
                        guard case .yielded(let v) = step, try body(v) else { return }
                    }
                }
            }
            return
        }
        while let v = try next(it) {
            if !take(v), try !body(v) { return }
        }
    }

    func next(_ it: IterObj) throws -> Value? {
        let i = it.index
        switch it.source {
        case .list(let r):
            if let v = r.borrow({ l in i < l.items.count ? l.items[i] : nil }) { it.index = i + 1; return v }
        case .reversedList(let r):
            if let v = r.borrow({ l -> Value? in
                let j = l.items.count - 1 - i
                return j >= 0 ? l.items[j] : nil
            }) { it.index = i + 1; return v }
        case .tuple(let r):
            if let v = r.borrow({ t in i < t.items.count ? t.items[i] : nil }) { it.index = i + 1; return v }
        case .str(let r):
            if let c = r.borrow({ s in i < s.count ? character(s, at: i) : nil }) { it.index = i + 1; return c }
        case .bytes(let r):
            if let v = r.borrow({ b in i < b.bytes.count ? Value.int(Int(b.bytes[i])) : nil }) { it.index = i + 1; return v }
        case .range(let r):
            if let v = r.borrow({ g in i < g.length ? Value.int(g.element(i)) : nil }) { it.index = i + 1; return v }
        case .values(let vs):
            if i < vs.count { it.index = i + 1; return vs[i] }
        case .dict(let r, let what, let version):
            if let (key, value) = try nextDictEntry(it, r, version) {
                switch what {
                case 0: return key
                case 1: return value
                default: return newTuple(key, value)
                }
            }
        case .set(let r, let version):
            var changed = false
            let hit = r.borrow { s -> (index: Int, key: Value)? in
                if s.version != version { changed = true; return nil }
                return s.table.nextLive(from: i).map { ($0, s.table.key(at: $0)) }
            }
            if changed {
                it.source = .exhausted
                throw runtimeError("Set changed size during iteration")
            }
            if let hit { it.index = hit.index + 1; return hit.key }
        case .enumerate(let inner, let start):
            if let v = try next(inner) {
                it.index = i + 1
                return newTuple(Runtime.enumerateCount(start, i, self), v)
            }
        case .zip(let r, let strict):
            return try withZipRow(it, r, strict) { newTuple($0) }
        case .native(let next, _):
            if let v = try next(self) { return v }
        case .exhausted:
            return nil
        }
        it.source = .exhausted
        return nil
    }

    /// The next entry of a dict iterator from its position (nil at the end), which it moves past.
    /// Throws when the dict changed size since the iterator was made.
    @inline(__always)
    private func nextDictEntry(_ it: IterObj, _ r: Ref<DictObj>, _ version: Int32) throws -> (Value, Value)? {
        let i = it.index
        var changed = false
        let hit = r.borrow { d -> (index: Int, key: Value, value: Value)? in
            if d.version != version { changed = true; return nil }
            return d.nextLive(from: i).map { ($0, d.key(at: $0), d.value(at: $0)) }
        }
        if changed {
            it.source = .exhausted
            throw runtimeError("dictionary changed size during iteration")
        }
        guard let hit else { return nil }
        it.index = hit.index + 1
        return (hit.key, hit.value)
    }

    /// `body` with the next row of a zip over the iterators in `r` (see `zipRow`); nil when the
    /// zip is exhausted.
    private func withZipRow<R>(_ it: IterObj, _ r: Ref<TupleObj>, _ strict: Bool,
                               _ body: (UnsafeBufferPointer<Value>) -> R) throws -> R? {
        let n = r.borrow { $0.count }
        return try withUnsafeTemporaryAllocation(of: Value.self, capacity: n) { row -> R? in
            guard let p = row.baseAddress,
                  try r.borrow({ try zipRow(it, $0.items, strict: strict, into: p) }) else { return nil }
            return body(UnsafeBufferPointer(start: p, count: n))
        }
    }

    /// The count enumerate gives the item at `index` of an enumeration from `start`.
    @inline(__always)
    static func enumerateCount(_ start: Int, _ index: Int, _ rt: Runtime) -> Value {
        let (n, overflow) = start.addingReportingOverflow(index)
        return overflow ? rt.makeInt(BigInt(start) + BigInt(index)) : .int(n)
    }

    /// `for a, b in it`: the next item of an iterator that would make a new pair for it
    /// (enumerate, a zip of two, a dict's items), as its two halves, without making the pair;
    /// `.other` for any other iterator (which `next` serves).
    enum PairStep { case pair(Value, Value), done, other }

    func nextPair(_ it: IterObj) throws -> PairStep {
        let i = it.index
        switch it.source {
        case .enumerate(let inner, let start):
            if let v = try next(inner) {
                it.index = i + 1
                return .pair(Runtime.enumerateCount(start, i, self), v)
            }
        case .zip(let r, let strict):
            guard r.borrow({ $0.count }) == 2 else { return .other }
            return try withZipRow(it, r, strict) { .pair($0[0], $0[1]) } ?? .done
        case .dict(let r, 2, let version):
            if let (key, value) = try nextDictEntry(it, r, version) { return .pair(key, value) }
        default:
            return .other
        }
        it.source = .exhausted
        return .done
    }

    /// All values of an iterable.
    /// The values collected so far stay rooted (in a list on `tempRoots`), since producing the next
    /// one may run script code (a generator) and with it the collector. With `lengthHint` (as
    /// `list()` and `tuple()`), the object is asked for its size first (`askLengthHint`).
    func iterateToArray(_ v: Value, lengthHint: Bool = false) throws -> [Value] {
        if let items = try sequenceItems(v, lengthHint: lengthHint) { return Array(items) }
        return try iterateToList(v, lengthHint: lengthHint).items.array
    }

    /// The items of a list or tuple that iterates as itself (not a subclass with an `__iter__` of
    /// its own), borrowed until the list changes; nil for anything else.
    func sequenceItems(_ v: Value, lengthHint: Bool) throws -> UnsafeBufferPointer<Value>? {
        // An exact list or tuple, borrowed (no reference counting).
        if case .object(let u) = v, let items = u._withUnsafeGuaranteedRef({ o -> UnsafeBufferPointer<Value>? in
            guard o.flags & Obj.subclassFlag == 0 else { return nil }
            switch o.kind {
            case .list: return unsafeDowncast(o, to: ListObj.self).items.buffer
            case .tuple: return unsafeDowncast(o, to: TupleObj.self).items
            default: return nil
            }
        }) {
            return items
        }
        if let l = v.asList, !l.isNativeSubclass || userMethod(v, "__iter__") == nil {
            if lengthHint && l.isNativeSubclass { try askLengthHint(v) }
            return l.items.buffer
        }
        if let t = v.asTuple, !t.isNativeSubclass || userMethod(v, "__iter__") == nil {
            if lengthHint && t.isNativeSubclass { try askLengthHint(v) }
            return t.items
        }
        return nil
    }

    /// A new list of all values of an iterable (`list(v)`), as `iterateToArray` collects them. It
    /// is registered but not rooted: the caller roots it before the next safepoint.
    func iterateToList(_ v: Value, lengthHint: Bool = false) throws -> ListObj {
        if let items = try sequenceItems(v, lengthHint: lengthHint) { return makeListObject(taking: ValueVector(items)) }
        if let r = v.asObject(.range, RangeObj.self) { try checkAllocation(r.big == nil ? r.length : Int.max, elementSize: 16) }
        let it = try iterate(v)
        let acc = makeListObject(taking: ValueVector())
        tempRoots.append(it)
        tempRoots.append(Value(acc))
        defer { tempRoots.removeLast(2) }
        if lengthHint { try askLengthHint(v) }
        // (The list is rooted; every 4096th item is checked against the memory limit outside.)
        try forEachValue(it, take: { x in
            if (acc.items.count &+ 1) & 0xFFF == 0 { return false }
            acc.items.append(x)
            return true
        }) { x in
            acc.items.append(x)
            if acc.items.count & 0xFFF == 0 { try checkAllocation(acc.items.count, elementSize: 16) }
            return true
        }
        return acc
    }

    /// CPython asks a script object (an instance, or a subclass of a builtin container) for its
    /// size before filling a list or tuple from it: a negative or too large `__len__` is an
    /// error, a TypeError from it is ignored.
    func askLengthHint(_ v: Value) throws {
        guard isScriptInstance(v), let f = userMethod(v, "__len__") else { return }
        do {
            _ = try lengthFromDunder(try callFunction(f, [v], keywords: []))
        } catch let e as ScriptError where e.exception.type.isSubtype(of: exc.typeError) {}
    }

    func unpack(_ v: Value, count: Int) throws -> [Value] {
        guard isIterable(v) else { throw typeError("cannot unpack non-iterable \(typeName(v)) object") }
        let items = try iterateToArray(v)
        if items.count < count { throw valueError("not enough values to unpack (expected \(count), got \(items.count))") }
        if items.count > count { throw valueError("too many values to unpack (expected \(count))") }
        return items
    }

    /// `a, *b, c = v`: `before` plain targets, a list, then `after` plain targets.
    func unpackStarred(_ v: Value, before: Int, after: Int) throws -> [Value] {
        guard isIterable(v) else { throw typeError("cannot unpack non-iterable \(typeName(v)) object") }
        let items = try iterateToArray(v)
        if items.count < before + after {
            throw valueError("not enough values to unpack (expected at least \(before + after), got \(items.count))")
        }
        var out = Array(items[0..<before])
        out.append(newList(Array(items[before..<(items.count - after)])))
        out.append(contentsOf: items[(items.count - after)...])
        return out
    }

    /// `{**m}` and `f(**m)`: copies a mapping's items into `d`.
    func mergeMapping(into d: DictObj, _ m: Value, noDuplicates: Bool, callee: Value) throws {
        guard let src = m.asDict else {
            if noDuplicates {
                throw typeError("\(try functionStr(callee)) argument after ** must be a mapping, not \(typeName(m))")
            }
            throw typeError("'\(typeName(m))' object is not a mapping")
        }
        // Into an empty dict (`f(**d)`, `{**d}`): a copy of the table, its hashes kept, instead of
        // hashing and inserting key by key.
        if d.entryCount == 0 {
            d.copyContents(of: src, self)
            return
        }
        for (k, v) in src.entries {
            if noDuplicates, try d.get(k, self) != nil {
                throw typeError("\(try functionStr(callee)) got multiple values for keyword argument '\(try str(k))'")
            }
            try d.set(k, v, self)
        }
    }

    /// How CPython names a callable in call errors (`_PyObject_FunctionStr`): `module.qualname()`,
    /// without the module for builtins, else the callable's str.
    func functionStr(_ v: Value) throws -> String {
        if let b = v.asObject(.boundMethod, BoundMethodObj.self) { return try functionStr(b.function) }
        if let f = v.asFunction {
            let module = f.code.module.name
            return module == "builtins" ? f.qualifiedName + "()" : "\(module).\(f.qualifiedName)()"
        }
        if let f = v.asObject(.native, NativeFunctionObj.self) {
            return (f.owner.map { $0 + "." } ?? "") + f.name + "()"
        }
        if let t = v.asType {
            if let m = t.moduleName, m != "builtins" { return "\(m).\(t.qualifiedName)()" }
            return t.name + "()"
        }
        return try str(v)
    }

    func calleeName(_ v: Value) -> String {
        if let f = v.asFunction { return f.qualifiedName + "()" }
        if let f = v.asObject(.native, NativeFunctionObj.self) { return f.name + "()" }
        if let t = v.asType { return t.name + "()" }
        return typeName(v) + " object"
    }

    /// The truth of None, a bool, an int or a float (nil for anything else): what `truthy`
    /// says of them, known without running script code.
    @inline(__always) func plainTruth(_ v: Value) -> Bool? {
        switch v {
        case .none, .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        default: return nil
        }
    }

    /// Python truthiness.
    func truthy(_ v: Value) throws -> Bool {
        switch v {
        case .none, .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .object(let u):
            let o = u.takeUnretainedValue()
            if o.isNativeSubclass, o.kind != .other {
                if let r = try callUserMethod(v, "__bool__", []) {
                    guard case .bool(let b) = r else { throw typeError("__bool__ should return bool, returned \(typeName(r))") }
                    return b
                }
                if userMethod(v, "__len__") != nil { return try length(v) > 0 }
                if let c = numberCore(v) { return try truthy(c) }
            }
            switch o.kind {
            case .str: return unsafeDowncast(o, to: StrObj.self).count > 0
            case .list: return !unsafeDowncast(o, to: ListObj.self).items.isEmpty
            case .tuple: return !unsafeDowncast(o, to: TupleObj.self).items.isEmpty
            case .dict: return unsafeDowncast(o, to: DictObj.self).count > 0
            case .set, .frozenset: return unsafeDowncast(o, to: SetObj.self).count > 0
            case .bytes: return !unsafeDowncast(o, to: BytesObj.self).bytes.isEmpty
            case .range:
                let r = unsafeDowncast(o, to: RangeObj.self)
                if let b = r.big { return b.length > 0 }
                return r.length > 0
            case .bigint: return true
            case .instance, .exception:
                if o.type.moduleName != nil {
                    if let r = try callUserMethod(v, "__bool__", []) {
                        guard case .bool(let b) = r else { throw typeError("__bool__ should return bool, returned \(typeName(r))") }
                        return b
                    }
                    if userMethod(v, "__len__") != nil { return try length(v) > 0 }
                }
                return true
            case .other:
                if let slots = o.type.containerSlots { return slots.length(o) > 0 }
                return true
            default: return true
            }
        }
    }
}

extension Runtime {
    /// Whether the generator sink `sink` takes `v` (out of line: the dispatch loop stays small).
    @inline(never) static func offer(_ v: Value, to sink: Unmanaged<ValueSink>) -> Bool {
        sink._withUnsafeGuaranteedRef { $0.take(v) }
    }
}

/// What takes the values of a generator drained by native code (`Runtime.generatorSink`).
final class ValueSink {
    let take: (Value) -> Bool
    init(_ take: @escaping (Value) -> Bool) { self.take = take }
}
