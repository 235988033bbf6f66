// `asyncio._Fifo`: the queue of waiters (or items) behind asyncio's locks and queues.
//
// One idea: the locks and queues are written in Aso (Library/asyncio), but what they do most
// (append, take the oldest, remove a cancelled waiter, find the first waiter still pending, wake
// the first n) is one native call on this object, as CPython's are calls on a C deque. Length and
// truth are answered natively too, so `while waiters:` runs no script code.

final class FifoObj: Obj {
    init(type: __shared TypeObject) {
        super.init(kind: .other, type: type)
        flags = Obj.fifoFlag
    }

    /// The items, oldest first, from `head` on (slots before it are used up). (No dynamic
    /// exclusivity checks: every waiter and item passes through here, and no access overlaps.)
    @exclusivity(unchecked) private(set) var items: [Value] = []
    @exclusivity(unchecked) private var head = 0

    var count: Int { items.count - head }
    var live: ArraySlice<Value> { items[head...] }
    /// The `i`th item from the front (a priority queue keeps its heap here).
    subscript(i: Int) -> Value {
        get { items[head + i] }
        set { items[head + i] = newValue }
    }

    func append(_ v: Value) { items.append(v) }

    func popFirst() -> Value? {
        guard head < items.count else { return nil }
        let v = items[head]
        dropFirst()
        return v
    }

    /// Frees the front slot; the used-up front is dropped once it is half of the storage
    /// (amortised constant time).
    private func dropFirst() {
        items[head] = .none
        head += 1
        if head == items.count {
            // Empty: a small buffer is kept for the next items, a large one given back.
            items.removeAll(keepingCapacity: items.capacity <= 64)
            head = 0
        } else if head >= 32 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
    }

    func popLast() -> Value? {
        guard head < items.count else { return nil }
        return items.removeLast()
    }

    /// Removes the first occurrence of `v` (by identity); false when it is not there. The shorter
    /// side moves (a waiter leaves from near the front, after it was woken: that costs nothing).
    func remove(_ v: Value) -> Bool {
        var i = head
        while i < items.count {
            if items[i].isIdentical(to: v) {
                if i - head < items.count - i {
                    var j = i
                    while j > head {
                        items[j] = items[j - 1]
                        j -= 1
                    }
                    dropFirst()
                } else {
                    items.remove(at: i)
                }
                return true
            }
            i += 1
        }
        return false
    }

    /// A waiter whose future is not cancelled is queued (asyncio's `any(not w.cancelled() ...)`).
    var hasUncancelled: Bool { live.contains { $0.asFuture.map { $0.state != .cancelled } ?? true } }

    override var estimatedSize: Int { 48 &+ items.capacity &* MemoryLayout<Value>.stride }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        for v in items[head...] { t.mark(v) }
    }
}

extension Value {
    /// The `_Fifo` this value is, without a dynamic cast.
    @inline(__always) var asFifo: FifoObj? {
        guard isFifo, case .object(let u) = self else { return nil }
        return unsafeDowncast(u.takeUnretainedValue(), to: FifoObj.self)
    }
    @inline(__always) var isFifo: Bool {
        guard case .object(let u) = self else { return false }
        return u._withUnsafeGuaranteedRef { $0.kind == .other && $0.flags & Obj.fifoFlag != 0 }
    }
}

extension Runtime {
    /// The class `_Fifo` of the `asyncio` module.
    func makeFifoType() -> TypeObject {
        let t = heap.register(TypeObject(name: "_Fifo", base: types.object, isException: false, metatype: types.type))
        t.moduleName = "asyncio.locks"
        // `len()`, truth and `iter()` (over a copy: a deque may not change while it is iterated
        // anyway). Only FifoObj has this class with kind `.other`; the flag check costs nothing.
        t.containerSlots = ContainerSlots(
            length: { o in o.flags & Obj.fifoFlag != 0 ? unsafeDowncast(o, to: FifoObj.self).count : 0 },
            iterate: { rt, o in
                guard o.flags & Obj.fifoFlag != 0 else { return rt.newIterator(.exhausted) }
                let copy = rt.heap.register(TupleObj(Array(unsafeDowncast(o, to: FifoObj.self).live), type: rt.types.tuple))
                return rt.newIterator(.tuple(Ref(copy)), type: rt.types.tupleIterator)
            })
        t.construct = { rt, args in
            guard args.count > 0, let type = args[0].asType else { throw rt.typeError("cannot create '_Fifo' instances") }
            try rt.checkCount(args.count - 1, "_Fifo", min: 0, max: 0)
            return Value(rt.heap.register(FifoObj(type: type)))
        }
        func method(_ name: String, _ arity: Int, _ body: @escaping (Runtime, FifoObj, Args) throws -> Value) {
            t.dict[name] = native(name, owner: "_Fifo") { rt, args in
                guard args.count >= 1, case .object(let u) = args[0], args[0].isFifo else {
                    throw rt.typeError("descriptor '\(name)' for '_Fifo' objects doesn't apply to a '\(args.count >= 1 ? rt.typeName(args[0]) : "NoneType")' object")
                }
                if args.count != arity + 1 { try rt.checkCount(args.count - 1, name, min: arity, max: arity) }
                // (The receiver is on the caller's stack: used without reference counting.)
                return try Unmanaged<FifoObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { try body(rt, $0, args) }
            }
        }
        method("append", 1) { _, f, args in
            f.append(args[1])
            return .none
        }
        method("remove", 1) { rt, f, args in
            guard f.remove(args[1]) else { throw rt.error(rt.exc.valueError, "deque.remove(x): x not in deque") }
            return .none
        }
        method("first", 0) { rt, f, _ in
            guard let v = f.live.first else { throw rt.error(rt.exc.indexError, "deque index out of range") }
            return v
        }
        // The scans asyncio's locks make over their waiting futures (each stops where CPython's
        // loop stops, so no more futures are looked at than there).
        method("any_uncancelled", 0) { _, f, _ in .bool(f.hasUncancelled) }
        method("wake", 2) { rt, f, args in
            // set_result(value) on the first n waiters not done yet; returns how many.
            let n = try rt.intArgument(args[1])
            var woken = 0
            for v in f.live {
                if woken >= n { break }
                guard let fut = v.asFuture, !fut.isDone else { continue }
                woken += 1
                try rt.setFutureResult(fut, args[2])
            }
            return .int(woken)
        }
        return t
    }
}
