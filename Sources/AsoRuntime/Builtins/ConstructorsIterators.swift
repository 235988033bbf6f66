// The lazy iterator types: enumerate, zip, map, filter and reversed.
//
// One idea: each is a native iterator (`IterObj.Source.native`) whose class is the builtin type of
// the same name, so `type(enumerate(x)).__name__ == 'enumerate'`. The closure captures the
// underlying iterators and function; every captured value is also listed in `traced`, so the
// collector keeps them alive as long as the iterator is.

import BigInt

extension Runtime {
    func installIteratorConstructors() {
        types.enumerate.construct = { rt, args in
            // `enumerate(xs)` and `enumerate(xs, n)` with a machine int: no binding, no big int.
            if args.keywords.isEmpty, args.count == 2 || args.count == 3 {
                var start = 0
                if args.count == 3 {
                    if case .int(let n) = args[2] { start = n } else { start = Int.min }
                }
                if start != Int.min {
                    return rt.newIterator(.enumerate(try rt.iterate(args[1]), start: start), type: rt.types.enumerate)
                }
            }
            let p = try rt.bindParameters(Array(args.positional.dropFirst()), args.keywords, "enumerate",
                                          ["iterable", "start"], required: 0)
            if p[0].isNull { throw rt.typeError("enumerate() missing required argument 'iterable'") }
            var start = BigInt(0)
            if !p[1].isNull { start = try rt.integerOperand(p[1]) }
            let it = try rt.iterate(p[0])
            if let small = Int(exactly: start) { return rt.newIterator(.enumerate(it, start: small), type: rt.types.enumerate) }
            var count = start
            return rt.newIterator(.native(next: { rt in
                guard let v = try rt.next(it) else { return nil }
                let index = rt.makeInt(count)
                count += 1
                return rt.newTuple(index, v)
            }, traced: [it]), type: rt.types.enumerate)
        }
        types.zip.construct = { rt, args in
            try rt.checkKeywords(args, ["strict"], "zip")
            let strict = try args.keyword("strict").map { try rt.truthy($0) } ?? false
            let sources = Array(args.positional.dropFirst())
            var iterators: [Value] = []
            rt.tempRoots.append(contentsOf: sources)
            defer { rt.tempRoots.removeLast(sources.count + iterators.count) }
            for s in sources {
                let it = try rt.iterate(s)
                iterators.append(it)
                rt.tempRoots.append(it)
            }
            if iterators.isEmpty { return rt.newIterator(.exhausted, type: rt.types.zip) }
            let its = rt.heap.register(TupleObj(iterators, type: rt.types.tuple))
            return rt.newIterator(.zip(Ref(its), strict: strict), type: rt.types.zip)
        }
        types.map.construct = { rt, args in
            try rt.noKeywords(args, "map")
            if args.count < 3 { throw rt.typeError("map() must have at least two arguments.") }
            let fn = args[1]
            let sources = Array(args.positional.dropFirst(2))
            rt.tempRoots.append(fn)
            rt.tempRoots.append(contentsOf: sources)
            var its: [Value] = []
            defer { rt.tempRoots.removeLast(1 + sources.count + its.count) }
            for s in sources {
                let it = try rt.iterate(s)
                its.append(it)
                rt.tempRoots.append(it)
            }
            let iterators = its
            return rt.newIterator(.native(next: { rt in
                var row: [Value] = []
                row.reserveCapacity(iterators.count)
                let base = rt.tempRoots.count
                defer { rt.tempRoots.removeLast(rt.tempRoots.count - base) }
                for it in iterators {
                    guard let v = try rt.next(it) else { return nil }
                    row.append(v)
                    rt.tempRoots.append(v)
                }
                return try rt.call(fn, row)
            }, traced: [fn] + iterators), type: rt.types.map)
        }
        types.filter.construct = { rt, args in
            try rt.noKeywords(args, "filter")
            try rt.checkCount(args.count - 1, "filter", min: 2, max: 2)
            let fn = args[1]
            let it = try rt.iterate(args[2])
            return rt.newIterator(.native(next: { rt in
                while let v = try rt.next(it) {
                    let keep = fn.isNone ? v : try rt.call(fn, [v])
                    if try rt.truthy(keep) { return v }
                }
                return nil
            }, traced: [fn, it]), type: rt.types.filter)
        }
        let listReverse = makeHelperType("list_reverseiterator")
        let dictReverse = makeHelperType("dict_reversekeyiterator")
        types.reversed.construct = { rt, args in
            try rt.noKeywords(args, "reversed")
            try rt.checkCount(args.count - 1, "reversed", min: 1, max: 1)
            return try rt.reversedIterator(args[1], listType: listReverse, dictType: dictReverse)
        }
    }

    /// The next row of a zip over the iterators `its` (into `row`, one slot per iterator), or
    /// false when one is exhausted: then `it` is exhausted too, and with `strict` the others
    /// must be. (Values already taken stay rooted while the next iterator may run script code.)
    func zipRow(_ it: IterObj, _ its: UnsafeBufferPointer<Value>, strict: Bool, into row: UnsafeMutablePointer<Value>) throws -> Bool {
        let base = tempRoots.count
        defer { tempRoots.removeLast(tempRoots.count - base) }
        for i in 0..<its.count {
            if let v = try next(its[i]) {
                row[i] = v
                tempRoots.append(v)
                continue
            }
            it.source = .exhausted
            if strict { try zipStrictCheck(its, exhausted: i) }
            return false
        }
        return true
    }

    /// `zip(..., strict=True)` found iterator `exhausted` empty: the others must be empty too.
    private func zipStrictCheck(_ its: UnsafeBufferPointer<Value>, exhausted i: Int) throws {
        if i > 0 {
            let plural = i == 1 ? " " : "s 1-"
            throw valueError("zip() argument \(i + 1) is shorter than argument\(plural)\(i)")
        }
        for j in 1..<max(1, its.count) where try next(its[j]) != nil {
            let plural = j == 1 ? " " : "s 1-"
            throw valueError("zip() argument \(j + 1) is longer than argument\(plural)\(j)")
        }
    }

    /// `reversed(seq)` for the builtin sequences (and dicts and their views).
    func reversedIterator(_ seq: Value, listType: TypeObject, dictType: TypeObject) throws -> Value {
        if case .object(let u) = seq {
            let o = u.takeUnretainedValue()
            // A subclass of a builtin sequence may say how it reverses.
            if o.isNativeSubclass, o.kind != .other, o.kind != .instance, let f = userMethod(seq, "__reversed__") {
                return try callFunction(f, [seq], keywords: [])
            }
            switch o.kind {
            case .list: return newIterator(.reversedList(Ref(unsafeDowncast(o, to: ListObj.self))), type: listType)
            case .tuple:
                return newIterator(.values(unsafeDowncast(o, to: TupleObj.self).items.reversed()), type: types.reversed)
            case .str:
                let s = unsafeDowncast(o, to: StrObj.self)
                var i = s.count
                return newIterator(.native(next: { rt in
                    if i <= 0 { return nil }
                    i -= 1
                    return rt.character(s, at: i)
                }, traced: [seq]), type: types.reversed)
            case .bytes:
                return newIterator(.values(unsafeDowncast(o, to: BytesObj.self).bytes.reversed().map { .int(Int($0)) }),
                                   type: types.reversed)
            case .range:
                let r = unsafeDowncast(o, to: RangeObj.self)
                if let b = r.big { return bigRangeIterator(r, b, reversed: true) }
                var i = r.length
                return newIterator(.native(next: { _ in
                    if i <= 0 { return nil }
                    i -= 1
                    return .int(r.element(i))
                }, traced: [seq]), type: types.rangeIterator)
            case .dict:
                return newIterator(.values(unsafeDowncast(o, to: DictObj.self).liveKeys.reversed()), type: dictType)
            case .other:
                if o is DictViewObj {
                    let items = try iterateToArray(seq)
                    return newIterator(.values(items.reversed()), type: dictType)
                }
            case .instance:
                if let m = instanceMethod(seq, "__reversed__") { return try call(m, one: seq) }
                if instanceMethod(seq, "__len__") != nil && instanceMethod(seq, "__getitem__") != nil {
                    // The sequence protocol: items len-1 down to 0.
                    var i = try length(seq)
                    return newIterator(.native(next: { rt in
                        if i <= 0 { return nil }
                        i -= 1
                        return try rt.getItem(seq, .int(i))
                    }, traced: [seq]), type: types.reversed)
                }
            default: break
            }
        }
        throw typeError("'\(typeName(seq))' object is not reversible")
    }
}
