// Tokens: what the lexer hands the parser.
//
// One idea: a token is a kind, its source text and where it starts and ends. Keywords are `.name`
// tokens whose text is in `Lexer.keywords`; operators and delimiters are `.op` tokens whose text is
// in `Lexer.operators`. String tokens keep their raw text (prefix and quotes included): the parser
// decodes escapes and splits f-strings, the way CPython's parser does.

/// The kind of a token.
package enum TokenKind: UInt8, Sendable, Equatable {
    /// An identifier or keyword.
    case name
    /// A numeric literal, raw text (underscores included).
    case number
    /// A string or bytes literal, raw text including prefix and quotes.
    case string
    /// An operator or delimiter; also a stray character such as `$` that no rule accepts.
    case op
    /// The end of a logical line.
    case newline
    case indent
    case dedent
    case endMarker
    /// The lexer stopped here with an error; `Lexer.Output.error` holds it.
    case error
}

/// One token of a source file.
package struct Token: Sendable, Equatable, CustomStringConvertible {
    package var kind: TokenKind
    /// The source text of the token (empty for NEWLINE, INDENT, DEDENT, end marker).
    package var text: String
    /// Where the token starts: 1-based line and column (Unicode scalars).
    package var loc: SourceLocation
    /// Where the token ends (the column after its last character).
    package var end: SourceLocation
    /// How many brackets are open just before this token.
    package var depth: Int

    package init(_ kind: TokenKind, _ text: String, _ loc: SourceLocation, _ end: SourceLocation, depth: Int = 0) {
        self.kind = kind; self.text = text; self.loc = loc; self.end = end; self.depth = depth
    }

    package var description: String {
        switch kind {
        case .name: return "NAME(\(text))"
        case .number: return "NUMBER(\(text))"
        case .string: return "STRING(\(text))"
        case .op: return "OP(\(text))"
        case .newline: return "NEWLINE"
        case .indent: return "INDENT"
        case .dedent: return "DEDENT"
        case .endMarker: return "ENDMARKER"
        case .error: return "ERROR"
        }
    }

    /// True when this is the keyword or operator `s`.
    @inline(__always) func isKeyword(_ s: String) -> Bool { kind == .name && text == s }
    @inline(__always) func isOp(_ s: String) -> Bool { kind == .op && text == s }
}
