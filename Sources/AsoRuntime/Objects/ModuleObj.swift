// Modules and their globals.
//
// One idea: globals are numbered slots, not a dictionary lookup per access. Each name gets a slot
// the first time code naming it is loaded into the module (`slot(for:)`), and code objects keep
// the slot numbers, so `LOAD_GLOBAL` is two loads. The slot buffer sits behind a `let` pointer so
// the dispatch loop reads it without exclusivity checks; it is reallocated only while loading code
// or setting a new attribute from outside, never during an instruction that holds it.

final class ModuleObj: Obj {
    let name: String
    /// Where the slot buffer is: `storage.pointee[i]` is slot i, `.null` when the name is unbound.
    let storage: UnsafeMutablePointer<UnsafeMutablePointer<Value>>
    /// Slot numbers by name.
    private(set) var slots: [String: Int] = [:]
    /// Names by slot number.
    private(set) var slotNames: [String] = []
    private var capacity: Int
    /// The file the module was loaded from, if any.
    var file: String?

    init(name: String, type: __shared TypeObject) {
        self.name = name
        capacity = 64
        storage = .allocate(capacity: 1)
        let buf = UnsafeMutablePointer<Value>.allocate(capacity: capacity)
        buf.initialize(repeating: .null, count: capacity)
        storage.initialize(to: buf)
        super.init(kind: .module, type: type)
    }
    deinit {
        storage.pointee.deallocate()
        storage.deallocate()
    }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        let buf = storage.pointee
        for i in 0..<slotNames.count { t.mark(buf[i]) }
    }
    override var estimatedSize: Int { 128 + capacity * 16 }

    /// The slot for `name`, created (unbound) if new.
    func slot(for name: String) -> Int {
        if let s = slots[name] { return s }
        let s = slotNames.count
        if s == capacity {
            let newCapacity = capacity * 2
            let buf = UnsafeMutablePointer<Value>.allocate(capacity: newCapacity)
            buf.moveInitialize(from: storage.pointee, count: capacity)
            (buf + capacity).initialize(repeating: .null, count: newCapacity - capacity)
            storage.pointee.deallocate()
            storage.pointee = buf
            capacity = newCapacity
        }
        slots[name] = s
        slotNames.append(name)
        return s
    }

    /// The value bound to `name`, or nil.
    func get(_ name: String) -> Value? {
        guard let s = slots[name] else { return nil }
        let v = storage.pointee[s]
        return v.isNull ? nil : v
    }

    func set(_ name: String, _ value: Value) {
        let s = slot(for: name)   // first: it may move the buffer
        storage.pointee[s] = value
    }

    /// Bound names in slot order.
    var boundNames: [(String, Value)] {
        var out: [(String, Value)] = []
        let buf = storage.pointee
        for (i, n) in slotNames.enumerated() where !buf[i].isNull { out.append((n, buf[i])) }
        return out
    }
}
