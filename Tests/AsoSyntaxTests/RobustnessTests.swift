// Hostile input: deep nesting, huge lines, bad bytes. Each must end in a clean SyntaxError (or parse),
// never a crash; expectations from CPython 3.11.7 where it gives a SyntaxError.

import Testing
@testable import AsoSyntax

func parseError(_ source: [UInt8], filename: String = "f.py") -> SyntaxError? {
    do {
        _ = try parseModule(source, filename: filename)
        return nil
    } catch {
        return error
    }
}

func parseError(_ source: String) -> SyntaxError? { parseError(Array(source.utf8)) }

@Test func hundredThousandOpenBrackets() {
    let e = parseError(String(repeating: "(", count: 100_000))
    #expect(e?.message == "too many nested parentheses")
    #expect(e?.location == SourceLocation(line: 1, column: 201))
}

@Test func twoHundredNestedBracketsParse() throws {
    let source = "x = " + String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200) + "\n"
    _ = try parseModule(source)
    let deeper = "x = " + String(repeating: "[", count: 201) + String(repeating: "]", count: 201) + "\n"
    #expect(parseError(deeper)?.message == "too many nested parentheses")
}

@Test func deepUnaryAndNotAreCleanErrors() {
    for unit in ["-", "not ", "~", "lambda: ", "+"] {
        let e = parseError("x = " + String(repeating: unit, count: 100_000) + "1\n")
        #expect(e?.message == "too complex", "\(unit)")
    }
    #expect(parseError("x = " + String(repeating: "(yield ", count: 100_000) + "1\n")?.message == "too many nested parentheses")
    #expect(parseError("x = " + String(repeating: "await ", count: 100) + "1\n")?.message == "invalid syntax")
}

@Test func longChainsAreCleanErrors() {
    for (head, unit) in [("x = a", ".b"), ("x = a", "()"), ("x = 1", "**1"), ("x = 1", "+1"), ("x = a", "[0]")] {
        let e = parseError(head + String(repeating: unit, count: 100_000) + "\n")
        #expect(e?.message == "too complex", "\(unit)")
    }
}

@Test func moderateNestingParses() throws {
    // CPython 3.11 compiles all of these.
    _ = try parseModule("x = " + String(repeating: "-", count: 1000) + "1\n")
    _ = try parseModule("x = " + String(repeating: "not ", count: 1000) + "1\n")
    _ = try parseModule("x = a" + String(repeating: " + a", count: 2899) + "\n")
    _ = try parseModule("x = " + String(repeating: "(-", count: 199) + "1" + String(repeating: ")", count: 199) + "\n")
}

@Test func nullByte() {
    let e = parseError(Array("x = 1\ny = ".utf8) + [0] + Array("2\n".utf8))
    #expect(e?.message == "source code cannot contain null bytes")
    #expect(e?.location.line == 2)
    #expect(e?.formatted(file: "f.py") == "  File \"f.py\", line 2\n    y =\nSyntaxError: source code cannot contain null bytes\n")
}

@Test func invalidUTF8() {
    let e = parseError(Array("x = 1\ny = \"".utf8) + [0xFF] + Array("\"\n".utf8), filename: "/tmp/pe/ff.py")
    #expect(e?.formatted(file: "/tmp/pe/ff.py") == "SyntaxError: Non-UTF-8 code starting with '\\xff' in file /tmp/pe/ff.py on line 2, but no encoding declared; see https://peps.python.org/pep-0263/ for details\n")
}

@Test func tenMegabyteLines() throws {
    let start = ContinuousClock.now
    let text = String(repeating: "a", count: 10_000_000)
    let module = try parseModule("x = '" + text + "'\n")
    if case .assign(_, let value) = module.body.first?.kind, case .constant(.str(let s)) = value.kind {
        #expect(s.utf8.count == 10_000_000)
    } else {
        Issue.record("not a string assignment")
    }
    #expect(parseError("x = '" + text + "\n")?.message == "unterminated string literal (detected at line 1)")
    #expect(parseError("x = " + String(repeating: "1+", count: 5_000_000) + "1\n")?.message == "too complex")
    _ = try parseModule("x = [" + String(repeating: "1, ", count: 1_000_000) + "]\n")
    // Linear time, not quadratic: quadratic work on these sizes would take hours. The bound is
    // loose because a debug build runs this beside the other tests, on a machine that may be busy.
    #expect(ContinuousClock.now - start < .seconds(600))
}

@Test func oneMegabyteFileIsFast() throws {
    let chunk = "def f(a, b=2, *c, **d):\n    if a < b and not c:\n        return [x * 2 for x in range(10) if x % 3]\n    return {'k': f\"{a!r:>10}\", **d}\n"
    let source = String(repeating: chunk, count: 1_000_000 / chunk.utf8.count + 1)
    let start = ContinuousClock.now
    let module = try parseModule(source)
    #expect(module.body.count > 1000)
    // Linear time, not quadratic (a debug build, beside the other tests, on a possibly busy machine).
    #expect(ContinuousClock.now - start < .seconds(60))
}
