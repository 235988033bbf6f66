// The real-valued distributions of `random` (uniform, triangular, gauss, normalvariate,
// expovariate, gamma/beta, ...), after CPython 3.11's `Lib/random.py`.
//
// One idea: the draws happen in Python's order and the arithmetic that touches the caller's
// arguments goes through `binaryOp`, so ints, floats and error messages behave as the Python
// expressions `a + (b - a) * random()` do; the rest is plain Double math.

import AsoBytecode

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Runtime {
    private func op(_ kind: BinaryOperator, _ a: Value, _ b: Value) throws -> Value {
        try binaryOp(kind, a, b)
    }

    /// A parameter the Python code uses in float math (`math.sqrt(alpha)`, comparisons with floats).
    private func realParameter(_ v: Value) throws -> Double {
        if let d = try floatValue(v) { return d }
        throw typeError("must be real number, not \(typeName(v))")
    }

    func installRandomDistributions(_ table: RandomMethodTable) {
        let nvMagic = 4 * exp(-0.5) / 2.0.squareRoot()
        let sgMagic = 1.0 + log(4.5)
        let log4 = log(4.0)
        let twoPi = 2 * Double.pi
        /// `mu + z * sigma`.
        func shifted(_ rt: Runtime, _ z: Double, _ mu: Value, _ sigma: Value) throws -> Value {
            try rt.op(.add, mu.isNull ? .float(0) : mu, try rt.op(.multiply, .float(z), sigma.isNull ? .float(1) : sigma))
        }
        func normal(_ gen: MersenneTwister) -> Double {
            while true {
                let u1 = gen.random()
                let u2 = 1.0 - gen.random()
                let z = nvMagic * (u1 - 0.5) / u2
                if z * z / 4.0 <= -log(u2) { return z }
            }
        }
        func gamma(_ rt: Runtime, _ gen: MersenneTwister, _ alpha: Double, _ beta: Double) throws -> Double {
            if alpha <= 0.0 || beta <= 0.0 { throw rt.valueError("gammavariate: alpha and beta must be > 0.0") }
            if alpha > 1.0 {
                let ainv = (2.0 * alpha - 1.0).squareRoot()
                let bbb = alpha - log4, ccc = alpha + ainv
                while true {
                    let u1 = gen.random()
                    if !(1e-7 < u1 && u1 < 0.9999999) { continue }
                    let u2 = 1.0 - gen.random()
                    let v = log(u1 / (1.0 - u1)) / ainv
                    let x = alpha * exp(v)
                    let z = u1 * u1 * u2
                    let r = bbb + ccc * v - x
                    if r + sgMagic - 4.5 * z >= 0.0 || r >= log(z) { return x * beta }
                }
            }
            if alpha == 1.0 { return -log(1.0 - gen.random()) * beta }
            while true {
                let u = gen.random()
                let b = (M_E + alpha) / M_E
                let p = b * u
                let x = p <= 1.0 ? pow(p, 1.0 / alpha) : -log((b - p) / alpha)
                let u1 = gen.random()
                if p > 1.0 {
                    if u1 <= pow(x, alpha - 1.0) { return x * beta }
                } else if u1 <= exp(-x) {
                    return x * beta
                }
            }
        }
        table.python("uniform", ["a", "b"], required: 2) { rt, gen, a in
            let width = try rt.op(.subtract, a[1], a[0])
            return try rt.op(.add, a[0], try rt.op(.multiply, width, .float(gen.random())))
        }
        table.python("triangular", ["low", "high", "mode"], required: 0) { rt, gen, a in
            var low = a[0].isNull ? Value.float(0) : a[0], high = a[1].isNull ? Value.float(1) : a[1]
            var u = gen.random()
            var c: Double
            if a[2].isNull || a[2].isNone {
                c = 0.5
            } else {
                do {
                    let ratio = try rt.op(.trueDivide, try rt.op(.subtract, a[2], low), try rt.op(.subtract, high, low))
                    c = try rt.realParameter(ratio)
                } catch let e as ScriptError where e.exception.type.isSubtype(of: rt.exc.zeroDivisionError) {
                    return low
                }
            }
            if u > c {
                u = 1.0 - u
                c = 1.0 - c
                swap(&low, &high)
            }
            return try rt.op(.add, low, try rt.op(.multiply, try rt.op(.subtract, high, low), .float((u * c).squareRoot())))
        }
        table.python("normalvariate", ["mu", "sigma"], required: 0) { rt, gen, a in
            try shifted(rt, normal(gen), a[0], a[1])
        }
        table.python("gauss", ["mu", "sigma"], required: 0) { rt, gen, a in
            var z: Double
            if let next = gen.gaussNext {
                z = next
                gen.gaussNext = nil
            } else {
                let x2pi = gen.random() * twoPi
                let g2rad = (-2.0 * log(1.0 - gen.random())).squareRoot()
                z = cos(x2pi) * g2rad
                gen.gaussNext = sin(x2pi) * g2rad
            }
            return try shifted(rt, z, a[0], a[1])
        }
        table.python("lognormvariate", ["mu", "sigma"], required: 2) { rt, gen, a in
            let x = try rt.realParameter(try shifted(rt, normal(gen), a[0], a[1]))
            return .float(try rt.checkedMath(x, exp))
        }
        table.python("expovariate", ["lambd"], required: 1) { rt, gen, a in
            try rt.op(.trueDivide, .float(-log(1.0 - gen.random())), a[0])
        }
        table.python("vonmisesvariate", ["mu", "kappa"], required: 2) { rt, gen, a in
            let kappa = try rt.realParameter(a[1])
            if kappa <= 1e-6 { return .float(twoPi * gen.random()) }
            let s = 0.5 / kappa
            let r = s + (1.0 + s * s).squareRoot()
            var z: Double
            while true {
                let u1 = gen.random()
                z = cos(Double.pi * u1)
                let d = z / (r + z)
                let u2 = gen.random()
                if u2 < 1.0 - d * d || u2 <= (1.0 - d) * exp(d) { break }
            }
            let q = 1.0 / r
            let f = (q + z) / (1.0 + q * z)
            let u3 = gen.random()
            let angle = try rt.op(u3 > 0.5 ? .add : .subtract, a[0], .float(try rt.checkedMath(f, acos)))
            return try rt.op(.remainder, angle, .float(twoPi))
        }
        table.python("gammavariate", ["alpha", "beta"], required: 2) { rt, gen, a in
            .float(try gamma(rt, gen, try rt.realParameter(a[0]), try rt.realParameter(a[1])))
        }
        table.python("betavariate", ["alpha", "beta"], required: 2) { rt, gen, a in
            let alpha = try rt.realParameter(a[0]), beta = try rt.realParameter(a[1])
            let y = try gamma(rt, gen, alpha, 1.0)
            if y != 0 { return .float(y / (y + (try gamma(rt, gen, beta, 1.0)))) }
            return .float(0)
        }
        table.python("paretovariate", ["alpha"], required: 1) { rt, gen, a in
            let u = 1.0 - gen.random()
            return try rt.op(.power, .float(u), try rt.op(.trueDivide, .float(-1.0), a[0]))
        }
        table.python("weibullvariate", ["alpha", "beta"], required: 2) { rt, gen, a in
            let u = 1.0 - gen.random()
            return try rt.op(.multiply, a[0], try rt.op(.power, .float(-log(u)), try rt.op(.trueDivide, .float(1.0), a[1])))
        }
    }
}
