// The attributes of an instance or exception: a small table searched in order.
//
// One idea: objects have a handful of attributes, and comparing a few short strings in a row
// beats hashing one; the table keeps insertion order (as `__dict__` shows it). It is a stand-in
// until classes get shapes with slot arrays.

struct AttributeTable: Sequence {
    private var names: [String] = []
    private var slots: [Value] = []

    var isEmpty: Bool { names.isEmpty }
    var values: [Value] { slots }

    @inline(__always) private func index(_ name: String) -> Int? {
        var i = 0
        let n = names.count
        while i < n {
            if names[i] == name { return i }
            i &+= 1
        }
        return nil
    }

    subscript(name: String) -> Value? {
        get {
            guard let i = index(name) else { return nil }
            return slots[i]
        }
        set {
            if let i = index(name) {
                if let v = newValue { slots[i] = v } else { names.remove(at: i); slots.remove(at: i) }
            } else if let v = newValue {
                names.append(name)
                slots.append(v)
            }
        }
    }

    @discardableResult
    mutating func removeValue(forKey name: String) -> Value? {
        guard let i = index(name) else { return nil }
        names.remove(at: i)
        return slots.remove(at: i)
    }

    func makeIterator() -> Zip2Sequence<[String], [Value]>.Iterator { zip(names, slots).makeIterator() }
}
