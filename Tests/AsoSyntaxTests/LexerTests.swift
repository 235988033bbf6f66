// Lexer: token kinds and texts, INDENT/DEDENT, line joining, strings, numbers, f-strings.

import Testing
@testable import AsoSyntax

func tokenList(_ source: String) -> [String] {
    Lexer.tokenize(source).tokens.map(\.description)
}

@Test func simpleLine() {
    #expect(tokenList("x = a.b(1, 'c') # note\n") == [
        "NAME(x)", "OP(=)", "NAME(a)", "OP(.)", "NAME(b)", "OP(()", "NUMBER(1)", "OP(,)", "STRING('c')", "OP())",
        "NEWLINE", "ENDMARKER",
    ])
}

@Test func indentAndDedent() {
    let source = "if a:\n    b\n\n    # comment\n    if c:\n        d\ne\n"
    #expect(tokenList(source) == [
        "NAME(if)", "NAME(a)", "OP(:)", "NEWLINE", "INDENT", "NAME(b)", "NEWLINE",
        "NAME(if)", "NAME(c)", "OP(:)", "NEWLINE", "INDENT", "NAME(d)", "NEWLINE", "DEDENT", "DEDENT",
        "NAME(e)", "NEWLINE", "ENDMARKER",
    ])
}

@Test func dedentsAtEndOfFileWithoutNewline() {
    #expect(tokenList("if a:\n  if b:\n    c") == [
        "NAME(if)", "NAME(a)", "OP(:)", "NEWLINE", "INDENT", "NAME(if)", "NAME(b)", "OP(:)", "NEWLINE", "INDENT",
        "NAME(c)", "NEWLINE", "DEDENT", "DEDENT", "ENDMARKER",
    ])
}

@Test func lineJoining() {
    #expect(tokenList("x = (1,\n  2)\ny = 1 + \\\n  2\n") == [
        "NAME(x)", "OP(=)", "OP(()", "NUMBER(1)", "OP(,)", "NUMBER(2)", "OP())", "NEWLINE",
        "NAME(y)", "OP(=)", "NUMBER(1)", "OP(+)", "NUMBER(2)", "NEWLINE", "ENDMARKER",
    ])
}

@Test func operatorsLongestMatch() {
    #expect(tokenList("a **= b // c ... -> := != <<= >>= @=\n").filter { $0.hasPrefix("OP") } == [
        "OP(**=)", "OP(//)", "OP(...)", "OP(->)", "OP(:=)", "OP(!=)", "OP(<<=)", "OP(>>=)", "OP(@=)",
    ])
}

@Test func stringForms() {
    let source = "r'\\'' b\"x\" f'{a}' rb'' BR'' Fr'' u'' '''a\nb''' \"\"\"c\"\"\" 'a\\\nb'\n"
    #expect(tokenList(source).dropLast(2) == [
        "STRING(r'\\'')", "STRING(b\"x\")", "STRING(f'{a}')", "STRING(rb'')", "STRING(BR'')", "STRING(Fr'')",
        "STRING(u'')", "STRING('''a\nb''')", "STRING(\"\"\"c\"\"\")", "STRING('a\\\nb')",
    ])
}

@Test func numberForms() {
    let source = "0 00 0x_1F 0o17 0b1_0 1_000 1.5 .5 5. 1e-3 1E+5 2j 1.5J 1_0.0_1e1_0 1if 2else 3\n"
    #expect(tokenList(source).filter { $0.hasPrefix("NUMBER") } == [
        "NUMBER(0)", "NUMBER(00)", "NUMBER(0x_1F)", "NUMBER(0o17)", "NUMBER(0b1_0)", "NUMBER(1_000)", "NUMBER(1.5)",
        "NUMBER(.5)", "NUMBER(5.)", "NUMBER(1e-3)", "NUMBER(1E+5)", "NUMBER(2j)", "NUMBER(1.5J)",
        "NUMBER(1_0.0_1e1_0)", "NUMBER(1)", "NUMBER(2)", "NUMBER(3)",
    ])
}

@Test func tokenLocationsCountScalars() {
    let tokens = Lexer.tokenize("é = 'ü' + x\n").tokens
    #expect(tokens.map(\.loc.column) == [1, 3, 5, 9, 11, 12, 12])
}

@Test func crlfAndFormFeed() {
    #expect(tokenList("x = 1\r\n\u{0C}y = 2\r") == [
        "NAME(x)", "OP(=)", "NUMBER(1)", "NEWLINE", "NAME(y)", "OP(=)", "NUMBER(2)", "NEWLINE", "ENDMARKER",
    ])
}

@Test func errorStopsTheTokenStream() {
    let out = Lexer.tokenize("x = 1\ny = 'abc\nz = 2\n")
    #expect(out.tokens.last?.kind == .error)
    #expect(out.error?.message == "unterminated string literal (detected at line 2)")
    #expect(out.error?.location == SourceLocation(line: 2, column: 5))
}

@Test func fStringParts() throws {
    let m = try parseModule("f'a{b!r}c{d:>{w}.{p}f}{{e}}{x = }'\n")
    guard case .expr(let e) = m.body[0].kind, case .joinedStr(let parts) = e.kind else {
        Issue.record("not an f-string")
        return
    }
    #expect(parts.map(show) == [
        "\"a\"", "{b!r}", "\"c\"", "{d:\">\" {w} \".\" {p} \"f\"}", "\"{e}\"", "{doc:\"x = \" x!r}",
    ])
}

@Test func fStringNestedQuotesAndFormatSpecSelfDoc() throws {
    let m = try parseModule("f\"{'x'!s:^{n}} {a['k']=:>5}\"\n")
    guard case .expr(let e) = m.body[0].kind, case .joinedStr(let parts) = e.kind else {
        Issue.record("not an f-string")
        return
    }
    #expect(parts.map(show) == ["{\"x\"!s:\"^\" {n}}", "\" \"", "{doc:\"a[\\'k\\']=\" a[\"k\"]:\">5\"}"])
}
