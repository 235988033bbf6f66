# async_cancel: a cancellation storm: many tasks parked in sleeps, waits on futures and queue
# gets, cancelled in bulk; cleanups in finally blocks, tasks that catch CancelledError and
# return, shield, and wait_for around cancelled work.
import asyncio
import sys


async def sleeper(log, i):
    try:
        await asyncio.sleep(100)
    except asyncio.CancelledError:
        log["sleep"] += 1
        raise
    finally:
        log["finally"] += 1


async def getter(log, q):
    try:
        return await q.get()
    except asyncio.CancelledError:
        log["get"] += 1
        return -1


async def waiter(log, fut):
    try:
        await fut
    finally:
        log["fut"] += 1


async def nested(log, depth):
    if depth == 0:
        await asyncio.sleep(100)
    try:
        await nested(log, depth - 1)
    finally:
        log["nested"] += 1


async def storm(log, size):
    loop = asyncio.get_running_loop()
    q = asyncio.Queue()
    futs = [loop.create_future() for _ in range(size // 4)]
    tasks = [asyncio.create_task(sleeper(log, i)) for i in range(size // 4)]
    tasks += [asyncio.create_task(getter(log, q)) for _ in range(size // 4)]
    tasks += [asyncio.create_task(waiter(log, f)) for f in futs]
    tasks += [asyncio.create_task(nested(log, 5)) for _ in range(size // 4)]
    await asyncio.sleep(0)
    for i, t in enumerate(tasks):
        if i % 2 == 0:
            t.cancel()
    for f in futs[1::2]:
        f.set_result(1)
    for _ in range(size // 16):
        q.put_nowait(7)
    await asyncio.sleep(0)
    for t in tasks:
        t.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    cancelled = sum(1 for r in results if isinstance(r, asyncio.CancelledError))
    got = sum(r for r in results if isinstance(r, int))
    inner = asyncio.create_task(asyncio.sleep(0, "shielded"))
    try:
        await asyncio.wait_for(asyncio.shield(inner), 100)
    except asyncio.TimeoutError:
        pass
    return cancelled, got, await inner


async def main(rounds):
    log = {"sleep": 0, "finally": 0, "get": 0, "fut": 0, "nested": 0}
    totals = [0, 0]
    last = None
    for _ in range(rounds):
        c, g, last = await storm(log, 800)
        totals[0] += c
        totals[1] += g
    return totals, sorted(log.items()), last


n = int(sys.argv[1]) if len(sys.argv) > 1 else 60
print(asyncio.run(main(n)))
