// Padding, signs and digit grouping for formatted numbers and strings, written as UTF-8 bytes.
// The one idea: a formatted number is
//   <lpadding> <sign> <prefix> <spadding> <grouped digits> <decimal point> <remainder> <rpadding>
// (CPython's `calc_number_widths` + `fill_number`); with '0' fill and '=' alignment the zero padding
// goes *inside* the grouping, so `format(1234567, '012,')` is '0,001,234,567'. Every piece is
// appended to one byte buffer; widths count code points (the fill and a 'c' character may take
// several bytes each).

/// Refuses widths that could never be allocated (CPython raises MemoryError there).
func checkFormatWidth(_ width: Int) throws(FormatError) {
    if width > Int(Int32.max) { throw .memoryError("") }
}

/// The pieces of one number, as byte ranges of its text. `digits` is the run of integer digits
/// that gets grouped; `remainder` is everything after the decimal point (fraction, exponent, or the
/// 'c' character, or "inf"/"nan" with no digits at all), then '%' when `percent`.
struct NumberParts {
    var negative: Bool
    /// The letter of a "0x"/"0X"/"0o"/"0b" prefix; 0 for none.
    var prefix: UInt8 = 0
    var digits: Range<Int>
    var hasDecimal = false
    var remainder: Range<Int>
    var percent = false
}

/// Appends `parts` of `text` laid out under `spec`, grouping digits by `groupSize` with `separator`
/// (0: none).
func layoutNumber(_ text: UnsafeBufferPointer<UInt8>, _ parts: NumberParts, spec: FormatSpec,
                  groupSize: Int, separator: UInt8, into out: inout UTF8Builder) throws(FormatError) {
    try checkFormatWidth(spec.width)
    var signChar: UInt8 = 0
    switch spec.sign {
    case "+": signChar = parts.negative ? 0x2D : 0x2B
    case " ": signChar = parts.negative ? 0x2D : 0x20
    default: signChar = parts.negative ? 0x2D : 0
    }
    let remainder = UnsafeBufferPointer(rebasing: text[parts.remainder])
    let nonDigits = (signChar == 0 ? 0 : 1) + (parts.prefix == 0 ? 0 : 2) + (parts.hasDecimal ? 1 : 0)
        + utf8CodePointCount(remainder) + (parts.percent ? 1 : 0)
    let minWidth = (spec.fill == "0" && spec.align == "=") ? spec.width - nonDigits : 0
    let digits = UnsafeBufferPointer(rebasing: text[parts.digits])
    let shape = digits.isEmpty
        ? DigitGrouping(slots: 0, groups: 0, first: 0)
        : DigitGrouping(count: digits.count, minWidth: minWidth,
                        groupSize: separator == 0 ? 0 : groupSize)
    let padding = spec.width - (nonDigits + shape.length)
    var lpad = 0, spad = 0, rpad = 0
    if padding > 0 {
        switch spec.align {
        case "<": rpad = padding
        case "^":
            lpad = padding / 2
            rpad = padding - lpad
        case "=": spad = padding
        default: lpad = padding
        }
    }
    out.reserve((lpad + spad + rpad) * (spec.fill.value < 0x80 ? 1 : 4) + 4 + shape.length + remainder.count)
    out.append(spec.fill, count: lpad)
    if signChar != 0 { out.append(byte: signChar) }
    if parts.prefix != 0 {
        out.append(byte: 0x30)
        out.append(byte: parts.prefix)
    }
    out.append(spec.fill, count: spad)
    out.appendGrouped(digits, shape, separator: separator, groupSize: groupSize)
    if parts.hasDecimal { out.append(byte: 0x2E) }
    out.append(bytes: remainder)
    if parts.percent { out.append(byte: 0x25) }
    out.append(spec.fill, count: rpad)
}

/// The shape of CPython's `_PyUnicode_InsertThousandsGrouping`: grouping from the right and, while
/// `minWidth` is not reached, padding with '0' digits (and separators between groups of them).
/// The digits fill `slots` positions ('0' on the left for the rest) in `groups` groups, each of
/// `groupSize` but the leftmost, of `first`.
struct DigitGrouping {
    var slots: Int
    var groups: Int
    var first: Int

    /// Digits and separators.
    var length: Int { groups > 0 ? slots + groups - 1 : 0 }

    init(slots: Int, groups: Int, first: Int) {
        self.slots = slots
        self.groups = groups
        self.first = first
    }

    /// The shape for `count` digits; `groupSize` 0: no grouping (one group, zero-padded).
    init(count: Int, minWidth: Int, groupSize: Int) {
        guard groupSize > 0 else {
            let n = max(count, minWidth, 1)
            self.init(slots: n, groups: 1, first: n)
            return
        }
        var remaining = count
        var minWidth = minWidth
        var slots = 0, groups = 0, last = 0
        while true {
            let l = min(groupSize, max(remaining, minWidth, 1))
            slots += l
            groups += 1
            last = l
            remaining -= min(remaining, l)
            minWidth -= l
            if remaining <= 0 && minWidth <= 0 { break }
            minWidth -= 1
        }
        self.init(slots: slots, groups: groups, first: last)
    }
}

/// Builds a string as UTF-8 bytes (an ASCII scalar is one byte stored), so formatting never goes
/// through `String.UnicodeScalarView`'s generic appends.
struct UTF8Builder {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// An empty builder over `storage`'s block, which it takes (leaving `storage` empty).
    init(taking storage: inout [UInt8]) {
        swap(&bytes, &storage)
        bytes.removeAll(keepingCapacity: true)
    }

    /// Gives the block back to `storage`, unless it grew large (then it is freed).
    mutating func giveBack(to storage: inout [UInt8]) {
        guard bytes.capacity <= 1 << 16 else { return }
        swap(&bytes, &storage)
    }

    /// Makes room for `n` more bytes.
    @inline(__always) mutating func reserve(_ n: Int) {
        let need = bytes.count &+ n
        if need > bytes.capacity { bytes.reserveCapacity(Swift.max(need, bytes.capacity &* 2)) }
    }

    /// The bytes of `more` (short runs byte by byte: cheaper than a generic bulk append).
    @inline(__always) mutating func append(bytes more: UnsafeBufferPointer<UInt8>) {
        if more.count <= 8 {
            for b in more { bytes.append(b) }
        } else {
            bytes.append(contentsOf: more)
        }
    }

    /// The UTF-8 bytes of `s`.
    mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    @inline(__always) mutating func append(byte: UInt8) { bytes.append(byte) }

    @inline(__always) mutating func append(_ c: Unicode.Scalar) {
        let v = c.value
        if v < 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v))
        } else if v < 0x800 {
            bytes.append(UInt8(truncatingIfNeeded: 0xC0 | (v >> 6)))
            bytes.append(UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            bytes.append(UInt8(truncatingIfNeeded: 0xE0 | (v >> 12)))
            bytes.append(UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F)))
            bytes.append(UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F)))
        } else {
            bytes.append(UInt8(truncatingIfNeeded: 0xF0 | (v >> 18)))
            bytes.append(UInt8(truncatingIfNeeded: 0x80 | ((v >> 12) & 0x3F)))
            bytes.append(UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F)))
            bytes.append(UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F)))
        }
    }

    /// `c` repeated `count` times (nothing when count <= 0).
    @inline(__always) mutating func append(_ c: Unicode.Scalar, count: Int) {
        guard count > 0 else { return }
        if c.value < 0x80 {
            let b = UInt8(truncatingIfNeeded: c.value)
            if count <= 8 {
                for _ in 0..<count { bytes.append(b) }
            } else {
                bytes.append(contentsOf: repeatElement(b, count: count))
            }
        } else {
            for _ in 0..<count { append(c) }
        }
    }

    /// `digits` laid out as `shape` says: '0' in the slots left of them, `separator` (0: none)
    /// between groups.
    mutating func appendGrouped(_ digits: UnsafeBufferPointer<UInt8>, _ shape: DigitGrouping,
                                separator: UInt8, groupSize: Int) {
        guard shape.groups > 0 else { return }
        let zeros = shape.slots - digits.count
        var slot = 0
        var groupEnd = shape.first
        while true {
            // Leading zeros, then the digits, up to the end of this group.
            if slot < zeros {
                let n = Swift.min(zeros, groupEnd) - slot
                append("0", count: n)
                slot += n
            }
            if slot < groupEnd {
                append(bytes: UnsafeBufferPointer(rebasing: digits[(slot - zeros)..<(groupEnd - zeros)]))
                slot = groupEnd
            }
            if groupEnd >= shape.slots { break }
            if separator != 0 { bytes.append(separator) }
            groupEnd += groupSize
        }
    }

    /// `text` (`count` code points) padded per `align` ('<', '>', '^'; '=' acts as '<') to `width`.
    mutating func appendPadded(_ text: UnsafeBufferPointer<UInt8>, count: Int, width: Int,
                               align: Unicode.Scalar, fill: Unicode.Scalar) {
        let total = width > count ? width : count
        var lpad = 0
        if align == ">" {
            lpad = total - count
        } else if align == "^" {
            lpad = (total - count) / 2
        }
        let rpad = total - count - lpad
        reserve(text.count + (lpad + rpad) * (fill.value < 0x80 ? 1 : 4))
        append(fill, count: lpad)
        append(bytes: text)
        append(fill, count: rpad)
    }

    var string: String { bytes.withUnsafeBufferPointer { utf8String($0) } }
}

/// The number of code points in valid UTF-8 (bytes that do not continue a sequence).
func utf8CodePointCount(_ s: UnsafeBufferPointer<UInt8>) -> Int {
    var n = 0
    for b in s where b & 0xC0 != 0x80 { n &+= 1 }
    return n
}

/// The byte offset just past the first `n` code points of valid UTF-8 (the whole when shorter).
func utf8Offset(_ s: UnsafeBufferPointer<UInt8>, codePoints n: Int) -> Int {
    var seen = 0
    var i = 0
    while i < s.count {
        if s[i] & 0xC0 != 0x80 {
            if seen == n { return i }
            seen += 1
        }
        i += 1
    }
    return s.count
}

