// asyncio's synchronisation primitives, written in Aso: Lock, Event, Condition, Semaphore,
// BoundedSemaphore and Barrier.
//
// One idea: every primitive parks a waiter on a plain future of its own and wakes it with
// `set_result`, so who runs next is decided by the loop's ready queue exactly as in asyncio 3.11
// (Lib/asyncio/locks.py): waiters are served in FIFO order, a waiter cancelled while it waits
// takes nothing with it (the next one is woken instead), and an acquire that need not wait does
// not switch tasks. Waiters wait in an `asyncio._Fifo` (AsoRuntime/Async/Fifo.swift), whose
// native scans stand for the loops asyncio makes over its deques.
let asyncioLocksFile = "asyncio/locks.aso"

/// The names this part defines: it is compiled and run into `asyncio` when one is first looked up
/// (most programs use none of them, and start-up pays nothing for them).
let asyncioLocksNames: Set<String> = ["Lock", "Semaphore", "BoundedSemaphore"]

let asyncioLocksSource = #"""
def _state_repr(obj, extra, waiters=None):
    # CPython's `<module.Class object at 0x... [state, waiters:N]>`.
    if waiters:
        extra = f"{extra}, waiters:{len(waiters)}"
    return f"<{type(obj).__module__}.{type(obj).__qualname__} object at {id(obj):#x} [{extra}]>"


class _LockContext:
    __module__ = "asyncio.locks"

    async def __aenter__(self):
        await self.acquire()
        return None

    async def __aexit__(self, exc_type, exc, tb):
        self.release()


class Lock(_LockContext):
    __module__ = "asyncio.locks"

    def __init__(self):
        self._waiters = None
        self._locked = False

    def __repr__(self):
        extra = "locked" if self._locked else "unlocked"
        return _state_repr(self, extra, self._waiters)

    def locked(self):
        return self._locked

    async def acquire(self):
        # Free, and nobody (still) queued: taken at once, without a task switch.
        if not self._locked and (self._waiters is None or not self._waiters.any_uncancelled()):
            self._locked = True
            return True
        if self._waiters is None:
            self._waiters = _Fifo()
        fut = _new_future()
        self._waiters.append(fut)
        try:
            try:
                await fut
            finally:
                self._waiters.remove(fut)
        except CancelledError:
            # Woken but cancelled before running: the wake-up goes to the next waiter.
            if not self._locked:
                self._wake_up_first()
            raise
        self._locked = True
        return True

    def release(self):
        if not self._locked:
            raise RuntimeError("Lock is not acquired.")
        self._locked = False
        self._wake_up_first()

    def _wake_up_first(self):
        # Only the first waiter: it takes the lock when it runs (no hand-off).
        if not self._waiters:
            return
        fut = self._waiters.first()
        if not fut.done():
            fut.set_result(True)


class Semaphore(_LockContext):
    __module__ = "asyncio.locks"

    def __init__(self, value=1):
        if value < 0:
            raise ValueError("Semaphore initial value must be >= 0")
        self._waiters = _Fifo()
        self._core = _SemaphoreCore(value, self._waiters)

    @property
    def _value(self):
        return self._core.value()

    def __repr__(self):
        extra = "locked" if self.locked() else f"unlocked, value:{self._core.value()}"
        return _state_repr(self, extra, self._waiters)

    def locked(self):
        # Also "locked" while a waiter that has not been cancelled is queued (FIFO order).
        return self._core.locked()

    async def acquire(self):
        core = self._core
        if core.try_acquire():
            return True
        fut = _new_future()
        self._waiters.append(fut)
        try:
            try:
                await fut
            finally:
                self._waiters.remove(fut)
        except CancelledError:
            # Given a permit, then cancelled: the permit goes to the next waiter.
            if not fut.cancelled():
                core.release()
            raise
        core.wake_if_free()
        return True

    def release(self):
        self._core.release()


class BoundedSemaphore(Semaphore):
    __module__ = "asyncio.locks"

    def __init__(self, value=1):
        self._bound_value = value
        super().__init__(value)

    def release(self):
        if self._core.value() >= self._bound_value:
            raise ValueError("BoundedSemaphore released too many times")
        super().release()
"""#

/// Event, Condition and Barrier: a part of their own (loaded after the locks, which Condition uses).
let asyncioConditionsFile = "asyncio/conditions.aso"

let asyncioConditionsNames: Set<String> = ["Event", "Condition", "Barrier", "BrokenBarrierError"]

let asyncioConditionsSource = #"""
class Event:
    __module__ = "asyncio.locks"

    def __init__(self):
        self._waiters = _Fifo()
        self._value = False

    def __repr__(self):
        extra = "set" if self._value else "unset"
        return _state_repr(self, extra, self._waiters)

    def is_set(self):
        return self._value

    def set(self):
        if not self._value:
            self._value = True
            self._waiters.wake(len(self._waiters), True)

    def clear(self):
        self._value = False

    async def wait(self):
        if self._value:
            return True
        fut = _new_future()
        self._waiters.append(fut)
        try:
            await fut
            return True
        finally:
            self._waiters.remove(fut)


class Condition(_LockContext):
    __module__ = "asyncio.locks"

    def __init__(self, lock=None):
        if lock is None:
            lock = Lock()
        self._lock = lock
        self.locked = lock.locked
        self.acquire = lock.acquire
        self.release = lock.release
        self._waiters = _Fifo()

    def __repr__(self):
        extra = "locked" if self.locked() else "unlocked"
        return _state_repr(self, extra, self._waiters)

    async def wait(self):
        if not self.locked():
            raise RuntimeError("cannot wait on un-acquired lock")
        self.release()
        try:
            fut = _new_future()
            self._waiters.append(fut)
            try:
                await fut
                return True
            finally:
                self._waiters.remove(fut)
        finally:
            # The lock is taken back before returning or raising, even if cancelled meanwhile.
            cancelled = False
            while True:
                try:
                    await self.acquire()
                    break
                except CancelledError:
                    cancelled = True
            if cancelled:
                raise CancelledError

    async def wait_for(self, predicate):
        result = predicate()
        while not result:
            await self.wait()
            result = predicate()
        return result

    def notify(self, n=1):
        if not self.locked():
            raise RuntimeError("cannot notify on un-acquired lock")
        self._waiters.wake(n, False)

    def notify_all(self):
        self.notify(len(self._waiters))


class BrokenBarrierError(RuntimeError):
    __module__ = "asyncio.exceptions"


class Barrier:
    __module__ = "asyncio.locks"

    # States: "filling", "draining", "resetting", "broken".

    def __init__(self, parties):
        if parties < 1:
            raise ValueError("parties must be > 0")
        self._cond = Condition()
        self._parties = parties
        self._state = "filling"
        self._count = 0

    def __repr__(self):
        extra = self._state
        if not self.broken:
            extra += f", waiters:{self.n_waiting}/{self.parties}"
        return _state_repr(self, extra)

    async def __aenter__(self):
        return await self.wait()

    async def __aexit__(self, *args):
        pass

    async def wait(self):
        async with self._cond:
            await self._block()
            try:
                index = self._count
                self._count += 1
                if index + 1 == self._parties:
                    await self._release()
                else:
                    await self._wait()
                return index
            finally:
                self._count -= 1
                self._exit()

    async def _block(self):
        # Waits while the barrier drains or resets.
        await self._cond.wait_for(lambda: self._state != "draining" and self._state != "resetting")
        if self._state == "broken":
            raise BrokenBarrierError("Barrier aborted")

    async def _release(self):
        self._state = "draining"
        self._cond.notify_all()

    async def _wait(self):
        await self._cond.wait_for(lambda: self._state != "filling")
        if self._state == "broken" or self._state == "resetting":
            raise BrokenBarrierError("Abort or reset of barrier")

    def _exit(self):
        if self._count == 0:
            if self._state == "resetting" or self._state == "draining":
                self._state = "filling"
            self._cond.notify_all()

    async def reset(self):
        async with self._cond:
            if self._count > 0:
                if self._state != "resetting":
                    self._state = "resetting"
            else:
                self._state = "filling"
            self._cond.notify_all()

    async def abort(self):
        async with self._cond:
            self._state = "broken"
            self._cond.notify_all()

    @property
    def parties(self):
        return self._parties

    @property
    def n_waiting(self):
        if self._state == "filling":
            return self._count
        return 0

    @property
    def broken(self):
        return self._state == "broken"
"""#
