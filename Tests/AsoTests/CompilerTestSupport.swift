// Helpers for the compiler tests: a compact way to build ASTs by hand, and queries over code.
//
// One idea: each helper takes a line (and column) so locations in tests match the source text the
// test shows in its comments; code queries decode instruction words into (opcode, arg) pairs.

import AsoBytecode
import AsoCompiler
import AsoSyntax

func at(_ line: Int, _ col: Int = 1) -> SourceLocation { SourceLocation(line: line, column: col) }
func name(_ n: String, _ l: Int = 1, _ c: Int = 1) -> Expr { Expr(.name(n), at(l, c)) }
func int(_ i: Int, _ l: Int = 1, _ c: Int = 1) -> Expr { Expr(.constant(.int(i)), at(l, c)) }
func callExpr(_ f: Expr, _ args: [Expr] = [], _ kw: [Keyword] = [], _ l: Int = 1, _ c: Int = 1) -> Expr {
    Expr(.call(function: f, args: args, keywords: kw), at(l, c))
}
func exprStmt(_ e: Expr, _ l: Int = 1, _ c: Int = 1) -> Stmt { Stmt(.expr(e), at(l, c)) }
func assign(_ t: Expr, _ v: Expr, _ l: Int = 1, _ c: Int = 1) -> Stmt { Stmt(.assign(targets: [t], value: v), at(l, c)) }
func def(_ n: String, _ params: [String] = [], _ body: [Stmt], _ l: Int = 1, _ c: Int = 1, isAsync: Bool = false) -> Stmt {
    var a = Arguments()
    a.args = params.map { Arg(name: $0, annotation: nil, loc: at(l, c)) }
    return Stmt(.functionDef(FunctionDef(name: n, args: a, body: body, decorators: [], returns: nil, isAsync: isAsync)), at(l, c))
}
func ret(_ e: Expr?, _ l: Int = 1, _ c: Int = 1) -> Stmt { Stmt(.return(e), at(l, c)) }

func compile(_ body: [Stmt], source: String = "", interactive: Bool = false) throws -> CodeObject {
    try compileModule(Module(body: body), filename: "t.py", source: source, interactive: interactive)
}

func compileError(_ body: [Stmt], source: String = "") -> SyntaxError? {
    do {
        _ = try compile(body, source: source)
        return nil
    } catch let e as SyntaxError {
        return e
    } catch {
        return nil
    }
}

extension CodeObject {
    var ops: [(OpCode, Int)] {
        code.compactMap { w in
            let i = Instruction(word: w)
            return i.opcode.map { ($0, Int(i.arg)) }
        }
    }
    var opcodes: [OpCode] { ops.map(\.0) }
    /// Nested code constants, in order.
    var codeConstants: [CodeObject] {
        constants.compactMap { if case .code(let c) = $0 { return c } else { return nil } }
    }
    func child(_ n: String) -> CodeObject? { codeConstants.first { $0.name == n } }
}
