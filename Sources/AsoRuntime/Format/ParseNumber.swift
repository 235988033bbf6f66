// Text -> number: Python's float(str) and int(str, base).
// The one idea: like CPython, the text is first mapped to ASCII (Unicode whitespace becomes ' ',
// Unicode decimal digits become '0'-'9', anything else non-ASCII makes it invalid), then parsed by
// the exact ASCII grammar: surrounding whitespace, a sign, underscores only between digits, and for
// int the 0x/0o/0b prefixes and the 4300-digit limit on non-power-of-two bases.

import BigInt

/// Python's `float(s)` for a str, or nil when CPython raises "could not convert string to float".
func parseFloat(_ s: String) -> Double? {
    guard var text = asciiNumberText(s) else { return nil }
    text = trimAsciiSpace(text)
    if text.contains(0x5f) {
        guard let cleaned = removeFloatUnderscores(text) else { return nil }
        text = cleaned
    }
    guard !text.isEmpty else { return nil }
    var i = 0
    var negative = false
    if text[0] == 0x2b || text[0] == 0x2d {
        negative = text[0] == 0x2d
        i = 1
    }
    let rest = text[i...].map { $0 | 0x20 }  // lower-cased letters (digits are unchanged)
    if rest.elementsEqual("inf".utf8) || rest.elementsEqual("infinity".utf8) {
        return negative ? -Double.infinity : Double.infinity
    }
    if rest.elementsEqual("nan".utf8) {
        return negative ? -Double.nan : Double.nan
    }
    // number ::= digits [. digits] | . digits ; exponent ::= (e|E) [+|-] digits
    var mantissaDigits = 0
    while i < text.count && isAsciiDigit(text[i]) {
        i += 1
        mantissaDigits += 1
    }
    if i < text.count && text[i] == 0x2e {
        i += 1
        while i < text.count && isAsciiDigit(text[i]) {
            i += 1
            mantissaDigits += 1
        }
    }
    guard mantissaDigits > 0 else { return nil }
    if i < text.count && (text[i] == 0x65 || text[i] == 0x45) {
        i += 1
        if i < text.count && (text[i] == 0x2b || text[i] == 0x2d) { i += 1 }
        var exponentDigits = 0
        while i < text.count && isAsciiDigit(text[i]) {
            i += 1
            exponentDigits += 1
        }
        guard exponentDigits > 0 else { return nil }
    }
    guard i == text.count else { return nil }
    return Double(String(decoding: text, as: UTF8.self))
}

/// The message of the ValueError for `float(s)`.
func floatParseErrorMessage(_ s: String) -> String {
    "could not convert string to float: " + pyStringRepr(s)
}

/// The message of the ValueError for `int(s, base)` (the repr is cut to 200 code points).
func intParseErrorMessage(_ s: String, base: Int) -> String {
    "invalid literal for int() with base \(base): " + pyStringReprTruncated(s, maxLength: 200)
}

/// Python's `int(s, base)` for a str, with all of CPython's ValueErrors (bad base, bad literal,
/// the int/str digit limit; `maxStrDigits` 0 means no limit).
func parseInt(_ s: String, base: Int = 10,
              maxStrDigits: Int = defaultIntMaxStrDigits) throws(FormatError) -> ExactInteger {
    if base != 0 && (base < 2 || base > 36) {
        throw .valueError("int() base must be >= 2 and <= 36, or 0")
    }
    // (The message is built only when it is thrown: most texts parse.)
    func invalid() -> FormatError { .valueError(intParseErrorMessage(s, base: base)) }
    guard let text = asciiNumberText(s) else { throw invalid() }
    let n = text.count
    var i = 0
    while i < n && isAsciiSpace(text[i]) { i += 1 }
    var negative = false
    if i < n && (text[i] == 0x2b || text[i] == 0x2d) {
        negative = text[i] == 0x2d
        i += 1
    }
    func at(_ k: Int) -> UInt8 { k < n ? text[k] : 0 }
    var radix = base
    var errorIfNonzero = false
    if radix == 0 {
        if at(i) != 0x30 {
            radix = 10
        } else {
            switch at(i + 1) | 0x20 {
            case 0x78: radix = 16
            case 0x6f: radix = 8
            case 0x62: radix = 2
            default:
                errorIfNonzero = true
                radix = 10
            }
        }
    }
    if at(i) == 0x30 {
        let letter = at(i + 1) | 0x20
        if (radix == 16 && letter == 0x78) || (radix == 8 && letter == 0x6f) || (radix == 2 && letter == 0x62) {
            i += 2
            if at(i) == 0x5f { i += 1 }
        }
    }
    if at(i) == 0x5f { throw invalid() }

    var digits: [UInt8] = []
    var previous: UInt8 = 0
    while i < n {
        let c = text[i]
        if c == 0x5f {
            if previous == 0x5f { throw invalid() }
        } else if let v = digitValue(c), v < radix {
            digits.append(c)
        } else {
            break
        }
        previous = c
        i += 1
    }
    if previous == 0x5f { throw invalid() }
    let powerOfTwo = radix & (radix - 1) == 0
    if !powerOfTwo && maxStrDigits > 0 && digits.count > maxStrDigits {
        throw .valueError("Exceeds the limit (\(maxStrDigits) digits) for integer string conversion: "
            + "value has \(digits.count) digits; use sys.set_int_max_str_digits() to increase the limit")
    }
    while i < n && isAsciiSpace(text[i]) { i += 1 }
    guard !digits.isEmpty, i == n else { throw invalid() }

    let value = try digitsToInteger(digits, radix: radix, negative: negative, invalid: invalid)
    if errorIfNonzero && value != .small(0) { throw invalid() }
    return value
}

/// Converts validated ASCII digits, staying in machine ints while they fit.
private func digitsToInteger(_ digits: [UInt8], radix: Int, negative: Bool,
                             invalid: () -> FormatError) throws(FormatError) -> ExactInteger {
    var small = 0
    var fits = true
    for c in digits {
        guard let v = digitValue(c) else { throw invalid() }
        let (m, o1) = small.multipliedReportingOverflow(by: radix)
        let (a, o2) = m.addingReportingOverflow(v)
        if o1 || o2 {
            fits = false
            break
        }
        small = a
    }
    if fits { return .small(negative ? -small : small) }
    // Chunks of digits whose value fits a word: value = value * radix^k + chunk.
    var chunkLength = 1
    var chunkPower: UInt64 = UInt64(radix)
    while true {
        let (next, overflow) = chunkPower.multipliedReportingOverflow(by: UInt64(radix))
        if overflow { break }
        chunkPower = next
        chunkLength += 1
    }
    var magnitude = BigUInt(0)
    var index = 0
    while index < digits.count {
        let end = min(index + chunkLength, digits.count)
        var chunk: UInt64 = 0
        var power: UInt64 = 1
        for c in digits[index..<end] {
            guard let v = digitValue(c) else { throw invalid() }
            chunk = chunk &* UInt64(radix) &+ UInt64(v)
            power = power &* UInt64(radix)
        }
        magnitude = magnitude * BigUInt(power) + BigUInt(chunk)
        index = end
    }
    let value = BigInt(sign: negative ? .minus : .plus, magnitude: magnitude)
    return ExactInteger(value)
}

/// CPython's `_PyUnicode_TransformDecimalAndSpaceToASCII`: nil when a non-ASCII code point is neither
/// whitespace nor a decimal digit.
func asciiNumberText(_ s: String) -> [UInt8]? {
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count)
    for u in s.unicodeScalars {
        if u.value < 127 {
            out.append(UInt8(u.value))
        } else if isPythonSpace(u) {
            out.append(0x20)
        } else if let d = decimalValue(u) {
            out.append(UInt8(0x30 + d))
        } else {
            return nil
        }
    }
    return out
}

/// Python's `str.isspace()` for one code point.
func isPythonSpace(_ u: Unicode.Scalar) -> Bool {
    switch u.value {
    case 0x09...0x0d, 0x1c...0x20, 0x85, 0xa0, 0x1680, 0x2000...0x200a, 0x2028, 0x2029,
         0x202f, 0x205f, 0x3000:
        return true
    default:
        return false
    }
}

/// C's isspace in the C locale (CPython's Py_ISSPACE).
private func isAsciiSpace(_ c: UInt8) -> Bool {
    c == 0x20 || (c >= 0x09 && c <= 0x0d)
}

private func isAsciiDigit(_ c: UInt8) -> Bool {
    c >= 0x30 && c <= 0x39
}

/// 0-9, a-z, A-Z as 0...35.
private func digitValue(_ c: UInt8) -> Int? {
    switch c {
    case 0x30...0x39: return Int(c - 0x30)
    case 0x61...0x7a: return Int(c - 0x61 + 10)
    case 0x41...0x5a: return Int(c - 0x41 + 10)
    default: return nil
    }
}

private func trimAsciiSpace(_ text: [UInt8]) -> [UInt8] {
    var start = 0
    var end = text.count
    while start < end && isAsciiSpace(text[start]) { start += 1 }
    while end > start && isAsciiSpace(text[end - 1]) { end -= 1 }
    return Array(text[start..<end])
}

/// CPython's `_Py_string_to_number_with_underscores` check: '_' only between two digits.
private func removeFloatUnderscores(_ text: [UInt8]) -> [UInt8]? {
    var out: [UInt8] = []
    var previous: UInt8 = 0
    for c in text {
        if c == 0x5f {
            if !isAsciiDigit(previous) { return nil }
        } else {
            if previous == 0x5f && !isAsciiDigit(c) { return nil }
            out.append(c)
        }
        previous = c
    }
    if previous == 0x5f { return nil }
    return out
}
