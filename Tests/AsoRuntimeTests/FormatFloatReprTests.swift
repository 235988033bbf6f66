// Tests of repr(float) and str(float).
// Expected values were produced by CPython 3.11 (python3).

import BigInt
import Testing
@testable import AsoRuntime

/// The text a throwing helper produced, or "!ErrorName: message" for its error.
private func outcome(_ body: () throws(FormatError) -> String) -> String {
    do {
        return try body()
    } catch {
        return "!\(error.pythonTypeName): \(error.message)"
    }
}
private let reprCases: [(Double, String)] = [
    (0.0, "0.0"),
    (-0.0, "-0.0"),
    (1.0, "1.0"),
    (-1.0, "-1.0"),
    (0.1, "0.1"),
    (0.30000000000000004, "0.30000000000000004"),
    (0.3333333333333333, "0.3333333333333333"),
    (0.6666666666666666, "0.6666666666666666"),
    (1.0e+16, "1e+16"),
    (1000000000000000.0, "1000000000000000.0"),
    (9999999999999998.0, "9999999999999998.0"),
    (1.0e-05, "1e-05"),
    (0.0001, "0.0001"),
    (0.0001, "0.0001"),
    (0.00012345, "0.00012345"),
    (123456789012345.6, "123456789012345.6"),
    (1.2345678901234568e+16, "1.2345678901234568e+16"),
    (Double(bitPattern: 0x0000000000000001), "5e-324"),
    (Double(bitPattern: 0x8000000000000001), "-5e-324"),
    (2.2250738585072014e-308, "2.2250738585072014e-308"),
    (1.7976931348623157e+308, "1.7976931348623157e+308"),
    (Double.infinity, "inf"),
    (-Double.infinity, "-inf"),
    (Double.nan, "nan"),
    (100.0, "100.0"),
    (1.0e+22, "1e+22"),
    (1.0e+23, "1e+23"),
    (9007199254740992.0, "9007199254740992.0"),
    (9.223372036854776e+18, "9.223372036854776e+18"),
    (1.5, "1.5"),
    (3.14159, "3.14159"),
    (2.5e-07, "2.5e-07"),
    (1.0e+100, "1e+100"),
    (1.0e-100, "1e-100"),
    (12345678.9, "12345678.9"),
    (0.5, "0.5"),
    (4.35, "4.35"),
    (2.675, "2.675"),
    (1.0e+301, "1e+301"),
    (1.23456e-08, "1.23456e-08")
]

@Test func floatReprMatchesPython() {
    for (value, expected) in reprCases {
        #expect(floatRepr(value) == expected, "repr(\(value))")
    }
}

@Test func floatReprRoundTrips() {
    var state: UInt64 = 0x9E3779B97F4A7C15
    for _ in 0..<2000 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let d = Double(bitPattern: state)
        guard d.isFinite else { continue }
        #expect(parseFloat(floatRepr(d)) == d)
    }
}

/// Fixed-point digits computed in integer arithmetic agree with glibc's `%.*f` (the exact binary
/// value rounded half to even) on ties, on values near the ends of the covered range, and on
/// many seeded random doubles of every magnitude.
@Test func fixedDigitsAgreeWithPrintf() {
    func viaPrintf(_ d: Double, _ places: Int) -> [UInt8] {
        FloatDigits.printf(d, format: "%.*f", precision: places, capacity: places + 340).filter { $0 >= 0x30 && $0 <= 0x39 }
    }
    func scaled(_ d: Double, _ places: Int) -> [UInt8]? {
        guard var digits = scaledDigits(d.magnitude, places) else { return nil }
        if digits.count <= places { digits.insert(contentsOf: repeatElement(0x30, count: places + 1 - digits.count), at: 0) }
        return digits
    }
    var values: [Double] = [0, 0.5, 1.5, 2.5, 0.125, 0.375, 2.675, 1.005, 1e-5, 5e-324, 2.2250738585072014e-308,
                            123456.789, 9.199999999999999e18, 4503599627370495.5, 0.045, 1.0 / 3.0, 1e15 + 0.3]
    var rng = SplitMix64(seed: 42)
    for _ in 0..<4000 {
        let bits = rng.next()
        let d = Double(bitPattern: bits & 0x7FFF_FFFF_FFFF_FFFF)
        if d.isFinite && d < 9.2e18 { values.append(d) }
        values.append(Double(rng.next() % 1_000_000) / 1000.0 + 0.0005)
    }
    var covered = 0
    for d in values {
        for places in 0...17 {
            guard let digits = scaled(d, places) else { continue }
            covered += 1
            #expect(digits == viaPrintf(d, places), "\(d) with \(places) places")
        }
    }
    #expect(covered > 100_000)
    #expect(scaledDigits(1e19, 2) == nil)
    #expect(scaledDigits(1.5, 18) == nil)
}

/// `FloatDigits.scaledDigits` as an array (nil when it declines).
private func scaledDigits(_ a: Double, _ places: Int) -> [UInt8]? {
    var bytes = ShortBytes()
    guard FloatDigits.scaledDigits(a, places, into: &bytes) else { return nil }
    return bytes.withBytes { Array($0) }
}

/// Significant digits computed in integer arithmetic agree with glibc's `%.*e` (through
/// `format(x, '.Ne')`, whose digits and exponent come from them) for every count of digits up to
/// 17, on ties, powers of ten and their neighbours, carries (9.9999 to 3 digits), and seeded
/// random doubles of every magnitude.
@Test func significantDigitsAgreeWithPrintf() {
    var values: [Double] = [1, 10, 100, 1000, 1e15, 1e16, 1e17, 9.9999, 0.125, 0.375, 2.675, 1.005, 0.045,
                            999.5, 9.5, 0.95, 1e-5, 1e-17, 1e-18, 123456.789, 1.0 / 3.0, 2.0 / 3.0, 5e-324,
                            9.2e18, 9.3e18, 1e300]
    for p in -20...20 {
        let t = Double("1e\(p)") ?? 1
        values += [t, t.nextUp, t.nextDown]
    }
    var rng = SplitMix64(seed: 7)
    for _ in 0..<3000 {
        let d = Double(bitPattern: rng.next() & 0x7FFF_FFFF_FFFF_FFFF)
        if d.isFinite { values.append(d) }
        values.append(Double(rng.next() % 100_000_000) / 10_000.0)
    }
    for d in values {
        for n in 1...17 {
            let printed = FloatDigits.printf(d, format: "%.*e", precision: n - 1, capacity: n + 32)
            let ours = floatText(d, code: "e", precision: n - 1, flags: FloatStringFlags()).string
            #expect(ours == String(decoding: printed, as: UTF8.self), "\(d) with \(n) digits")
        }
    }
}

/// A small seeded generator (splitmix64) for the test above.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
