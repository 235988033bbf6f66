# richards: an operating-system scheduler simulation in the style of the Richards benchmark:
# a linked list of task control blocks of several subclasses, packets passed between them,
# state flags and super() calls.
import sys

IDLE, WORKER, HANDLER_A, HANDLER_B, DEVICE_A, DEVICE_B = range(6)
K_DEVICE, K_WORK = 0, 1


class Packet:
    def __init__(self, link, ident, kind):
        self.link = link
        self.ident = ident
        self.kind = kind
        self.datum = 0
        self.data = [0] * 4

    def append_to(self, lst):
        self.link = None
        if lst is None:
            return self
        p = lst
        while p.link is not None:
            p = p.link
        p.link = self
        return lst


class Task:
    def __init__(self, sched, ident, prio, wkq, state):
        self.sched = sched
        self.ident = ident
        self.prio = prio
        self.wkq = wkq
        self.packet_pending = state["pending"]
        self.waiting = state["waiting"]
        self.held = state["held"]
        self.link = sched.tasks
        sched.tasks = self
        sched.table[ident] = self

    def runnable(self):
        return not self.held and (self.packet_pending or not self.waiting)

    def add_packet(self, pkt, old):
        if self.wkq is None:
            self.wkq = pkt
            self.packet_pending = True
            if self.prio > old.prio:
                return self
        else:
            self.wkq = pkt.append_to(self.wkq)
        return old

    def take_packet(self):
        pkt = self.wkq
        self.wkq = pkt.link
        self.packet_pending = self.wkq is not None
        return pkt

    def run(self, pkt):
        raise NotImplementedError


class IdleTask(Task):
    def __init__(self, sched, ident, prio, wkq, state, count):
        super().__init__(sched, ident, prio, wkq, state)
        self.v1 = 1
        self.count = count

    def run(self, pkt):
        self.count -= 1
        if self.count == 0:
            return self.sched.hold_self()
        if self.v1 & 1 == 0:
            self.v1 >>= 1
            return self.sched.release(DEVICE_A)
        self.v1 = (self.v1 >> 1) ^ 0xD008
        return self.sched.release(DEVICE_B)


class WorkerTask(Task):
    def __init__(self, sched, ident, prio, wkq, state):
        super().__init__(sched, ident, prio, wkq, state)
        self.dest = HANDLER_A
        self.count = 0

    def run(self, pkt):
        if pkt is None:
            return self.sched.wait_self()
        self.dest = HANDLER_B if self.dest == HANDLER_A else HANDLER_A
        pkt.ident = self.dest
        pkt.datum = 0
        for i in range(4):
            self.count += 1
            if self.count > 26:
                self.count = 1
            pkt.data[i] = 64 + self.count
        return self.sched.queue(pkt)


class HandlerTask(Task):
    def __init__(self, sched, ident, prio, wkq, state):
        super().__init__(sched, ident, prio, wkq, state)
        self.work_in = None
        self.dev_in = None

    def run(self, pkt):
        if pkt is not None:
            if pkt.kind == K_WORK:
                self.work_in = pkt.append_to(self.work_in)
            else:
                self.dev_in = pkt.append_to(self.dev_in)
        if self.work_in is not None:
            work = self.work_in
            count = work.datum
            if count < 4:
                if self.dev_in is not None:
                    dev = self.dev_in
                    self.dev_in = dev.link
                    dev.datum = work.data[count]
                    work.datum = count + 1
                    return self.sched.queue(dev)
            else:
                self.work_in = work.link
                return self.sched.queue(work)
        return self.sched.wait_self()


class DeviceTask(Task):
    def __init__(self, sched, ident, prio, wkq, state):
        super().__init__(sched, ident, prio, wkq, state)
        self.pending = None

    def run(self, pkt):
        if pkt is None:
            if self.pending is None:
                return self.sched.wait_self()
            p = self.pending
            self.pending = None
            return self.sched.queue(p)
        self.pending = pkt
        self.sched.hold_count += 1
        return self.sched.hold_self()


class Scheduler:
    def __init__(self):
        self.tasks = None
        self.table = [None] * 6
        self.current = None
        self.queue_count = 0
        self.hold_count = 0

    def hold_self(self):
        self.hold_count += 1
        self.current.held = True
        return self.current.link

    def wait_self(self):
        self.current.waiting = True
        return self.current

    def release(self, ident):
        t = self.table[ident]
        t.held = False
        return t if t.prio > self.current.prio else self.current

    def queue(self, pkt):
        t = self.table[pkt.ident]
        self.queue_count += 1
        pkt.link = None
        pkt.ident = self.current.ident
        if t.wkq is None and not t.held and t.waiting:
            t.waiting = False
        return t.add_packet(pkt, self.current)

    def schedule(self):
        t = self.tasks
        while t is not None:
            if t.runnable():
                t.waiting = False
                pkt = t.take_packet() if t.packet_pending else None
                self.current = t
                t = t.run(pkt)
            elif t.waiting and t.wkq is None:
                t = t.link
            else:
                t = t.link


def run_once(count):
    s = Scheduler()
    running = {"pending": False, "waiting": False, "held": False}
    waiting_pkt = {"pending": True, "waiting": True, "held": False}
    waiting = {"pending": False, "waiting": True, "held": False}
    IdleTask(s, IDLE, 0, None, running, count)
    wkq = Packet(None, 0, K_WORK)
    wkq = Packet(wkq, 0, K_WORK)
    WorkerTask(s, WORKER, 1000, wkq, waiting_pkt)
    wkq = Packet(None, DEVICE_A, K_DEVICE)
    wkq = Packet(wkq, DEVICE_A, K_DEVICE)
    wkq = Packet(wkq, DEVICE_A, K_DEVICE)
    HandlerTask(s, HANDLER_A, 2000, wkq, waiting_pkt)
    wkq = Packet(None, DEVICE_B, K_DEVICE)
    wkq = Packet(wkq, DEVICE_B, K_DEVICE)
    wkq = Packet(wkq, DEVICE_B, K_DEVICE)
    HandlerTask(s, HANDLER_B, 3000, wkq, waiting_pkt)
    DeviceTask(s, DEVICE_A, 4000, None, waiting)
    DeviceTask(s, DEVICE_B, 5000, None, waiting)
    s.schedule()
    return s.queue_count, s.hold_count


n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
total = [0, 0]
for i in range(n):
    q, h = run_once(10000)
    total[0] += q
    total[1] += h
print(f"richards runs={n} queued={total[0]} held={total[1]}")
