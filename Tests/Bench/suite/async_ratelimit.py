# async_ratelimit: a token-bucket rate limiter driven by a ticker task: clients acquire tokens
# (waiting on a Condition when the bucket is empty), do their work and record it; the ticker
# refills the bucket each loop iteration; results are grouped per client.
import asyncio
import sys


class TokenBucket:
    def __init__(self, capacity, refill):
        self.capacity = capacity
        self.refill = refill
        self.tokens = capacity
        self.cond = asyncio.Condition()
        self.ticks = 0
        self.waits = 0

    async def tick(self):
        async with self.cond:
            self.ticks += 1
            self.tokens = min(self.capacity, self.tokens + self.refill)
            self.cond.notify(self.refill)

    async def acquire(self):
        async with self.cond:
            while self.tokens == 0:
                self.waits += 1
                await self.cond.wait()
            self.tokens -= 1


async def ticker(bucket, stop):
    while not stop.is_set():
        await bucket.tick()
        await asyncio.sleep(0)


async def client(cid, bucket, requests, log):
    served = []
    for r in range(requests):
        await bucket.acquire()
        served.append((cid * 1000 + r) % 251)
        if r % 5 == 0:
            await asyncio.sleep(0)
    log[cid] = sum(served)
    return len(served)


async def main(requests):
    bucket = TokenBucket(capacity=20, refill=7)
    stop = asyncio.Event()
    log = {}
    tick = asyncio.create_task(ticker(bucket, stop))
    counts = await asyncio.gather(*(client(c, bucket, requests, log) for c in range(40)))
    stop.set()
    await tick
    return sum(counts), sum(log.values()), len(log), bucket.waits > 0, bucket.ticks > 0


n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
print(asyncio.run(main(n)))
