# dict_list: dict counting, list building, sorting, comprehensions, tuple keys.
import sys

n = 1000000
if len(sys.argv) > 1:
    n = int(sys.argv[1])

counts = {}
pairs = {}
values = []
for i in range(n):
    k = (i * 7919) % 1009
    counts[k] = counts.get(k, 0) + 1
    pairs[(k, i % 13)] = i
    values.append((i * 31) % 10007)
values.sort()
top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
evens = [v for v in values if v % 2 == 0]
squares = {v: v * v for v in values[:1000]}
total = sum(evens) + len(pairs) + len(squares)
print(f"dict_list n={n} keys={len(counts)} top={top} total={total}")
