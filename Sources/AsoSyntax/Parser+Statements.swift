// Simple statements: expression statements and assignments, and the keyword statements that fit
// on one line (pass, return, import, global, del, assert, raise, ...).
//
// One idea: an expression statement is parsed as `star_expressions` first and only then decided
// to be an assignment (`=`), an augmented assignment or an annotation, whose targets are checked
// afterwards (Parser+Targets.swift).

extension Parser {
    /// statement: compound_stmt | simple_stmts
    func statement() throws(SyntaxError) -> [Stmt] {
        if let compound = try compoundStatement() { return [compound] }
        return try simpleStatements()
    }

    /// simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE
    func simpleStatements() throws(SyntaxError) -> [Stmt] {
        var result: [Stmt] = []
        while true {
            result.append(try simpleStatement())
            if accept(";") {
                if tok.kind == .newline { break }
                continue
            }
            break
        }
        guard tok.kind == .newline else {
            if let last = result.last, case .expr(let e) = last.kind, case .name(let n) = e.kind,
               n == "print" || n == "exec", startsExpression(tok), tok.kind != .error {
                // CPython underlines from the name to the end of the expressions after it.
                let message = "Missing parentheses in call to '\(n)'. Did you mean \(n)(...)?"
                let saved = pos
                if let rest = try? starExpressions() {
                    let end = rest.end
                    pos = saved
                    throw error(message, at: e.loc, end: end)
                }
                pos = saved
                throw error(message, at: e.loc)
            }
            throw invalidSyntax()
        }
        advance()
        return result
    }

    /// simple_stmt: assignment | star_expressions | return_stmt | import_stmt | raise_stmt | 'pass'
    ///            | del_stmt | yield_stmt | assert_stmt | 'break' | 'continue' | global_stmt | nonlocal_stmt
    func simpleStatement() throws(SyntaxError) -> Stmt {
        let t = tok
        if t.kind == .name {
            switch t.text {
            case "pass": advance(); return stmtNode(.pass, t.loc)
            case "break": advance(); return stmtNode(.break, t.loc)
            case "continue": advance(); return stmtNode(.continue, t.loc)
            case "return":
                advance()
                let value = startsExpression(tok) || at("*") ? try starExpressions() : nil
                return stmtNode(.return(value), t.loc)
            case "raise": return try raiseStatement()
            case "global", "nonlocal":
                advance()
                var names = [try expectName()]
                while accept(",") { names.append(try expectName()) }
                return stmtNode(t.text == "global" ? .global(names) : .nonlocal(names), t.loc)
            case "del": return try delStatement()
            case "assert":
                advance()
                let test = try expression()
                let message = accept(",") ? try expression() : nil
                return stmtNode(.assert(test: test, message: message), t.loc)
            case "import": return try importStatement()
            case "from": return try fromImportStatement()
            default: break
            }
        }
        return try expressionStatement()
    }

    /// assignment | star_expressions: see the file comment.
    func expressionStatement() throws(SyntaxError) -> Stmt {
        let startLoc = tok.loc
        let startPos = pos
        let first = atKeyword("yield") ? try yieldExpr() : try starExpressions()
        if case .tuple = first.kind, first.loc == startLoc, atName, peek().isOp("=") {
            // `a, b c = d`: CPython tries `c = d` as a named expression and hints at '=='.
            let nameLoc = tok.loc
            let saved = pos
            advance()
            let intended = try assignmentLooksIntended()
            pos = saved
            if intended { throw error("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", at: nameLoc) }
        }
        if at(":") {
            if case .starred = first.kind { throw invalidSyntax() }
            if let message = annotationTargetError(first) {
                if !startsExpression(peek()) { throw invalidSyntax() }
                throw error(message, at: first.loc)
            }
            advance()
            let annotation = try expression()
            var value: Expr?
            if accept("=") { value = atKeyword("yield") ? try yieldExpr() : try starExpressions() }
            return stmtNode(.annAssign(target: first, annotation: annotation, value: value), startLoc)
        }
        if tok.kind == .op, let op = Parser.augmentedOperators[tok.text] {
            var validTarget = false
            switch first.kind {
            case .name, .attribute, .subscript: validTarget = true
            default: break
            }
            // With an invalid target CPython's first pass stops at the operator itself.
            if !validTarget && !startsExpression(peek()) && !peek().isKeyword("yield") && !peek().isOp("*") {
                throw invalidSyntax()
            }
            advance()
            // The target is checked once a value has parsed, as CPython's invalid_assignment does.
            let value = atKeyword("yield") ? try yieldExpr() : try starExpressions()
            switch first.kind {
            case .name, .attribute, .subscript: break
            default: throw error("'\(exprName(first))' is an illegal expression for augmented assignment", at: first.loc)
            }
            return stmtNode(.augAssign(target: first, op: op, value: value), startLoc)
        }
        guard at("=") else { return stmtNode(.expr(first), startLoc) }
        // Each target is checked when its '=' is seen, before the value is parsed (CPython's
        // invalid_assignment), so `f() =` is reported even when nothing valid follows.
        var targets: [Expr] = []
        var value = first
        var bareYield = tokens[startPos].isKeyword("yield")
        while at("=") {
            try checkAssignmentTarget(value, first: targets.isEmpty, bareYield: bareYield)
            targets.append(value)
            advance()
            bareYield = atKeyword("yield")
            value = bareYield ? try yieldExpr() : try starExpressions()
        }
        return stmtNode(.assign(targets: targets, value: value), startLoc)
    }

    /// Checks one target of `a = b = value`; `first` is the leftmost, which gets CPython's
    /// "here. Maybe you meant '=='" hint when a single bitwise_or value follows.
    func checkAssignmentTarget(_ target: Expr, first: Bool, bareYield: Bool) throws(SyntaxError) {
        if bareYield { throw error("assignment to yield expression not possible", at: target.loc) }
        guard let bad = invalidTarget(target, delete: false) else { return }
        if first && isBitwiseOrLevel(target) && !isExcludedFromHereMessage(target), try assignmentLooksIntended() {
            throw error("cannot assign to \(exprName(target)) here. Maybe you meant '==' instead of '='?", at: target.loc, end: target.end)
        }
        throw error("cannot assign to \(exprName(bad))", at: bad.loc, end: bad.end)
    }

    static let augmentedOperators: [String: BinOp] = [
        "+=": .add, "-=": .sub, "*=": .mul, "@=": .matmul, "/=": .div, "//=": .floorDiv, "%=": .mod,
        "**=": .pow, "<<=": .lshift, ">>=": .rshift, "&=": .bitAnd, "|=": .bitOr, "^=": .bitXor,
    ]

    /// raise_stmt: 'raise' [expression ['from' expression]]
    func raiseStatement() throws(SyntaxError) -> Stmt {
        let loc = next().loc
        guard startsExpression(tok) else { return stmtNode(.raise(exception: nil, cause: nil), loc) }
        let exception = try expression()
        let cause = acceptKeyword("from") ? try expression() : nil
        return stmtNode(.raise(exception: exception, cause: cause), loc)
    }

    /// del_stmt: 'del' del_target (',' del_target)* [','], where del_target is a primary. When
    /// that fails, CPython's invalid_del_stmt reparses the rest as expressions to name an invalid
    /// target ("cannot delete function call"); otherwise the error is where the first parse stopped.
    func delStatement() throws(SyntaxError) -> Stmt {
        let loc = next().loc
        let start = pos
        var targets: [Expr] = []
        var parsed = true
        do {
            repeat {
                if !targets.isEmpty && !startsExpression(tok) { break }
                targets.append(try primary())
            } while accept(",")
        } catch {
            parsed = false
        }
        if parsed && (at(";") || tok.kind == .newline) {
            for t in targets { try checkTarget(t, delete: true) }
            return stmtNode(.delete(targets), loc)
        }
        let failed = pos
        pos = start
        var reparsed: Expr?
        do { reparsed = try starExpressions() } catch { pos = failed; try propagateSpecific(error) }
        if let e = reparsed {
            let items: [Expr]
            if case .tuple(let elts) = e.kind, e.loc == tokens[start].loc, !tokens[start].isOp("(") { items = elts } else { items = [e] }
            for item in items { try checkTarget(item, delete: true) }
        }
        pos = failed
        throw invalidSyntax()
    }

    /// dotted_name: NAME ('.' NAME)*
    func dottedName() throws(SyntaxError) -> String {
        var name = try expectName()
        while accept(".") { name += "." + (try expectName()) }
        return name
    }

    /// import_name: 'import' dotted_name ['as' NAME] (',' dotted_name ['as' NAME])*
    func importStatement() throws(SyntaxError) -> Stmt {
        let loc = next().loc
        var names: [Alias] = []
        repeat {
            let aliasLoc = tok.loc
            let name = try dottedName()
            let asName = acceptKeyword("as") ? try expectName() : nil
            names.append(Alias(name: name, asName: asName, loc: aliasLoc))
        } while accept(",")
        return stmtNode(.import(names), loc)
    }

    /// import_from: 'from' ('.' | '...')* dotted_name 'import' import_from_targets
    ///            | 'from' ('.' | '...')+ 'import' import_from_targets
    func fromImportStatement() throws(SyntaxError) -> Stmt {
        let loc = next().loc
        var level = 0
        while at(".") || at("...") { level += next().text.count }
        var module: String?
        if !atKeyword("import") { module = try dottedName() }
        if level == 0 && module == nil { throw invalidSyntax() }
        try expectKeyword("import")
        var names: [Alias] = []
        if at("*") {
            names.append(Alias(name: "*", asName: nil, loc: next().loc))
            return stmtNode(.importFrom(module: module, names: names, level: level), loc)
        }
        let parenthesized = accept("(")
        repeat {
            if parenthesized && at(")") && !names.isEmpty { break }
            if !parenthesized && !names.isEmpty && !atName {
                throw error("trailing comma not allowed without surrounding parentheses", at: tok.loc)
            }
            let aliasLoc = tok.loc
            let name = try expectName()
            let asName = acceptKeyword("as") ? try expectName() : nil
            names.append(Alias(name: name, asName: asName, loc: aliasLoc))
        } while accept(",")
        if parenthesized { try expect(")") }
        return stmtNode(.importFrom(module: module, names: names, level: level), loc)
    }
}
