// `range` objects and slices: integer sequences given by start, stop and step.
//
// One idea: a range keeps its bounds and length as `Int`s when they fit, which is nearly always,
// and as big ints (`BigRange`) only when they do not; a slice keeps its three values as given
// (any values: `x[a:b]` resolves them against a length when it is used).

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

    init(start: Int, stop: Int, step: Int, type: __shared TypeObject) {
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

    init(big: BigRange, type: __shared TypeObject) {
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
    init(start: Value, stop: Value, step: Value, type: __shared TypeObject) {
        self.start = start; self.stop = stop; self.step = step
        super.init(kind: .slice, type: type)
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(start); t.mark(stop); t.mark(step)
    }
}
