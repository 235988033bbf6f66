// Decimal digit strings of a double, in the shape David Gay's dtoa returns them to CPython.
// The one idea: every float formatting in Python is "get correctly rounded digits plus the position of
// the decimal point, then lay them out". Shortest round-trip digits come from Swift's own
// `description`; digits for a fixed count of significant digits or decimal places are the exact
// binary value rounded half-to-even, as glibc's `%.*e` / `%.*f` print it: in 128-bit integer
// arithmetic where it covers the value (up to 17 places, below 2^63), else from `printf` itself.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Digits of a finite double: value = ±0.d1d2d3... × 10^decpt. `digits` holds ASCII digits with no
/// leading or trailing zeros, except that zero itself is "0" with decpt 1. A non-zero value that
/// rounds to nothing (fixed mode) has empty digits and decpt = -ndigits, as in dtoa. The digits
/// are kept in the value (`ShortBytes`): making them allocates nothing.
struct DecimalDigits: ~Copyable {
    var digits = ShortBytes()
    var decpt: Int
    var negative: Bool

    var isAllZero: Bool { digits.count == 0 || (digits.count == 1 && digits[0] == 0x30) }
}

enum FloatDigits {
    /// dtoa mode 0: the shortest digits that round-trip (what repr uses).
    static func shortest(_ d: Double) -> DecimalDigits {
        // Swift's description is "1.0", "0.0001", "1e-05", "1.2345e+16", "5e-324" ...
        // (kept in the string itself up to 15 bytes).
        var text = d.magnitude.description
        var mantissa = ShortBytes()
        var intCount = 0
        var exponent = 0
        text.withUTF8 { text in
            var seenPoint = false
            var i = 0
            while i < text.count {
                let c = text[i]
                if c == 0x2e {
                    seenPoint = true
                } else if c == 0x65 || c == 0x45 {
                    exponent = exponentAfter(text, i)
                    break
                } else {
                    mantissa.append(c)
                    if !seenPoint { intCount += 1 }
                }
                i += 1
            }
        }
        return normalize(mantissa, decpt: intCount + exponent, negative: d.sign == .minus, zeroDecpt: 1)
    }

    /// The signed decimal exponent written after the `e` at `text[at]` (`e-05` -> -5).
    private static func exponentAfter(_ text: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int {
        var i = at + 1
        var negative = false
        if i < text.count, text[i] == 0x2d || text[i] == 0x2b {
            negative = text[i] == 0x2d
            i += 1
        }
        var exponent = 0
        while i < text.count {
            exponent = exponent * 10 + Int(text[i] &- 0x30)
            i += 1
        }
        return negative ? -exponent : exponent
    }

    /// dtoa mode 2: `n` (>= 1) significant digits, correctly rounded, trailing zeros removed.
    /// In integer arithmetic (`scaledDigits`) when the value and `n` allow, else through `printf`.
    static func significant(_ d: Double, _ n: Int) -> DecimalDigits {
        let a = d.magnitude
        let n = max(n, 1)
        if a == 0 { return DecimalDigits(digits: zeroDigit, decpt: 1, negative: d.sign == .minus) }
        if n <= 17 && a.isNormal {
            // a × 10^places has n digits when places = n - 1 - floor(log10(a)); log10 may be off by
            // one near a power of ten, and rounding may carry into one more digit. Too many digits:
            // one place fewer. Too few: one more. And "10...0" may be a carry from n - 1 digits
            // (log10 one too high): right only if one more place carries too.
            var places = n - 1 - Int(log10(a).rounded(.down))
            var carried = false
            for _ in 0..<4 {
                var scaled = ShortBytes()
                guard places >= 0, scaledDigits(a, places, into: &scaled) else { break }
                if scaled.count > n {
                    places -= 1
                    carried = true
                } else if scaled.count < n || (!carried && scaled.isPowerOfTen) {
                    places += 1
                } else {
                    return normalize(scaled, decpt: n - places, negative: d.sign == .minus, zeroDecpt: 1)
                }
            }
        }
        let text = printf(d, format: "%.*e", precision: n - 1, capacity: n + 32)
        var mantissa = ShortBytes()
        var exponent = 0
        text.withUnsafeBufferPointer { text in
            var i = 0
            while i < text.count {
                let c = text[i]
                if c == 0x65 {
                    exponent = exponentAfter(text, i)
                    break
                } else if c >= 0x30 && c <= 0x39 {
                    mantissa.append(c)
                }
                i += 1
            }
        }
        return normalize(mantissa, decpt: exponent + 1, negative: d.sign == .minus, zeroDecpt: 1)
    }

    /// dtoa mode 3: digits up to `n` (>= 0) places after the decimal point, correctly rounded.
    static func fixed(_ d: Double, _ n: Int) -> DecimalDigits {
        let places = max(n, 0)
        var mantissa = ShortBytes()
        var intCount = 0
        if scaledDigits(d.magnitude, places, into: &mantissa) {
            intCount = mantissa.count - places
        } else {
            var seenPoint = false
            for c in printf(d, format: "%.*f", precision: places, capacity: places + 340) {
                if c == 0x2e {
                    seenPoint = true
                } else if c >= 0x30 && c <= 0x39 {
                    mantissa.append(c)
                    if !seenPoint { intCount += 1 }
                }
            }
        }
        var result = normalize(mantissa, decpt: intCount, negative: d.sign == .minus, zeroDecpt: 1)
        if result.isAllZero && d != 0 {
            result.digits = ShortBytes()
            result.decpt = -places
        }
        return result
    }

    /// Appends the decimal digits of `a × 10^places` rounded half to even to an integer, computed
    /// from the exact binary value (a = m × 2^e) in 128-bit arithmetic, as `%.*f` rounds (no
    /// leading zeros: "5" for 0.05 with 2 places); false, appending nothing, outside the range that
    /// arithmetic covers (at most 17 places, a < 2^63), where `printf` answers.
    static func scaledDigits(_ a: Double, _ places: Int, into out: inout ShortBytes) -> Bool {
        guard a.isFinite, places >= 0, places <= 17, a < 9.2e18 else { return false }
        var p10: UInt64 = 1
        for _ in 0..<places { p10 &*= 10 }
        let m: UInt64, e: Int
        if a.exponentBitPattern == 0 {
            m = a.significandBitPattern
            e = -1074
        } else {
            m = a.significandBitPattern | (1 << 52)
            e = Int(a.exponentBitPattern) - 1075
        }
        var hi: UInt64, lo: UInt64
        if e >= 0 {
            // a itself is an integer below 2^63: exact.
            (hi, lo) = (m << UInt64(e)).multipliedFullWidth(by: p10)
        } else {
            let (h, l) = m.multipliedFullWidth(by: p10)  // below 2^110
            let k = -e
            if k >= 112 {
                // Below a half: rounds to zero.
                (hi, lo) = (0, 0)
            } else {
                let rh: UInt64, rl: UInt64, hh: UInt64, hl: UInt64
                if k >= 64 {
                    (hi, lo) = (0, h >> UInt64(k - 64))
                    (rh, rl) = (h & ((1 << UInt64(k - 64)) &- 1), l)
                } else {
                    (hi, lo) = (h >> UInt64(k), (l >> UInt64(k)) | (h << UInt64(64 - k)))
                    (rh, rl) = (0, l & ((1 << UInt64(k)) &- 1))
                }
                (hh, hl) = k - 1 >= 64 ? (1 << UInt64(k - 65), 0) : (0, 1 << UInt64(k - 1))
                let above = rh > hh || (rh == hh && rl > hl)
                let tie = rh == hh && rl == hl
                if above || (tie && lo & 1 == 1) {
                    lo &+= 1
                    if lo == 0 { hi &+= 1 }
                }
            }
        }
        if hi == 0 {
            out.appendDecimal(lo)
            return true
        }
        // hi < 2^57 < 10^19: one long division by 10^19 splits the number in two.
        let big: UInt64 = 10_000_000_000_000_000_000
        let (q, r) = big.dividingFullWidth((hi, lo))
        out.appendDecimal(q)
        var low = ShortBytes()
        low.appendDecimal(r)
        out.append(0x30, count: 19 - low.count)
        out.append(low, from: 0, to: low.count)
        return true
    }

    /// "0".
    private static var zeroDigit: ShortBytes {
        var z = ShortBytes()
        z.append(0x30)
        return z
    }

    /// Strips leading and trailing zeros; an all-zero mantissa becomes "0" at `zeroDecpt`.
    private static func normalize(_ mantissa: consuming ShortBytes, decpt: Int, negative: Bool,
                                  zeroDecpt: Int) -> DecimalDigits {
        var start = 0
        var decpt = decpt
        while start < mantissa.count && mantissa[start] == 0x30 {
            start += 1
            decpt -= 1
        }
        var end = mantissa.count
        while end > start && mantissa[end - 1] == 0x30 { end -= 1 }
        if start == end {
            return DecimalDigits(digits: zeroDigit, decpt: zeroDecpt, negative: negative)
        }
        if start == 0 && end == mantissa.count {
            return DecimalDigits(digits: mantissa, decpt: decpt, negative: negative)
        }
        var digits = ShortBytes()
        digits.append(mantissa, from: start, to: end)
        return DecimalDigits(digits: digits, decpt: decpt, negative: negative)
    }

    /// Runs `snprintf(format, precision, d)` and returns the bytes it wrote.
    static func printf(_ d: Double, format: String, precision: Int, capacity: Int) -> [UInt8] {
        let prec = Int32(clamping: precision)
        var buffer = [CChar](repeating: 0, count: max(capacity, 64))
        let size = buffer.count
        let written = buffer.withUnsafeMutableBufferPointer { buf -> Int32 in
            withVaList([prec, d]) { args in
                vsnprintf(buf.baseAddress, size, format, args)
            }
        }
        let count = min(Int(max(written, 0)), size - 1)
        return buffer.prefix(count).map { UInt8(bitPattern: $0) }
    }
}
