// The word-level big-int kernels against the BigInt package's own (independent) implementations,
// on numbers built to reach the kernels' rare branches: words of all ones, a divisor whose top
// word is just over half a word, quotient words that need the add-back step, carries that ripple
// through every word.

import BigInt
import Testing
@testable import AsoRuntime

/// A deterministic generator (xorshift), so a failure reproduces.
private struct Words {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func next() -> UInt {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return UInt(state)
    }
    /// A word that is often one of the edge values.
    mutating func edgy() -> UInt {
        switch next() % 8 {
        case 0: return 0
        case 1: return .max
        case 2: return .max - 1
        case 3: return 1 << 63
        case 4: return (1 << 63) + 1
        default: return next()
        }
    }
    mutating func number(_ count: Int) -> BigInt {
        let magnitude = BigUInt(words: (0..<count).map { _ in edgy() })
        return BigInt(sign: next() % 2 == 0 ? .plus : .minus, magnitude: magnitude)
    }
}

private func kernelForm(_ x: BigInt) -> BigWords {
    BigWords(negative: x.sign == .minus, words: BigKernels.words(x.magnitude))
}

private func packageForm(_ w: BigWords) -> BigInt {
    BigInt(sign: w.negative ? .minus : .plus, magnitude: BigUInt(words: w.words))
}

/// Python's floor division and modulo, from the package's truncating division.
private func pythonDivMod(_ x: BigInt, _ y: BigInt) -> (BigInt, BigInt) {
    var (q, r) = x.quotientAndRemainder(dividingBy: y)
    if !r.isZero && (r.signum() < 0) != (y.signum() < 0) { q -= 1; r += y }
    return (q, r)
}

@Test func bigKernelsMatchThePackage() {
    var g = Words()
    for _ in 0..<4000 {
        let x = g.number(Int(g.next() % 12)), y = g.number(Int(g.next() % 7))
        let kx = kernelForm(x), ky = kernelForm(y)
        #expect(packageForm(BigKernels.add(kx, ky)) == x + y, "\(x) + \(y)")
        #expect(packageForm(BigKernels.subtract(kx, ky)) == x - y, "\(x) - \(y)")
        #expect(packageForm(BigKernels.multiply(kx, ky)) == x * y, "\(x) * \(y)")
        if !y.isZero {
            let (q, r) = BigKernels.floorDivMod(kx, ky)
            let (eq, er) = pythonDivMod(x, y)
            #expect(packageForm(q) == eq && packageForm(r) == er, "\(x) divmod \(y)")
        }
    }
}

@Test func bigKernelsKeepTheirFormNormalised() {
    // No leading zero words and no negative zero, whatever cancels.
    let x = kernelForm(BigInt(1) << 200)
    let zero = BigKernels.subtract(x, x)
    #expect(zero.words.isEmpty && !zero.negative && zero.int == 0)
    let small = BigKernels.subtract(kernelForm((BigInt(1) << 200) + 5), x)
    #expect(small.words == [5] && small.int == 5)
    #expect(BigWords(Int.min).int == Int.min)
    #expect(BigWords(negative: false, words: [UInt(1) << 63]).int == nil)
    // Products past the schoolbook limit go to the package and come back normalised.
    let long = kernelForm((BigInt(1) << (64 * 60)) - 1)
    #expect(packageForm(BigKernels.multiply(long, long)) == ((BigInt(1) << (64 * 60)) - 1) * ((BigInt(1) << (64 * 60)) - 1))
}
