# async_pipeline: a three-stage pipeline over bounded queues (maxsize=64): a producer, parsing
# workers, enriching workers behind a semaphore, json.dumps per item, and a collector.
import asyncio
import json
import sys

STOP = None


async def produce(q, n):
    for i in range(n):
        await q.put({"id": i, "raw": f"{i},{i * 7 % 13},{'x' * (i % 5)}"})
    for _ in range(4):
        await q.put(STOP)


async def parse(inq, outq):
    count = 0
    while True:
        item = await inq.get()
        if item is STOP:
            await outq.put(STOP)
            return count
        a, b, c = item["raw"].split(",")
        await outq.put({"id": item["id"], "a": int(a), "b": int(b), "c": c})
        count += 1


async def enrich(inq, outq, sem):
    while True:
        item = await inq.get()
        if item is STOP:
            await outq.put(STOP)
            return
        async with sem:
            if item["a"] % 10 == 0:
                await asyncio.sleep(0)
            item["score"] = item["a"] * item["b"] % 101
        await outq.put(json.dumps(item, sort_keys=True))


async def collect(q, producers):
    stops = 0
    total = 0
    size = 0
    last = ""
    while stops < producers:
        text = await q.get()
        if text is STOP:
            stops += 1
            continue
        doc = json.loads(text)
        total += doc["score"]
        size += len(text)
        last = text
    return total, size, last


async def main(n):
    q1 = asyncio.Queue(maxsize=64)
    q2 = asyncio.Queue(maxsize=64)
    q3 = asyncio.Queue(maxsize=64)
    sem = asyncio.Semaphore(3)
    prod = asyncio.create_task(produce(q1, n))
    parsers = [asyncio.create_task(parse(q1, q2)) for _ in range(4)]
    enrichers = [asyncio.create_task(enrich(q2, q3, sem)) for _ in range(4)]
    result = await collect(q3, 4)
    await prod
    counts = await asyncio.gather(*parsers)
    await asyncio.gather(*enrichers)
    return result, sum(counts)


n = int(sys.argv[1]) if len(sys.argv) > 1 else 40000
(total, size, last), parsed = asyncio.run(main(n))
print(total, size, parsed)
