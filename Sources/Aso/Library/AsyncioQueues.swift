// asyncio's queues, written in Aso: Queue, PriorityQueue and LifoQueue, with `shutdown`.
//
// One idea: as in asyncio (Lib/asyncio/queues.py), a queue is a container plus two FIFOs of
// waiting futures, getters and putters. Taking or adding an item wakes the first waiter of the
// other side, which re-checks when it runs; a waiter cancelled after being woken passes the
// wake-up on. `shutdown(immediate=)` and `QueueShutDown` follow Python 3.13.

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


def _heap_push(heap, item):
    # heapq.heappush: the new item moves up past every parent greater than it.
    heap.append(item)
    pos = len(heap) - 1
    while pos > 0:
        parent_pos = (pos - 1) >> 1
        parent = heap[parent_pos]
        if item < parent:
            heap[pos] = parent
            pos = parent_pos
        else:
            break
    heap[pos] = item


def _heap_pop(heap):
    # heapq.heappop: the last item goes to the root's place by the smaller child each time down
    # to a leaf, then up again as far as it belongs (the same comparisons as heapq makes).
    last = heap.pop()
    if not heap:
        return last
    top = heap[0]
    end = len(heap)
    pos = 0
    child = 1
    while child < end:
        right = child + 1
        if right < end and not heap[child] < heap[right]:
            child = right
        heap[pos] = heap[child]
        pos = child
        child = 2 * pos + 1
    while pos > 0:
        parent_pos = (pos - 1) >> 1
        parent = heap[parent_pos]
        if last < parent:
            heap[pos] = parent
            pos = parent_pos
        else:
            break
    heap[pos] = last
    return top


class Queue:
    __module__ = "asyncio.queues"

    def __init__(self, maxsize=0):
        self._maxsize = maxsize
        self._getters = _Fifo()
        self._putters = _Fifo()
        self._unfinished_tasks = 0
        self._finished = Event()
        self._finished.set()
        self._is_shutdown = False
        self._init(maxsize)

    def _init(self, maxsize):
        self._queue = _Fifo()

    def _get(self):
        return self._queue.popleft()

    def _put(self, item):
        self._queue.append(item)

    def _wakeup_next(self, waiters):
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                break

    def _format(self):
        text = f"maxsize={self._maxsize!r}"
        if self._queue:
            text += f" _queue={list(self._queue)!r}"
        if self._getters:
            text += f" _getters[{len(self._getters)}]"
        if self._putters:
            text += f" _putters[{len(self._putters)}]"
        if self._unfinished_tasks:
            text += f" tasks={self._unfinished_tasks}"
        return text

    def __str__(self):
        return f"<{type(self).__name__} {self._format()}>"

    def qsize(self):
        return len(self._queue)

    @property
    def maxsize(self):
        return self._maxsize

    def empty(self):
        return not self._queue

    def full(self):
        if self._maxsize <= 0:
            return False
        return self.qsize() >= self._maxsize

    async def put(self, item):
        while self.full():
            if self._is_shutdown:
                raise QueueShutDown
            putter = get_running_loop().create_future()
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
                if not self.full() and not putter.cancelled():
                    self._wakeup_next(self._putters)
                raise
        return self.put_nowait(item)

    def put_nowait(self, item):
        if self._is_shutdown:
            raise QueueShutDown
        if self.full():
            raise QueueFull
        self._put(item)
        self._unfinished_tasks += 1
        self._finished.clear()
        self._wakeup_next(self._getters)

    async def get(self):
        while self.empty():
            if self._is_shutdown:
                raise QueueShutDown
            getter = get_running_loop().create_future()
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
                if not self.empty() and not getter.cancelled():
                    self._wakeup_next(self._getters)
                raise
        return self.get_nowait()

    def get_nowait(self):
        if self.empty():
            if self._is_shutdown:
                raise QueueShutDown
            raise QueueEmpty
        item = self._get()
        self._wakeup_next(self._putters)
        return item

    def task_done(self):
        if self._unfinished_tasks <= 0:
            raise ValueError("task_done() called too many times")
        self._unfinished_tasks -= 1
        if self._unfinished_tasks == 0:
            self._finished.set()

    async def join(self):
        if self._unfinished_tasks > 0:
            await self._finished.wait()

    def shutdown(self, immediate=False):
        self._is_shutdown = True
        if immediate:
            while not self.empty():
                self._get()
                if self._unfinished_tasks > 0:
                    self._unfinished_tasks -= 1
            if self._unfinished_tasks == 0:
                self._finished.set()
        # Every waiter re-checks, and raises QueueShutDown where it must.
        while self._getters:
            getter = self._getters.popleft()
            if not getter.done():
                getter.set_result(None)
        while self._putters:
            putter = self._putters.popleft()
            if not putter.done():
                putter.set_result(None)


class PriorityQueue(Queue):
    __module__ = "asyncio.queues"

    def _init(self, maxsize):
        self._queue = []

    def _put(self, item):
        _heap_push(self._queue, item)

    def _get(self):
        return _heap_pop(self._queue)


class LifoQueue(Queue):
    __module__ = "asyncio.queues"

    def _init(self, maxsize):
        self._queue = []

    def _put(self, item):
        self._queue.append(item)

    def _get(self):
        return self._queue.pop()
"""#
