// `from __future__ import annotations`: the compiler keeps annotations as their source text
// (string literals in single quotes, as `ast.unparse` writes them) and refuses future imports
// that are misplaced or unknown, with CPython's messages. (What the annotations evaluate to
// without the import is covered by the corpus, Tests/Programs/annotations.)

import AsoBytecode
@testable import AsoCompiler
import AsoSyntax
import Testing

@Suite struct AnnotationTests {
    private func compileSource(_ source: String) throws -> CodeObject {
        try compileModule(try parseModule(source), filename: "t.py", source: source)
    }

    private func strings(_ code: CodeObject) -> [String] {
        var out: [String] = []
        for c in code.constants {
            switch c {
            case .str(let s): out.append(s)
            case .code(let inner): out += strings(inner)
            default: break
            }
        }
        return out
    }

    @Test func futureAnnotationsAreSourceText() throws {
        let source = """
            from __future__ import annotations
            x: List[int] = []
            def f(a: Optional["Node"], b: dict[str, int] = {}) -> Callable[..., Awaitable[T]]: ...
            class Node:
                next: Node | None
                value: 'int'

            """
        let all = strings(try compileSource(source))
        for text in ["List[int]", "Optional['Node']", "dict[str, int]", "Callable[..., Awaitable[T]]", "Node | None", "'int'"] {
            #expect(all.contains(text), "missing \(text)")
        }
    }

    @Test func misplacedFutureImportIsCPythonsError() {
        #expect(throws: SyntaxError.self) { try compileSource("import os\nfrom __future__ import annotations\n") }
        do {
            _ = try compileSource("x = 1\nfrom __future__ import annotations\n")
        } catch let e as SyntaxError {
            #expect(e.message == "from __future__ imports must occur at the beginning of the file")
        } catch {}
        do {
            _ = try compileSource("from __future__ import teleport\n")
        } catch let e as SyntaxError {
            #expect(e.message == "future feature teleport is not defined")
        } catch {}
    }

    @Test func docstringMayPrecedeFutureImport() throws {
        _ = try compileSource("\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nfrom __future__ import division\n")
    }

    @Test func doubleQuotedLiteralsTakeSingleQuotes() {
        #expect(Compiler.singleQuoted("Optional[\"X\"]") == "Optional['X']")
        #expect(Compiler.singleQuoted("\"it's\"") == "\"it's\"")
        #expect(Compiler.singleQuoted("'a'") == "'a'")
    }
}
