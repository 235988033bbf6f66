// The builtins module: installs builtin functions, types and exception classes.

extension Runtime {
    func installBuiltins() {
        for t in types.all { builtins.set(t.name, Value(t)) }
        for t in exc.ordered { builtins.set(t.name, Value(t)) }
        builtins.set("None", .none)
        builtins.set("NotImplemented", notImplemented)
        builtins.set("Ellipsis", ellipsis)
        builtins.set("__name__", newStr("builtins"))
        installCoreBuiltins()
    }

    private func installCoreBuiltins() {
        builtins.set("print", native("print") { rt, args in
            var sep = " ", end = "\n"
            if let s = args.keyword("sep"), !s.isNone { sep = try rt.str(s) }
            if let e = args.keyword("end"), !e.isNone { end = try rt.str(e) }
            var out = ""
            for i in 0..<args.count {
                if i > 0 { out += sep }
                out += try rt.str(args[i])
            }
            rt.writeOut(out + end)
            return .none
        })
        builtins.set("len", native("len") { rt, args in
            guard args.count == 1 else { throw rt.typeError("len() takes exactly one argument (\(args.count) given)") }
            return .int(try rt.length(args[0]))
        })
        builtins.set("repr", native("repr") { rt, args in rt.newStr(try rt.repr(args[0])) })
        types.range.construct = { rt, args in
            var ints: [Int] = []
            for i in 1..<args.count {
                guard let v = rt.indexValue(args[i]) else {
                    throw rt.typeError("'\(rt.typeName(args[i]))' object cannot be interpreted as an integer")
                }
                ints.append(v)
            }
            switch ints.count {
            case 1: return Value(rt.heap.register(RangeObj(start: 0, stop: ints[0], step: 1, type: rt.types.range)))
            case 2: return Value(rt.heap.register(RangeObj(start: ints[0], stop: ints[1], step: 1, type: rt.types.range)))
            case 3:
                if ints[2] == 0 { throw rt.valueError("range() arg 3 must not be zero") }
                return Value(rt.heap.register(RangeObj(start: ints[0], stop: ints[1], step: ints[2], type: rt.types.range)))
            default:
                throw rt.typeError(ints.isEmpty ? "range expected at least 1 argument, got 0" : "range expected at most 3 arguments, got \(ints.count)")
            }
        }
        types.str.construct = { rt, args in
            if args.count == 1 { return rt.newStr("") }
            return rt.newStr(try rt.str(args[1]))
        }
        for t in exc.ordered {
            t.construct = { rt, args in
                guard let cls = args[0].asType else { return .none }
                return Value(rt.heap.register(ExceptionObj(type: cls, args: rt.newTuple(Array(args.positional.dropFirst())))))
            }
        }
    }

    /// `len(v)`.
    func length(_ v: Value) throws -> Int {
        if case .object(let u) = v {
            let o = u.takeUnretainedValue()
            switch o.kind {
            case .str: return unsafeDowncast(o, to: StrObj.self).count
            case .list: return unsafeDowncast(o, to: ListObj.self).items.count
            case .tuple: return unsafeDowncast(o, to: TupleObj.self).items.count
            case .dict: return unsafeDowncast(o, to: DictObj.self).count
            case .set, .frozenset: return unsafeDowncast(o, to: SetObj.self).count
            case .bytes: return unsafeDowncast(o, to: BytesObj.self).bytes.count
            case .range: return unsafeDowncast(o, to: RangeObj.self).length
            case .other: if let d = o as? DictViewObj { return d.dict.count }
            default: break
            }
        }
        throw typeError("object of type '\(typeName(v))' has no len()")
    }
}
