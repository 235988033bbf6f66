# calc: a tokenizer, a recursive-descent parser building a syntax tree of node classes, and an
# evaluator with variables, over generated arithmetic programs.
import sys


class Token:
    __slots__ = ("kind", "text")

    def __init__(self, kind, text):
        self.kind = kind
        self.text = text


def tokenize(src):
    tokens = []
    i = 0
    n = len(src)
    while i < n:
        ch = src[i]
        if ch.isspace():
            i += 1
        elif ch.isdigit():
            j = i
            while j < n and (src[j].isdigit() or src[j] == "."):
                j += 1
            tokens.append(Token("num", src[i:j]))
            i = j
        elif ch.isalpha() or ch == "_":
            j = i
            while j < n and (src[j].isalnum() or src[j] == "_"):
                j += 1
            tokens.append(Token("name", src[i:j]))
            i = j
        elif src.startswith("**", i):
            tokens.append(Token("op", "**"))
            i += 2
        elif ch in "+-*/%()=;":
            tokens.append(Token("op", ch))
            i += 1
        else:
            raise SyntaxError(f"bad character {ch!r} at {i}")
    tokens.append(Token("end", ""))
    return tokens


class Num:
    def __init__(self, value):
        self.value = value

    def eval(self, env):
        return self.value


class Var:
    def __init__(self, name):
        self.name = name

    def eval(self, env):
        return env[self.name]


class BinOp:
    OPS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
           "/": lambda a, b: a / b if b else 0.0, "%": lambda a, b: a % b if b else 0,
           "**": lambda a, b: a ** min(b, 3)}

    def __init__(self, op, left, right):
        self.fn = BinOp.OPS[op]
        self.left = left
        self.right = right

    def eval(self, env):
        return self.fn(self.left.eval(env), self.right.eval(env))


class Neg:
    def __init__(self, operand):
        self.operand = operand

    def eval(self, env):
        return -self.operand.eval(env)


class Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos]

    def take(self, text=None):
        tok = self.tokens[self.pos]
        if text is not None and tok.text != text:
            raise SyntaxError(f"expected {text!r}, got {tok.text!r}")
        self.pos += 1
        return tok

    def program(self):
        stmts = []
        while self.peek().kind != "end":
            name = self.take().text
            self.take("=")
            stmts.append((name, self.expr()))
            self.take(";")
        return stmts

    def expr(self):
        node = self.term()
        while self.peek().text in ("+", "-"):
            op = self.take().text
            node = BinOp(op, node, self.term())
        return node

    def term(self):
        node = self.factor()
        while self.peek().text in ("*", "/", "%"):
            op = self.take().text
            node = BinOp(op, node, self.factor())
        return node

    def factor(self):
        if self.peek().text == "-":
            self.take()
            return Neg(self.factor())
        base = self.atom()
        if self.peek().text == "**":
            self.take()
            return BinOp("**", base, self.factor())
        return base

    def atom(self):
        tok = self.take()
        if tok.kind == "num":
            return Num(float(tok.text) if "." in tok.text else int(tok.text))
        if tok.kind == "name":
            return Var(tok.text)
        if tok.text == "(":
            node = self.expr()
            self.take(")")
            return node
        raise SyntaxError(f"unexpected {tok.text!r}")


def make_program(k):
    lines = ["a = 3;", "b = 4.5;", "c = 7;"]
    names = ["a", "b", "c"]
    for i in range(k):
        x, y, z = names[i % len(names)], names[(i * 7) % len(names)], names[(i * 13) % len(names)]
        op1, op2 = "+-*/%"[i % 5], "+-*"[i % 3]
        new = f"v{i}"
        lines.append(f"{new} = ({x} {op1} {i % 9 + 1}) {op2} -{y} % 11 + {z} ** 2 / ({i} + 1.5);")
        names.append(new)
        if len(names) > 20:
            names.pop(3)
    return "\n".join(lines)


n = int(sys.argv[1]) if len(sys.argv) > 1 else 60
results = []
for round_ in range(n):
    src = make_program(200 + round_)
    stmts = Parser(tokenize(src)).program()
    env = {}
    for name, node in stmts:
        v = node.eval(env)
        if isinstance(v, float) and abs(v) > 1e12:
            v = v / 1e12
        env[name] = v
    results.append(env[stmts[-1][0]])
print(len(results), f"{sum(results):.6e}", [f"{r:.4g}" for r in results[:5]])
try:
    tokenize("a = 3 $ 4;")
except SyntaxError as e:
    print("error:", e)
