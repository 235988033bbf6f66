// The parser: tokens -> `Module`, by recursive descent following grammar/aso.ebnf.
//
// One idea: one parse function per grammar production, each consuming tokens from a flat array.
// Errors are thrown as `SyntaxError` values built by `error(_:at:)`, which applies CPython's rule
// that a tokenizer error anywhere in the file wins over a parser error (see Lexer.swift). Nesting
// is bounded (`maxDepth`), so hostile input gives "too complex", never a stack overflow.

/// Parses a file given as raw bytes.
package func parseModule(_ source: [UInt8], filename: String = "<string>") throws(SyntaxError) -> Module {
    let (output, decoded) = Lexer.tokenizeKeepingText(source, filename: filename)
    guard let text = decoded else { throw output.error ?? SyntaxError(.syntax, "invalid source", at: SourceLocation(line: 1, column: 1), sourceLine: "") }
    let parser = Parser(output: output, text: text)
    let result: Result<Module, SyntaxError> = withLargeStack {
        do throws(SyntaxError) { return .success(try parser.parseFile()) } catch { return .failure(error) }
    }
    return try result.get()
}

/// Parses a file given as a string.
package func parseModule(_ source: String, filename: String = "<string>") throws(SyntaxError) -> Module {
    try parseModule(Array(source.utf8), filename: filename)
}

/// Parses input typed at an interactive prompt; the same grammar as a file.
package func parseInteractive(_ source: String, filename: String = "<stdin>") throws(SyntaxError) -> Module {
    try parseModule(Array(source.utf8), filename: filename)
}

/// Where an f-string's expression sits, so errors inside it can be reported as CPython 3.11 does:
/// against the text `(expression)`, on the string's line, with the message prefixed by "f-string: ".
struct FStringContext {
    /// The line and column where the expression text starts in the real file (nodes are placed
    /// there; error columns on that line are shifted back to the `(expression)` text).
    var line: Int
    var column: Int
    /// The text `(expression)` CPython shows as the error line.
    var wrapped: String
}

/// Recursive-descent parser state.
final class Parser {
    /// The tokens; the last is the end marker or an `.error` token.
    let tokens: [Token]
    /// The error the lexer stopped with, and the line of the unclosed bracket if that was the error.
    let lexError: SyntaxError?
    let unclosedBracketLine: Int?
    /// See `Lexer.Output.errorWaitsForParser`.
    let errorWaitsForParser: Bool
    /// The source, for error lines.
    let text: SourceText
    /// The index of the current token; never past the last token.
    var pos = 0
    /// The furthest token index looked at (CPython reports unclosed brackets based on it).
    var furthest = 0
    /// Current nesting of recursive productions; bounded by `maxDepth`.
    var depth = 0
    /// Set when parsing an expression inside an f-string.
    var fstring: FStringContext?

    /// The deepest nesting accepted before "too complex": recursion (unary operators, nested
    /// expressions, blocks) plus the length of left-nested chains (`a + b + ...`, `a.b.c`), which
    /// bounds the depth of the tree for everything that walks it. CPython accepts 2900-term sums.
    static let maxDepth = 3000

    init(output: Lexer.Output, text: SourceText, fstring: FStringContext? = nil) {
        var tokens = output.tokens
        if tokens.isEmpty { tokens = [Token(.endMarker, "", SourceLocation(line: 1, column: 1), SourceLocation(line: 1, column: 1))] }
        self.tokens = tokens
        self.lexError = output.error
        self.unclosedBracketLine = output.unclosedBracketLine
        self.errorWaitsForParser = output.errorWaitsForParser
        self.text = text
        self.fstring = fstring
    }

    // MARK: Token access

    var tok: Token { tokens[pos] }

    func peek(_ k: Int = 1) -> Token {
        let j = min(pos + k, tokens.count - 1)
        if j > furthest { furthest = j }
        return tokens[j]
    }

    func advance() {
        if pos < tokens.count - 1 {
            pos += 1
            if pos > furthest { furthest = pos }
        }
    }

    /// Consumes the current token and returns it.
    @discardableResult func next() -> Token {
        let t = tok
        advance()
        return t
    }

    /// Where the last consumed token ends: the end of a node built right after its last token.
    var prevEnd: SourceLocation { pos > 0 ? tokens[pos - 1].end : tok.loc }

    /// An expression node from `loc` to the end of the last consumed token.
    func node(_ kind: ExprKind, _ loc: SourceLocation) -> Expr { Expr(kind, loc, end: prevEnd) }

    /// A statement node from `loc` to the end of the last consumed token.
    func stmtNode(_ kind: StmtKind, _ loc: SourceLocation) -> Stmt { Stmt(kind, loc, end: prevEnd) }

    func at(_ op: String) -> Bool { tokens[pos].isOp(op) }
    func atKeyword(_ k: String) -> Bool { tokens[pos].isKeyword(k) }

    func accept(_ op: String) -> Bool {
        if tok.isOp(op) { advance(); return true }
        return false
    }

    func acceptKeyword(_ k: String) -> Bool {
        if tok.isKeyword(k) { advance(); return true }
        return false
    }

    func expect(_ op: String) throws(SyntaxError) {
        if !accept(op) { throw invalidSyntax() }
    }

    func expectKeyword(_ k: String) throws(SyntaxError) {
        if !acceptKeyword(k) { throw invalidSyntax() }
    }

    /// A `':'` that CPython's grammar forces (`&&':'`): "expected ':'" when it is missing.
    func expectColon() throws(SyntaxError) {
        if !accept(":") { throw error("expected ':'", at: tok.loc) }
    }

    /// A `':'` ending a header that CPython reports as "expected ':'" only before a line end.
    func expectColonBeforeNewline() throws(SyntaxError) {
        if accept(":") { return }
        if tok.kind == .newline { throw error("expected ':'", at: tok.loc) }
        throw invalidSyntax()
    }

    /// A name that is not a keyword.
    func expectName() throws(SyntaxError) -> String {
        guard tok.kind == .name, !Lexer.keywords.contains(tok.text) else { throw invalidSyntax() }
        return next().text
    }

    var atName: Bool { tok.kind == .name && !Lexer.keywords.contains(tok.text) }

    // MARK: Errors

    /// `e`, unless the lexer's error takes precedence (CPython's rule).
    func withLexerPriority(_ e: SyntaxError) -> SyntaxError {
        if let lexError {
            let far = tokens[min(furthest, tokens.count - 1)]
            if far.kind == .error { return lexError }
            if !errorWaitsForParser {
                guard let bracketLine = unclosedBracketLine else { return lexError }
                if far.loc.line > bracketLine { return lexError }
            }
        }
        return e
    }

    /// Rethrows what a speculative parse found, unless it is plain "invalid syntax": CPython's
    /// second pass stops at the first specific error, wherever its look-ahead finds it.
    func propagateSpecific(_ e: SyntaxError) throws(SyntaxError) {
        if e.message != "invalid syntax" && e.message != "f-string: invalid syntax" { throw e }
    }

    /// A syntax error at `loc`, unless a lexer error takes precedence (CPython's rule).
    /// `error(message, at:)` underlining `loc..<end`, as CPython's RAISE_SYNTAX_ERROR_KNOWN_RANGE
    /// does (unless an earlier lexer error takes its place).
    func error(_ message: String, at loc: SourceLocation, end: SourceLocation) -> SyntaxError {
        var e = error(message, at: loc)
        if e.message == message && fstring == nil { e.end = end }
        return e
    }

    func error(_ message: String, at loc: SourceLocation, kind: SyntaxError.Kind = .syntax) -> SyntaxError {
        if let lexError {
            // Reaching the lexer's error token raises it, as fetching it does in CPython.
            let far = tokens[min(furthest, tokens.count - 1)]
            if far.kind == .error { return lexError }
            if !errorWaitsForParser {
                guard let bracketLine = unclosedBracketLine else { return lexError }
                if far.loc.line > bracketLine { return lexError }
            }
        }
        if let ctx = fstring {
            // CPython 3.11 reports these against the text `(expression)`: undo the column shift.
            var at = loc
            if at.line == ctx.line { at.column -= ctx.column - 2 }
            let text = message.hasPrefix("f-string") ? message : "f-string: " + message
            return SyntaxError(kind, text, at: at, sourceLine: ctx.wrapped)
        }
        return SyntaxError(kind, message, at: loc, sourceLine: text.line(loc.line))
    }

    /// "invalid syntax" at the current token (or the lexer's error if the lexer stopped there; an
    /// unexpected INDENT or DEDENT is an IndentationError that no later lexer error replaces).
    func invalidSyntax() -> SyntaxError {
        let t = tok
        if t.kind == .error, let lexError { return lexError }
        if t.kind == .indent || t.kind == .dedent {
            let message = t.kind == .indent ? "unexpected indent" : "unexpected unindent"
            if fstring == nil { return SyntaxError(.indentation, message, at: t.loc, sourceLine: text.line(t.loc.line)) }
        }
        return error("invalid syntax", at: t.loc)
    }

    /// Enters a nested production; "too complex" past `maxDepth`.
    func enter() throws(SyntaxError) {
        depth += 1
        if depth > Parser.maxDepth { throw error("too complex", at: tok.loc) }
    }

    func leave() { depth -= 1 }

    // MARK: Entry

    /// file: statements ENDMARKER
    func parseFile() throws(SyntaxError) -> Module {
        var body: [Stmt] = []
        while tok.kind != .endMarker {
            if tok.kind == .newline { advance(); continue }
            body += try statement()
        }
        return Module(body: body)
    }
}
