// str methods that search and cut: split, join, strip, replace, find, count, partition, ...
//
// One idea: every method works on the string's code points (`StrObj.scalars`), so indices,
// lengths and slice bounds are Python's code point positions for any text; results are rebuilt
// from scalar slices. Substring search compares scalars, never Swift `Character`s (which would
// merge combining marks and apply canonical equivalence, unlike Python).

typealias Scalars = [Unicode.Scalar]

extension Runtime {
    func installStrMethods() {
        installStrTranslate()
        let t = types.str
        defineMethod(t, "split") { rt, me, a in try rt.strSplit(me, a, fromRight: false) }
        defineMethod(t, "rsplit") { rt, me, a in try rt.strSplit(me, a, fromRight: true) }
        defineMethod(t, "join") { rt, me, a in
            let sep = rt.scalarsOf(me)
            let items = try rt.joinItems(try a.one(rt))
            var out = Scalars()
            for (i, v) in items.enumerated() {
                guard let s = v.asStr else {
                    throw rt.typeError("sequence item \(i): expected str instance, \(rt.typeName(v)) found")
                }
                if i > 0 { out += sep }
                out += s.scalars
                try rt.checkAllocation(out.count, elementSize: 4)
            }
            return rt.newStr(scalarString(out[...]))
        }
        for (name, left, right) in [("strip", true, true), ("lstrip", true, false), ("rstrip", false, true)] {
            defineMethod(t, name) { rt, me, a in
                try a.positional(rt, 0, 1)
                let s = rt.scalarsOf(me)
                var chars: Scalars? = nil
                if a.count == 1, !a[0].isNone {
                    guard let c = a[0].asStr else { throw rt.typeError("\(name) arg must be None or str") }
                    chars = c.scalars
                }
                let keep: (Unicode.Scalar) -> Bool = { c in chars.map { !$0.contains(c) } ?? !isPySpace(c) }
                var lo = 0, hi = s.count
                if left { while lo < hi && !keep(s[lo]) { lo += 1 } }
                if right { while hi > lo && !keep(s[hi - 1]) { hi -= 1 } }
                if lo == 0 && hi == s.count, me.asStr?.type === rt.types.str { return me }
                return rt.newStr(scalarString(s[lo..<hi]))
            }
        }
        defineMethod(t, "replace") { rt, me, a in
            try a.positional(rt, 2, 3)
            let s = rt.scalarsOf(me)
            let old = try rt.strArgument(a[0], "replace() argument 1"), new = try rt.strArgument(a[1], "replace() argument 2")
            var limit = a.count == 3 ? try rt.intArgument(a[2]) : -1
            if limit < 0 { limit = Int.max }
            return rt.newStr(scalarString(try rt.replaceScalars(s, old, new, limit)[...]))
        }
        for (name, atStart) in [("startswith", true), ("endswith", false)] {
            defineMethod(t, name) { rt, me, a in
                try a.counted(rt, 1, 3)
                let s = rt.scalarsOf(me)
                let (lo, hi) = try rt.adjustIndices(a.count > 1 ? a[1] : nil, a.count > 2 ? a[2] : nil, s.count)
                func test(_ p: Scalars) -> Bool {
                    if hi - lo < p.count || lo > s.count { return false }
                    if p.isEmpty { return true }
                    return atStart ? s[lo..<(lo + p.count)].elementsEqual(p) : s[(hi - p.count)..<hi].elementsEqual(p)
                }
                if let tup = a[0].asTuple {
                    for x in tup.items {
                        guard let p = x.asStr else {
                            throw rt.typeError("tuple for \(name) must only contain str, not \(rt.typeName(x))")
                        }
                        if test(p.scalars) { return .bool(true) }
                    }
                    return .bool(false)
                }
                guard let p = a[0].asStr else {
                    throw rt.typeError("\(name) first arg must be str or a tuple of str, not \(rt.typeName(a[0]))")
                }
                return .bool(test(p.scalars))
            }
        }
        for (name, reverse, raises) in [("find", false, false), ("rfind", true, false), ("index", false, true), ("rindex", true, true)] {
            defineMethod(t, name) { rt, me, a in
                try a.counted(rt, 1, 3)
                let s = rt.scalarsOf(me)
                guard let p = a[0].asStr?.scalars else { throw rt.typeError("must be str, not \(rt.typeName(a[0]))") }
                let (lo, hi) = try rt.adjustIndices(a.count > 1 ? a[1] : nil, a.count > 2 ? a[2] : nil, s.count)
                let r = findScalars(s, p, lo, hi, reverse: reverse)
                if r < 0 && raises { throw rt.valueError("substring not found") }
                return .int(r)
            }
        }
        defineMethod(t, "count") { rt, me, a in
            try a.counted(rt, 1, 3)
            let s = rt.scalarsOf(me)
            guard let p = a[0].asStr?.scalars else { throw rt.typeError("must be str, not \(rt.typeName(a[0]))") }
            let (lo, hi) = try rt.adjustIndices(a.count > 1 ? a[1] : nil, a.count > 2 ? a[2] : nil, s.count)
            if hi - lo < p.count || lo > s.count { return .int(0) }
            if p.isEmpty { return .int(hi - lo + 1) }
            var n = 0, i = lo
            while true {
                let j = findScalars(s, p, i, hi, reverse: false)
                if j < 0 { break }
                n += 1
                i = j + p.count
            }
            return .int(n)
        }
        for (name, reverse) in [("partition", false), ("rpartition", true)] {
            defineMethod(t, name) { rt, me, a in
                let sepV = try a.one(rt)
                guard let sep = sepV.asStr?.scalars else { throw rt.typeError("must be str, not \(rt.typeName(sepV))") }
                if sep.isEmpty { throw rt.valueError("empty separator") }
                let s = rt.scalarsOf(me)
                let j = findScalars(s, sep, 0, s.count, reverse: reverse)
                if j < 0 {
                    return reverse ? rt.newTuple([rt.intern(""), rt.intern(""), me]) : rt.newTuple([me, rt.intern(""), rt.intern("")])
                }
                return rt.newTuple([rt.newStr(scalarString(s[..<j])), sepV, rt.newStr(scalarString(s[(j + sep.count)...]))])
            }
        }
        for (name, prefix) in [("removeprefix", true), ("removesuffix", false)] {
            defineMethod(t, name) { rt, me, a in
                let v = try a.one(rt)
                guard let p = v.asStr?.scalars else { throw rt.typeError("\(name)() argument must be str, not \(rt.typeName(v))") }
                let s = rt.scalarsOf(me)
                if p.isEmpty || p.count > s.count { return me }
                if prefix, s[..<p.count].elementsEqual(p) { return rt.newStr(scalarString(s[p.count...])) }
                if !prefix, s[(s.count - p.count)...].elementsEqual(p) { return rt.newStr(scalarString(s[..<(s.count - p.count)])) }
                return me
            }
        }
        defineMethod(t, "splitlines") { rt, me, a in
            let p = try a.parameters(rt, ["keepends"])
            let keep = try p[0].map { try rt.truthy($0) } ?? false
            let s = rt.scalarsOf(me)
            var out: [Value] = []
            var i = 0, start = 0
            while i < s.count {
                let c = s[i]
                if isLineBreak(c) {
                    var eol = i + 1
                    if c == "\r", eol < s.count, s[eol] == "\n" { eol += 1 }
                    out.append(rt.newStr(scalarString(s[start..<(keep ? eol : i)])))
                    start = eol
                    i = eol
                } else {
                    i += 1
                }
            }
            if start < s.count { out.append(rt.newStr(scalarString(s[start...]))) }
            return rt.newList(out)
        }
        defineMethod(t, "encode") { rt, me, a in
            let p = try a.parameters(rt, ["encoding", "errors"])
            var encoding = "utf-8"
            if let e = p[0] {
                guard let s = e.asStr else { throw rt.typeError("encode() argument 'encoding' must be str, not \(rt.typeName(e))") }
                encoding = s.value
            }
            var errors = "strict"
            if let e = p[1] {
                guard let s = e.asStr else { throw rt.typeError("encode() argument 'errors' must be str, not \(rt.typeName(e))") }
                errors = s.value
            }
            return try rt.encodeString(rt.scalarsOf(me), encoding: encoding, errors: errors)
        }
    }

    /// The code points of a str receiver.
    /// The code points of a str (a fresh array: not cached on the string, so it is freed with it).
    func scalarsOf(_ v: Value) -> Scalars { v.asStr.map { Array($0.value.unicodeScalars) } ?? [] }

    /// A str argument, or TypeError `<what> must be str, not int`.
    func strArgument(_ v: Value, _ what: String) throws -> Scalars {
        guard let s = v.asStr else { throw typeError("\(what) must be str, not \(typeName(v))") }
        return s.scalars
    }

    private func joinItems(_ v: Value) throws -> [Value] {
        if !isIterable(v) { throw typeError("can only join an iterable") }
        return try iterateToArray(v)
    }

    /// CPython's ADJUST_INDICES for find/count/startswith: end clamped to the length, negatives
    /// counted from the end; start may stay past the end (then nothing matches).
    func adjustIndices(_ start: Value?, _ end: Value?, _ length: Int) throws -> (Int, Int) {
        func index(_ v: Value?, _ d: Int) throws -> Int {
            guard let v, !v.isNone else { return d }
            guard let i = indexValue(v) else {
                throw typeError("slice indices must be integers or None or have an __index__ method")
            }
            return i
        }
        var lo = try index(start, 0), hi = try index(end, length)
        if hi > length { hi = length } else if hi < 0 { hi = max(0, hi &+ length) }
        if lo < 0 { lo = max(0, lo &+ length) }
        return (lo, hi)
    }

    func replaceScalars(_ s: Scalars, _ old: Scalars, _ new: Scalars, _ limit: Int) throws -> Scalars {
        if limit == 0 { return s }
        var out = Scalars()
        if old.isEmpty {
            let n = min(limit, s.count + 1)
            try checkAllocation(s.count + n * new.count, elementSize: 4)
            out.reserveCapacity(s.count + n * new.count)
            for (i, c) in s.enumerated() {
                if i < n { out += new }
                out.append(c)
            }
            if n > s.count { out += new }
            return out
        }
        var i = 0, done = 0
        while done < limit {
            let j = findScalars(s, old, i, s.count, reverse: false)
            if j < 0 { break }
            out += s[i..<j]
            out += new
            try checkAllocation(out.count, elementSize: 4)
            i = j + old.count
            done += 1
        }
        out += s[i...]
        return out
    }

    private func strSplit(_ me: Value, _ a: MethodArgs, fromRight: Bool) throws -> Value {
        let p = try a.parameters(self, ["sep", "maxsplit"])
        var maxsplit = try p[1].map { try intArgument($0) } ?? -1
        if maxsplit < 0 { maxsplit = Int.max }
        let s = scalarsOf(me)
        var parts: [Scalars.SubSequence] = []
        if let sepV = p[0], !sepV.isNone {
            guard let sep = sepV.asStr?.scalars else { throw typeError("must be str or None, not \(typeName(sepV))") }
            if sep.isEmpty { throw valueError("empty separator") }
            if fromRight {
                var hi = s.count
                while parts.count < maxsplit {
                    let j = findScalars(s, sep, 0, hi, reverse: true)
                    if j < 0 { break }
                    parts.append(s[(j + sep.count)..<hi])
                    hi = j
                }
                parts.append(s[0..<hi])
                parts.reverse()
            } else {
                var lo = 0
                while parts.count < maxsplit {
                    let j = findScalars(s, sep, lo, s.count, reverse: false)
                    if j < 0 { break }
                    parts.append(s[lo..<j])
                    lo = j + sep.count
                }
                parts.append(s[lo...])
            }
        } else if fromRight {
            var hi = s.count
            while true {
                while hi > 0 && isPySpace(s[hi - 1]) { hi -= 1 }
                if hi == 0 { break }
                if parts.count == maxsplit { parts.append(s[0..<hi]); break }
                var lo = hi
                while lo > 0 && !isPySpace(s[lo - 1]) { lo -= 1 }
                parts.append(s[lo..<hi])
                hi = lo
            }
            parts.reverse()
        } else {
            var lo = 0
            while true {
                while lo < s.count && isPySpace(s[lo]) { lo += 1 }
                if lo == s.count { break }
                if parts.count == maxsplit { parts.append(s[lo...]); break }
                var hi = lo
                while hi < s.count && !isPySpace(s[hi]) { hi += 1 }
                parts.append(s[lo..<hi])
                lo = hi
            }
        }
        return newList(parts.map { newStr(scalarString($0)) })
    }
}

/// Builds a string from code points.
func scalarString(_ s: ArraySlice<Unicode.Scalar>) -> String {
    // Two passes: the UTF-8 length, then the bytes written in place (no generic appends of
    // scalars, and the string's storage is exactly its size).
    var size = 0
    for c in s {
        let v = c.value
        size &+= v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4
    }
    if size == 0 { return "" }
    return String(unsafeUninitializedCapacity: size) { out in
        var i = 0
        for c in s {
            let v = c.value
            if v < 0x80 {
                out[i] = UInt8(truncatingIfNeeded: v)
                i &+= 1
            } else if v < 0x800 {
                out[i] = UInt8(truncatingIfNeeded: 0xC0 | (v >> 6))
                out[i &+ 1] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
                i &+= 2
            } else if v < 0x10000 {
                out[i] = UInt8(truncatingIfNeeded: 0xE0 | (v >> 12))
                out[i &+ 1] = UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F))
                out[i &+ 2] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
                i &+= 3
            } else {
                out[i] = UInt8(truncatingIfNeeded: 0xF0 | (v >> 18))
                out[i &+ 1] = UInt8(truncatingIfNeeded: 0x80 | ((v >> 12) & 0x3F))
                out[i &+ 2] = UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F))
                out[i &+ 3] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
                i &+= 4
            }
        }
        return i
    }
}

/// The position of `p` in `s[lo..<hi]` (first or last), or -1.
func findScalars(_ s: Scalars, _ p: Scalars, _ lo: Int, _ hi: Int, reverse: Bool) -> Int {
    if lo > s.count || hi - lo < p.count { return -1 }
    if p.isEmpty { return reverse ? hi : lo }
    let first = p[0], n = p.count
    if reverse {
        var i = hi - n
        while i >= lo {
            if s[i] == first && s[i..<(i + n)].elementsEqual(p) { return i }
            i -= 1
        }
    } else {
        var i = lo
        let last = hi - n
        while i <= last {
            if s[i] == first && s[i..<(i + n)].elementsEqual(p) { return i }
            i += 1
        }
    }
    return -1
}

/// Python's whitespace (`str.isspace`, `str.split()`, `str.strip()`).
func isPySpace(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
    default: return false
    }
}

/// Line boundaries of `str.splitlines`.
func isLineBreak(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029: return true
    default: return false
    }
}
