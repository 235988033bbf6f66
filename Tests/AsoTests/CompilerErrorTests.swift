// Compile-time errors: CPython 3.11's message, line and column (offsets from `compile()` in python3).

import AsoCompiler
import AsoSyntax
import Testing

@Suite struct CompilerErrorTests {
    static let cases: [(String, String, Int, Int)] = [
        ("def f():\n  x=1\n  def g():\n    nonlocal y\n    y=2\n", "no binding for nonlocal 'y' found", 4, 5),
        ("nonlocal x\n", "nonlocal declaration not allowed at module level", 1, 1),
        ("def f():\n  x = 1\n  global x\n", "name 'x' is assigned to before global declaration", 3, 3),
        ("def f():\n  print(x)\n  global x\n", "name 'x' is used prior to global declaration", 3, 3),
        ("def f(x):\n  global x\n", "name 'x' is parameter and global", 2, 3),
        ("x = [ (yield 1) for y in z]\n", "'yield' inside list comprehension", 1, 8),
        ("yield 1\n", "'yield' outside function", 1, 1),
        ("class C:\n  yield 1\n", "'yield' outside function", 2, 3),
        ("await x\n", "'await' outside function", 1, 1),
        ("def f():\n  await x\n", "'await' outside async function", 2, 3),
        ("def f():\n  [await x for y in z]\n", "asynchronous comprehension outside of an asynchronous function", 2, 3),
        ("async def f():\n  yield 1\n  return 2\n", "'return' with value in async generator", 3, 3),
        ("return 1\n", "'return' outside function", 1, 1),
        ("class C:\n  return 1\n", "'return' outside function", 2, 3),
        ("break\n", "'break' outside loop", 1, 1),
        ("continue\n", "'continue' not properly in loop", 1, 1),
        ("while 1:\n  def f():\n    break\n", "'break' outside loop", 3, 5),
        ("def f(a, a): pass\n", "duplicate argument 'a' in function definition", 1, 10),
        ("*a = 1\n", "starred assignment target must be in a list or tuple", 1, 1),
        ("a, *b, *c = 1\n", "multiple starred expressions in assignment", 1, 1),
        ("def f():\n  from m import *\n", "import * only allowed at module level", 2, 17),
        ("x = 1\ndef f():\n  nonlocal x\n", "no binding for nonlocal 'x' found", 3, 3),
        ("async def f():\n  yield from x\n", "'yield from' inside async function", 2, 3),
        ("[(a := 1) for a in b]\n", "assignment expression cannot rebind comprehension iteration variable 'a'", 1, 3),
        ("class C:\n  [(y := 1) for a in b]\n", "assignment expression within a comprehension cannot be used in a class body", 2, 5),
    ]

    @Test func cpythonMessagesAndLocations() {
        for (source, message, line, column) in Self.cases {
            let module: Module
            do { module = try parseModule(source, filename: "t.py") } catch {
                // The parser reported it first; that is CPython's job split too for some of these.
                #expect(error.message == message, "\(source)")
                continue
            }
            do {
                _ = try compileModule(module, filename: "t.py", source: source)
                Issue.record("no error for \(source)")
            } catch let e as SyntaxError {
                #expect(e.message == message, "\(source)")
                #expect(e.location == SourceLocation(line: line, column: column), "\(source)")
                let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
                #expect(e.sourceLine == String(lines[line - 1]), "\(source)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func formattedLikeCPython() throws {
        let source = "for x in y:\n    pass\nbreak\n"
        let module = try parseModule(source, filename: "t.py")
        #expect(throws: SyntaxError.self) { try compileModule(module, filename: "t.py", source: source) }
        do {
            _ = try compileModule(module, filename: "t.py", source: source)
        } catch let e as SyntaxError {
            #expect(e.formatted(file: "t.py") == "  File \"t.py\", line 3\n    break\n    ^^^^^\nSyntaxError: 'break' outside loop\n"
                    || e.formatted(file: "t.py") == "  File \"t.py\", line 3\n    break\n    ^\nSyntaxError: 'break' outside loop\n")
        }
    }
}
