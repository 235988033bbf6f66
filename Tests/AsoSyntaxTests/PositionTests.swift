// End positions of expression nodes: the spans tracebacks underline. Expected values are CPython
// 3.11's `ast` positions (lineno, col_offset + 1, end_lineno, end_col_offset + 1, in characters).

import Testing
@testable import AsoSyntax

private func valueSpan(_ source: String) throws -> (Int, Int, Int, Int) {
    let module = try parseModule(source)
    guard let first = module.body.first else { throw SpanTestError() }
    let e: Expr
    switch first.kind {
    case .expr(let v): e = v
    case .assign(_, let v): e = v
    default: throw SpanTestError()
    }
    return (e.loc.line, e.loc.column, e.end.line, e.end.column)
}

private struct SpanTestError: Error {}

@Test(arguments: [
    ("(a) + b", 1, 1, 1, 8),
    ("f(x)(y)", 1, 1, 1, 8),
    ("(a).b", 1, 1, 1, 6),
    ("a[1:2]", 1, 1, 1, 7),
    ("f(x for x in y)", 1, 1, 1, 16),
    ("x = 1, 2,", 1, 5, 1, 10),
    ("a < b", 1, 1, 1, 6),
    ("é.b + 1", 1, 1, 1, 8),
    ("a if b else c", 1, 1, 1, 14),
    ("(a)[0]", 1, 1, 1, 7),
    ("a and (b)", 1, 1, 1, 10),
    ("(a +\n b)", 1, 2, 2, 3),
])
func expressionSpansMatchCPython(_ source: String, _ line: Int, _ column: Int, _ endLine: Int, _ endColumn: Int) throws {
    let span = try valueSpan(source)
    #expect(span == (line, column, endLine, endColumn))
}

@Test func generatorArgumentSpansTheCallParentheses() throws {
    // CPython: the generator expression of `f(x for x in y)` is (1, 1) .. (1, 15), 0-based.
    let module = try parseModule("f(x for x in y)")
    guard case .expr(let call)? = module.body.first?.kind, case .call(_, let args, _) = call.kind,
          let gen = args.first else {
        Issue.record("not a call")
        return
    }
    #expect(gen.loc == SourceLocation(line: 1, column: 2))
    #expect(gen.end == SourceLocation(line: 1, column: 16))
}

@Test func statementSpansEndAtTheirLastToken() throws {
    let module = try parseModule("x = 1; y += f(2)\n")
    #expect(module.body.count == 2)
    if module.body.count == 2 {
        #expect(module.body[1].loc == SourceLocation(line: 1, column: 8))
        #expect(module.body[1].end == SourceLocation(line: 1, column: 17))
    }
}
