// The Mersenne Twister behind the `random` module, bit for bit as CPython's `_randommodule.c`.
//
// One idea: every sequence a seeded program sees is derived from `next32()` in exactly the order
// CPython draws words: `random()` takes two words (27 + 26 bits), `getrandbits(k)` takes words
// least significant first and drops the low bits of the last one, and seeding an int runs
// `init_by_array` over its absolute value's 32-bit words. Everything above this file only calls
// `random()`, `getrandbits` and `below` (CPython's `_randbelow_with_getrandbits`).

import BigInt

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One MT19937 generator plus `gauss`'s saved second value. A plain class captured by the
/// module's native functions, so the state lives exactly as long as the module.
final class MersenneTwister {
    static let n = 624
    static let m = 397
    private var mt = [UInt32](repeating: 0, count: MersenneTwister.n)
    private var index = MersenneTwister.n + 1
    /// `Random.gauss_next`: the second value of the last Box-Muller pair, if unused.
    var gaussNext: Double?

    init() { seedFromEntropy() }

    // MARK: Seeding

    private func initGenrand(_ s: UInt32) {
        mt[0] = s
        for i in 1..<Self.n {
            let prev = mt[i - 1]
            mt[i] = 1812433253 &* (prev ^ (prev >> 30)) &+ UInt32(i)
        }
        index = Self.n
    }

    /// `init_by_array` of the reference implementation.
    func seed(key: [UInt32]) {
        let key = key.isEmpty ? [0] : key
        initGenrand(19650218)
        var i = 1, j = 0
        var k = max(Self.n, key.count)
        while k > 0 {
            let prev = mt[i - 1]
            mt[i] = (mt[i] ^ ((prev ^ (prev >> 30)) &* 1664525)) &+ key[j] &+ UInt32(truncatingIfNeeded: j)
            i += 1; j += 1
            if i >= Self.n { mt[0] = mt[Self.n - 1]; i = 1 }
            if j >= key.count { j = 0 }
            k -= 1
        }
        k = Self.n - 1
        while k > 0 {
            let prev = mt[i - 1]
            mt[i] = (mt[i] ^ ((prev ^ (prev >> 30)) &* 1566083941)) &- UInt32(i)
            i += 1
            if i >= Self.n { mt[0] = mt[Self.n - 1]; i = 1 }
            k -= 1
        }
        mt[0] = 0x8000_0000
        gaussNext = nil
    }

    /// CPython's `random_seed` for an int: the absolute value's 32-bit words, least significant first.
    func seed(int value: BigInt) {
        var key: [UInt32] = []
        for w in value.magnitude.words {
            key.append(UInt32(truncatingIfNeeded: w))
            key.append(UInt32(truncatingIfNeeded: UInt64(w) >> 32))
        }
        while key.count > 1, key.last == 0 { key.removeLast() }
        seed(key: key)
    }

    /// `seed(None)`: any non-deterministic source (the OS's entropy, else the clock).
    func seedFromEntropy() {
        var key = [UInt32](repeating: 0, count: Self.n)
        var filled = false
        if let f = fopen("/dev/urandom", "rb") {
            filled = key.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) } == key.count * 4
            fclose(f)
        }
        if !filled {
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            key = [UInt32(truncatingIfNeeded: ts.tv_sec), UInt32(truncatingIfNeeded: ts.tv_nsec),
                   UInt32(truncatingIfNeeded: getpid())]
        }
        seed(key: key)
    }

    // MARK: Drawing

    /// `genrand_uint32`.
    func next32() -> UInt32 {
        if index >= Self.n { twist() }
        var y = mt[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    private func twist() {
        let upper: UInt32 = 0x8000_0000, lower: UInt32 = 0x7fff_ffff, matrix: UInt32 = 0x9908_b0df
        for kk in 0..<Self.n {
            let y = (mt[kk] & upper) | (mt[(kk + 1) % Self.n] & lower)
            mt[kk] = mt[(kk + Self.m) % Self.n] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : matrix)
        }
        index = 0
    }

    /// `random()`: a float in [0, 1) from 53 random bits.
    func random() -> Double {
        let a = Double(next32() >> 5), b = Double(next32() >> 6)
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)
    }

    /// `getrandbits(k)` for k <= 64.
    func bits64(_ k: Int) -> UInt64 {
        if k <= 0 { return 0 }
        if k <= 32 { return UInt64(next32() >> UInt32(32 - k)) }
        let low = UInt64(next32())
        let high = UInt64(next32() >> UInt32(64 - min(k, 64)))
        return low | high << 32
    }

    /// `getrandbits(k)` for any k >= 0.
    func bits(_ k: Int) -> BigInt {
        if k <= 64 { return BigInt(bits64(k)) }
        var words: [UInt] = []
        words.reserveCapacity(k / 64 + 1)
        var left = k
        while left > 0 {
            var w = UInt64(next32())
            if left < 32 { w >>= UInt64(32 - left) }
            left -= 32
            if left > 0 {
                var h = UInt64(next32())
                if left < 32 { h >>= UInt64(32 - left) }
                left -= 32
                w |= h << 32
            }
            words.append(UInt(w))
        }
        return BigInt(sign: .plus, magnitude: BigUInt(words: words))
    }

    /// `_randbelow_with_getrandbits(n)` for 0 < n < 2**63.
    func below(_ n: Int) -> Int {
        let k = Int.bitWidth - n.leadingZeroBitCount
        var r = bits64(k)
        while r >= UInt64(n) { r = bits64(k) }
        return Int(r)
    }

    /// `_randbelow_with_getrandbits(n)` for any n > 0.
    func below(_ n: BigInt) -> BigInt {
        if let small = Int(exactly: n) { return BigInt(below(small)) }
        let k = n.magnitude.bitWidth
        var r = bits(k)
        while r >= n { r = bits(k) }
        return r
    }

    // MARK: State

    /// The 624 words plus the position, as `getstate()`'s inner tuple holds them.
    var stateWords: [Int] { mt.map { Int($0) } + [index] }

    /// Restores `stateWords`; false when the position is out of range.
    func restore(words: [UInt32], position: Int) -> Bool {
        guard words.count == Self.n, position >= 0, position <= Self.n else { return false }
        mt = words
        index = position
        return true
    }
}
