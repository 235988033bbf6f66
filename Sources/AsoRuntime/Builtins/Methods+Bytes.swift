// bytes methods: decode (with CPython's UnicodeDecodeError messages), hex, fromhex, and the
// byte-string versions of find/count/split/join/strip/replace/startswith and the case methods.
//
// One idea: UTF-8 decoding validates by hand so an invalid sequence is reported as CPython
// reports it: the *maximal valid prefix* of a bad sequence is the error range ("bytes in
// position 0-1: invalid continuation byte"), and the same range is what 'replace' turns into
// one U+FFFD and 'ignore' drops.

extension Runtime {
    func installBytesMethods() {
        let t = types.bytes
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
            return rt.newBytes(out)
        }
        t.dict["fromhex"] = Value(heap.register(BoundMethodObj(receiver: Value(t), function: fromhex, type: types.method)))
        for (name, upper) in [("upper", true), ("lower", false)] {
            defineMethod(t, name) { rt, me, a in
                try a.none(rt)
                return rt.newBytes((me.asBytes?.bytes ?? []).map { b in
                    upper ? (b >= 0x61 && b <= 0x7A ? b - 32 : b) : (b >= 0x41 && b <= 0x5A ? b + 32 : b)
                })
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
                let candidates = a[0].asTuple?.items ?? [a[0]]
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
            return rt.newList(parts.map { rt.newBytes(Array($0)) })
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
            return rt.newBytes(out)
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
                return rt.newBytes(Array(s[lo..<hi]))
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
            return rt.newBytes(scalars.map { UInt8(truncatingIfNeeded: $0.value) })
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

    /// `bytes.decode`: UTF-8, ASCII and Latin-1 with strict/replace/ignore error handling.
    func decodeBytes(_ b: [UInt8], encoding: String, errors: String) throws -> String {
        let enc = normalizeEncoding(encoding)
        switch enc {
        case "utf-8", "utf8":
            var out = String.UnicodeScalarView()
            var i = 0
            while i < b.count {
                switch utf8Sequence(b, i) {
                case .scalar(let c, let n):
                    out.append(c); i += n
                case .invalid(let n, let reason):
                    switch errors {
                    case "replace": out.append("\u{FFFD}")
                    case "ignore": break
                    default: throw decodeError("utf-8", b, i, i + n, reason)
                    }
                    i += n
                }
            }
            return String(out)
        case "ascii", "latin-1", "latin1", "iso-8859-1", "iso8859-1":
            var out = String.UnicodeScalarView()
            for (i, x) in b.enumerated() {
                if enc == "ascii" && x >= 0x80 {
                    switch errors {
                    case "replace": out.append("\u{FFFD}")
                    case "ignore": break
                    default: throw decodeError("ascii", b, i, i + 1, "ordinal not in range(128)")
                    }
                } else {
                    out.append(Unicode.Scalar(x))
                }
            }
            return String(out)
        default:
            throw error(exc.lookupError, "unknown encoding: \(encoding)")
        }
    }

    private func decodeError(_ enc: String, _ b: [UInt8], _ start: Int, _ end: Int, _ reason: String) -> ScriptError {
        let what = end - start == 1
            ? "byte 0x\(String(b[start], radix: 16).leftPadded(2)) in position \(start)"
            : "bytes in position \(start)-\(end - 1)"
        let e = newException(exc.byName["UnicodeDecodeError"] ?? exc.unicodeError, "'\(enc)' codec can't decode \(what): \(reason)")
        e.attributes["encoding"] = newStr(enc)
        e.attributes["object"] = newBytes(b)
        e.attributes["start"] = .int(start)
        e.attributes["end"] = .int(end)
        e.attributes["reason"] = newStr(reason)
        return ScriptError(exception: e)
    }
}

private enum UTF8Step {
    case scalar(Unicode.Scalar, Int)
    /// `n` bytes (the maximal valid prefix, at least 1) cannot be decoded.
    case invalid(Int, String)
}

private func utf8Sequence(_ b: [UInt8], _ i: Int) -> UTF8Step {
    let b0 = b[i]
    if b0 < 0x80 { return .scalar(Unicode.Scalar(b0), 1) }
    let need: Int
    var lowBound: UInt8 = 0x80, highBound: UInt8 = 0xBF
    switch b0 {
    case 0xC2...0xDF: need = 1
    case 0xE0: need = 2; lowBound = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: need = 2
    case 0xED: need = 2; highBound = 0x9F
    case 0xF0: need = 3; lowBound = 0x90
    case 0xF1...0xF3: need = 3
    case 0xF4: need = 3; highBound = 0x8F
    default: return .invalid(1, "invalid start byte")
    }
    var value = UInt32(b0) & (need == 1 ? 0x1F : need == 2 ? 0x0F : 0x07)
    for k in 1...need {
        guard i + k < b.count else { return .invalid(k, "unexpected end of data") }
        let c = b[i + k]
        let lo = k == 1 ? lowBound : 0x80, hi = k == 1 ? highBound : 0xBF
        guard c >= lo && c <= hi else { return .invalid(k, "invalid continuation byte") }
        value = (value << 6) | UInt32(c & 0x3F)
    }
    guard let s = Unicode.Scalar(value) else { return .invalid(1, "invalid start byte") }
    return .scalar(s, need + 1)
}

/// The position of `p` in `s[lo..<hi]` (first or last), or -1.
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
