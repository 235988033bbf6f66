// Word-level kernels for big-int arithmetic: addition, subtraction, multiplication, and division
// with remainder, on the magnitudes' words.
//
// One idea: the BigInt package's versions of these work through `BigUInt`'s subscripts and
// mutating methods, paying a uniqueness check and a bounds check per word and making temporary
// big ints per quotient word, and reading a `BigUInt`'s words out costs a call per word. A big
// int made by these kernels keeps its words (`BigIntObj.words`), so a chain of arithmetic (a
// spigot, a factorial, a sum of big terms) runs entirely on word arrays: the schoolbook
// algorithms and Knuth's Algorithm D (TAOCP 4.3.1) over plain buffers. The package's form is made
// only for what the kernels do not do (powers, shifts, bit operations, conversions).

import BigInt

/// A signed big int as the kernels take it: the magnitude's words, least significant first,
/// with no leading zero words (empty for 0).
struct BigWords {
    var negative: Bool
    var words: [UInt]

    init(negative: Bool, words: [UInt]) {
        self.negative = negative && !words.isEmpty
        self.words = words
    }

    init(_ i: Int) {
        negative = i < 0
        words = i == 0 ? [] : [i.magnitude]
    }

    /// The value as an `Int`, when it fits.
    var int: Int? {
        switch words.count {
        case 0: return 0
        case 1:
            let w = words[0]
            if w <= UInt(Int.max) { return negative ? -Int(w) : Int(w) }
            if negative && w == UInt(1) << 63 { return Int.min }
            return nil
        default: return nil
        }
    }
}

enum BigKernels {
    typealias Word = UInt

    /// Products with both factors longer than this go to the package (Karatsuba).
    static let schoolbookLimit = 48

    /// The words of a magnitude in the package's form, least significant first, no leading zeros.
    static func words(_ x: BigUInt) -> [Word] { trimmed(Array(x.words)) }

    /// `a` with its leading zero words removed.
    @inline(__always) private static func trimmed(_ a: [Word]) -> [Word] {
        var a = a
        while let last = a.last, last == 0 { a.removeLast() }
        return a
    }

    // MARK: Signed operations

    static func add(_ x: BigWords, _ y: BigWords) -> BigWords {
        if x.negative == y.negative { return BigWords(negative: x.negative, words: addMagnitudes(x.words, y.words)) }
        // Different signs: the larger magnitude less the smaller, with the larger's sign.
        let c = compareMagnitudes(x.words, y.words)
        if c == 0 { return BigWords(negative: false, words: []) }
        return c > 0 ? BigWords(negative: x.negative, words: subtractMagnitudes(x.words, y.words))
                     : BigWords(negative: y.negative, words: subtractMagnitudes(y.words, x.words))
    }

    static func subtract(_ x: BigWords, _ y: BigWords) -> BigWords {
        add(x, BigWords(negative: !y.negative, words: y.words))
    }

    static func multiply(_ x: BigWords, _ y: BigWords) -> BigWords {
        let negative = x.negative != y.negative
        if x.words.count > schoolbookLimit && y.words.count > schoolbookLimit {
            let p = BigUInt(words: x.words) * BigUInt(words: y.words)
            return BigWords(negative: negative, words: words(p))
        }
        return BigWords(negative: negative, words: multiplyMagnitudes(x.words, y.words))
    }

    /// Floor division and remainder, as Python's `divmod` (y != 0): the remainder has the
    /// divisor's sign.
    static func floorDivMod(_ x: BigWords, _ y: BigWords) -> (BigWords, BigWords) {
        var (q, r) = divModMagnitudes(x.words, y.words)
        if x.negative != y.negative && !r.isEmpty {
            // Truncation rounded toward zero: one more in magnitude, and the remainder's complement.
            q = addMagnitudes(q, [1])
            r = subtractMagnitudes(y.words, r)
        }
        return (BigWords(negative: x.negative != y.negative, words: q), BigWords(negative: y.negative, words: r))
    }

    // MARK: Magnitudes

    /// -1, 0 or 1 as `a` is less than, equal to or greater than `b`.
    static func compareMagnitudes(_ a: [Word], _ b: [Word]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        var i = a.count &- 1
        while i >= 0 {
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
            i &-= 1
        }
        return 0
    }

    /// `l ± s` word by word into `out` (`l.count >= s.count`, `out` at least `l.count` long),
    /// the carry or borrow rippling through `l`'s rest; returns the last carry or borrow.
    @inline(__always)
    private static func carryChain(_ l: UnsafeBufferPointer<Word>, _ s: UnsafeBufferPointer<Word>,
                                   _ out: UnsafeMutableBufferPointer<Word>, subtract: Bool) -> Word {
        @inline(__always) func step(_ x: Word, _ y: Word) -> (Word, Bool) {
            subtract ? x.subtractingReportingOverflow(y) : x.addingReportingOverflow(y)
        }
        let n = l.count, m = s.count
        var carry: Word = 0
        var i = 0
        while i < m {
            let (r1, o1) = step(l[i], s[i])
            let (r2, o2) = step(r1, carry)
            out[i] = r2
            carry = (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
            i &+= 1
        }
        while i < n {
            let (r1, o1) = step(l[i], carry)
            out[i] = r1
            carry = o1 ? 1 : 0
            i &+= 1
        }
        return carry
    }

    static func addMagnitudes(_ a: [Word], _ b: [Word]) -> [Word] {
        let (long, short) = a.count >= b.count ? (a, b) : (b, a)
        let n = long.count
        return [Word](unsafeUninitializedCapacity: n &+ 1) { out, initialized in
            long.withUnsafeBufferPointer { l in
                short.withUnsafeBufferPointer { s in
                    let carry = carryChain(l, s, out, subtract: false)
                    out[n] = carry
                    initialized = carry == 0 ? n : n &+ 1
                }
            }
        }
    }

    /// `a - b` for `a >= b`.
    static func subtractMagnitudes(_ a: [Word], _ b: [Word]) -> [Word] {
        let n = a.count
        var top = 0
        let d = [Word](unsafeUninitializedCapacity: n) { out, initialized in
            a.withUnsafeBufferPointer { l in
                b.withUnsafeBufferPointer { s in
                    _ = carryChain(l, s, out, subtract: true)
                    // Without the leading zero words.
                    top = n
                    while top > 0 && out[top &- 1] == 0 { top &-= 1 }
                }
            }
            initialized = top
        }
        return d
    }

    /// The schoolbook product.
    static func multiplyMagnitudes(_ a: [Word], _ b: [Word]) -> [Word] {
        let n = a.count, m = b.count
        if n == 0 || m == 0 { return [] }
        if m == 1 { return multiplyMagnitude(a, byWord: b[0]) }
        if n == 1 { return multiplyMagnitude(b, byWord: a[0]) }
        var out = [Word](repeating: 0, count: n &+ m)
        out.withUnsafeMutableBufferPointer { out in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    for j in 0..<m {
                        let w = b[j]
                        if w == 0 { continue }
                        var carry: Word = 0
                        for i in 0..<n {
                            let (high, low) = a[i].multipliedFullWidth(by: w)
                            let (s1, o1) = low.addingReportingOverflow(out[i &+ j])
                            let (s2, o2) = s1.addingReportingOverflow(carry)
                            out[i &+ j] = s2
                            carry = high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
                        }
                        out[j &+ n] = carry
                    }
                }
            }
        }
        return trimmed(out)
    }

    /// `a` (not empty) times the nonzero word `w`, in one pass.
    private static func multiplyMagnitude(_ a: [Word], byWord w: Word) -> [Word] {
        let n = a.count
        return [Word](unsafeUninitializedCapacity: n &+ 1) { out, initialized in
            a.withUnsafeBufferPointer { a in
                var carry: Word = 0
                for i in 0..<n {
                    let (high, low) = a[i].multipliedFullWidth(by: w)
                    let (s, o) = low.addingReportingOverflow(carry)
                    out[i] = s
                    carry = high &+ (o ? 1 : 0)
                }
                out[n] = carry
                initialized = carry == 0 ? n : n &+ 1
            }
        }
    }

    /// Quotient and remainder of magnitudes (`b` not empty).
    static func divModMagnitudes(_ a: [Word], _ b: [Word]) -> ([Word], [Word]) {
        if compareMagnitudes(a, b) < 0 { return ([], a) }
        if b.count == 1 {
            let d = b[0]
            var r: Word = 0
            var q = a
            q.withUnsafeMutableBufferPointer { u in
                var i = u.count &- 1
                while i >= 0 {
                    let (qw, rest) = d.dividingFullWidth((r, u[i]))
                    u[i] = qw
                    r = rest
                    i &-= 1
                }
            }
            return (trimmed(q), r == 0 ? [] : [r])
        }
        return longDivision(a, b)
    }

    /// Algorithm D for a divisor of at least two words.
    private static func longDivision(_ a: [Word], _ b: [Word]) -> ([Word], [Word]) {
        let n = b.count, m = a.count &- n
        let shift = Word(b[n &- 1].leadingZeroBitCount)
        // The normalised divisor (top bit set) and dividend (one word longer).
        var v = [Word](repeating: 0, count: n)
        var u = [Word](repeating: 0, count: a.count &+ 1)
        shiftLeft(b, by: shift, into: &v)
        shiftLeft(a, by: shift, into: &u)
        var q = [Word](repeating: 0, count: m &+ 1)
        u.withUnsafeMutableBufferPointer { u in
            v.withUnsafeBufferPointer { v in
                q.withUnsafeMutableBufferPointer { q in
                    let top = v[n &- 1], next = v[n &- 2]
                    var j = m
                    while j >= 0 {
                        // Estimate the quotient word from the top two words of the remainder.
                        var qhat: Word, rhat: Word
                        var rhatOverflowed = false
                        if u[j &+ n] >= top {
                            qhat = Word.max
                            let (s, o) = u[j &+ n &- 1].addingReportingOverflow(top)
                            rhat = s
                            rhatOverflowed = o
                        } else {
                            (qhat, rhat) = top.dividingFullWidth((u[j &+ n], u[j &+ n &- 1]))
                        }
                        // Correct it (at most twice) with the next word.
                        while !rhatOverflowed {
                            let (ph, pl) = qhat.multipliedFullWidth(by: next)
                            if ph < rhat || (ph == rhat && pl <= u[j &+ n &- 2]) { break }
                            qhat &-= 1
                            let (s, o) = rhat.addingReportingOverflow(top)
                            rhat = s
                            rhatOverflowed = o
                        }
                        // Subtract qhat times the divisor from the remainder's top n + 1 words.
                        var carry: Word = 0, borrow: Word = 0
                        for i in 0..<n {
                            let (ph, pl) = qhat.multipliedFullWidth(by: v[i])
                            let (p, c) = pl.addingReportingOverflow(carry)
                            carry = ph &+ (c ? 1 : 0)
                            let (t1, b1) = u[i &+ j].subtractingReportingOverflow(p)
                            let (t2, b2) = t1.subtractingReportingOverflow(borrow)
                            u[i &+ j] = t2
                            borrow = (b1 ? 1 : 0) &+ (b2 ? 1 : 0)
                        }
                        let (t1, b1) = u[j &+ n].subtractingReportingOverflow(carry)
                        let (t2, b2) = t1.subtractingReportingOverflow(borrow)
                        u[j &+ n] = t2
                        if b1 || b2 {
                            // qhat was one too large: add the divisor back.
                            qhat &-= 1
                            var c: Word = 0
                            for i in 0..<n {
                                let (s1, o1) = u[i &+ j].addingReportingOverflow(v[i])
                                let (s2, o2) = s1.addingReportingOverflow(c)
                                u[i &+ j] = s2
                                c = (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
                            }
                            u[j &+ n] &+= c
                        }
                        q[j] = qhat
                        j &-= 1
                    }
                }
            }
        }
        // The remainder is the low n words of u, shifted back.
        var r = [Word](repeating: 0, count: n)
        for i in 0..<n {
            r[i] = shift == 0 ? u[i] : (u[i] &>> shift) | (u[i &+ 1] &<< (Word(Word.bitWidth) &- shift))
        }
        return (trimmed(q), trimmed(r))
    }

    /// `source` shifted left by `shift` bits (0 <= shift < 64) into `out` (at least as long).
    private static func shiftLeft(_ source: [Word], by shift: Word, into out: inout [Word]) {
        if shift == 0 {
            for i in 0..<source.count { out[i] = source[i] }
            return
        }
        var spill: Word = 0
        for i in 0..<source.count {
            let w = source[i]
            out[i] = (w &<< shift) | spill
            spill = w &>> (Word(Word.bitWidth) &- shift)
        }
        if out.count > source.count { out[source.count] = spill }
    }
}
