# pidigits: digits of pi with the unbounded spigot algorithm on big ints, printed ten per line,
# and a few other big-int computations (factorials, powers, gcd, int<->str).
import sys


def pi_digits(count):
    q, r, t, k, n, l = 1, 0, 1, 1, 3, 3
    out = []
    while len(out) < count:
        if 4 * q + r - t < n * t:
            out.append(n)
            q, r, t, k, n, l = 10 * q, 10 * (r - n * t), t, k, (10 * (3 * q + r)) // t - 10 * n, l
        else:
            q, r, t, k, n, l = q * k, (2 * q + r) * l, t * l, k + 1, (q * (7 * k + 2) + r * l) // (t * l), l + 2
    return out


def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
digits = pi_digits(n)
text = "".join(map(str, digits))
for i in range(0, min(len(text), 200), 10):
    print(f"{text[i:i + 10]}\t:{i + 10}")
print("sum of digits", sum(digits), "last", text[-10:])
f = 1
for i in range(2, 1200):
    f *= i
s = str(f)
print("1199! has", len(s), "digits, ends", s[-5:] if s.rstrip("0") == s else len(s) - len(s.rstrip("0")), "zeros")
p = pow(3, 2000) - pow(2, 3000)
print("gcd", gcd(f, pow(6, 500)) == pow(6, 500) // gcd(pow(6, 500), f) or gcd(f, pow(6, 500)).bit_length())
print(p.bit_length(), p % 1000000007, int(str(-p)) + p, hex(f)[:20], (f >> 5000) & 0xFFFF)
