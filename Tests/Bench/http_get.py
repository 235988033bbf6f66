# 20 000 GETs of a small file through one aiohttp session, 100 at a time (a Semaphore).
# scripts/bench serves the file with a local nginx and passes its URL; prints the number of
# successful requests and the bytes received.
import asyncio
import sys

import aiohttp


async def main(url, n):
    sem = asyncio.Semaphore(100)
    ok = 0
    size = 0
    async with aiohttp.ClientSession() as session:
        async def one():
            nonlocal ok, size
            async with sem:
                async with session.get(url) as resp:
                    body = await resp.read()
                    if resp.status == 200:
                        ok += 1
                        size += len(body)

        await asyncio.gather(*(one() for _ in range(n)))
    print(ok, size)


asyncio.run(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20000))
