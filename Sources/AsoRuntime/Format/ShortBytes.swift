// Short runs of bytes built without allocating: the digits of a float and its text.
//
// One idea: up to 64 bytes live in the value itself (eight words, on the stack of whoever builds
// it), so turning a float into text touches the allocator only for text longer than that (a float
// formatted with dozens of places); then every byte moves to an array.

/// Noncopyable: it moves without reference counting, and the block of spilled bytes has one owner.
struct ShortBytes: ~Copyable {
    static let inlineCapacity = 64
    private var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// Every byte, once there are more than `inlineCapacity`; nil before.
    private var spill: UnsafeMutablePointer<UInt8>?
    private var spillCapacity = 0
    private(set) var count = 0

    init() {}

    deinit { spill?.deallocate() }

    @inline(__always) mutating func append(_ b: UInt8) {
        let n = count
        if n < ShortBytes.inlineCapacity && spill == nil {
            withUnsafeMutableBytes(of: &words) { $0[n] = b }
        } else {
            appendSpilled(b)
        }
        count = n &+ 1
    }

    @inline(never) private mutating func appendSpilled(_ b: UInt8) {
        let n = count
        if spill == nil || n == spillCapacity {
            let capacity = Swift.max(n &* 2, ShortBytes.inlineCapacity &* 2)
            let block = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            if let old = spill {
                block.initialize(from: old, count: n)
                old.deallocate()
            } else {
                withUnsafeBytes(of: words) { raw in
                    if let from = raw.baseAddress { UnsafeMutableRawPointer(block).copyMemory(from: from, byteCount: n) }
                }
            }
            spill = block
            spillCapacity = capacity
        }
        spill.unsafelyUnwrapped[n] = b
    }

    /// `b` `n` times (nothing when n <= 0).
    mutating func append(_ b: UInt8, count n: Int) {
        var i = 0
        while i < n {
            append(b)
            i &+= 1
        }
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        for b in bytes { append(b) }
    }

    /// The bytes from `start` to `end` of `other`.
    mutating func append(_ other: borrowing ShortBytes, from start: Int, to end: Int) {
        other.withBytes { append(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// The decimal digits of `v`.
    mutating func appendDecimal(_ v: UInt64) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var n = 0
        var rest = v
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(truncatingIfNeeded: rest % 10) &+ 0x30
                rest /= 10
                n &+= 1
            } while rest != 0
        }
        withUnsafeBytes(of: digits) { d in
            while n > 0 {
                n &-= 1
                append(d[n])
            }
        }
    }

    @inline(__always) subscript(i: Int) -> UInt8 {
        if let s = spill { return s[i] }
        // Read from the word, not through a pointer to `words` (which would copy all eight words
        // to a temporary first). Byte i of the memory is byte i % 8 of the little-endian word.
        let w = UInt64(littleEndian: word(i &>> 3))
        return UInt8(truncatingIfNeeded: w &>> UInt64((i & 7) &* 8))
    }

    @inline(__always) private func word(_ k: Int) -> UInt64 {
        switch k {
        case 0: return words.0
        case 1: return words.1
        case 2: return words.2
        case 3: return words.3
        case 4: return words.4
        case 5: return words.5
        case 6: return words.6
        default: return words.7
        }
    }

    /// Whether the bytes are "1" and then only "0"s.
    var isPowerOfTen: Bool {
        guard count > 0, self[0] == 0x31 else { return false }
        var i = 1
        while i < count {
            if self[i] != 0x30 { return false }
            i &+= 1
        }
        return true
    }

    var last: UInt8? { count == 0 ? nil : self[count &- 1] }

    mutating func removeLast() {
        if count > 0 { count &-= 1 }
    }

    /// Runs `body` on the bytes.
    func withBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        let n = count
        if let s = spill { return try body(UnsafeBufferPointer(start: s, count: n)) }
        return try withUnsafeBytes(of: words) { (raw) throws(E) -> R in
            try body(UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: n))
        }
    }

    /// The bytes as a string (no allocation for up to 15 bytes: Swift keeps those inline).
    var string: String { withBytes { utf8String($0) } }
}
