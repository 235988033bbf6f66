// round() for floats and ints, and the exact int <-> float conversions it needs.
// The one idea: CPython rounds a float to `ndigits` places through correctly rounded decimal text
// (round-half-even on the *exact* binary value, so round(2.675, 2) == 2.67) and reads it back;
// int rounding with negative ndigits is half-even integer division by a power of ten.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import BigInt

/// `float(n)` for a Python int: correctly rounded (half-even), OverflowError when too large.
func bigIntToDouble(_ value: BigInt) throws(FormatError) -> Double {
    let m = value.magnitude
    let bits = m.bitWidth
    let negative = value.sign == .minus
    if bits <= 64 {
        let d = Double(UInt64(truncatingIfNeeded: m))
        return negative ? -d : d
    }
    if bits > 1024 { throw .overflowError("int too large to convert to float") }
    let shift = bits - 64
    var top = UInt64(truncatingIfNeeded: m >> shift)
    // A sticky bit keeps the rounding of the 64-bit head identical to rounding the whole value.
    if m.trailingZeroBitCount < shift { top |= 1 }
    let d = Double(sign: .plus, exponent: shift, significand: Double(top))
    if d.isInfinite { throw .overflowError("int too large to convert to float") }
    return negative ? -d : d
}

/// `int(x)` for a float: truncation toward zero.
func doubleToInteger(_ x: Double) throws(FormatError) -> ExactInteger {
    try integerValue(x.rounded(.towardZero))
}

/// `round(x)` (no ndigits): the nearest integer, ties to even.
func roundToInt(_ x: Double) throws(FormatError) -> ExactInteger {
    try integerValue(x.rounded(.toNearestOrEven))
}

/// An integral double as a Python int, with CPython's errors for nan and infinities.
private func integerValue(_ r: Double) throws(FormatError) -> ExactInteger {
    if r.isNaN { throw .valueError("cannot convert float NaN to integer") }
    if r.isInfinite { throw .overflowError("cannot convert float infinity to integer") }
    if r > -9.2e18 && r < 9.2e18, let small = Int(exactly: r) { return .small(small) }
    guard let big = BigInt(exactly: r) else {
        throw .valueError("cannot convert float NaN to integer")
    }
    return ExactInteger(big)
}

/// `round(x, ndigits)` for a float (CPython's float.__round__ with an int ndigits).
func roundDouble(_ x: Double, ndigits: Int) throws(FormatError) -> Double {
    if !x.isFinite { return x }
    // Beyond these, x is its own rounding or rounds to a signed zero (as CPython's NDIGITS_MAX/MIN).
    if ndigits > 323 { return x }
    if ndigits < -308 { return 0.0 * x }
    let text: String
    if ndigits >= 0 {
        text = String(decoding: FloatDigits.printf(x, format: "%.*f", precision: ndigits,
                                                   capacity: ndigits + 340), as: UTF8.self)
    } else {
        text = roundIntegralText(x, places: -ndigits)
    }
    let rounded = Double(text) ?? x
    if rounded.isInfinite { throw .overflowError("rounded value too large to represent") }
    return rounded
}

/// Decimal text of x rounded half-even to a multiple of 10^places (places >= 1).
private func roundIntegralText(_ x: Double, places: Int) -> String {
    let sign = x.sign == .minus ? "-" : ""
    let whole = x.rounded(.towardZero)
    let hasFraction = whole != x
    let digits = FloatDigits.printf(whole.magnitude, format: "%.*f", precision: 0, capacity: 340)
    if digits.count < places { return sign + "0" }
    var upper = Array(digits[0..<(digits.count - places)])
    let lower = digits[(digits.count - places)...]
    var roundUp: Bool
    let first = lower.first ?? 0x30
    if first > 0x35 {
        roundUp = true
    } else if first < 0x35 {
        roundUp = false
    } else if hasFraction || lower.dropFirst().contains(where: { $0 != 0x30 }) {
        roundUp = true
    } else {
        let last = upper.last ?? 0x30
        roundUp = (last - 0x30) % 2 == 1
    }
    if roundUp {
        var i = upper.count - 1
        var carry = true
        while carry && i >= 0 {
            if upper[i] == 0x39 {
                upper[i] = 0x30
                i -= 1
            } else {
                upper[i] += 1
                carry = false
            }
        }
        if carry { upper.insert(0x31, at: 0) }
    }
    if upper.isEmpty { return sign + "0" }
    return sign + String(decoding: upper, as: UTF8.self) + "e" + String(places)
}

/// `round(n, ndigits)` for an int: n itself when ndigits >= 0, else half-even to a multiple of
/// 10^-ndigits.
func roundInt(_ n: BigInt, ndigits: Int) -> BigInt {
    if ndigits >= 0 || n.isZero { return n }
    let places = ndigits == Int.min ? Int.max : -ndigits
    // |n| < 10^(places-1) rounds to zero; decide from the bit length before computing 10^places.
    let maxDigits = Double(n.magnitude.bitWidth) * 0.30103 + 1
    if maxDigits < Double(places) { return 0 }
    let p = BigInt(10).power(places)
    var (q, r) = n.quotientAndRemainder(dividingBy: p)
    if r.sign == .minus && !r.isZero {
        r += p
        q -= 1
    }
    let twice = r * 2
    if twice > p || (twice == p && q.magnitude[bitAt: 0]) {
        q += 1
    }
    return q * p
}

/// `round(n, ndigits)` for a machine int.
func roundInt(_ n: Int, ndigits: Int) -> ExactInteger {
    if ndigits >= 0 { return .small(n) }
    return ExactInteger(roundInt(BigInt(n), ndigits: ndigits))
}
