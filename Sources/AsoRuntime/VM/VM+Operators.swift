// Operators in the dispatch loop: `binaryOp` and `compareOp` (and their fused forms), with the
// machine-int and float cases done in the loop and everything else through `binaryOp` and `compare`.
// The instruction's argument is AsoBytecode's operator enum (checked when the code was loaded).

import AsoBytecode

// (The enums come from another module, whose code is not inlined here: `==` on them, and their
// `rawValue`, are calls through the Equatable and RawRepresentable witnesses. The dispatch loop
// matches them by case patterns instead, and takes a case's number from its tag.)

extension BinaryOperator {
    /// The operator a `binaryOp` argument names (checked when the code was loaded, by
    /// `CodeObj.validate`, so no check here: the enum's cases are its raw values, in order).
    @inline(__always)
    init(argument: Int) {
        self = unsafeBitCast(UInt8(truncatingIfNeeded: argument), to: BinaryOperator.self)
    }

    /// `+` or `+=`.
    @inline(__always)
    var isAddition: Bool { plainNumber == BinaryOperator.add.number }

    /// `-` or `-=`.
    @inline(__always)
    var isSubtraction: Bool { plainNumber == BinaryOperator.subtract.number }

    /// The operator's number (its raw value: the cases are in order from 0, so it is the tag).
    @inline(__always)
    var number: UInt8 { unsafeBitCast(self, to: UInt8.self) }

    /// The number of the plain form of the operator (`+` for `+=`). (Arithmetic, then one
    /// comparison per operator: case patterns over both forms compile to a jump table, an
    /// indirect jump the processor predicts worse than these tests.)
    @inline(__always)
    private var plainNumber: UInt8 {
        let n = number, inplace = BinaryOperator.inplaceAdd.number
        return n >= inplace ? n &- inplace : n
    }
}

extension ComparisonOperator {
    /// The operator a `compareOp` argument names (checked when the code was loaded).
    @inline(__always)
    init(argument: Int) {
        self = unsafeBitCast(UInt8(truncatingIfNeeded: argument), to: ComparisonOperator.self)
    }

    /// The operator's number (its raw value: the cases are in order from 0, so it is the tag).
    @inline(__always)
    var number: UInt8 { unsafeBitCast(self, to: UInt8.self) }
}

extension Runtime {
    /// `x <op> y` of machine ints written to `slot` when the result is one too (and the operator
    /// is one done here: the arithmetic, bitwise and division operators, with nonnegative operands
    /// for division); false otherwise. (Each case writes its own result: a value returned and
    /// written by the caller costs the merge of the cases' values. One switch, which compiles to
    /// one jump on the operator.)
    @inline(__always)
    static func intArithmetic(_ op: BinaryOperator, _ x: Int, _ y: Int, into slot: UnsafeMutablePointer<Value>) -> Bool {
        switch op {
        case .add, .inplaceAdd:
            let (r, o) = x.addingReportingOverflow(y)
            if !o { slot.pointee = .int(r); return true }
        case .subtract, .inplaceSubtract:
            let (r, o) = x.subtractingReportingOverflow(y)
            if !o { slot.pointee = .int(r); return true }
        case .multiply, .inplaceMultiply:
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if !o { slot.pointee = .int(r); return true }
        case .remainder, .inplaceRemainder:
            if y > 0 && x >= 0 { slot.pointee = .int(x % y); return true }
        case .floorDivide, .inplaceFloorDivide:
            if y > 0 && x >= 0 { slot.pointee = .int(x / y); return true }
        case .and, .inplaceAnd: slot.pointee = .int(x & y); return true
        case .or, .inplaceOr: slot.pointee = .int(x | y); return true
        case .xor, .inplaceXor: slot.pointee = .int(x ^ y); return true
        default: break
        }
        return false
    }

    /// `x <op> y` of floats for `+ - * /` (not division by zero) written to `slot`; false otherwise.
    @inline(__always)
    static func floatArithmetic(_ op: BinaryOperator, _ x: Double, _ y: Double, into slot: UnsafeMutablePointer<Value>) -> Bool {
        switch op {
        case .add, .inplaceAdd: slot.pointee = .float(x + y); return true
        case .subtract, .inplaceSubtract: slot.pointee = .float(x - y); return true
        case .multiply, .inplaceMultiply: slot.pointee = .float(x * y); return true
        case .trueDivide, .inplaceTrueDivide:
            if y != 0 { slot.pointee = .float(x / y); return true }
        default: break
        }
        return false
    }

    /// `a + b` and `a - b` (and `+=`, `-=`) of machine ints written to `slot` when they do not
    /// overflow; false otherwise. Tests, not a switch: a switch here is an indirect jump the
    /// processor mispredicts far more often than a test that goes the same way every time.
    @inline(__always)
    static func addOrSubtractInts(_ op: BinaryOperator, _ a: Value, _ b: Value, into slot: UnsafeMutablePointer<Value>) -> Bool {
        guard case .int(let x) = a, case .int(let y) = b else { return false }
        if op.isAddition {
            let (r, o) = x.addingReportingOverflow(y)
            if !o { slot.pointee = .int(r); return true }
        } else if op.isSubtraction {
            let (r, o) = x.subtractingReportingOverflow(y)
            if !o { slot.pointee = .int(r); return true }
        }
        return false
    }

    /// `a <op> b` as the condition of a jump (the fused compare-and-jump instructions, past their
    /// machine-int case): through `compare`, then the result's truth, with the state saved.
    @inline(__always)
    func compareToBool(_ op: ComparisonOperator, _ a: Value, _ b: Value, _ fiber: Fiber, _ fp: UnsafeMutablePointer<Frame>,
                       _ ip: Int, _ sp: UnsafeMutablePointer<Value>) throws -> Bool {
        Runtime.saveState(fp, ip, sp, fiber)
        let v = try compare(a, b, op)
        if case .bool(let x) = v { return x }
        return try truthy(v)
    }

    /// `x <op> y` for ints without a branch on `op` (see `accepts`).
    @inline(__always)
    static func intCompare(_ x: Int, _ y: Int, _ op: ComparisonOperator) -> Bool {
        accepts(op, x < y ? 1 : (x == y ? 2 : 4))
    }

    /// Whether `op` holds for an outcome of comparing two numbers: 1 less, 2 equal, 4 greater,
    /// 8 unordered (a NaN: only `!=` holds). Each operator is the set of outcomes it accepts, a
    /// nibble at its number (CPython's order: < <= == != > >=).
    @inline(__always)
    static func accepts(_ op: ComparisonOperator, _ outcome: UInt32) -> Bool {
        let accepted: UInt32 = 0x64_D231   // nibbles by op: < 1, <= 3, == 2, != 13, > 4, >= 6
        return (accepted &>> (UInt32(op.number) &<< 2)) & outcome != 0
    }

    /// `a <op> b` when one operand is a float and the other a float or a machine int, compared
    /// exactly as CPython compares them (an int is not rounded to a float first); nil otherwise.
    @inline(__always)
    static func floatCompare(_ a: Value, _ b: Value, _ op: ComparisonOperator) -> Bool? {
        switch (a, b) {
        case let (.float(x), .float(y)): return accepts(op, x < y ? 1 : (x == y ? 2 : (x > y ? 4 : 8)))
        case let (.float(x), .int(y)): return accepts(op, floatIntOutcome(x, y))
        case let (.int(x), .float(y)):
            let o = floatIntOutcome(y, x)
            return accepts(op, o == 1 ? 4 : (o == 4 ? 1 : o))
        default: return nil
        }
    }

    /// The outcome (as `accepts` reads it) of comparing the float `d` with the int `i` exactly.
    static func floatIntOutcome(_ d: Double, _ i: Int) -> UInt32 {
        if d.isNaN { return 8 }
        // Every int of at most 53 bits is a float exactly.
        if i.magnitude <= 1 << 53 {
            let y = Double(i)
            return d < y ? 1 : (d == y ? 2 : 4)
        }
        if d >= 0x1p63 { return 4 }
        if d < -0x1p63 { return 1 }
        // Within Int's range: the whole part decides, then the fraction.
        let whole = d.rounded(.down)
        let w = Int(whole)
        if w != i { return w < i ? 1 : 4 }
        return d > whole ? 4 : 2
    }

}
