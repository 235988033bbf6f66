// Expressions from the lowest precedence (lambda, conditional) down to `await` and `**`.
//
// One idea: one function per precedence level, each calling the next tighter level, exactly the
// productions of grammar/aso.ebnf; left-associative levels loop, `**` and unary operators recurse.
// Every loop iteration and recursion counts toward `Parser.maxDepth`, which bounds the depth of the
// tree as well as of the Swift stack.

extension Parser {
    /// star_expressions: star_expression (',' star_expression)* [',']
    func starExpressions() throws(SyntaxError) -> Expr {
        let start = tok.loc
        let first = try starExpression()
        guard at(",") else { return first }
        var elts = [first]
        while accept(",") {
            if !startsExpression(tok) && !at("*") { break }
            elts.append(try starExpression())
        }
        return node(.tuple(elts), start)
    }

    /// star_expression: '*' bitwise_or | expression
    func starExpression() throws(SyntaxError) -> Expr {
        if at("*") {
            let loc = next().loc
            return node(.starred(try bitwiseOr()), loc)
        }
        return try expression()
    }

    /// star_named_expression: '*' bitwise_or | named_expression
    func starNamedExpression() throws(SyntaxError) -> Expr {
        if at("*") {
            let loc = next().loc
            return node(.starred(try bitwiseOr()), loc)
        }
        return try namedExpression()
    }

    /// named_expression: NAME ':=' expression | expression
    func namedExpression() throws(SyntaxError) -> Expr {
        if atName && peek().isOp(":=") {
            let nameTok = next()
            advance()
            let value = try expression()
            return node(.namedExpr(target: nameTok.text, value: value), nameTok.loc)
        }
        let e = try expression()
        if at("="), try assignmentLooksIntended() {
            if case .name = e.kind {
                throw error("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", at: e.loc)
            }
            if isBitwiseOrLevel(e) && !isExcludedFromHereMessage(e) {
                throw error("cannot assign to \(exprName(e)) here. Maybe you meant '==' instead of '='?", at: e.loc, end: e.end)
            }
        }
        return e
    }

    /// At a '=' after an expression: true when a bitwise_or follows it and no '=' or ':=' follows
    /// that (CPython's `invalid_named_expression`). Leaves the position unchanged.
    func assignmentLooksIntended() throws(SyntaxError) -> Bool {
        let saved = pos
        defer { pos = saved }
        advance()
        guard startsExpression(tok), !atKeyword("not"), !atKeyword("lambda") else { return false }
        do { _ = try bitwiseOr() } catch {
            pos = saved
            try propagateSpecific(error)
            return false
        }
        return !at("=") && !at(":=")
    }

    /// expression: lambdef | disjunction ['if' disjunction 'else' expression]
    func expression() throws(SyntaxError) -> Expr {
        try enter()
        defer { leave() }
        if atKeyword("lambda") { return try lambdef() }
        let startPos = pos
        let body = try disjunction()
        // CPython's invalid_expression: two expressions in a row inside brackets.
        if startsExpression(tok) && !startsNameString(startPos) && !["match", "case", "_"].contains(tokens[startPos].text) {
            // The second expression must parse (CPython's expression_without_invalid), and only
            // inside brackets is it reported; looking at it also lets an unclosed bracket after
            // it win, as in CPython.
            let saved = pos
            var parsed = false
            // Parsed without CPython's invalid_ rules: errors found inside are not reported.
            do { _ = try disjunction(); _ = tok; parsed = true } catch {}
            pos = saved
            if parsed && tok.depth > 0 { throw error("invalid syntax. Perhaps you forgot a comma?", at: body.loc) }
        }
        // `(a not := 1)`: CPython fails at the token after `not`, where it expected `in`.
        if atKeyword("not") && !peek().isKeyword("in") {
            advance()
            throw invalidSyntax()
        }
        guard atKeyword("if") else { return body }
        advance()
        let test = try disjunction()
        if !acceptKeyword("else") {
            if tok.kind == .error || at(":") { throw invalidSyntax() }
            throw error("expected 'else' after 'if' expression", at: body.loc)
        }
        let orElse = try expression()
        return node(.ifExp(test: test, body: body, orElse: orElse), tokens[startPos].loc)
    }

    /// True when the tokens at `index` are NAME STRING (`print "x"`), which CPython leaves out of the comma hint.
    func startsNameString(_ index: Int) -> Bool {
        index + 1 < tokens.count && tokens[index].kind == .name && tokens[index + 1].kind == .string
    }

    /// True when `t` can begin an expression.
    func startsExpression(_ t: Token) -> Bool {
        switch t.kind {
        case .name:
            return !Lexer.keywords.contains(t.text) || Parser.expressionKeywords.contains(t.text)
        case .number, .string: return true
        case .op: return Parser.expressionOps.contains(t.text)
        default: return false
        }
    }

    /// disjunction: conjunction ('or' conjunction)*
    func disjunction() throws(SyntaxError) -> Expr {
        let start = tok.loc
        let first = try conjunction()
        guard atKeyword("or") else { return first }
        var values = [first]
        while acceptKeyword("or") { values.append(try conjunction()) }
        return node(.boolOp(.or, values), start)
    }

    /// conjunction: inversion ('and' inversion)*
    func conjunction() throws(SyntaxError) -> Expr {
        let start = tok.loc
        let first = try inversion()
        guard atKeyword("and") else { return first }
        var values = [first]
        while acceptKeyword("and") { values.append(try inversion()) }
        return node(.boolOp(.and, values), start)
    }

    /// inversion: 'not' inversion | comparison
    func inversion() throws(SyntaxError) -> Expr {
        if atKeyword("not") {
            let loc = next().loc
            try enter()
            defer { leave() }
            return node(.unary(.not, try inversion()), loc)
        }
        return try comparison()
    }

    /// comparison: bitwise_or (compare_op bitwise_or)*
    func comparison() throws(SyntaxError) -> Expr {
        let start = tok.loc
        let left = try bitwiseOr()
        var ops: [(CmpOp, Expr)] = []
        while let op = compareOp() { ops.append((op, try bitwiseOr())) }
        // `a not b`: CPython fails at the token after `not`, where it expected `in`.
        if atKeyword("not") && !peek().isKeyword("in") && tok.depth == 0 {
            advance()
            throw invalidSyntax()
        }
        return ops.isEmpty ? left : node(.compare(left, ops), start)
    }

    /// compare_op: '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not' 'in' | 'is' | 'is' 'not'
    func compareOp() -> CmpOp? {
        let t = tok
        if t.kind == .op {
            let op: CmpOp?
            switch t.text {
            case "==": op = .eq
            case "!=": op = .notEq
            case "<": op = .lt
            case "<=": op = .ltE
            case ">": op = .gt
            case ">=": op = .gtE
            default: op = nil
            }
            if op != nil { advance() }
            return op
        }
        if t.isKeyword("in") { advance(); return .in }
        if t.isKeyword("not") && peek().isKeyword("in") { advance(); advance(); return .notIn }
        if t.isKeyword("is") {
            advance()
            return acceptKeyword("not") ? .isNot : .is
        }
        return nil
    }

    static let expressionKeywords: Set<String> = ["None", "True", "False", "not", "lambda", "await"]
    static let expressionOps: Set<String> = ["(", "[", "{", "-", "+", "~", "..."]

    /// The binary operators of bitwise_or .. term with their binding power (higher binds tighter).
    static let binaryOperators: [String: (BinOp, Int)] = [
        "|": (.bitOr, 1), "^": (.bitXor, 2), "&": (.bitAnd, 3), "<<": (.lshift, 4), ">>": (.rshift, 4),
        "+": (.add, 5), "-": (.sub, 5), "*": (.mul, 6), "/": (.div, 6), "//": (.floorDiv, 6), "%": (.mod, 6),
        "@": (.matmul, 6),
    ]

    /// bitwise_or, bitwise_xor, bitwise_and, shift_expr, sum, term: the six left-associative binary
    /// levels, parsed by precedence climbing in one function (a chain of six calls per operand would
    /// make every atom pay for six levels).
    func bitwiseOr() throws(SyntaxError) -> Expr {
        try binaryOperand(minPower: 1)
    }

    /// Parses `factor (op factor)*` for operators binding at least `minPower`.
    func binaryOperand(minPower: Int) throws(SyntaxError) -> Expr {
        let start = tok.loc
        var left = try factor()
        var levels = 0
        defer { depth -= levels }
        while tok.kind == .op, let (op, power) = Parser.binaryOperators[tok.text], power >= minPower {
            advance()
            try enter()
            levels += 1
            let right = try binaryOperand(minPower: power + 1)
            left = node(.binary(left, op, right), start)
        }
        return left
    }

    /// factor: ('+' | '-' | '~') factor | power
    func factor() throws(SyntaxError) -> Expr {
        let t = tok
        if t.kind == .op, let op: UnaryOp = t.text == "+" ? .plus : t.text == "-" ? .minus : t.text == "~" ? .invert : nil {
            advance()
            try enter()
            defer { leave() }
            return node(.unary(op, try factor()), t.loc)
        }
        return try power()
    }

    /// power: await_primary ['**' factor]
    func power() throws(SyntaxError) -> Expr {
        let start = tok.loc
        let base = try awaitPrimary()
        guard accept("**") else { return base }
        try enter()
        defer { leave() }
        return node(.binary(base, .pow, try factor()), start)
    }

    /// await_primary: 'await' primary | primary
    func awaitPrimary() throws(SyntaxError) -> Expr {
        if atKeyword("await") {
            let loc = next().loc
            return node(.await(try primary()), loc)
        }
        return try primary()
    }

    /// lambdef: 'lambda' [lambda_params] ':' expression
    func lambdef() throws(SyntaxError) -> Expr {
        let loc = next().loc
        let args = try parameters(closing: ":", annotations: false)
        try expect(":")
        let body = try expression()
        return node(.lambda(args, body), loc)
    }

    /// yield_expr: 'yield' 'from' expression | 'yield' [star_expressions]
    func yieldExpr() throws(SyntaxError) -> Expr {
        let loc = next().loc
        if acceptKeyword("from") { return node(.yieldFrom(try expression()), loc) }
        if startsExpression(tok) || at("*") { return node(.yield(try starExpressions()), loc) }
        return node(.yield(nil), loc)
    }
}
