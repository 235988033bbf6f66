// The instruction set.
//
// One idea: an instruction is one 32-bit word, the opcode in the low 8 bits and an unsigned 24-bit
// argument above it (`Instruction`). The model is CPython 3.11's: a value stack per frame, locals in
// numbered slots, exceptions found through a per-code exception table (no block-setup opcodes), and
// `[callable, selfOrNull, args...]` for method calls. Each case documents its argument and its
// stack effect as `(before -- after)`, top of stack rightmost. Jump targets are absolute word
// indexes into the code. "NULL" is the internal marker value that is never visible to scripts.

package enum OpCode: UInt8, CaseIterable, Sendable {
    /// Does nothing. `( -- )`
    case nop = 0
    /// Discards the top value. `(v -- )`
    case popTop
    /// Pushes a copy of the value `arg` places down (1 = the top). `(x ... -- x ... x)`
    case copy
    /// Swaps the top with the value `arg` places down (arg >= 2). `(x ... y -- y ... x)`
    case swap
    /// Pushes constant `arg`. `( -- v)`
    case loadConst
    /// Pushes NULL (the "no self" marker before a plain callable in method-call layout). `( -- NULL)`
    case pushNull

    // MARK: Names
    /// Pushes local slot `arg`; UnboundLocalError if unbound. `( -- v)`
    case loadFast
    /// Stores into local slot `arg`. `(v -- )`
    case storeFast
    /// Unbinds local slot `arg`; UnboundLocalError if already unbound. `( -- )`
    case deleteFast
    /// Pushes the value in the cell held by slot `arg`; NameError/UnboundLocalError if empty. `( -- v)`
    case loadDeref
    /// Stores into the cell held by slot `arg`. `(v -- )`
    case storeDeref
    /// Empties the cell held by slot `arg`. `( -- )`
    case deleteDeref
    /// Pushes the cell object held by slot `arg` itself (to build a closure). `( -- cell)`
    case loadClosure
    /// Replaces slot `arg`'s value (possibly unbound, e.g. an argument) with a new cell holding it. `( -- )`
    case makeCell
    /// Copies the function's `arg` closure cells into the last `arg` local slots. `( -- )`
    case copyFreeVars
    /// Pushes global `names[arg]`, falling back to builtins; NameError if neither. `( -- v)`
    case loadGlobal
    /// Stores global `names[arg]`. `(v -- )`
    case storeGlobal
    /// Deletes global `names[arg]`; NameError if unbound. `( -- )`
    case deleteGlobal
    /// Class bodies: pushes `names[arg]` from the namespace, then globals, then builtins. `( -- v)`
    case loadName
    /// Class bodies: stores `names[arg]` into the namespace. `(v -- )`
    case storeName
    /// Class bodies: deletes `names[arg]` from the namespace. `( -- )`
    case deleteName

    // MARK: Attributes, subscripts, calls
    /// Replaces an object by its attribute `names[arg]`. `(obj -- v)`
    case loadAttr
    /// Sets attribute `names[arg]`. `(v obj -- )`
    case storeAttr
    /// Deletes attribute `names[arg]`. `(obj -- )`
    case deleteAttr
    /// Looks up method `names[arg]`: pushes the plain function and `obj` when it is a method found on
    /// the type (no bound-method object), else NULL-free form `attr, NULL`. `(obj -- callable selfOrNull)`
    case loadMethod
    /// `(container key -- container[key])`
    case binarySubscr
    /// `container[lower:upper]` (`arg` 2) or `container[lower:upper:step]` (`arg` 3), without a
    /// slice object when the container is a list, tuple or str and the bounds and step are ints
    /// or None. `(container lower upper [step] -- container[lower:upper:step])`
    case binarySlice
    /// `(v container key -- )` container[key] = v
    case storeSubscr
    /// `container[lower:upper] = v`, without a slice object when the container is a list and v a
    /// list or tuple (of the builtin types) and the bounds are ints or None.
    /// `(v container lower upper -- )`
    case storeSlice
    /// `(container key -- )` del container[key]
    case deleteSubscr
    /// Calls with `arg` positional arguments. `(callable selfOrNull a1 ... aN -- result)`; when
    /// selfOrNull is not NULL it is passed as the first argument (N+1 in all).
    case call
    /// Like `call`, but the top is a tuple constant of K keyword names; the last K of the `arg`
    /// arguments are the keyword values in that order. `(callable selfOrNull a1 ... aN names -- result)`
    case callKw
    /// Calls with a positional tuple and, when `arg & 1`, a keyword dict. `(callable selfOrNull tuple [dict] -- result)`
    case callEx

    // MARK: Operators
    /// Binary operator `BinaryOperator(rawValue: arg)` (in-place forms included). `(a b -- r)`
    case binaryOp
    /// `ComparisonOperator(rawValue: arg)`. `(a b -- r)`
    case compareOp
    /// `a is b`, negated when arg == 1. `(a b -- bool)`
    case isOp
    /// `a in b`, negated when arg == 1. `(a b -- bool)`
    case containsOp
    /// `(v -- -v)`
    case unaryNegative
    /// `(v -- +v)`
    case unaryPositive
    /// `(v -- ~v)`
    case unaryInvert
    /// `(v -- not v)`
    case unaryNot

    // MARK: Control flow
    /// Jumps to word `arg`. `( -- )`
    case jump
    /// Pops; jumps to `arg` if falsy. `(v -- )`
    case popJumpIfFalse
    /// Pops; jumps to `arg` if truthy. `(v -- )`
    case popJumpIfTrue
    /// If falsy, jumps to `arg` keeping the value; else pops it. `(v -- v)` or `(v -- )`
    case jumpIfFalseOrPop
    /// If truthy, jumps to `arg` keeping the value; else pops it. `(v -- v)` or `(v -- )`
    case jumpIfTrueOrPop
    /// Pops; jumps to `arg` if it is None. `(v -- )`
    case popJumpIfNone
    /// Pops; jumps to `arg` if it is not None. `(v -- )`
    case popJumpIfNotNone
    /// `(iterable -- iterator)` iter(v)
    case getIter
    /// Pushes the iterator's next value, or, when exhausted, pops the iterator and jumps to `arg`.
    /// `(it -- it v)` or `(it -- )`
    case forIter
    /// Returns the top value from the frame. `(v -- )`
    case returnValue

    // MARK: Building values
    /// `(v1 ... vN -- tuple)`
    case buildTuple
    /// `(v1 ... vN -- list)`
    case buildList
    /// `(v1 ... vN -- set)`
    case buildSet
    /// `(k1 v1 ... kN vN -- dict)`
    case buildMap
    /// Concatenates `arg` strings (ints and floats left by `formatValue` with flag 8 are written as
    /// `str()` writes them). `(s1 ... sN -- s)`
    case buildString
    /// `arg` is 2 or 3. `(lower upper [step] -- slice)`
    case buildSlice
    /// Appends v to the list `arg` places down after popping v. `(list ... v -- list ...)`
    case listAppend
    /// Adds v to the set `arg` places down after popping v. `(set ... v -- set ...)`
    case setAdd
    /// Sets d[k] = v on the dict `arg` places down after popping k, v. `(dict ... k v -- dict ...)`
    case mapAdd
    /// Extends the list `arg` places down (after popping) with an iterable. `(list ... it -- list ...)`
    case listExtend
    /// Updates the set `arg` places down with an iterable. `(set ... it -- set ...)`
    case setUpdate
    /// Updates the dict `arg` places down with a mapping. `(dict ... m -- dict ...)`
    case dictUpdate
    /// Like dictUpdate but duplicate keys are a TypeError ("got multiple values for keyword argument"),
    /// for `f(**a, **b)`. The callable sits `arg + 3` places down (after the pop) for the message. `(dict ... m -- dict ...)`
    case dictMerge
    /// `(list -- tuple)`
    case listToTuple
    /// Unpacks exactly `arg` items, first item on top. `(seq -- vN ... v1)`
    case unpackSequence
    /// Starred unpack: `arg & 0xFF` targets before the star, `arg >> 8` after; the starred one gets a list.
    /// `(seq -- vLast ... list ... v1)` (first target on top)
    case unpackEx
    /// Formats a value for an f-string: `arg & 3` conversion (0 none, 1 str, 2 repr, 3 ascii); `arg & 4`
    /// a format spec string is on top; `arg & 8` the result feeds `buildString`, which formats a plain
    /// int or float itself, so with neither conversion nor spec those stay as they are. `(v [spec] -- str)`
    case formatValue
    /// Makes a function from the code constant on top. Flags in `arg`: 1 defaults tuple, 2 keyword-only
    /// defaults dict, 8 closure tuple (pushed in that order, below the code). `([defaults] [kwdefaults] [closure] code -- fn)`
    case makeFunction

    // MARK: Exceptions
    /// 0: re-raise the exception being handled; 1: raise the top; 2: raise TOS1 from TOS. `(... -- )`
    case raiseVarargs
    /// In a handler: saves the currently handled exception below and makes `exc` current. `(exc -- prev exc)`
    case pushExcInfo
    /// Restores the handled exception saved by pushExcInfo. `(prev -- )`
    case popExcept
    /// Tests an exception against a class or tuple of classes. `(exc type -- exc bool)`
    case checkExcMatch
    /// Re-raises the exception on top, keeping its traceback. `(exc -- )`
    case reraise
    /// Pushes the AssertionError class (for `assert`). `( -- cls)`
    case loadAssertionError

    // MARK: Context managers, generators, coroutines (later stages of the runtime)
    /// `(mgr -- exitBound enterResult)` calls mgr.__enter__().
    case beforeWith
    /// `(exitBound prev exc -- exitBound prev exc result)` calls exit(type, exc, tb).
    case withExceptStart
    /// `(mgr -- aexitBound awaitable)` for `async with`.
    case beforeAsyncWith
    /// Yields the top value; the value sent in replaces it. `(v -- sent)`
    case yieldValue
    /// `(iterable -- iterator)` for `yield from` (a coroutine stays a coroutine).
    case getYieldFromIter
    /// Delegation step for yield from/await: sends TOS into the iterator below; when it finishes,
    /// replaces both by its return value and jumps to `arg`. `(it v -- it yielded)` or `(it v -- result)`
    case send
    /// `(v -- awaitable)`; `arg` says where (0 await, 1 after __aenter__, 2 after __aexit__) for errors.
    case getAwaitable
    /// `(aiterable -- aiterator)`
    case getAIter
    /// `(aiterator -- aiterator awaitable)`
    case getANext
    /// Ends an `async for` when the exception is StopAsyncIteration, else re-raises. `(aiter exc -- )`
    case endAsyncFor
    /// Marks the start of a generator/coroutine body (returns the new object to the caller). `( -- )`
    case returnGenerator

    // MARK: Modules and the REPL
    /// Imports `names[arg]`. `(level fromlist -- module)`
    case importName
    /// Pushes attribute `names[arg]` of the module on top. `(module -- module v)`
    case importFrom
    /// `from m import *` into globals. `(module -- )`
    case importStar
    /// Pushes the `__build_class__` helper. `( -- fn)`
    case loadBuildClass
    /// Interactive mode: prints repr(v) unless v is None. `(v -- )`
    case printExpr
    /// Marks the value of a `yield` expression in an async generator (CPython 3.11's ASYNC_GEN_WRAP),
    /// so that the `yieldValue` that follows hands it to the consumer (`__anext__`/`asend`) rather
    /// than to the event loop as an `await` step does. Emitted only in async generator code, right
    /// before `yieldValue`. `(v -- wrapped)`
    case asyncGenWrap
    /// `except* T`: splits the exception on top by T (a bare exception that matches is wrapped in a
    /// group); on a match the matching part becomes the handled exception. `(exc type -- rest match)`,
    /// or `(exc type -- exc None)` when nothing matches.
    case checkEgMatch
    /// The end of `try ... except*`: what the clauses raised and left, put together as CPython's
    /// PREP_RERAISE_STAR does (None when nothing is left). `(orig list -- exc)`
    case prepReraiseStar

    // MARK: Fused instructions
    // The compiler never emits these. The runtime writes one over the first instruction of a
    // common pair when it loads code; the pair's second word stays in place (it is skipped, and
    // still runs normally when a jump lands on it), so instruction indexes do not change.

    /// `loadFast arg` then `loadConst` (the next word's arg). `( -- v c)`
    case loadFastLoadConst
    /// `loadFast arg` then `loadFast` (the next word's arg). `( -- v w)`
    case loadFastLoadFast
    /// `compareOp arg` then `popJumpIfFalse` (the next word's arg is the target). `(a b -- )`
    case compareOpJumpIfFalse
    /// `loadGlobal arg` then `pushNull`. `( -- v NULL)`
    case loadGlobalPushNull
    /// `loadFast arg`, `loadConst` (next word), `binaryOp` (the word after). `( -- r)`
    case loadFastConstBinaryOp
    /// `storeFast arg` then `loadFast` (the next word's arg). `(v -- w)`
    case storeFastLoadFast
    /// `loadFast arg` then `returnValue`. `( -- )`
    case returnFast
    /// `binaryOp arg` then `returnValue`. `(a b -- )`
    case binaryOpReturn
    /// `loadFast arg`, `loadConst` (next word), `compareOp` (the word after), `popJumpIfFalse` (the
    /// word after that, its arg the target). `( -- )`
    case loadFastConstCompareJump
    /// `loadFast arg` then `loadAttr` (the next word's arg). `( -- v.name)`
    case loadFastLoadAttr
    /// `loadFast arg` then `loadMethod` (the next word's arg). `( -- method self)`
    case loadFastLoadMethod
    /// `loadConst arg` then `binaryOp` (the next word's arg). `(a -- r)`
    case loadConstBinaryOp
    /// `loadFast arg` then `binaryOp` (the next word's arg). `(a -- r)`
    case loadFastBinaryOp
    /// `loadFast arg`, `loadFast` (next word), `binaryOp` (the word after). `( -- r)`
    case loadFastLoadFastBinaryOp
    /// `storeFast arg` then `storeFast` (the next word's arg). `(a b -- )`
    case storeFastStoreFast
    /// `jump arg` to a `forIter`: the jump, then that `forIter` at once. `( -- )`
    case jumpForIter
}

/// The operator of `binaryOp`, in CPython 3.11's numbering (`NB_*`): in-place forms are +13.
package enum BinaryOperator: UInt32, CaseIterable, Sendable {
    case add = 0, and, floorDivide, lshift, matrixMultiply, multiply, remainder, or, power, rshift, subtract, trueDivide, xor
    case inplaceAdd, inplaceAnd, inplaceFloorDivide, inplaceLshift, inplaceMatrixMultiply, inplaceMultiply
    case inplaceRemainder, inplaceOr, inplacePower, inplaceRshift, inplaceSubtract, inplaceTrueDivide, inplaceXor

    /// The operator's symbol as it appears in error messages (`+`, `+=`, ...).
    package var symbol: String {
        let base = ["+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^"]
        let i = Int(rawValue)
        return i < 13 ? base[i] : base[i - 13] + "="
    }
    /// The plain (not in-place) operator.
    package var plain: BinaryOperator { rawValue < 13 ? self : BinaryOperator(rawValue: rawValue - 13) ?? self }
    package var isInplace: Bool { rawValue >= 13 }
}

/// The operator of `compareOp`, in CPython's numbering.
package enum ComparisonOperator: UInt32, CaseIterable, Sendable {
    case lt = 0, le, eq, ne, gt, ge
    package var symbol: String { ["<", "<=", "==", "!=", ">", ">="][Int(rawValue)] }
}

/// One encoded instruction: `opcode | arg << 8`.
package struct Instruction: Hashable, Sendable {
    package var word: UInt32
    package init(_ op: OpCode, _ arg: UInt32 = 0) { word = UInt32(op.rawValue) | (arg << 8) }
    package init(word: UInt32) { self.word = word }
    /// The opcode, or nil for a word that is not a valid instruction.
    package var opcode: OpCode? { OpCode(rawValue: UInt8(truncatingIfNeeded: word)) }
    package var arg: UInt32 { word >> 8 }
    /// The largest argument an instruction can carry.
    package static let maxArg: UInt32 = (1 << 24) - 1
}
