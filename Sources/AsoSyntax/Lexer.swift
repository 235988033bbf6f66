// The lexer: source scalars -> tokens, with INDENT/DEDENT, line joining and CPython's error rules.
//
// One idea: the lexer runs over the whole file before parsing, like CPython's
// `_PyPegen_tokenize_full_source_to_check_for_errors`: if it meets an error it stops with an
// `.error` token and records the error, and the parser lets that error win over its own (except an
// unclosed bracket at end of file, which wins only when the parser got past the bracket's line).
// Error columns follow CPython's tokenizer: the number of scalars from the line start to the
// tokenizer's cursor.

/// Turns source text into tokens.
package struct Lexer: Sendable {
    /// Python's keywords (hard keywords of 3.11).
    package static let keywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
        "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
        "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
        "with", "yield",
    ]

    /// Operators and delimiters. `!` only appears in f-string fields (`{x!r}`); elsewhere no rule accepts it.
    package static let operators: Set<String> = [
        "!",
        "+", "-", "*", "/", "//", "%", "**", "@", "<<", ">>", "&", "|", "^", "~", ":=",
        "<", ">", "<=", ">=", "==", "!=", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "=", "->",
        "+=", "-=", "*=", "/=", "//=", "%=", "@=", "&=", "|=", "^=", ">>=", "<<=", "**=", "...",
    ]

    /// CPython's limit on nested brackets (MAXLEVEL).
    package static let maxBracketDepth = 200

    /// The tokens of a file and the error that stopped the lexer, if any.
    package struct Output: Sendable {
        package var tokens: [Token]
        package var error: SyntaxError?
        /// When `error` is "'(' was never closed": the line of that bracket.
        package var unclosedBracketLine: Int?
        /// True when `error` is one CPython's tokenizer reports only if the parser reaches it
        /// (indentation, tab and line-continuation errors); other lexer errors win over any
        /// parser error, wherever they are in the file.
        package var errorWaitsForParser = false
    }

    /// Tokenizes raw file bytes.
    package static func tokenize(_ bytes: [UInt8], filename: String = "<string>") -> Output {
        switch SourceText.decode(bytes, filename: filename) {
        case .failure(let error):
            return Output(tokens: [Token(.error, "", SourceLocation(line: 1, column: 1), SourceLocation(line: 1, column: 1))], error: error)
        case .success(let text):
            return tokenize(text)
        }
    }

    /// Decodes and tokenizes raw bytes, returning the decoded text too (nil when decoding failed).
    static func tokenizeKeepingText(_ bytes: [UInt8], filename: String) -> (Output, SourceText?) {
        switch SourceText.decode(bytes, filename: filename) {
        case .failure(let error):
            let here = SourceLocation(line: 1, column: 1)
            return (Output(tokens: [Token(.error, "", here, here)], error: error), nil)
        case .success(let text):
            return (tokenize(text), text)
        }
    }

    /// Tokenizes a string.
    package static func tokenize(_ source: String) -> Output {
        tokenize(Array(source.utf8))
    }

    static func tokenize(_ text: SourceText) -> Output {
        text.scalars.withUnsafeBufferPointer { buffer in
            let state = LexerState(text, buffer)
            state.run()
            return Output(tokens: state.tokens, error: state.error, unclosedBracketLine: state.unclosedBracketLine,
                          errorWaitsForParser: state.errorWaitsForParser)
        }
    }
}

/// The lexer's working state; `run()` fills `tokens`.
final class LexerState {
    let text: SourceText
    /// The scalars being read (`text.scalars`), valid while `Lexer.tokenize` runs.
    let s: UnsafeBufferPointer<Unicode.Scalar>
    /// The read position in `s`.
    var i = 0
    /// The current line (1-based) and the index in `s` where it starts.
    var line = 1
    var lineStart = 0
    var tokens: [Token] = []
    var error: SyntaxError?
    var unclosedBracketLine: Int?
    /// See `Lexer.Output.errorWaitsForParser`.
    var errorWaitsForParser = false
    /// Open brackets: the character, its line and column.
    var brackets: [(Unicode.Scalar, Int, Int)] = []
    /// Indentation columns with tabs to multiples of 8, and with tabs as 1 (CPython's `altcol`).
    var indents: [Int] = [0]
    var altIndents: [Int] = [0]
    /// True when the next character starts a physical line that is not a continuation.
    var atLineStart = true
    /// True after a token on the current logical line (so a NEWLINE is due).
    var lineHasTokens = false
    /// Where a comment started on the current physical line, if one did.
    var commentStart: Int?

    init(_ text: SourceText, _ buffer: UnsafeBufferPointer<Unicode.Scalar>) {
        self.text = text
        self.s = buffer
    }

    @inline(__always) func peek(_ k: Int = 0) -> Unicode.Scalar? {
        let j = i + k
        return j < s.count ? s[j] : nil
    }

    func location(_ index: Int) -> SourceLocation { SourceLocation(line: line, column: index - lineStart + 1) }

    /// Records an error at `column` of the current line (or of `atLine`) and stops.
    func fail(_ message: String, column: Int, atLine: Int? = nil) {
        fail(kind: .syntax, message, column: column, atLine: atLine)
    }

    func fail(kind: SyntaxError.Kind, _ message: String, column: Int, atLine: Int? = nil) {
        let l = atLine ?? line
        error = SyntaxError(kind, message, at: SourceLocation(line: l, column: column), sourceLine: text.line(l))
        let here = location(min(i, s.count))
        tokens.append(Token(.error, "", here, here, depth: brackets.count))
    }

    func add(_ kind: TokenKind, _ start: Int, _ end: Int, startLine: Int? = nil, startLineStart: Int? = nil) {
        let loc = SourceLocation(line: startLine ?? line, column: start - (startLineStart ?? lineStart) + 1)
        tokens.append(Token(kind, text(start, end), loc, location(end), depth: brackets.count))
        lineHasTokens = true
    }

    /// The source text between two indices; ASCII text (nearly every token) is copied byte by byte.
    func text(_ start: Int, _ end: Int) -> String {
        let count = end - start
        var ascii = true
        let fast = String(unsafeUninitializedCapacity: count) { buffer in
            for k in 0..<count {
                let v = s[start + k].value
                if v >= 0x80 { ascii = false; return 0 }
                buffer[k] = UInt8(truncatingIfNeeded: v)
            }
            return count
        }
        if ascii { return fast }
        var str = String.UnicodeScalarView()
        str.append(contentsOf: s[start..<end])
        return String(str)
    }

    func newLine() {
        line += 1
        lineStart = i
    }

    /// Tokenizes the whole input.
    func run() {
        while error == nil {
            if atLineStart {
                atLineStart = false
                if !indentation() { continue }
                if error != nil { return }
            }
            guard let c = peek() else { finish(); return }
            switch c {
            case " ", "\t", "\u{0C}":
                var j = i + 1
                while j < s.count && (s[j] == " " || s[j] == "\t" || s[j] == "\u{0C}") { j += 1 }
                i = j
            case "#":
                commentStart = i
                var j = i
                while j < s.count && s[j] != "\n" { j += 1 }
                i = j
            case "\n":
                if brackets.isEmpty && lineHasTokens {
                    // CPython starts the NEWLINE token at a comment that ends the line.
                    tokens.append(Token(.newline, "", location(commentStart ?? i), location(i + 1), depth: 0))
                    lineHasTokens = false
                }
                commentStart = nil
                i += 1
                newLine()
                atLineStart = brackets.isEmpty
            case "\\":
                errorWaitsForParser = true
                if peek(1) == nil {
                    fail("unexpected EOF while parsing", column: i + 2 - lineStart)
                } else if peek(1) == "\n" {
                    i += 2
                    if i >= s.count {
                        fail("unexpected EOF while parsing", column: i - lineStart)
                        return
                    }
                    errorWaitsForParser = false
                    newLine()
                } else {
                    i += min(2, s.count - i)
                    fail("unexpected character after line continuation character", column: i - lineStart)
                }
            case "0"..."9":
                number()
            case ".":
                if let d = peek(1), ("0"..."9").contains(d) { number() } else { operatorToken() }
            case "'", "\"":
                string(prefixStart: i)
            default:
                if isIdentifierStart(c) { identifier() } else { operatorToken() }
            }
        }
    }

    /// Reads the indentation of a new line and emits INDENT/DEDENT. Returns false for a blank or
    /// comment-only line (nothing emitted, the caller goes on with the next line).
    func indentation() -> Bool {
        var col = 0, altcol = 0
        // A backslash continuation inside the indentation: the first one fixes the level.
        var continued: (Int, Int)?
        var start = i
        while let c = peek() {
            if c == " " { col += 1; altcol += 1 }
            else if c == "\t" { col = (col / 8 + 1) * 8; altcol += 1 }
            else if c == "\u{0C}" { col = 0; altcol = 0 }
            else if c == "\\" {
                errorWaitsForParser = true
                guard peek(1) == "\n" else {
                    i += min(2, s.count - i)
                    fail("unexpected character after line continuation character", column: i - lineStart)
                    return true
                }
                if continued == nil { continued = (col, altcol) }
                i += 2
                newLine()
                errorWaitsForParser = false
                start = i
                continue
            }
            else { break }
            i += 1
        }
        if let (c0, a0) = continued { col = c0; altcol = a0 }
        let c = peek()
        if c == nil || c == "#" || c == "\n" {
            if c == "#" { while let d = peek(), d != "\n" { i += 1 } }
            if let d = peek(), d == "\n" { i += 1; newLine(); atLineStart = true }
            return false
        }
        let width = i - start
        let top = indents[indents.count - 1], altTop = altIndents[altIndents.count - 1]
        if col == top {
            if altcol != altTop { tabError(); return true }
        } else if col > top {
            if altcol <= altTop { tabError(); return true }
            indents.append(col); altIndents.append(altcol)
            tokens.append(Token(.indent, "", SourceLocation(line: line, column: width), location(i)))
        } else {
            // Like CPython, check the level before any DEDENT is handed out.
            var levels = indents.count
            while levels > 1 && col < indents[levels - 1] { levels -= 1 }
            if col != indents[levels - 1] {
                errorWaitsForParser = true
                var end = i
                while end < s.count && s[end] != "\n" { end += 1 }
                fail(kind: .indentation, "unindent does not match any outer indentation level", column: end - lineStart + 1)
                return true
            }
            while indents.count > levels {
                indents.removeLast(); altIndents.removeLast()
                tokens.append(Token(.dedent, "", SourceLocation(line: line, column: i - lineStart), location(i)))
            }
            if altcol != altIndents[altIndents.count - 1] { tabError(); return true }
        }
        return true
    }

    func tabError() {
        errorWaitsForParser = true
        fail(kind: .tab, "inconsistent use of tabs and spaces in indentation", column: 1)
    }

    /// End of input: an open bracket is an error; otherwise NEWLINE, DEDENTs and the end marker.
    func finish() {
        if let (c, l, col) = brackets.last {
            unclosedBracketLine = l
            fail("'\(c)' was never closed", column: col, atLine: l)
            return
        }
        let eof = text.endOfFile
        if lineHasTokens { tokens.append(Token(.newline, "", eof, eof)) }
        for _ in 1..<indents.count { tokens.append(Token(.dedent, "", eof, eof)) }
        tokens.append(Token(.endMarker, "", eof, eof))
    }

    /// The length of the longest operator starting with `a, b, c` when it is 2 or 3 characters, else 1.
    static func operatorLength(_ a: Unicode.Scalar, _ b: Unicode.Scalar?, _ c: Unicode.Scalar?) -> Int {
        guard let b else { return 1 }
        switch (a, b) {
        case ("*", "*"), ("/", "/"), ("<", "<"), (">", ">"):
            return c == "=" ? 3 : 2
        case (".", "."):
            return c == "." ? 3 : 1
        case ("-", ">"), (":", "="), ("!", "="):
            return 2
        case (_, "="):
            return "+-*/%@&|^<>=".unicodeScalars.contains(a) ? 2 : 1
        default:
            return 1
        }
    }

    func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII { return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" }
        return c.properties.isXIDStart
    }

    func isIdentifierContinue(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII { return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" || (c >= "0" && c <= "9") }
        return c.properties.isXIDContinue
    }

    func identifier() {
        let start = i
        var j = i
        while j < s.count && isIdentifierContinue(s[j]) { j += 1 }
        i = j
        if let q = peek(), q == "'" || q == "\"", i - start <= 2 {
            var prefix = ""
            for k in start..<i { prefix.unicodeScalars.append(s[k]) }
            if ["r", "u", "b", "f", "br", "rb", "fr", "rf"].contains(prefix.lowercased()) {
                string(prefixStart: start)
                return
            }
        }
        add(.name, start, i)
    }

    func operatorToken() {
        let start = i
        guard let c = peek() else { return }
        let length = LexerState.operatorLength(c, peek(1), peek(2))
        if length > 1 {
            i += length
            add(.op, start, i)
            return
        }
        i += 1
        switch c {
        case "(", "[", "{":
            if brackets.count >= Lexer.maxBracketDepth {
                fail("too many nested parentheses", column: i - lineStart)
                return
            }
            add(.op, start, i)
            brackets.append((c, line, start - lineStart + 1))
            return
        case ")", "]", "}":
            guard let (open, openLine, _) = brackets.last else {
                fail("unmatched '\(c)'", column: i - lineStart)
                return
            }
            let expected: Unicode.Scalar = open == "(" ? ")" : open == "[" ? "]" : "}"
            if c != expected {
                let suffix = openLine == line ? "" : " on line \(openLine)"
                fail("closing parenthesis '\(c)' does not match opening parenthesis '\(open)'\(suffix)", column: i - lineStart)
                return
            }
            brackets.removeLast()
            add(.op, start, i)
            return
        default:
            break
        }
        if Lexer.operators.contains(String(c)) || c == "$" || c == "?" || c == "`" {
            add(.op, start, i)
            return
        }
        let hex = String(c.value, radix: 16, uppercase: true)
        let code = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        if c.value < 0x20 || c.value == 0x7F || !c.properties.isGraphemeExtend && c.properties.generalCategory == .control {
            fail("invalid non-printable character U+\(code)", column: i - lineStart)
        } else {
            fail("invalid character '\(Character(c))' (U+\(code))", column: i - lineStart)
        }
    }
}
