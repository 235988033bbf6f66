// asyncio's queues, written in Aso: Queue, PriorityQueue and LifoQueue, with `shutdown`.
//
// One idea: as in asyncio (Lib/asyncio/queues.py), a queue is a container plus two FIFOs of
// waiting futures, getters and putters. Taking or adding an item wakes the first waiter of the
// other side, which re-checks when it runs; a waiter cancelled after being woken passes the
// wake-up on. `shutdown(immediate=)` and `QueueShutDown` follow Python 3.13. What never waits is
// one call into the native core (AsoRuntime/Async/QueueCore.swift); the waiting is here.

let asyncioQueuesFile = "asyncio/queues.aso"

/// The names this part defines (loaded on first use, after the locks, which it builds on).
let asyncioQueuesNames: Set<String> = ["Queue", "PriorityQueue", "LifoQueue", "QueueEmpty", "QueueFull", "QueueShutDown"]

let asyncioQueuesSource = #"""
class QueueEmpty(Exception):
    __module__ = "asyncio.queues"


class QueueFull(Exception):
    __module__ = "asyncio.queues"


class QueueShutDown(Exception):
    __module__ = "asyncio.queues"


class Queue:
    __module__ = "asyncio.queues"

    # Which container the items are kept in: 0 FIFO, 1 LIFO, 2 heap (see _QueueCore).
    _mode = 0

    def __init__(self, maxsize=0):
        self._maxsize = maxsize
        self._getters = _Fifo()
        self._putters = _Fifo()
        self._finished = Event()
        self._finished.set()
        self._core = _QueueCore(self._mode, maxsize, self._getters, self._putters, self._finished,
                                QueueEmpty, QueueFull, QueueShutDown)

    def _format(self):
        text = f"maxsize={self._maxsize!r}"
        items = self._core.items()
        if items:
            text += f" _queue={items!r}"
        if self._getters:
            text += f" _getters[{len(self._getters)}]"
        if self._putters:
            text += f" _putters[{len(self._putters)}]"
        unfinished = self._core.unfinished()
        if unfinished:
            text += f" tasks={unfinished}"
        return text

    def __repr__(self):
        return f"<{type(self).__name__} at {id(self):#x} {self._format()}>"

    def __str__(self):
        return f"<{type(self).__name__} {self._format()}>"

    def qsize(self):
        return self._core.qsize()

    @property
    def maxsize(self):
        return self._maxsize

    def empty(self):
        return self._core.qsize() == 0

    def full(self):
        return self._core.full()

    async def put(self, item):
        core = self._core
        if core.try_put(item):
            return None
        while core.full():
            if core.is_shut_down():
                raise QueueShutDown
            putter = _new_future()
            self._putters.append(putter)
            try:
                await putter
            except:
                putter.cancel()
                try:
                    self._putters.remove(putter)
                except ValueError:
                    pass
                # Woken for a free slot it will not use: the next putter gets it.
                if not core.full() and not putter.cancelled():
                    core.wake_next(self._putters)
                raise
        return core.put_nowait(item)

    def put_nowait(self, item):
        return self._core.put_nowait(item)

    async def get(self):
        core = self._core
        item = core.try_get()
        if item is not core:
            return item
        while core.qsize() == 0:
            if core.is_shut_down():
                raise QueueShutDown
            getter = _new_future()
            self._getters.append(getter)
            try:
                await getter
            except:
                getter.cancel()
                try:
                    self._getters.remove(getter)
                except ValueError:
                    pass
                # Woken for an item it will not take: the next getter gets it.
                if core.qsize() != 0 and not getter.cancelled():
                    core.wake_next(self._getters)
                raise
        return core.get_nowait()

    def get_nowait(self):
        return self._core.get_nowait()

    def task_done(self):
        self._core.task_done()

    async def join(self):
        if self._core.unfinished() > 0:
            await self._finished.wait()

    def shutdown(self, immediate=False):
        self._core.shutdown(immediate)


class PriorityQueue(Queue):
    __module__ = "asyncio.queues"

    _mode = 2


class LifoQueue(Queue):
    __module__ = "asyncio.queues"

    _mode = 1
"""#
