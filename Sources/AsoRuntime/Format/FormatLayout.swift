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
    var out = String.UnicodeScalarView()
    out.append(contentsOf: repeatElement(spec.fill, count: lpad))
    if let signChar { out.append(signChar) }
    out.append(contentsOf: parts.prefix)
    out.append(contentsOf: repeatElement(spec.fill, count: spad))
    out.append(contentsOf: grouped)
    if parts.hasDecimal { out.append(".") }
    out.append(contentsOf: parts.remainder)
    out.append(contentsOf: repeatElement(spec.fill, count: rpad))
    return String(out)
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
    var out = String.UnicodeScalarView()
    out.append(contentsOf: repeatElement(fill, count: lpad))
    out.append(contentsOf: scalars)
    out.append(contentsOf: repeatElement(fill, count: rpad))
    return String(out)
}
