// Things that can be called: script functions (with their loaded code), native functions,
// bound methods, and the cells that closures share.

import AsoBytecode

/// Arguments as a native function receives them. `positional` points into the caller's value
/// stack: it is valid only until the native function calls back into script code, so copy what
/// you need first.
struct Args {
    var positional: UnsafeBufferPointer<Value>
    /// Keyword arguments in call order (empty for most calls).
    var keywords: [(name: String, value: Value)] = []

    var count: Int { positional.count }
    subscript(i: Int) -> Value { positional[i] }
    var isEmpty: Bool { positional.isEmpty && keywords.isEmpty }

    /// The keyword argument `name`, if given.
    func keyword(_ name: String) -> Value? {
        for kw in keywords where kw.name == name { return kw.value }
        return nil
    }
}

typealias NativeFn = (Runtime, Args) throws -> Value

/// A function written in Swift (`len`, `list.append`, `math.sqrt`, ...).
final class NativeFunctionObj: Obj {
    /// The name shown in reprs and error messages.
    let name: String
    /// For methods: the type that defines it (`'list'` in `<method 'append' of 'list' objects>`).
    let owner: String?
    let fn: NativeFn
    init(name: String, owner: String?, type: __shared TypeObject, fn: @escaping NativeFn) {
        self.name = name
        self.owner = owner
        self.fn = fn
        super.init(kind: .native, type: type)
    }
}

/// Code loaded into a module: the compiler's `CodeObject` plus what the VM needs at hand as raw
/// pointers (instructions, constants as values, global-slot numbers).
final class CodeObj: Obj {
    let code: CodeObject
    /// The module whose globals this code reads and writes.
    unowned(unsafe) let module: ModuleObj
    /// The instructions (a private copy the VM may rewrite in place to specialise).
    let words: UnsafeMutablePointer<UInt32>
    /// The constants as values.
    let consts: UnsafeMutablePointer<Value>
    let constCount: Int
    /// For each entry of `code.names`, its slot in the module's globals.
    let globalSlots: UnsafeMutablePointer<Int32>
    /// For each entry of `code.names`, its slot in the builtins module (or -1).
    let builtinSlots: UnsafeMutablePointer<Int32>
    /// The names as interned string objects (for attribute lookups).
    let nameValues: UnsafeMutablePointer<Value>
    /// The names of the parameters that keywords can name (positional, then keyword-only), as
    /// interned string objects: a keyword call's names are interned constants too, so a keyword
    /// finds its parameter by identity.
    let parameterNames: UnsafeMutablePointer<Value>
    let parameterCount: Int
    /// `code.positionalOnlyCount` and `code.keywordOnlyCount`, kept here for keyword binding.
    let positionalOnlyCount: Int
    let keywordOnlyCount: Int
    /// Whether the code takes `*args`, and `**kwargs`.
    let hasVarArgs: Bool
    let hasVarKeywords: Bool
    /// Instructions in `words`.
    let wordCount: Int
    /// Local slots + maximum stack depth: the value-stack space a frame of this code needs.
    let frameSize: Int
    let localCount: Int
    /// Positional parameters (`code.argCount`), kept here for the call fast path.
    let argCount: Int
    /// True when a call can bind arguments by a plain copy: no *args/**kwargs, no kw-only. (Cells
    /// and free variables need nothing from the call: the code's first instructions, `makeCell`
    /// and `copyFreeVars`, make them in the frame whichever way its arguments were bound.)
    let isSimple: Bool
    /// True for generator, coroutine and async generator code: calling it makes a suspendable object.
    let isResumable: Bool
    /// The local slot of the `__class__` cell (what zero-argument `super()` reads), or -1.
    let classCellSlot: Int
    /// `argCount` when a call with exactly that many positional arguments can take the fast path
    /// (simple and not resumable), else -1: the call fast path's one test.
    let fastArgCount: Int
    /// `argCount` for a simple generator or coroutine function (calling it just binds the
    /// arguments into a new suspended frame), else -1.
    let resumableArgCount: Int
    /// `argCount` for a simple coroutine function, else -1: `await f(...)` with that many positional
    /// arguments runs the frame on the awaiter's fiber at once, with no coroutine object.
    let awaitArgCount: Int
    /// For the library coroutines `Queue.put`, `Queue.get` and `Semaphore.acquire`: `await f(...)`
    /// that need not wait is done natively, with no frame (the value is the one the coroutine would
    /// return without suspending). Set by the library's own `@_await_fast` declarations.
    var awaitFast = AwaitFast.none
    /// Where the receiver keeps its native core (the attribute its class declared with
    /// `@_native_core`): the instance shape last seen, and the slot in it.
    var awaitFastShape: UnsafeMutableRawPointer?
    var awaitFastSlot = 0
    /// One entry per instruction; `loadMethod` remembers there which method it found for which class.
    let methodCache: UnsafeMutablePointer<MethodCacheEntry>
    /// One entry per instruction; attribute loads, stores and method loads on instances remember
    /// there the receiver's shape and what it means for the instruction's name.
    let attrCache: UnsafeMutablePointer<AttrCacheEntry>
    /// One pointer per instruction, nil until an attribute load, store or method load there has
    /// seen instances of a second shape: then `AttrPolyCache.ways` more entries, so a site that
    /// sees a few classes (a method of a base class called on instances of its subclasses) still
    /// answers with a comparison per way instead of looking the name up.
    let attrPoly: UnsafeMutablePointer<UnsafeMutablePointer<AttrPolyWay>?>

    init(code: CodeObject, module: ModuleObj, consts: [Value], globalSlots: [Int32], builtinSlots: [Int32],
         names: [Value], parameterNames: [Value], type: __shared TypeObject) {
        self.code = code
        self.module = module
        words = .allocate(capacity: max(1, code.code.count))
        wordCount = code.code.count
        words.initialize(from: code.code, count: code.code.count)
        CodeObj.validate(words, count: code.code.count)
        CodeObj.fuse(words, count: code.code.count)
        self.consts = .allocate(capacity: max(1, consts.count))
        self.consts.initialize(from: consts, count: consts.count)
        constCount = consts.count
        self.globalSlots = .allocate(capacity: max(1, globalSlots.count))
        self.globalSlots.initialize(from: globalSlots, count: globalSlots.count)
        self.builtinSlots = .allocate(capacity: max(1, builtinSlots.count))
        self.builtinSlots.initialize(from: builtinSlots, count: builtinSlots.count)
        nameValues = .allocate(capacity: max(1, names.count))
        nameValues.initialize(from: names, count: names.count)
        parameterCount = parameterNames.count
        positionalOnlyCount = code.positionalOnlyCount
        keywordOnlyCount = code.keywordOnlyCount
        hasVarArgs = code.flags.contains(.varArgs)
        hasVarKeywords = code.flags.contains(.varKeywords)
        self.parameterNames = .allocate(capacity: max(1, parameterNames.count))
        self.parameterNames.initialize(from: parameterNames, count: parameterNames.count)
        localCount = code.localNames.count
        argCount = code.argCount
        methodCache = .allocate(capacity: max(1, code.code.count))
        methodCache.initialize(repeating: MethodCacheEntry(), count: max(1, code.code.count))
        attrCache = .allocate(capacity: max(1, code.code.count))
        attrCache.initialize(repeating: AttrCacheEntry(), count: max(1, code.code.count))
        attrPoly = .allocate(capacity: max(1, code.code.count))
        attrPoly.initialize(repeating: nil, count: max(1, code.code.count))
        frameSize = code.localNames.count + code.maxStackDepth
        classCellSlot = code.localNames.lastIndex(of: "__class__") ?? -1
        isResumable = !code.flags.isDisjoint(with: [.generator, .coroutine, .asyncGenerator])
        let plainParameters = keywordOnlyCount == 0 && !hasVarArgs && !hasVarKeywords
        isSimple = plainParameters && !isResumable
        fastArgCount = isSimple ? code.argCount : -1
        let simpleResumable = plainParameters && isResumable && !code.flags.contains(.asyncGenerator)
        resumableArgCount = simpleResumable ? code.argCount : -1
        awaitArgCount = simpleResumable && code.flags.contains(.coroutine) ? code.argCount : -1
        super.init(kind: .code, type: type)
    }
    /// Makes sure every word holds a valid opcode, and every `binaryOp` and `compareOp` a valid
    /// operator, so the dispatch loop need not check: an invalid word (which the compiler never
    /// emits) becomes `raiseVarargs 0`, a clean RuntimeError.
    private static func validate(_ words: UnsafeMutablePointer<UInt32>, count: Int) {
        let limit = UInt32(OpCode.allCases.count)
        for i in 0..<count {
            let op = words[i] & 0xFF, arg = words[i] >> 8
            if op >= limit
                || (op == UInt32(OpCode.binaryOp.rawValue) && arg >= UInt32(BinaryOperator.allCases.count))
                || (op == UInt32(OpCode.compareOp.rawValue) && arg >= UInt32(ComparisonOperator.allCases.count)) {
                words[i] = UInt32(OpCode.raiseVarargs.rawValue)
            }
        }
    }

    /// Writes fused instructions over common pairs (see the "Fused instructions" opcodes).
    private static func fuse(_ words: UnsafeMutablePointer<UInt32>, count: Int) {
        func op(_ w: UInt32) -> UInt8 { UInt8(truncatingIfNeeded: w) }
        var i = 0
        while i + 1 < count {
            let a = op(words[i]), b = op(words[i + 1])
            let c = i + 2 < count ? op(words[i + 2]) : 0xFF
            let d = i + 3 < count ? op(words[i + 3]) : 0xFF
            var fused: OpCode?
            var span = 2
            if a == OpCode.loadFast.rawValue && b == OpCode.loadConst.rawValue && c == OpCode.compareOp.rawValue
                && d == OpCode.popJumpIfFalse.rawValue {
                fused = .loadFastConstCompareJump
                span = 4
            }
            else if a == OpCode.loadFast.rawValue && b == OpCode.loadConst.rawValue && c == OpCode.binaryOp.rawValue {
                fused = .loadFastConstBinaryOp
                span = 3
            }
            else if a == OpCode.loadFast.rawValue && b == OpCode.loadFast.rawValue && c == OpCode.binaryOp.rawValue {
                fused = .loadFastLoadFastBinaryOp
                span = 3
            }
            else if a == OpCode.loadFast.rawValue && b == OpCode.loadConst.rawValue { fused = .loadFastLoadConst }
            else if a == OpCode.loadFast.rawValue && b == OpCode.loadFast.rawValue { fused = .loadFastLoadFast }
            else if a == OpCode.loadFast.rawValue && b == OpCode.loadAttr.rawValue { fused = .loadFastLoadAttr }
            else if a == OpCode.loadFast.rawValue && b == OpCode.loadMethod.rawValue { fused = .loadFastLoadMethod }
            else if a == OpCode.loadFast.rawValue && b == OpCode.binaryOp.rawValue { fused = .loadFastBinaryOp }
            else if a == OpCode.loadConst.rawValue && b == OpCode.binaryOp.rawValue { fused = .loadConstBinaryOp }
            else if a == OpCode.storeFast.rawValue && b == OpCode.storeFast.rawValue { fused = .storeFastStoreFast }
            else if a == OpCode.compareOp.rawValue && b == OpCode.popJumpIfFalse.rawValue { fused = .compareOpJumpIfFalse }
            else if a == OpCode.loadGlobal.rawValue && b == OpCode.pushNull.rawValue { fused = .loadGlobalPushNull }
            else if a == OpCode.storeFast.rawValue && b == OpCode.loadFast.rawValue { fused = .storeFastLoadFast }
            else if a == OpCode.loadFast.rawValue && b == OpCode.returnValue.rawValue { fused = .returnFast }
            else if a == OpCode.binaryOp.rawValue && b == OpCode.returnValue.rawValue { fused = .binaryOpReturn }
            if fused == nil && a == OpCode.jump.rawValue {
                // A loop's jump back to its `forIter` (not a pair: the target is elsewhere).
                let target = Int(words[i] >> 8)
                if target < count && op(words[target]) == OpCode.forIter.rawValue { fused = .jumpForIter; span = 1 }
            }
            if let f = fused {
                words[i] = (words[i] & ~0xFF) | UInt32(f.rawValue)
                i += span
            } else {
                i += 1
            }
        }
    }

    deinit {
        words.deallocate(); consts.deallocate(); globalSlots.deallocate(); builtinSlots.deallocate()
        methodCache.deallocate()
        for i in 0..<max(1, code.code.count) { attrCache[i].releaseShapes() }
        attrCache.deallocate()
        for i in 0..<max(1, code.code.count) { if let p = attrPoly[i] { AttrPolyCache.free(p) } }
        attrPoly.deallocate()
        nameValues.deallocate()
        parameterNames.deallocate()
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(module)
        for i in 0..<constCount { t.mark(consts[i]) }
        for i in 0..<code.names.count { t.mark(nameValues[i]) }
        for i in 0..<parameterCount { t.mark(parameterNames[i]) }
        for i in 0..<code.code.count where methodCache[i].type != nil { t.mark(methodCache[i].method) }
        for i in 0..<code.code.count where attrCache[i].shape != nil || attrCache[i].next != nil { t.mark(attrCache[i].method) }
        for i in 0..<code.code.count {
            guard let p = attrPoly[i] else { continue }
            for w in 0..<AttrPolyCache.ways { t.mark(p[w].method) }
        }
    }
    override var estimatedSize: Int { 128 + code.code.count * 4 + constCount * 16 }
}

/// A function defined in script code.
final class FunctionObj: Obj {
    /// The code; kept alive by `trace` (unowned so the call fast path does no reference counting).
    unowned(unsafe) let code: CodeObj
    /// `code` for borrowed access (`codeRef._withUnsafeGuaranteedRef`): reading `code` into a
    /// local, even through a borrowed function, retains it.
    @inline(__always) final var codeRef: Unmanaged<CodeObj> { Unmanaged.passUnretained(code) }
    var name: String
    var qualifiedName: String
    /// Defaults of the last `defaults.count` positional parameters.
    var defaults: [Value]

    /// A call of simple code (`CodeObj.isSimple`) with `nargs` positional arguments, fewer than
    /// its `argCount` parameters, in `slots`: copies in the defaults of the parameters after them
    /// and returns true, or false (nothing written) when one of those has no default.
    @inline(__always) final func bindDefaults(after nargs: Int, of argCount: Int, into slots: UnsafeMutablePointer<Value>) -> Bool {
        defaults.withUnsafeBufferPointer { d in
            let first = argCount &- d.count
            guard nargs >= first else { return false }
            var i = nargs
            while i < argCount { slots[i] = d[i &- first]; i &+= 1 }
            return true
        }
    }
    /// Defaults of keyword-only parameters, by name.
    var kwDefaults: [(String, Value)]
    /// The default of the keyword-only parameter `name`, if it has one.
    final func kwDefault(named name: String) -> Value? { kwDefaults.first(where: { $0.0 == name })?.1 }
    /// The closure cells, one per free variable of the code.
    let closure: [Value]
    /// Attributes set on the function (`f.calls = 0`), created on first use.
    final var dict: DictObj? {
        get { dictRef?.takeUnretainedValue() }
        set { dictRef = newValue.map { Unmanaged.passUnretained($0) } }
    }
    /// `dict` as stored: unmanaged (the function's `trace` keeps it), so the attribute paths read
    /// it without reference counting. (A function has no write barrier: every young collection
    /// traces the old ones.)
    @exclusivity(unchecked) private(set) final var dictRef: Unmanaged<DictObj>?
    /// `__doc__` and `__module__` once a program sets them (`functools.wraps` does): fields of the
    /// function, not entries of its `__dict__`, as in CPython. Made on first use; held unmanaged
    /// like `dict`.
    @exclusivity(unchecked) final var fieldsRef: Unmanaged<DictObj>?
    /// `__annotations__`: the dict `def` made, or null until a program asks (then an empty one).
    var annotations: Value = .null

    init(code: CodeObj, defaults: [Value], kwDefaults: [(String, Value)], closure: [Value], type: __shared TypeObject) {
        self.code = code
        self.name = code.code.name
        self.qualifiedName = code.code.qualifiedName
        self.defaults = defaults
        self.kwDefaults = kwDefaults
        self.closure = closure
        super.init(kind: .function, type: type)
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(code)
        for v in defaults { t.mark(v) }
        for (_, v) in kwDefaults { t.mark(v) }
        for v in closure { t.mark(v) }
        if let d = dictRef { t.mark(Unmanaged<Obj>.fromOpaque(d.toOpaque())) }
        if let f = fieldsRef { t.mark(Unmanaged<Obj>.fromOpaque(f.toOpaque())) }
        t.mark(annotations)
    }
}

/// A function bound to an object (`obj.method` taken as a value).
final class BoundMethodObj: Obj {
    let receiver: Value
    let function: Value
    init(receiver: Value, function: Value, type: __shared TypeObject) {
        self.receiver = receiver
        self.function = function
        super.init(kind: .boundMethod, type: type)
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(receiver)
        t.mark(function)
    }
}

/// A variable shared between a function and the closures that capture it.
final class CellObj: Obj {
    /// The variable's value, or `.null` when unbound. (Stores run the write barrier.)
    var contents: Value {
        @inline(__always) get { storedContents }
        @inline(__always) set { writeBarrier(); storedContents = newValue }
    }
    @exclusivity(unchecked) private var storedContents: Value
    init(_ contents: Value, type: __shared TypeObject) {
        storedContents = contents
        super.init(kind: .cell, type: type)
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(contents)
    }
}

/// A `loadMethod` inline cache entry: for receivers of class `type` (while the type epoch is
/// `epoch`), the method is `method`.
/// What an attribute instruction learnt about instances of one shape. The entry holds a reference
/// on each shape it names, so a shape's address is never reused while an entry compares with it.
struct AttrCacheEntry {
    /// The receiver's shape, nil when the entry is empty.
    private(set) var shape: UnsafeMutableRawPointer? = nil
    /// `loadAttr`/`storeAttr`: the name's slot in that shape (for a store that adds the name, the
    /// slot it will get).
    private(set) var slot = 0
    /// `storeAttr` that adds the name: the shape after adding it.
    private(set) var next: UnsafeMutableRawPointer? = nil
    /// `storeAttr`, `loadMethod`: the type epoch the entry was made in.
    private(set) var epoch = 0
    /// `loadMethod`: the class's function for the name (the shape lacks the name).
    private(set) var method: Value = .null
    /// `loadAttr`/`loadMethod` on a module (`asyncio.sleep`): the module (retained, so the address
    /// stays its own) whose global slot `slot` holds the name.
    private(set) var module: UnsafeMutableRawPointer? = nil
    /// `slot` of a `super()` method entry that serves every receiver class whose order is a chain
    /// of single bases (see `Runtime.learnSuperMethod`).
    static let superAnyChain = 1

    mutating func fill(module m: ModuleObj, slot: Int) {
        let p = Unmanaged.passRetained(m).toOpaque()
        releaseShapes()
        module = p
        self.slot = slot
    }

    mutating func fill(shape: Shape, slot: Int, next: Shape? = nil, epoch: Int = 0, method: Value = .null) {
        let s = Unmanaged.passRetained(shape).toOpaque()
        let n = next.map { Unmanaged.passRetained($0).toOpaque() }
        releaseShapes()
        self.shape = s
        self.next = n
        self.slot = slot
        self.epoch = epoch
        self.method = method
    }

    /// `loadAttr` of a property whose getter is a plain script function: instances of `shape` get
    /// the attribute by running `getter` (kept in `method`) while the type epoch is `epoch`. The
    /// shape is kept in `next`, which a load does not use otherwise, so the slot paths (which test
    /// `shape`) pass the entry by.
    mutating func fill(propertyOf shape: Shape, getter: Value, epoch: Int) {
        let s = Unmanaged.passRetained(shape).toOpaque()
        releaseShapes()
        self.next = s
        self.slot = 0
        self.epoch = epoch
        self.method = getter
    }

    mutating func releaseShapes() {
        if let s = shape { Unmanaged<Shape>.fromOpaque(s).release() }
        if let n = next { Unmanaged<Shape>.fromOpaque(n).release() }
        if let m = module { Unmanaged<ModuleObj>.fromOpaque(m).release() }
        shape = nil
        next = nil
        module = nil
    }
}

/// One way of an attribute instruction's polymorphic cache (`CodeObj.attrPoly`), for instances
/// of `shape` (retained while the way names it, so its address is never reused), with the same
/// meanings as an `AttrCacheEntry`: a load or a store finds the name in `slot`; a store that adds
/// the name moves the instance to `next`; a method load finds the class's function `method`.
/// Stores and method loads hold while the type epoch is `epoch`.
struct AttrPolyWay {
    var shape: UnsafeMutableRawPointer? = nil
    var slot = 0
    var next: UnsafeMutableRawPointer? = nil
    var epoch = 0
    var method: Value = .null

    /// Gives back the references the way holds and empties it.
    mutating func clear() {
        if let s = shape { Unmanaged<Shape>.fromOpaque(s).release() }
        if let n = next { Unmanaged<Shape>.fromOpaque(n).release() }
        self = AttrPolyWay()
    }
}

/// The polymorphic caches of attribute instructions: `ways` entries per instruction that needs them.
enum AttrPolyCache {
    static let ways = 4

    /// The way for an instance whose shape is at `shape`, when one knows it.
    @inline(__always) static func way(_ p: UnsafeMutablePointer<AttrPolyWay>, _ shape: UnsafeMutableRawPointer) -> UnsafeMutablePointer<AttrPolyWay>? {
        for i in 0..<ways where p[i].shape == shape { return p + i }
        return nil
    }

    /// Copies what an instruction's single entry knows into a way at `cell`.
    static func learn(_ cell: UnsafeMutablePointer<UnsafeMutablePointer<AttrPolyWay>?>, _ entry: AttrCacheEntry) {
        guard let s = entry.shape else { return }
        learn(cell, Unmanaged<Shape>.fromOpaque(s).takeUnretainedValue(), entry.slot,
              next: entry.next.map { Unmanaged<Shape>.fromOpaque($0).takeUnretainedValue() },
              epoch: entry.epoch, method: entry.method)
    }

    /// Remembers a way for `shape` at `cell`, making the cache when it is nil; a full cache
    /// replaces the way the shape's address picks.
    static func learn(_ cell: UnsafeMutablePointer<UnsafeMutablePointer<AttrPolyWay>?>, _ shape: Shape, _ slot: Int,
                      next: Shape? = nil, epoch: Int = 0, method: Value = .null) {
        let p: UnsafeMutablePointer<AttrPolyWay>
        if let q = cell.pointee {
            p = q
        } else {
            p = .allocate(capacity: ways)
            p.initialize(repeating: AttrPolyWay(), count: ways)
            cell.pointee = p
        }
        let address = Unmanaged.passUnretained(shape).toOpaque()
        var target = -1
        for i in 0..<ways {
            if p[i].shape == address { target = i; break }
            if target < 0 && p[i].shape == nil { target = i }
        }
        if target < 0 { target = Int(UInt(bitPattern: address.hashValue) >> 4) & (ways - 1) }
        let way = AttrPolyWay(shape: Unmanaged.passRetained(shape).toOpaque(), slot: slot,
                              next: next.map { Unmanaged.passRetained($0).toOpaque() }, epoch: epoch, method: method)
        p[target].clear()
        p[target] = way
    }

    static func free(_ p: UnsafeMutablePointer<AttrPolyWay>) {
        for i in 0..<ways { p[i].clear() }
        p.deallocate()
    }
}

/// See `CodeObj.awaitFast`.
enum AwaitFast: UInt8 { case none, queuePut, queueGet, semaphoreAcquire }

struct MethodCacheEntry {
    var type: UnsafeMutableRawPointer? = nil
    var epoch = 0
    var method: Value = .null
}
