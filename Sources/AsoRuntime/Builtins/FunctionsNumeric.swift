// The numeric builtins: abs, round, divmod, pow, chr, ord, hex, oct, bin.
//
// One idea: arithmetic itself belongs to the runtime (`binaryOp`) and rounding and int-to-text to
// the formatting library (`roundDouble`, `roundInt`, `intToString`); these builtins dispatch on the
// operand types and raise CPython's own messages for the cases the operators do not cover
// (`divmod()` of floats by zero, three-argument `pow`, `round` of a str, ...).

import BigInt

extension Runtime {
    func installNumericFunctions() {
        builtins.set("abs", native("abs") { rt, args in try rt.absolute(try rt.exactlyOne(args, "abs")) })
        builtins.set("round", native("round") { rt, args in
            let p = try rt.bindParameters(Array(args.positional), args.keywords, "round", ["number", "ndigits"], required: 1)
            return try rt.roundValue(p[0], ndigits: p[1].isNull ? .none : p[1])
        })
        builtins.set("divmod", native("divmod") { rt, args in
            try rt.noKeywords(args, "divmod")
            try rt.checkCount(args.count, "divmod", min: 2, max: 2)
            return try rt.divmod(args[0], args[1])
        })
        builtins.set("pow", native("pow") { rt, args in
            let p = try rt.bindParameters(Array(args.positional), args.keywords, "pow", ["base", "exp", "mod"], required: 2)
            if p[2].isNull || p[2].isNone { return try rt.binaryOp(.power, p[0], p[1]) }
            return try rt.modularPower(p[0], p[1], p[2])
        })
        builtins.set("chr", native("chr") { rt, args in
            let v = rt.plainNumber(try rt.exactlyOne(args, "chr"))
            let code: Int
            switch v {
            case .int(let i):
                guard i >= Int(Int32.min) && i <= Int(Int32.max) else {
                    throw rt.overflowError("Python int too large to convert to C int")
                }
                code = i
            case .bool(let b): code = b ? 1 : 0
            default:
                if rt.bigValue(v) != nil { throw rt.overflowError("Python int too large to convert to C int") }
                throw rt.typeError("'\(rt.typeName(v))' object cannot be interpreted as an integer")
            }
            guard code >= 0 && code < 0x110000 else { throw rt.valueError("chr() arg not in range(0x110000)") }
            // Lone surrogates cannot live in a Swift string; they read as U+FFFD.
            let scalar = Unicode.Scalar(UInt32(code)) ?? "\u{FFFD}"
            return rt.intern(String(Character(scalar)))
        })
        builtins.set("ord", native("ord") { rt, args in
            let v = try rt.exactlyOne(args, "ord")
            if let s = v.asStr {
                guard s.count == 1, let c = s.value.unicodeScalars.first else {
                    throw rt.typeError("ord() expected a character, but string of length \(s.count) found")
                }
                return .int(Int(c.value))
            }
            if let b = v.asBytes {
                guard b.bytes.count == 1 else {
                    throw rt.typeError("ord() expected a character, but string of length \(b.bytes.count) found")
                }
                return .int(Int(b.bytes[0]))
            }
            throw rt.typeError("ord() expected string of length 1, but \(rt.typeName(v)) found")
        })
        for (name, radix) in [("hex", 16), ("oct", 8), ("bin", 2)] {
            builtins.set(name, native(name) { rt, args in
                let v = try rt.exactlyOne(args, name)
                if case .int(let i) = v.asPlainInt { return rt.newStr(intToString(i, radix: radix, prefix: true)) }
                let b = try rt.integerOperand(v)
                return rt.newStr(try rt.converting { () throws(FormatError) in try intToString(b, radix: radix, prefix: true) })
            })
        }
    }

    /// `abs(v)`.
    func absolute(_ v: Value) throws -> Value {
        switch v {
        case .int(let i): return i == Int.min ? makeInt(-BigInt(i)) : .int(Swift.abs(i))
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d): return .float(Swift.abs(d))
        default:
            if let b = bigValue(v) { return makeInt(BigInt(b.magnitude)) }
            if let m = instanceMethod(v, "__abs__") { return try call(m, one: v) }
            if let f = userMethod(v, "__abs__") { return try callFunction(f, [v], keywords: []) }
            throw typeError("bad operand type for abs(): '\(typeName(v))'")
        }
    }

    /// `round(number, ndigits)`; `ndigits` is `.none` when absent. Floats round half-even on
    /// their exact binary value through the formatting library (`roundDouble`).
    func roundValue(_ number: Value, ndigits: Value) throws -> Value {
        switch number {
        case .float(let d):
            if ndigits.isNone { return intValue(try converting { () throws(FormatError) in try roundToInt(d) }) }
            let n = try roundDigits(ndigits)
            return .float(try converting { () throws(FormatError) in try roundDouble(d, ndigits: n) })
        default:
            guard let b = bigValue(number) else {
                if let m = instanceMethod(number, "__round__") {
                    return try call(m, ndigits.isNone ? [number] : [number, ndigits])
                }
                if let c = numberCore(number) { return try roundValue(c, ndigits: ndigits) }
                throw typeError("type \(typeName(number)) doesn't define __round__ method")
            }
            if ndigits.isNone { return makeInt(b) }
            let n = try roundDigits(ndigits)
            if n >= 0 { return makeInt(b) }
            // 10**places is never built for places beyond the number's own digit count.
            return makeInt(roundInt(b, ndigits: n))
        }
    }

    /// ndigits as a machine int; huge values clamp (they round to the number itself or to zero).
    private func roundDigits(_ v: Value) throws -> Int {
        let b = try integerOperand(v)
        if let i = Int(exactly: b) { return i }
        return b.signum() < 0 ? Int.min + 1 : Int.max
    }

    /// `divmod(a, b)`.
    func divmod(_ a: Value, _ b: Value) throws -> Value {
        if isIntegral(a) && isIntegral(b) {
            let q = try binaryOp(.floorDivide, a, b)
            let r = try binaryOp(.remainder, a, b)
            return newTuple(q, r)
        }
        let isNumber = { (v: Value) -> Bool in if case .float = v { return true }; return self.isIntegral(v) }
        guard isNumber(a), isNumber(b), let x = try floatValue(a), let y = try floatValue(b) else {
            // A class of the program: __divmod__, then the other operand's __rdivmod__.
            if let r = try callUserMethod(a, "__divmod__", [b]), !r.isIdentical(to: notImplemented) { return r }
            if let r = try callUserMethod(b, "__rdivmod__", [a]), !r.isIdentical(to: notImplemented) { return r }
            if numberCore(a) != nil || numberCore(b) != nil { return try divmod(plainNumber(a), plainNumber(b)) }
            throw typeError("unsupported operand type(s) for divmod(): '\(typeName(a))' and '\(typeName(b))'")
        }
        do {
            let (q, r) = try floatDivmod(x, y)
            return newTuple(.float(q), .float(r))
        } catch { throw scriptError(error) }
    }

    /// Three-argument `pow`: modular exponentiation; a negative exponent takes the modular inverse.
    func modularPower(_ base: Value, _ exp: Value, _ mod: Value) throws -> Value {
        guard let b = bigValue(base), let e = bigValue(exp), let m = bigValue(mod) else {
            let numeric = [base, exp, mod].allSatisfy { v in
                if case .float = v { return true }
                return isIntegral(v)
            }
            if numeric { throw typeError("pow() 3rd argument not allowed unless all arguments are integers") }
            throw typeError("unsupported operand type(s) for ** or pow(): '\(typeName(base))', '\(typeName(exp))', '\(typeName(mod))'")
        }
        if m.isZero { throw valueError("pow() 3rd argument cannot be 0") }
        let modulus = m.magnitude
        // Everything is 0 modulo 1 (BigUInt's inverse would trap on it).
        if modulus == 1 { return .int(0) }
        var baseMod = BigUInt((b % BigInt(modulus) + BigInt(modulus)) % BigInt(modulus))
        if e.signum() < 0 {
            guard let inverse = baseMod.inverse(modulus) else {
                throw valueError("base is not invertible for the given modulus")
            }
            baseMod = inverse
        }
        var r = baseMod.power(e.magnitude, modulus: modulus) % modulus
        // The result takes the modulus's sign, as `%` does.
        if m.signum() < 0 && !r.isZero { r = modulus - r; return makeInt(-BigInt(r)) }
        return makeInt(BigInt(r))
    }
}
