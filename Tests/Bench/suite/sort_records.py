# sort_records: records as tuples, dicts and small objects, sorted by keys (lambdas, tuples,
# reverse, stability), grouped, ranked with bisect-free binary search, and summarised.
import sys


class Employee:
    __slots__ = ("name", "dept", "salary", "age")

    def __init__(self, name, dept, salary, age):
        self.name = name
        self.dept = dept
        self.salary = salary
        self.age = age

    def __repr__(self):
        return f"Employee({self.name!r}, {self.dept!r}, {self.salary}, {self.age})"


DEPTS = ["eng", "ops", "sales", "legal", "hr", "research"]


def make(n):
    out = []
    seed = 99
    for i in range(n):
        seed = (seed * 69069 + 1) % 4294967296
        out.append(Employee(f"emp{seed % 100000:05d}", DEPTS[seed % 6], 30000 + seed % 90000, 20 + seed % 45))
    return out


def lower_bound(items, value):
    lo, hi = 0, len(items)
    while lo < hi:
        mid = (lo + hi) // 2
        if items[mid] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo


n = int(sys.argv[1]) if len(sys.argv) > 1 else 60000
staff = make(n)
by_salary = sorted(staff, key=lambda e: e.salary, reverse=True)
by_dept_age = sorted(staff, key=lambda e: (e.dept, -e.age, e.name))
as_dicts = [{"name": e.name, "dept": e.dept, "salary": e.salary} for e in staff]
as_dicts.sort(key=lambda d: d["name"])
tuples = sorted((e.age, e.salary, e.name) for e in staff)
print(by_salary[0], by_salary[-1])
print(by_dept_age[0], by_dept_age[n // 2])
print(as_dicts[0]["name"], as_dicts[-1]["name"], tuples[:2])
groups = {}
for e in by_dept_age:
    groups.setdefault(e.dept, []).append(e.salary)
for dept in sorted(groups, key=lambda d: -sum(groups[d]) / len(groups[d])):
    sal = sorted(groups[dept])
    print(f"{dept:<9}{len(sal):>6}{sum(sal) / len(sal):>12,.1f}{sal[len(sal) // 2]:>8}")
salaries = sorted(e.salary for e in staff)
ranks = [lower_bound(salaries, s) for s in range(30000, 120000, 7)]
print(sum(ranks), len(set(ranks)))
names = sorted({e.name for e in staff}, key=str.lower)
print(len(names), names[:3], max(staff, key=lambda e: (e.age, e.name)).name)
