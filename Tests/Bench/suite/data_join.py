# data_join: a dict- and set-heavy join of generated tables: orders, customers and products
# indexed by key, inner and outer joins, group-by aggregation, set algebra over ids.
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 120000
customers = {f"C{i:06d}": {"name": f"cust{i}", "region": ("north", "south", "east", "west")[i % 4]}
             for i in range(n // 10)}
products = {f"P{i:04d}": {"price": (i * 37) % 500 + 0.5, "cat": f"cat{i % 12}"} for i in range(1000)}
orders = []
seed = 2024
for i in range(n):
    seed = (seed * 1103515245 + 12345) % 2147483648
    orders.append({"id": i, "cust": f"C{seed % (n // 9):06d}", "prod": f"P{(seed >> 8) % 1100:04d}",
                   "qty": seed % 7 + 1})

joined = []
missing_c = set()
missing_p = set()
for o in orders:
    c = customers.get(o["cust"])
    p = products.get(o["prod"])
    if c is None:
        missing_c.add(o["cust"])
        continue
    if p is None:
        missing_p.add(o["prod"])
        continue
    joined.append((o["id"], c["region"], p["cat"], o["qty"] * p["price"]))

by_region = {}
by_cat = {}
pairs = {}
for oid, region, cat, amount in joined:
    by_region[region] = by_region.get(region, 0.0) + amount
    by_cat[cat] = by_cat.get(cat, 0) + 1
    key = (region, cat)
    pairs[key] = pairs.get(key, 0.0) + amount
print(len(orders), len(joined), len(missing_c), len(missing_p))
for region in sorted(by_region):
    print(f"{region:>6} {by_region[region]:>16,.2f}")
print(sorted(by_cat.items(), key=lambda kv: (-kv[1], kv[0]))[:4])
best = max(pairs, key=pairs.get)
print(best, f"{pairs[best]:.2f}")
ordered = {o["cust"] for o in orders}
known = set(customers)
print(len(ordered & known), len(known - ordered), len(ordered - known), len(ordered ^ known))
per_customer = {}
for o in orders:
    per_customer.setdefault(o["cust"], set()).add(o["prod"])
loyal = [c for c, ps in per_customer.items() if len(ps) >= 12 and c in customers]
print(len(per_customer), len(loyal), sorted(loyal)[:3])
inverted = {}
for c, ps in per_customer.items():
    for p in ps:
        inverted.setdefault(p, []).append(c)
print(len(inverted), max(len(v) for v in inverted.values()), frozenset(k for k in customers if k.endswith("00")) <= known)
