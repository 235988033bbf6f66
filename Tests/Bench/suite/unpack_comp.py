# unpack_comp: tuple and star unpacking, swaps, enumerate/zip, list, dict and set
# comprehensions with conditions and nesting, dict merging and keyword-argument splats.
import sys


def stats(*values, scale=1, **extra):
    first, *middle, last = values
    return (first * scale, len(middle), last * scale, sorted(extra))


def point(x, y, z=0, **tags):
    return x + y * 2 + z * 3 + len(tags)


n = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
rows = [(i, i * i % 97, f"k{i % 50}") for i in range(n)]
total = 0
for i, (a, b, key) in enumerate(rows):
    a, b = b, a
    total += a - b + len(key) + (i & 1)
print("unpack", total)

squares = [a * a for a, _, _ in rows if a % 3 == 0]
by_key = {}
for a, b, key in rows:
    by_key.setdefault(key, []).append(b)
sums = {k: sum(v) for k, v in by_key.items() if len(v) > 1}
distinct = {b for _, b, _ in rows}
nested = [[x * y for y in range(8)] for x in range(n // 100)]
flat = [v for row in nested for v in row if v % 5]
print("comps", len(squares), sum(squares) % 1000003, len(sums), max(sums.values()), len(distinct), len(flat))

pairs = list(zip(range(n), reversed(range(n))))
zipped = sum(a * b for a, b in pairs) % 1000003
head, *body, tail = pairs
print("zip", zipped, head, tail, len(body))

acc = 0
for i in range(n // 4):
    opts = {"x": i, "y": i + 1}
    more = {**opts, "z": 2, "tag": "t"}
    acc += point(**more)
    acc += point(*(i, 2), z=1)
    f, cnt, l, ex = stats(i, 1, 2, 3, scale=2, a=1, b=2)
    acc += f + cnt + l + len(ex)
print("splat", acc)
merged = {}
for i in range(200):
    merged = merged | {f"k{i % 37}": i}
print("merge", sorted(merged.items())[:3], len(merged))
matrix = [[(r * 7 + c) % 10 for c in range(30)] for r in range(30)]
transposed = [list(col) for col in zip(*matrix)]
print("transpose", sum(map(sum, transposed)), transposed[3][:5])
