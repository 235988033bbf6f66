// `repr()` and `str()` of every builtin value, as CPython prints them.

/// The decimal digits of `n` (what `str(n)` gives), written backwards into a buffer on the
/// stack: a number of up to 15 characters is a Swift small string, with no allocation.
func decimalString(_ n: Int) -> String {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buf -> String in
        guard let base = buf.baseAddress else { return String(n) }
        var m = n.magnitude
        var i = 20
        repeat {
            i &-= 1
            base[i] = UInt8(truncatingIfNeeded: 48 &+ m % 10)
            m /= 10
        } while m > 0
        if n < 0 {
            i &-= 1
            base[i] = 45
        }
        return utf8String(UnsafeBufferPointer(start: base + i, count: 20 &- i))
    }
}

extension Runtime {
    func repr(_ v: Value) throws -> String {
        switch v {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return decimalString(i)
        case .float(let d): return floatRepr(d)
        case .null: return "<NULL>"
        case .object(let u): return try objectRepr(u.takeUnretainedValue())
        }
    }

    func str(_ v: Value) throws -> String {
        switch v {
        case .object(let u):
            let o = u.takeUnretainedValue()
            if o.type.moduleName != nil, let r = try callUserMethod(v, "__str__", []) ?? (o.kind == .instance ? callUserMethod(v, "__repr__", []) : nil) {
                guard let s = r.asStr else { throw typeError("__str__ returned non-string (type \(typeName(r)))") }
                return s.value
            }
            switch o.kind {
            case .str: return unsafeDowncast(o, to: StrObj.self).value
            case .exception: return try exceptionStr(unsafeDowncast(o, to: ExceptionObj.self))
            default: return try objectRepr(o)
            }
        default: return try repr(v)
        }
    }

    /// `str(e)`: empty for no args, the single arg's str, else the args tuple; KeyError uses repr.
    func exceptionStr(_ e: ExceptionObj) throws -> String {
        if e.type.isSubtype(of: exc.baseExceptionGroup), let m = e.attributes["message"]?.asStr,
           let n = e.attributes["exceptions"]?.asTuple?.items.count {
            return "\(m.value) (\(n) sub-exception\(n == 1 ? "" : "s"))"
        }
        if e.type.isSubtype(of: exc.osError), let number = e.attributes["errno"], let strerror = e.attributes["strerror"] {
            // OSError.__str__: "[Errno N] message", with the file name(s) when given.
            let filename = e.attributes["filename"] ?? .none, filename2 = e.attributes["filename2"] ?? .none
            if !filename.isNone {
                let head = "[Errno \(try str(number))] \(try str(strerror)): \(try repr(filename))"
                return filename2.isNone ? head : head + " -> \(try repr(filename2))"
            }
            if !number.isNone && !strerror.isNone { return "[Errno \(try str(number))] \(try str(strerror))" }
        }
        let args = e.args.tupleArray ?? []
        switch args.count {
        case 0: return ""
        case 1: return e.type.isSubtype(of: exc.keyError) ? try repr(args[0]) : try str(args[0])
        default: return try repr(e.args)
        }
    }

    /// `BaseException.__repr__`: the class name and the args.
    func exceptionRepr(_ e: ExceptionObj) throws -> String {
        let args = e.args.tupleArray ?? []
        if args.count == 1 { return "\(e.type.name)(\(try repr(args[0])))" }
        return e.type.name + (try repr(e.args))
    }

    func address(_ o: Obj) -> String {
        "0x" + String(UInt(bitPattern: ObjectIdentifier(o).hashValue), radix: 16).leftPadded(12)
    }

    /// `repr(o)`; `builtin` skips a script subclass's `__repr__` (`list.__repr__(x)`).
    func objectRepr(_ o: Obj, builtin: Bool = false) throws -> String {
        if !builtin, o.type.moduleName != nil, let r = try callUserMethod(Value(o), "__repr__", []) {
            guard let s = r.asStr else { throw typeError("__repr__ returned non-string (type \(typeName(r)))") }
            return s.value
        }
        switch o.kind {
        case .str: return pyStringRepr(unsafeDowncast(o, to: StrObj.self).value)
        case .bigint: return try bigIntString(unsafeDowncast(o, to: BigIntObj.self).value)
        case .bytes:
            let r = bytesRepr(unsafeDowncast(o, to: BytesObj.self).bytes)
            return isBytearray(o) ? "bytearray(\(r))" : r
        case .list:
            return try guarded(o, "[...]") { "[" + (try unsafeDowncast(o, to: ListObj.self).items.array.map { try repr($0) }.joined(separator: ", ")) + "]" }
        case .tuple:
            let items = unsafeDowncast(o, to: TupleObj.self).items
            if items.count == 1 { return try guarded(o, "(...)") { "(" + (try repr(items[0])) + ",)" } }
            return try guarded(o, "(...)") { "(" + (try items.map { try repr($0) }.joined(separator: ", ")) + ")" }
        case .dict:
            let d = unsafeDowncast(o, to: DictObj.self)
            return try guarded(o, "{...}") {
                "{" + (try d.entries.map { try repr($0.key) + ": " + repr($0.value) }.joined(separator: ", ")) + "}"
            }
        case .set, .frozenset:
            let s = unsafeDowncast(o, to: SetObj.self)
            let frozen = o.kind == .frozenset
            // A subclass's objects show its name, as `frozenset(...)` shows the type's.
            let named: String? = o.isNativeSubclass ? o.type.name : (frozen ? "frozenset" : nil)
            if s.count == 0 { return (named ?? "set") + "()" }
            return try guarded(o, named.map { "\($0)(...)" } ?? "{...}") {
                let body = "{" + (try s.liveKeys.map { try repr($0) }.joined(separator: ", ")) + "}"
                return named.map { "\($0)(\(body))" } ?? body
            }
        case .range:
            let r = unsafeDowncast(o, to: RangeObj.self)
            if let b = r.big { return bigRangeRepr(b) }
            return r.step == 1 ? "range(\(r.start), \(r.stop))" : "range(\(r.start), \(r.stop), \(r.step))"
        case .slice:
            let s = unsafeDowncast(o, to: SliceObj.self)
            return "slice(\(try repr(s.start)), \(try repr(s.stop)), \(try repr(s.step)))"
        case .function:
            let f = unsafeDowncast(o, to: FunctionObj.self)
            return "<function \(f.qualifiedName) at \(address(o))>"
        case .native:
            let f = unsafeDowncast(o, to: NativeFunctionObj.self)
            if let owner = f.owner { return "<method '\(f.name)' of '\(owner)' objects>" }
            return "<built-in function \(f.name)>"
        case .boundMethod:
            let m = unsafeDowncast(o, to: BoundMethodObj.self)
            if let f = m.function.asFunction { return "<bound method \(f.qualifiedName) of \(try repr(m.receiver))>" }
            if let f = m.function.asObject(.native, NativeFunctionObj.self) {
                return "<built-in method \(f.name) of \(typeName(m.receiver)) object at \(m.receiver.object.map(address) ?? "0x0")>"
            }
            return "<bound method>"
        case .type:
            let t = unsafeDowncast(o, to: TypeObject.self)
            if let m = t.moduleName ?? t.nativeModuleName { return "<class '\(m).\(t.qualifiedName)'>" }
            return "<class '\(t.name)'>"
        case .module:
            let m = unsafeDowncast(o, to: ModuleObj.self)
            if let f = m.file { return "<module '\(m.name)' from '\(f)'>" }
            return "<module '\(m.name)' (built-in)>"
        case .exception: return try exceptionRepr(unsafeDowncast(o, to: ExceptionObj.self))
        case .cell: return "<cell at \(address(o))>"
        case .code:
            let c = unsafeDowncast(o, to: CodeObj.self)
            return "<code object \(c.code.name) at \(address(o)), file \"\(c.code.filename)\", line \(c.code.firstLine)>"
        case .other:
            if o.hasType(types.dictKeys) || o.hasType(types.dictValues) || o.hasType(types.dictItems) {
                let items = try iterateToArray(Value(o))
                return o.type.name + "([" + (try items.map { try repr($0) }.joined(separator: ", ")) + "])"
            }
            if let f = Value(o).asFuture { return try futureRepr(f) }
            if let h = o as? HandleObj { return try handleRepr(h) }
            return "<\(o.type.name) object at \(address(o))>"
        case .instance:
            if let c = numberCore(Value(o)) { return try repr(c) }
            if o.hasType(types.notImplemented) { return "NotImplemented" }
            if o.hasType(types.ellipsis) { return "Ellipsis" }
            if o.hasType(types.unionType) { return try unionRepr(unsafeDowncast(o, to: InstanceObj.self)) }
            if o.hasType(types.genericAlias) { return try genericAliasRepr(unsafeDowncast(o, to: InstanceObj.self)) }
            if o.hasType(types.eventLoop) { return loopRepr(Value(o)) }
            return "<\(o.type.moduleName.map { $0 + "." } ?? "")\(o.type.qualifiedName) object at \(address(o))>"
        case .iterator:
            return "<\(o.type.name) object at \(address(o))>"
        case .generator:
            return "<\(o.type.name) object \(generatorFunction(o).qualifiedName) at \(address(o))>"
        }
    }

    /// Runs `body` unless `o` is already being printed (a self-reference), counting recursion depth.
    private func guarded(_ o: Obj, _ placeholder: String, _ body: () throws -> String) throws -> String {
        let id = ObjectIdentifier(o)
        if reprInProgress.contains(id) { return placeholder }
        try enterRecursion(" while getting the repr of an object")
        reprInProgress.insert(id)
        defer { reprInProgress.remove(id); depth -= 1 }
        return try body()
    }
}
