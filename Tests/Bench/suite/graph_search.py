# graph_search: breadth-first search and Dijkstra's shortest paths with a binary heap written
# here, on a generated grid graph with weighted edges, adjacency in dicts of lists.
import sys


class Heap:
    def __init__(self):
        self.items = []

    def __len__(self):
        return len(self.items)

    def push(self, item):
        items = self.items
        items.append(item)
        i = len(items) - 1
        while i > 0:
            parent = (i - 1) >> 1
            if items[parent] <= items[i]:
                break
            items[parent], items[i] = items[i], items[parent]
            i = parent

    def pop(self):
        items = self.items
        last = items.pop()
        if not items:
            return last
        top = items[0]
        items[0] = last
        i = 0
        n = len(items)
        while True:
            left = 2 * i + 1
            if left >= n:
                break
            child = left
            if left + 1 < n and items[left + 1] < items[left]:
                child = left + 1
            if items[i] <= items[child]:
                break
            items[i], items[child] = items[child], items[i]
            i = child
        return top


def make_graph(w, h):
    graph = {}
    seed = 7
    for y in range(h):
        for x in range(w):
            edges = []
            for dx, dy in ((1, 0), (0, 1), (-1, 0), (0, -1)):
                nx, ny = x + dx, y + dy
                if 0 <= nx < w and 0 <= ny < h:
                    seed = (seed * 48271) % 2147483647
                    if seed % 10 != 0:
                        edges.append(((nx, ny), seed % 9 + 1))
            graph[(x, y)] = edges
    return graph


def bfs(graph, start):
    dist = {start: 0}
    frontier = [start]
    while frontier:
        nxt = []
        for node in frontier:
            for other, _ in graph[node]:
                if other not in dist:
                    dist[other] = dist[node] + 1
                    nxt.append(other)
        frontier = nxt
    return dist


def dijkstra(graph, start):
    dist = {start: 0}
    prev = {}
    heap = Heap()
    heap.push((0, start))
    done = set()
    while heap:
        d, node = heap.pop()
        if node in done:
            continue
        done.add(node)
        for other, w in graph[node]:
            nd = d + w
            if nd < dist.get(other, 1 << 60):
                dist[other] = nd
                prev[other] = node
                heap.push((nd, other))
    return dist, prev


def path(prev, end):
    out = [end]
    while out[-1] in prev:
        out.append(prev[out[-1]])
    return out[::-1]


n = int(sys.argv[1]) if len(sys.argv) > 1 else 160
g = make_graph(n, n)
hops = bfs(g, (0, 0))
dist, prev = dijkstra(g, (0, 0))
far = max(dist, key=lambda k: (dist[k], k))
print(f"nodes={len(g)} reachable={len(hops)} max_hops={max(hops.values())}")
print(f"farthest={far} cost={dist[far]} path_len={len(path(prev, far))}")
print(sum(dist.values()), sorted(dist.values())[len(dist) // 2])
