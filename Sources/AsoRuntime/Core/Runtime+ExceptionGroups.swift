// Exception groups (PEP 654): `split`, `subgroup` and `derive`, and the two steps of `except*`.
//
// One idea: CPython 3.11's exceptions.c and ceval.c are the description. `split` walks a group's
// tree and rebuilds the matching and the non-matching parts with `derive`, each part carrying the
// original's traceback, cause, context and a copy of its notes. An `except*` clause takes the part
// that matches (`checkEgMatch`, a bare exception is wrapped in a group first); at the end of the
// statement `prepReraiseStar` puts together what is left: the parts the clauses re-raised (with
// `raise`, recognised by their unchanged metadata) regrouped as the original was nested, and the
// exceptions the clauses raised, all in a new ExceptionGroup("") when there is more than one.

extension Runtime {
    /// How `split`/`subgroup` decide a leaf matches.
    enum GroupMatcher {
        case types(Value)
        case predicate(Value)
        case leaves(Set<ObjectIdentifier>)
    }

    func isExceptionGroup(_ e: ExceptionObj) -> Bool { e.type.isSubtype(of: exc.baseExceptionGroup) }

    func groupMembers(_ e: ExceptionObj) -> [Value] { e.attributes["exceptions"]?.tupleArray ?? [] }

    func installExceptionGroupMethods() {
        let base = exc.baseExceptionGroup
        defineMethod(base, "derive") { rt, me, a in
            let excs = try a.one(rt)
            let message = me.asException?.attributes["message"] ?? .none
            return try rt.call(Value(rt.exc.baseExceptionGroup), [message, excs])
        }
        defineMethod(base, "split") { rt, me, a in
            let matcher = try rt.groupMatcher(try a.one(rt))
            guard let e = me.asException else { return .none }
            let (match, rest) = try rt.splitGroup(e, matcher, wantRest: true)
            return rt.newTuple(match.map { Value($0) } ?? .none, rest.map { Value($0) } ?? .none)
        }
        defineMethod(base, "subgroup") { rt, me, a in
            let matcher = try rt.groupMatcher(try a.one(rt))
            guard let e = me.asException else { return .none }
            return try rt.splitGroup(e, matcher, wantRest: false).match.map { Value($0) } ?? .none
        }
        // ExceptionGroup derives from Exception (BaseExceptionGroup is known to issubclass only),
        // so it carries the methods itself.
        for name in ["derive", "split", "subgroup"] { exc.exceptionGroup.dict[name] = base.dict[name] }
    }

    /// The argument of `split`/`subgroup`: a function, an exception class or a tuple of them.
    func groupMatcher(_ v: Value) throws -> GroupMatcher {
        if v.asType == nil && isCallable(v) { return .predicate(v) }
        if let t = v.asType, t.isException { return .types(v) }
        if let tuple = v.asTuple, tuple.hasType(types.tuple),
           tuple.items.allSatisfy({ $0.asType?.isException == true }) {
            return .types(v)
        }
        throw typeError("expected a function, exception type or tuple of exception types")
    }

    private func groupMatches(_ e: ExceptionObj, _ m: GroupMatcher) throws -> Bool {
        switch m {
        case .types(let t): return try exceptionMatches(Value(e), t)
        case .predicate(let f): return try truthy(try call(f, one: Value(e)))
        case .leaves(let ids): return ids.contains(ObjectIdentifier(e))
        }
    }

    /// exceptiongroup_split_recursive: the matching part of `e` and (when `wantRest`) the rest.
    func splitGroup(_ e: ExceptionObj, _ m: GroupMatcher, wantRest: Bool) throws -> (match: ExceptionObj?, rest: ExceptionObj?) {
        if try groupMatches(e, m) { return (e, nil) }
        guard isExceptionGroup(e) else { return (nil, wantRest ? e : nil) }
        var matched: [Value] = [], rest: [Value] = []
        for member in groupMembers(e) {
            guard let x = member.asException else { continue }
            let part = try splitGroup(x, m, wantRest: wantRest)
            if let a = part.match { matched.append(Value(a)) }
            if let b = part.rest { rest.append(Value(b)) }
        }
        let match = try groupSubset(e, matched)
        return (match, wantRest ? try groupSubset(e, rest) : nil)
    }

    /// exceptiongroup_subset: `orig.derive(items)` with orig's traceback, cause, context and notes.
    private func groupSubset(_ orig: ExceptionObj, _ items: [Value]) throws -> ExceptionObj? {
        if items.isEmpty { return nil }
        let derive = try getAttribute(Value(orig), newStr("derive"))
        let derived = try call(derive, one: newList(items))
        guard let g = derived.asException, isExceptionGroup(g) else {
            throw typeError("derive must return an instance of BaseExceptionGroup")
        }
        g.traceback = orig.traceback
        g.context = orig.context
        g.cause = orig.cause
        g.suppressContext = true   // PyException_SetCause sets it, whatever the cause
        if let notes = orig.attributes["__notes__"] {
            if let l = notes.asList { g.attributes["__notes__"] = newList(l.items.array) }
            else if let t = notes.asTuple { g.attributes["__notes__"] = newList(Array(t.items)) }
        }
        return g
    }

    /// `checkEgMatch`: the part of `e` an `except* T` clause takes, and what is left for the next
    /// clauses; `match` is None when nothing matches.
    func exceptionGroupMatch(_ e: Value, _ t: Value) throws -> (rest: Value, match: Value) {
        for item in t.tupleArray ?? [t] {
            guard let cls = item.asType, cls.isException else {
                throw typeError("catching classes that do not inherit from BaseException is not allowed")
            }
            if cls.isSubtype(of: exc.baseExceptionGroup) {
                throw typeError("catching ExceptionGroup with except* is not allowed. Use except instead.")
            }
        }
        guard let x = e.asException else { return (.none, .none) }
        if try exceptionMatches(e, t) {
            if isExceptionGroup(x) { return (.none, e) }
            // A bare exception: wrapped in a group (without a traceback, as CPython 3.11 does).
            return (.none, try call(Value(exc.baseExceptionGroup), [newStr(""), newTuple([e])]))
        }
        guard isExceptionGroup(x) else { return (e, .none) }
        let (match, rest) = try splitGroup(x, .types(t), wantRest: true)
        return (rest.map { Value($0) } ?? .none, match.map { Value($0) } ?? .none)
    }

    /// `prepReraiseStar` (_PyExc_PrepReraiseStar): what leaves a `try ... except*` statement, from
    /// the original exception and the list of what each clause raised or left (None for nothing).
    func prepareReraiseStar(_ orig: Value, _ list: Value) throws -> Value {
        let items = list.listArray ?? []
        if items.isEmpty { return .none }
        guard let o = orig.asException, isExceptionGroup(o) else {
            // A bare exception was wrapped: one clause at most ran.
            return items[0]
        }
        var raised: [Value] = [], leaves = Set<ObjectIdentifier>()
        func collectLeaves(_ e: ExceptionObj) {
            if isExceptionGroup(e) {
                for m in groupMembers(e) { if let x = m.asException { collectLeaves(x) } }
            } else {
                leaves.insert(ObjectIdentifier(e))
            }
        }
        for v in items {
            guard let e = v.asException else { continue }
            if sameMetadata(e, o) { collectLeaves(e) } else { raised.append(v) }
        }
        let reraised = try splitGroup(o, .leaves(leaves), wantRest: false).match
        if raised.isEmpty { return reraised.map { Value($0) } ?? .none }
        if let r = reraised { raised.append(Value(r)) }
        if raised.count > 1 { return try call(Value(exc.baseExceptionGroup), [newStr(""), newList(raised)]) }
        return raised[0]
    }

    /// is_same_exception_metadata: a part re-raised unchanged by `raise` in an `except*` clause.
    private func sameMetadata(_ a: ExceptionObj, _ b: ExceptionObj) -> Bool {
        let notesA = a.attributes["__notes__"], notesB = b.attributes["__notes__"]
        let sameNotes: Bool
        switch (notesA, notesB) {
        case (nil, nil): sameNotes = true
        case (let x?, let y?): sameNotes = x.isIdentical(to: y)
        default: sameNotes = false
        }
        guard sameNotes, a.cause.isIdentical(to: b.cause), a.context.isIdentical(to: b.context),
              a.traceback.count == b.traceback.count else { return false }
        for (x, y) in zip(a.traceback, b.traceback) where x.codeRef.toOpaque() != y.codeRef.toOpaque() || x.pc != y.pc { return false }
        return true
    }
}
