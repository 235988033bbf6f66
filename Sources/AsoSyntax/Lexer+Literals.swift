// Number and string literals in the lexer, following CPython's tokenizer step by step.
//
// One idea: numbers are checked here exactly as CPython's `tok_get` checks them (same messages,
// same cursor positions), but only their raw text is kept; the parser converts the text to a value.
// Strings are only delimited here (escapes are decoded by the parser).

extension LexerState {
    /// Keywords that may directly follow a number (`1if x else 2`), which CPython only warns about.
    static let wordsAfterNumbers: [[Unicode.Scalar]] = ["and", "else", "for", "if", "in", "is", "or", "not"].map { Array($0.unicodeScalars) }

    @inline(__always) static func isDigit(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return c >= "0" && c <= "9"
    }

    @inline(__always) static func isHexDigit(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return isDigit(c) || (c >= "a" && c <= "f") || (c >= "A" && c <= "F")
    }

    /// Reports a number error with the cursor at `i` (CPython's `syntaxerror(tok, ...)`).
    func numberError(_ message: String) {
        fail(message, column: i - lineStart)
    }

    /// Digits with single underscores between them (`tok_decimal_tail`); false after an error.
    func decimalTail() -> Bool {
        while true {
            var j = i
            while j < s.count && s[j] >= "0" && s[j] <= "9" { j += 1 }
            i = j
            guard peek() == "_" else { return true }
            i += 1
            if !LexerState.isDigit(peek()) {
                numberError("invalid decimal literal")
                return false
            }
        }
    }

    /// After a number: a letter right after it is an error, except the keywords that may follow
    /// (`1if x else y`), which CPython only warns about. False after an error.
    func verifyEndOfNumber(_ kind: String) -> Bool {
        guard let c = peek(), isIdentifierContinue(c) else { return true }
        for word in LexerState.wordsAfterNumbers {
            var matches = true
            for (k, w) in word.enumerated() where peek(k) != w { matches = false; break }
            if matches { return true }
        }
        _ = c
        numberError("invalid \(kind) literal")
        return false
    }

    func number() {
        let start = i
        if peek() == "0" && !(peek(1) == ".") {
            i += 1
            let c = peek()
            if c == "x" || c == "X" {
                i += 1
                repeat {
                    if peek() == "_" { i += 1 }
                    if !LexerState.isHexDigit(peek()) { numberError("invalid hexadecimal literal"); return }
                    while LexerState.isHexDigit(peek()) { i += 1 }
                } while peek() == "_"
                if !verifyEndOfNumber("hexadecimal") { return }
                add(.number, start, i)
                return
            }
            if c == "o" || c == "O" || c == "b" || c == "B" {
                let octal = c == "o" || c == "O"
                let name = octal ? "octal" : "binary"
                let limit: Unicode.Scalar = octal ? "7" : "1"
                i += 1
                repeat {
                    if peek() == "_" { i += 1 }
                    guard let d = peek(), d >= "0" && d <= limit else {
                        if let d = peek(), LexerState.isDigit(d) {
                            i += 1
                            numberError("invalid digit '\(d)' in \(name) literal")
                        } else {
                            numberError("invalid \(name) literal")
                        }
                        return
                    }
                    while let d = peek(), d >= "0" && d <= limit { i += 1 }
                } while peek() == "_"
                if let d = peek(), LexerState.isDigit(d) {
                    i += 1
                    numberError("invalid digit '\(d)' in \(name) literal")
                    return
                }
                if !verifyEndOfNumber(name) { return }
                add(.number, start, i)
                return
            }
            // Zeros, maybe followed by more digits (only valid for a float or imaginary).
            while true {
                if peek() == "_" {
                    i += 1
                    if !LexerState.isDigit(peek()) { numberError("invalid decimal literal"); return }
                }
                if peek() != "0" { break }
                i += 1
            }
            var nonzero = false
            if LexerState.isDigit(peek()) {
                nonzero = true
                if !decimalTail() { return }
            }
            let d = peek()
            if d == "." || d == "e" || d == "E" || d == "j" || d == "J" {
                fractionAndExponent(start)
                return
            }
            if nonzero {
                fail("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", column: start - lineStart + 1)
                return
            }
            if !verifyEndOfNumber("decimal") { return }
            add(.number, start, i)
            return
        }
        if peek() != "." && !decimalTail() { return }
        fractionAndExponent(start)
    }

    /// The rest of a decimal number after its integer digits: `.digits`, exponent, `j`.
    func fractionAndExponent(_ start: Int) {
        if peek() == "." {
            i += 1
            if LexerState.isDigit(peek()) && !decimalTail() { return }
        }
        if let e = peek(), e == "e" || e == "E" {
            let ePosition = i
            i += 1
            if peek() == "+" || peek() == "-" {
                i += 1
                if !LexerState.isDigit(peek()) { numberError("invalid decimal literal"); return }
            } else if !LexerState.isDigit(peek()) {
                i = ePosition
                if !verifyEndOfNumber("decimal") { return }
                add(.number, start, i)
                return
            }
            if !decimalTail() { return }
        }
        if peek() == "j" || peek() == "J" {
            i += 1
            if !verifyEndOfNumber("imaginary") { return }
        } else if !verifyEndOfNumber("decimal") {
            return
        }
        add(.number, start, i)
    }

    /// A string literal whose prefix starts at `prefixStart` and whose quote is at `i`.
    func string(prefixStart: Int) {
        guard let quote = peek() else { return }
        let startLine = line, startLineStart = lineStart
        let triple = peek(1) == quote && peek(2) == quote
        i += triple ? 3 : 1
        while true {
            guard let c = peek() else {
                let eofLine = text.endOfFile.line
                let message = triple ? "unterminated triple-quoted string literal (detected at line \(eofLine))"
                                     : "unterminated string literal (detected at line \(line))"
                fail(message, column: prefixStart - startLineStart + 1, atLine: startLine)
                return
            }
            if c == "\\" {
                i += 1
                if peek() == "\n" { i += 1; newLine() } else if peek() != nil { i += 1 }
                continue
            }
            if c == "\n" {
                if !triple {
                    fail("unterminated string literal (detected at line \(line))", column: prefixStart - startLineStart + 1, atLine: startLine)
                    return
                }
                i += 1
                newLine()
                continue
            }
            if c == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
                i += triple ? 3 : 1
                add(.string, prefixStart, i, startLine: startLine, startLineStart: startLineStart)
                return
            }
            // Skip plain characters in one local loop.
            var j = i + 1
            while j < s.count && s[j] != quote && s[j] != "\\" && s[j] != "\n" { j += 1 }
            i = j
        }
    }
}
