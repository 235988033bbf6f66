// `math` functions over several values: isclose, fsum, prod, hypot, dist.
//
// One idea: `fsum` is CPython's exact algorithm (Shewchuk's partial sums with the final
// half-even correction), so `fsum([0.1] * 10)` is exactly 1.0 as in CPython.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Runtime {
    func installMathAggregates(_ m: ModuleObj) {
        m.set("isclose", native("isclose") { rt, args in
            let a = MethodArgs(args: args, name: "isclose", owner: "math")
            // MethodArgs skips args[0]; isclose has no receiver, so read the buffer directly.
            if args.count > 2 { throw rt.typeError("isclose() takes exactly 2 positional arguments (\(args.count) given)") }
            var x: Value? = args.count > 0 ? args[0] : nil, y: Value? = args.count > 1 ? args[1] : nil
            var rel = 1e-9, absTol = 0.0
            for kw in a.keywords {
                switch kw.name {
                case "a" where x == nil: x = kw.value
                case "b" where y == nil: y = kw.value
                case "rel_tol": rel = try rt.realArgument(kw.value)
                case "abs_tol": absTol = try rt.realArgument(kw.value)
                default: throw rt.typeError("isclose() got an unexpected keyword argument '\(kw.name)'")
                }
            }
            guard let xv = x else { throw rt.typeError("isclose() missing required argument 'a' (pos 1)") }
            guard let yv = y else { throw rt.typeError("isclose() missing required argument 'b' (pos 2)") }
            let p = try rt.realArgument(xv), q = try rt.realArgument(yv)
            if rel < 0 || absTol < 0 { throw rt.valueError("tolerances must be non-negative") }
            if p == q { return .bool(true) }
            if p.isInfinite || q.isInfinite { return .bool(false) }
            let diff = abs(q - p)
            return .bool(diff <= abs(rel * q) || diff <= abs(rel * p) || diff <= absTol)
        })
        m.set("fsum", native("fsum") { rt, args in
            guard args.count == 1 else { throw rt.typeError("math.fsum() takes exactly one argument (\(args.count) given)") }
            var values: [Double] = []
            for v in try rt.iterateToArray(args[0]) { values.append(try rt.realArgument(v)) }
            return .float(try rt.exactSum(values))
        })
        m.set("prod", native("prod") { rt, args in
            guard args.count == 1 else { throw rt.typeError("prod() takes exactly 1 positional argument (\(args.count) given)") }
            var r: Value = args.keyword("start") ?? .int(1)
            let items = try rt.iterateToArray(args[0])
            rt.tempRoots.append(contentsOf: items)
            defer { rt.tempRoots.removeLast(items.count) }
            for v in items { r = try rt.binaryOp(.multiply, r, v) }
            return r
        })
        m.set("hypot", native("hypot") { rt, args in
            var values: [Double] = []
            for i in 0..<args.count { values.append(try rt.realArgument(args[i])) }
            return .float(hypotenuse(values))
        })
        m.set("dist", native("dist") { rt, args in
            guard args.count == 2 else { throw rt.typeError("dist expected 2 arguments, got \(args.count)") }
            let p = try rt.iterateToArray(args[0]), q = try rt.iterateToArray(args[1])
            if p.count != q.count { throw rt.valueError("both points must have the same number of dimensions") }
            var values: [Double] = []
            for i in 0..<p.count { values.append(try rt.realArgument(p[i]) - rt.realArgument(q[i])) }
            return .float(hypotenuse(values))
        })
    }

    /// CPython's `math.fsum`.
    func exactSum(_ values: [Double]) throws -> Double {
        var partials: [Double] = []
        var specialSum = 0.0, infSum = 0.0
        for var x in values {
            let xsave = x
            var i = 0
            for var y in partials {
                if abs(x) < abs(y) { swap(&x, &y) }
                let hi = x + y
                let lo = y - (hi - x)
                if lo != 0 { partials[i] = lo; i += 1 }
                x = hi
            }
            partials.removeLast(partials.count - i)
            if x != 0 {
                if !x.isFinite {
                    if xsave.isFinite { throw overflowError("intermediate overflow in fsum") }
                    if xsave.isInfinite { infSum += xsave }
                    specialSum += xsave
                    partials = []
                } else {
                    partials.append(x)
                }
            }
        }
        if specialSum != 0 {
            if infSum.isNaN { throw valueError("-inf + inf in fsum") }
            return specialSum
        }
        var hi = 0.0
        var n = partials.count
        if n > 0 {
            n -= 1
            hi = partials[n]
            var lo = 0.0
            while n > 0 {
                let x = hi
                n -= 1
                let y = partials[n]
                hi = x + y
                let yr = hi - x
                lo = y - yr
                if lo != 0 { break }
            }
            if n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0)) {
                let y = lo * 2
                let x = hi + y
                let yr = x - hi
                if y == yr { hi = x }
            }
        }
        return hi
    }
}

/// sqrt of the sum of squares, scaled to avoid overflow (inf wins over nan, as in CPython).
private func hypotenuse(_ values: [Double]) -> Double {
    var maxAbs = 0.0
    var sawNaN = false
    for v in values {
        if v.isInfinite { return .infinity }
        if v.isNaN { sawNaN = true }
        maxAbs = max(maxAbs, abs(v))
    }
    if sawNaN { return .nan }
    if maxAbs == 0 { return 0 }
    if values.count == 2 { return hypot(values[0], values[1]) }
    var sum = 0.0
    for v in values { let s = v / maxAbs; sum += s * s }
    return maxAbs * sum.squareRoot()
}
