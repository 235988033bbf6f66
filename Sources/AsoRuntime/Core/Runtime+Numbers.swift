// Arithmetic with Python's semantics: ints that never overflow (64-bit fast path, big ints
// beyond), floor division and modulo that follow the divisor's sign, true division, and the
// sequence operators that share the operator symbols (`+` concatenates, `*` repeats).

import AsoBytecode
import BigInt

extension Runtime {
    /// An int value, inline when it fits.
    @inline(__always) func makeInt(_ b: BigInt) -> Value {
        if let i = Int(exactly: b) { return .int(i) }
        return Value(heap.register(BigIntObj(b, type: types.int)))
    }

    /// An int value from the kernels' form, inline when it fits.
    @inline(__always) func makeInt(_ w: BigWords) -> Value {
        if let i = w.int { return .int(i) }
        return Value(heap.register(BigIntObj(words: w.words, negative: w.negative, type: types.int)))
    }

    /// The value in the kernels' form, for ints, bools and big ints.
    func bigWords(_ v: Value) -> BigWords? {
        switch v {
        case .int(let i): return BigWords(i)
        case .bool(let b): return BigWords(b ? 1 : 0)
        case .object(let u):
            return u._withUnsafeGuaranteedRef { o in o.kind == .bigint ? unsafeDowncast(o, to: BigIntObj.self).words : nil }
        default: return nil
        }
    }

    /// `+`, `-`, `*`, `//` and `%` of two ints of which one at least is big, on the words
    /// (`BigKernels`); nil for other operators and operands.
    private func wordArithmetic(_ op: BinaryOperator, _ a: Value, _ b: Value) throws -> Value? {
        switch op {
        case .add, .subtract, .multiply, .floorDivide, .remainder: break
        default: return nil
        }
        guard let x = bigWords(a), let y = bigWords(b) else { return nil }
        switch op {
        case .add: return makeInt(BigKernels.add(x, y))
        case .subtract: return makeInt(BigKernels.subtract(x, y))
        case .multiply:
            try checkAllocation((x.words.count &+ y.words.count) &* 8, elementSize: 1)
            return makeInt(BigKernels.multiply(x, y))
        default:
            if y.words.isEmpty { throw zeroDivision(op == .remainder ? "integer modulo by zero" : "integer division or modulo by zero") }
            let (q, r) = BigKernels.floorDivMod(x, y)
            return makeInt(op == .floorDivide ? q : r)
        }
    }

    /// The value as a big int, for ints and bools.
    func bigValue(_ v: Value) -> BigInt? {
        switch v {
        case .int(let i): return BigInt(i)
        case .bool(let b): return b ? 1 : 0
        case .object(let u):
            let o = u.takeUnretainedValue()
            return o.kind == .bigint ? unsafeDowncast(o, to: BigIntObj.self).value : nil
        default: return nil
        }
    }

    /// True for int, bool and big int values.
    @inline(__always) func isIntegral(_ v: Value) -> Bool {
        switch v {
        case .int, .bool: return true
        case .object(let u): return u.takeUnretainedValue().kind == .bigint
        default: return false
        }
    }

    /// The value as a float for arithmetic, for floats and ints. Throws OverflowError for huge ints.
    /// The float nearest to `b` (ties to even), as CPython converts: the top 64 bits, with a
    /// sticky bit for any lower one, round correctly to 53; the scaling is then exact.
    static func correctlyRounded(_ b: BigInt) -> Double {
        let m = b.magnitude
        let w = m.bitWidth
        var d: Double
        if w <= 64 {
            d = Double(UInt64(truncatingIfNeeded: m))
        } else {
            let shift = w - 64
            var top = UInt64(truncatingIfNeeded: m >> shift)
            if m.trailingZeroBitCount < shift { top |= 1 }
            d = Double(top) * pow(2.0, Double(shift))
        }
        return b.sign == .minus ? -d : d
    }

    func floatValue(_ v: Value) throws -> Double? {
        switch v {
        case .float(let d): return d
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        case .object(let u):
            let o = u.takeUnretainedValue()
            guard o.kind == .bigint else { return nil }
            let d = Runtime.correctlyRounded(unsafeDowncast(o, to: BigIntObj.self).value)
            if !d.isFinite { throw overflowError("int too large to convert to float") }
            return d
        default: return nil
        }
    }

    /// `a op b`; the helpers below take the plain operator and whether it was the in-place form.
    func binaryOp(_ op: BinaryOperator, _ a: Value, _ b: Value) throws -> Value {
        // A float with a machine int first: the int converted to the nearest float, as CPython's
        // float arithmetic converts it (the dispatch loop does two ints and two floats itself).
        var r = Value.none
        if case .float(let x) = a, case .int(let y) = b, Runtime.floatArithmetic(op, x, Double(y), into: &r) { return r }
        if case .int(let x) = a, case .float(let y) = b, Runtime.floatArithmetic(op, Double(x), y, into: &r) { return r }
        let bop = op.plain
        let inplace = op.isInplace
        if isIntegral(a) && isIntegral(b) { return try intOp(bop, a, b) }
        if case .float = a, let y = try floatValue(b) { return try floatOp(bop, (try floatValue(a)) ?? 0, y, a, b, inplace) }
        if case .float = b, let x = try floatValue(a) { return try floatOp(bop, x, (try floatValue(b)) ?? 0, a, b, inplace) }
        // An instance of a script class (or of a subclass of a builtin type) on either side: its
        // methods first, as CPython's number slots come before a sequence's concat and repeat.
        let scriptOperand = isScriptInstance(a) || isScriptInstance(b)
        if scriptOperand, let r = try userBinaryOp(bop, a, b, inplace: inplace) { return r }
        // A subclass of a builtin sequence that defines `__add__` or `__mul__` loses the
        // builtin concatenation or repetition (CPython clears those slots).
        if scriptOperand, bop == .add || bop == .multiply, isNativeSubclassValue(a),
           userMethod(a, bop == .add ? "__add__" : "__mul__") != nil {
            throw unsupported(bop, a, b, inplace: inplace, asSequence: false)
        }
        if let r = try sequenceOp(bop, a, b, inplace: inplace) { return r }
        if bop == .or, !(a.isNone && b.isNone), isUnionable(a), isUnionable(b) { return makeUnion(a, b) }
        if !scriptOperand, let r = try userBinaryOp(bop, a, b, inplace: inplace) { return r }
        // Instances of subclasses of int and float: the numbers they hold, once their classes'
        // own methods have declined.
        if numberCore(a) != nil || numberCore(b) != nil { return try binaryOp(op, plainNumber(a), plainNumber(b)) }
        throw unsupported(bop, a, b, inplace: inplace)
    }

    /// An instance of a class written in script code, or of a script subclass of a builtin type.
    @inline(__always) func isScriptInstance(_ v: Value) -> Bool {
        guard case .object(let u) = v else { return false }
        return u._withUnsafeGuaranteedRef { $0.kind == .instance || ($0.kind != .other && $0.isNativeSubclass) }
    }

    /// The TypeError of an operator no operand supports; `asSequence` false leaves out the
    /// messages of sequence concatenation and repetition.
    func unsupported(_ op: BinaryOperator, _ a: Value, _ b: Value, inplace: Bool, asSequence: Bool = true) -> ScriptError {
        if asSequence { return sequenceUnsupported(op, a, b) ?? unsupported(op, a, b, inplace: inplace, asSequence: false) }
        let sym = op == .power ? (inplace ? "**=" : "** or pow()") : op.symbol + (inplace ? "=" : "")
        return typeError("unsupported operand type(s) for \(sym): '\(typeName(a))' and '\(typeName(b))'")
    }

    private func sequenceUnsupported(_ op: BinaryOperator, _ a: Value, _ b: Value) -> ScriptError? {
        if op == .add, let _ = a.asStr { return typeError("can only concatenate str (not \"\(typeName(b))\") to str") }
        if op == .add, let _ = a.asList { return typeError("can only concatenate list (not \"\(typeName(b))\") to list") }
        if op == .add, let _ = a.asTuple { return typeError("can only concatenate tuple (not \"\(typeName(b))\") to tuple") }
        if op == .add, a.asBytes != nil { return typeError("can't concat \(typeName(b)) to \(typeName(a))") }
        if op == .multiply, a.asStr != nil || a.asList != nil || a.asTuple != nil || a.asBytes != nil {
            return typeError("can't multiply sequence by non-int of type '\(typeName(b))'")
        }
        if op == .multiply, b.asStr != nil || b.asList != nil || b.asTuple != nil || b.asBytes != nil {
            return typeError("can't multiply sequence by non-int of type '\(typeName(a))'")
        }
        return nil
    }

    private func intOp(_ op: BinaryOperator, _ a: Value, _ b: Value) throws -> Value {
        // Bools combine to bools under & | ^.
        if case .bool(let x) = a, case .bool(let y) = b {
            switch op {
            case .and: return .bool(x && y)
            case .or: return .bool(x || y)
            case .xor: return .bool(x != y)
            default: break
            }
        }
        if case .int(let x) = a.asPlainInt, case .int(let y) = b.asPlainInt {
            switch op {
            case .add: let (r, o) = x.addingReportingOverflow(y); if !o { return .int(r) }
            case .subtract: let (r, o) = x.subtractingReportingOverflow(y); if !o { return .int(r) }
            case .multiply: let (r, o) = x.multipliedReportingOverflow(by: y); if !o { return .int(r) }
            case .floorDivide:
                if y == 0 { throw zeroDivision("integer division or modulo by zero") }
                if !(x == Int.min && y == -1) {
                    let q = x / y
                    return .int((x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q)
                }
            case .remainder:
                if y == 0 { throw zeroDivision("integer modulo by zero") }
                if y == -1 { return .int(0) }
                let r = x % y
                return .int((r != 0 && ((r < 0) != (y < 0))) ? r + y : r)
            case .trueDivide:
                if y == 0 { throw zeroDivision("division by zero") }
                if x.magnitude < (1 << 53) && y.magnitude < (1 << 53) { return .float(Double(x) / Double(y)) }
            case .and: return .int(x & y)
            case .or: return .int(x | y)
            case .xor: return .int(x ^ y)
            case .lshift:
                if y < 0 { throw valueError("negative shift count") }
                if y < 63 && x == (x << y) >> y { return .int(x << y) }
            case .rshift:
                if y < 0 { throw valueError("negative shift count") }
                return .int(y >= 64 ? (x < 0 ? -1 : 0) : x >> y)
            case .power:
                if y < 0 {
                    if x == 0 { throw zeroDivision("0.0 cannot be raised to a negative power") }
                    return .float(pow(Double(x), Double(y)))
                }
                var result = 1, base = x, e = y, overflow = false
                while e > 0 && !overflow {
                    if e & 1 == 1 { let (r, o) = result.multipliedReportingOverflow(by: base); result = r; overflow = o }
                    e >>= 1
                    if e > 0 { let (r, o) = base.multipliedReportingOverflow(by: base); base = r; overflow = overflow || o }
                }
                if !overflow { return .int(result) }
            default: break   // `@` (never an in-place form: `binaryOp` passes the plain operator)
            }
        }
        if let v = try wordArithmetic(op, a, b) { return v }
        guard let x = bigValue(a), let y = bigValue(b) else { throw unsupported(op, a, b, inplace: false) }
        switch op {
        case .add: return makeInt(x + y)
        case .subtract: return makeInt(x - y)
        case .multiply:
            try checkAllocation((x.bitWidth + y.bitWidth) / 8, elementSize: 1)
            return makeInt(x * y)
        case .floorDivide, .remainder:
            if y.isZero { throw zeroDivision(op == .remainder ? "integer modulo by zero" : "integer division or modulo by zero") }
            let (q, r) = floorDivMod(x, y)
            return makeInt(op == .floorDivide ? q : r)
        case .trueDivide:
            if y.isZero { throw zeroDivision("division by zero") }
            return .float(try bigTrueDivide(x, y))
        case .and: return makeInt(x & y)
        case .or: return makeInt(x | y)
        case .xor: return makeInt(x ^ y)
        case .lshift:
            if y.signum() < 0 { throw valueError("negative shift count") }
            if x.isZero { return .int(0) }
            guard let n = Int(exactly: y) else { throw overflowError("too many digits in integer") }
            // CPython's allocation of the result fails first: a MemoryError.
            if n >= (1 << 32) { throw memoryError() }
            try checkAllocation(n / 8 + x.bitWidth / 8, elementSize: 1)
            return makeInt(x << n)
        case .rshift:
            if y.signum() < 0 { throw valueError("negative shift count") }
            guard let n = Int(exactly: y) else { return .int(x.signum() < 0 ? -1 : 0) }
            // Floor, as CPython: a negative number that loses a set bit rounds down.
            if x.signum() < 0 { return makeInt(-((-x - 1) >> n) - 1) }
            return makeInt(x >> n)
        case .power:
            if y.signum() < 0 {
                if x.isZero { throw zeroDivision("0.0 cannot be raised to a negative power") }
                return .float(pow(try floatValue(a) ?? 0, try floatValue(b) ?? 0))
            }
            guard let e = Int(exactly: y) else {
                if x.magnitude <= 1 { return makeInt(x.signum() < 0 && y.magnitude % 2 == 1 ? -1 : x.magnitude == 0 ? 0 : 1) }
                throw memoryError()
            }
            let bits = Double(x.magnitude.bitWidth) * Double(e)
            if bits > 8 * 1024 * 1024 * 64 { throw memoryError() }
            try checkAllocation(Int(bits / 8), elementSize: 1)
            return makeInt(x.power(e))
        default: throw unsupported(op, a, b, inplace: false)   // `@`
        }
    }

    /// Floor division and modulo of big ints (quotient rounded toward negative infinity).
    func floorDivMod(_ x: BigInt, _ y: BigInt) -> (BigInt, BigInt) {
        var (q, r) = x.quotientAndRemainder(dividingBy: y)
        if !r.isZero && (r.signum() < 0) != (y.signum() < 0) { q -= 1; r += y }
        return (q, r)
    }

    /// Correctly rounded enough for ints that fit a double; scaled division for huge ones.
    private func bigTrueDivide(_ x: BigInt, _ y: BigInt) throws -> Double {
        let dx = Double(x), dy = Double(y)
        if dx.isFinite && dy.isFinite && x.magnitude.bitWidth <= 53 && y.magnitude.bitWidth <= 53 { return dx / dy }
        // Correctly rounded, as CPython's long_true_divide: a quotient of 56 or 57 bits whose last
        // bit is sticky (set when the division was inexact), converted once, then scaled.
        let mx = BigInt(x.magnitude), my = BigInt(y.magnitude)
        let shift = 56 - (mx.bitWidth - my.bitWidth)
        let (q, r) = shift >= 0 ? (mx << shift).quotientAndRemainder(dividingBy: my)
                                : mx.quotientAndRemainder(dividingBy: my << -shift)
        var bits = UInt64(q)
        let inexact = !r.isZero
        if inexact { bits |= 1 }
        let magnitude = Double(sign: .plus, exponent: -shift, significand: Double(bits))
        if !magnitude.isFinite { throw overflowError("integer division result too large for a float") }
        return (x.signum() < 0) != (y.signum() < 0) ? -magnitude : magnitude
    }

    private func floatOp(_ op: BinaryOperator, _ x: Double, _ y: Double, _ a: Value, _ b: Value, _ inplace: Bool) throws -> Value {
        switch op {
        case .add: return .float(x + y)
        case .subtract: return .float(x - y)
        case .multiply: return .float(x * y)
        case .trueDivide:
            if y == 0 { throw zeroDivision("float division by zero") }
            return .float(x / y)
        case .floorDivide:
            do { return .float(try floatFloorDiv(x, y)) } catch { throw scriptError(error) }
        case .remainder:
            do { return .float(try floatMod(x, y)) } catch { throw scriptError(error) }
        case .power:
            if x == 0 && y < 0 { throw zeroDivision("0.0 cannot be raised to a negative power") }
            if x < 0 && y != y.rounded() && y.isFinite {
                throw valueError("math domain error")
            }
            let r = pow(x, y)
            if r.isInfinite && x.isFinite && y.isFinite { throw overflowError("(34, 'Numerical result out of range')") }
            return .float(r)
        default:
            throw unsupported(op, a, b, inplace: inplace)
        }
    }

    /// `x + y` (`x += y` when `inplace`; `a` is `x`) of two strings, lists, tuples or bytes of
    /// the same kind; nil for other operands.
    private func concatenate(_ x: Obj, _ y: Obj, _ a: Value, inplace: Bool) throws -> Value? {
        guard x.kind == y.kind else { return nil }
        switch x.kind {
        case .str:
            let x = unsafeDowncast(x, to: StrObj.self), y = unsafeDowncast(y, to: StrObj.self)
            try checkAllocation(x.value.utf8.count + y.value.utf8.count, elementSize: 1)
            return makeStr(x.value + y.value, count: x.count &+ y.count, ascii: x.isASCII && y.isASCII)
        case .list:
            let x = unsafeDowncast(x, to: ListObj.self), y = unsafeDowncast(y, to: ListObj.self)
            if inplace { x.items.append(contentsOf: y.items.buffer); return a }
            var out = ValueVector(capacity: x.items.count &+ y.items.count)
            out.append(contentsOf: x.items.buffer)
            out.append(contentsOf: y.items.buffer)
            return makeList(taking: out)
        case .tuple:
            let p = unsafeDowncast(x, to: TupleObj.self).items, q = unsafeDowncast(y, to: TupleObj.self).items
            return makeTuple(count: p.count &+ q.count) { out in
                if let s = p.baseAddress { out.update(from: s, count: p.count) }
                if let s = q.baseAddress { (out + p.count).update(from: s, count: q.count) }
            }
        case .bytes:
            let x = unsafeDowncast(x, to: BytesObj.self), y = unsafeDowncast(y, to: BytesObj.self)
            if isBytearray(x) {
                if inplace { x.bytes.append(contentsOf: y.bytes); return a }
                return newBytearray(x.bytes + y.bytes)
            }
            return newBytes(x.bytes + y.bytes)
        default:
            return nil
        }
    }

    private func sequenceOp(_ op: BinaryOperator, _ a: Value, _ b: Value, inplace: Bool) throws -> Value? {
        switch op {
        case .add:
            // (Both borrowed: the caller holds the operands.)
            if case .object(let ua) = a, case .object(let ub) = b,
               let r = try ua._withUnsafeGuaranteedRef({ x in try ub._withUnsafeGuaranteedRef { y in try concatenate(x, y, a, inplace: inplace) } }) {
                return r
            }
            if inplace, let x = a.asList {
                let items = try iterateToArray(b)
                x.items.append(contentsOf: items)
                return a
            }
        case .multiply:
            if let n = repeatCount(b) { return try repeatSequence(a, n, inplace: inplace) }
            if isSequenceForRepeat(a), let r = try indexFromDunder(b), let n = repeatCount(r) {
                return try repeatSequence(a, n, inplace: inplace)
            }
            if let n = repeatCount(a), !isIntegral(b) { return try repeatSequence(b, n, inplace: false) }
            if isSequenceForRepeat(b), let r = try indexFromDunder(a), let n = repeatCount(r) {
                return try repeatSequence(b, n, inplace: false)
            }
        case .remainder:
            if let s = a.asStr { return try percentFormat(s.value, b) }
        case .or, .and, .subtract, .xor:
            // (Both borrowed: the caller holds the operands.)
            if case .object(let ua) = a, case .object(let ub) = b,
               let r = try ua._withUnsafeGuaranteedRef({ x in try ub._withUnsafeGuaranteedRef { y -> Value? in
                   guard x.kind == .set || x.kind == .frozenset, y.kind == .set || y.kind == .frozenset else { return nil }
                   return try setOperation(op, unsafeDowncast(x, to: SetObj.self), unsafeDowncast(y, to: SetObj.self), inplace: inplace)
               } }) {
                return r
            }
            if isSetLikeView(a) || isSetLikeView(b) {
                // Keys and items views combine with any iterable into a set, as CPython's do.
                guard isIterable(a) && isIterable(b) else { return nil }
                let x = try newSetFrom(try iterateToArray(a))
                tempRoots.append(Value(x))
                defer { tempRoots.removeLast() }
                let y = try newSetFrom(try iterateToArray(b))
                tempRoots.append(Value(y))
                defer { tempRoots.removeLast() }
                return try setOperation(op, x, y, inplace: false)
            }
            if op == .or, let x = a.asDict, let y = b.asDict {
                if inplace { try mergeMapping(into: x, b, noDuplicates: false, callee: .null); return a }
                let d = newDict()
                for (k, v) in x.entries { try d.set(k, v, self) }
                for (k, v) in y.entries { try d.set(k, v, self) }
                return Value(d)
            }
        default: break
        }
        return nil
    }

    private func isSequenceForRepeat(_ v: Value) -> Bool {
        v.asStr != nil || v.asList != nil || v.asTuple != nil || v.asBytes != nil
    }

    /// A dict's keys or items view (values views are not set-like).
    func isSetLikeView(_ v: Value) -> Bool {
        guard case .object(let u) = v, let view = u.takeUnretainedValue() as? DictViewObj else { return false }
        return view.what != 1
    }

    private func repeatCount(_ v: Value) -> Int? {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .object(let u) where u.takeUnretainedValue().kind == .bigint:
            return (bigValue(v)?.signum() ?? 0) < 0 ? 0 : Int.max
        default: return nil
        }
    }

    /// `s * n` (n >= 0, its size checked): the bytes copied in doubling blocks, not appended a
    /// string at a time (Swift's `String(repeating:count:)` appends one copy per step).
    private func repeatedStr(_ x: StrObj, _ n: Int) -> Value {
        let size = x.value.utf8.count &* n
        if size == 0 { return newASCIIStr("") }
        if n == 1, x.hasType(types.str) { return Value(x) }
        let text = withUTF8(x.value) { unit in
            String(unsafeUninitializedCapacity: size) { out in
                guard let base = out.baseAddress, let src = unit.baseAddress else { return 0 }
                base.initialize(from: src, count: unit.count)
                var filled = unit.count
                while filled < size {
                    let chunk = min(filled, size &- filled)
                    (base + filled).initialize(from: base, count: chunk)
                    filled &+= chunk
                }
                return size
            }
        }
        if x.isASCII { return newASCIIStr(text) }
        return newStr(text)
    }

    private func repeatSequence(_ s: Value, _ n0: Int, inplace: Bool) throws -> Value? {
        let n = max(0, n0)
        if let x = s.asStr {
            if n.multipliedReportingOverflow(by: x.value.utf8.count).overflow { throw overflowError("repeated string is too long") }
            try checkAllocation(n, elementSize: x.value.utf8.count)
            return repeatedStr(x, n)
        }
        if let x = s.asList {
            try checkAllocation(n, elementSize: x.items.count * 16)
            var out: [Value] = []
            out.reserveCapacity(n * x.items.count)
            for _ in 0..<n { out.append(contentsOf: x.items.buffer) }
            if inplace { x.items.replaceAll(with: out); return s }
            return newList(out)
        }
        if let x = s.asTuple {
            try checkAllocation(n, elementSize: x.items.count * 16)
            var out: [Value] = []
            for _ in 0..<n { out.append(contentsOf: x.items) }
            return newTuple(out)
        }
        if let x = s.asBytes {
            try checkAllocation(n, elementSize: x.bytes.count)
            var out: [UInt8] = []
            for _ in 0..<n { out.append(contentsOf: x.bytes) }
            if isBytearray(x) {
                if inplace { x.bytes = out; return s }
                return newBytearray(out)
            }
            return newBytes(out)
        }
        return nil
    }

    func setOperation(_ op: BinaryOperator, _ x: SetObj, _ y: SetObj, inplace: Bool) throws -> Value {
        let frozen = x.kind == .frozenset
        if inplace {
            switch op {
            case .or: try x.merge(y, self)
            case .subtract: try setDifferenceUpdate(x, Value(y))
            case .and:
                let r = try setIntersection(x, y, frozen: frozen)
                x.replaceContents(takingFrom: r)
            case .xor: try toggle(y.liveKeys, in: x)
            default: break
            }
            return Value(x)
        }
        switch op {
        case .or:
            let r = try copySet(x, frozen: frozen)
            try r.merge(y, self)
            return Value(r)
        case .and: return Value(try setIntersection(x, y, frozen: frozen))
        case .subtract: return Value(try setDifference(x, Value(y), frozen: frozen))
        default: return Value(try setSymmetricDifference(x, y, frozen: frozen))
        }
    }

    /// `__add__`/`__radd__`/`__iadd__` and the other operator methods of script classes.
    private func userBinaryOp(_ op: BinaryOperator, _ a: Value, _ b: Value, inplace: Bool) throws -> Value? {
        let plain = SpecialMethod.binary(op, 0), reflected = SpecialMethod.binary(op, 1)
        if inplace, let r = try callUserMethod(a, special: SpecialMethod.binary(op, 2), b), !r.isIdentical(to: notImplemented) { return r }
        // CPython's order: the reflected method of a right operand whose class is a subclass that
        // overrides it goes first; operands of one class never try the reflected method.
        var tryReflected = withTypeOf(a) { ta in withTypeOf(b) { tb in ta !== tb } }
        if tryReflected, try reflectedGoesFirst(a, b, SpecialMethod.names[reflected]) {
            if let r = try callUserMethod(b, special: reflected, a), !r.isIdentical(to: notImplemented) { return r }
            tryReflected = false
        }
        if let r = try callUserMethod(a, special: plain, b), !r.isIdentical(to: notImplemented) { return r }
        if tryReflected, let r = try callUserMethod(b, special: reflected, a), !r.isIdentical(to: notImplemented) { return r }
        return nil
    }

    /// Whether the class of `b` is a subclass of the class of `a` that has a reflected method
    /// `name` of its own (not the one it inherits from the class of `a`).
    private func reflectedGoesFirst(_ a: Value, _ b: Value, _ name: String) throws -> Bool {
        let ta = typeOf(a), tb = typeOf(b)
        guard tb.isSubtype(of: ta), let mine = tb.lookup(name) else { return false }
        return !(ta.lookup(name)?.isIdentical(to: mine) ?? false)
    }

    func negate(_ v: Value) throws -> Value {
        if let r = try callUserMethod(v, "__neg__", []) { return r }
        switch v {
        case .int(let i): return i == Int.min ? makeInt(-BigInt(i)) : .int(-i)
        case .bool(let b): return .int(b ? -1 : 0)
        case .float(let d): return .float(-d)
        default:
            if let b = bigValue(v) { return makeInt(-b) }
            if let c = numberCore(v) { return try negate(c) }
            throw typeError("bad operand type for unary -: '\(typeName(v))'")
        }
    }

    func positive(_ v: Value) throws -> Value {
        if let r = try callUserMethod(v, "__pos__", []) { return r }
        switch v {
        case .int, .float: return v
        case .bool(let b): return .int(b ? 1 : 0)
        default:
            if bigValue(v) != nil { return v }
            if let c = numberCore(v) { return try positive(c) }
            throw typeError("bad operand type for unary +: '\(typeName(v))'")
        }
    }

    func invert(_ v: Value) throws -> Value {
        if let r = try callUserMethod(v, "__invert__", []) { return r }
        switch v {
        case .int(let i): return .int(~i)
        case .bool(let b): return .int(b ? -2 : -1)
        default:
            if let b = bigValue(v) { return makeInt(-b - 1) }
            if let c = numberCore(v) { return try invert(c) }
            throw typeError("bad operand type for unary ~: '\(typeName(v))'")
        }
    }
}

/// The operator methods' names by `BinaryOperator.plain.rawValue`: `__add__`, `__radd__`, `__iadd__`, ...
/// The special methods the interpreter looks up by number (`Runtime.userMethod(_:special:)`):
/// for each binary operator in `BinaryOperator` order its plain, reflected and in-place method,
/// then the six comparisons in `ComparisonOperator` order, then `__hash__`.
enum SpecialMethod {
    static let names: [String] =
        ["add", "and", "floordiv", "lshift", "matmul", "mul", "mod", "or", "pow", "rshift", "sub", "truediv", "xor"]
            .flatMap { ["__\($0)__", "__r\($0)__", "__i\($0)__"] }
        + ["__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__", "__hash__"]
    static let count = names.count
    /// Where the comparisons start: after the three methods of each binary operator.
    private static let comparisons = 13 * 3
    /// `__hash__`, after the six comparisons.
    static let hash = comparisons + 6
    /// `op`'s plain (`variant` 0), reflected (1) or in-place (2) method.
    @inline(__always) static func binary(_ op: BinaryOperator, _ variant: Int) -> Int { Int(op.plain.rawValue) &* 3 &+ variant }
    /// The comparison `op` (`ComparisonOperator`'s raw value).
    @inline(__always) static func comparison(_ op: Int) -> Int { comparisons &+ op }
}

extension Value {
    /// Bools as ints (`True + 1`); other values unchanged.
    @inline(__always) var asPlainInt: Value {
        if case .bool(let b) = self { return .int(b ? 1 : 0) }
        return self
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
