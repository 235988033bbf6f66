// Calls: binding arguments to parameters with CPython's errors, entering script functions from
// native code, and the module entry point.

import AsoBytecode

enum RunOutcome {
    case returned(Value)
    case raised(ExceptionObj)
    /// A generator's frame yielded this value; its fiber is suspended at the next instruction.
    case yielded(Value)
    /// The fiber of the task being stepped parked the task on a timer of its own (`await
    /// asyncio.sleep(d)`, see `sleepTask`): suspended at the next instruction, as for a yield, with
    /// nothing for the task to wait on but that timer.
    case parked
}

/// What the dispatch loop's call path does itself for a native function instead of calling it,
/// named where the builtin is defined (`Runtime.native(_:fastPath:_:)`).
enum NativeFastPath: UInt8 {
    case none
    /// `list.append(x)`: appended in place.
    case listAppend
    /// `await asyncio.sleep(d)`: a bare yield for `d <= 0`; otherwise, in a task's own chain, the
    /// task parks on a timer of its own (`sleepTask`). Nothing is made either way.
    case asyncioSleep
    /// `len(x)` of a builtin str, list, tuple, dict, set or frozenset (not of a subclass, which
    /// may define `__len__`): read in place, as CPython's `CALL` specialised for `len` does.
    case len
}

extension NativeFunctionObj {
    /// Kept in the object's `aux8` (which only this setter writes, so the byte is always a case).
    var fastPath: NativeFastPath {
        @inline(__always) get { unsafeBitCast(aux8, to: NativeFastPath.self) }
        set { aux8 = newValue.rawValue }
    }
}

/// How `run` re-enters a fiber.
enum Resume {
    /// Start or continue without pushing anything (a new frame, or a fresh generator).
    case fresh
    /// Continue a suspended generator: this value is the result of its `yield`.
    case value(Value)
    /// Continue a suspended generator by raising this exception at its `yield`.
    case raise(ExceptionObj)
}

extension Runtime {
    /// Binds a call's arguments to `fn`'s parameters, writing the code's first `localCount` slots
    /// at `slots` (which the caller has filled with `.null`). `positional` must not overlap `slots`.
    func bindArguments(_ fn: FunctionObj, positional: UnsafeBufferPointer<Value>,
                       keywords: [(name: String, value: Value)], into slots: UnsafeMutablePointer<Value>) throws {
        try Unmanaged.passUnretained(fn.code.code)._withUnsafeGuaranteedRef { code in
            let n = code.argCount
            let given = positional.count
            let hasVarArgs = code.flags.contains(.varArgs)
            let hasVarKw = code.flags.contains(.varKeywords)
            let varArgsSlot = n + code.keywordOnlyCount
            let varKwSlot = varArgsSlot + (hasVarArgs ? 1 : 0)
            let names = code.localNames

            for i in 0..<min(given, n) { slots[i] = positional[i] }
            if given > n {
                if hasVarArgs {
                    slots[varArgsSlot] = newTuple(UnsafeBufferPointer(rebasing: positional[n...]))
                }
            } else if hasVarArgs {
                slots[varArgsSlot] = newTuple([])
            }
            var kwDict: DictObj?
            if hasVarKw {
                let d = newDict()
                kwDict = d
                slots[varKwSlot] = Value(d)
            }
            for kw in keywords {
                var found = -1
                for i in code.positionalOnlyCount..<(n + code.keywordOnlyCount) where names[i] == kw.name { found = i; break }
                if found < 0 {
                    if let d = kwDict {
                        // (Not interned: the keys may be data, `f(**rows)`, and the interned table keeps
                        // every string it holds.)
                        try d.set(newStr(kw.name), kw.value, self)
                        continue
                    }
                    // As CPython: at an unknown keyword, every positional-only parameter named by a
                    // keyword (in parameter order) is reported first.
                    let passed = names[0..<code.positionalOnlyCount].filter { p in keywords.contains { $0.name == p } }
                    if !passed.isEmpty {
                        throw typeError("\(fn.qualifiedName)() got some positional-only arguments passed as keyword arguments: '\(passed.joined(separator: ", "))'")
                    }
                    throw typeError("\(fn.qualifiedName)() got an unexpected keyword argument '\(kw.name)'")
                }
                if !slots[found].isNull {
                    throw typeError("\(fn.qualifiedName)() got multiple values for argument '\(kw.name)'")
                }
                slots[found] = kw.value
            }
            // Too many positional arguments is found after the keywords, as CPython finds it.
            if given > n && !hasVarArgs {
                var kwOnlyGiven = 0
                for kw in keywords {
                    if let ix = names[n..<(n + code.keywordOnlyCount)].firstIndex(of: kw.name), ix >= n { kwOnlyGiven += 1 }
                }
                throw tooManyPositional(fn, given: given, kwOnlyGiven: kwOnlyGiven)
            }
            if given < n {
                let firstDefault = n - fn.defaults.count
                var missing: [String] = []
                for i in given..<n where slots[i].isNull {
                    if i >= firstDefault { slots[i] = fn.defaults[i - firstDefault] } else { missing.append(names[i]) }
                }
                if !missing.isEmpty { throw missingArguments(fn, missing, kind: "positional") }
            }
            if code.keywordOnlyCount > 0 {
                var missing: [String] = []
                for i in n..<(n + code.keywordOnlyCount) where slots[i].isNull {
                    if let d = fn.kwDefault(named: names[i]) { slots[i] = d } else { missing.append(names[i]) }
                }
                if !missing.isEmpty { throw missingArguments(fn, missing, kind: "keyword-only") }
            }
        }
    }

    /// A call of script function `fn` with positional arguments `positional` and keywords
    /// `names` (string values) with values `values`, bound into the locals `slots`. The arguments
    /// may already sit there (a `callKw`'s positional arguments in `slots`, its keyword values
    /// right after them): everything is read before the slots it is in are written. Taken when
    /// the binding is plain: no more positional arguments than parameters unless the function
    /// takes `*args`; each keyword names a distinct parameter not given positionally (found by
    /// identity, as parameter names and a call's keyword names are interned, else by text) or
    /// goes to `**kwargs`; every parameter left without a value has a default. Returns false,
    /// having written nothing, otherwise: the general binder then takes the call, and raises
    /// what CPython raises.
    func bindPlainly(_ fn: FunctionObj, _ code: CodeObj, _ slots: UnsafeMutablePointer<Value>,
                     positional: UnsafeBufferPointer<Value>, names: UnsafeBufferPointer<Value>,
                     values: UnsafePointer<Value>) throws -> Bool {
        let n = positional.count, k = names.count
        let argCount = code.argCount, end = argCount + code.keywordOnlyCount
        if n > argCount && !code.hasVarArgs { return false }
        let filled = min(n, argCount)
        // Per keyword: its parameter, or -1 for `**kwargs`.
        return try withUnsafeTemporaryAllocation(of: Int.self, capacity: max(k, 1)) { targetBuffer -> Bool in
            guard let targets = targetBuffer.baseAddress else { return false }
            // Plan: the parameter of each keyword, and whether every parameter gets a value.
            let firstDefault = argCount - fn.defaults.count
            var requiredNamed = 0
            for j in 0..<k {
                let found = parameterIndex(code, names[j], from: code.positionalOnlyCount, to: end)
                if found < 0 {
                    // (A plain string, so that adding it to the dict runs no script code.)
                    guard code.hasVarKeywords, let name = names[j].asObject(.str, StrObj.self), !name.isNativeSubclass else { return false }
                } else {
                    if found < filled { return false }
                    for m in 0..<j where targets[m] == found { return false }
                    if found < firstDefault { requiredNamed &+= 1 }
                }
                targets[j] = found
            }
            guard requiredNamed == max(0, firstDefault - filled) else { return false }
            var keywordOnlyDefaults = 0
            if end > argCount {
                for i in argCount..<end where !(0..<k).contains(where: { targets[$0] == i }) {
                    guard kwDefault(fn, code, i) != nil else { return false }
                    keywordOnlyDefaults &+= 1
                }
            }
            // Bind: first what is read from slots that get written (the extra positional
            // arguments, the keyword values), then the locals.
            let extra: Value = code.hasVarArgs
                ? newTuple(n > argCount ? UnsafeBufferPointer(rebasing: positional[argCount...]) : .empty) : .null
            try withUnsafeTemporaryAllocation(of: Value.self, capacity: max(2 * k, 1)) { keptBuffer in
                guard let kept = keptBuffer.baseAddress else { return }
                // (The names too: a `**` dict's keys sit on the stack, in the callee's locals.)
                let keptNames = kept + k
                for j in 0..<k {
                    (kept + j).initialize(to: values[j])
                    (keptNames + j).initialize(to: names[j])
                }
                if positional.baseAddress != UnsafePointer(slots) {
                    for i in 0..<filled { slots[i] = positional[i] }
                }
                for i in filled..<code.localCount { slots[i] = .null }
                for j in 0..<k where targets[j] >= 0 { slots[targets[j]] = kept[j] }
                if code.hasVarKeywords {
                    let d = newDict()
                    slots[end + (code.hasVarArgs ? 1 : 0)] = Value(d)
                    for j in 0..<k where targets[j] < 0 { try d.set(keptNames[j], kept[j], self) }
                }
            }
            if filled < argCount {
                fn.defaults.withUnsafeBufferPointer { d in
                    for i in filled..<argCount where slots[i].isNull { slots[i] = d[i &- firstDefault] }
                }
            }
            if keywordOnlyDefaults > 0 {
                for i in argCount..<end where slots[i].isNull { slots[i] = kwDefault(fn, code, i) ?? .none }
            }
            if code.hasVarArgs { slots[end] = extra }
            return true
        }
    }

    /// The index of the parameter of `code` named `name` among `from..<to`, or -1: by identity,
    /// else by text.
    @inline(__always)
    private func parameterIndex(_ code: CodeObj, _ name: Value, from: Int, to end: Int) -> Int {
        let names = code.parameterNames
        if case .object(let wanted) = name {
            let key = wanted.toOpaque()
            var i = from
            while i < end {
                if case .object(let u) = names[i], u.toOpaque() == key { return i }
                i &+= 1
            }
        }
        return parameterIndexByText(names, name, from: from, to: end)
    }

    @inline(never)
    private func parameterIndexByText(_ names: UnsafeMutablePointer<Value>, _ name: Value, from: Int, to end: Int) -> Int {
        for i in from..<max(from, end) where plainItemEquals(names[i], name) == true { return i }
        return -1
    }

    /// The default of keyword-only parameter `i` of `fn`, if it has one.
    private func kwDefault(_ fn: FunctionObj, _ code: CodeObj, _ i: Int) -> Value? {
        code.parameterNames[i].asStr.flatMap { fn.kwDefault(named: $0.value) }
    }

    /// `callEx` (`f(*args)`, `f(*args, **kwargs)`): the positional items, then the `**` dict's
    /// values, then its keys, written on the stack from where the `*` value was, so that the call
    /// goes on as a `call` or `callKw` with its arguments in place (no array, no tuple is made).
    /// Returns the offset just past the positional items, and the counts.
    private func spreadArguments(_ arg: Int, _ fiber: Fiber, _ fp: UnsafeMutablePointer<Frame>, _ ip: Int,
                                 _ sp: UnsafeMutablePointer<Value>,
                                 temporaryList: inout ListObj?) throws -> (end: Int, count: Int, keywords: Int) {
        // (The `*` value and the dict stay on the stack, rooted, until their items are copied.)
        Runtime.saveState(fp, ip, sp, fiber)
        let hasDict = arg & 1 != 0
        let start = Runtime.slotIndex(hasDict ? sp - 2 : sp - 1, in: fiber.stack)
        let star = fiber.stack[start]
        let dict = hasDict ? (sp - 1).pointee.asDict : nil
        var iterated: [Value] = []
        let borrowed = try sequenceItems(star, lengthHint: false)
        if borrowed != nil {
            // The compiler's own list for `f(a, *b)` (not `f(*x)`, flag 2): emptied after the call.
            if arg & 2 == 0, let l = star.asList { temporaryList = l }
        } else {
            if !isIterable(star) {
                throw typeError("\(try functionStr(fiber.stack[start - 2])) argument after * must be an iterable, not \(typeName(star))")
            }
            iterated = try iterateToArray(star)
        }
        let n = borrowed?.count ?? iterated.count, m = dict?.count ?? 0
        fiber.reserve(start + n + 2 * m + 1)
        let base = fiber.stack + start
        // (Nothing runs between here and the copies: the items borrowed from the tuple or the
        // list stay as they are.)
        if let items = borrowed {
            if let src = items.baseAddress, n > 0 { base.update(from: src, count: n) }
        } else {
            iterated.withUnsafeBufferPointer { if let src = $0.baseAddress, n > 0 { base.update(from: src, count: n) } }
        }
        if let d = dict, m > 0 {
            var i = 0, j = 0
            while j < m, let e = d.nextLive(from: i) {
                base[n + j] = d.value(at: e)
                base[n + m + j] = d.key(at: e)
                i = e &+ 1
                j &+= 1
            }
        }
        return (start + n, n, m)
    }

    /// Keyword arguments as the general call paths take them: the names `names` (strings, else
    /// CPython's TypeError) and their values at `values`.
    func keywordList(_ names: UnsafeBufferPointer<Value>, _ values: UnsafePointer<Value>) throws -> [(name: String, value: Value)] {
        var list: [(name: String, value: Value)] = []
        list.reserveCapacity(names.count)
        for i in 0..<names.count {
            guard let name = names[i].asStr?.value else { throw typeError("keywords must be strings") }
            list.append((name, values[i]))
        }
        return list
    }

    private func tooManyPositional(_ fn: FunctionObj, given: Int, kwOnlyGiven: Int) -> ScriptError {
        let n = fn.code.code.argCount
        let defaults = fn.defaults.count
        let sig = defaults > 0 ? "from \(n - defaults) to \(n)" : "\(n)"
        let plural = (defaults == 0 && n == 1) ? "" : "s"
        var kwSig = ""
        if kwOnlyGiven > 0 {
            kwSig = " positional argument\(given == 1 ? "" : "s") (and \(kwOnlyGiven) keyword-only argument\(kwOnlyGiven == 1 ? "" : "s"))"
        }
        let verb = (given == 1 && kwOnlyGiven == 0) ? "was" : "were"
        return typeError("\(fn.qualifiedName)() takes \(sig) positional argument\(plural) but \(given)\(kwSig) \(verb) given")
    }

    private func missingArguments(_ fn: FunctionObj, _ names: [String], kind: String) -> ScriptError {
        let quoted = names.map { "'\($0)'" }
        let list: String
        switch quoted.count {
        case 1: list = quoted[0]
        case 2: list = "\(quoted[0]) and \(quoted[1])"
        default: list = quoted.dropLast().joined(separator: ", ") + ", and " + (quoted.last ?? "")
        }
        let s = names.count == 1 ? "" : "s"
        return typeError("\(fn.qualifiedName)() missing \(names.count) required \(kind) argument\(s): \(list)")
    }

    /// Calls any callable from native code. Script functions run on a nested dispatch loop,
    /// which cannot suspend.
    func call(_ callable: Value, _ args: [Value], keywords: [(name: String, value: Value)] = []) throws -> Value {
        // (Borrowed: the caller holds the callable.)
        if case .object(let u) = callable, let r = try u._withUnsafeGuaranteedRef({ try callObject($0, callable, args, keywords: keywords) }) {
            return r
        }
        throw typeError("'\(typeName(callable))' object is not callable")
    }

    /// `call` with one argument, from the stack: no array is made when the callable is a native
    /// or script function (a key function, a property's getter, a dunder method).
    @inline(__always)
    func call(_ callable: Value, one argument: Value) throws -> Value {
        var argument = argument
        return try withUnsafePointer(to: &argument) { try call(callable, UnsafeBufferPointer(start: $0, count: 1)) }
    }

    /// `call` with positional arguments in a buffer the caller keeps (and roots) for the call.
    func call(_ callable: Value, _ args: UnsafeBufferPointer<Value>) throws -> Value {
        if case .object(let u) = callable, let r = try u._withUnsafeGuaranteedRef({ o -> Value? in
            switch o.kind {
            case .native:
                let nf = unsafeDowncast(o, to: NativeFunctionObj.self)
                if nf.fastPath == .len, args.count == 1, let n = Runtime.builtinLength(args[0]) { return .int(n) }
                return try nf.fn(self, Args(positional: args))
            case .function: return try callFunction(unsafeDowncast(o, to: FunctionObj.self), args)
            default: return nil
            }
        }) {
            return r
        }
        return try call(callable, Array(args))
    }

    /// `call` of an object: nil when it is not callable.
    private func callObject(_ o: Obj, _ callable: Value, _ args: [Value], keywords: [(name: String, value: Value)]) throws -> Value? {
        switch o.kind {
        case .native:
            let nf = unsafeDowncast(o, to: NativeFunctionObj.self)
            return try args.withUnsafeBufferPointer { try nf.fn(self, Args(positional: $0, keywords: keywords)) }
        case .function:
            return try callFunction(unsafeDowncast(o, to: FunctionObj.self), args, keywords: keywords)
        case .boundMethod:
            let bm = unsafeDowncast(o, to: BoundMethodObj.self)
            return try call(bm.function, [bm.receiver] + args, keywords: keywords)
        case .type:
            return try construct(unsafeDowncast(o, to: TypeObject.self), args, keywords: keywords)
        case .instance:
            if let f = userMethod(callable, "__call__") { return try callFunction(f, [callable] + args, keywords: keywords) }
            if let f = o.type.lookup("__call__"), f.asObject(.native, NativeFunctionObj.self) != nil {
                return try call(f, [callable] + args, keywords: keywords)
            }
            return nil
        default:
            return nil
        }
    }

    /// Instantiates a type: `int("3")`, `ValueError("x")`, ...
    func construct(_ t: TypeObject, _ args: [Value], keywords: [(name: String, value: Value)]) throws -> Value {
        // Classes from script code (they have a module and no native constructor of their own).
        if t.moduleName != nil && t.construct == nil {
            return try constructUserClass(t, args, keywords: keywords)
        }
        if let owner = nativeConstructorOwner(Value(t)) { return try constructNatively(owner, t, args, keywords: keywords) }
        throw typeError("cannot create '\(t.name)' instances")
    }

    /// An instance of `t` made by the native constructor of `owner` (`nativeConstructorOwner`),
    /// which receives the requested type first, so subclasses get their own class.
    func constructNatively(_ owner: Unmanaged<TypeObject>, _ t: TypeObject, _ args: [Value],
                           keywords: [(name: String, value: Value)]) throws -> Value {
        try withUnsafeTemporaryAllocation(of: Value.self, capacity: args.count &+ 1) { b in
            let all = b.baseAddress.unsafelyUnwrapped
            all.initialize(to: Value(t))
            args.withUnsafeBufferPointer { if let p = $0.baseAddress { (all + 1).initialize(from: p, count: $0.count) } }
            let a = Args(positional: UnsafeBufferPointer(start: all, count: args.count &+ 1), keywords: keywords)
            return try owner._withUnsafeGuaranteedRef { try Runtime.construct($0, self, a) }
        }
    }

    /// Runs a script function to completion on a nested fiber.
    /// `callFunction` with positional arguments only, from a buffer (nothing retained: the
    /// caller holds the function and the arguments).
    func callFunction(_ fn: FunctionObj, _ args: UnsafeBufferPointer<Value>) throws -> Value {
        try fn.codeRef._withUnsafeGuaranteedRef { code in
            if code.isResumable { return try makeGenerator(fn, Array(args), keywords: []) }
            let fiber = fiberPool.popLast() ?? Fiber(capacity: 256)
            defer { fiber.sp = 0; fiber.frameCount = 0; fiberPool.append(fiber) }
            fiber.reserve(code.frameSize + 1)
            let slots = fiber.stack
            for i in 0..<code.localCount { slots[i] = .null }
            if code.isSimple && args.count <= code.argCount
                && (args.count == code.argCount || fn.bindDefaults(after: args.count, of: code.argCount, into: slots)) {
                for i in 0..<args.count { slots[i] = args[i] }
            } else {
                try bindArguments(fn, positional: args, keywords: [], into: slots)
            }
            fiber.sp = code.localCount
            return try runEntry(fiber, code: code, function: Value(fn), namespace: .null)
        }
    }

    func callFunction(_ fn: FunctionObj, _ args: [Value], keywords: [(name: String, value: Value)],
                      namespace: Value = .null) throws -> Value {
        let code = fn.code
        if code.isResumable { return try makeGenerator(fn, args, keywords: keywords) }
        let fiber = fiberPool.popLast() ?? Fiber(capacity: 256)
        defer { fiber.sp = 0; fiber.frameCount = 0; fiberPool.append(fiber) }
        fiber.reserve(code.frameSize + 1)
        let slots = fiber.stack
        for i in 0..<code.localCount { slots[i] = .null }
        try args.withUnsafeBufferPointer { buf in
            if code.isSimple && keywords.isEmpty && buf.count <= code.argCount
                && (buf.count == code.argCount || fn.bindDefaults(after: buf.count, of: code.argCount, into: slots)) {
                for i in 0..<buf.count { slots[i] = buf[i] }
            } else {
                try bindArguments(fn, positional: buf, keywords: keywords, into: slots)
            }
        }
        fiber.sp = code.localCount
        return try runEntry(fiber, code: code, function: Value(fn), namespace: namespace)
    }

    /// Runs `code` as the bottom frame of `fiber` (locals already in place), nested in whatever
    /// runs now. Throws the exception that escapes it.
    func runEntry(_ fiber: Fiber, code: CodeObj, function: Value, namespace: Value) throws -> Value {
        if hot.pointee.depth >= hot.pointee.recursionLimit {
            throw error(exc.recursionError, "maximum recursion depth exceeded")
        }
        depth += 1
        let saved = fiber.frameCount
        _ = fiber.push(Frame(code: Unmanaged.passUnretained(code), function: function, ip: 0, base: fiber.sp - code.localCount,
                             sp: fiber.sp, returnSlot: max(0, fiber.sp - code.localCount), namespace: namespace, exit: .toHost))
        activeFibers.append(fiber)
        nestedRuns += 1
        let outcome = run(fiber)
        nestedRuns -= 1
        activeFibers.removeLast()
        fiber.frameCount = saved
        switch outcome {
        case .returned(let v): return v
        case .raised(let e): throw ScriptError(exception: e)
        case .yielded, .parked: throw runtimeError("yield outside a generator")
        }
    }

    /// Executes a module's code object; returns what escaped, if anything.
    func runModule(_ code: CodeObj) -> RunOutcome {
        let fiber = Fiber(capacity: 4096)
        fiber.reserve(code.frameSize + 1)
        for i in 0..<code.localCount { fiber.stack[i] = .null }
        fiber.sp = code.localCount
        do {
            let saved = nestedRuns
            nestedRuns = 0
            defer { nestedRuns = saved }
            return .returned(try runEntry(fiber, code: code, function: .none, namespace: .null))
        } catch let e as ScriptError {
            return .raised(e.exception)
        } catch {
            return .raised(newException(exc.runtimeError, "\(error)"))
        }
    }
}

// MARK: - Calls and returns in the dispatch loop

extension Runtime {
    /// `call`/`callKw`/`callEx` beyond the fast paths of a plain `call` (below): keyword and
    /// spilled arguments, bound methods, classes, ... through `callGeneral`.
    @inline(__always)
    func callSlowly(_ op: OpCode, _ arg: Int, _ fiber: Fiber, _ fp: UnsafeMutablePointer<Frame>, _ ip: Int,
                    _ locals: inout UnsafeMutablePointer<Value>, _ sp: inout UnsafeMutablePointer<Value>) throws -> DispatchStep {
        switch try callGeneral(op, arg, fiber, fp, ip, sp) {
        case .pushedFrame:
            return .reload
        case .returned(let top):
            if fiber.frames + (fiber.frameCount &- 1) != fp {
                // The stack grew and moved (`f(*xs)` spreads its arguments on it): the loop
                // reloads its state from the frame.
                Runtime.saveState(fiber.frames + (fiber.frameCount &- 1), ip, fiber.stack + top, fiber)
                return .reload
            }
            locals = fiber.stack + fp.pointee.base
            sp = fiber.stack + top
            // A safepoint: calls that make objects (classes, generators, coroutines) and never
            // push a frame must still let the collector run.
            return .safepoint
        }
    }

    /// The object `v` refers to and its kind (nil for a value that is not an object).
    @inline(__always)
    static func objectAndKind(_ v: Value) -> (Unmanaged<Obj>, ObjKind)? {
        guard case .object(let u) = v else { return nil }
        return (u, u._withUnsafeGuaranteedRef { $0.kind })
    }

    /// A plain `call` of script function `u` (on the stack at `sp - arg - 2`, with its arguments
    /// above): with exactly its positional parameters its frame is pushed here (`.entered`), with
    /// no reference counting and no allocation; so is a coroutine function's when the call is
    /// awaited at once (`awaitedCall`); a simple generator or coroutine function makes its object.
    /// Any other call goes the slow way.
    @inline(__always)
    func callFunctionFast(_ u: Unmanaged<Obj>, _ arg: Int, _ fiber: Fiber, _ codeRef: Unmanaged<CodeObj>, _ words: UnsafeMutablePointer<UInt32>,
                          _ fp: inout UnsafeMutablePointer<Frame>, _ ip: inout Int,
                          _ locals: inout UnsafeMutablePointer<Value>, _ sp: inout UnsafeMutablePointer<Value>) throws -> DispatchStep {
        var calleeSlot = Runtime.calleeSlot(sp, arg)
        let cu = Unmanaged<FunctionObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { Unmanaged.passUnretained($0.code) }
        var argStart = (calleeSlot + 1).pointee.isNull ? calleeSlot + 2 : calleeSlot + 1
        let nargs = Runtime.slotIndex(sp, in: argStart)
        var (fast, nlocals, fsize) = cu._withUnsafeGuaranteedRef { c in
            (c.fastArgCount == nargs, c.localCount, c.frameSize)
        }
        let calleeIndex = Runtime.slotIndex(calleeSlot, in: fiber.stack)
        let base = Runtime.slotIndex(argStart, in: fiber.stack)
        var resumeAt = ip
        if !fast {
            switch try awaitedCall(cu, calleeSlot, argStart, nargs, base: base, frameEnd: base &+ fsize,
                                   fiber, codeRef, words, &fp, &ip, &locals, &sp) {
            case .notAwaited:
                break
            case .done:
                return .safepoint
            case .push(let exit):
                fast = true
                resumeAt = exit
                calleeSlot = fiber.stack + calleeIndex   // the fiber may have grown
                argStart = fiber.stack + base
            }
        }
        if fast && hot.pointee.depth < hot.pointee.recursionLimit && base &+ fsize < fiber.capacity
            && fiber.frameCount < fiber.frameCapacity {
            var i = nargs
            while i < nlocals { argStart[i] = .null; i &+= 1 }
            fp.pointee.ip = resumeAt
            fp.pointee.sp = calleeIndex
            hot.pointee.depth &+= 1
            fp = fiber.pushUnchecked(Frame(code: cu, function: calleeSlot.pointee, ip: 0, base: base, sp: 0,
                                           returnSlot: calleeIndex, namespace: .null, exit: .toCaller))
            ip = 0
            locals = argStart
            sp = argStart + nlocals
            return .entered(cu)
        }
        if cu._withUnsafeGuaranteedRef({ $0.resumableArgCount == nargs }) {
            // A generator or coroutine: a new suspended frame, nothing runs.
            // (Locals copied first: a closure capturing the loop's `var`s would make every entry
            // to the loop pay for exclusivity checks.)
            let pc = ip &- 1
            calleeSlot.pointee = Unmanaged<FunctionObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { fn in
                codeRef._withUnsafeGuaranteedRef { origin in makeGeneratorFast(fn, argStart, origin: origin, pc: pc) }
            }
            sp = calleeSlot + 1
            return .safepoint
        }
        return try callSlowly(.call, arg, fiber, fp, ip, &locals, &sp)
    }

    /// A plain `call` of native function `u` (on the stack at `sp - arg - 2`): called in place on the
    /// stack, with no reference counting, unless its `NativeFastPath` is done here instead. nil:
    /// the loop goes on with the next instruction; otherwise `run` returns this (a sleep).
    @inline(__always)
    func callNativeFast(_ u: Unmanaged<Obj>, _ arg: Int, _ fiber: Fiber, _ codeRef: Unmanaged<CodeObj>, _ words: UnsafeMutablePointer<UInt32>,
                        _ fp: UnsafeMutablePointer<Frame>, _ ip: Int, _ sp: inout UnsafeMutablePointer<Value>) throws -> RunOutcome? {
        let calleeSlot = Runtime.calleeSlot(sp, arg)
        let argStart = (calleeSlot + 1).pointee.isNull ? calleeSlot + 2 : calleeSlot + 1
        let nargs = Runtime.slotIndex(sp, in: argStart)
        let nf = Unmanaged<NativeFunctionObj>.fromOpaque(u.toOpaque())
        let fastPath = nf._withUnsafeGuaranteedRef { $0.fastPath }
        if fastPath == .asyncioSleep, nargs == 1,
           let outcome = awaitSleep(argStart.pointee, calleeSlot, fiber, codeRef, words, fp, ip, &sp) {
            return outcome
        }
        if fastPath == .len, nargs == 1, let n = Runtime.builtinLength(argStart.pointee) {
            calleeSlot.pointee = .int(n)
            sp = calleeSlot + 1
            return nil
        }
        Runtime.saveState(fp, ip, sp, fiber)
        let result: Value
        if fastPath == .listAppend, nargs == 2, Runtime.appendToList(argStart.pointee, (argStart + 1).pointee) {
            result = .none
        } else {
            result = try nf._withUnsafeGuaranteedRef { f in
                try f.fn(self, Args(positional: UnsafeBufferPointer(start: argStart, count: nargs)))
            }
        }
        calleeSlot.pointee = result
        sp = calleeSlot + 1
        return nil
    }

    /// `list.append(x)` of a list (or an instance of a subclass), borrowed: false when `list` is
    /// not one. (Through a strong `ListObj`, each append cost a retain and a release.)
    @inline(__always)
    static func appendToList(_ list: Value, _ x: Value) -> Bool {
        guard case .object(let u) = list, u._withUnsafeGuaranteedRef({ $0.kind == .list }) else { return false }
        Unmanaged<ListObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { $0.append(x) }
        return true
    }

    /// The length of a builtin str, list, tuple, dict, set or frozenset, not of a subclass's
    /// instance; nil for anything else (`len`'s general path).
    @inline(__always)
    static func builtinLength(_ v: Value) -> Int? {
        guard case .object(let u) = v else { return nil }
        return u._withUnsafeGuaranteedRef { o in o.isNativeSubclass ? nil : containerCount(o) }
    }

    /// The number of items of a str, list, tuple, dict, set or frozenset (of any class, its own
    /// count); nil for objects of other kinds.
    @inline(__always)
    static func containerCount(_ o: Obj) -> Int? {
        switch o.kind {
        case .str: return unsafeDowncast(o, to: StrObj.self).count
        case .list: return unsafeDowncast(o, to: ListObj.self).items.count
        case .tuple: return unsafeDowncast(o, to: TupleObj.self).items.count
        case .dict: return unsafeDowncast(o, to: DictObj.self).count
        case .set, .frozenset: return unsafeDowncast(o, to: SetObj.self).count
        default: return nil
        }
    }

    /// `returnValue` of `result` from the top frame: nil when it is the entry frame (popped, the
    /// fiber's stack cut to its base: `run` returns). Otherwise the frame is popped, the result
    /// put in the caller's return slot and the loop's `fp`, `ip`, `locals` and `sp` set to the
    /// caller's; the caller's code is returned.
    @inline(__always)
    func popFrame(_ fiber: Fiber, _ result: Value, _ fp: inout UnsafeMutablePointer<Frame>, _ ip: inout Int,
                  _ locals: inout UnsafeMutablePointer<Value>, _ sp: inout UnsafeMutablePointer<Value>) throws -> Unmanaged<CodeObj>? {
        hot.pointee.depth &-= 1
        let returnSlot = fp.pointee.returnSlot
        var result = result
        if fp.pointee.exit != .toCaller {
            switch fp.pointee.exit {
            case .toHost:
                fiber.sp = fp.pointee.base
                fiber.pop()
                return nil
            case .finishAwaited:
                finishAwaited(fp.pointee.namespace)
            case .initialized:
                if result.isNone {
                    result = fp.pointee.namespace
                } else {
                    // Raised in the caller, at its call, as CPython does once `__init__` returned.
                    fiber.pop()
                    fp -= 1
                    ip = fp.pointee.ip
                    locals = fiber.stack + fp.pointee.base
                    sp = fiber.stack + returnSlot
                    throw typeError("__init__() should return None, not '\(typeName(result))'")
                }
            case .toCaller:
                break
            }
        }
        fiber.pop()
        let slot = fiber.stack + returnSlot
        slot.pointee = result
        // The caller's frame sits just below (frames are contiguous).
        fp -= 1
        ip = fp.pointee.ip
        locals = fiber.stack + fp.pointee.base
        sp = slot + 1
        return fp.pointee.code
    }

    /// What `callGeneral` did.
    enum GeneralCall {
        /// Pushed a frame for a script function: the loop continues in it (state from the fiber).
        case pushedFrame
        /// Called something else; its result is on the stack, which now ends at offset `top`.
        case returned(top: Int)
    }

    /// A bound method's function and receiver, read without reference counting; nil for other values.
    @inline(__always) func boundMethodParts(_ v: Value) -> (function: Value, receiver: Value)? {
        guard case .object(let u) = v else { return nil }
        return u._withUnsafeGuaranteedRef { o in
            guard o.kind == .boundMethod else { return nil }
            let bm = unsafeDowncast(o, to: BoundMethodObj.self)
            return (bm.function, bm.receiver)
        }
    }

    /// Calls the constructor of `owner` (a class `nativeConstructorOwner` found, which has one).
    /// (Unwrapped by pattern: `construct.unsafelyUnwrapped(...)` made a reabstraction thunk, an
    /// allocation, at every call.)
    @inline(__always) static func construct(_ owner: TypeObject, _ rt: Runtime, _ args: Args) throws -> Value {
        guard let construct = owner.construct else { return .none }
        return try construct(rt, args)
    }

    /// An instance of class `callee` made by the constructor of `owner` (the class itself or the
    /// builtin base `nativeConstructorOwner` found), the class written in the free slot before the
    /// `nargs` arguments so that the constructor gets both where they are.
    @inline(__always)
    private func constructInPlace(_ owner: Unmanaged<TypeObject>, _ callee: Value, _ selfSlot: UnsafeMutablePointer<Value>, _ nargs: Int,
                                  keywords: [(name: String, value: Value)]) throws -> Value {
        selfSlot.pointee = callee
        let all = Args(positional: UnsafeBufferPointer(start: selfSlot, count: nargs &+ 1), keywords: keywords)
        return try owner._withUnsafeGuaranteedRef { try Runtime.construct($0, self, all) }
    }

    /// `call`/`callKw`/`callEx` beyond the two fast paths: keyword and spilled arguments, bound
    /// methods, classes, generators. Kept out of the dispatch loop so the loop's hot paths keep
    /// their registers.
    @inline(never)
    func callGeneral(_ op: OpCode, _ arg: Int, _ fiber: Fiber, _ fpIn: UnsafeMutablePointer<Frame>,
                             _ ip: Int, _ spIn: UnsafeMutablePointer<Value>) throws -> GeneralCall {
        var fp = fpIn
        var sp = spIn
        var keywords: [(name: String, value: Value)] = []
        var argc = arg
        /// The star call's own list (see `listToTuple`), emptied once the call no longer needs it.
        var temporaryList: ListObj? = nil
        defer { temporaryList?.items.removeAll() }
        // The keyword names: for `callKw`, interned string constants (a tuple of the calling
        // code, borrowed), their values on the stack right above the positional arguments; for
        // `callEx`, the keys of the `**` dict, on the stack above the values (at `namesOffset`:
        // growing the stack moves them). `keywords` (names as Swift strings) is made only for
        // callees that are not script functions: a script function's parameters are bound from
        // the names as they are.
        var keywordNames = UnsafeBufferPointer<Value>.empty
        var namesOffset = -1
        if case .callKw = op {
            sp -= 1
            if case .object(let u) = sp.pointee, u._withUnsafeGuaranteedRef({ $0.kind == .tuple }) {
                keywordNames = u._withUnsafeGuaranteedRef { unsafeDowncast($0, to: TupleObj.self).items }
            }
            argc -= keywordNames.count
            sp -= keywordNames.count
        } else if case .callEx = op {
            let spread = try spreadArguments(arg, fiber, fp, ip, sp, temporaryList: &temporaryList)
            fp = fiber.frames + (fiber.frameCount - 1)
            sp = fiber.stack + spread.end
            argc = spread.count
            if spread.keywords > 0 {
                namesOffset = spread.end + spread.keywords
                keywordNames = UnsafeBufferPointer(start: fiber.stack + namesOffset, count: spread.keywords)
            }
        }
        let keywordCount = keywordNames.count
        let calleeSlot = Runtime.calleeSlot(sp, argc)
        var callee = calleeSlot.pointee
        let selfSlot = calleeSlot + 1
        var argStart = selfSlot.isNullValue ? selfSlot + 1 : selfSlot
        var nargs = Runtime.slotIndex(sp, in: argStart)
        // A builtin class called with positional arguments (`set()`, `list(xs)`, `int(s)`): its
        // constructor takes the class and the arguments where they are, the class in the free
        // slot before them (the general path's last case, reached without its other checks).
        if keywordCount == 0, selfSlot.isNullValue, case .object(let u) = callee, u._withUnsafeGuaranteedRef({ o in
            o.kind == .type && unsafeDowncast(o, to: TypeObject.self).construct != nil
        }) {
            Runtime.saveState(fp, ip, sp, fiber)
            let result = try constructInPlace(Unmanaged<TypeObject>.fromOpaque(u.toOpaque()), callee, selfSlot, nargs, keywords: [])
            let top = Runtime.slotIndex(calleeSlot, in: fiber.stack)
            fiber.stack[top] = result
            return .returned(top: top + 1)
        }
        if keywordCount == 0, !selfSlot.isNullValue, case .object(let u) = callee,
           u._withUnsafeGuaranteedRef({ $0.kind == .boundMethod }) {
            // `await obj.method(...)` through a bound method with no free slot before the
            // arguments (`__aexit__(None, None, None)` of `async with`): the coroutine's frame is
            // pushed above the arguments, receiver first, and the caller resumes after the `await`
            // (as the dispatch loop's fused path does for a plain function): nothing is made.
            // (References used without reference counting: the bound method is on the stack.)
            let n = nargs
            let pushed = try Unmanaged<BoundMethodObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { bm -> Bool in
                guard case .object(let f) = bm.function, f._withUnsafeGuaranteedRef({ $0.kind == .function }) else { return false }
                return try Unmanaged<FunctionObj>.fromOpaque(f.toOpaque())._withUnsafeGuaranteedRef { fn -> Bool in
                    let code = fp.pointee.code.takeUnretainedValue()
                    guard fn.code.awaitArgCount == n + 1, let exit = Runtime.awaitExit(code.words, ip, code) else { return false }
                    Runtime.saveState(fp, ip, sp, fiber)
                    try pushAwaited(fn, receiver: bm.receiver, arguments: (Runtime.slotIndex(argStart, in: fiber.stack), n), on: fiber,
                                    resultSlot: Runtime.slotIndex(calleeSlot, in: fiber.stack), resumeAt: exit)
                    return true
                }
            }
            if pushed { return .pushedFrame }
        }
        // Unwrap bound methods into (function, self) in place when there is room.
        if let bm = boundMethodParts(callee), selfSlot.isNullValue {
            callee = bm.function
            selfSlot.pointee = bm.receiver
            calleeSlot.pointee = callee
            argStart = selfSlot
            nargs += 1
        }
        // A generator or coroutine method (`obj.method()`): a new suspended frame from the
        // arguments in place, as the fast path makes one for a plain function.
        if keywordCount == 0, case .object(let fu) = callee,
           let made = fu._withUnsafeGuaranteedRef({ o -> Value? in
               guard o.kind == .function else { return nil }
               let fn = unsafeDowncast(o, to: FunctionObj.self)
               guard fn.codeRef._withUnsafeGuaranteedRef({ $0.resumableArgCount }) == nargs else { return nil }
               return fp.pointee.code._withUnsafeGuaranteedRef { makeGeneratorFast(fn, argStart, origin: $0, pc: ip &- 1) }
           }) {
            calleeSlot.pointee = made
            return .returned(top: Runtime.slotIndex(calleeSlot, in: fiber.stack) + 1)
        }
        // A class whose instances are made plainly, with `__init__` written in script code: the
        // instance goes in as its first argument, and `__init__` runs in a frame of this loop
        // (not a nested run) that hands the instance to the caller when it returns.
        var initializing: Value = .null
        // (The class is borrowed: it is on the stack, and holds its `__init__`.)
        if selfSlot.isNullValue, case .object(let u) = callee,
           u._withUnsafeGuaranteedRef({ $0.kind == .type }),
           let initFn = Unmanaged<TypeObject>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef({ t -> Value? in
               if t.constructionEpoch != hot.pointee.typeEpoch { planConstruction(t) }
               guard t.constructionPlain, let f = t.constructionInitRef,
                     !f._withUnsafeGuaranteedRef({ $0.codeRef._withUnsafeGuaranteedRef { $0.isResumable } }) else { return nil }
               initializing = plainInstance(of: t, positional: UnsafeBufferPointer(start: argStart, count: nargs))
               return .object(Unmanaged<Obj>.fromOpaque(f.toOpaque()))
           }) {
            selfSlot.pointee = initializing
            argStart = selfSlot
            nargs += 1
            callee = initFn
        }
        // A generator or coroutine function whose arguments need binding: bound into the new
        // frame's slots from where they are.
        if case .object(let fu) = callee, fu._withUnsafeGuaranteedRef({ $0.kind == .function }),
           fu._withUnsafeGuaranteedRef({ unsafeDowncast($0, to: FunctionObj.self).codeRef._withUnsafeGuaranteedRef { $0.isResumable } }) {
            Runtime.saveState(fp, ip, sp, fiber)
            let origin = (code: fp.pointee.code, pc: ip &- 1)
            // (The function is on the stack: used without reference counting.)
            let made = try fu._withUnsafeGuaranteedRef { o -> Value in
                let fn = unsafeDowncast(o, to: FunctionObj.self)
                return try makeGenerator(fn, positional: UnsafeBufferPointer(start: argStart, count: nargs),
                                         names: keywordNames, values: argStart + nargs, origin: origin)
            }
            calleeSlot.pointee = made
            return .returned(top: Runtime.slotIndex(calleeSlot, in: fiber.stack) + 1)
        }
        if case .object(let fu) = callee, fu._withUnsafeGuaranteedRef({ $0.kind == .function }),
           fu._withUnsafeGuaranteedRef({ unsafeDowncast($0, to: FunctionObj.self).codeRef._withUnsafeGuaranteedRef { !$0.isResumable } }) {
            // (References without reference counting: the function is on the stack, or held by
            // the class on the stack whose `__init__` it is.)
            return try fu._withUnsafeGuaranteedRef { o -> GeneralCall in
                let fn = unsafeDowncast(o, to: FunctionObj.self)
                return try fn.codeRef._withUnsafeGuaranteedRef { callee -> GeneralCall in
                    let base = Runtime.slotIndex(argStart, in: fiber.stack)
                    // Offsets, not pointers: growing the stack below moves it.
                    let calleeIndex = Runtime.slotIndex(calleeSlot, in: fiber.stack)
                    if hot.pointee.depth >= hot.pointee.recursionLimit {
                        throw error(exc.recursionError, "maximum recursion depth exceeded")
                    }
                    Runtime.saveState(fp, ip, sp, fiber)
                    if fiber.reserve(base + callee.frameSize + 1) {
                        fp = fiber.frames + (fiber.frameCount - 1)
                        if namesOffset >= 0 { keywordNames = UnsafeBufferPointer(start: fiber.stack + namesOffset, count: keywordCount) }
                    }
                    let slots = fiber.stack + base
                    // The arguments are on the stack where the callee's locals start: they are
                    // bound where they are.
                    if keywordCount == 0 && callee.isSimple && nargs <= callee.argCount
                        && (nargs == callee.argCount || fn.bindDefaults(after: nargs, of: callee.argCount, into: slots)) {
                        var i = max(nargs, callee.argCount)
                        while i < callee.localCount { slots[i] = .null; i &+= 1 }
                    } else if try bindPlainly(fn, callee, slots, positional: UnsafeBufferPointer(start: slots, count: nargs),
                                              names: keywordNames, values: slots + nargs) {
                        // (Bound where the arguments were.)
                    } else {
                        // The general binder, which raises what CPython raises. The arguments,
                        // keyword values and (for `**`) keyword names sit where the callee's
                        // locals start: they are read into a list first, then the locals cleared.
                        let keywords = try keywordList(keywordNames, slots + nargs)
                        try withUnsafeTemporaryAllocation(of: Value.self, capacity: max(nargs, 1)) { buffer in
                            guard let args = buffer.baseAddress else { return }
                            for i in 0..<nargs { (args + i).initialize(to: slots[i]) }
                            for i in 0..<callee.localCount { slots[i] = .null }
                            try bindArguments(fn, positional: UnsafeBufferPointer(start: args, count: nargs), keywords: keywords, into: slots)
                        }
                    }
                    fp.pointee.ip = ip
                    fp.pointee.sp = calleeIndex
                    depth += 1
                    _ = fiber.push(Frame(code: Unmanaged.passUnretained(callee), function: Value(fn),
                                         ip: 0, base: base, sp: base + callee.localCount,
                                         returnSlot: calleeIndex, namespace: initializing,
                                         exit: initializing.isNull ? .toCaller : .initialized))
                    return .pushedFrame
                }
            }
        } else {
            Runtime.saveState(fp, ip, sp, fiber)
            if !keywordNames.isEmpty {
                keywords = try keywordList(keywordNames, argStart + nargs)
            }
            // Keyword values are above the stack's top now: root them while the callee runs (it
            // may run script code and collect).
            for k in keywords { tempRoots.append(k.value) }
            defer { tempRoots.removeLast(keywords.count) }
            let result: Value
            if selfSlot.isNullValue, let owner = nativeConstructorOwner(callee) {
                // A builtin class (or a script subclass of one): its constructor takes the class
                // and the arguments where they are, the class in the free slot before them.
                result = try constructInPlace(owner, callee, selfSlot, nargs, keywords: keywords)
            } else if let nf = callee.asObject(.native, NativeFunctionObj.self) {
                if nf.fastPath == .listAppend, nargs == 2, keywords.isEmpty, Runtime.appendToList(argStart.pointee, (argStart + 1).pointee) {
                    result = .none
                } else {
                    result = try nf.fn(self, Args(positional: UnsafeBufferPointer(start: argStart, count: nargs), keywords: keywords))
                }
            } else {
                result = try call(callee, Array(UnsafeBufferPointer(start: argStart, count: nargs)), keywords: keywords)
            }
            // A nested run may have moved nothing on this fiber, but go by offsets anyway.
            let top = Runtime.slotIndex(calleeSlot, in: fiber.stack)
            fiber.stack[top] = result
            return .returned(top: top + 1)
        }
    }
}
