# async_taskgroup: fan-out/fan-in with asyncio.TaskGroup in waves: each wave's tasks take work
# from a Queue, compute, put results on another queue, and the wave ends with join(); a wave
# with a failing task shows the group cancelling its siblings.
import asyncio
import sys


async def worker(wid, jobs, results):
    done = 0
    while True:
        try:
            item = jobs.get_nowait()
        except asyncio.QueueEmpty:
            return done
        value = sum(i * i for i in range(item % 50))
        if item % 3 == 0:
            await asyncio.sleep(0)
        await results.put((item, value, wid))
        jobs.task_done()
        done += 1


async def consume(results, count):
    total = 0
    for _ in range(count):
        item, value, wid = await results.get()
        total += value + wid
        results.task_done()
    return total


async def wave(k, size):
    jobs = asyncio.Queue()
    results = asyncio.Queue(maxsize=32)
    for i in range(size):
        jobs.put_nowait(k * size + i)
    async with asyncio.TaskGroup() as tg:
        workers = [tg.create_task(worker(w, jobs, results)) for w in range(16)]
        collector = tg.create_task(consume(results, size))
    await jobs.join()
    await results.join()
    return collector.result(), [w.result() for w in workers]


async def failing_wave():
    started = []

    async def slow(i):
        started.append(i)
        await asyncio.sleep(10)

    async def bad():
        await asyncio.sleep(0)
        raise ValueError("bad item")

    try:
        async with asyncio.TaskGroup() as tg:
            for i in range(50):
                tg.create_task(slow(i))
            tg.create_task(bad())
    except ExceptionGroup as eg:
        return len(started), [str(e) for e in eg.exceptions]


async def main(waves):
    grand = 0
    per_worker = [0] * 16
    for k in range(waves):
        total, counts = await wave(k, 400)
        grand += total
        for i, c in enumerate(counts):
            per_worker[i] += c
    failed = [await failing_wave() for _ in range(waves // 10)]
    return grand, sum(per_worker), failed[-1] if failed else None


n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
print(asyncio.run(main(n)))
