// Call arguments and parameter lists (of `def` and `lambda`), with CPython's ordering errors.
//
// One idea: both lists are parsed item by item into CPython's layout (`args`/`keywords` for calls,
// `Arguments` for parameters); an item in the wrong place is reported with CPython's message.

extension Parser {
    /// arguments: ','.(starred_expression | (assignment_expression | expression !':=') !'=' | kwarg)+ [',']
    /// Also accepts one generator expression as the only argument: `f(x for x in y)`.
    func arguments(allowGenerator: Bool = true) throws(SyntaxError) -> ([Expr], [Keyword]) {
        var args: [Expr] = []
        var keywords: [Keyword] = []
        var positionalAfter: String?
        var count = 0
        // A lone generator argument spans the call's parentheses, as in CPython.
        let openLoc = pos > 0 ? tokens[pos - 1].loc : tok.loc
        while !at(")") {
            count += 1
            let t = tok
            if at("*") {
                advance()
                if keywords.contains(where: { $0.name == nil }) {
                    throw error("iterable argument unpacking follows keyword argument unpacking", at: t.loc)
                }
                args.append(node(.starred(try expression()), t.loc))
            } else if at("**") {
                advance()
                keywords.append(Keyword(name: nil, value: try expression(), loc: t.loc))
            } else if t.kind == .name && (!Lexer.keywords.contains(t.text) || ["True", "False", "None"].contains(t.text)) && peek().isOp("=") {
                if ["True", "False", "None"].contains(t.text) { throw error("cannot assign to \(t.text)", at: t.loc) }
                let name = try expectName()
                advance()
                keywords.append(Keyword(name: name, value: try expression(), loc: t.loc))
            } else {
                let e = try namedExpressionArgument()
                if try comprehensionAhead() {
                    if !allowGenerator { throw invalidSyntax() }
                    let generators = try comprehensionClauses()
                    let gen = Expr(.generatorExp(e, generators), openLoc, end: tok.end)
                    if count > 1 || !at(")") {
                        throw error("Generator expression must be parenthesized", at: e.loc,
                                    end: generators.last.map { $0.ifs.last?.end ?? $0.iter.end } ?? e.end)
                    }
                    args.append(gen)
                    continue
                }
                if positionalAfter == nil && !keywords.isEmpty {
                    positionalAfter = keywords.contains(where: { $0.name == nil })
                        ? "positional argument follows keyword argument unpacking"
                        : "positional argument follows keyword argument"
                }
                args.append(e)
            }
            if !accept(",") { break }
        }
        if let message = positionalAfter { throw error(message, at: tok.loc) }
        return (args, keywords)
    }

    /// A positional argument; `f(a.b=1)` is reported as CPython does.
    func namedExpressionArgument() throws(SyntaxError) -> Expr {
        if atName && peek().isOp(":=") { return try namedExpression() }
        let e = try expression()
        if at("=") {
            throw error("expression cannot contain assignment, perhaps you meant \"==\"?", at: e.loc)
        }
        return e
    }

    /// params / lambda_params: the parameter list up to `closing` (')' for def, ':' for lambda).
    func parameters(closing: String, annotations: Bool) throws(SyntaxError) -> Arguments {
        var a = Arguments()
        var seenStar = false
        var bareStar: Token?
        var seenDefault = false
        while !at(closing) {
            let t = tok
            if at("(") {
                // `(a, b)` as a parameter: CPython names the mistake; anything else is plain invalid.
                var k = 1
                while peek(k).kind == .name && !Lexer.keywords.contains(peek(k).text) {
                    k += 1
                    if peek(k).isOp(",") { k += 1 } else { break }
                }
                if k > 1 && peek(k).isOp(")") {
                    let what = closing == ":" ? "Lambda expression parameters" : "Function parameters"
                    throw error("\(what) cannot be parenthesized", at: t.loc)
                }
                throw invalidSyntax()
            }
            if at("/") {
                if seenStar || !a.posOnly.isEmpty || a.args.isEmpty { throw invalidSyntax() }
                advance()
                a.posOnly = a.args
                a.args = []
            } else if at("*") {
                if seenStar {
                    if peek().kind == .name || peek().isOp(",") { throw error("* argument may appear only once", at: t.loc) }
                    throw invalidSyntax()
                }
                advance()
                seenStar = true
                if at(",") || at(closing) {
                    bareStar = t
                    // `*` followed by nothing or `**`: CPython reports it at the `*` for def and
                    // at the token after it (after the comma) for lambda.
                    let after = at(",") ? peek() : tok
                    if after.isOp(closing) || after.isOp("**") {
                        throw error("named arguments must follow bare *", at: closing == ":" ? after.loc : t.loc)
                    }
                } else {
                    a.vararg = try parameter(annotations: annotations, starred: true)
                }
            } else if at("**") {
                advance()
                a.kwarg = try parameter(annotations: annotations, starred: false)
                if at("=") { throw error("var-keyword argument cannot have default value", at: tok.loc) }
                let comma = accept(",")
                if !at(closing) {
                    if comma && (tok.kind == .name || at("*") || at("**") || at("/")) {
                        throw error("arguments cannot follow var-keyword argument", at: tok.loc)
                    }
                    throw invalidSyntax()
                }
                break
            } else {
                let p = try parameter(annotations: annotations, starred: false)
                var value: Expr?
                if at("=") {
                    let equals = next()
                    if at(",") || at(closing) { throw error("expected default value expression", at: equals.loc) }
                    value = try expression()
                }
                if seenStar {
                    a.kwOnly.append(p)
                    a.kwDefaults.append(value)
                    bareStar = nil
                } else {
                    if let value {
                        a.defaults.append(value)
                        seenDefault = true
                    } else if seenDefault && (at(",") || at(closing)) {
                        throw error("non-default argument follows default argument", at: p.loc)
                    }
                    a.args.append(p)
                }
            }
            if !accept(",") { break }
        }
        if let star = bareStar, a.kwOnly.isEmpty {
            throw error("named arguments must follow bare *", at: star.loc)
        }
        return a
    }

    /// param: NAME [':' expression]
    func parameter(annotations: Bool, starred: Bool) throws(SyntaxError) -> Arg {
        let loc = tok.loc
        let name = try expectName()
        var annotation: Expr?
        if annotations && accept(":") {
            annotation = starred && at("*") ? try starExpression() : try expression()
        }
        return Arg(name: name, annotation: annotation, loc: loc)
    }
}
