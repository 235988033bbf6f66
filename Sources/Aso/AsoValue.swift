// Script values as the host sees them.

import AsoRuntime

/// A value of a script, copied out of its interpreter (or made by the host to pass in).
///
/// `None`, bools, ints, floats, strings, bytes, lists, tuples and dicts are copied item by item;
/// any other object (an instance, a function, a coroutine, a container that contains itself)
/// comes out as a `handle`, which keeps the object alive until it is released. Literals work:
///
/// ```swift
/// let v: AsoValue = ["name": "ada", "scores": [1, 2, 3], "admin": false]
/// let n = try interpreter.call("len", v)          // .int(3)
/// let xs: [Int]? = try interpreter.evaluate("[1, 2]").as([Int].self)
/// ```
public enum AsoValue: Sendable {
    case none
    case bool(Bool)
    case int(Int)
    /// An int beyond 64 bits, as decimal digits (with a leading `-` when negative).
    case bigInt(String)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case list([AsoValue])
    case tuple([AsoValue])
    /// A dict's items in order (keys need not be strings).
    case dict([(key: AsoValue, value: AsoValue)])
    /// Any other object.
    case handle(AsoHandle)

    init(_ h: HostValue) {
        switch h {
        case .none: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .bigInt(let s): self = .bigInt(s)
        case .float(let d): self = .float(d)
        case .string(let s): self = .string(s)
        case .bytes(let b): self = .bytes(b)
        case .list(let xs): self = .list(xs.map(AsoValue.init))
        case .tuple(let xs): self = .tuple(xs.map(AsoValue.init))
        case .dict(let pairs): self = .dict(pairs.map { (key: AsoValue($0.key), value: AsoValue($0.value)) })
        case .handle(let ref): self = .handle(AsoHandle(ref))
        }
    }

    var host: HostValue {
        switch self {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .bigInt(let s): return .bigInt(s)
        case .float(let d): return .float(d)
        case .string(let s): return .string(s)
        case .bytes(let b): return .bytes(b)
        case .list(let xs): return .list(xs.map(\.host))
        case .tuple(let xs): return .tuple(xs.map(\.host))
        case .dict(let pairs): return .dict(pairs.map { (key: $0.key.host, value: $0.value.host) })
        case .handle(let h): return .handle(h.ref)
        }
    }

    // MARK: Reading values

    public var isNone: Bool { if case .none = self { return true }; return false }
    /// A bool, as is.
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    /// An int that fits in `Int` (a bool is not an int here).
    public var intValue: Int? { if case .int(let i) = self { return i }; return nil }
    /// A float, or an int as a `Double`.
    public var doubleValue: Double? {
        switch self {
        case .float(let d): return d
        case .int(let i): return Double(i)
        case .bigInt(let s): return Double(s)
        default: return nil
        }
    }
    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var bytesValue: [UInt8]? { if case .bytes(let b) = self { return b }; return nil }
    /// The items of a list or a tuple.
    public var arrayValue: [AsoValue]? {
        switch self {
        case .list(let xs), .tuple(let xs): return xs
        default: return nil
        }
    }
    /// A dict whose keys are all strings.
    public var dictionaryValue: [String: AsoValue]? {
        guard case .dict(let pairs) = self else { return nil }
        var out: [String: AsoValue] = [:]
        for (k, v) in pairs {
            guard case .string(let s) = k else { return nil }
            out[s] = v
        }
        return out
    }
    public var handleValue: AsoHandle? { if case .handle(let h) = self { return h }; return nil }

    /// The value as a Swift type (nil when it is not one): `try v.as([String: Int].self)`.
    public func `as`<T: AsoConvertible>(_ type: T.Type) -> T? { T(asoValue: self) }

    /// A dict item by string key, or a list or tuple item by index.
    public subscript(key: String) -> AsoValue? {
        guard case .dict(let pairs) = self else { return nil }
        for (k, v) in pairs { if case .string(let s) = k, s == key { return v } }
        return nil
    }
    public subscript(index: Int) -> AsoValue? {
        guard let xs = arrayValue, index >= 0, index < xs.count else { return nil }
        return xs[index]
    }
}

/// An object of a script held by the host: it stays alive in its interpreter until `release()`
/// is called or the last copy of the handle goes away. Pass it back to the same interpreter
/// (as an argument, a global, or to `call`), never to another.
public final class AsoHandle: Sendable, Hashable, CustomStringConvertible {
    let ref: HostObjectRef
    init(_ ref: HostObjectRef) { self.ref = ref }
    /// The object's class name (`function`, `coroutine`, `MyClass`).
    public var typeName: String { ref.typeName }
    /// Lets the object go: the collector may free it, and the handle can no longer be used.
    public func release() { ref.release() }
    public var isReleased: Bool { ref.isReleased }
    public var description: String { "<handle to \(typeName)>" }
    public static func == (a: AsoHandle, b: AsoHandle) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
}

extension AsoValue: Equatable {
    public static func == (a: AsoValue, b: AsoValue) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.bigInt(let x), .bigInt(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bytes(let x), .bytes(let y)): return x == y
        case (.list(let x), .list(let y)), (.tuple(let x), .tuple(let y)): return x == y
        case (.dict(let x), .dict(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.handle(let x), .handle(let y)): return x == y
        default: return false
        }
    }
}

extension AsoValue: CustomStringConvertible {
    /// Close to the script's `repr` (strings in single quotes, `None`, `True`).
    public var description: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .bigInt(let s): return s
        case .float(let d): return String(d)
        case .string(let s): return "'" + s.replacingAll("\\", "\\\\").replacingAll("'", "\\'") + "'"
        case .bytes(let b): return "b'" + b.map { $0 >= 32 && $0 < 127 ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined() + "'"
        case .list(let xs): return "[" + xs.map(\.description).joined(separator: ", ") + "]"
        case .tuple(let xs): return "(" + xs.map(\.description).joined(separator: ", ") + (xs.count == 1 ? ",)" : ")")
        case .dict(let pairs): return "{" + pairs.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .handle(let h): return h.description
        }
    }
}

extension String {
    fileprivate func replacingAll(_ a: Character, _ b: String) -> String {
        var out = ""
        for c in self { if c == a { out += b } else { out.append(c) } }
        return out
    }
}

extension AsoValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(nilLiteral: ()) { self = .none }
    public init(booleanLiteral b: Bool) { self = .bool(b) }
    public init(integerLiteral i: Int) { self = .int(i) }
    public init(floatLiteral d: Double) { self = .float(d) }
    public init(stringLiteral s: String) { self = .string(s) }
    public init(arrayLiteral items: AsoValue...) { self = .list(items) }
    public init(dictionaryLiteral pairs: (AsoValue, AsoValue)...) { self = .dict(pairs.map { (key: $0.0, value: $0.1) }) }
}

/// A Swift type that converts to and from script values: `Bool`, `Int`, `Double`, `String`,
/// `[UInt8]` (as a list of ints), arrays, string-keyed dictionaries and optionals of those.
public protocol AsoConvertible {
    /// nil when the value is not of this type.
    init?(asoValue: AsoValue)
    var asoValue: AsoValue { get }
}

extension AsoValue: AsoConvertible {
    public init?(asoValue: AsoValue) { self = asoValue }
    public var asoValue: AsoValue { self }
}
extension Bool: AsoConvertible {
    public init?(asoValue v: AsoValue) { guard let b = v.boolValue else { return nil }; self = b }
    public var asoValue: AsoValue { .bool(self) }
}
extension Int: AsoConvertible {
    public init?(asoValue v: AsoValue) { guard let i = v.intValue else { return nil }; self = i }
    public var asoValue: AsoValue { .int(self) }
}
extension Double: AsoConvertible {
    public init?(asoValue v: AsoValue) { guard let d = v.doubleValue else { return nil }; self = d }
    public var asoValue: AsoValue { .float(self) }
}
extension String: AsoConvertible {
    public init?(asoValue v: AsoValue) { guard let s = v.stringValue else { return nil }; self = s }
    public var asoValue: AsoValue { .string(self) }
}
extension Array: AsoConvertible where Element: AsoConvertible {
    public init?(asoValue v: AsoValue) {
        guard let xs = v.arrayValue else { return nil }
        var out: [Element] = []
        out.reserveCapacity(xs.count)
        for x in xs {
            guard let e = Element(asoValue: x) else { return nil }
            out.append(e)
        }
        self = out
    }
    public var asoValue: AsoValue { .list(map(\.asoValue)) }
}
extension Dictionary: AsoConvertible where Key == String, Value: AsoConvertible {
    public init?(asoValue v: AsoValue) {
        guard let d = v.dictionaryValue else { return nil }
        var out: [String: Value] = [:]
        for (k, x) in d {
            guard let e = Value(asoValue: x) else { return nil }
            out[k] = e
        }
        self = out
    }
    /// Keys in sorted order (a Swift dictionary has none of its own).
    public var asoValue: AsoValue {
        .dict(keys.sorted().map { (key: AsoValue.string($0), value: self[$0]?.asoValue ?? .none) })
    }
}
extension Optional: AsoConvertible where Wrapped: AsoConvertible {
    public init?(asoValue v: AsoValue) {
        if v.isNone { self = .none; return }
        guard let w = Wrapped(asoValue: v) else { return nil }
        self = .some(w)
    }
    public var asoValue: AsoValue { map(\.asoValue) ?? .none }
}

extension AsoValue {
    /// The value of a Swift type: `AsoValue(3)`, `AsoValue(["a": [1.5]])`.
    public init<T: AsoConvertible>(_ value: T) { self = value.asoValue }
}
