// Parser: the shape of the tree for precedence and for each statement form.

import Testing
@testable import AsoSyntax

@Test(arguments: [
    ("-2**2", "(- (** 2 2))"),
    ("2**-1", "(** 2 (- 1))"),
    ("2**3**2", "(** 2 (** 3 2))"),
    ("not a < b", "(not (a < b))"),
    ("not a and b or c", "(or (and (not a) b) c)"),
    ("a or b and c", "(or a (and b c))"),
    ("a < b <= c != d", "(a < b <= c != d)"),
    ("a not in b is not c in d is e", "(a not in b is not c in d is e)"),
    ("a | b ^ c & d << e + f * g", "(| a (^ b (& c (<< d (+ e (* f g))))))"),
    ("a - b - c", "(- (- a b) c)"),
    ("a // b % c @ d / e", "(/ (@ (% (// a b) c) d) e)"),
    ("~a + -b * +c", "(+ (~ a) (* (- b) (+ c)))"),
    ("a if b else c if d else e", "(if b a (if d c e))"),
    ("lambda: a if b else c", "lambda(: (if b a c))"),
    ("lambda *a, **k: 0", "lambda(*a **k: 0)"),
    ("lambda a, b=1, *c, d, e=2, **f: 0", "lambda(a b *c d e=2 **f defaults=1: 0)"),
    ("f(*a, **k, x=1)", "f(*a, **k, x=1)"),
    ("print(*a, sep='')", "print(*a, sep=\"\")"),
    ("f(x for x in y)", "f(genexp(x for x in y))"),
    ("f(a)(b)[c].d", "f(a)(b)[c].d"),
    ("a[1:2, 3]", "a[tuple(slice(1, 2, _), 3)]"),
    ("a[::2]", "a[slice(_, _, 2)]"),
    ("a[:]", "a[slice(_, _, _)]"),
    ("a[i:j:k]", "a[slice(i, j, k)]"),
    ("a[1,]", "a[tuple(1)]"),
    ("(y := f(x))", "(:= y f(x))"),
    ("[y := 1, 2]", "list((:= y 1), 2)"),
    ("{**d, 'a': 1}", "dict(**: d, \"a\": 1)"),
    ("{*xs, 1}", "set(*xs, 1)"),
    ("{}", "dict()"),
    ("()", "tuple()"),
    ("(1,)", "tuple(1)"),
    ("(1)", "1"),
    ("[x for x in a if x if y for z in b]", "listcomp(x for x in a if x if y for z in b)"),
    ("{k: v for k, v in d}", "dictcomp(k: v for tuple(k, v) in d)"),
    ("{k for k in d}", "setcomp(k for k in d)"),
    ("[x async for x in y]", "listcomp(x async for x in y)"),
    ("await a ** 2", "(** (await a) 2)"),
    ("-await a", "(- (await a))"),
    ("...", "..."),
    ("x, *rest", "tuple(x, *rest)"),
    ("'a' 'b'", "\"ab\""),
    ("b'a' b'\\x41'", "b[97, 65]"),
    ("0x_ff + 0o17 + 0b101 + 1_000", "(+ (+ (+ 255 15) 5) 1000)"),
    ("10000000000000000000000", "big:10000000000000000000000"),
    ("0xffffffffffffffffffff", "big:1208925819614629174706175"),
    ("1.5 + .5 + 5. + 1e-3 + 2j", "(+ (+ (+ (+ float:1.5 float:0.5) float:5.0) float:0.001) 2.0j)"),
    ("f'{x!r:>{w}} {{y}} {z=}'", "f[{x!r:\">\" {w}}, \" {y} \", {doc:\"z=\" z!r}]"),
    ("f'{a[\"b\"]}'", "f[{a[\"b\"]}]"),
    ("rb'\\d' + Rb'' + bR'' + BR'' + Br''", "(+ (+ (+ (+ b[92, 100] b[]) b[]) b[]) b[])"),
    ("r'\\n' + '\\n\\t\\\\\\'\\x41\\u00e9\\U0001F600\\101'", "(+ \"\\\\n\" \"\\n\\t\\\\\\'Aé😀A\")"),
    ("'\\N{EM DASH}'", "\"—\""),
    ("yield", "(yield _)"),
    ("x = yield a, b", "x = (yield tuple(a, b))"),
    ("x = yield from g()", "x = (yield-from g())"),
    ("1 if x else 2", "(if x 1 2)"),
    ("x = 1if y else 2", "x = (if y 1 2)"),
])
func expressionShape(_ source: String, _ expected: String) {
    #expect(dumpModule(source) == expected)
}

@Test(arguments: [
    ("a = b = 0", "a = b = 0"),
    ("a, *rest = xs", "tuple(a, *rest) = xs"),
    ("x[1], y.z = 1, 2", "tuple(x[1], y.z) = tuple(1, 2)"),
    ("x += 1; y **= 2; z //= 3; w >>= 1", "x += 1\ny **= 2\nz //= 3\nw >>= 1"),
    ("x: int = 1", "x: int = 1"),
    ("x.y: list[int]", "x.y: list[int]"),
    ("del a, b[0]", "del a, b[0]"),
    ("del (a, b), [c]", "del tuple(a, b), list(c)"),
    ("global x, y", "global x, y"),
    ("import a.b as c, d", "import a.b as c, d"),
    ("from . import x", "from . import x"),
    ("from ..m import (a, b as c,)", "from ..m import a, b as c"),
    ("from ...a import *", "from ...a import *"),
    ("if x: pass", "if x: [pass] else: []"),
    ("if x:\n  a\nelif y:\n  b\nelse:\n  c\n", "if x: [a] else: [if y: [b] else: [c]]"),
    ("while x:\n  break\nelse:\n  continue\n", "while x: [break] else: [continue]"),
    ("for x, in y: pass", "for tuple(x) in y: [pass] else: []"),
    ("for *a, b in c: pass", "for tuple(*a, b) in c: [pass] else: []"),
    ("try:\n  a\nexcept (A, B) as e:\n  b\nexcept C:\n  c\nexcept:\n  d\nelse:\n  e\nfinally:\n  f\n",
     "try: [a] except tuple(A, B) as e: [b] except C: [c] except _: [d] else: [e] finally: [f]"),
    ("raise X from Y", "raise X from Y"),
    ("raise", "raise _ from _"),
    ("assert x, 'm'", "assert x, \"m\""),
    ("return", "return _"),
    ("with a as b, c: pass", "with a as b, c: [pass]"),
    ("with (a as b, c as d,): pass", "with a as b, c as d: [pass]"),
    ("with (a, b): pass", "with a, b: [pass]"),
    ("with (yield): pass", "with (yield _): [pass]"),
    ("@d\n@e.f(1)\ndef g(a, /, b, *, c=1, **k) -> int:\n  return a\n", "@d @e.f(1) def g(a / b * c=1 **k) -> int: [return a]"),
    ("class A(B, metaclass=M):\n  x = 1\n  def f(self): pass\n", "class A(B, metaclass=M): [x = 1; def f(self): [pass]]"),
    ("class A: pass", "class A(): [pass]"),
    ("async def f():\n  async with a as b: pass\n  async for x in y: pass\n  await z\n",
     "async def f(): [async with a as b: [pass]; async for x in y: [pass] else: []; (await z)]"),
    ("x = 1;", "x = 1"),
    ("if True:\n\tx = 1\n\ty = 2\n", "if True: [x = 1; y = 2] else: []"),
    ("x = [1,\n  2,\n]\n", "x = list(1, 2)"),
    ("x = 1 + \\\n  2\n", "x = (+ 1 2)"),
    ("if 1:\n  pass\n  \n# c\n  x = 1\n", "if 1: [pass; x = 1] else: []"),
    ("x = '''a\nb'''\n", "x = \"a\\nb\""),
    ("x = 'a\\\nb'\n", "x = \"ab\""),
    ("x = f'''{\na\n}'''\n", "x = f[{a}]"),
    ("def f(a, b=1, *c, d, e=2, **f): pass", "def f(a b *c d e=2 **f defaults=1): [pass]"),
    ("def f(*, a): pass", "def f(* a): [pass]"),
    ("é = 1", "é = 1"),
    ("x = 1\r\ny = 2\r\n", "x = 1\ny = 2"),
])
func statementShape(_ source: String, _ expected: String) {
    #expect(dumpModule(source) == expected)
}

@Test func locations() throws {
    let m = try parseModule("x = 1\nif y:\n    z = f(a,\n      b)\n")
    #expect(m.body[0].loc == SourceLocation(line: 1, column: 1))
    #expect(m.body[1].loc == SourceLocation(line: 2, column: 1))
    guard case .if(_, let body, _) = m.body[1].kind, case .assign(_, let value) = body[0].kind,
          case .call(_, let args, _) = value.kind else {
        Issue.record("unexpected shape")
        return
    }
    #expect(body[0].loc == SourceLocation(line: 3, column: 5))
    #expect(value.loc == SourceLocation(line: 3, column: 9))
    #expect(args[1].loc == SourceLocation(line: 4, column: 7))
}

@Test func interactiveIsTheSameGrammar() throws {
    let m = try parseInteractive("x = 1\nprint(x)\n")
    #expect(m.body.count == 2)
}

@Test func errorFormattingLikeCPython() {
    // `python3 f.py` with "x = (1]\n" prints exactly this.
    do {
        _ = try parseModule("x = (1]\n", filename: "f.py")
    } catch {
        #expect(error.formatted(file: "f.py") == "  File \"f.py\", line 1\n    x = (1]\n          ^\nSyntaxError: closing parenthesis ']' does not match opening parenthesis '('\n")
    }
}

@Test func fStringExpressionLocationsAreRealPositions() throws {
    let m = try parseModule("x = 1\ny = f'ab{c + d}'\n")
    guard case .assign(_, let value) = m.body[1].kind, case .joinedStr(let parts) = value.kind,
          case .formatted(let e, _, _, _)? = parts.last, case .binary(let l, _, let r) = e.kind else {
        Issue.record("unexpected shape")
        return
    }
    #expect(l.loc == SourceLocation(line: 2, column: 10))
    #expect(r.loc == SourceLocation(line: 2, column: 14))
}
