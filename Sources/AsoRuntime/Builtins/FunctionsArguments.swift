// Argument checking for builtin functions and constructors, with CPython's exact wording.
//
// One idea: CPython's builtins use a handful of argument-checking styles, each with its own
// message ("len() takes exactly one argument (2 given)", "divmod expected 2 arguments, got 1",
// "'foo' is an invalid keyword argument for print()", ...). Each style is one helper here, so a
// builtin states its signature in one line and reports errors exactly as CPython does.

import BigInt

extension Runtime {
    /// `name() takes no keyword arguments` when any keyword was given.
    func noKeywords(_ args: Args, _ name: String) throws {
        if !args.keywords.isEmpty { throw typeError("\(name)() takes no keyword arguments") }
    }

    /// The single argument of a METH_O builtin (`len`, `abs`, `repr`, ...).
    func exactlyOne(_ args: Args, _ name: String) throws -> Value {
        try noKeywords(args, name)
        if args.count != 1 { throw typeError("\(name)() takes exactly one argument (\(args.count) given)") }
        return args[0]
    }

    /// The positional-count check of CPython's `_PyArg_CheckPositional`:
    /// "name expected 2 arguments, got 1", "name expected at least 1 argument, got 0", ...
    func checkCount(_ count: Int, _ name: String, min: Int, max: Int) throws {
        func plural(_ n: Int) -> String { n == 1 ? "argument" : "arguments" }
        if count < min {
            if min == max { throw typeError("\(name) expected \(min) \(plural(min)), got \(count)") }
            throw typeError("\(name) expected at least \(min) \(plural(min)), got \(count)")
        }
        if count > max {
            if min == max { throw typeError("\(name) expected \(max) \(plural(max)), got \(count)") }
            throw typeError("\(name) expected at most \(max) \(plural(max)), got \(count)")
        }
    }

    /// Rejects keywords outside `allowed`: "'foo' is an invalid keyword argument for name()".
    func checkKeywords(_ args: Args, _ allowed: [String], _ name: String) throws {
        for kw in args.keywords where !allowed.contains(kw.name) {
            throw typeError("'\(kw.name)' is an invalid keyword argument for \(name)()")
        }
    }

    /// Binds arguments of a builtin with named parameters (positional-or-keyword), as CPython's
    /// argument clinic reports: "name() takes at most 2 arguments (3 given)",
    /// "name() missing required argument 'x' (pos 1)", "argument for name() given by name ('x')
    /// and position (1)". Returns one slot per parameter, `.null` when not given.
    func bindParameters(_ positional: [Value], _ keywords: [(name: String, value: Value)], _ name: String,
                        _ params: [String], required: Int, positionalOnly: Int = 0) throws -> [Value] {
        let total = positional.count + keywords.count
        if total > params.count {
            throw typeError("\(name)() takes at most \(params.count) argument\(params.count == 1 ? "" : "s") (\(total) given)")
        }
        var slots = [Value](filledWith: .null, count: params.count)
        for (i, v) in positional.enumerated() { slots[i] = v }
        for kw in keywords {
            guard let i = params.firstIndex(of: kw.name), i >= positionalOnly else {
                throw typeError("'\(kw.name)' is an invalid keyword argument for \(name)()")
            }
            if !slots[i].isNull {
                throw typeError("argument for \(name)() given by name ('\(kw.name)') and position (\(i + 1))")
            }
            slots[i] = kw.value
        }
        for i in 0..<required where slots[i].isNull {
            throw typeError("\(name)() missing required argument '\(params[i])' (pos \(i + 1))")
        }
        return slots
    }

    /// An int operand where CPython calls `__index__`: "'float' object cannot be interpreted as an
    /// integer" otherwise.
    func integerOperand(_ v: Value) throws -> BigInt {
        if let b = bigValue(v) { return b }
        if let r = try indexFromDunder(v), let b = bigValue(r) { return b }
        throw typeError("'\(typeName(v))' object cannot be interpreted as an integer")
    }

    /// An int operand that must fit a machine word (`Py_ssize_t`).
    func machineIntOperand(_ v: Value) throws -> Int {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default:
            if bigValue(v) != nil { throw overflowError("Python int too large to convert to C ssize_t") }
            if let r = try indexFromDunder(v) { return try machineIntOperand(r) }
            throw typeError("'\(typeName(v))' object cannot be interpreted as an integer")
        }
    }

    /// A Python int from a conversion helper's result.
    func intValue(_ e: ExactInteger) -> Value {
        switch e {
        case .small(let i): return .int(i)
        case .big(let b): return makeInt(b)
        }
    }

    /// Runs a formatting/conversion helper, turning its error into the Python exception.
    func converting<T>(_ body: () throws(FormatError) -> T) throws -> T {
        do { return try body() } catch { throw scriptError(error) }
    }

    /// A script-visible exception of a builtin class found by name (for classes `ExceptionTypes`
    /// does not expose as a property).
    func namedError(_ name: String, _ message: String) -> ScriptError {
        error(exc.byName[name] ?? exc.valueError, message)
    }

    /// All values of an iterable, raising MemoryError instead of growing without bound. The values
    /// gathered so far stay rooted while the iterator runs script code.
    func collectValues(_ v: Value) throws -> [Value] {
        // CPython asks a subclass of a builtin container for its length first.
        return try iterateToArray(v, lengthHint: isNativeSubclassValue(v))
    }

    /// The method `name` of a script-defined instance's class, or nil (for the builtins that
    /// defer to `__len__`, `__abs__`, `__round__`, `__reversed__`, ...).
    func instanceMethod(_ v: Value, _ name: String) -> Value? {
        guard case .object(let u) = v, u.takeUnretainedValue().kind == .instance else { return nil }
        return typeOf(v).lookup(name)
    }

    /// What `__len__` returned, checked as CPython checks it.
    func lengthFromDunder(_ r: Value) throws -> Int {
        guard isIntegral(r) else {
            throw typeError("'\(typeName(r))' object cannot be interpreted as an integer")
        }
        guard case .int(let n) = r.asPlainInt else {
            throw overflowError("cannot fit 'int' into an index-sized integer")
        }
        if n < 0 { throw valueError("__len__() should return >= 0") }
        return n
    }
}
