# generators: pipelines of generator functions and generator expressions.
import sys


def numbers(n):
    i = 0
    while i < n:
        yield i
        i += 1


def evens(xs):
    for x in xs:
        if x % 2 == 0:
            yield x


def squares(xs):
    for x in xs:
        yield x * x


n = 1000000
if len(sys.argv) > 1:
    n = int(sys.argv[1])
total = sum(squares(evens(numbers(n))))
count = sum(1 for x in numbers(n) if x % 3 == 0)
print(f"generators n={n} total={total} count={count}")
