// The operations of ranges whose bounds or length exceed `Int`: length, indexing, slicing,
// membership, iteration and repr, all in big-int arithmetic.

import BigInt

extension Runtime {
    /// `len(r)` for a big range: OverflowError when it does not fit, as CPython says.
    func bigRangeLength(_ b: BigRange) throws -> Int {
        guard let n = Int(exactly: b.length) else { throw overflowError("Python int too large to convert to C ssize_t") }
        return n
    }

    func bigRangeItem(_ r: RangeObj, _ b: BigRange, _ key: Value) throws -> Value {
        if let s = key.asObject(.slice, SliceObj.self) {
            func bound(_ v: Value, _ dflt: BigInt, _ neg: Bool) throws -> BigInt {
                if v.isNone { return dflt }
                guard var i = bigValue(v) else { throw typeError("slice indices must be integers or None or have an __index__ method") }
                if i < 0 { i += b.length; if i < 0 { i = neg ? -1 : 0 } } else if i >= b.length { i = neg ? b.length - 1 : b.length }
                return i
            }
            var step: BigInt = 1
            if !s.step.isNone {
                guard let st = bigValue(s.step) else { throw typeError("slice indices must be integers or None or have an __index__ method") }
                if st.isZero { throw valueError("slice step cannot be zero") }
                step = st
            }
            let neg = step < 0
            let lo = try bound(s.start, neg ? b.length - 1 : 0, neg)
            let hi = try bound(s.stop, neg ? -1 : b.length, neg)
            let start = b.element(lo), stop = b.element(hi)
            return Value(heap.register(RangeObj.make(start, stop, b.step * step, type: types.range)))
        }
        guard var i = bigValue(key) else {
            throw typeError("range indices must be integers or slices, not \(typeName(key))")
        }
        if i < 0 { i += b.length }
        if i < 0 || i >= b.length { throw indexError("range object index out of range") }
        return makeInt(b.element(i))
    }

    func bigRangeContains(_ b: BigRange, _ item: Value) -> Bool {
        guard let i = bigValue(item) else { return false }
        if b.step > 0 { return i >= b.start && i < b.stop && (i - b.start) % b.step == 0 }
        return i <= b.start && i > b.stop && (b.start - i) % (-b.step) == 0
    }

    func bigRangeIterator(_ r: RangeObj, _ b: BigRange, reversed: Bool) -> Value {
        var i: BigInt = reversed ? b.length - 1 : 0
        return newIterator(.native(next: { rt in
            if i < 0 || i >= b.length { return nil }
            let v = rt.makeInt(b.element(i))
            i += reversed ? -1 : 1
            return v
        }, traced: [Value(r)]), type: types.rangeIterator)
    }

    func bigRangeRepr(_ b: BigRange) -> String {
        b.step == 1 ? "range(\(b.start), \(b.stop))" : "range(\(b.start), \(b.stop), \(b.step))"
    }
}
