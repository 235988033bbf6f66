# raytrace: a small ray tracer with vector classes and operator overloading: spheres and a
# plane, diffuse light and reflections, rendered to a grid of shades.
import math
import sys


class Vec:
    __slots__ = ("x", "y", "z")

    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y, self.z + o.z)

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y, self.z - o.z)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k, self.z * k)

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z

    def length(self):
        return math.sqrt(self.dot(self))

    def normalized(self):
        n = self.length()
        return Vec(self.x / n, self.y / n, self.z / n)

    def reflect(self, normal):
        return self - normal * (2 * self.dot(normal))


class Ray:
    def __init__(self, origin, direction):
        self.origin = origin
        self.direction = direction.normalized()

    def at(self, t):
        return self.origin + self.direction * t


class Sphere:
    def __init__(self, center, radius, shade, mirror):
        self.center = center
        self.radius = radius
        self.shade = shade
        self.mirror = mirror

    def intersect(self, ray):
        oc = ray.origin - self.center
        b = oc.dot(ray.direction)
        c = oc.dot(oc) - self.radius * self.radius
        disc = b * b - c
        if disc < 0:
            return None
        root = math.sqrt(disc)
        t = -b - root
        if t > 1e-6:
            return t
        t = -b + root
        return t if t > 1e-6 else None

    def normal_at(self, p):
        return (p - self.center).normalized()


class Plane:
    def __init__(self, point, normal, shade):
        self.point = point
        self.normal = normal.normalized()
        self.shade = shade
        self.mirror = 0.0

    def intersect(self, ray):
        d = self.normal.dot(ray.direction)
        if abs(d) < 1e-9:
            return None
        t = (self.point - ray.origin).dot(self.normal) / d
        return t if t > 1e-6 else None

    def normal_at(self, p):
        return self.normal


class Scene:
    def __init__(self):
        self.objects = [
            Sphere(Vec(0, 1, 5), 1.0, 0.9, 0.3),
            Sphere(Vec(-2, 0.7, 6), 0.7, 0.6, 0.0),
            Sphere(Vec(2, 0.5, 4), 0.5, 0.8, 0.6),
            Plane(Vec(0, 0, 0), Vec(0, 1, 0), 0.5),
        ]
        self.light = Vec(-3, 6, 0)

    def hit(self, ray):
        best = None
        best_t = float("inf")
        for obj in self.objects:
            t = obj.intersect(ray)
            if t is not None and t < best_t:
                best, best_t = obj, t
        return best, best_t

    def trace(self, ray, depth):
        obj, t = self.hit(ray)
        if obj is None:
            return 0.1
        p = ray.at(t)
        n = obj.normal_at(p)
        to_light = (self.light - p).normalized()
        shadow, st = self.hit(Ray(p, to_light))
        lit = 0.0 if shadow is not None and st < (self.light - p).length() else max(0.0, n.dot(to_light))
        color = obj.shade * (0.2 + 0.8 * lit)
        if obj.mirror > 0 and depth < 3:
            refl = ray.direction.reflect(n)
            color = color * (1 - obj.mirror) + self.trace(Ray(p, refl), depth + 1) * obj.mirror
        return color


def render(width, height):
    scene = Scene()
    eye = Vec(0, 1.5, -2)
    chars = " .:-=+*#%@"
    rows = []
    total = 0.0
    for j in range(height):
        row = []
        for i in range(width):
            x = (i - width / 2) / width * 2
            y = (height / 2 - j) / height * 1.5 + 1
            c = scene.trace(Ray(eye, Vec(x, y, 1.5) - Vec(0, 1.5, 0) + Vec(0, 0, 0)), 0)
            total += c
            row.append(chars[min(9, int(c * 10))])
        rows.append("".join(row))
    return rows, total


n = int(sys.argv[1]) if len(sys.argv) > 1 else 280
rows, total = render(n, n // 2)
for r in rows[::6]:
    print(r[::2])
print(f"total={total:.6f}")
