// `d.keys()`, `d.values()` and `d.items()`.
//
// One idea: a view holds only its dict and which of the three it is, so it always shows the
// dict's present contents. `len()`, truth and `iter()` reach it through its class's container
// slots (set in Types.swift), as they reach any native container.

/// `d.keys()`, `d.values()`, `d.items()`: live views of a dict.
final class DictViewObj: Obj {
    let dict: DictObj
    /// 0 keys, 1 values, 2 items.
    let what: Int
    init(dict: DictObj, what: Int, type: __shared TypeObject) {
        self.dict = dict
        self.what = what
        super.init(kind: .other, type: type)
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(dict)
    }
}
