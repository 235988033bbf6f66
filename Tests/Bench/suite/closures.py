# closures: closures, hand-written decorators (with and without arguments, functools.wraps),
# nonlocal counters, memoisation in a dict, and higher-order functions composed at run time.
import functools
import sys


def counter():
    count = 0

    def inc(step=1):
        nonlocal count
        count += step
        return count
    return inc


def memoize(fn):
    cache = {}

    @functools.wraps(fn)
    def wrapper(*args):
        if args in cache:
            return cache[args]
        result = fn(*args)
        cache[args] = result
        return result
    wrapper.cache = cache
    return wrapper


def count_calls(fn):
    def wrapper(*args, **kwargs):
        wrapper.calls += 1
        return fn(*args, **kwargs)
    wrapper.calls = 0
    return wrapper


def clamp(lo, hi):
    def deco(fn):
        def wrapper(x):
            return max(lo, min(hi, fn(x)))
        return wrapper
    return deco


@memoize
def partitions(n, k):
    if n == 0:
        return 1
    if n < 0 or k == 0:
        return 0
    return partitions(n - k, k) + partitions(n, k - 1)


@count_calls
def scale(x, factor=2):
    return x * factor


@clamp(-100, 100)
@count_calls
def wobble(x):
    return (x * 37) % 301 - 150


def compose(*fns):
    def composed(x):
        for f in reversed(fns):
            x = f(x)
        return x
    return composed


def make_adders(n):
    return [lambda x, i=i: x + i for i in range(n)]


n = int(sys.argv[1]) if len(sys.argv) > 1 else 300000
inc = counter()
total = 0
for i in range(n):
    total += inc(i % 3)
print("counter", inc(0), total)
print("partitions", partitions(120, 120), len(partitions.cache), partitions.__name__)
acc = 0
for i in range(n):
    acc += scale(i, factor=3) + wobble(i)
print("decorated", acc, scale.calls)
adders = make_adders(10)
pipeline = compose(*adders, lambda x: x * 2, abs)
print("composed", sum(pipeline(i) for i in range(-n // 4, n // 4)))
fns = [functools.partial(lambda a, b: a * b + 1, k) for k in range(5)]
print("partial", [sum(f(j) for j in range(n // 20)) for f in fns])
