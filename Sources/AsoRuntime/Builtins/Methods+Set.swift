// set and frozenset methods: add, remove, discard, pop, clear, copy, the algebra (union,
// intersection, difference, symmetric_difference, their *_update forms) and the subset tests.
//
// One idea: the non-mutating methods exist on both types (a frozenset result for a frozenset
// receiver) and accept any iterables as operands; the mutating ones live on `set` only, so
// `frozenset().add` is an AttributeError as in CPython.

extension Runtime {
    func installSetMethods() {
        let t = types.set
        defineMethod(t, "add") { rt, me, a in
            let v = try a.one(rt)
            try me.asSet?.add(v, rt)
            return .none
        }
        defineMethod(t, "remove") { rt, me, a in
            let v = try a.one(rt)
            guard let s = me.asSet else { return .none }
            if try !s.remove(v, rt) { throw rt.keyError(v) }
            return .none
        }
        defineMethod(t, "discard") { rt, me, a in
            let v = try a.one(rt)
            try me.asSet?.remove(v, rt)
            return .none
        }
        defineMethod(t, "pop") { rt, me, a in
            try a.none(rt)
            guard let s = me.asSet, let k = s.table.keys.first(where: { !$0.isNull }) else {
                throw rt.error(rt.exc.keyError, "pop from an empty set")
            }
            try s.remove(k, rt)
            return k
        }
        defineMethod(t, "clear") { rt, me, a in
            try a.none(rt)
            if let s = me.asSet { s.table.removeAll(); s.version &+= 1 }
            return .none
        }
        defineMethod(t, "update") { rt, me, a in
            try a.noKeywords(rt)
            guard let s = me.asSet else { return .none }
            for other in a.array { try rt.setUpdate(s, from: other) }
            return .none
        }
        defineMethod(t, "intersection_update") { rt, me, a in
            try a.noKeywords(rt)
            guard let s = me.asSet else { return .none }
            let result = try rt.setIntersection(s, a.array, frozen: false)
            rt.replaceSetContents(s, with: result)
            return .none
        }
        defineMethod(t, "difference_update") { rt, me, a in
            try a.noKeywords(rt)
            guard let s = me.asSet else { return .none }
            for other in a.array { for k in try rt.iterateToArray(other) { try s.remove(k, rt) } }
            return .none
        }
        defineMethod(t, "symmetric_difference_update") { rt, me, a in
            let other = try a.one(rt)
            guard let s = me.asSet else { return .none }
            let o = try rt.newSetFrom(try rt.iterateToArray(other))
            for k in o.liveKeys { if try s.contains(k, rt) { try s.remove(k, rt) } else { try s.add(k, rt) } }
            return .none
        }
        for ty in [types.set, types.frozenset] {
            installSetQueries(ty)
        }
    }

    private func installSetQueries(_ t: TypeObject) {
        defineMethod(t, "copy") { rt, me, a in
            try a.none(rt)
            guard let s = me.asSet else { return .none }
            if s.kind == .frozenset { return me }
            return Value(try rt.copySet(s, frozen: false))
        }
        defineMethod(t, "union") { rt, me, a in
            try a.noKeywords(rt)
            guard let s = me.asSet else { return .none }
            let r = try rt.copySet(s, frozen: s.kind == .frozenset)
            rt.tempRoots.append(Value(r))
            defer { rt.tempRoots.removeLast() }
            for other in a.array { try rt.setUpdate(r, from: other) }
            return Value(r)
        }
        defineMethod(t, "intersection") { rt, me, a in
            try a.noKeywords(rt)
            guard let s = me.asSet else { return .none }
            return Value(try rt.setIntersection(s, a.array, frozen: s.kind == .frozenset))
        }
        defineMethod(t, "difference") { rt, me, a in
            try a.noKeywords(rt)
            guard let s = me.asSet else { return .none }
            var r = s
            for other in a.array {
                let o = try rt.setOperand(other)
                rt.tempRoots.append(Value(o))
                defer { rt.tempRoots.removeLast() }
                r = try rt.setDifference(r, o, frozen: s.kind == .frozenset)
            }
            if r === s { r = try rt.copySet(s, frozen: s.kind == .frozenset) }
            return Value(r)
        }
        defineMethod(t, "symmetric_difference") { rt, me, a in
            let other = try a.one(rt)
            guard let s = me.asSet else { return .none }
            let o = try rt.newSetFrom(try rt.iterateToArray(other))
            rt.tempRoots.append(Value(o))
            defer { rt.tempRoots.removeLast() }
            return try rt.setOperation(.xor, s, o, inplace: false)
        }
        defineMethod(t, "issubset") { rt, me, a in
            let other = try a.one(rt)
            guard let s = me.asSet else { return .none }
            let o = try rt.setOperand(other)
            for k in s.liveKeys where !(try o.contains(k, rt)) { return .bool(false) }
            return .bool(true)
        }
        defineMethod(t, "issuperset") { rt, me, a in
            let other = try a.one(rt)
            guard let s = me.asSet else { return .none }
            for k in try rt.iterateToArray(other) where !(try s.contains(k, rt)) { return .bool(false) }
            return .bool(true)
        }
        defineMethod(t, "isdisjoint") { rt, me, a in
            let other = try a.one(rt)
            guard let s = me.asSet else { return .none }
            for k in try rt.iterateToArray(other) where try s.contains(k, rt) { return .bool(false) }
            return .bool(true)
        }
    }

    /// The operand as a set (itself when it is one).
    private func setOperand(_ v: Value) throws -> SetObj {
        if let s = v.asSet { return s }
        return try newSetFrom(try iterateToArray(v))
    }


    private func setIntersection(_ s: SetObj, _ others: [Value], frozen: Bool) throws -> SetObj {
        var keys = s.liveKeys
        for other in others {
            let o = try setOperand(other)
            tempRoots.append(Value(o))
            defer { tempRoots.removeLast() }
            keys = try keys.filter { try o.contains($0, self) }
        }
        let r = newSet(frozen: frozen)
        for k in keys { try r.add(k, self) }
        return r
    }

    private func replaceSetContents(_ s: SetObj, with r: SetObj) {
        s.table = r.table
        s.version &+= 1
    }
}
