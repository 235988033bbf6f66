# string_build: f-strings, concatenation, join, split, replace, slicing.
import sys

n = 800000
if len(sys.argv) > 1:
    n = int(sys.argv[1])

parts = []
s = ""
for i in range(n):
    word = f"item{i % 97}-{i * 3}"
    parts.append(word.upper() if i % 2 else word)
    if i % 1000 == 0:
        s = s + word[:4]
text = ",".join(parts)
fields = text.split(",")
count = 0
for f in fields:
    if f.startswith("ITEM"):
        count += 1
replaced = text.replace("item", "x")
print(f"string_build n={n} len={len(text)} fields={len(fields)} upper={count} short={len(replaced)} s={len(s)}")
