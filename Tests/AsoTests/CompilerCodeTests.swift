// Code shape: exception tables, jump targets, stack depths, line tables and the disassembler.

import AsoBytecode
import AsoCompiler
import AsoSyntax
import Testing

@Suite struct CompilerCodeTests {
    // def f():
    //     try:
    //         a()
    //     except E as e:
    //         b()
    //     finally:
    //         c()
    func tryFunction() throws -> CodeObject {
        let handler = ExceptHandler(type: name("E", 4, 12), name: "e", body: [exprStmt(callExpr(name("b", 5, 9), [], [], 5, 9), 5, 9)], loc: at(4, 5))
        let tryStmt = Stmt(.try(body: [exprStmt(callExpr(name("a", 3, 9), [], [], 3, 9), 3, 9)], handlers: [handler], orElse: [],
                                finally: [exprStmt(callExpr(name("c", 7, 9), [], [], 7, 9), 7, 9)]), at(2, 5))
        return try #require(try compile([def("f", [], [tryStmt])]).child("f"))
    }

    @Test func tryExceptFinallyExceptionTable() throws {
        let f = try tryFunction()
        let expected = [
            ExceptionTableEntry(start: 0, end: 4, target: 5, depth: 0),     // try body -> except
            ExceptionTableEntry(start: 4, end: 5, target: 32, depth: 0),    // jump over handlers -> finally
            ExceptionTableEntry(start: 5, end: 10, target: 24, depth: 1),   // matching -> cleanup
            ExceptionTableEntry(start: 10, end: 14, target: 19, depth: 1),  // handler body -> unbind e
            ExceptionTableEntry(start: 14, end: 19, target: 32, depth: 0),  // popExcept, e = None; del e
            ExceptionTableEntry(start: 19, end: 24, target: 24, depth: 1),  // unbind e; reraise -> cleanup
            ExceptionTableEntry(start: 24, end: 27, target: 32, depth: 0),  // cleanup -> finally
            ExceptionTableEntry(start: 32, end: 38, target: 38, depth: 1),  // exceptional finally -> cleanup
        ]
        #expect(f.exceptionTable == expected)
        #expect(f.maxStackDepth == 4)  // exceptional finally: prev exc c NULL
        #expect(f.ops[5].0 == .pushExcInfo)
        #expect(f.ops[32].0 == .pushExcInfo)
        #expect(f.opcodes.suffix(2) == [.loadConst, .returnValue])
    }

    @Test func everyJumpTargetIsInsideTheCode() throws {
        let f = try tryFunction()
        for (op, arg) in f.ops where op.hasJumpTarget {
            #expect(arg >= 0 && arg < f.code.count)
        }
        for e in f.exceptionTable {
            #expect(e.start < e.end && e.end <= f.code.count && e.target < f.code.count)
        }
    }

    // f(a, b, *c, k=d) -> callable, NULL, list, a, b, extend c, tuple, dict
    @Test func stackDepthOfCalls() throws {
        let plain = try compile([exprStmt(callExpr(name("f"), [name("a"), name("b"), name("c")]))])
        #expect(plain.maxStackDepth == 5)
        #expect(plain.opcodes == [.loadGlobal, .pushNull, .loadGlobal, .loadGlobal, .loadGlobal, .call, .popTop, .loadConst, .returnValue])
        let kw = try compile([exprStmt(callExpr(name("f"), [name("a")], [Keyword(name: "k", value: name("d"), loc: at(1))]))])
        #expect(kw.opcodes == [.loadGlobal, .pushNull, .loadGlobal, .loadGlobal, .loadConst, .callKw, .popTop, .loadConst, .returnValue])
        #expect(kw.ops[5].1 == 2)
        #expect(kw.constants[0] == .tuple([.str("k")]))
        #expect(kw.maxStackDepth == 5)
        let star = try compile([exprStmt(callExpr(name("f"), [name("a"), Expr(.starred(name("c")), at(1))],
                                                  [Keyword(name: "k", value: name("d"), loc: at(1))]))])
        #expect(star.opcodes == [.loadGlobal, .pushNull, .loadGlobal, .buildList, .loadGlobal, .listExtend, .listToTuple,
                                 .loadConst, .loadGlobal, .buildMap, .callEx, .popTop, .loadConst, .returnValue])
        #expect(star.maxStackDepth == 5)
        let method = try compile([exprStmt(callExpr(Expr(.attribute(name("o"), "m"), at(1)), [int(1)]))])
        #expect(method.opcodes == [.loadGlobal, .loadMethod, .loadConst, .call, .popTop, .loadConst, .returnValue])
        #expect(method.maxStackDepth == 3)
    }

    // x = a < b < c
    @Test func chainedComparison() throws {
        let cmp = Expr(.compare(name("a"), [(.lt, name("b")), (.lt, name("c"))]), at(1, 5))
        let code = try compile([assign(name("x"), cmp)])
        #expect(code.opcodes == [.loadGlobal, .loadGlobal, .swap, .copy, .compareOp, .jumpIfFalseOrPop, .loadGlobal,
                                 .compareOp, .jump, .swap, .popTop, .storeGlobal, .loadConst, .returnValue])
        #expect(code.ops[5].1 == 9 && code.ops[8].1 == 11)
        #expect(code.maxStackDepth == 3)
    }

    // for x in y:       (line 1)
    //     if x: break   (line 2)
    // else:
    //     z = 1         (line 4)
    @Test func forLoopWithBreakAndElse() throws {
        let brk = Stmt(.if(test: name("x", 2, 8), body: [Stmt(.break, at(2, 11))], orElse: []), at(2, 5))
        let loop = Stmt(.for(target: name("x", 1, 5), iter: name("y", 1, 10), body: [brk],
                             orElse: [assign(name("z", 4, 5), int(1, 4, 9), 4, 5)], isAsync: false), at(1))
        let code = try compile([loop])
        #expect(code.opcodes == [.loadGlobal, .getIter, .forIter, .storeGlobal, .loadGlobal, .popJumpIfFalse, .popTop,
                                 .jump, .jump, .loadConst, .storeGlobal, .loadConst, .returnValue])
        #expect(code.ops[2].1 == 9)   // exhausted: to the else body
        #expect(code.ops[7].1 == 11)  // break: past the else body
        #expect(code.ops[8].1 == 2)   // back to forIter
        #expect(code.maxStackDepth == 2)
        #expect(code.location(at: 4).line == 2)
        #expect(code.location(at: 10).line == 4)
    }

    // async def f():
    //     await g()
    @Test func awaitUsesSendLoop() throws {
        let f = def("f", [], [exprStmt(Expr(.await(callExpr(name("g", 2, 11), [], [], 2, 11)), at(2, 5)), 2, 5)], isAsync: true)
        let code = try #require(try compile([f]).child("f"))
        #expect(code.flags.contains(.coroutine))
        #expect(code.opcodes == [.returnGenerator, .loadGlobal, .pushNull, .call, .getAwaitable, .loadConst, .send,
                                 .yieldValue, .jump, .popTop, .loadConst, .returnValue])
        #expect(code.ops[6].1 == 9 && code.ops[8].1 == 6)
    }

    // def f():        (line 1)
    //     with a as b:
    //         c()
    @Test func withStatement() throws {
        let w = Stmt(.with(items: [WithItem(context: name("a", 2, 10), target: name("b", 2, 15))],
                           body: [exprStmt(callExpr(name("c", 3, 9), [], [], 3, 9), 3, 9)], isAsync: false), at(2, 5))
        let code = try #require(try compile([def("f", [], [w])]).child("f"))
        #expect(code.opcodes == [.loadGlobal, .beforeWith, .storeFast, .loadGlobal, .pushNull, .call, .popTop,
                                 .loadConst, .loadConst, .loadConst, .call, .popTop, .jump,
                                 .pushExcInfo, .withExceptStart, .popJumpIfTrue, .reraise, .popTop, .popExcept, .popTop,
                                 .jump, .copy, .popExcept, .reraise, .loadConst, .returnValue])
        #expect(code.exceptionTable == [
            ExceptionTableEntry(start: 2, end: 7, target: 13, depth: 1),
            ExceptionTableEntry(start: 13, end: 18, target: 21, depth: 2),
        ])
        #expect(code.maxStackDepth == 4)
    }

    @Test func disassemblerListsArgumentsAndTables() throws {
        // def f(x):
        //     return x + 1
        let body = ret(Expr(.binary(name("x", 2, 12), .add, int(1, 2, 16)), at(2, 12)), 2, 5)
        let module = try compile([def("f", ["x"], [body])])
        let text = module.disassembly()
        #expect(text.contains("Disassembly of <code object f, file \"t.py\", line 1>:"))
        #expect(text.contains("""
              2           0 LOAD_FAST                0 (x)
                          1 LOAD_CONST               0 (1)
                          2 BINARY_OP                0 (+)
                          3 RETURN_VALUE

            """))
        #expect(text.hasPrefix("  1           0 LOAD_CONST               0 (<code object f, file \"t.py\", line 1>)\n"))
        let t = try tryFunction().disassembly()
        #expect(t.contains("ExceptionTable:\n  0 to 3 -> 5 [0]\n"))
        #expect(t.contains("    >>    5 PUSH_EXC_INFO\n"))
        #expect(t.contains("8 POP_JUMP_IF_FALSE       23 (to 23)\n"))
    }
}
