// Primaries and atoms: names, literals, displays, comprehensions, calls, attributes, subscripts.
//
// One idea: `primary` is an atom followed by a loop of trailers; a bracket opens a display whose
// kind (tuple, generator, list, set, dict, comprehension) is decided by what follows its first item.

extension Parser {
    /// primary: atom ('.' NAME | '(' [arguments] ')' | '[' slices ']')*
    func primary() throws(SyntaxError) -> Expr {
        let start = tok.loc
        var e = try atom()
        var levels = 0
        defer { depth -= levels }
        while tok.kind == .op {
            if at(".") {
                advance()
                let name = try expectName()
                e = node(.attribute(e, name), start)
            } else if at("(") {
                advance()
                let (args, keywords) = try arguments()
                try expect(")")
                e = node(.call(function: e, args: args, keywords: keywords), start)
            } else if at("[") {
                advance()
                let index = try slices()
                try expect("]")
                e = node(.subscript(e, index), start)
            } else {
                break
            }
            try enter()
            levels += 1
        }
        return e
    }

    /// slices: slice !',' | ','.(slice | starred_expression)+ [',']
    func slices() throws(SyntaxError) -> Expr {
        let start = tok.loc
        let first = try sliceItem()
        guard at(",") else { return first }
        var elts = [first]
        while accept(",") {
            if at("]") { break }
            elts.append(try sliceItem())
        }
        return node(.tuple(elts), start)
    }

    /// slice: [expression] ':' [expression] [':' [expression]] | named_expression | '*' bitwise_or
    func sliceItem() throws(SyntaxError) -> Expr {
        let loc = tok.loc
        if at("*") { return try starNamedExpression() }
        var lower: Expr?
        if !at(":") {
            let e = try namedExpression()
            if !at(":") { return e }
            lower = e
        }
        advance()
        var upper: Expr?, step: Expr?
        if !at(":") && !at(",") && !at("]") { upper = try expression() }
        if accept(":") {
            if !at(",") && !at("]") { step = try expression() }
        }
        return node(.slice(lower: lower, upper: upper, step: step), loc)
    }

    /// atom: NAME | 'True' | 'False' | 'None' | NUMBER | STRING+ | '...' | tuple | group | genexp
    ///     | list | listcomp | dict | set | dictcomp | setcomp
    func atom() throws(SyntaxError) -> Expr {
        let t = tok
        switch t.kind {
        case .name:
            switch t.text {
            case "True": advance(); return node(.constant(.bool(true)), t.loc)
            case "False": advance(); return node(.constant(.bool(false)), t.loc)
            case "None": advance(); return node(.constant(.none), t.loc)
            default:
                if Lexer.keywords.contains(t.text) {
                    // CPython tries `yield` as yield_expr here, looking at what follows it.
                    if t.text == "yield" { _ = peek() }
                    throw invalidSyntax()
                }
                advance()
                return node(.name(t.text), t.loc)
            }
        case .number:
            advance()
            return node(.constant(numberValue(t.text)), t.loc)
        case .string:
            return try strings()
        case .op:
            switch t.text {
            case "...": advance(); return node(.constant(.ellipsis), t.loc)
            case "(": return try parenthesized()
            case "[": return try listDisplay()
            case "{": return try braceDisplay()
            default: throw invalidSyntax()
            }
        default:
            throw invalidSyntax()
        }
    }

    /// tuple | group | genexp: '(' ... ')'
    func parenthesized() throws(SyntaxError) -> Expr {
        let open = next()
        if accept(")") { return node(.tuple([]), open.loc) }
        if atKeyword("yield") {
            let y = try yieldExpr()
            try expect(")")
            return y
        }
        let first = try starNamedExpression()
        if try comprehensionAhead() {
            try checkComprehensionElement(first)
            let generators = try comprehensionClauses()
            try expect(")")
            return node(.generatorExp(first, generators), open.loc)
        }
        if accept(")") {
            if case .starred = first.kind { throw error("cannot use starred expression here", at: first.loc) }
            return first
        }
        guard at(",") else { throw invalidSyntax() }
        var elts = [first]
        while accept(",") {
            if at(")") { break }
            elts.append(try starNamedExpression())
        }
        try expect(")")
        return node(.tuple(elts), open.loc)
    }

    /// list | listcomp: '[' ... ']'
    func listDisplay() throws(SyntaxError) -> Expr {
        let open = next()
        if accept("]") { return node(.list([]), open.loc) }
        let first = try starNamedExpression()
        if try comprehensionAhead() {
            try checkComprehensionElement(first)
            let generators = try comprehensionClauses()
            try expect("]")
            return node(.listComp(first, generators), open.loc)
        }
        var elts = [first]
        while accept(",") {
            if at("]") { break }
            elts.append(try starNamedExpression())
        }
        try expect("]")
        return node(.list(elts), open.loc)
    }

    /// dict | set | dictcomp | setcomp: '{' ... '}'
    func braceDisplay() throws(SyntaxError) -> Expr {
        let open = next()
        if accept("}") { return node(.dict([]), open.loc) }
        if at("**") {
            return try dictDisplay(open, first: nil)
        }
        let first = try starNamedExpression()
        if at(":") {
            if case .starred = first.kind { throw invalidSyntax() }
            return try dictDisplay(open, first: first)
        }
        if try comprehensionAhead() {
            try checkComprehensionElement(first)
            let generators = try comprehensionClauses()
            try expect("}")
            return node(.setComp(first, generators), open.loc)
        }
        var elts = [first]
        while accept(",") {
            if at("}") { break }
            elts.append(try starNamedExpression())
        }
        try expect("}")
        return node(.set(elts), open.loc)
    }

    /// The rest of a dict display or comprehension; `first` is the first key (nil for `**`).
    func dictDisplay(_ open: Token, first: Expr?) throws(SyntaxError) -> Expr {
        var items: [DictItem] = []
        if let key = first {
            let value = try dictValue()
            if try comprehensionAhead() {
                let generators = try comprehensionClauses()
                try expect("}")
                return node(.dictComp(key: key, value: value, generators), open.loc)
            }
            items.append(DictItem(key: key, value: value))
        } else {
            let stars = next()
            items.append(DictItem(key: nil, value: try bitwiseOr()))
            if try comprehensionAhead() { throw error("dict unpacking cannot be used in dict comprehension", at: stars.loc) }
        }
        while accept(",") {
            if at("}") { break }
            if accept("**") {
                items.append(DictItem(key: nil, value: try bitwiseOr()))
                continue
            }
            let key = try expression()
            if !at(":") {
                if at(",") || at("}") {
                    // CPython points at the key's last character (on the key's first line).
                    let last = tokens[max(0, pos - 1)]
                    throw error("':' expected after dictionary key", at: SourceLocation(line: key.loc.line, column: last.end.column - 1))
                }
                throw invalidSyntax()
            }
            items.append(DictItem(key: key, value: try dictValue()))
        }
        try expect("}")
        return node(.dict(items), open.loc)
    }

    /// ':' expression, after a dictionary key.
    func dictValue() throws(SyntaxError) -> Expr {
        let colon = next()
        if at("}") || at(",") { throw error("expression expected after dictionary key and ':'", at: colon.loc) }
        return try expression()
    }

    /// True at 'for' or 'async' 'for'; 'async' followed by anything else is an error after it.
    func comprehensionAhead() throws(SyntaxError) -> Bool {
        if atKeyword("for") { return true }
        guard atKeyword("async") else { return false }
        if peek().isKeyword("for") { return true }
        advance()
        throw invalidSyntax()
    }

    /// `*x` cannot be the element of a list, set or generator comprehension.
    func checkComprehensionElement(_ e: Expr) throws(SyntaxError) {
        if case .starred = e.kind { throw error("iterable unpacking cannot be used in comprehension", at: e.loc) }
    }

    /// for_if_clauses: (['async'] 'for' star_targets 'in' disjunction ('if' disjunction)*)+
    func comprehensionClauses() throws(SyntaxError) -> [Comprehension] {
        var result: [Comprehension] = []
        while try comprehensionAhead() {
            let isAsync = acceptKeyword("async")
            advance()
            let target = try forTargets()
            let iter = try disjunction()
            var ifs: [Expr] = []
            while acceptKeyword("if") { ifs.append(try disjunction()) }
            result.append(Comprehension(target: target, iter: iter, ifs: ifs, isAsync: isAsync))
        }
        return result
    }

    /// The targets of a `for` (statement or comprehension) up to and including 'in', checked.
    /// When they are not followed by 'in', CPython's invalid_for_target reparses them as an
    /// expression to name an invalid target (`for x + 1 in y`: "cannot assign to expression").
    func forTargets() throws(SyntaxError) -> Expr {
        let start = pos
        var parsedTarget: Expr?
        do { parsedTarget = try targetList() } catch {}
        if let target = parsedTarget, acceptKeyword("in") {
            try checkTarget(target, delete: false)
            return target
        }
        let failed = pos
        pos = start
        var candidate: Expr?
        do { candidate = try starExpressions() } catch { pos = failed; try propagateSpecific(error) }
        pos = failed
        if let e = candidate, let bad = invalidTarget(e, delete: false, forTargets: true) {
            throw error("cannot assign to \(exprName(bad))", at: bad.loc, end: bad.end)
        }
        if let target = parsedTarget, startsExpression(tok) && tok.depth > 0 {
            var last = target
            if case .tuple(let elts) = target.kind, let l = elts.last { last = l }
            throw error("invalid syntax. Perhaps you forgot a comma?", at: last.loc)
        }
        throw invalidSyntax()
    }

    /// star_targets: star_target (',' star_target)* [','], where star_target is '*' primary | primary.
    func targetList() throws(SyntaxError) -> Expr {
        let start = tok.loc
        let first = try starTarget()
        guard at(",") else { return first }
        var elts = [first]
        while accept(",") {
            if !startsExpression(tok) && !at("*") { break }
            elts.append(try starTarget())
        }
        return node(.tuple(elts), start)
    }

    /// star_target: '*' primary | primary
    func starTarget() throws(SyntaxError) -> Expr {
        if at("*") {
            let loc = next().loc
            return node(.starred(try primary()), loc)
        }
        return try primary()
    }

    /// with_target: '*' bitwise_or | bitwise_or (checked by the caller).
    func targetItem() throws(SyntaxError) -> Expr {
        if at("*") {
            let loc = next().loc
            return node(.starred(try bitwiseOr()), loc)
        }
        return try bitwiseOr()
    }
}
