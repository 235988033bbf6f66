// Padding, signs and digit grouping for formatted numbers and strings.
// The one idea: a formatted number is
//   <lpadding> <sign> <prefix> <spadding> <grouped digits> <decimal point> <remainder> <rpadding>
// (CPython's `calc_number_widths` + `fill_number`); with '0' fill and '=' alignment the zero padding
// goes *inside* the grouping, so `format(1234567, '012,')` is '0,001,234,567'.

/// The pieces of one number to lay out. `digits` is the run of integer digits that gets grouped;
/// `remainder` is everything after the decimal point (fraction, exponent, '%', or the 'c' character,
/// or "inf"/"nan" with no digits at all).
struct NumberParts {
    var negative: Bool
    var prefix: [Unicode.Scalar] = []
    var digits: [Unicode.Scalar]
    var hasDecimal = false
    var remainder: [Unicode.Scalar] = []
}

/// Refuses widths that could never be allocated (CPython raises MemoryError there).
func checkFormatWidth(_ width: Int) throws(FormatError) {
    if width > Int(Int32.max) { throw .memoryError("") }
}

/// Lays out `parts` under `spec`, grouping digits by `groupSize` with `separator` (0/nil: none).
func layoutNumber(_ parts: NumberParts, spec: FormatSpec, groupSize: Int,
                  separator: Unicode.Scalar?) throws(FormatError) -> String {
    try checkFormatWidth(spec.width)
    var signChar: Unicode.Scalar?
    switch spec.sign {
    case "+": signChar = parts.negative ? "-" : "+"
    case " ": signChar = parts.negative ? "-" : " "
    default: signChar = parts.negative ? "-" : nil
    }
    let nonDigits = (signChar == nil ? 0 : 1) + parts.prefix.count + (parts.hasDecimal ? 1 : 0)
        + parts.remainder.count
    let minWidth = (spec.fill == "0" && spec.align == "=") ? spec.width - nonDigits : 0
    let grouped: [Unicode.Scalar] = parts.digits.isEmpty
        ? [] : groupDigits(parts.digits, minWidth: minWidth, groupSize: groupSize, separator: separator)
    let padding = spec.width - (nonDigits + grouped.count)
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
    var out = UTF8Builder(capacity: lpad + spad + rpad + nonDigits + grouped.count)
    out.append(spec.fill, count: lpad)
    if let signChar { out.append(signChar) }
    out.append(parts.prefix[...])
    out.append(spec.fill, count: spad)
    out.append(grouped[...])
    if parts.hasDecimal { out.append(".") }
    out.append(parts.remainder[...])
    out.append(spec.fill, count: rpad)
    return out.string
}

/// Builds a string as UTF-8 bytes, a scalar at a time (an ASCII scalar is one byte stored), so
/// formatting never goes through `String.UnicodeScalarView`'s generic appends.
struct UTF8Builder {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func append(bytes more: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: more) }

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
            bytes.append(contentsOf: repeatElement(UInt8(truncatingIfNeeded: c.value), count: count))
        } else {
            for _ in 0..<count { append(c) }
        }
    }

    mutating func append(_ scalars: ArraySlice<Unicode.Scalar>) {
        for c in scalars { append(c) }
    }

    var string: String { bytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) } }
}

/// CPython's `_PyUnicode_InsertThousandsGrouping`: groups from the right and, while `minWidth` is not
/// reached, pads with '0' digits (and separators between groups of them).
func groupDigits(_ digits: [Unicode.Scalar], minWidth: Int, groupSize: Int,
                 separator: Unicode.Scalar?) -> [Unicode.Scalar] {
    var reversed: [Unicode.Scalar] = []
    reversed.reserveCapacity(max(digits.count, minWidth) + digits.count / 3 + 2)
    var remaining = digits.count
    var minWidth = minWidth
    var end = digits.count
    var useSeparator = false

    func emit(_ l: Int) {
        let zeros = max(0, l - remaining)
        let chars = max(0, min(remaining, l))
        if useSeparator, let separator { reversed.append(separator) }
        var i = end - 1
        while i >= end - chars {
            reversed.append(digits[i])
            i -= 1
        }
        end -= chars
        reversed.append(contentsOf: repeatElement("0", count: zeros))
        remaining -= chars
    }

    var finished = false
    if groupSize > 0, separator != nil {
        while true {
            let l = min(groupSize, max(remaining, minWidth, 1))
            emit(l)
            useSeparator = true
            minWidth -= l
            if remaining <= 0 && minWidth <= 0 {
                finished = true
                break
            }
            minWidth -= 1
        }
    }
    if !finished {
        emit(max(remaining, minWidth, 1))
    }
    return reversed.reversed()
}

/// Pads a string of `count` code points per `align` ('<', '>', '^'; '=' acts as '<') to `width`.
func padString(_ scalars: ArraySlice<Unicode.Scalar>, width: Int, align: Unicode.Scalar,
               fill: Unicode.Scalar) -> String {
    let count = scalars.count
    let total = width > count ? width : count
    var lpad = 0
    if align == ">" {
        lpad = total - count
    } else if align == "^" {
        lpad = (total - count) / 2
    }
    let rpad = total - count - lpad
    var out = UTF8Builder(capacity: total)
    out.append(fill, count: lpad)
    out.append(scalars)
    out.append(fill, count: rpad)
    return out.string
}
