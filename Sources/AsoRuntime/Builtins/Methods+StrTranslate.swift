// `str.translate` and `str.maketrans`.
//
// One idea: a translation table is any mapping from code points (ints) to a string, a code
// point or None (delete), looked up with `table[ord(c)]`; a code point the table lacks (KeyError
// or IndexError, as CPython allows) stays as it is.

extension Runtime {
    func installStrTranslate() {
        defineMethod(types.str, "translate") { rt, me, a in
            let table = try a.one(rt)
            guard let s = me.asStr else { return me }
            var out = String.UnicodeScalarView()
            var cache: [UInt32: Value?] = [:]
            for c in s.value.unicodeScalars {
                let mapped: Value?
                if let hit = cache[c.value] {
                    mapped = hit
                } else {
                    do {
                        mapped = try rt.getItem(table, .int(Int(c.value)))
                    } catch let e as ScriptError where e.exception.type.isSubtype(of: rt.exc.lookupError) {
                        mapped = nil
                    }
                    cache[c.value] = .some(mapped)
                }
                guard let m = mapped else { out.append(c); continue }
                if m.isNone { continue }
                if let r = m.asStr { out.append(contentsOf: r.value.unicodeScalars); continue }
                if case .int(let i) = m.asPlainInt {
                    guard i >= 0, i <= 0x10FFFF, let u = Unicode.Scalar(UInt32(i)) else {
                        throw rt.valueError("character mapping must be in range(0x110000)")
                    }
                    out.append(u)
                    continue
                }
                throw rt.typeError("character mapping must return integer, None or str")
            }
            return rt.newStr(String(out))
        }
        let maketrans = native("maketrans", owner: "str") { rt, args in
            try rt.noKeywords(args, "maketrans")
            try rt.checkCount(args.count, "maketrans", min: 1, max: 3)
            let d = rt.newDict()
            if args.count == 1 {
                guard let src = args[0].asDict else {
                    throw rt.typeError("if you give only one argument to maketrans it must be a dict")
                }
                for (k, v) in src.entries {
                    if let s = k.asStr {
                        let scalars = Array(s.value.unicodeScalars)
                        guard scalars.count == 1 else {
                            throw rt.valueError("string keys in translate table must be of length 1")
                        }
                        try d.set(.int(Int(scalars[0].value)), v, rt)
                    } else if rt.isIntegral(k) {
                        try d.set(k.asPlainInt, v, rt)
                    } else {
                        throw rt.typeError("keys in translate table must be strings or integers")
                    }
                }
                return Value(d)
            }
            guard let x = args[0].asStr else { throw rt.typeError("maketrans() argument 1 must be str, not \(rt.typeName(args[0]))") }
            guard let y = args[1].asStr else { throw rt.typeError("maketrans() argument 2 must be str, not \(rt.typeName(args[1]))") }
            let xs = Array(x.value.unicodeScalars), ys = Array(y.value.unicodeScalars)
            guard xs.count == ys.count else {
                throw rt.valueError("the first two maketrans arguments must have equal length")
            }
            for (a, b) in zip(xs, ys) { try d.set(.int(Int(a.value)), .int(Int(b.value)), rt) }
            if args.count == 3 {
                guard let z = args[2].asStr else { throw rt.typeError("maketrans() argument 3 must be str, not \(rt.typeName(args[2]))") }
                for c in z.value.unicodeScalars { try d.set(.int(Int(c.value)), .none, rt) }
            }
            return Value(d)
        }
        types.str.dict["maketrans"] = wrapMethod(types.staticmethod, maketrans)
    }
}
