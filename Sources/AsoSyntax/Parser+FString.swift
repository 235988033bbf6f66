// f-strings, as CPython 3.11 reads them: the lexer delivers one string token, and this file splits
// its body into literal text and `{expression!conversion:spec}` fields.
//
// One idea: a field's expression text is found by scanning with bracket and quote nesting, then
// parsed by a fresh lexer and parser over the text `(expression)`, as CPython's fstring_compile_expr
// does. Most f-string errors are reported where CPython 3.11 reports them: just after the token.

extension Parser {
    func fstringParts(_ literal: StringLiteral, _ t: Token) throws(SyntaxError) -> [FStringPart] {
        let body = Array(literal.body)
        var i = 0
        // Line and column in the real file of body[i], tracked for nested expressions.
        var line = t.loc.line
        var column = t.loc.column + literal.bodyOffset
        var positions: [(Int, Int)] = []
        positions.reserveCapacity(body.count + 1)
        for c in body {
            positions.append((line, column))
            if c == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        positions.append((line, column))
        return try fstringSegment(body, &i, t, literal.isRaw, nested: 0, positions)
    }

    /// Literal text and fields up to the end of `body`, or (when `nested > 0`) up to the '}' that
    /// ends a format spec.
    func fstringSegment(_ body: [Unicode.Scalar], _ i: inout Int, _ t: Token, _ raw: Bool, nested: Int,
                        _ positions: [(Int, Int)]) throws(SyntaxError) -> [FStringPart] {
        var parts: [FStringPart] = []
        var text = ArraySlice<Unicode.Scalar>()
        func flush() throws(SyntaxError) {
            if !text.isEmpty { parts.append(.literal(try decodeString(text, raw: raw, t))) }
            text = []
        }
        while i < body.count {
            let c = body[i]
            if !raw && c == "\\" && i + 1 < body.count {
                // Keep escapes whole, including \N{...} whose braces are not fields.
                text.append(c)
                text.append(body[i + 1])
                i += 2
                if body[i - 1] == "N" && i < body.count && body[i] == "{" {
                    while i < body.count && body[i] != "}" { text.append(body[i]); i += 1 }
                    if i < body.count { text.append(body[i]); i += 1 }
                }
                continue
            }
            if c == "{" || c == "}" {
                if nested == 0 && i + 1 < body.count && body[i + 1] == c {
                    text.append(c)
                    i += 2
                    continue
                }
                if c == "}" {
                    if nested == 0 { throw error("f-string: single '}' is not allowed", at: t.end) }
                    break
                }
                try flush()
                parts.append(try fstringField(body, &i, t, raw, nested: nested, positions))
                continue
            }
            text.append(c)
            i += 1
        }
        try flush()
        return parts
    }

    /// One `{...}` field; `i` is at its '{'.
    func fstringField(_ body: [Unicode.Scalar], _ i: inout Int, _ t: Token, _ raw: Bool, nested: Int,
                      _ positions: [(Int, Int)]) throws(SyntaxError) -> FStringPart {
        if nested >= 2 { throw error("f-string: expressions nested too deeply", at: t.end) }
        i += 1
        let start = i
        var brackets: [Unicode.Scalar] = []
        var quote: Unicode.Scalar?
        var tripleQuote = false
        var selfDocEnd: Int?
        scan: while i < body.count {
            let c = body[i]
            if c == "\\" { throw error("f-string expression part cannot include a backslash", at: t.end) }
            if let q = quote {
                if c == q {
                    if tripleQuote {
                        if i + 2 < body.count && body[i + 1] == q && body[i + 2] == q { quote = nil; i += 3; continue }
                    } else {
                        quote = nil
                    }
                }
                i += 1
                continue
            }
            switch c {
            case "'", "\"":
                tripleQuote = i + 2 < body.count && body[i + 1] == c && body[i + 2] == c
                quote = c
                i += tripleQuote ? 3 : 1
                continue
            case "(", "[", "{":
                brackets.append(c)
            case ")", "]", "}":
                if c == "}" && brackets.isEmpty { break scan }
                guard let open = brackets.popLast() else { throw error("f-string: unmatched '\(c)'", at: t.end) }
                let expected: Unicode.Scalar = open == "(" ? ")" : open == "[" ? "]" : "}"
                if c != expected {
                    throw error("f-string: closing parenthesis '\(c)' does not match opening parenthesis '\(open)'", at: t.end)
                }
            case "#":
                throw error("f-string expression part cannot include '#'", at: t.end)
            case "!" where brackets.isEmpty:
                if i + 1 < body.count && body[i + 1] == "=" { i += 2; continue }
                break scan
            case ":" where brackets.isEmpty:
                break scan
            case "=" where brackets.isEmpty:
                let next = i + 1 < body.count ? body[i + 1] : " "
                let previous = i > start ? body[i - 1] : " "
                if next == "=" { i += 2; continue }
                if !"=!<>".unicodeScalars.contains(previous) { selfDocEnd = i; break scan }
            default:
                break
            }
            i += 1
        }
        if quote != nil { throw error("f-string: unterminated string", at: t.end) }
        if let open = brackets.last { throw error("f-string: unmatched '\(open)'", at: t.end) }
        let exprEnd = selfDocEnd ?? i
        let exprText = body[start..<exprEnd]
        guard i < body.count else { throw error("f-string: expecting '}'", at: t.end) }
        if exprText.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\u{0C}" }) {
            let next = body[exprEnd]
            if next == "!" || next == ":" || next == "=" {
                throw error("f-string: expression required before '\(next)'", at: t.end)
            }
            throw error("f-string: empty expression not allowed", at: t.end)
        }
        var selfDocumenting: String?
        if let eq = selfDocEnd {
            i = eq + 1
            while i < body.count && (body[i] == " " || body[i] == "\t" || body[i] == "\n") { i += 1 }
            var s = String.UnicodeScalarView()
            s.append(contentsOf: body[start..<i])
            selfDocumenting = String(s)
        }
        let (exprLine, exprColumn) = positions[min(start, positions.count - 1)]
        let value = try fstringExpression(exprText, t, line: exprLine, column: exprColumn)
        var conversion: Character?
        if i < body.count && body[i] == "!" {
            i += 1
            guard i < body.count else { throw error("f-string: expecting '}'", at: t.end) }
            let c = body[i]
            guard c == "s" || c == "r" || c == "a", i + 1 < body.count, body[i + 1] == ":" || body[i + 1] == "}" else {
                if c == "s" || c == "r" || c == "a" { throw error("f-string: expecting '}'", at: t.end) }
                throw error("f-string: invalid conversion character: expected 's', 'r', or 'a'", at: t.end)
            }
            conversion = Character(c)
            i += 1
        }
        var formatSpec: [FStringPart]?
        if i < body.count && body[i] == ":" {
            i += 1
            formatSpec = Parser.mergeLiterals(try fstringSegment(body, &i, t, raw, nested: nested + 1, positions))
        }
        guard i < body.count, body[i] == "}" else { throw error("f-string: expecting '}'", at: t.end) }
        i += 1
        if selfDocumenting != nil && conversion == nil && formatSpec == nil { conversion = "r" }
        return .formatted(value: value, conversion: conversion, formatSpec: formatSpec, selfDocumenting: selfDocumenting)
    }

    /// Parses a field's expression text as CPython does: `(text)` as star_expressions.
    /// Nodes get their real lines and columns; errors keep CPython's coordinates (see `error`).
    func fstringExpression(_ text: ArraySlice<Unicode.Scalar>, _ t: Token, line: Int, column: Int) throws(SyntaxError) -> Expr {
        var scalars: [Unicode.Scalar] = ["("]
        scalars.append(contentsOf: text)
        scalars.append(")")
        let source = SourceText(scalars: scalars)
        let output = Lexer.tokenize(source)
        do throws(SyntaxError) {
            return try parseFStringExpression(output, source, scalars, line: line, column: column)
        } catch {
            throw withLexerPriority(error)
        }
    }

    func parseFStringExpression(_ tokenized: Lexer.Output, _ source: SourceText, _ scalars: [Unicode.Scalar],
                                line: Int, column: Int) throws(SyntaxError) -> Expr {
        var output = tokenized
        if let lexError = output.error {
            let message = lexError.message.hasPrefix("f-string") ? lexError.message : "f-string: " + lexError.message
            throw SyntaxError(lexError.kind, message,
                              at: SourceLocation(line: line + lexError.location.line - 1, column: lexError.location.column),
                              sourceLine: lexError.sourceLine)
        }
        for k in output.tokens.indices {
            if output.tokens[k].loc.line == 1 { output.tokens[k].loc.column += column - 2 }
            if output.tokens[k].end.line == 1 { output.tokens[k].end.column += column - 2 }
            output.tokens[k].loc.line += line - 1
            output.tokens[k].end.line += line - 1
        }
        let wrapped = String(String.UnicodeScalarView(scalars))
        let sub = Parser(output: output, text: source, fstring: FStringContext(line: line, column: column, wrapped: wrapped))
        sub.depth = depth
        let e = try sub.starExpressions()
        if sub.tok.kind != .newline && sub.tok.kind != .endMarker { throw sub.invalidSyntax() }
        return e
    }
}
