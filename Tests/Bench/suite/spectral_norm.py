# spectral_norm: the spectral norm of an infinite matrix, with plain functions, generator
# expressions, zip and sum over lists of floats.
import sys


def eval_a(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def eval_a_times_u(u):
    n = len(u)
    return [sum(eval_a(i, j) * u_j for j, u_j in enumerate(u)) for i in range(n)]


def eval_at_times_u(u):
    n = len(u)
    return [sum(eval_a(j, i) * u_j for j, u_j in enumerate(u)) for i in range(n)]


def eval_ata_times_u(u):
    return eval_at_times_u(eval_a_times_u(u))


def main(n):
    u = [1.0] * n
    v = u
    for _ in range(10):
        v = eval_ata_times_u(u)
        u = eval_ata_times_u(v)
    vbv = 0.0
    vv = 0.0
    for ue, ve in zip(u, v):
        vbv += ue * ve
        vv += ve * ve
    return (vbv / vv) ** 0.5


n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
for size in (n // 4, n // 2, n):
    print(f"n={size} norm={main(size):.9f}")
