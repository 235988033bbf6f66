# methods: objects with several fields, attribute reads and writes, method calls in a loop.
import sys


class Vec:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def dot(self, other):
        return self.x * other.x + self.y * other.y + self.z * other.z

    def scale(self, k):
        return Vec(self.x * k, self.y * k, self.z * k)


class Body:
    def __init__(self, i):
        self.pos = Vec(i, i + 1, i + 2)
        self.vel = Vec(1, 0, -1)
        self.mass = i % 7 + 1

    def step(self, dt):
        self.pos.x += self.vel.x * dt
        self.pos.y += self.vel.y * dt
        self.pos.z += self.vel.z * dt

    def energy(self):
        return self.mass * self.vel.dot(self.vel)


n = 300000
if len(sys.argv) > 1:
    n = int(sys.argv[1])
bodies = [Body(i) for i in range(100)]
total = 0
for t in range(n // 100):
    for b in bodies:
        b.step(2)
        total += b.energy()
print(f"methods n={n} total={total} x={bodies[5].pos.x}")
