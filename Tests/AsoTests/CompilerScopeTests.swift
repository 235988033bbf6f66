// Scope resolution as the generated code shows it: fast locals, cells, free variables, globals,
// class bodies and the implicit __class__ cell.

import AsoBytecode
import AsoCompiler
import AsoSyntax
import Testing

@Suite struct CompilerScopeTests {
    // def outer():
    //     x = 1
    //     def inner():
    //         nonlocal x
    //         x = 2
    //         return x
    //     return inner
    @Test func nonlocalMakesCellAndFreeVariable() throws {
        let inner = def("inner", [], [
            Stmt(.nonlocal(["x"]), at(4, 9)),
            assign(name("x", 5, 9), int(2, 5, 13), 5, 9),
            ret(name("x", 6, 16), 6, 9),
        ], 3, 5)
        let outer = def("outer", [], [assign(name("x", 2, 5), int(1, 2, 9), 2, 5), inner, ret(name("inner", 7, 12), 7, 5)])
        let module = try compile([outer])
        let o = try #require(module.child("outer"))
        let i = try #require(o.child("inner"))
        #expect(o.localNames == ["inner", "x"])
        #expect(o.cellSlots == [1])
        #expect(o.opcodes.first == .makeCell)
        #expect(o.ops.contains { $0.0 == .storeDeref && $0.1 == 1 })
        #expect(o.ops.contains { $0.0 == .loadClosure && $0.1 == 1 })
        #expect(o.ops.contains { $0.0 == .makeFunction && $0.1 == 8 })
        #expect(i.localNames == ["x"])
        #expect(i.freeCount == 1)
        #expect(i.opcodes.first == .copyFreeVars)
        #expect(i.ops.contains { $0.0 == .storeDeref && $0.1 == 0 })
        #expect(i.ops.contains { $0.0 == .loadDeref && $0.1 == 0 })
        #expect(i.qualifiedName == "outer.<locals>.inner")
    }

    // def f(a):
    //     global g
    //     g = a
    //     b = a
    @Test func globalAndFastLocals() throws {
        let f = def("f", ["a"], [
            Stmt(.global(["g"]), at(2, 5)),
            assign(name("g", 3, 5), name("a", 3, 9), 3, 5),
            assign(name("b", 4, 5), name("a", 4, 9), 4, 5),
        ])
        let code = try #require(try compile([f]).child("f"))
        #expect(code.localNames == ["a", "b"])
        #expect(code.argCount == 1)
        #expect(code.ops.contains { $0.0 == .storeGlobal && code.names[$0.1] == "g" })
        #expect(code.ops.contains { $0.0 == .storeFast && $0.1 == 1 })
        #expect(code.cellSlots.isEmpty && code.freeCount == 0)
    }

    @Test func moduleNamesAreGlobals() throws {
        let code = try compile([assign(name("x"), name("y"))])
        #expect(code.opcodes == [.loadGlobal, .storeGlobal, .loadConst, .returnValue])
        #expect(code.flags.contains(.module))
    }

    // class C:
    //     y = 1
    //     def m(self):
    //         return super().m() + y
    @Test func classBodyUsesNamesAndClassCell() throws {
        let sup = callExpr(name("super", 4, 16), [], [], 4, 16)
        let meth = callExpr(Expr(.attribute(sup, "m"), at(4, 16)), [], [], 4, 16)
        let m = def("m", ["self"], [ret(Expr(.binary(meth, .add, name("y", 4, 31)), at(4, 16)), 4, 9)], 3, 5)
        let cls = Stmt(.classDef(ClassDef(name: "C", bases: [], keywords: [],
                                          body: [assign(name("y", 2, 5), int(1, 2, 9), 2, 5), m], decorators: [])), at(1))
        let module = try compile([cls])
        let body = try #require(module.child("C"))
        #expect(body.flags.contains(.classBody))
        #expect(body.ops.contains { $0.0 == .storeName && body.names[$0.1] == "y" })
        #expect(body.localNames == ["__class__"])
        #expect(body.cellSlots == [0])
        #expect(body.names.contains("__classcell__"))
        let method = try #require(body.child("m"))
        #expect(method.localNames == ["self", "__class__"])
        #expect(method.freeCount == 1)
        // `y` is not visible from the method: it is a global there.
        #expect(method.ops.contains { $0.0 == .loadGlobal && method.names[$0.1] == "y" })
        #expect(method.qualifiedName == "C.m")
        // The module builds the class with __build_class__(func, "C").
        #expect(Array(module.opcodes.prefix(2)) == [.loadBuildClass, .pushNull])
    }

    // def f(xs):
    //     return [x * k for x in xs]   (k global)
    @Test func comprehensionIsCalledWithItsIterator() throws {
        let comp = Comprehension(target: name("x", 2, 24), iter: name("xs", 2, 29), ifs: [], isAsync: false)
        let lc = Expr(.listComp(Expr(.binary(name("x", 2, 13), .mul, name("k", 2, 17)), at(2, 13)), [comp]), at(2, 12))
        let f = def("f", ["xs"], [ret(lc, 2, 5)])
        let code = try #require(try compile([f]).child("f"))
        let lcCode = try #require(code.child("<listcomp>"))
        #expect(lcCode.localNames == [".0", "x"])
        #expect(lcCode.argCount == 1)
        #expect(lcCode.flags.contains(.comprehension))
        #expect(lcCode.opcodes == [.buildList, .loadFast, .forIter, .storeFast, .loadFast, .loadGlobal, .binaryOp,
                                   .listAppend, .jump, .returnValue])
        #expect(lcCode.ops[7].1 == 2)
        #expect(code.opcodes == [.loadConst, .makeFunction, .loadFast, .getIter, .call, .returnValue])
        #expect(code.ops[4].1 == 0)
    }
}
