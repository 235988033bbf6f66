// The `math` module.
//
// One idea: every function converts its arguments the way CPython does (`must be real number,
// not str`; big ints to float with OverflowError) and checks the C library's result the way
// CPython's `math_1` does: a NaN from a non-NaN input is "math domain error", an infinity from
// a finite input is "math range error". Integer functions (gcd, factorial, isqrt, comb, ...)
// work on big ints, and `log` of a huge int scales it first so it never overflows.

import BigInt

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Runtime {
    /// A float argument of a math function.
    func realArgument(_ v: Value) throws -> Double {
        if let d = try floatValue(v) { return d }
        if let c = numberCore(v) { return try realArgument(c) }
        throw typeError("must be real number, not \(typeName(v))")
    }

    /// An int argument (`'float' object cannot be interpreted as an integer`).
    func bigIntArgument(_ v: Value) throws -> BigInt {
        if let b = bigValue(v) { return b }
        throw typeError("'\(typeName(v))' object cannot be interpreted as an integer")
    }

    func makeMathModule() -> ModuleObj {
        let m = newModule("math", file: nil)
        m.set("pi", .float(Double.pi))
        m.set("e", .float(M_E))
        m.set("tau", .float(2 * Double.pi))
        m.set("inf", .float(Double.infinity))
        m.set("nan", .float(Double.nan))
        func one(_ name: String, _ body: @escaping (Runtime, Value) throws -> Value) {
            m.set(name, native(name) { rt, args in
                if args.count != 1 || !args.keywords.isEmpty {
                    if !args.keywords.isEmpty { throw rt.typeError("math.\(name)() takes no keyword arguments") }
                    throw rt.typeError("math.\(name)() takes exactly one argument (\(args.count) given)")
                }
                return try body(rt, args[0])
            })
        }
        func real(_ name: String, _ f: @escaping (Double) -> Double) {
            one(name) { rt, v in .float(try rt.checkedMath(try rt.realArgument(v), f)) }
        }
        func two(_ name: String, _ body: @escaping (Runtime, Value, Value) throws -> Value) {
            m.set(name, native(name) { rt, args in
                if !args.keywords.isEmpty { throw rt.typeError("math.\(name)() takes no keyword arguments") }
                if args.count != 2 { throw rt.typeError("\(name) expected 2 arguments, got \(args.count)") }
                return try body(rt, args[0], args[1])
            })
        }
        real("sqrt", { $0.squareRoot() })
        real("exp", { exp($0) })
        real("exp2", { exp2($0) })
        real("expm1", { expm1($0) })
        real("sin", { sin($0) }); real("cos", { cos($0) }); real("tan", { tan($0) })
        real("asin", { asin($0) }); real("acos", { acos($0) }); real("atan", { atan($0) })
        real("sinh", { sinh($0) }); real("cosh", { cosh($0) }); real("tanh", { tanh($0) })
        real("asinh", { asinh($0) }); real("acosh", { acosh($0) }); real("atanh", { atanh($0) })
        real("fabs", { abs($0) })
        real("cbrt", { cbrt($0) })
        real("log1p", { log1p($0) })
        real("degrees", { $0 * 180 / Double.pi })
        real("radians", { $0 * Double.pi / 180 })
        real("erf", { erf($0) }); real("erfc", { erfc($0) })
        real("gamma", { tgamma($0) }); real("lgamma", { lgamma($0) })
        one("log2") { rt, v in .float(try rt.logOf(v, log2)) }
        one("log10") { rt, v in .float(try rt.logOf(v, log10)) }
        m.set("log", native("log") { rt, args in
            if args.count < 1 || args.count > 2 {
                throw rt.typeError("log expected \(args.count < 1 ? "at least 1 argument" : "at most 2 arguments"), got \(args.count)")
            }
            let x = try rt.logOf(args[0], log)
            if args.count == 1 { return .float(x) }
            let b = try rt.logOf(args[1], log)
            if b == 0 { throw rt.zeroDivision("float division by zero") }
            return .float(x / b)
        })
        for (name, up) in [("floor", false), ("ceil", true)] {
            one(name) { rt, v in
                if rt.isIntegral(v) { return v.asPlainInt }
                let d = try rt.realArgument(v)
                return try rt.floatToInt(up ? d.rounded(.up) : d.rounded(.down))
            }
        }
        one("trunc") { rt, v in
            if rt.isIntegral(v) { return v.asPlainInt }
            guard case .float(let d) = v else { throw rt.typeError("type \(rt.typeName(v)) doesn't define __trunc__ method") }
            return try rt.floatToInt(d.rounded(.towardZero))
        }
        one("isnan") { rt, v in .bool(try rt.realArgument(v).isNaN) }
        one("isinf") { rt, v in .bool(try rt.realArgument(v).isInfinite) }
        one("isfinite") { rt, v in .bool(try rt.realArgument(v).isFinite) }
        one("factorial") { rt, v in
            if case .float = v { throw rt.typeError("'float' object cannot be interpreted as an integer") }
            let n = try rt.bigIntArgument(v)
            if n.signum() < 0 { throw rt.valueError("factorial() not defined for negative values") }
            guard let k = Int(exactly: n), k <= 100_000 else { throw rt.overflowError("factorial() argument should not exceed \(Int.max)") }
            try rt.checkAllocation(k * 2, elementSize: 1)
            var r = BigInt(1)
            if k > 1 { for i in 2...k { r *= BigInt(i) } }
            return rt.makeInt(r)
        }
        one("isqrt") { rt, v in
            let n = try rt.bigIntArgument(v)
            if n.signum() < 0 { throw rt.valueError("isqrt() argument must be nonnegative") }
            return rt.makeInt(n.squareRoot())
        }
        for (name, isGcd) in [("gcd", true), ("lcm", false)] {
            m.set(name, native(name) { rt, args in
                var r = BigInt(isGcd ? 0 : 1)
                for i in 0..<args.count {
                    let x = try rt.bigIntArgument(args[i])
                    if isGcd { r = r.greatestCommonDivisor(with: x) } else {
                        if r.isZero || x.isZero { r = 0; continue }
                        r = BigInt((r * x).magnitude) / r.greatestCommonDivisor(with: x)
                    }
                }
                return rt.makeInt(r.signum() < 0 ? -r : r)
            })
        }
        m.set("comb", native("comb") { rt, args in try rt.combinatorics(args, comb: true) })
        m.set("perm", native("perm") { rt, args in try rt.combinatorics(args, comb: false) })
        two("atan2") { rt, y, x in .float(atan2(try rt.realArgument(y), try rt.realArgument(x))) }
        two("copysign") { rt, x, y in .float(copysign(try rt.realArgument(x), try rt.realArgument(y))) }
        two("fmod") { rt, x, y in
            let a = try rt.realArgument(x), b = try rt.realArgument(y)
            if b == 0 && !a.isNaN || a.isInfinite { throw rt.valueError("math domain error") }
            return .float(fmod(a, b))
        }
        two("pow") { rt, x, y in
            let a = try rt.realArgument(x), b = try rt.realArgument(y)
            if a == 0 && b < 0 { throw rt.valueError("math domain error") }
            if a < 0 && b.isFinite && b != b.rounded() { throw rt.valueError("math domain error") }
            let r = pow(a, b)
            if r.isInfinite && a.isFinite && b.isFinite { throw rt.overflowError("math range error") }
            return .float(r)
        }
        two("ldexp") { rt, x, i in
            let a = try rt.realArgument(x)
            let e = try rt.bigIntArgument(i)
            let n = Int(exactly: e) ?? (e.signum() < 0 ? Int.min / 2 : Int.max / 2)
            let r = scalbn(a, Int32(clamping: n))
            if r.isInfinite && a.isFinite { throw rt.overflowError("math range error") }
            return .float(r)
        }
        one("frexp") { rt, v in
            let d = try rt.realArgument(v)
            if d == 0 || !d.isFinite { return rt.newTuple(.float(d), .int(0)) }
            let e = Int(d.exponent) + 1
            return rt.newTuple(.float(d / pow(2.0, Double(e))), .int(e))
        }
        one("modf") { rt, v in
            let d = try rt.realArgument(v)
            if d.isInfinite { return rt.newTuple(.float(copysign(0, d)), .float(d)) }
            let i = d.rounded(.towardZero)
            return rt.newTuple(.float(copysign(d - i, d)), .float(i))
        }
        installMathAggregates(m)
        return m
    }

    /// `math_1`: domain and range errors of a one-argument function.
    func checkedMath(_ x: Double, _ f: (Double) -> Double) throws -> Double {
        let r = f(x)
        if r.isNaN && !x.isNaN { throw valueError("math domain error") }
        if r.isInfinite && x.isFinite { throw overflowError("math range error") }
        return r
    }

    /// A float with integral value as an int; errors for infinities and NaN.
    func floatToInt(_ d: Double) throws -> Value {
        if d.isNaN { throw valueError("cannot convert float NaN to integer") }
        if d.isInfinite { throw overflowError("cannot convert float infinity to integer") }
        if let i = Int(exactly: d) { return .int(i) }
        return makeInt(BigInt(d))
    }

    /// log of an int or float; huge ints are scaled by a power of two first.
    func logOf(_ v: Value, _ f: (Double) -> Double) throws -> Double {
        if let b = bigValue(v), b.magnitude.bitWidth > 1000 {
            if b.signum() <= 0 { throw valueError("math domain error") }
            let shift = b.magnitude.bitWidth - 64
            let top = Double(b >> shift)
            return f(top) + Double(shift) * f(2)
        }
        let x = try realArgument(v)
        if x.isNaN { return x }
        if x <= 0 { throw valueError("math domain error") }
        return f(x)
    }

    private func combinatorics(_ args: Args, comb: Bool) throws -> Value {
        let name = comb ? "comb" : "perm"
        if args.count < (comb ? 2 : 1) || args.count > 2 {
            throw typeError("\(name) expected \(comb ? "2 arguments" : args.count < 1 ? "at least 1 argument" : "at most 2 arguments"), got \(args.count)")
        }
        let n = try bigIntArgument(args[0])
        let kOpt = args.count == 2 && !args[1].isNone ? try bigIntArgument(args[1]) : nil
        if n.signum() < 0 { throw valueError("n must be a non-negative integer") }
        let k = kOpt ?? n
        if k.signum() < 0 { throw valueError("k must be a non-negative integer") }
        if k > n { return .int(0) }
        guard let kk = Int(exactly: comb ? min(k, n - k) : k), kk <= 1_000_000 else {
            throw overflowError("min(n - k, k) must not exceed \(Int.max)")
        }
        var r = BigInt(1)
        var i = 0
        while i < kk {
            r *= n - BigInt(i)
            if comb { r /= BigInt(i + 1) }
            i += 1
        }
        return makeInt(r)
    }
}
