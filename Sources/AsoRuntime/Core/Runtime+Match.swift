// The matcher behind the `match` statement (see AsoCompiler's Compiler+Match.swift for the
// description of a pattern it receives).
//
// One idea: one recursive walk over the description, collecting captures in a dictionary that an
// or-pattern copies before each alternative, so a failed alternative leaves nothing behind; the
// case's names are then read out in the order the compiler listed them.

extension Runtime {
    func installMatcher() {
        // `" match"(subject, description, names, values)`: None, or the captured values.
        builtins.set(" match", native(" match") { rt, args in
            guard args.count == 4, let names = args[2].tupleArray, let values = args[3].tupleArray else {
                throw rt.typeError("match: bad arguments")
            }
            var captures: [String: Value] = [:]
            guard try rt.matchPattern(args[0], args[1], values, &captures) else { return .none }
            return rt.newTuple(names.map { n in n.asStr.flatMap { captures[$0.value] } ?? .none })
        })
    }

    /// The builtin classes whose class pattern with one positional sub-pattern matches the
    /// subject itself (`case int(n)`).
    private func matchesSelf(_ t: TypeObject) -> Bool {
        t === types.bool || t === types.bytes || t === types.bytearray || t === types.dict || t === types.float || t === types.frozenset
            || t === types.int || t === types.list || t === types.set || t === types.str || t === types.tuple
    }

    func matchPattern(_ subject: Value, _ desc: Value, _ values: [Value], _ caps: inout [String: Value]) throws -> Bool {
        guard let d = desc.tupleArray, let tag = d.first?.asStr?.value else { return false }
        func value(_ i: Value) -> Value {
            guard case .int(let k) = i, k >= 0, k < values.count else { return .none }
            return values[k]
        }
        switch tag {
        case "v":
            return try equals(subject, value(d[1]))
        case "s":
            if d[1].isNone { return subject.isNone }
            if case .bool(let b) = d[1], case .bool(let s) = subject { return b == s }
            return false
        case "a":
            if d.count > 1, !d[1].isNone, !(try matchPattern(subject, d[1], values, &caps)) { return false }
            if d.count > 2, let n = d[2].asStr?.value { caps[n] = subject }
            return true
        case "o":
            for alt in d[1].tupleArray ?? [] {
                var trial = caps
                if try matchPattern(subject, alt, values, &trial) {
                    caps = trial
                    return true
                }
            }
            return false
        case "q":
            return try matchSequence(subject, d[1].tupleArray ?? [], values, &caps)
        case "m":
            return try matchMapping(subject, d, values, &caps)
        case "k":
            return try matchClass(subject, d, values, &caps)
        default:
            return false
        }
    }

    private func matchSequence(_ subject: Value, _ items: [Value], _ values: [Value], _ caps: inout [String: Value]) throws -> Bool {
        // Sequences are lists, tuples and ranges; never strings, bytes or mappings.
        guard subject.asList != nil || subject.asTuple != nil || subject.asObject(.range, RangeObj.self) != nil else { return false }
        let elements = try iterateToArray(subject)
        let star = items.firstIndex { $0.asTuple?.items.first?.asStr?.value == "*" }
        if let s = star {
            guard elements.count >= items.count - 1 else { return false }
            for i in 0..<s where !(try matchPattern(elements[i], items[i], values, &caps)) { return false }
            let after = items.count - s - 1
            let restEnd = elements.count - after
            if let n = items[s].asTuple?.items[1].asStr?.value { caps[n] = newList(Array(elements[s..<restEnd])) }
            for j in 0..<after where !(try matchPattern(elements[restEnd + j], items[s + 1 + j], values, &caps)) { return false }
            return true
        }
        guard elements.count == items.count else { return false }
        for (e, p) in zip(elements, items) where !(try matchPattern(e, p, values, &caps)) { return false }
        return true
    }

    private func matchMapping(_ subject: Value, _ d: [Value], _ values: [Value], _ caps: inout [String: Value]) throws -> Bool {
        guard let dict = subject.asDict else { return false }
        let keys = (d[1].tupleArray ?? []).map { i -> Value in
            guard case .int(let k) = i, k >= 0, k < values.count else { return .none }
            return values[k]
        }
        let patterns = d[2].tupleArray ?? []
        if dict.count < keys.count { return false }
        for (k, p) in zip(keys, patterns) {
            guard let v = try dict.get(k, self) else { return false }
            if !(try matchPattern(v, p, values, &caps)) { return false }
        }
        if d.count > 3, let rest = d[3].asStr?.value {
            let r = newDict()
            tempRoots.append(Value(r))
            defer { tempRoots.removeLast() }
            for (k, v) in dict.entries {
                var named = false
                for key in keys where try equals(key, k) { named = true; break }
                if !named { try r.set(k, v, self) }
            }
            caps[rest] = Value(r)
        }
        return true
    }

    private func matchClass(_ subject: Value, _ d: [Value], _ values: [Value], _ caps: inout [String: Value]) throws -> Bool {
        guard case .int(let ci) = d[1], ci >= 0, ci < values.count else { return false }
        guard let cls = values[ci].asType else { throw typeError("called match pattern must be a type") }
        let positional = d[2].tupleArray ?? []
        let names = (d[3].tupleArray ?? []).compactMap { $0.asStr?.value }
        let keywordPatterns = d[4].tupleArray ?? []
        // As isinstance(): a metaclass's `__instancecheck__` answers (`case Mapping():`).
        guard try isInstance(subject, values[ci]) else { return false }
        var attributes: [(String, Value)] = []
        if !positional.isEmpty {
            let ownMatchArgs = try findAttribute(Value(cls), "__match_args__")
            if matchesSelf(cls) && ownMatchArgs == nil {
                if positional.count > 1 {
                    throw typeError("\(cls.name)() accepts 1 positional sub-pattern (\(positional.count) given)")
                }
                if !(try matchPattern(subject, positional[0], values, &caps)) { return false }
            } else {
                let matchArgs = ownMatchArgs ?? newTuple([])
                guard let list = matchArgs.tupleArray else {
                    throw typeError("\(cls.name).__match_args__ must be a tuple (got \(typeName(matchArgs)))")
                }
                if positional.count > list.count {
                    let noun = list.count == 1 ? "sub-pattern" : "sub-patterns"
                    throw typeError("\(cls.name)() accepts \(list.count) positional \(noun) (\(positional.count) given)")
                }
                for (i, p) in positional.enumerated() {
                    guard let n = list[i].asStr?.value else {
                        throw typeError("__match_args__ elements must be strings (got \(typeName(list[i])))")
                    }
                    attributes.append((n, p))
                }
            }
        }
        for (n, p) in zip(names, keywordPatterns) {
            if attributes.contains(where: { $0.0 == n }) {
                throw typeError("\(cls.name)() got multiple sub-patterns for attribute '\(n)'")
            }
            attributes.append((n, p))
        }
        for (n, p) in attributes {
            let v: Value
            do {
                guard let found = try findAttribute(subject, n) else { return false }
                v = found
            } catch let e as ScriptError where e.exception.type.isSubtype(of: exc.attributeError) {
                return false
            }
            tempRoots.append(v)
            defer { tempRoots.removeLast() }
            if !(try matchPattern(v, p, values, &caps)) { return false }
        }
        return true
    }
}
