# nqueens: all solutions of the n-queens problem with recursive generators (yield from),
# sets of attacked columns and diagonals, and a permutation-based checker.
import sys


def solve(n, row=0, cols=frozenset(), d1=frozenset(), d2=frozenset()):
    if row == n:
        yield ()
        return
    for c in range(n):
        if c in cols or (row + c) in d1 or (row - c) in d2:
            continue
        for rest in solve(n, row + 1, cols | {c}, d1 | {row + c}, d2 | {row - c}):
            yield (c,) + rest


def permutations(items):
    if len(items) <= 1:
        yield list(items)
        return
    for i in range(len(items)):
        for p in permutations(items[:i] + items[i + 1:]):
            yield [items[i]] + p


def brute(n):
    cols = list(range(n))
    for vec in permutations(cols):
        if n == len(set(vec[i] + i for i in cols)) == len(set(vec[i] - i for i in cols)):
            yield tuple(vec)


def mirror(sol):
    n = len(sol)
    return tuple(n - 1 - c for c in sol)


n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
for size in range(4, n + 1):
    sols = list(solve(size))
    distinct = {min(s, mirror(s)) for s in sols}
    print(f"{size}: {len(sols)} solutions, {len(distinct)} up to mirroring, first {sols[0] if sols else None}")
size = 8
assert sorted(brute(size)) == sorted(solve(size))
print("brute force agrees for", size, "->", sum(1 for _ in brute(size)))
