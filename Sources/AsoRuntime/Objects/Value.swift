// The script value: a trivially copyable (POD) enum.
//
// One idea: copying a `Value` never retains or releases. Small things (None, bools, ints that fit
// in 64 bits, floats) are stored inline; everything else is an *unmanaged* reference to an object
// that the interpreter's heap owns and its tracing collector frees. An inline int that overflows is
// promoted to a heap big int, so scripts see Python's arbitrary-precision ints.

enum Value {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case object(Unmanaged<Obj>)
    /// The internal "no value" marker: an unbound local, an empty cell, no `self` in a call.
    /// Never visible to scripts.
    case null

    @inline(__always) init(_ o: Obj) { self = .object(Unmanaged.passUnretained(o)) }

    @inline(__always) var isNull: Bool { if case .null = self { return true }; return false }
    @inline(__always) var isNone: Bool { if case .none = self { return true }; return false }
    /// Whether the value refers to a heap object (what a write barrier must see).
    @inline(__always) var isObject: Bool { if case .object = self { return true }; return false }

    /// The object this value refers to, or nil for inline values.
    @inline(__always) var object: Obj? {
        if case .object(let u) = self { return u.takeUnretainedValue() }
        return nil
    }

    /// The object as a given subclass, if it is one (checked by `kind`, not by a dynamic cast).
    /// (The kind is read without retaining the object: a miss costs no reference counting.)
    @inline(__always) func asObject<T: Obj>(_ kind: ObjKind, _: T.Type) -> T? {
        if case .object(let u) = self, u._withUnsafeGuaranteedRef({ $0.kind == kind }) {
            return unsafeDowncast(u.takeUnretainedValue(), to: T.self)
        }
        return nil
    }

    /// Runs `body` with the object as a given subclass, without retaining it, when it is one
    /// (checked by `kind`); nil otherwise. (The value's owner keeps the object alive.)
    @inline(__always) func withObject<T: Obj, R>(_ kind: ObjKind, _: T.Type, _ body: (T) throws -> R) rethrows -> R? {
        guard case .object(let u) = self, u._withUnsafeGuaranteedRef({ $0.kind == kind }) else { return nil }
        return try Unmanaged<T>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef(body)
    }

    @inline(__always) var asStr: StrObj? { asObject(.str, StrObj.self) }

    /// Runs `body` with the string this value holds, without retaining it; nil for other values.
    /// (The value must be kept alive by its owner for the duration, as stack slots and locals are.)
    @inline(__always) func withStr<R>(_ body: (StrObj) throws -> R) rethrows -> R? {
        guard case .object(let u) = self else { return nil }
        return try u._withUnsafeGuaranteedRef { o -> R? in
            guard o.kind == .str else { return nil }
            return try body(unsafeDowncast(o, to: StrObj.self))
        }
    }
    @inline(__always) var asList: ListObj? { asObject(.list, ListObj.self) }
    @inline(__always) var asTuple: TupleObj? { asObject(.tuple, TupleObj.self) }
    /// A list's elements copied into an array (for code off the hot paths that wants one).
    var listArray: [Value]? { asList.map { $0.items.array } }
    /// A tuple's elements copied into an array (for code off the hot paths that wants one).
    var tupleArray: [Value]? { asTuple.map { Array($0.items) } }
    @inline(__always) var asDict: DictObj? { asObject(.dict, DictObj.self) }
    var asSet: SetObj? {
        if case .object(let u) = self, u._withUnsafeGuaranteedRef({ $0.kind == .set || $0.kind == .frozenset }) {
            return unsafeDowncast(u.takeUnretainedValue(), to: SetObj.self)
        }
        return nil
    }
    @inline(__always) var asBigInt: BigIntObj? { asObject(.bigint, BigIntObj.self) }
    @inline(__always) var asType: TypeObject? { asObject(.type, TypeObject.self) }
    @inline(__always) var asFunction: FunctionObj? { asObject(.function, FunctionObj.self) }
    @inline(__always) var asException: ExceptionObj? { asObject(.exception, ExceptionObj.self) }
    @inline(__always) var asModule: ModuleObj? { asObject(.module, ModuleObj.self) }
    @inline(__always) var asBytes: BytesObj? { asObject(.bytes, BytesObj.self) }

    /// Identity, as Python's `is`.
    @inline(__always) func isIdentical(to other: Value) -> Bool {
        switch (self, other) {
        case (.none, .none), (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        // Small ints are interned in CPython too; equal inline ints are "the same object".
        case let (.int(a), .int(b)): return a == b
        case let (.float(a), .float(b)): return a.bitPattern == b.bitPattern
        case let (.object(a), .object(b)): return a.toOpaque() == b.toOpaque()
        default: return false
        }
    }
}
