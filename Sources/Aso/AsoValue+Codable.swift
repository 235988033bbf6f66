// Codable values to and from script values: a struct becomes a dict keyed by its property
// names, an array a list, an optional `None`.

extension AsoValue {
    /// The script value of an `Encodable` value: structs and classes become dicts (keys in the
    /// order they are encoded), arrays lists, `nil` `None`.
    public init<T: Encodable>(encoding value: T) throws {
        let node = EncodingNode()
        try value.encode(to: AsoEncoder(node: node, codingPath: []))
        self = node.value
    }

    /// Decodes a `Decodable` value from this value (a dict for a struct, a list for an array);
    /// throws `DecodingError` when it does not fit.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: AsoDecoder(value: self, codingPath: []))
    }
}

/// What has been encoded at one place.
private final class EncodingNode {
    enum Content {
        case single(AsoValue)
        case keyed([(String, EncodingNode)])
        case unkeyed([EncodingNode])
    }
    var content = Content.single(.none)
    var value: AsoValue {
        switch content {
        case .single(let v): return v
        case .keyed(let pairs): return .dict(pairs.map { (key: .string($0.0), value: $0.1.value) })
        case .unkeyed(let items): return .list(items.map(\.value))
        }
    }
    func child(forKey key: String) -> EncodingNode {
        var pairs: [(String, EncodingNode)] = []
        if case .keyed(let p) = content { pairs = p }
        if let existing = pairs.first(where: { $0.0 == key }) { return existing.1 }
        let n = EncodingNode()
        pairs.append((key, n))
        content = .keyed(pairs)
        return n
    }
    func append() -> EncodingNode {
        var items: [EncodingNode] = []
        if case .unkeyed(let i) = content { items = i }
        let n = EncodingNode()
        items.append(n)
        content = .unkeyed(items)
        return n
    }
    var count: Int { if case .unkeyed(let i) = content { return i.count }; return 0 }
}

private struct AsoEncoder: Encoder {
    let node: EncodingNode
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .keyed = node.content {} else { node.content = .keyed([]) }
        return KeyedEncodingContainer(Keyed<Key>(node: node, codingPath: codingPath))
    }
    func unkeyedContainer() -> UnkeyedEncodingContainer {
        if case .unkeyed = node.content {} else { node.content = .unkeyed([]) }
        return Unkeyed(node: node, codingPath: codingPath)
    }
    func singleValueContainer() -> SingleValueEncodingContainer { Single(node: node, codingPath: codingPath) }

    /// Encodes one value into a node: the plain types directly, the rest through their `encode`.
    static func encode<T: Encodable>(_ value: T, into node: EncodingNode, path: [CodingKey]) throws {
        switch value {
        case let v as AsoValue: node.content = .single(v)
        case let v as String: node.content = .single(.string(v))
        case let v as Bool: node.content = .single(.bool(v))
        case let v as Int: node.content = .single(.int(v))
        case let v as Double: node.content = .single(.float(v))
        case let v as Float: node.content = .single(.float(Double(v)))
        case let v as [UInt8]: node.content = .single(.bytes(v))
        default:
            if let i = value as? any BinaryInteger {
                if let n = Int(exactly: i) { node.content = .single(.int(n)) } else { node.content = .single(.bigInt("\(i)")) }
                return
            }
            try value.encode(to: AsoEncoder(node: node, codingPath: path))
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: EncodingNode
        let codingPath: [CodingKey]
        mutating func encodeNil(forKey key: Key) throws { node.child(forKey: key.stringValue).content = .single(.none) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try AsoEncoder.encode(value, into: node.child(forKey: key.stringValue), path: codingPath + [key])
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            AsoEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
            AsoEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }
        mutating func superEncoder() -> Encoder { AsoEncoder(node: node.child(forKey: "super"), codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> Encoder {
            AsoEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: EncodingNode
        let codingPath: [CodingKey]
        var count: Int { node.count }
        mutating func encodeNil() throws { node.append().content = .single(.none) }
        mutating func encode<T: Encodable>(_ value: T) throws { try AsoEncoder.encode(value, into: node.append(), path: codingPath) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            AsoEncoder(node: node.append(), codingPath: codingPath).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
            AsoEncoder(node: node.append(), codingPath: codingPath).unkeyedContainer()
        }
        mutating func superEncoder() -> Encoder { AsoEncoder(node: node.append(), codingPath: codingPath) }
    }

    struct Single: SingleValueEncodingContainer {
        let node: EncodingNode
        let codingPath: [CodingKey]
        mutating func encodeNil() throws { node.content = .single(.none) }
        mutating func encode<T: Encodable>(_ value: T) throws { try AsoEncoder.encode(value, into: node, path: codingPath) }
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

private struct AsoDecoder: Decoder {
    let value: AsoValue
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func mismatch(_ what: String) -> DecodingError {
        .typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "expected \(what), found \(value)"))
    }
    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .dict(let pairs) = value else { throw mismatch("a dict") }
        var items: [String: AsoValue] = [:]
        for (k, v) in pairs { if case .string(let s) = k { items[s] = v } }
        return KeyedDecodingContainer(Keyed<Key>(items: items, codingPath: codingPath))
    }
    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard let items = value.arrayValue else { throw mismatch("a list") }
        return Unkeyed(items: items, codingPath: codingPath)
    }
    func singleValueContainer() throws -> SingleValueDecodingContainer { Single(value: value, codingPath: codingPath) }

    static func decode<T: Decodable>(_ type: T.Type, from value: AsoValue, path: [CodingKey]) throws -> T {
        let d = AsoDecoder(value: value, codingPath: path)
        func fail() -> DecodingError { d.mismatch("\(T.self)") }
        if T.self == AsoValue.self, let v = value as? T { return v }
        if T.self == String.self { guard let s = value.stringValue as? T else { throw fail() }; return s }
        if T.self == Bool.self { guard let b = value.boolValue as? T else { throw fail() }; return b }
        if T.self == Double.self { guard let x = value.doubleValue as? T else { throw fail() }; return x }
        if T.self == Float.self { guard let x = value.doubleValue.map(Float.init) as? T else { throw fail() }; return x }
        if T.self == [UInt8].self, case .bytes(let b) = value, let r = b as? T { return r }
        if let integer = T.self as? any BinaryInteger.Type {
            let n: (any BinaryInteger)?
            switch value {
            case .int(let i): n = integer.init(exactly: i)
            case .bigInt(let s): n = (integer as? any LosslessStringConvertible.Type)?.init(s) as? any BinaryInteger
            default: n = nil
            }
            guard let r = n as? T else { throw fail() }
            return r
        }
        return try T(from: d)
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let items: [String: AsoValue]
        let codingPath: [CodingKey]
        var allKeys: [Key] { items.keys.compactMap { Key(stringValue: $0) } }
        func contains(_ key: Key) -> Bool { items[key.stringValue] != nil }
        func item(_ key: Key) throws -> AsoValue {
            guard let v = items[key.stringValue] else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no key '\(key.stringValue)'"))
            }
            return v
        }
        func decodeNil(forKey key: Key) throws -> Bool { (items[key.stringValue] ?? .none).isNone }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try AsoDecoder.decode(type, from: try item(key), path: codingPath + [key])
        }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try AsoDecoder(value: try item(key), codingPath: codingPath + [key]).container(keyedBy: type)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
            try AsoDecoder(value: try item(key), codingPath: codingPath + [key]).unkeyedContainer()
        }
        func superDecoder() throws -> Decoder { AsoDecoder(value: items["super"] ?? .none, codingPath: codingPath) }
        func superDecoder(forKey key: Key) throws -> Decoder { AsoDecoder(value: try item(key), codingPath: codingPath + [key]) }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let items: [AsoValue]
        let codingPath: [CodingKey]
        var currentIndex = 0
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }
        mutating func next() throws -> AsoValue {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(AsoValue.self, .init(codingPath: codingPath, debugDescription: "the list has no more items"))
            }
            defer { currentIndex += 1 }
            return items[currentIndex]
        }
        mutating func decodeNil() throws -> Bool {
            if !isAtEnd, items[currentIndex].isNone {
                currentIndex += 1
                return true
            }
            return false
        }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let path = codingPath + [AnyKey(intValue: currentIndex)]
            return try AsoDecoder.decode(type, from: try next(), path: path)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try AsoDecoder(value: try next(), codingPath: codingPath).container(keyedBy: type)
        }
        mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
            try AsoDecoder(value: try next(), codingPath: codingPath).unkeyedContainer()
        }
        mutating func superDecoder() throws -> Decoder { AsoDecoder(value: try next(), codingPath: codingPath) }
    }

    struct Single: SingleValueDecodingContainer {
        let value: AsoValue
        let codingPath: [CodingKey]
        func decodeNil() -> Bool { value.isNone }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try AsoDecoder.decode(type, from: value, path: codingPath) }
    }
}
