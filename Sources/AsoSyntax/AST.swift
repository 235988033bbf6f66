// The abstract syntax tree: what the parser builds and the compiler walks.
//
// One idea: the tree mirrors CPython's `ast` module (same node names and fields, so CPython's
// documentation describes it), written as Swift value types. Every node carries the location of
// its first character and the position after its last, which the compiler turns into line-table
// entries (traceback markers) and error carets.

/// A position in a source file: 1-based line, 1-based column counted in Unicode scalars.
package struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    package var line: Int
    package var column: Int
    package init(line: Int, column: Int) { self.line = line; self.column = column }
    package var description: String { "\(line):\(column)" }
}

/// An expression node with its location: `loc` is its first character, `end` the position just
/// after its last one (CPython's col_offset/end_col_offset; a parenthesized operand's node starts
/// and ends inside the parentheses, the node built on it starts at the opening one).
package struct Expr: Sendable {
    package var kind: ExprKind
    package var loc: SourceLocation
    package var end: SourceLocation
    package init(_ kind: ExprKind, _ loc: SourceLocation, end: SourceLocation? = nil) {
        self.kind = kind; self.loc = loc; self.end = end ?? loc
    }
}

/// A statement node with its location (`end` as for `Expr`).
package struct Stmt: Sendable {
    package var kind: StmtKind
    package var loc: SourceLocation
    package var end: SourceLocation
    package init(_ kind: StmtKind, _ loc: SourceLocation, end: SourceLocation? = nil) {
        self.kind = kind; self.loc = loc; self.end = end ?? loc
    }
}

/// A literal constant.
package enum Constant: Sendable, Equatable {
    case none
    case bool(Bool)
    /// An integer literal that fits in `Int`.
    case int(Int)
    /// An integer literal too large for `Int`, as decimal digits (no sign, no underscores).
    case bigInt(String)
    case float(Double)
    /// An imaginary literal such as `2j` (its value); parsed, rejected at run time.
    case imaginary(Double)
    case str(String)
    case bytes([UInt8])
    case ellipsis
}

package enum UnaryOp: String, Sendable { case invert = "~", not = "not", plus = "+", minus = "-" }

package enum BinOp: String, Sendable {
    case add = "+", sub = "-", mul = "*", matmul = "@", div = "/", floorDiv = "//", mod = "%", pow = "**"
    case lshift = "<<", rshift = ">>", bitOr = "|", bitXor = "^", bitAnd = "&"
}

package enum BoolOp: String, Sendable { case and, or }

package enum CmpOp: String, Sendable {
    case eq = "==", notEq = "!=", lt = "<", ltE = "<=", gt = ">", gtE = ">="
    case `is` = "is", isNot = "is not", `in` = "in", notIn = "not in"
}

/// One piece of an f-string.
package enum FStringPart: Sendable {
    case literal(String)
    /// `{value!conversion:formatSpec}`; `selfDocumenting` holds the text `x=` for `{x=}` (printed before the value).
    case formatted(value: Expr, conversion: Character?, formatSpec: [FStringPart]?, selfDocumenting: String?)
}

/// A keyword argument in a call; `name == nil` is `**mapping`.
package struct Keyword: Sendable {
    package var name: String?
    package var value: Expr
    package var loc: SourceLocation
    package init(name: String?, value: Expr, loc: SourceLocation) { self.name = name; self.value = value; self.loc = loc }
}

/// One `for ... in ... if ...` clause of a comprehension.
package struct Comprehension: Sendable {
    package var target: Expr
    package var iter: Expr
    package var ifs: [Expr]
    package var isAsync: Bool
    package init(target: Expr, iter: Expr, ifs: [Expr], isAsync: Bool) {
        self.target = target; self.iter = iter; self.ifs = ifs; self.isAsync = isAsync
    }
}

/// A dictionary display entry; `key == nil` is `**mapping`.
package struct DictItem: Sendable {
    package var key: Expr?
    package var value: Expr
    package init(key: Expr?, value: Expr) { self.key = key; self.value = value }
}

package indirect enum ExprKind: Sendable {
    case name(String)
    case constant(Constant)
    case joinedStr([FStringPart])
    case tuple([Expr])
    case list([Expr])
    case set([Expr])
    case dict([DictItem])
    /// `*value` in a call, display or assignment target.
    case starred(Expr)
    case attribute(Expr, String)
    case `subscript`(Expr, Expr)
    /// `lower:upper:step` inside a subscript.
    case slice(lower: Expr?, upper: Expr?, step: Expr?)
    /// A call; `args` may contain `.starred` entries (`*xs`).
    case call(function: Expr, args: [Expr], keywords: [Keyword])
    case unary(UnaryOp, Expr)
    case binary(Expr, BinOp, Expr)
    /// `a and b and c`: two or more values.
    case boolOp(BoolOp, [Expr])
    /// `a < b <= c`: the left operand and one or more (operator, operand) pairs.
    case compare(Expr, [(CmpOp, Expr)])
    case ifExp(test: Expr, body: Expr, orElse: Expr)
    case lambda(Arguments, Expr)
    case listComp(Expr, [Comprehension])
    case setComp(Expr, [Comprehension])
    case dictComp(key: Expr, value: Expr, [Comprehension])
    case generatorExp(Expr, [Comprehension])
    case await(Expr)
    case yield(Expr?)
    case yieldFrom(Expr)
    /// `target := value`
    case namedExpr(target: String, value: Expr)
}

/// A parameter of a function or lambda.
package struct Arg: Sendable {
    package var name: String
    package var annotation: Expr?
    package var loc: SourceLocation
    package init(name: String, annotation: Expr?, loc: SourceLocation) { self.name = name; self.annotation = annotation; self.loc = loc }
}

/// The parameter list of a function or lambda, in CPython's layout.
package struct Arguments: Sendable {
    /// Parameters before `/`.
    package var posOnly: [Arg] = []
    /// Ordinary positional-or-keyword parameters.
    package var args: [Arg] = []
    /// `*args`
    package var vararg: Arg?
    /// Parameters after `*` or `*args`.
    package var kwOnly: [Arg] = []
    /// One entry per `kwOnly` parameter: its default, or nil when it is required.
    package var kwDefaults: [Expr?] = []
    /// `**kwargs`
    package var kwarg: Arg?
    /// Defaults of the last `defaults.count` parameters of `posOnly + args`.
    package var defaults: [Expr] = []
    package init() {}
}

package struct ExceptHandler: Sendable {
    /// The exception class (or tuple of classes) to match; nil for a bare `except:`.
    package var type: Expr?
    package var name: String?
    package var body: [Stmt]
    package var loc: SourceLocation
    /// `except*` (PEP 654): every handler of one `try` has the same form.
    package var isStar: Bool
    package init(type: Expr?, name: String?, body: [Stmt], loc: SourceLocation, isStar: Bool = false) {
        self.type = type; self.name = name; self.body = body; self.loc = loc; self.isStar = isStar
    }
}

package struct WithItem: Sendable {
    package var context: Expr
    package var target: Expr?
    package init(context: Expr, target: Expr?) { self.context = context; self.target = target }
}

/// `name as asName` in an import; `name` may be dotted (`a.b`), or `*` in `from m import *`.
package struct Alias: Sendable {
    package var name: String
    package var asName: String?
    package var loc: SourceLocation
    package init(name: String, asName: String?, loc: SourceLocation) { self.name = name; self.asName = asName; self.loc = loc }
}

package struct FunctionDef: Sendable {
    package var name: String
    package var args: Arguments
    package var body: [Stmt]
    package var decorators: [Expr]
    package var returns: Expr?
    package var isAsync: Bool
    package init(name: String, args: Arguments, body: [Stmt], decorators: [Expr], returns: Expr?, isAsync: Bool) {
        self.name = name; self.args = args; self.body = body; self.decorators = decorators
        self.returns = returns; self.isAsync = isAsync
    }
}

package struct ClassDef: Sendable {
    package var name: String
    package var bases: [Expr]
    package var keywords: [Keyword]
    package var body: [Stmt]
    package var decorators: [Expr]
    package init(name: String, bases: [Expr], keywords: [Keyword], body: [Stmt], decorators: [Expr]) {
        self.name = name; self.bases = bases; self.keywords = keywords; self.body = body; self.decorators = decorators
    }
}

package indirect enum StmtKind: Sendable {
    case expr(Expr)
    /// `a = b = value`: one or more targets.
    case assign(targets: [Expr], value: Expr)
    case augAssign(target: Expr, op: BinOp, value: Expr)
    /// `target: annotation = value`; the annotation is parsed and ignored at run time.
    case annAssign(target: Expr, annotation: Expr, value: Expr?)
    case `if`(test: Expr, body: [Stmt], orElse: [Stmt])
    case `while`(test: Expr, body: [Stmt], orElse: [Stmt])
    case `for`(target: Expr, iter: Expr, body: [Stmt], orElse: [Stmt], isAsync: Bool)
    case `break`
    case `continue`
    case pass
    case `return`(Expr?)
    case functionDef(FunctionDef)
    case classDef(ClassDef)
    case `try`(body: [Stmt], handlers: [ExceptHandler], orElse: [Stmt], finally: [Stmt])
    case raise(exception: Expr?, cause: Expr?)
    case assert(test: Expr, message: Expr?)
    case delete([Expr])
    case global([String])
    case nonlocal([String])
    case `import`([Alias])
    /// `from module import names`; `level` counts leading dots.
    case importFrom(module: String?, names: [Alias], level: Int)
    case with(items: [WithItem], body: [Stmt], isAsync: Bool)
    /// `match subject:` and its cases (PEP 634).
    case match(subject: Expr, cases: [MatchCase])
}

/// `case pattern if guard: body`.
package struct MatchCase: Sendable {
    package var pattern: Pattern
    package var guardExpr: Expr?
    package var body: [Stmt]
    package init(pattern: Pattern, guardExpr: Expr?, body: [Stmt]) {
        self.pattern = pattern; self.guardExpr = guardExpr; self.body = body
    }
}

/// A pattern of a `case` clause, with where it starts.
package struct Pattern: Sendable {
    package var kind: PatternKind
    package var loc: SourceLocation
    package init(_ kind: PatternKind, _ loc: SourceLocation) { self.kind = kind; self.loc = loc }
}

package indirect enum PatternKind: Sendable {
    /// A literal or a dotted name, compared with `==`.
    case value(Expr)
    /// `None`, `True`, `False`, compared with `is`.
    case singleton(Constant)
    /// `[p, *rest, q]` or `(p, q)`.
    case sequence([Pattern])
    /// `*name` or `*_` inside a sequence pattern.
    case star(String?)
    /// `{key: p, **rest}`.
    case mapping(keys: [Expr], patterns: [Pattern], rest: String?)
    /// `Cls(p, attr=q)`.
    case classPattern(cls: Expr, patterns: [Pattern], keywordNames: [String], keywordPatterns: [Pattern])
    /// `p as name`; a capture (`name`) has no pattern, the wildcard (`_`) neither pattern nor name.
    case asPattern(Pattern?, String?)
    /// `p | q`.
    case or([Pattern])
}

/// A parsed source file.
package struct Module: Sendable {
    package var body: [Stmt]
    package init(body: [Stmt]) { self.body = body }
}
