// Calls: binding arguments to parameters with CPython's errors, entering script functions from
// native code, and the module entry point.

import AsoBytecode

enum RunOutcome {
    case returned(Value)
    case raised(ExceptionObj)
    /// A generator's frame yielded this value; its fiber is suspended at the next instruction.
    case yielded(Value)
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
        let code = fn.code.code
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
                slots[varArgsSlot] = newTuple(Array(positional[n...]))
            } else {
                var kwOnlyGiven = 0
                for kw in keywords {
                    if let ix = names[n..<(n + code.keywordOnlyCount)].firstIndex(of: kw.name), ix >= n { kwOnlyGiven += 1 }
                }
                throw tooManyPositional(fn, given: given, kwOnlyGiven: kwOnlyGiven)
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
        var posOnlyAsKeyword: [String] = []
        for kw in keywords {
            var found = -1
            for i in code.positionalOnlyCount..<(n + code.keywordOnlyCount) where names[i] == kw.name { found = i; break }
            if found < 0 {
                if let d = kwDict {
                    try d.set(intern(kw.name), kw.value, self)
                    continue
                }
                if names[0..<code.positionalOnlyCount].contains(kw.name) {
                    posOnlyAsKeyword.append(kw.name)
                    continue
                }
                throw typeError("\(fn.qualifiedName)() got an unexpected keyword argument '\(kw.name)'")
            }
            if !slots[found].isNull {
                throw typeError("\(fn.qualifiedName)() got multiple values for argument '\(kw.name)'")
            }
            slots[found] = kw.value
        }
        if !posOnlyAsKeyword.isEmpty {
            let list = posOnlyAsKeyword.map { "'\($0)'" }.joined(separator: ", ")
            throw typeError("\(fn.qualifiedName)() got some positional-only arguments passed as keyword arguments: \(list)")
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
                if let d = fn.kwDefaults.first(where: { $0.0 == names[i] }) { slots[i] = d.1 } else { missing.append(names[i]) }
            }
            if !missing.isEmpty { throw missingArguments(fn, missing, kind: "keyword-only") }
        }
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
        switch callable {
        case .object(let u):
            let o = u.takeUnretainedValue()
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
                let t = unsafeDowncast(o, to: TypeObject.self)
                return try construct(t, args, keywords: keywords)
            case .instance:
                if let f = userMethod(callable, "__call__") { return try callFunction(f, [callable] + args, keywords: keywords) }
            default: break
            }
        default: break
        }
        throw typeError("'\(typeName(callable))' object is not callable")
    }

    /// Instantiates a type: `int("3")`, `ValueError("x")`, ...
    func construct(_ t: TypeObject, _ args: [Value], keywords: [(name: String, value: Value)]) throws -> Value {
        // Classes from script code (they have a module and no native constructor of their own).
        if t.moduleName != nil && t.construct == nil {
            return try constructUserClass(t, args, keywords: keywords)
        }
        var c: TypeObject? = t
        while let ty = c {
            if let make = ty.construct {
                // The constructor receives the requested type first, so subclasses get their own class.
                let all = [Value(t)] + args
                return try all.withUnsafeBufferPointer { try make(self, Args(positional: $0, keywords: keywords)) }
            }
            c = ty.base
        }
        throw typeError("cannot create '\(t.name)' instances")
    }

    /// Runs a script function to completion on a nested fiber.
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
            if code.isSimple && keywords.isEmpty && buf.count == code.code.argCount {
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
        case .yielded: throw runtimeError("yield outside a generator")
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
