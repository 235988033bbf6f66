// Compound statements: if, while, for, try, with, def, class, async forms, decorators, and blocks.
//
// One idea: every header ends in ':' and a `block`; a block that is missing its indentation is
// reported as CPython does ("expected an indented block after 'if' statement on line N"), so each
// header passes its own description and line to `block`.

extension Parser {
    /// compound_stmt: function_def | if_stmt | class_def | with_stmt | for_stmt | try_stmt | while_stmt
    /// (async and decorated forms included); nil when the current token starts no compound statement.
    func compoundStatement() throws(SyntaxError) -> Stmt? {
        let t = tok
        guard t.kind == .name || t.isOp("@") else { return nil }
        switch t.text {
        case "if": return try ifStatement()
        case "while": return try whileStatement()
        case "for": return try forStatement(isAsync: false, loc: t.loc)
        case "try": return try tryStatement()
        case "with": return try withStatement(isAsync: false, loc: t.loc)
        case "def": return try functionDef(decorators: [], isAsync: false, loc: t.loc)
        case "class": return try classDef(decorators: [])
        case "match": return try matchStatement()
        case "@": return try decorated()
        case "async":
            let n = peek()
            advance()
            if n.isKeyword("def") { return try functionDef(decorators: [], isAsync: true, loc: t.loc) }
            if n.isKeyword("with") { return try withStatement(isAsync: true, loc: t.loc) }
            if n.isKeyword("for") { return try forStatement(isAsync: true, loc: t.loc) }
            throw invalidSyntax()
        default: return nil
        }
    }

    /// block: NEWLINE INDENT statements DEDENT | simple_stmts
    func block(after what: String, line: Int) throws(SyntaxError) -> [Stmt] {
        guard tok.kind == .newline else { return try simpleStatements() }
        advance()
        guard tok.kind == .indent else {
            if tok.kind == .error { throw invalidSyntax() }
            throw error("expected an indented block after \(what) on line \(line)", at: tok.loc, kind: .indentation)
        }
        advance()
        try enter()
        defer { leave() }
        var body: [Stmt] = []
        while tok.kind != .dedent && tok.kind != .endMarker {
            if tok.kind == .error { throw invalidSyntax() }
            body += try statement()
        }
        advance()
        return body
    }

    /// if_stmt: 'if' named_expression ':' block (elif_stmt | [else_block])
    func ifStatement() throws(SyntaxError) -> Stmt {
        let t = next()
        let test = try namedExpression()
        try expectColonBeforeNewline()
        let body = try block(after: "'\(t.text)' statement", line: t.loc.line)
        var orElse: [Stmt] = []
        if atKeyword("elif") {
            orElse = [try ifStatement()]
        } else if atKeyword("else") {
            orElse = try elseBlock()
        }
        return stmtNode(.if(test: test, body: body, orElse: orElse), t.loc)
    }

    /// else_block: 'else' &&':' block
    func elseBlock() throws(SyntaxError) -> [Stmt] {
        let t = next()
        try expectColon()
        return try block(after: "'else' statement", line: t.loc.line)
    }

    /// while_stmt: 'while' named_expression ':' block [else_block]
    func whileStatement() throws(SyntaxError) -> Stmt {
        let t = next()
        let test = try namedExpression()
        try expectColonBeforeNewline()
        let body = try block(after: "'while' statement", line: t.loc.line)
        let orElse = atKeyword("else") ? try elseBlock() : []
        return stmtNode(.while(test: test, body: body, orElse: orElse), t.loc)
    }

    /// for_stmt: ['async'] 'for' star_targets 'in' star_expressions ':' block [else_block]
    func forStatement(isAsync: Bool, loc: SourceLocation) throws(SyntaxError) -> Stmt {
        let t = next()
        let target = try forTargets()
        let iter = try starExpressions()
        try expectColonBeforeNewline()
        let body = try block(after: "'for' statement", line: t.loc.line)
        let orElse = atKeyword("else") ? try elseBlock() : []
        return stmtNode(.for(target: target, iter: iter, body: body, orElse: orElse, isAsync: isAsync), loc)
    }

    /// try_stmt: 'try' &&':' block (except_block+ [else_block] [finally_block] | except_star_block+ ... | finally_block)
    func tryStatement() throws(SyntaxError) -> Stmt {
        let t = next()
        try expectColon()
        let body = try block(after: "'try' statement", line: t.loc.line)
        var handlers: [ExceptHandler] = []
        while atKeyword("except") {
            let e = next()
            var type: Expr?
            var name: String?
            let isStar = accept("*")
            if let first = handlers.first, first.isStar != isStar {
                throw error("cannot have both 'except' and 'except*' on the same 'try'", at: e.loc)
            }
            if isStar && at(":") { throw error("expected one or more exception types", at: tok.loc) }
            if !at(":") {
                type = try expression()
                if at(",") { throw error("multiple exception types must be parenthesized", at: type?.loc ?? e.loc) }
                if acceptKeyword("as") { name = try expectName() }
            }
            try expectColonBeforeNewline()
            let handlerBody = try block(after: "'except' statement", line: e.loc.line)
            handlers.append(ExceptHandler(type: type, name: name, body: handlerBody, loc: e.loc, isStar: isStar))
        }
        var orElse: [Stmt] = []
        if !handlers.isEmpty && atKeyword("else") { orElse = try elseBlock() }
        var finally: [Stmt] = []
        if atKeyword("finally") {
            let f = next()
            try expectColon()
            finally = try block(after: "'finally' statement", line: f.loc.line)
        }
        if handlers.isEmpty && finally.isEmpty {
            if tok.kind == .error { throw invalidSyntax() }
            throw error("expected 'except' or 'finally' block", at: tok.loc)
        }
        return stmtNode(.try(body: body, handlers: handlers, orElse: orElse, finally: finally), t.loc)
    }

    /// with_stmt: ['async'] 'with' ('(' ','.with_item+ [','] ')' | ','.with_item+) ':' block
    func withStatement(isAsync: Bool, loc: SourceLocation) throws(SyntaxError) -> Stmt {
        let t = next()
        var items: [WithItem]?
        if at("(") {
            let saved = pos
            do {
                advance()
                var parsed: [WithItem] = []
                repeat {
                    if at(")") && !parsed.isEmpty { break }
                    parsed.append(try withItem())
                } while accept(",")
                try expect(")")
                if !at(":") { throw invalidSyntax() }
                items = parsed
            } catch {
                pos = saved
            }
        }
        if items == nil {
            var parsed: [WithItem] = []
            repeat { parsed.append(try withItem()) } while accept(",")
            items = parsed
        }
        try expectColonBeforeNewline()
        let body = try block(after: "'with' statement", line: t.loc.line)
        return stmtNode(.with(items: items ?? [], body: body, isAsync: isAsync), loc)
    }

    /// with_item: expression ['as' star_target]
    func withItem() throws(SyntaxError) -> WithItem {
        let context = try expression()
        var target: Expr?
        if acceptKeyword("as") {
            let e = try targetItem()
            try checkTarget(e, delete: false)
            target = e
        }
        return WithItem(context: context, target: target)
    }

    /// decorators: ('@' named_expression NEWLINE)+, then a function or class definition.
    func decorated() throws(SyntaxError) -> Stmt {
        var decorators: [Expr] = []
        while accept("@") {
            decorators.append(try namedExpression())
            guard tok.kind == .newline else { throw invalidSyntax() }
            advance()
        }
        let t = tok
        if t.isKeyword("def") { return try functionDef(decorators: decorators, isAsync: false, loc: t.loc) }
        if t.isKeyword("class") { return try classDef(decorators: decorators) }
        if t.isKeyword("async") {
            advance()
            guard atKeyword("def") else { throw invalidSyntax() }
            return try functionDef(decorators: decorators, isAsync: true, loc: t.loc)
        }
        throw invalidSyntax()
    }

    /// function_def: ['async'] 'def' NAME &&'(' [params] ')' ['->' expression] &&':' block
    func functionDef(decorators: [Expr], isAsync: Bool, loc: SourceLocation) throws(SyntaxError) -> Stmt {
        let t = next()
        let name = try expectName()
        if !accept("(") { throw error("expected '('", at: tok.loc) }
        let args = try parameters(closing: ")", annotations: true)
        try expect(")")
        let returns = accept("->") ? try expression() : nil
        try expectColon()
        let body = try block(after: "function definition", line: t.loc.line)
        let def = FunctionDef(name: name, args: args, body: body, decorators: decorators, returns: returns, isAsync: isAsync)
        return stmtNode(.functionDef(def), loc)
    }

    /// class_def: 'class' NAME ['(' [arguments] ')'] ':' block
    func classDef(decorators: [Expr]) throws(SyntaxError) -> Stmt {
        let t = next()
        let name = try expectName()
        var bases: [Expr] = [], keywords: [Keyword] = []
        if accept("(") {
            (bases, keywords) = try arguments(allowGenerator: false)
            try expect(")")
        }
        try expectColonBeforeNewline()
        let body = try block(after: "class definition", line: t.loc.line)
        return stmtNode(.classDef(ClassDef(name: name, bases: bases, keywords: keywords, body: body, decorators: decorators)), t.loc)
    }
}
