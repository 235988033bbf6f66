// Python's float `%`, `//` and divmod(): the result of `%` takes the sign of the divisor.
// The one idea: this is CPython's `_float_div_mod` — fmod, then fix the sign, then snap the quotient
// to the nearest integer — so signed zeros and inexact quotients come out as in CPython.

/// A float `%`, `//` or divmod() by zero; the runtime raises it as ZeroDivisionError.
struct FloatDivisionByZero: Error, Equatable {
    /// CPython's message ("float modulo", ...).
    let message: String
}

/// `v % w` for floats.
func floatMod(_ v: Double, _ w: Double) throws(FloatDivisionByZero) -> Double {
    if w == 0 { throw FloatDivisionByZero(message: "float modulo") }
    var mod = v.truncatingRemainder(dividingBy: w)
    if mod != 0 {
        if (w < 0) != (mod < 0) { mod += w }
    } else {
        mod = Double(signOf: w, magnitudeOf: 0)
    }
    return mod
}

/// `v // w` for floats.
func floatFloorDiv(_ v: Double, _ w: Double) throws(FloatDivisionByZero) -> Double {
    if w == 0 { throw FloatDivisionByZero(message: "float floor division by zero") }
    return floatDivMod(v, w).quotient
}

/// `divmod(v, w)` for floats.
func floatDivmod(_ v: Double, _ w: Double) throws(FloatDivisionByZero) -> (quotient: Double, remainder: Double) {
    if w == 0 { throw FloatDivisionByZero(message: "float divmod()") }
    return floatDivMod(v, w)
}

/// CPython's `_float_div_mod`; `w` must be non-zero.
private func floatDivMod(_ v: Double, _ w: Double) -> (quotient: Double, remainder: Double) {
    var mod = v.truncatingRemainder(dividingBy: w)
    var div = (v - mod) / w
    if mod != 0 {
        if (w < 0) != (mod < 0) {
            mod += w
            div -= 1.0
        }
    } else {
        mod = Double(signOf: w, magnitudeOf: 0)
    }
    var floordiv: Double
    if div != 0 {
        floordiv = div.rounded(.down)
        if div - floordiv > 0.5 { floordiv += 1.0 }
    } else {
        floordiv = Double(signOf: v / w, magnitudeOf: 0)
    }
    return (floordiv, mod)
}

extension Runtime {
    /// The ZeroDivisionError for a float division by zero.
    func scriptError(_ e: FloatDivisionByZero) -> ScriptError { zeroDivision(e.message) }
}
