// Operators in the dispatch loop: the instruction argument as AsoBytecode's operator enums.

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
