# async_pubsub: publish/subscribe with asyncio.Event and asyncio.Condition: a broker keeps a
# list of messages, subscribers wait on a condition for new ones, a start event releases them
# all, and a done event ends the run.
import asyncio
import sys


class Broker:
    def __init__(self):
        self.messages = []
        self.cond = asyncio.Condition()
        self.closed = False

    async def publish(self, msg):
        async with self.cond:
            self.messages.append(msg)
            self.cond.notify_all()

    async def close(self):
        async with self.cond:
            self.closed = True
            self.cond.notify_all()


async def subscriber(broker, start, topic, got):
    await start.wait()
    index = 0
    total = 0
    while True:
        async with broker.cond:
            await broker.cond.wait_for(lambda: index < len(broker.messages) or broker.closed)
            batch = broker.messages[index:]
            index = len(broker.messages)
            if not batch and broker.closed:
                break
        for t, value in batch:
            if t == topic:
                total += value
    got[topic] = got.get(topic, 0) + total


async def publisher(broker, start, pid, count, done):
    await start.wait()
    for i in range(count):
        await broker.publish((f"topic{(pid + i) % 5}", i * pid % 17))
        if i % 4 == 0:
            await asyncio.sleep(0)
    done.append(pid)


async def main(n):
    broker = Broker()
    start = asyncio.Event()
    got = {}
    done = []
    subs = [asyncio.create_task(subscriber(broker, start, f"topic{i % 5}", got)) for i in range(20)]
    pubs = [asyncio.create_task(publisher(broker, start, p, n, done)) for p in range(1, 6)]
    await asyncio.sleep(0)
    start.set()
    await asyncio.gather(*pubs)
    await broker.close()
    await asyncio.gather(*subs)
    flags = [asyncio.Event() for _ in range(200)]

    async def waiter(ev, k):
        await ev.wait()
        return k

    for round_ in range(n // 20):
        tasks = [asyncio.create_task(waiter(ev, k)) for k, ev in enumerate(flags)]
        await asyncio.sleep(0)
        for ev in flags:
            ev.set()
        res = await asyncio.gather(*tasks)
        for ev in flags:
            ev.clear()
    return sorted(got.items()), len(broker.messages), done, sum(res)


n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
print(asyncio.run(main(n)))
