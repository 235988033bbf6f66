# async_crawler: a crawler simulation: a frontier of pages on a generated site, fetches limited
# by a semaphore, simulated latency with sleep, failures retried, slow pages cut off by
# wait_for timeouts, results gathered.
import asyncio
import sys


class FetchError(Exception):
    pass


def links_of(page, n):
    return [(page * 3 + k) % n for k in (1, 2, 5) if (page + k) % 4 != 0]


async def fetch(page, attempt):
    await asyncio.sleep(0)
    if page % 97 == 13:
        await asyncio.sleep(30)
    if page % 11 == 3 and attempt < 2:
        raise FetchError(f"page {page} failed")
    await asyncio.sleep(0)
    return f"<html>page {page} " + " ".join(f"<a href='/{p}'>" for p in links_of(page, 10 ** 9)) + "</html>"


class Crawler:
    def __init__(self, n, limit):
        self.n = n
        self.sem = asyncio.Semaphore(limit)
        self.seen = set()
        self.stats = {"ok": 0, "retried": 0, "timeout": 0, "bytes": 0}

    async def get(self, page):
        for attempt in range(3):
            try:
                async with self.sem:
                    timeout = 0.002 if page % 97 == 13 else 60
                    return await asyncio.wait_for(fetch(page, attempt), timeout)
            except FetchError:
                self.stats["retried"] += 1
            except asyncio.TimeoutError:
                self.stats["timeout"] += 1
                return None
        return None

    async def crawl(self, page):
        html = await self.get(page)
        if html is None:
            return []
        self.stats["ok"] += 1
        self.stats["bytes"] += len(html)
        return [p for p in links_of(page, self.n)]

    async def run(self, start):
        frontier = [start]
        self.seen.add(start)
        depth = 0
        while frontier:
            results = await asyncio.gather(*(self.crawl(p) for p in frontier))
            nxt = []
            for links in results:
                for p in links:
                    if p not in self.seen:
                        self.seen.add(p)
                        nxt.append(p)
            frontier = sorted(nxt)
            depth += 1
        return depth


n = int(sys.argv[1]) if len(sys.argv) > 1 else 25000
crawler = Crawler(n, 50)
depth = asyncio.run(crawler.run(1))
print(depth, len(crawler.seen), sorted(crawler.stats.items()))
