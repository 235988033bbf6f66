// Decimal digit strings of a double, in the shape David Gay's dtoa returns them to CPython.
// The one idea: every float formatting in Python is "get correctly rounded digits plus the position of
// the decimal point, then lay them out". Shortest round-trip digits come from Swift's own
// `description`; digits for a fixed count of significant digits or decimal places come from glibc's
// `%.*e` / `%.*f`, which print the exact binary value rounded half-to-even.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Digits of a finite double: value = ±0.d1d2d3... × 10^decpt. `digits` holds ASCII digits with no
/// leading or trailing zeros, except that zero itself is "0" with decpt 1. A non-zero value that
/// rounds to nothing (fixed mode) has empty digits and decpt = -ndigits, as in dtoa.
struct DecimalDigits: Equatable {
    var digits: [UInt8]
    var decpt: Int
    var negative: Bool

    var isAllZero: Bool { digits.isEmpty || digits == [0x30] }
}

enum FloatDigits {
    /// dtoa mode 0: the shortest digits that round-trip (what repr uses).
    static func shortest(_ d: Double) -> DecimalDigits {
        // Swift's description is "1.0", "0.0001", "1e-05", "1.2345e+16", "5e-324" ...
        let text = Array(d.magnitude.description.utf8)
        var mantissa: [UInt8] = []
        var intCount = 0
        var seenPoint = false
        var exponent = 0
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
        return normalize(mantissa, decpt: intCount + exponent,
                         negative: d.sign == .minus, zeroDecpt: 1)
    }

    /// The signed decimal exponent written after the `e` at `text[at]` (`e-05` -> -5).
    private static func exponentAfter(_ text: [UInt8], _ at: Int) -> Int {
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
    static func significant(_ d: Double, _ n: Int) -> DecimalDigits {
        let text = printf(d, format: "%.*e", precision: max(n, 1) - 1, capacity: max(n, 1) + 32)
        var mantissa: [UInt8] = []
        var exponent = 0
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
        return normalize(mantissa, decpt: exponent + 1,
                         negative: d.sign == .minus, zeroDecpt: 1)
    }

    /// dtoa mode 3: digits up to `n` (>= 0) places after the decimal point, correctly rounded.
    static func fixed(_ d: Double, _ n: Int) -> DecimalDigits {
        let places = max(n, 0)
        var mantissa: [UInt8] = []
        var intCount = 0
        if let scaled = scaledDigits(d.magnitude, places) {
            mantissa = scaled
            if mantissa.count <= places { mantissa.insert(contentsOf: repeatElement(0x30, count: places + 1 - mantissa.count), at: 0) }
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
            result.digits = []
            result.decpt = -places
        }
        return result
    }

    /// The decimal digits of `a × 10^places` rounded half to even to an integer, computed from the
    /// exact binary value (a = m × 2^e) in 128-bit arithmetic, as `%.*f` rounds; nil outside the
    /// range that arithmetic covers (at most 17 places, a < 2^63), where `printf` answers.
    static func scaledDigits(_ a: Double, _ places: Int) -> [UInt8]? {
        guard a.isFinite, places <= 17, a < 9.2e18 else { return nil }
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
        if hi == 0 { return Array(String(lo).utf8) }
        // hi < 2^57 < 10^19: one long division by 10^19 splits the number in two.
        let big: UInt64 = 10_000_000_000_000_000_000
        let (q, r) = big.dividingFullWidth((hi, lo))
        let low = Array(String(r).utf8)
        return Array(String(q).utf8) + Array(repeating: 0x30, count: 19 - low.count) + low
    }

    /// Strips leading and trailing zeros; an all-zero mantissa becomes "0" at `zeroDecpt`.
    private static func normalize(_ mantissa: [UInt8], decpt: Int, negative: Bool,
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
            return DecimalDigits(digits: [0x30], decpt: zeroDecpt, negative: negative)
        }
        return DecimalDigits(digits: Array(mantissa[start..<end]), decpt: decpt, negative: negative)
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
