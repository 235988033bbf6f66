// set and frozenset methods: add, remove, discard, pop, clear, copy, the algebra (union,
// intersection, difference, symmetric_difference, their *_update forms) and the subset tests.
//
// One idea: the non-mutating methods exist on both types (a frozenset result for a frozenset
// receiver) and accept any iterables as operands; the mutating ones live on `set` only, so
// `frozenset().add` is an AttributeError as in CPython.

extension Runtime {
    func installSetMethods() {
        let t = types.set
        defineMethod(t, "add", receiver: SetObj.self, kind: .set) { rt, _, s, a in
            let v = try a.one(rt)
            try s.add(v, rt)
            return .none
        }
        defineMethod(t, "remove", receiver: SetObj.self, kind: .set) { rt, me, s, a in
            let v = try a.one(rt)
            if try !s.remove(v, rt) { throw rt.keyError(v) }
            return .none
        }
        defineMethod(t, "discard", receiver: SetObj.self, kind: .set) { rt, _, s, a in
            let v = try a.one(rt)
            try s.remove(v, rt)
            return .none
        }
        defineMethod(t, "pop", receiver: SetObj.self, kind: .set) { rt, _, s, a in
            try a.none(rt)
            guard let k = s.table.popAny() else {
                throw rt.error(rt.exc.keyError, "pop from an empty set")
            }
            s.version &+= 1
            return k
        }
        defineMethod(t, "clear", receiver: SetObj.self, kind: .set) { rt, _, s, a in
            try a.none(rt)
            s.removeAll()
            return .none
        }
        defineMethod(t, "update", receiver: SetObj.self, kind: .set) { rt, me, s, a in
            try a.noKeywords(rt)
            for other in a.array { try rt.setUpdate(s, from: other) }
            return .none
        }
        defineMethod(t, "intersection_update", receiver: SetObj.self, kind: .set) { rt, me, s, a in
            try a.noKeywords(rt)
            let result = try rt.setIntersection(s, a.array, frozen: false)
            if result !== s { s.replaceContents(takingFrom: result) }
            return .none
        }
        defineMethod(t, "difference_update", receiver: SetObj.self, kind: .set) { rt, me, s, a in
            try a.noKeywords(rt)
            for other in a.array { try rt.setDifferenceUpdate(s, other) }
            return .none
        }
        defineMethod(t, "symmetric_difference_update", receiver: SetObj.self, kind: .set) { rt, me, s, a in
            let other = try a.one(rt)
            if other.isIdentical(to: me) {
                s.removeAll()
                return .none
            }
            // A dict's keys are toggled in its order; other iterables become a set first.
            let source = try other.asDict.map { Value($0) } ?? Value(rt.setOperand(other))
            rt.tempRoots.append(source)
            defer { rt.tempRoots.removeLast() }
            try rt.toggle(source.asDict?.liveKeys ?? source.asSet?.liveKeys ?? [], in: s)
            return .none
        }
        for ty in [types.set, types.frozenset] {
            installSetQueries(ty)
        }
    }

    private func installSetQueries(_ t: TypeObject) {
        defineMethod(t, "copy", receiver: SetObj.self, kind: .set) { rt, me, s, a in
            try a.none(rt)
            if s.kind == .frozenset { return me }
            return Value(try rt.copySet(s, frozen: false))
        }
        defineMethod(t, "union", receiver: SetObj.self, kind: .set) { rt, me, s, a in
            try a.noKeywords(rt)
            let r = try rt.copySet(s, frozen: s.kind == .frozenset)
            rt.tempRoots.append(Value(r))
            defer { rt.tempRoots.removeLast() }
            for other in a.array { try rt.setUpdate(r, from: other) }
            return Value(r)
        }
        defineMethod(t, "intersection", receiver: SetObj.self, kind: .set) { rt, me, s, a in
            try a.noKeywords(rt)
            return Value(try rt.setIntersection(s, a.array, frozen: s.kind == .frozenset))
        }
        defineMethod(t, "difference", receiver: SetObj.self, kind: .set) { rt, me, s, a in
            try a.noKeywords(rt)
            let frozen = s.kind == .frozenset
            guard let first = a.array.first else { return Value(try rt.copySet(s, frozen: frozen)) }
            let r = try rt.setDifference(s, first, frozen: frozen)
            rt.tempRoots.append(Value(r))
            defer { rt.tempRoots.removeLast() }
            for other in a.array.dropFirst() { try rt.setDifferenceUpdate(r, other) }
            return Value(r)
        }
        defineMethod(t, "symmetric_difference", receiver: SetObj.self, kind: .set) { rt, me, s, a in
            let other = try a.one(rt)
            // CPython's set_symmetric_difference: a new set made from the operand, with each key
            // of the receiver toggled in it.
            let r = rt.newSet(frozen: s.kind == .frozenset)
            rt.tempRoots.append(Value(r))
            defer { rt.tempRoots.removeLast() }
            try rt.setUpdate(r, from: other)
            try rt.toggle(s.liveKeys, in: r)
            return Value(r)
        }
        defineMethod(t, "issubset", receiver: SetObj.self, kind: .set) { rt, me, s, a in
            let other = try a.one(rt)
            let o = try rt.setOperand(other)
            for k in s.liveKeys where !(try o.contains(k, rt)) { return .bool(false) }
            return .bool(true)
        }
        defineMethod(t, "issuperset", receiver: SetObj.self, kind: .set) { rt, me, s, a in
            let other = try a.one(rt)
            for k in try rt.iterateToArray(other) where !(try s.contains(k, rt)) { return .bool(false) }
            return .bool(true)
        }
        defineMethod(t, "isdisjoint", receiver: SetObj.self, kind: .set) { rt, me, s, a in
            let other = try a.one(rt)
            for k in try rt.iterateToArray(other) where try s.contains(k, rt) { return .bool(false) }
            return .bool(true)
        }
    }

    /// The operand as a set (itself when it is one).
    private func setOperand(_ v: Value) throws -> SetObj {
        if let s = v.asSet { return s }
        return try newSetFrom(try iterateToArray(v))
    }


    /// CPython's set_intersection_multi: a copy without operands, else each operand in turn
    /// intersected with the result so far (the receiver itself for the first).
    private func setIntersection(_ s: SetObj, _ others: [Value], frozen: Bool) throws -> SetObj {
        guard !others.isEmpty else { return try copySet(s, frozen: frozen) }
        var r = s
        tempRoots.append(Value(s))
        let slot = tempRoots.count - 1
        defer { tempRoots.removeLast() }
        for other in others {
            r = try setIntersection(r, with: other, frozen: frozen)
            tempRoots[slot] = Value(r)
        }
        return r
    }
}
