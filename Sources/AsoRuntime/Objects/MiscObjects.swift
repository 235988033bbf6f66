// Small builtin objects: ranges, slices, iterators, and instances of plain classes.

import BigInt

/// A range whose bounds or length do not fit in `Int` (`range(10**30)`).
struct BigRange {
    let start: BigInt, stop: BigInt, step: BigInt
    /// Number of elements (never negative).
    let length: BigInt
    init(start: BigInt, stop: BigInt, step: BigInt) {
        self.start = start; self.stop = stop; self.step = step
        if step > 0 && start < stop { length = (stop - start - 1) / step + 1 }
        else if step < 0 && start > stop { length = (start - stop - 1) / (-step) + 1 }
        else { length = 0 }
    }
    func element(_ i: BigInt) -> BigInt { start + i * step }
}

final class RangeObj: Obj {
    /// The bounds when everything fits in `Int` (all zero for a big range).
    let start: Int, stop: Int, step: Int
    /// Number of elements (computed once, never negative; 0 for a big range: use `big`).
    let length: Int
    /// Set instead of the Int fields when the bounds or the length do not fit in `Int`.
    let big: BigRange?

    init(start: Int, stop: Int, step: Int, type: TypeObject) {
        self.start = start; self.stop = stop; self.step = step
        var n = 0
        if step > 0, start < stop {
            n = (stop.subtractingReportingOverflow(start).partialValue &- 1) / step + 1
        } else if step < 0, start > stop {
            n = (start.subtractingReportingOverflow(stop).partialValue &- 1) / (0 &- step) + 1
        }
        length = n
        big = nil
        super.init(kind: .range, type: type)
    }

    init(big: BigRange, type: TypeObject) {
        start = 0; stop = 0; step = 1; length = 0
        self.big = big
        super.init(kind: .range, type: type)
    }

    /// A range from big-int bounds, stored small when everything fits.
    static func make(_ a: BigInt, _ b: BigInt, _ c: BigInt, type: TypeObject) -> RangeObj {
        let r = BigRange(start: a, stop: b, step: c)
        if let s = Int(exactly: a), let e = Int(exactly: b), let st = Int(exactly: c), Int(exactly: r.length) != nil,
           !s.subtractingReportingOverflow(e).overflow, !e.subtractingReportingOverflow(s).overflow {
            return RangeObj(start: s, stop: e, step: st, type: type)
        }
        return RangeObj(big: r, type: type)
    }

    func element(_ i: Int) -> Int { start &+ i &* step }
}

final class SliceObj: Obj {
    let start: Value, stop: Value, step: Value
    init(start: Value, stop: Value, step: Value, type: TypeObject) {
        self.start = start; self.stop = stop; self.step = step
        super.init(kind: .slice, type: type)
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(start); t.mark(stop); t.mark(step)
    }
}

/// The iterators of builtin containers and of native helpers (map, zip, enumerate, ...).
final class IterObj: Obj {
    enum Source {
        case list(ListObj)
        case tuple(TupleObj)
        case str(StrObj)
        case bytes(BytesObj)
        case range(RangeObj)
        /// Keys (0), values (1) or items (2) of a dict; `version` detects a change of size.
        case dict(DictObj, what: Int, version: Int)
        case set(SetObj, version: Int)
        /// A sequence of values computed up front.
        case values([Value])
        /// Computed on demand; `traced` holds values the closure refers to (for the collector).
        case native(next: (Runtime) throws -> Value?, traced: [Value])
        /// `reversed(list)`.
        case reversedList(ListObj)
        /// Finished.
        case exhausted
    }
    var source: Source
    /// Position within the source.
    var index = 0
    init(_ source: Source, type: TypeObject) {
        self.source = source
        super.init(kind: .iterator, type: type)
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        switch source {
        case .list(let o), .reversedList(let o): t.mark(o)
        case .tuple(let o): t.mark(o)
        case .str(let o): t.mark(o)
        case .bytes(let o): t.mark(o)
        case .range(let o): t.mark(o)
        case .dict(let o, _, _): t.mark(o)
        case .set(let o, _): t.mark(o)
        case .values(let vs): t.mark(all: vs)
        case .native(_, let vs): t.mark(all: vs)
        case .exhausted: break
        }
    }
}

/// An instance of a class defined in script code (and of `object()`).
final class InstanceObj: Obj {
    /// Instance attributes.
    /// Instance attributes. (No dynamic exclusivity checks: the dispatch loop's cached reads and
    /// writes are the hot path, and no access to them overlaps another.)
    @exclusivity(unchecked) var attributes: AttributeTable
    init(type: TypeObject) {
        attributes = AttributeTable(root: type.instanceShape)
        super.init(kind: .instance, type: type)
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        for v in attributes.values { t.mark(v) }
    }
}

/// `d.keys()`, `d.values()`, `d.items()`: live views of a dict.
final class DictViewObj: Obj {
    let dict: DictObj
    /// 0 keys, 1 values, 2 items.
    let what: Int
    init(dict: DictObj, what: Int, type: TypeObject) {
        self.dict = dict
        self.what = what
        super.init(kind: .other, type: type)
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(dict)
    }
}
