# fannkuch: the fannkuch-redux benchmark: permutations of a list, slices reversed in place,
# a checksum and the largest count of flips.
import sys


def fannkuch(n):
    count = list(range(1, n + 1))
    max_flips = 0
    m = n - 1
    r = n
    checksum = 0
    perm1 = list(range(n))
    perm = list(range(n))
    perm_count = 0
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1
        if perm1[0] != 0 and perm1[m] != m:
            perm = perm1[:]
            flips = 0
            k = perm[0]
            while k:
                perm[:k + 1] = perm[k::-1]
                flips += 1
                k = perm[0]
            if flips > max_flips:
                max_flips = flips
            checksum += flips if perm_count % 2 == 0 else -flips
        perm_count += 1
        while r != n:
            perm1.insert(r, perm1.pop(0))
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1
        else:
            return checksum, max_flips


n = int(sys.argv[1]) if len(sys.argv) > 1 else 9
for size in range(5, n + 1):
    checksum, flips = fannkuch(size)
    print(f"{checksum}\nPfannkuchen({size}) = {flips}")
