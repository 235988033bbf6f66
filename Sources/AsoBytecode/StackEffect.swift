// Stack effects and control-flow properties of each opcode.
//
// One idea: this table is the machine-readable form of the `(before -- after)` comments in
// OpCode.swift. The compiler walks every path of a code object with it to compute `maxStackDepth`,
// and the disassembler uses the jump properties to mark targets. A conditional jump has two effects:
// one when the branch is taken, one when execution falls through.

extension OpCode {
    /// The net change in stack depth of this opcode with argument `arg`; `jump` selects the effect
    /// when a branching instruction takes its branch (ignored for the others).
    package func stackEffect(arg: UInt32, jump: Bool) -> Int {
        let n = Int(arg)
        switch self {
        case .nop, .swap, .deleteFast, .deleteDeref, .makeCell, .copyFreeVars, .deleteGlobal, .deleteName,
             .loadAttr, .unaryNegative, .unaryPositive, .unaryInvert, .unaryNot, .jump, .getIter,
             .listToTuple, .checkExcMatch, .yieldValue, .getYieldFromIter, .getAwaitable, .getAIter,
             .returnGenerator, .asyncGenWrap, .checkEgMatch:
            return 0
        case .popTop, .storeFast, .storeDeref, .storeGlobal, .storeName, .deleteAttr, .binarySubscr,
             .binaryOp, .compareOp, .isOp, .containsOp, .popJumpIfFalse, .popJumpIfTrue, .popJumpIfNone,
             .popJumpIfNotNone, .returnValue, .listAppend, .setAdd, .listExtend, .setUpdate, .dictUpdate,
             .dictMerge, .popExcept, .reraise, .importName, .importStar, .printExpr, .prepReraiseStar:
            return -1
        case .copy, .loadConst, .pushNull, .loadFast, .loadDeref, .loadClosure, .loadGlobal, .loadName,
             .loadMethod, .pushExcInfo, .loadAssertionError, .beforeWith, .withExceptStart, .beforeAsyncWith,
             .getANext, .importFrom, .loadBuildClass:
            return 1
        case .storeAttr, .deleteSubscr, .mapAdd, .endAsyncFor, .compareOpJumpIfFalse:
            return -2
        case .loadFastLoadConst, .loadFastLoadFast, .loadGlobalPushNull:
            return 2
        case .loadFastConstBinaryOp, .loadFastLoadAttr, .loadFastLoadFastBinaryOp:
            return 1
        case .loadFastLoadMethod:
            return 2
        case .loadConstBinaryOp, .loadFastBinaryOp:
            return 0
        case .storeFastStoreFast:
            return -2
        case .jumpForIter:
            return jump ? -1 : 1
        case .storeFastLoadFast, .returnFast, .loadFastConstCompareJump:
            return 0
        case .binaryOpReturn:
            return -2
        case .storeSubscr:
            return -3
        case .call:
            return -n - 1
        case .callKw:
            return -n - 2
        case .callEx:
            return -2 - (n & 1)
        case .jumpIfFalseOrPop, .jumpIfTrueOrPop:
            return jump ? 0 : -1
        case .forIter:
            return jump ? -1 : 1
        case .send:
            return jump ? -1 : 0
        case .buildTuple, .buildList, .buildSet, .buildString:
            return 1 - n
        case .buildMap:
            return 1 - 2 * n
        case .buildSlice:
            return 1 - n
        case .binarySlice:
            return -n
        case .storeSlice:
            return -4
        case .unpackSequence:
            return n - 1
        case .unpackEx:
            return (n & 0xFF) + (n >> 8)
        case .formatValue:
            return (n & 4) != 0 ? -1 : 0
        case .makeFunction:
            return -((n & 1) + (n >> 1 & 1) + (n >> 2 & 1) + (n >> 3 & 1))
        case .raiseVarargs:
            return -n
        }
    }

    /// True for instructions whose argument is a jump target (a word index).
    package var hasJumpTarget: Bool {
        switch self {
        case .jump, .popJumpIfFalse, .popJumpIfTrue, .jumpIfFalseOrPop, .jumpIfTrueOrPop, .popJumpIfNone,
             .popJumpIfNotNone, .forIter, .send, .jumpForIter:
            return true
        default:
            return false
        }
    }

    /// True for instructions after which execution never falls through to the next word.
    package var endsBlock: Bool {
        switch self {
        case .jump, .returnValue, .raiseVarargs, .reraise, .jumpForIter: return true
        default: return false
        }
    }

    /// What the argument indexes, for the disassembler.
    package enum ArgumentKind: Sendable { case none, plain, constant, name, local, jumpTarget }

    package var argumentKind: ArgumentKind {
        switch self {
        case .loadConst: return .constant
        case .loadGlobal, .storeGlobal, .deleteGlobal, .loadName, .storeName, .deleteName, .loadAttr,
             .storeAttr, .deleteAttr, .loadMethod, .importName, .importFrom:
            return .name
        case .loadFast, .storeFast, .deleteFast, .loadDeref, .storeDeref, .deleteDeref, .loadClosure, .makeCell:
            return .local
        case .copy, .swap, .call, .callKw, .callEx, .binaryOp, .compareOp, .isOp, .containsOp, .buildTuple,
             .buildList, .buildSet, .buildMap, .buildString, .buildSlice, .binarySlice, .listAppend, .setAdd, .mapAdd,
             .listExtend, .setUpdate, .dictUpdate, .dictMerge, .unpackSequence, .unpackEx, .formatValue,
             .makeFunction, .raiseVarargs, .getAwaitable, .copyFreeVars:
            return .plain
        default:
            return hasJumpTarget ? .jumpTarget : .none
        }
    }
}
