// Equality, ordering and hashing with Python's rules: numbers compare by value across int, bool
// and float (so 1 == 1.0 == True, and they hash alike), sequences compare element by element,
// sets by inclusion; unordered types raise TypeError for `<`.

import AsoBytecode
import BigInt
#if canImport(Glibc)
import Glibc
#endif

extension Runtime {
    /// `a == b`.
    func equals(_ a: Value, _ b: Value) throws -> Bool {
        switch (a, b) {
        case let (.int(x), .int(y)): return x == y
        case let (.float(x), .float(y)): return x == y
        case let (.int(x), .float(y)), let (.float(y), .int(x)): return intEqualsFloat(BigInt(x), y)
        case let (.bool(x), .bool(y)): return x == y
        case let (.bool(x), .int(y)), let (.int(y), .bool(x)): return (x ? 1 : 0) == y
        case let (.bool(x), .float(y)), let (.float(y), .bool(x)): return (x ? 1.0 : 0.0) == y
        case (.none, .none): return true
        case (.object(let u), .object(let w)):
            if u.toOpaque() == w.toOpaque() {
                // NaN-free identity shortcut, as CPython's containers do.
                return true
            }
            // Two strings of the builtin type, compared borrowed (no reference counting).
            let strings = u._withUnsafeGuaranteedRef { x in
                w._withUnsafeGuaranteedRef { y -> Bool? in
                    guard x.kind == .str && y.kind == .str && (x.flags | y.flags) & Obj.subclassFlag == 0 else { return nil }
                    return strEqual(unsafeDowncast(x, to: StrObj.self), unsafeDowncast(y, to: StrObj.self))
                }
            }
            if let strings { return strings }
            // (Borrowed: `a` and `b` keep both alive; locals would retain them.)
            return try u._withUnsafeGuaranteedRef { x in
                try w._withUnsafeGuaranteedRef { y in
                    if (x.flags | y.flags) & Obj.subclassFlag != 0, isUserInstance(a) || isUserInstance(b) {
                        if let r = try userEquals(a, b) { return r }
                        if numberCore(a) != nil || numberCore(b) != nil { return try equals(plainNumber(a), plainNumber(b)) }
                    }
                    return try builtinEquals(a, x, b, y)
                }
            }
        case (.object(let u), _), (_, .object(let u)):
            let o = u.takeUnretainedValue()
            if o.type.moduleName != nil, let r = try userEquals(a, b) { return r }
            if let c = numberCore(Value(o)) { return try equals(c, a.object === o ? b : a) }
            if o.kind == .bigint {
                let big = unsafeDowncast(o, to: BigIntObj.self).value
                let other = a.object === o ? b : a
                if case .float(let d) = other { return intEqualsFloat(big, d) }
                return false
            }
            return false
        default: return false
        }
    }

    /// `a == b` as the builtin types decide it, without a subclass's `__eq__` (`str.__eq__`,
    /// `super().__eq__(other)`).
    func builtinEquals(_ a: Value, _ x: Obj, _ b: Value, _ y: Obj) throws -> Bool {
        if x.kind == .str && y.kind == .str {
            return strEqual(unsafeDowncast(x, to: StrObj.self), unsafeDowncast(y, to: StrObj.self))
        }
        return try objectEquals(a, x, b, y)
    }

    private func intEqualsFloat(_ i: BigInt, _ d: Double) -> Bool {
        guard d.isFinite, d == d.rounded() else { return false }
        return BigInt(exactly: d) == i
    }

    private func objectEquals(_ a: Value, _ x: Obj, _ b: Value, _ y: Obj) throws -> Bool {
        switch (x.kind, y.kind) {
        case (.bigint, .bigint):
            return unsafeDowncast(x, to: BigIntObj.self).value == unsafeDowncast(y, to: BigIntObj.self).value
        case (.list, .list):
            return try listEquals(unsafeDowncast(x, to: ListObj.self), unsafeDowncast(y, to: ListObj.self))
        case (.tuple, .tuple):
            return try sequenceEquals(unsafeDowncast(x, to: TupleObj.self).items, unsafeDowncast(y, to: TupleObj.self).items)
        case (.bytes, .bytes):
            return unsafeDowncast(x, to: BytesObj.self).bytes == unsafeDowncast(y, to: BytesObj.self).bytes
        case (.dict, .dict):
            let dx = unsafeDowncast(x, to: DictObj.self), dy = unsafeDowncast(y, to: DictObj.self)
            if dx.count != dy.count { return false }
            for (k, v) in dx.entries {
                guard let w = try dy.get(k, self) else { return false }
                if !(v.isIdentical(to: w)) { if try !equals(v, w) { return false } }
            }
            return true
        case (.set, .set), (.set, .frozenset), (.frozenset, .set), (.frozenset, .frozenset):
            let sx = unsafeDowncast(x, to: SetObj.self), sy = unsafeDowncast(y, to: SetObj.self)
            if sx.count != sy.count { return false }
            for k in sx.liveKeys { if try !sy.contains(k, self) { return false } }
            return true
        case (.range, .range):
            let rx = unsafeDowncast(x, to: RangeObj.self), ry = unsafeDowncast(y, to: RangeObj.self)
            if rx.big != nil || ry.big != nil {
                let bx = rx.big ?? BigRange(start: BigInt(rx.start), stop: BigInt(rx.stop), step: BigInt(rx.step))
                let by = ry.big ?? BigRange(start: BigInt(ry.start), stop: BigInt(ry.stop), step: BigInt(ry.step))
                if bx.length != by.length { return false }
                if bx.length == 0 { return true }
                return bx.start == by.start && (bx.length == 1 || bx.step == by.step)
            }
            if rx.length != ry.length { return false }
            if rx.length == 0 { return true }
            if rx.start != ry.start { return false }
            return rx.length == 1 || rx.step == ry.step
        case (.slice, .slice):
            let p = unsafeDowncast(x, to: SliceObj.self), q = unsafeDowncast(y, to: SliceObj.self)
            return try equals(p.start, q.start) && equals(p.stop, q.stop) && equals(p.step, q.step)
        case (.boundMethod, .boundMethod):
            let p = unsafeDowncast(x, to: BoundMethodObj.self), q = unsafeDowncast(y, to: BoundMethodObj.self)
            return p.receiver.isIdentical(to: q.receiver) && p.function.isIdentical(to: q.function)
        case (.other, .other) where x.hasType(types.dictKeys) || x.hasType(types.dictItems):
            return try equals(Value(newSetFrom(try iterateToArray(a))), Value(newSetFrom(try iterateToArray(b))))
        default:
            if let r = try viewOrAliasEquals(a, x, b, y) { return r }
            return try userEquals(a, b) ?? false
        }
    }

    /// Equality of a keys or items view with a set, and of unions and generic aliases; nil for
    /// other pairs. (Kept out of `objectEquals`'s switch, which the containers' lookups run.)
    @inline(never) private func viewOrAliasEquals(_ a: Value, _ x: Obj, _ b: Value, _ y: Obj) throws -> Bool? {
        switch (x.kind, y.kind) {
        case (.other, .set), (.other, .frozenset), (.set, .other), (.frozenset, .other):
            // A keys or items view equals a set with the same members.
            guard isSetLikeView(a) || isSetLikeView(b) else { return nil }
            let sx = try newSetFrom(try iterateToArray(a))
            tempRoots.append(Value(sx))
            defer { tempRoots.removeLast() }
            let sy = try newSetFrom(try iterateToArray(b))
            tempRoots.append(Value(sy))
            defer { tempRoots.removeLast() }
            return try equals(Value(sx), Value(sy))
        case (.instance, .instance) where x.hasType(types.unionType) && y.hasType(types.unionType):
            let mx = unionMembers(a), my = unionMembers(b)
            return mx.count == my.count && mx.allSatisfy { m in my.contains { $0.isIdentical(to: m) } }
        case (.instance, .instance) where x.hasType(types.genericAlias) && y.hasType(types.genericAlias):
            let gx = unsafeDowncast(x, to: InstanceObj.self), gy = unsafeDowncast(y, to: InstanceObj.self)
            return try equals(gx.attributes["__origin__"] ?? .none, gy.attributes["__origin__"] ?? .none)
                && equals(gx.attributes["__args__"] ?? .none, gy.attributes["__args__"] ?? .none)
        default:
            return nil
        }
    }

    /// `__eq__` of script classes (then the reflected one); nil when neither defines it.
    func userEquals(_ a: Value, _ b: Value) throws -> Bool? {
        guard let r = try userRichEquals(a, b, negate: false) else { return nil }
        return try truthy(r)
    }

    /// Whether `b`'s class is a strict subclass of `a`'s: then its reflected method is tried first.
    private func reflectedFirst(_ a: Value, _ b: Value) -> Bool {
        withTypeOf(a) { ta in withTypeOf(b) { tb in ta !== tb && tb.isSubtype(of: ta) } }
    }

    /// `a == b` (or `a != b` when `negate`) through script-defined `__eq__`/`__ne__`, with the
    /// result exactly as the method returned it; nil when no method answered.
    private func userRichEquals(_ a: Value, _ b: Value, negate: Bool) throws -> Value? {
        let swapped = reflectedFirst(a, b)
        for turn in 0..<2 {
            let (x, y) = (turn == 0) != swapped ? (a, b) : (b, a)
            if negate, let r = try callUserMethod(x, special: SpecialMethod.comparison(3), y) {
                if !r.isIdentical(to: notImplemented) { return r }
                continue
            }
            // A builtin base's `__ne__` (list.__ne__, ...) answers without the script `__eq__`.
            if negate && isNativeSubclassValue(x) { continue }
            if let r = try callUserMethod(x, special: SpecialMethod.comparison(2), y), !r.isIdentical(to: notImplemented) {
                return negate ? .bool(!(try truthy(r))) : r
            }
        }
        return nil
    }

    /// Whether `v` is an instance of a script subclass of list, tuple, dict, set, str or bytes.
    func isNativeSubclassValue(_ v: Value) -> Bool {
        guard case .object(let u) = v else { return false }
        return u._withUnsafeGuaranteedRef { $0.kind != .other && $0.isNativeSubclass }
    }

    /// `a < b` (and the other orderings) through the script methods of subclasses of builtin
    /// types, before the builtin ordering; nil when none answered.
    private func userOrder(_ a: Value, _ b: Value, _ op: ComparisonOperator) throws -> Value? {
        let i = Int(op.rawValue)
        let mine = SpecialMethod.comparison(i), theirs = SpecialMethod.comparison(reflectedComparison[i])
        let swapped = reflectedFirst(a, b)
        if let r = try callUserMethod(swapped ? b : a, special: swapped ? theirs : mine, swapped ? a : b),
           !r.isIdentical(to: notImplemented) { return r }
        if let r = try callUserMethod(swapped ? a : b, special: swapped ? mine : theirs, swapped ? b : a),
           !r.isIdentical(to: notImplemented) { return r }
        return nil
    }

    /// Whether `v` is an instance of a class written in script code.
    private func isUserInstance(_ v: Value) -> Bool {
        guard case .object(let u) = v else { return false }
        return u._withUnsafeGuaranteedRef { $0.typeUnmanaged }._withUnsafeGuaranteedRef { t in
            t.moduleName != nil && t !== types.unionType && t !== types.genericAlias
        }
    }

    func newSetFrom(_ items: [Value]) throws -> SetObj {
        let s = newSet()
        for v in items { try s.add(v, self) }
        return s
    }

    /// Two lists' items equal? (An `__eq__` may change either list: as CPython's, the loop reads
    /// the counts and the items again at each step.)
    private func listEquals(_ x: ListObj, _ y: ListObj) throws -> Bool {
        if x.items.count != y.items.count { return false }
        try enterRecursion(" in comparison")
        defer { depth -= 1 }
        var i = 0
        while i < x.items.count && i < y.items.count {
            let a = x.items[i], b = y.items[i]
            if !a.isIdentical(to: b), try !equals(a, b) { return false }
            i &+= 1
        }
        return x.items.count == y.items.count
    }

    private func sequenceEquals(_ x: UnsafeBufferPointer<Value>, _ y: UnsafeBufferPointer<Value>) throws -> Bool {
        if x.count != y.count { return false }
        try enterRecursion(" in comparison")
        defer { depth -= 1 }
        for i in 0..<x.count where !x[i].isIdentical(to: y[i]) {
            if try !equals(x[i], y[i]) { return false }
        }
        return true
    }

    /// Counts a level of native recursion (repr of nested lists, deep comparisons, ...).
    func enterRecursion(_ whileDoing: String) throws {
        if hot.pointee.depth >= hot.pointee.recursionLimit {
            throw error(exc.recursionError, "maximum recursion depth exceeded" + whileDoing)
        }
        depth += 1
    }

    /// Rich comparison for `compareOp`.
    func compare(_ a: Value, _ b: Value, _ op: ComparisonOperator) throws -> Value {
        // Floats, and a float with a machine int, first (the dispatch loop does two ints itself).
        if let r = Runtime.floatCompare(a, b, op) { return .bool(r) }
        // (Cases matched, not compared: `==` on an enum of another module is a witness call.)
        switch op {
        case .eq: return try equality(a, b, negate: false)
        case .ne: return try equality(a, b, negate: true)
        default: break
        }
        if isNativeSubclassValue(a) || isNativeSubclassValue(b) {
            if let r = try subclassOrder(a, b, op) { return r }
            if numberCore(a) != nil || numberCore(b) != nil { return try compare(plainNumber(a), plainNumber(b), op) }
        }
        if let r = try builtinOrder(a, b, op) { return r }
        if let r = try userOrder(a, b, op) { return r }
        let sym = op.symbol
        throw typeError("'\(sym)' not supported between instances of '\(typeName(a))' and '\(typeName(b))'")
    }

    /// An order between instances of script subclasses of builtin types, as CPython's rich
    /// comparison finds it: each operand's method in turn (the reflected one first when the right
    /// operand's class is a subclass of the left's), where a method the script class does not
    /// define is the builtin base's (`str.__lt__` for a subclass of str that defines only `__gt__`).
    private func subclassOrder(_ a: Value, _ b: Value, _ op: ComparisonOperator) throws -> Value? {
        let i = Int(op.rawValue), j = reflectedComparison[i]
        let swapped = reflectedFirst(a, b)
        for (x, y, k) in swapped ? [(b, a, j), (a, b, i)] : [(a, b, i), (b, a, j)] {
            if let f = userMethod(x, SpecialMethod.names[SpecialMethod.comparison(k)]) {
                let r = try callFunction(f, [x, y], keywords: [])
                if !r.isIdentical(to: notImplemented) { return r }
            } else if isNativeSubclassValue(x), numberCore(x) == nil, let kop = ComparisonOperator(rawValue: UInt32(k)),
                      let r = try builtinOrder(x, y, kop) {
                return r
            }
        }
        return nil
    }

    /// `<`, `<=`, `>`, `>=` as the builtin types order themselves (numbers, strings, bytes,
    /// tuples, lists, sets); nil for operands they do not order.
    private func builtinOrder(_ a: Value, _ b: Value, _ op: ComparisonOperator) throws -> Value? {
        if case .object(let u) = a, case .object(let w) = b {
            // Borrowed: both are the caller's (on a stack or in a container it holds). A tuple's
            // items never change, so they are read in place; a list's are read by index, the
            // counts again at each step, since a comparison may run script code that changes it.
            let r = try u._withUnsafeGuaranteedRef { x in
                try w._withUnsafeGuaranteedRef { y -> Value? in
                    switch (x.kind, y.kind) {
                    case (.list, .list):
                        return try listCompare(unsafeDowncast(x, to: ListObj.self), unsafeDowncast(y, to: ListObj.self), op)
                    case (.tuple, .tuple):
                        return try sequenceCompare(unsafeDowncast(x, to: TupleObj.self).items,
                                                   unsafeDowncast(y, to: TupleObj.self).items, op)
                    default: return nil
                    }
                }
            }
            if let r { return r }
        }
        if let r = try order(a, b) {
            switch op {
            case .lt: return .bool(r < 0)
            case .le: return .bool(r <= 0 && r != 2)
            case .gt: return .bool(r > 0 && r != 2)
            default: return .bool(r >= 0 && r != 2)
            }
        }
        if let x = a.asSet, let y = b.asSet { return .bool(try setCompare(x, y, op)) }
        return nil
    }

    /// `a == b`, or `a != b` when `negate`.
    private func equality(_ a: Value, _ b: Value, negate: Bool) throws -> Value {
        if isUserInstance(a) || isUserInstance(b) {
            if let r = try userRichEquals(a, b, negate: negate) { return r }
            if isNativeSubclassValue(a) || isNativeSubclassValue(b) {
                // The builtin base's own comparison (the script methods had their turn).
                let r: Bool
                if numberCore(a) != nil || numberCore(b) != nil {
                    r = try equals(plainNumber(a), plainNumber(b))
                } else if case .object(let u) = a, case .object(let w) = b {
                    r = try builtinEquals(a, u.takeUnretainedValue(), b, w.takeUnretainedValue())
                } else {
                    r = try equals(a, b)
                }
                return .bool(negate ? !r : r)
            }
            let same = a.isIdentical(to: b)
            return .bool(negate ? !same : same)
        }
        let r = try equals(a, b)
        return .bool(negate ? !r : r)
    }

    /// `a < b` for sorting.
    func lessThan(_ a: Value, _ b: Value) throws -> Bool {
        if let r = Runtime.plainOrder(a, b) { return r < 0 }
        let r = try compare(a, b, .lt)
        if case .bool(let t) = r { return t }
        return try truthy(r)
    }

    /// Three-way order: -1, 0, 1, or 2 for "unordered" (a NaN); nil when the types do not order.
    private func order(_ a: Value, _ b: Value) throws -> Int? {
        if isIntegral(a) && isIntegral(b) {
            if case .int(let x) = a.asPlainInt, case .int(let y) = b.asPlainInt { return x < y ? -1 : (x == y ? 0 : 1) }
            guard let x = bigValue(a), let y = bigValue(b) else { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        }
        if case .float = a, isIntegral(b) || isFloat(b) { return try numericOrder(a, b) }
        if case .float = b, isIntegral(a) { return try numericOrder(a, b) }
        guard case .object(let u) = a, case .object(let w) = b else { return nil }
        // (Borrowed: both are the caller's.)
        return u._withUnsafeGuaranteedRef { x in
            w._withUnsafeGuaranteedRef { y -> Int? in
                switch (x.kind, y.kind) {
                case (.str, .str):
                    return strOrder(unsafeDowncast(x, to: StrObj.self).value, unsafeDowncast(y, to: StrObj.self).value)
                case (.bytes, .bytes):
                    let p = unsafeDowncast(x, to: BytesObj.self).bytes, q = unsafeDowncast(y, to: BytesObj.self).bytes
                    if p == q { return 0 }
                    return p.lexicographicallyPrecedes(q) ? -1 : 1
                default: return nil
                }
            }
        }
    }

    /// An outcome of `floatIntOutcome` as `order` gives it: -1, 0, 1, or 2 for unordered.
    static func order(of outcome: UInt32) -> Int {
        switch outcome {
        case 1: return -1
        case 2: return 0
        case 4: return 1
        default: return 2
        }
    }

    private func isFloat(_ v: Value) -> Bool { if case .float = v { return true }; return false }

    private func numericOrder(_ a: Value, _ b: Value) throws -> Int {
        // A float and a machine int, or two floats: no big int needed.
        if case .float(let d) = a, case .int(let i) = b { return Runtime.order(of: Runtime.floatIntOutcome(d, i)) }
        if case .int(let i) = a, case .float(let d) = b {
            let r = Runtime.order(of: Runtime.floatIntOutcome(d, i))
            return r == 2 ? 2 : -r
        }
        // Compare exactly when an int is involved and the float is integral.
        if case .float(let d) = a, !d.isNaN, let y = bigValue(b), d.isFinite {
            let fl = BigInt(d.rounded(.down))
            if fl < y { return -1 }
            if fl > y { return 1 }
            return d > d.rounded(.down) ? 1 : 0
        }
        if case .float(let d) = b, !d.isNaN, bigValue(a) != nil, d.isFinite {
            return -(try numericOrder(b, a))
        }
        if case .float(let d) = a, d.isNaN { return 2 }
        if case .float(let d) = b, d.isNaN { return 2 }
        // An infinity is beyond every int, however large.
        if case .float(let d) = a, d.isInfinite, bigValue(b) != nil { return d > 0 ? 1 : -1 }
        if case .float(let d) = b, d.isInfinite, bigValue(a) != nil { return d > 0 ? -1 : 1 }
        guard let x = try floatValue(a), let y = try floatValue(b) else { return 2 }
        if x.isNaN || y.isNaN { return 2 }
        return x < y ? -1 : (x == y ? 0 : 1)
    }

    /// Orders two lists or tuples as CPython does: the first items that differ (by `==`) decide,
    /// compared with the operator itself (so its result and its error name that operator); when
    /// one is a prefix of the other, the lengths decide.
    private func sequenceCompare(_ x: UnsafeBufferPointer<Value>, _ y: UnsafeBufferPointer<Value>, _ op: ComparisonOperator) throws -> Value {
        let n = min(x.count, y.count)
        var i = 0
        // Machine ints and builtin strings, the usual items of keys (a heap's `(cost, node)`,
        // coordinates, records sorted by several fields), decide here: no call of `equals` and
        // `compare`, whose answers for them these are, and no recursion to guard against.
        while i < n, let r = Runtime.plainOrder(x[i], y[i]) {
            if r != 0 { return .bool(Runtime.ordered(r, 0, op)) }
            i &+= 1
        }
        if i < n {
            // The other items may be containers or script objects: compared under the guard.
            try enterRecursion(" in comparison")
            defer { depth -= 1 }
            while i < n {
                let a = x[i], b = y[i]
                if let r = Runtime.plainOrder(a, b) {
                    if r != 0 { return .bool(Runtime.ordered(r, 0, op)) }
                } else if !a.isIdentical(to: b), try !equals(a, b) {
                    return try compare(a, b, op)
                }
                i &+= 1
            }
        }
        return .bool(Runtime.ordered(x.count, y.count, op))
    }

    /// -1, 0 or 1 as `a` orders before, equal to or after `b` when both are machine ints or both
    /// builtin strings; nil for any other pair.
    @inline(__always) static func plainOrder(_ a: Value, _ b: Value) -> Int? {
        if case .int(let p) = a, case .int(let q) = b { return p < q ? -1 : (p == q ? 0 : 1) }
        return plainStrOrder(a, b)
    }

    /// `p op q` for one of the orderings (`<`, `<=`, `>`, `>=`).
    @inline(__always) static func ordered(_ p: Int, _ q: Int, _ op: ComparisonOperator) -> Bool {
        switch op {
        case .lt: return p < q
        case .le: return p <= q
        case .gt: return p > q
        default: return p >= q
        }
    }

    /// `sequenceCompare` of two lists, which an `__eq__` may change (as CPython's `list_richcompare`).
    private func listCompare(_ x: ListObj, _ y: ListObj, _ op: ComparisonOperator) throws -> Value {
        try enterRecursion(" in comparison")
        defer { depth -= 1 }
        var i = 0
        while i < x.items.count && i < y.items.count {
            let a = x.items[i], b = y.items[i]
            if !a.isIdentical(to: b), try !equals(a, b) {
                if i >= x.items.count || i >= y.items.count { break }
                return try compare(a, b, op)
            }
            i &+= 1
        }
        return .bool(Runtime.ordered(x.items.count, y.items.count, op))
    }

    private func setCompare(_ x: SetObj, _ y: SetObj, _ op: ComparisonOperator) throws -> Bool {
        func subset(_ p: SetObj, _ q: SetObj) throws -> Bool {
            for k in p.liveKeys { if try !q.contains(k, self) { return false } }
            return true
        }
        switch op {
        case .lt: return try x.count < y.count && subset(x, y)
        case .le: return try subset(x, y)
        case .gt: return try x.count > y.count && subset(y, x)
        default: return try subset(y, x)
        }
    }

    // MARK: Hashing (CPython's numeric hash, so equal numbers hash alike)

    private static let modulus: UInt64 = (1 << 61) - 1

    /// The hash the builtin types give `v`, without a subclass's `__hash__` (`str.__hash__`).
    func builtinHash(_ v: Value) throws -> Int { try hash(v, builtin: true) }

    func hash(_ v: Value, builtin: Bool = false) throws -> Int {
        switch v {
        case .int(let i): return hashInt(i)
        case .bool(let b): return b ? 1 : 0
        case .float(let d): return hashFloat(d)
        case .none: return 0x5f3759df
        case .null: return 0
        case .object(let u):
            // A builtin string, then a builtin tuple, borrowed (no reference counting). (Two
            // closures: the string's stays small enough to be inlined.)
            if let known = builtinStrHash(u) { return known }
            if let h = try u._withUnsafeGuaranteedRef({ o -> Int? in
                guard o.flags & Obj.subclassFlag == 0, o.kind == .tuple else { return nil }
                return try hashTuple(unsafeDowncast(o, to: TupleObj.self).items)
            }) {
                return h
            }
            let o = u.takeUnretainedValue()
            if o.isNativeSubclass, o.kind != .other {
                if !builtin, let h = try subclassHash(v, o.type) { return h }
                if let c = numberCore(v) { return try hash(c) }
            }
            switch o.kind {
            case .str: return strHash(unsafeDowncast(o, to: StrObj.self))
            case .bigint: return hashBig(unsafeDowncast(o, to: BigIntObj.self).value)
            case .tuple:
                return try hashTuple(unsafeDowncast(o, to: TupleObj.self).items)
            case .bytes:
                if isBytearray(o) { throw typeError("unhashable type: 'bytearray'") }
                return unsafeDowncast(o, to: BytesObj.self).bytes.withUnsafeBytes { Runtime.hashOfBytes($0) }
            case .frozenset:
                var h: UInt64 = 0
                for k in unsafeDowncast(o, to: SetObj.self).liveKeys {
                    let x = UInt64(bitPattern: Int64(try hash(k)))
                    h ^= ((x ^ 89869747) ^ (x << 16)) &* 3644798167
                }
                return Int(truncatingIfNeeded: h)
            case .list, .dict, .set, .slice:
                // (Slices are unhashable in 3.11: `d[1:2]` of a dict is a TypeError.)
                throw typeError("unhashable type: '\(o.type.name)'")
            case .other where o.hasType(types.dictKeys) || o.hasType(types.dictValues) || o.hasType(types.dictItems):
                throw typeError("unhashable type: '\(o.type.name)'")
            default:
                if o.type.moduleName != nil {
                    switch hashPlan(o.typeUnmanaged) {
                    case .script:
                        if let r = try callUserMethod(v, special: SpecialMethod.hash) {
                            guard let h = indexValue(r) else { throw typeError("__hash__ method should return an integer") }
                            return h == -1 ? -2 : h
                        }
                    case .unhashable:
                        throw typeError("unhashable type: '\(o.type.name)'")
                    case .identity:
                        break
                    }
                }
                return identityHash(o)
            }
        }
    }

    /// How instances of the script class `t` hash, as of this type epoch: by their script
    /// `__hash__`, by identity, or not at all (`__hash__ = None`, or an `__eq__` without a
    /// `__hash__`). Decided once per class and epoch: no name is looked up per hash.
    private func hashPlan(_ t: Unmanaged<TypeObject>) -> TypeObject.HashPlan {
        t._withUnsafeGuaranteedRef { t in
            let epoch = hot.pointee.typeEpoch
            if t.hashPlanEpoch == epoch { return t.hashPlan }
            let plan: TypeObject.HashPlan
            if userMethodLookup(t, "__hash__") != nil {
                plan = .script
            } else if t.lookup("__hash__")?.isNone == true || userMethodLookup(t, "__eq__") != nil {
                plan = .unhashable
            } else {
                plan = .identity
            }
            t.hashPlan = plan
            t.hashPlanEpoch = epoch
            return plan
        }
    }

    /// A string's hash, computed once and kept in the string.
    @inline(__always) private func strHash(_ s: StrObj) -> Int {
        if !s.hashComputed { s.cachedHash = hashString(s.value); s.hashComputed = true }
        return s.cachedHash
    }

    /// The hash of an instance of a script subclass of a builtin type when its class says how
    /// (a script `__hash__`, or `__hash__ = None`, as a class with `__eq__` alone gets); nil for
    /// the base's hash.
    private func subclassHash(_ v: Value, _ t: TypeObject) throws -> Int? {
        var c: TypeObject? = t
        while let k = c, k.moduleName != nil {
            if let m = k.dict["__hash__"] {
                if m.isNone { throw typeError("unhashable type: '\(t.name)'") }
                guard m.asFunction != nil else { return nil }
                let r = try call(m, one: v)
                guard let h = indexValue(r) else { throw typeError("__hash__ method should return an integer") }
                return h == -1 ? -2 : h
            }
            c = k.base
        }
        return nil
    }

    /// The hash of an object hashed by identity: a serial number given on first use (kept in
    /// the object's spare `aux32` word), so sets and dicts of such objects iterate in the same
    /// order on every run; generators and strings (whose `aux32` is taken: a str subclass may hash
    /// by identity) hash by address.
    func identityHash(_ o: Obj) -> Int {
        if o.kind == .generator || o.kind == .str {
            return Int(bitPattern: UInt(bitPattern: ObjectIdentifier(o).hashValue) >> 4)
        }
        if o.aux32 == 0 {
            identityHashSerial &+= 1
            if identityHashSerial <= 0 { identityHashSerial = 1 }
            o.aux32 = identityHashSerial
        }
        return Int(o.aux32)
    }

    func hashInt(_ i: Int) -> Int {
        let m = Runtime.modulus
        var r = Int(UInt64(i.magnitude) % m)
        if i < 0 { r = -r }
        return r == -1 ? -2 : r
    }

    private func hashBig(_ b: BigInt) -> Int {
        let m = BigInt(Runtime.modulus)
        var r = Int(b.magnitude % BigUInt(Runtime.modulus))
        if b.signum() < 0 { r = -r }
        _ = m
        return r == -1 ? -2 : r
    }

    /// CPython's `_Py_HashDouble`.
    func hashFloat(_ d: Double) -> Int {
        if d.isNaN { return 0 }
        if d.isInfinite { return d > 0 ? 314159 : -314159 }
        let m = Runtime.modulus
        var (mant, e) = frexpPair(d)
        var sign = 1
        if mant < 0 { sign = -1; mant = -mant }
        var x: UInt64 = 0
        while mant != 0 {
            x = ((x << 28) & m) | x >> (61 - 28)
            mant *= 268435456.0
            e -= 28
            let y = UInt64(mant)
            mant -= Double(y)
            x += y
            if x >= m { x -= m }
        }
        let ee = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61)
        x = ((x << UInt64(ee)) & m) | x >> UInt64(61 - ee)
        var r = Int(x) * sign
        if r == -1 { r = -2 }
        return r
    }

    private func frexpPair(_ d: Double) -> (Double, Int) {
        if d == 0 { return (0, 0) }
        let e = Int(d.exponent) + 1
        return (d / pow(2.0, Double(e)), e)
    }

    /// CPython 3.11's tuple hash (xxHash-based).
    private func hashTuple(_ items: UnsafeBufferPointer<Value>) throws -> Int {
        let p1: UInt64 = 11400714785074694791, p2: UInt64 = 14029467366897019727, p5: UInt64 = 2870177450012600261
        var acc = p5
        for v in items {
            let lane = UInt64(bitPattern: Int64(try hashItem(v)))
            acc = acc &+ lane &* p2
            acc = (acc << 31) | (acc >> 33)
            acc = acc &* p1
        }
        acc = acc &+ (UInt64(items.count) ^ (p5 ^ 3527539))
        if acc == UInt64.max { return 1546275796 }
        return Int(bitPattern: UInt(acc))
    }

    /// The hash of a builtin string, borrowed (no reference counting); nil for any other object.
    @inline(__always)
    private func builtinStrHash(_ u: Unmanaged<Obj>) -> Int? {
        u._withUnsafeGuaranteedRef { o in
            o.kind == .str && o.flags & Obj.subclassFlag == 0 ? strHash(unsafeDowncast(o, to: StrObj.self)) : nil
        }
    }

    /// The hash of a tuple's item: a number's, None's or a builtin string's directly, any other
    /// object under the recursion guard (a tuple nested in itself through a list cannot be hashed,
    /// but a deep nest of tuples can).
    @inline(__always)
    private func hashItem(_ v: Value) throws -> Int {
        if case .int(let i) = v { return hashInt(i) }
        guard case .object(let u) = v else { return try hash(v) }
        if let h = builtinStrHash(u) { return h }
        try enterRecursion("")
        defer { depth -= 1 }
        return try hash(v)
    }

    /// A stable string hash: `hashOfBytes` of the text's UTF-8 (CPython's is randomised per process, so
    /// scripts cannot depend on its values).
    private func hashString(_ s: String) -> Int {
        if let h = s.utf8.withContiguousStorageIfAvailable({ Runtime.hashOfBytes(UnsafeRawBufferPointer($0)) }) { return h }
        return Array(s.utf8).withUnsafeBytes { Runtime.hashOfBytes($0) }
    }

    /// The hash of a string's or a bytes object's bytes: read eight at a time, each word mixed by
    /// multiplications and rotations, the result finished by an avalanche step, so that a long key
    /// (a dict keyed by file contents, say) hashes at several bytes per cycle.
    static func hashOfBytes(_ bytes: UnsafeRawBufferPointer) -> Int {
        let k1: UInt64 = 0x87C3_7B91_1142_53D5, k2: UInt64 = 0x4CF5_AD43_2745_937F
        @inline(__always) func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x &<< r) | (x &>> (64 &- r)) }
        @inline(__always) func mixed(_ w: UInt64) -> UInt64 { rotl(w &* k1, 31) &* k2 }
        let n = bytes.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        while i &+ 8 <= n {
            h ^= mixed(bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            h = rotl(h, 27) &* 5 &+ 0x52DC_E729
            i &+= 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(bytes[i]) &<< shift
                shift &+= 8
                i &+= 1
            }
            h ^= mixed(tail)
        }
        h ^= h &>> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h &>> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h &>> 33
        let r = Int(truncatingIfNeeded: h)
        return r == -1 ? -2 : r
    }
}

/// `a == b` when no script code can take part (ints, floats, bools, None, the same object, two
/// strings of the builtin type, two builtin tuples of such items), without reference counting;
/// nil when it takes the runtime's `equals` (instances, subclasses, other containers, big ints,
/// an int against a float).
@inline(__always) func plainEquals(_ a: Value, _ b: Value) -> Bool? {
    if let same = plainItemEquals(a, b) { return same }
    guard case .object(let u) = a, case .object(let w) = b else { return nil }
    return u._withUnsafeGuaranteedRef { x in
        w._withUnsafeGuaranteedRef { y -> Bool? in
            guard x.kind == .tuple && y.kind == .tuple && (x.flags | y.flags) & Obj.subclassFlag == 0 else { return nil }
            return plainTupleEquals(unsafeDowncast(x, to: TupleObj.self), unsafeDowncast(y, to: TupleObj.self))
        }
    }
}

/// `plainEquals` without tuples: ints, floats, bools, None, the same object, two builtin strings.
@inline(__always) func plainItemEquals(_ a: Value, _ b: Value) -> Bool? {
    switch (a, b) {
    case let (.int(x), .int(y)): return x == y
    case let (.float(x), .float(y)): return x == y
    case let (.bool(x), .bool(y)): return x == y
    case (.none, .none): return true
    case (.object(let u), .object(let w)):
        if u.toOpaque() == w.toOpaque() { return true }
        return u._withUnsafeGuaranteedRef { x in
            w._withUnsafeGuaranteedRef { y -> Bool? in
                guard x.kind == .str && y.kind == .str && (x.flags | y.flags) & Obj.subclassFlag == 0 else { return nil }
                return strEqual(unsafeDowncast(x, to: StrObj.self), unsafeDowncast(y, to: StrObj.self))
            }
        }
    default: return nil
    }
}

/// `plainEquals` of two builtin tuples, item by item up to the first pair that differs (as
/// CPython's tuple comparison stops there): nil when a pair before it needs more than
/// `plainItemEquals` (a nested tuple, a number of another type, an object with `__eq__`).
@inline(never) func plainTupleEquals(_ x: TupleObj, _ y: TupleObj) -> Bool? {
    let p = x.items, q = y.items
    if p.count != q.count { return false }
    for i in 0..<p.count {
        guard let same = plainItemEquals(p[i], q[i]) else { return nil }
        if !same { return false }
    }
    return true
}

/// Python's `==` on two strings: the same code points, compared as UTF-8 bytes (Swift's `==` on
/// `String` is canonical equivalence, which would make "\u{E9}" equal "e\u{301}").
@inline(__always) func strEqual(_ a: StrObj, _ b: StrObj) -> Bool {
    if a.count != b.count { return false }
    return withUTF8(a.value) { p in
        withUTF8(b.value) { q in
            guard p.count == q.count else { return false }
            guard let x = p.baseAddress, let y = q.baseAddress else { return p.count == 0 }
            return memcmp(x, y, p.count) == 0
        }
    }
}

/// `strOrder` of two strings of the builtin type, borrowed (no reference counting); nil unless
/// both are such strings (a script subclass may order itself).
func plainStrOrder(_ a: Value, _ b: Value) -> Int? {
    a.withStr { x in
        b.withStr { y in (x.flags | y.flags) & Obj.subclassFlag == 0 ? strOrder(x.value, y.value) : nil } ?? nil
    } ?? nil
}

/// -1, 0 or 1 as `p` orders before, equal to or after `q` by code points; UTF-8 bytes order as
/// their code points do, so this compares bytes.
func strOrder(_ p: String, _ q: String) -> Int {
    // (The bytes in place, without `withUTF8`'s error plumbing: a comparison cannot fail.)
    if let r = p.utf8.withContiguousStorageIfAvailable({ a in q.utf8.withContiguousStorageIfAvailable { b in byteOrder(a, b) } }),
       let r {
        return r
    }
    return withUTF8(p) { a in withUTF8(q) { b in byteOrder(a, b) } }
}

/// -1, 0 or 1 as the bytes `a` order before, equal to or after `b`.
@inline(__always)
private func byteOrder(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
    let n = min(a.count, b.count)
    if n > 0, let x = a.baseAddress, let y = b.baseAddress {
        let c = memcmp(x, y, n)
        if c != 0 { return c < 0 ? -1 : 1 }
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

/// The index of each comparison's reflection, by `ComparisonOperator.rawValue` (`a < b` is
/// `b > a`).
private let reflectedComparison = [4, 5, 2, 3, 0, 1]
