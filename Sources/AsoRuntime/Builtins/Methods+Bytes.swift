// bytes methods: decode (with CPython's UnicodeDecodeError messages), hex, fromhex, and the
// byte-string versions of find/count/split/join/strip/replace/startswith and the case methods.
//
// One idea: decoding goes through the codecs of ConstructorsCodecs.swift (shared with
// `str(b, encoding)`), so errors read as CPython's.

extension Runtime {
    func installBytesMethods() {
        for t in [types.bytes, types.bytearray] { installBytesMethods(t) }
    }

    /// The methods of `t` (bytes or bytearray): what they make is of the receiver's type.
    private func installBytesMethods(_ t: TypeObject) {
        defineMethod(t, "decode") { rt, me, a in
            let p = try a.parameters(rt, ["encoding", "errors"])
            let encoding = try p[0].map { v -> String in
                guard let s = v.asStr else { throw rt.typeError("decode() argument 'encoding' must be str, not \(rt.typeName(v))") }
                return s.value
            } ?? "utf-8"
            let errors = try p[1].map { v -> String in
                guard let s = v.asStr else { throw rt.typeError("decode() argument 'errors' must be str, not \(rt.typeName(v))") }
                return s.value
            } ?? "strict"
            return rt.newStr(try rt.decodeBytes(me.asBytes?.bytes ?? [], encoding: encoding, errors: errors))
        }
        defineMethod(t, "hex") { rt, me, a in
            try a.positional(rt, 0, 2)
            var sep = ""
            if a.count >= 1 { sep = a[0].asStr?.value ?? "" }
            let hex = (me.asBytes?.bytes ?? []).map { String($0, radix: 16).leftPadded(2) }
            return rt.newStr(hex.joined(separator: sep))
        }
        let fromhex = native("fromhex", owner: "bytes") { rt, args in
            guard args.count == 2, let s = args[1].asStr else {
                throw rt.typeError("fromhex() argument must be str, not \(args.count == 2 ? rt.typeName(args[1]) : "nothing")")
            }
            var out: [UInt8] = []
            var i = 0
            let cs = s.scalars
            while i < cs.count {
                if cs[i] == " " { i += 1; continue }
                guard let hi = hexDigit(cs[i]) else {
                    throw rt.valueError("non-hexadecimal number found in fromhex() arg at position \(i)")
                }
                guard i + 1 < cs.count, let lo = hexDigit(cs[i + 1]) else {
                    throw rt.valueError("non-hexadecimal number found in fromhex() arg at position \(i + 1)")
                }
                out.append(UInt8(hi * 16 + lo))
                i += 2
            }
            // A subclass gets an instance of its own: `cls(b)`, as in CPython.
            if let cls = args[0].asType, cls !== rt.types.bytes { return try rt.call(args[0], [rt.newBytes(out)]) }
            return rt.newBytes(out)
        }
        t.dict["fromhex"] = wrapMethod(types.classmethod, fromhex)
        for (name, upper) in [("upper", true), ("lower", false)] {
            defineMethod(t, name) { rt, me, a in
                try a.none(rt)
                let changed: [UInt8] = (me.asBytes?.bytes ?? []).map { (b: UInt8) -> UInt8 in
                    if upper { return b >= 0x61 && b <= 0x7A ? b - 32 : b }
                    return b >= 0x41 && b <= 0x5A ? b + 32 : b
                }
                return rt.newBytes(changed, like: me)
            }
        }
        for (name, reverse) in [("find", false), ("rfind", true), ("index", false), ("rindex", true)] {
            defineMethod(t, name) { rt, me, a in
                try a.counted(rt, 1, 3)
                let s = me.asBytes?.bytes ?? []
                let p = try rt.bytesNeedle(a[0])
                let (lo, hi) = try rt.adjustIndices(a.count > 1 ? a[1] : nil, a.count > 2 ? a[2] : nil, s.count)
                let r = findSubsequence(s, p, lo, hi, reverse: reverse)
                if r < 0 && name.hasSuffix("index") { throw rt.valueError("subsection not found") }
                return .int(r)
            }
        }
        defineMethod(t, "count") { rt, me, a in
            try a.counted(rt, 1, 3)
            let s = me.asBytes?.bytes ?? []
            let p = try rt.bytesNeedle(a[0])
            let (lo, hi) = try rt.adjustIndices(a.count > 1 ? a[1] : nil, a.count > 2 ? a[2] : nil, s.count)
            if hi - lo < p.count || lo > s.count { return .int(0) }
            if p.isEmpty { return .int(hi - lo + 1) }
            var n = 0, i = lo
            while case let j = findSubsequence(s, p, i, hi, reverse: false), j >= 0 { n += 1; i = j + p.count }
            return .int(n)
        }
        for (name, atStart) in [("startswith", true), ("endswith", false)] {
            defineMethod(t, name) { rt, me, a in
                try a.counted(rt, 1, 3)
                let s = me.asBytes?.bytes ?? []
                let (lo, hi) = try rt.adjustIndices(a.count > 1 ? a[1] : nil, a.count > 2 ? a[2] : nil, s.count)
                let candidates = a[0].asTuple.map { Array($0.items) } ?? [a[0]]
                for c in candidates {
                    guard let p = c.asBytes?.bytes else {
                        throw rt.typeError("\(name) first arg must be bytes or a tuple of bytes, not \(rt.typeName(c))")
                    }
                    if hi - lo < p.count || lo > s.count { continue }
                    if atStart ? s[lo..<(lo + p.count)].elementsEqual(p) : s[(hi - p.count)..<hi].elementsEqual(p) { return .bool(true) }
                }
                return .bool(false)
            }
        }
        defineMethod(t, "split") { rt, me, a in
            let p = try a.parameters(rt, ["sep", "maxsplit"])
            var maxsplit = try p[1].map { try rt.intArgument($0) } ?? -1
            if maxsplit < 0 { maxsplit = Int.max }
            let s = me.asBytes?.bytes ?? []
            var parts: [ArraySlice<UInt8>] = []
            if let sepV = p[0], !sepV.isNone {
                guard let sep = sepV.asBytes?.bytes else { throw rt.typeError("a bytes-like object is required, not '\(rt.typeName(sepV))'") }
                if sep.isEmpty { throw rt.valueError("empty separator") }
                var lo = 0
                while parts.count < maxsplit, case let j = findSubsequence(s, sep, lo, s.count, reverse: false), j >= 0 {
                    parts.append(s[lo..<j]); lo = j + sep.count
                }
                parts.append(s[lo...])
            } else {
                var lo = 0
                while true {
                    while lo < s.count && isByteSpace(s[lo]) { lo += 1 }
                    if lo == s.count { break }
                    if parts.count == maxsplit { parts.append(s[lo...]); break }
                    var hi = lo
                    while hi < s.count && !isByteSpace(s[hi]) { hi += 1 }
                    parts.append(s[lo..<hi]); lo = hi
                }
            }
            return rt.newList(parts.map { rt.newBytes(Array($0), like: me) })
        }
        defineMethod(t, "join") { rt, me, a in
            let items = try rt.iterateToArray(try a.one(rt))
            let sep = me.asBytes?.bytes ?? []
            var out: [UInt8] = []
            for (i, v) in items.enumerated() {
                guard let b = v.asBytes?.bytes else {
                    throw rt.typeError("sequence item \(i): expected a bytes-like object, \(rt.typeName(v)) found")
                }
                if i > 0 { out += sep }
                out += b
            }
            return rt.newBytes(out, like: me)
        }
        for (name, left, right) in [("strip", true, true), ("lstrip", true, false), ("rstrip", false, true)] {
            defineMethod(t, name) { rt, me, a in
                try a.positional(rt, 0, 1)
                let s = me.asBytes?.bytes ?? []
                var chars: [UInt8]? = nil
                if a.count == 1, !a[0].isNone {
                    guard let c = a[0].asBytes?.bytes else { throw rt.typeError("a bytes-like object is required, not '\(rt.typeName(a[0]))'") }
                    chars = c
                }
                let strip: (UInt8) -> Bool = { b in chars.map { $0.contains(b) } ?? isByteSpace(b) }
                var lo = 0, hi = s.count
                if left { while lo < hi && strip(s[lo]) { lo += 1 } }
                if right { while hi > lo && strip(s[hi - 1]) { hi -= 1 } }
                return rt.newBytes(Array(s[lo..<hi]), like: me)
            }
        }
        defineMethod(t, "replace") { rt, me, a in
            try a.positional(rt, 2, 3)
            guard let old = a[0].asBytes?.bytes, let new = a[1].asBytes?.bytes else {
                throw rt.typeError("a bytes-like object is required, not '\(rt.typeName(a[0].asBytes == nil ? a[0] : a[1]))'")
            }
            var limit = a.count == 3 ? try rt.intArgument(a[2]) : -1
            if limit < 0 { limit = Int.max }
            let s = me.asBytes?.bytes ?? []
            let scalars = try rt.replaceScalars(s.map { Unicode.Scalar($0) }, old.map { Unicode.Scalar($0) }, new.map { Unicode.Scalar($0) }, limit)
            return rt.newBytes(scalars.map { UInt8(truncatingIfNeeded: $0.value) }, like: me)
        }
    }

    private func bytesNeedle(_ v: Value) throws -> [UInt8] {
        if let b = v.asBytes { return b.bytes }
        if case .int(let i) = v {
            guard i >= 0 && i < 256 else { throw valueError("byte must be in range(0, 256)") }
            return [UInt8(i)]
        }
        throw typeError("argument should be integer or bytes-like object, not '\(typeName(v))'")
    }

}
func findSubsequence<T: Equatable>(_ s: [T], _ p: [T], _ lo: Int, _ hi: Int, reverse: Bool) -> Int {
    if lo > s.count || hi - lo < p.count { return -1 }
    if p.isEmpty { return reverse ? hi : lo }
    if reverse {
        var i = hi - p.count
        while i >= lo { if s[i..<(i + p.count)].elementsEqual(p) { return i }; i -= 1 }
    } else {
        var i = lo
        while i <= hi - p.count { if s[i..<(i + p.count)].elementsEqual(p) { return i }; i += 1 }
    }
    return -1
}

func isByteSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

func hexDigit(_ c: Unicode.Scalar) -> Int? {
    switch c.value {
    case 0x30...0x39: return Int(c.value - 0x30)
    case 0x41...0x46: return Int(c.value - 0x41 + 10)
    case 0x61...0x66: return Int(c.value - 0x61 + 10)
    default: return nil
    }
}
