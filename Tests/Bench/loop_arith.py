# loop_arith: integer and float arithmetic in while/for loops with branches.
import sys

n = 3000000
if len(sys.argv) > 1:
    n = int(sys.argv[1])

total = 0
acc = 0.0
i = 0
while i < n:
    if i % 3 == 0:
        total += i * 2
    elif i % 3 == 1:
        total -= i // 7
    else:
        total ^= i & 0xFFFF
    acc += i * 0.5
    i += 1
for j in range(n // 2):
    total = (total + j * j) % 1000000007
print(f"loop_arith n={n} total={total} acc={acc}")
