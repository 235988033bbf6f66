// try/except/else/finally, with/async with, async for, and the send loop behind await/yield from.
//
// One idea: these follow CPython 3.11's compile.c instruction for instruction, minus the `lasti`
// values it keeps on the stack for tracebacks: a handler receives the stack cut back to the
// exception-table depth plus the raised exception; `pushExcInfo` swaps in the new "currently
// handled" exception and keeps the previous one below; every handler region has an outer "cleanup"
// handler (`copy 2; popExcept; reraise`) that restores that previous exception if the handler
// itself raises.

import AsoBytecode
import AsoSyntax

extension Compiler {
    func tryFinally(_ s: Stmt, _ tryBody: [Stmt], _ handlers: [ExceptHandler], _ orElse: [Stmt], _ finalBody: [Stmt]) throws {
        let handler = newLabel(), cleanup = newLabel(), exit = newLabel()
        unit.b.pushHandler(handler)
        try pushFBlock(.finallyTry(finalBody), s.loc)
        if handlers.isEmpty {
            try body(tryBody)
        } else {
            try tryExceptAny(s, tryBody, handlers, orElse)
        }
        popFBlock()
        unit.b.popHandler()
        try body(finalBody)
        emitJump(.jump, exit)
        // The exceptional path: run the finally body with the exception saved, then re-raise it.
        bind(handler)
        unit.b.pushHandler(cleanup)
        emit(.pushExcInfo)
        try pushFBlock(.finallyEnd, s.loc)
        try body(finalBody)
        popFBlock()
        emit(.reraise)
        unit.b.popHandler()
        bind(cleanup)
        emitPopExceptAndReraise()
        bind(exit)
    }

    func tryExcept(_ s: Stmt, _ tryBody: [Stmt], _ handlers: [ExceptHandler], _ orElse: [Stmt]) throws {
        let except = newLabel(), cleanup = newLabel(), end = newLabel()
        unit.b.pushHandler(except)
        try pushFBlock(.tryExcept, s.loc)
        try body(tryBody)
        popFBlock()
        unit.b.popHandler()
        try body(orElse)
        emitJump(.jump, end)

        bind(except)
        setSpan(s)
        unit.b.pushHandler(cleanup)
        let inCleanup = unit.b.handlerStack
        emit(.pushExcInfo)
        try pushFBlock(.exceptionHandler, s.loc)
        for (i, h) in handlers.enumerated() {
            loc = h.loc
            if h.type == nil && i < handlers.count - 1 {
                throw error("default 'except:' must be last", h.loc)
            }
            let nextExcept = newLabel()
            if let t = h.type {
                try expr(t)
                loc = h.loc
                emit(.checkExcMatch)
                emitJump(.popJumpIfFalse, nextExcept)
            }
            if let name = h.name {
                let cleanupEnd = newLabel()
                try nameOp(name, .store)
                unit.b.pushHandler(cleanupEnd)
                try pushFBlock(.handlerCleanup(name), h.loc)
                try body(h.body)
                popFBlock()
                unit.b.popHandler()
                unit.b.popHandler()
                emit(.popExcept)
                emitConst(.none)
                try nameOp(name, .store)
                try nameOp(name, .delete)
                emitJump(.jump, end)
                // An exception inside the handler: unbind the name, then re-raise to `cleanup`.
                unit.b.restoreHandlers(inCleanup)
                bind(cleanupEnd)
                loc = h.loc
                emitConst(.none)
                try nameOp(name, .store)
                try nameOp(name, .delete)
                emit(.reraise)
            } else {
                emit(.popTop)
                try pushFBlock(.handlerCleanup(nil), h.loc)
                try body(h.body)
                popFBlock()
                unit.b.popHandler()
                emit(.popExcept)
                emitJump(.jump, end)
                unit.b.restoreHandlers(inCleanup)
            }
            bind(nextExcept)
        }
        // No handler matched: re-raise.
        loc = handlers.last?.loc ?? s.loc
        emit(.reraise)
        popFBlock()
        unit.b.popHandler()
        bind(cleanup)
        emitPopExceptAndReraise()
        bind(end)
    }

    /// `try ... except` or `try ... except*`.
    func tryExceptAny(_ s: Stmt, _ tryBody: [Stmt], _ handlers: [ExceptHandler], _ orElse: [Stmt]) throws {
        if handlers.first?.isStar == true {
            try tryStarExcept(s, tryBody, handlers, orElse)
        } else {
            try tryExcept(s, tryBody, handlers, orElse)
        }
    }

    /// `try ... except*` (CPython 3.11's compiler_try_star_except). The handler keeps
    /// `[prev, orig, raised, rest]` on the stack: the original exception, the list of what the
    /// clauses raised, and the part no clause has taken yet; each clause takes its part with
    /// `checkEgMatch`, an exception inside a clause is appended to the list, and `prepReraiseStar`
    /// makes what leaves the statement (if anything).
    func tryStarExcept(_ s: Stmt, _ tryBody: [Stmt], _ handlers: [ExceptHandler], _ orElse: [Stmt]) throws {
        let except = newLabel(), cleanup = newLabel(), end = newLabel(), reraiseStar = newLabel(), reraise = newLabel()
        unit.b.pushHandler(except)
        try pushFBlock(.tryExcept, s.loc)
        try body(tryBody)
        popFBlock()
        unit.b.popHandler()
        try body(orElse)
        emitJump(.jump, end)

        bind(except)
        setSpan(s)
        unit.b.pushHandler(cleanup)
        emit(.pushExcInfo)
        try pushFBlock(.exceptionGroupHandler, s.loc)
        for (i, h) in handlers.enumerated() {
            loc = h.loc
            let noMatch = newLabel(), afterClause = newLabel(), cleanupEnd = newLabel()
            if i == 0 {
                emit(.copy, 1)
                emit(.buildList, 0)
                emit(.swap, 2)
            }
            if let t = h.type {
                try expr(t)
                loc = h.loc
                emit(.checkEgMatch)
                emit(.copy, 1)
                emitJump(.popJumpIfNone, noMatch)
            }
            if let name = h.name { try nameOp(name, .store) } else { emit(.popTop) }
            unit.b.pushHandler(cleanupEnd)
            try pushFBlock(.handlerCleanup(h.name), h.loc)
            try body(h.body)
            popFBlock()
            unit.b.popHandler()
            if let name = h.name {
                emitConst(.none)
                try nameOp(name, .store)
                try nameOp(name, .delete)
            }
            emitJump(.jump, afterClause)
            // An exception inside the clause: unbind the name, add the exception to the list.
            bind(cleanupEnd)
            loc = h.loc
            if let name = h.name {
                emitConst(.none)
                try nameOp(name, .store)
                try nameOp(name, .delete)
            }
            emit(.listAppend, 2)
            emitJump(.jump, afterClause)
            bind(noMatch)
            emit(.popTop)
            bind(afterClause)
            if i == handlers.count - 1 {
                // What no clause took joins the list.
                emit(.listAppend, 1)
                emitJump(.jump, reraiseStar)
            }
        }
        popFBlock()
        bind(reraiseStar)
        loc = handlers.last?.loc ?? s.loc
        emit(.prepReraiseStar)
        emit(.copy, 1)
        emitJump(.popJumpIfNotNone, reraise)
        unit.b.popHandler()
        emit(.popTop)
        emit(.popExcept)
        emitJump(.jump, end)
        bind(reraise)
        emit(.swap, 2)
        emit(.popExcept)
        emit(.reraise)
        bind(cleanup)
        emitPopExceptAndReraise()
        bind(end)
    }

    /// The cleanup handler: `(prev exc -- )` restores the previously handled exception and re-raises.
    func emitPopExceptAndReraise() {
        emit(.copy, 2)
        emit(.popExcept)
        emit(.reraise)
    }

    func with(_ s: Stmt, _ items: ArraySlice<WithItem>, _ withBody: [Stmt], isAsync: Bool) throws {
        guard let item = items.first else { return try body(withBody) }
        if isAsync && !unitMayAwait {
            throw error("'async with' outside async function", s.loc)
        }
        let handler = newLabel(), cleanup = newLabel(), exit = newLabel()
        try expr(item.context)
        setSpan(s)
        if isAsync {
            emit(.beforeAsyncWith)
            emit(.getAwaitable, 1)
            emitConst(.none)
            emitYieldFromLoop()
        } else {
            emit(.beforeWith)
        }
        unit.b.pushHandler(handler, adjust: -1)
        try pushFBlock(.with(isAsync: isAsync), s.loc)
        if let t = item.target { try store(t) } else { emit(.popTop) }
        if items.count > 1 {
            try with(s, items.dropFirst(), withBody, isAsync: isAsync)
        } else {
            try body(withBody)
        }
        popFBlock()
        unit.b.popHandler()
        setSpan(s)
        emitExitCall(isAsync: isAsync)
        emitJump(.jump, exit)

        // An exception in the body: `(exit exc)`; call exit(type, exc, tb) and re-raise unless it is truthy.
        bind(handler)
        unit.b.pushHandler(cleanup)
        emit(.pushExcInfo)
        emit(.withExceptStart)
        if isAsync {
            emit(.getAwaitable, 2)
            emitConst(.none)
            emitYieldFromLoop()
        }
        let suppress = newLabel()
        emitJump(.popJumpIfTrue, suppress)
        emit(.reraise)
        bind(suppress)
        emit(.popTop)
        unit.b.popHandler()
        emit(.popExcept)
        emit(.popTop)
        emitJump(.jump, exit)
        bind(cleanup)
        emitPopExceptAndReraise()
        bind(exit)
    }

    func asyncFor(_ s: Stmt, _ target: Expr, _ iter: Expr, _ loopBody: [Stmt], _ orElse: [Stmt]) throws {
        if !unitMayAwait {
            throw error("'async for' outside async function", s.loc)
        }
        let start = newLabel(), except = newLabel(), end = newLabel()
        try expr(iter)
        setSpan(s)
        emit(.getAIter)
        bind(start)
        try pushFBlock(.forLoop, start: start, exit: end, s.loc)
        unit.b.pushHandler(except)
        emit(.getANext)
        emitConst(.none)
        emitYieldFromLoop()
        unit.b.popHandler()
        try store(target)
        try body(loopBody)
        setSpan(s)
        emitJump(.jump, start)
        popFBlock()
        bind(except)
        setSpan(iter)
        emit(.endAsyncFor)
        try body(orElse)
        bind(end)
    }

    /// The delegation loop of `await` and `yield from` (CPython 3.11's compiler_add_yield_from):
    /// `(it v -- result)`.
    func emitYieldFromLoop() {
        let send = newLabel(), exit = newLabel()
        bind(send)
        emitJump(.send, exit)
        emit(.yieldValue)
        emitJump(.jump, send)
        bind(exit)
    }
}

extension Compiler {
    /// Leaving a `with` block normally: `__exit__(None, None, None)` (awaited for `async with`),
    /// its result discarded.
    func emitExitCall(isAsync: Bool) {
        emitConst(.none); emitConst(.none); emitConst(.none)
        emit(.call, 2)
        if isAsync {
            emit(.getAwaitable, 2)
            emitConst(.none)
            emitYieldFromLoop()
        }
        emit(.popTop)
    }
}
