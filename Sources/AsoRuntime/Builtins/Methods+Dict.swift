// dict methods: get, keys, values, items, pop, setdefault, update, copy, clear, popitem, fromkeys.
//
// One idea: `fromkeys` is a class method (a `classmethod` in the type's table), so
// `dict.fromkeys(k)`, `{}.fromkeys(k)` and `Sub.fromkeys(k)` call it with the class first; a
// subclass's dict is made by calling the class and filled through its `__setitem__`. Everything
// else receives the dict itself as `args[0]`.

extension Runtime {
    func installDictMethods() {
        let t = types.dict
        defineMethod(t, "get", receiver: DictObj.self, kind: .dict) { rt, me, d, a in
            try a.positional(rt, 1, 2)
            return try d.get(a[0], rt) ?? (a.count == 2 ? a[1] : .none)
        }
        for (name, what, type) in [("keys", 0, types.dictKeys), ("values", 1, types.dictValues), ("items", 2, types.dictItems)] {
            defineMethod(t, name, receiver: DictObj.self, kind: .dict) { rt, me, d, a in
                try a.none(rt)
                return Value(rt.heap.register(DictViewObj(dict: d, what: what, type: type)))
            }
        }
        defineMethod(t, "pop", receiver: DictObj.self, kind: .dict) { rt, me, d, a in
            try a.positional(rt, 1, 2)
            let key = a[0]
            if d.count == 0 {
                if a.count == 2 { return a[1] }
                throw rt.keyError(key)
            }
            if let v = try d.remove(key, rt) { return v }
            if a.count == 2 { return a[1] }
            throw rt.keyError(key)
        }
        defineMethod(t, "setdefault", receiver: DictObj.self, kind: .dict) { rt, me, d, a in
            try a.positional(rt, 1, 2)
            let key = a[0], dflt = a.count == 2 ? a[1] : .none
            if let v = try d.get(key, rt) { return v }
            try d.set(key, dflt, rt)
            return dflt
        }
        defineMethod(t, "update", receiver: DictObj.self, kind: .dict) { rt, me, d, a in
            if a.count > 1 { throw rt.typeError("update expected at most 1 argument, got \(a.count)") }
            let src: Value? = a.count == 1 ? a[0] : nil
            let keywords = a.keywords
            if let src { try rt.dictUpdate(d, from: src) }
            for kw in keywords { try d.set(rt.intern(kw.name), kw.value, rt) }
            return .none
        }
        defineMethod(t, "copy", receiver: DictObj.self, kind: .dict) { rt, me, d, a in
            try a.none(rt)
            return Value(rt.copyDict(d))
        }
        defineMethod(t, "clear") { rt, me, a in
            try a.none(rt)
            me.asDict?.removeAll()
            return .none
        }
        defineMethod(t, "popitem", receiver: DictObj.self, kind: .dict) { rt, me, d, a in
            try a.none(rt)
            guard let ix = d.lastLive else {
                throw rt.error(rt.exc.keyError, "popitem(): dictionary is empty")
            }
            let k = d.key(at: ix), v = d.value(at: ix)
            let pair = rt.newTuple(k, v)
            _ = try d.remove(k, rt)
            return pair
        }
        let fromkeys = native("fromkeys", owner: "dict") { rt, args in
            guard args.count >= 1 else { throw rt.typeError("fromkeys expected at least 1 argument, got 0") }
            let n = args.count - 1
            if n < 1 { throw rt.typeError("fromkeys expected at least 1 argument, got 0") }
            if n > 2 { throw rt.typeError("fromkeys expected at most 2 arguments, got \(n)") }
            if !args.keywords.isEmpty { throw rt.typeError("dict.fromkeys() takes no keyword arguments") }
            let value = n == 2 ? args[2] : .none
            let keys = args[1]
            rt.tempRoots.append(value)
            defer { rt.tempRoots.removeLast() }
            if let cls = args[0].asType, cls !== rt.types.dict {
                let made = try rt.call(args[0], [])
                rt.tempRoots.append(made)
                defer { rt.tempRoots.removeLast() }
                for k in try rt.iterateToArray(keys) { try rt.setItem(made, k, value) }
                return made
            }
            let d = rt.newDict()
            rt.tempRoots.append(Value(d))
            defer { rt.tempRoots.removeLast() }
            for k in try rt.iterateToArray(keys) { try d.set(k, value, rt) }
            return Value(d)
        }
        t.dict["fromkeys"] = wrapMethod(types.classmethod, fromkeys)
    }

    /// A shallow copy of a dict (keys, hashes and values as they are).
    func copyDict(_ d: DictObj) -> DictObj {
        let c = newDict()
        c.copyContents(of: d, self)
        return c
    }

}
