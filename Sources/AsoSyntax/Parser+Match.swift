// The `match` statement (PEP 634): `match` and `case` are soft keywords, so a line that starts
// with `match` is a match statement only when it parses as one up to the `:` and the line end;
// otherwise it is read again as an ordinary statement (`match = 1`, `match(x)`).

extension Parser {
    /// match_stmt: "match" subject_expr ':' NEWLINE INDENT case_block+ DEDENT; nil (and nothing
    /// consumed) when the line is no match statement.
    func matchStatement() throws(SyntaxError) -> Stmt? {
        let t = tok
        guard t.kind == .name, t.text == "match" else { return nil }
        let saved = pos
        advance()
        guard startsExpression(tok) || at("*") else { pos = saved; return nil }
        let subject: Expr
        do {
            subject = try subjectExpression()
        } catch {
            pos = saved
            return nil
        }
        guard at(":"), peek().kind == .newline else { pos = saved; return nil }
        advance()
        advance()
        guard tok.kind == .indent else {
            throw error("expected an indented block after 'match' statement on line \(t.loc.line)", at: tok.loc, kind: .indentation)
        }
        advance()
        try enter()
        defer { leave() }
        var cases: [MatchCase] = []
        while tok.kind == .name && tok.text == "case" {
            cases.append(try caseBlock())
        }
        guard !cases.isEmpty, tok.kind == .dedent else { throw invalidSyntax() }
        advance()
        return stmtNode(.match(subject: subject, cases: cases), t.loc)
    }

    /// subject_expr: star_named_expression ',' star_named_expressions? | named_expression
    private func subjectExpression() throws(SyntaxError) -> Expr {
        let loc = tok.loc
        let first = at("*") ? try starredItem() : try namedExpression()
        guard at(",") else {
            if case .starred = first.kind { throw invalidSyntax() }
            return first
        }
        var items = [first]
        while accept(",") {
            if at(":") { break }
            items.append(at("*") ? try starredItem() : try namedExpression())
        }
        return node(.tuple(items), loc)
    }

    private func starredItem() throws(SyntaxError) -> Expr {
        let loc = tok.loc
        try expect("*")
        return node(.starred(try bitwiseOr()), loc)
    }

    /// case_block: "case" patterns guard? ':' block
    private func caseBlock() throws(SyntaxError) -> MatchCase {
        let t = next()
        let pattern = try patterns()
        var guardExpr: Expr?
        if acceptKeyword("if") { guardExpr = try namedExpression() }
        try expect(":")
        let body = try block(after: "'case' statement", line: t.loc.line)
        return MatchCase(pattern: pattern, guardExpr: guardExpr, body: body)
    }

    /// patterns: open_sequence_pattern | pattern
    private func patterns() throws(SyntaxError) -> Pattern {
        let loc = tok.loc
        let first = try maybeStarPattern()
        guard at(",") else {
            if case .star = first.kind { return Pattern(.sequence([first]), loc) }
            return first
        }
        var items = [first]
        while accept(",") {
            if at(":") || atKeyword("if") { break }
            items.append(try maybeStarPattern())
        }
        return Pattern(.sequence(items), loc)
    }

    private func maybeStarPattern() throws(SyntaxError) -> Pattern {
        if at("*") {
            let loc = next().loc
            let name = try expectName()
            return Pattern(.star(name == "_" ? nil : name), loc)
        }
        return try pattern()
    }

    /// pattern: or_pattern ['as' NAME]
    private func pattern() throws(SyntaxError) -> Pattern {
        let loc = tok.loc
        let p = try orPattern()
        if acceptKeyword("as") {
            let nameLoc = tok.loc
            let name = try expectName()
            if name == "_" { throw error("cannot use '_' as a target", at: nameLoc) }
            return Pattern(.asPattern(p, name), loc)
        }
        return p
    }

    /// or_pattern: '|'.closed_pattern+
    private func orPattern() throws(SyntaxError) -> Pattern {
        let loc = tok.loc
        var alternatives = [try closedPattern()]
        while accept("|") { alternatives.append(try closedPattern()) }
        return alternatives.count == 1 ? alternatives[0] : Pattern(.or(alternatives), loc)
    }

    /// closed_pattern: literal | capture | wildcard | value | group | sequence | mapping | class
    private func closedPattern() throws(SyntaxError) -> Pattern {
        try enter()
        defer { leave() }
        let t = tok
        if t.kind == .number || at("-") || t.kind == .string {
            return Pattern(.value(try literalExpression()), t.loc)
        }
        if t.kind == .name {
            switch t.text {
            case "None": advance(); return Pattern(.singleton(.none), t.loc)
            case "True": advance(); return Pattern(.singleton(.bool(true)), t.loc)
            case "False": advance(); return Pattern(.singleton(.bool(false)), t.loc)
            default: break
            }
            let name = try expectName()
            var target = node(.name(name), t.loc)
            var dotted = false
            while accept(".") {
                let attr = try expectName()
                target = node(.attribute(target, attr), t.loc)
                dotted = true
            }
            if at("(") { return try classPattern(target, t.loc) }
            if dotted { return Pattern(.value(target), t.loc) }
            return Pattern(.asPattern(nil, name == "_" ? nil : name), t.loc)
        }
        if accept("(") {
            if accept(")") { return Pattern(.sequence([]), t.loc) }
            let first = try maybeStarPattern()
            if accept(")") {
                if case .star = first.kind { return Pattern(.sequence([first]), t.loc) }
                return first
            }
            var items = [first]
            while accept(",") {
                if at(")") { break }
                items.append(try maybeStarPattern())
            }
            try expect(")")
            return Pattern(.sequence(items), t.loc)
        }
        if accept("[") {
            var items: [Pattern] = []
            while !at("]") {
                items.append(try maybeStarPattern())
                if !accept(",") { break }
            }
            try expect("]")
            return Pattern(.sequence(items), t.loc)
        }
        if accept("{") {
            var keys: [Expr] = [], values: [Pattern] = []
            var rest: String?
            while !at("}") {
                if accept("**") {
                    rest = try expectName()
                    _ = accept(",")
                    break
                }
                keys.append(try mappingKey())
                try expect(":")
                values.append(try pattern())
                if !accept(",") { break }
            }
            try expect("}")
            return Pattern(.mapping(keys: keys, patterns: values, rest: rest), t.loc)
        }
        throw invalidSyntax()
    }

    /// A key of a mapping pattern: a literal or a dotted name.
    private func mappingKey() throws(SyntaxError) -> Expr {
        let t = tok
        if t.kind == .number || at("-") || t.kind == .string { return try literalExpression() }
        if t.kind == .name {
            switch t.text {
            case "None": advance(); return node(.constant(.none), t.loc)
            case "True": advance(); return node(.constant(.bool(true)), t.loc)
            case "False": advance(); return node(.constant(.bool(false)), t.loc)
            default: break
            }
            var target = node(.name(try expectName()), t.loc)
            var dotted = false
            while accept(".") {
                target = node(.attribute(target, try expectName()), t.loc)
                dotted = true
            }
            if dotted { return target }
        }
        throw invalidSyntax()
    }

    /// A number (optionally negative) or string literal.
    private func literalExpression() throws(SyntaxError) -> Expr {
        let loc = tok.loc
        if accept("-") {
            guard tok.kind == .number else { throw invalidSyntax() }
            let n = try atom()
            return node(.unary(.minus, n), loc)
        }
        if tok.kind == .string {
            let s = try strings()
            if case .joinedStr = s.kind { throw error("patterns may only match literals and attribute lookups", at: loc) }
            return s
        }
        let n = try atom()
        if at("+") || at("-") {
            // `1 + 2j`: complex literals are outside the language; CPython's error for a real part
            // followed by anything but an imaginary number.
            advance()
            if tok.kind == .number, !(tok.text.hasSuffix("j") || tok.text.hasSuffix("J")) {
                throw error("imaginary number required in complex literal", at: tok.loc)
            }
            throw invalidSyntax()
        }
        return n
    }

    /// class_pattern: name_or_attr '(' [pattern, ...] [name=pattern, ...] ')'
    private func classPattern(_ cls: Expr, _ loc: SourceLocation) throws(SyntaxError) -> Pattern {
        try expect("(")
        var positional: [Pattern] = [], names: [String] = [], keywordPatterns: [Pattern] = []
        while !at(")") {
            if atName && peek().isOp("=") {
                names.append(try expectName())
                advance()
                keywordPatterns.append(try pattern())
            } else {
                let p = try pattern()
                if !names.isEmpty { throw error("positional patterns follow keyword patterns", at: p.loc) }
                positional.append(p)
            }
            if !accept(",") { break }
        }
        try expect(")")
        return Pattern(.classPattern(cls: cls, patterns: positional, keywordNames: names, keywordPatterns: keywordPatterns), loc)
    }
}
