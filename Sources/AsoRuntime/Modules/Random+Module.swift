// The `random` module: its functions are the bound methods of one hidden `Random` instance, as in
// CPython (`random.randint is random._inst.randint`), so they share one generator.
//
// One idea: each function is written after the matching method of CPython 3.11's `Lib/random.py`
// (or `_randommodule.c`), drawing from the generator in the same order, and binds its arguments
// the way a Python method would, so errors read `Random.randint() missing 1 required positional
// argument: 'b'`.

import BigInt

/// A method body of `random.Random`: the generator it draws from and the call's arguments (without self).
typealias RandomMethod = (Runtime, MersenneTwister, Args) throws -> Value

/// Where the methods of `Random` are defined: the module's functions (bound to its hidden
/// generator) or the `Random` type (drawing from the instance's own generator).
struct RandomMethodTable {
    var add: (String, @escaping RandomMethod) -> Void

    /// A method written in Python in CPython: binds its arguments as a Python method would.
    func python(_ name: String, _ params: [String], required: Int, keywordOnly: [String] = [],
                _ body: @escaping (Runtime, MersenneTwister, [Value]) throws -> Value) {
        add(name) { rt, gen, args in
            try body(rt, gen, try rt.bindMethodArguments(args, "Random.\(name)", params, required: required, keywordOnly: keywordOnly))
        }
    }
}

/// An instance of `random.Random`: its own generator.
final class RandomObj: Obj {
    let gen = MersenneTwister()
    init(type: __shared TypeObject) { super.init(kind: .other, type: type) }
}

extension Runtime {
    func makeRandomModule() -> ModuleObj {
        let m = newModule("random", file: nil)
        let gen = MersenneTwister()
        if let seed = options.randomSeed { gen.seed(int: BigInt(seed)) }
        installRandomMethods(RandomMethodTable { name, body in
            m.set(name, self.native(name) { rt, args in try body(rt, gen, args) })
        })
        m.set("Random", Value(makeRandomType()))
        return m
    }

    /// The class `random.Random`: every module function as a method, each instance its own generator.
    private func makeRandomType() -> TypeObject {
        let t = heap.register(TypeObject(name: "Random", base: types.object, isException: false, metatype: types.type))
        t.moduleName = "random"
        installRandomMethods(RandomMethodTable { name, body in
            t.dict[name] = self.native(name, owner: "Random") { rt, args in
                guard args.count >= 1, let r = args[0].object as? RandomObj else {
                    let what = args.count >= 1 ? rt.typeName(args[0]) : "NoneType"
                    throw rt.typeError("descriptor '\(name)' for '_random.Random' objects doesn't apply to a '\(what)' object")
                }
                return try body(rt, r.gen, Args(positional: UnsafeBufferPointer(rebasing: args.positional[1...]), keywords: args.keywords))
            }
        })
        t.construct = { rt, args in
            // The requested class comes first (not captured: the type must not own itself).
            guard args.count > 0, let type = args[0].asType else { throw rt.typeError("cannot create 'Random' instances") }
            let r = rt.heap.register(RandomObj(type: type))
            let rest = Args(positional: UnsafeBufferPointer(rebasing: args.positional[min(1, args.count)...]), keywords: args.keywords)
            let a = try rt.bindMethodArguments(rest, "Random.__init__", ["x"], required: 0)
            if !a[0].isNull { try rt.seedRandom(r.gen, a[0], version: .int(2)) }
            return Value(r)
        }
        return t
    }

    /// Defines every method of `Random` in `table`.
    func installRandomMethods(_ table: RandomMethodTable) {
        table.add("random") { rt, gen, args in
            try rt.noKeywords(args, "Random.random")
            if args.count != 0 { throw rt.typeError("Random.random() takes no arguments (\(args.count) given)") }
            return .float(gen.random())
        }
        table.add("getrandbits") { rt, gen, args in
            let k = try rt.bitCount(try rt.exactlyOne(args, "Random.getrandbits"))
            return rt.makeInt(try rt.randomBits(gen, k))
        }
        table.python("seed", ["a", "version"], required: 0) { rt, gen, a in
            try rt.seedRandom(gen, a[0].isNull ? .none : a[0], version: a[1].isNull ? .int(2) : a[1])
            return .none
        }
        table.python("randbytes", ["n"], required: 1) { rt, gen, a in
            let n = a[0]
            guard rt.isIntegral(n) else { throw rt.typeError("'\(rt.typeName(n))' object cannot be interpreted as an integer") }
            let bits = try rt.bitCount(try rt.binaryOp(.multiply, n, .int(8)))
            let count = bits / 8
            try rt.checkAllocation(count, elementSize: 1)
            var out: [UInt8] = []
            out.reserveCapacity(count)
            var left = bits
            while left > 0 {
                var w = gen.next32()
                if left < 32 { w >>= UInt32(32 - left) }
                for i in 0..<min(4, left / 8) { out.append(UInt8(truncatingIfNeeded: w >> UInt32(8 * i))) }
                left -= 32
            }
            return rt.newBytes(out)
        }
        table.python("randrange", ["start", "stop", "step"], required: 1) { rt, gen, a in
            try rt.randomRange(gen, a[0], a[1].isNull ? .none : a[1], a[2])
        }
        table.python("randint", ["a", "b"], required: 2) { rt, gen, a in
            try rt.randomRange(gen, a[0], try rt.binaryOp(.add, a[1], .int(1)), .null)
        }
        table.python("getstate", [], required: 0) { rt, gen, _ in
            let inner = rt.newTuple(gen.stateWords.map { .int($0) })
            return rt.newTuple([.int(3), inner, gen.gaussNext.map { .float($0) } ?? .none])
        }
        table.python("setstate", ["state"], required: 1) { rt, gen, a in
            try rt.setRandomState(gen, a[0])
            return .none
        }
        installRandomSequenceFunctions(table)
        installRandomDistributions(table)
    }

    /// Binds the arguments of a method written in Python (self not counted by the caller, but
    /// counted in messages as Python does): one slot per parameter, `.null` when not given.
    func bindMethodArguments(_ args: Args, _ name: String, _ params: [String], required: Int,
                             keywordOnly: [String] = []) throws -> [Value] {
        if args.count > params.count {
            let given = args.count + 1
            if required == params.count {
                throw typeError("\(name)() takes \(params.count + 1) positional arguments but \(given) were given")
            }
            throw typeError("\(name)() takes from \(required + 1) to \(params.count + 1) positional arguments but \(given) were given")
        }
        let all = params + keywordOnly
        var slots = [Value](filledWith: .null, count: all.count)
        for i in 0..<args.count { slots[i] = args[i] }
        for kw in args.keywords {
            guard let i = all.firstIndex(of: kw.name) else {
                throw typeError("\(name)() got an unexpected keyword argument '\(kw.name)'")
            }
            if !slots[i].isNull { throw typeError("\(name)() got multiple values for argument '\(kw.name)'") }
            slots[i] = kw.value
        }
        let missing = (0..<required).filter { slots[$0].isNull }.map { "'\(params[$0])'" }
        if !missing.isEmpty {
            let list: String
            switch missing.count {
            case 1: list = missing[0]
            case 2: list = "\(missing[0]) and \(missing[1])"
            default: list = missing.dropLast().joined(separator: ", ") + ", and " + (missing.last ?? "")
            }
            let noun = missing.count == 1 ? "argument" : "arguments"
            throw typeError("\(name)() missing \(missing.count) required positional \(noun): \(list)")
        }
        return slots
    }

    /// A bit count as a C `int` (getrandbits' argument).
    func bitCount(_ v: Value) throws -> Int {
        guard let b = bigValue(v) else { throw typeError("'\(typeName(v))' object cannot be interpreted as an integer") }
        guard let k = Int32(exactly: b) else { throw overflowError("Python int too large to convert to C int") }
        if k < 0 { throw valueError("number of bits must be non-negative") }
        return Int(k)
    }

    func randomBits(_ gen: MersenneTwister, _ k: Int) throws -> BigInt {
        try checkAllocation(k / 8, elementSize: 1)
        return gen.bits(k)
    }

    /// `Random.seed(a=None, version=2)`.
    func seedRandom(_ gen: MersenneTwister, _ a: Value, version: Value) throws {
        let v1 = (try? equals(version, .int(1))) ?? false
        let v2 = (try? equals(version, .int(2))) ?? false
        var text: [UInt8]?
        if let s = a.asStr { text = Array(s.value.utf8) } else if let b = a.asBytes { text = b.bytes }
        if v1, a.asStr != nil || a.asBytes != nil {
            let codes: [UInt64] = a.asStr.map { $0.value.unicodeScalars.map { UInt64($0.value) } } ?? (text ?? []).map { UInt64($0) }
            var x: UInt64 = (codes.first ?? 0) << 7
            for c in codes { x = (1000003 &* x) ^ c }
            x ^= UInt64(codes.count)
            gen.seed(int: BigInt(x))
            return
        }
        if v2, let bytes = text {
            gen.seed(key: Self.bigEndianWords(bytes + SHA512.digest(bytes)))
            return
        }
        switch a {
        case .none: gen.seedFromEntropy()
        case .int, .bool: gen.seed(int: bigValue(a) ?? 0)
        case .float(let d): gen.seed(int: BigInt(UInt64(bitPattern: Int64(hashFloat(d)))))
        default:
            if let b = bigValue(a) { gen.seed(int: b); return }
            guard text != nil else {
                throw typeError("The only supported seed types are: None,\nint, float, str, bytes, and bytearray.")
            }
            gen.seed(int: BigInt(UInt64(bitPattern: Int64(try hash(a)))))
        }
    }

    /// The 32-bit words, least significant first, of the unsigned big-endian number `bytes`.
    static func bigEndianWords(_ bytes: [UInt8]) -> [UInt32] {
        var words: [UInt32] = []
        var end = bytes.count
        while end > 0 {
            var w: UInt32 = 0
            for i in max(0, end - 4)..<end { w = w << 8 | UInt32(bytes[i]) }
            words.append(w)
            end -= 4
        }
        while words.count > 1, words.last == 0 { words.removeLast() }
        return words
    }

    /// `Random.setstate(state)`.
    func setRandomState(_ gen: MersenneTwister, _ state: Value) throws {
        let outer = try getItem(state, .int(0))
        let isVersion2 = (try? equals(outer, .int(2))) == true
        guard isVersion2 || (try? equals(outer, .int(3))) == true else {
            throw valueError("state with version \(try str(outer)) passed to Random.setstate() of version 3")
        }
        let parts = try unpack(state, count: 3)
        switch parts[2] {
        case .none: gen.gaussNext = nil
        default: gen.gaussNext = try floatValue(parts[2])
        }
        guard let inner = parts[1].asTuple else { throw typeError("state vector must be a tuple") }
        if inner.items.count != MersenneTwister.n + 1 { throw valueError("state vector is the wrong size") }
        var words: [UInt32] = []
        for x in inner.items.dropLast() {
            guard var b = bigValue(x) else { throw typeError("an integer is required") }
            // Version 2 saved the words as signed ints.
            if isVersion2 { b = ((b % (1 << 32)) + (1 << 32)) % (1 << 32) }
            if b.signum() < 0 { throw overflowError("can't convert negative value to unsigned int") }
            guard let u = UInt64(exactly: b) else { throw overflowError("Python int too large to convert to C unsigned long") }
            words.append(UInt32(truncatingIfNeeded: u))
        }
        let last = inner.items[MersenneTwister.n]
        guard let pos = bigValue(last) else { throw typeError("'\(typeName(last))' object cannot be interpreted as an integer") }
        guard let p = Int(exactly: pos), gen.restore(words: words, position: p) else { throw valueError("invalid state") }
    }

    /// An argument of randrange as an int: `_index(x)`, else `int(x)` when that is equal to x.
    private func rangeArgument(_ v: Value, _ what: String) throws -> BigInt {
        if let b = bigValue(v) { return b }
        guard let intType = builtins.get("int") else { throw typeError("'\(typeName(v))' object cannot be interpreted as an integer") }
        let i = try call(intType, one: v)
        guard try equals(i, v), let b = bigValue(i) else { throw valueError("non-integer \(what) for randrange()") }
        return b
    }

    /// `Random.randrange(start, stop=None, step=1)`; `step` is `.null` when not given.
    func randomRange(_ gen: MersenneTwister, _ start: Value, _ stop: Value, _ step: Value) throws -> Value {
        let istart = try rangeArgument(start, "arg 1")
        if stop.isNone {
            // `step is not _ONE`: an explicit 1 is the same cached object.
            var stepGiven = !step.isNull
            if case .int(1) = step { stepGiven = false }
            if stepGiven { throw typeError("Missing a non-None stop argument") }
            if istart.signum() > 0 { return makeInt(gen.below(istart)) }
            throw valueError("empty range for randrange()")
        }
        let istop = try rangeArgument(stop, "stop")
        let width = istop - istart
        let istep = step.isNull ? BigInt(1) : try rangeArgument(step, "step")
        if istep == 1 {
            if width.signum() > 0 { return makeInt(istart + gen.below(width)) }
            throw valueError("empty range for randrange() (\(istart), \(istop), \(width))")
        }
        let n: BigInt
        if istep.signum() > 0 {
            n = floorDivide(width + istep - 1, istep)
        } else if istep.signum() < 0 {
            n = floorDivide(width + istep + 1, istep)
        } else {
            throw valueError("zero step for randrange()")
        }
        if n.signum() <= 0 { throw valueError("empty range for randrange()") }
        return makeInt(istart + istep * gen.below(n))
    }

    private func floorDivide(_ a: BigInt, _ b: BigInt) -> BigInt {
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        return !r.isZero && (r.signum() < 0) != (b.signum() < 0) ? q - 1 : q
    }
}
