// Operators in the dispatch loop: `binaryOp` and `compareOp` (and their fused forms), with the
// machine-int and float cases done inline and everything else through `binaryOp` and `compare`.
// The instruction's argument is AsoBytecode's operator enum (checked when the code was loaded).

import AsoBytecode

extension BinaryOperator {
    /// The operator a `binaryOp` argument names (checked when the code was loaded, by
    /// `CodeObj.validate`, so no check here: the enum's cases are its raw values, in order).
    @inline(__always)
    init(argument: Int) {
        self = unsafeBitCast(UInt8(truncatingIfNeeded: argument), to: BinaryOperator.self)
    }
}

extension ComparisonOperator {
    /// The operator a `compareOp` argument names (checked when the code was loaded).
    @inline(__always)
    init(argument: Int) {
        self = unsafeBitCast(UInt8(truncatingIfNeeded: argument), to: ComparisonOperator.self)
    }
}

extension Runtime {
    /// `a <op> b` for `binaryOp` (and `binaryOpReturn`): ints and floats inline, anything else
    /// through `binaryOp` with the state saved (`sp` is the stack's top before the operands went).
    @inline(__always)
    func binaryOperation(_ op: BinaryOperator, _ a: Value, _ b: Value, _ fiber: Fiber, _ fp: UnsafeMutablePointer<Frame>,
                         _ ip: Int, _ sp: UnsafeMutablePointer<Value>) throws -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            // Addition and subtraction by tests first (see intAddOrSubtract).
            if let r = Runtime.intAddOrSubtract(a, b, op) { return r }
            switch op {
            case .multiply, .inplaceMultiply:
                let (r, o) = x.multipliedReportingOverflow(by: y)
                if !o { return .int(r) }
            case .remainder, .inplaceRemainder:
                if y > 0 && x >= 0 { return .int(x % y) }
            case .floorDivide, .inplaceFloorDivide:
                if y > 0 && x >= 0 { return .int(x / y) }
            case .and, .inplaceAnd: return .int(x & y)
            case .or, .inplaceOr: return .int(x | y)
            case .xor, .inplaceXor: return .int(x ^ y)
            default: break
            }
        } else if case .float(let x) = a, case .float(let y) = b {
            switch op {
            case .add, .inplaceAdd: return .float(x + y)
            case .subtract, .inplaceSubtract: return .float(x - y)
            case .multiply, .inplaceMultiply: return .float(x * y)
            case .trueDivide, .inplaceTrueDivide: if y != 0 { return .float(x / y) }
            default: break
            }
        }
        Runtime.saveState(fp, ip, sp, fiber)
        return try binaryOp(op, a, b)
    }

    /// `a + b` and `a - b` (and `+=`, `-=`) of machine ints that do not overflow; nil otherwise.
    /// Tests, not a switch: a switch here is an indirect jump the processor mispredicts far more
    /// often than a test that goes the same way every time.
    @inline(__always)
    static func intAddOrSubtract(_ a: Value, _ b: Value, _ op: BinaryOperator) -> Value? {
        guard case .int(let x) = a, case .int(let y) = b else { return nil }
        if op == .add || op == .inplaceAdd {
            let (r, o) = x.addingReportingOverflow(y)
            if !o { return .int(r) }
        } else if op == .subtract || op == .inplaceSubtract {
            let (r, o) = x.subtractingReportingOverflow(y)
            if !o { return .int(r) }
        }
        return nil
    }

    /// `a <op> b` for `compareOp`: ints inline, anything else through `compare` with the state
    /// saved (`sp` is the stack's top before the operands went).
    @inline(__always)
    func comparison(_ op: ComparisonOperator, _ a: Value, _ b: Value, _ fiber: Fiber, _ fp: UnsafeMutablePointer<Frame>,
                    _ ip: Int, _ sp: UnsafeMutablePointer<Value>) throws -> Value {
        if case .int(let x) = a, case .int(let y) = b { return .bool(Runtime.intCompare(x, y, op)) }
        Runtime.saveState(fp, ip, sp, fiber)
        return try compare(a, b, op)
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

    /// `x <op> y` for ints without a branch on `op`: each operator is the set of outcomes (less,
    /// equal, greater) it accepts, a nibble at its number (CPython's: < <= == != > >=).
    @inline(__always)
    static func intCompare(_ x: Int, _ y: Int, _ op: ComparisonOperator) -> Bool {
        let outcome: UInt32 = x < y ? 1 : (x == y ? 2 : 4)
        let accepted: UInt32 = 0x64_5231   // nibbles by op: < 1, <= 3, == 2, != 5, > 4, >= 6
        return (accepted &>> (op.rawValue &<< 2)) & outcome != 0
    }
}
