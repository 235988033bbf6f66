// Strings: Python's `str`, indexed and measured by code point.
//
// One idea: the text is a Swift `String` (UTF-8 inside); ASCII strings, the common case, index in
// O(1) through their UTF-8 bytes, and other strings build an array of scalars the first time they
// are indexed. The hash is computed once and cached.

final class StrObj: Obj {
    /// The text. Immutable.
    let value: String
    /// True when every scalar is ASCII (then byte offsets are code point offsets).
    let isASCII: Bool
    /// Number of code points (Python's `len`).
    let count: Int
    /// The scalars, built on first non-ASCII indexing.
    private var scalarCache: [Unicode.Scalar]?
    /// Cached hash (valid when `hashComputed`).
    var cachedHash = 0
    var hashComputed = false

    init(_ value: String, type: TypeObject) {
        self.value = value
        let measured = value.utf8.withContiguousStorageIfAvailable(StrObj.measure)
            ?? StrObj.measure(UnsafeBufferPointer(start: nil, count: 0), slow: value)
        self.isASCII = measured.ascii
        self.count = measured.count
        super.init(kind: .str, type: type)
    }

    override var estimatedSize: Int { estimatedBytes }
    /// `estimatedSize` without dynamic dispatch (the sweep reads it for every live string).
    @inline(__always) var estimatedBytes: Int { 64 &+ value.utf8.count }

    /// Whether UTF-8 bytes are all ASCII, and how many code points they hold.
    private static func measure(_ buf: UnsafeBufferPointer<UInt8>) -> (ascii: Bool, count: Int) {
        var continuation = 0
        var high: UInt8 = 0
        for b in buf {
            high |= b
            continuation &+= (b & 0xC0 == 0x80) ? 1 : 0
        }
        return (high < 0x80, buf.count - continuation)
    }

    private static func measure(_ buf: UnsafeBufferPointer<UInt8>, slow: String) -> (ascii: Bool, count: Int) {
        var bytes = Array(slow.utf8)
        return bytes.withUnsafeMutableBufferPointer { measure(UnsafeBufferPointer($0)) }
    }

    /// The code points, as an array (built once for non-ASCII strings).
    var scalars: [Unicode.Scalar] {
        if let c = scalarCache { return c }
        let c = Array(value.unicodeScalars)
        scalarCache = c
        return c
    }

    /// The code point at `i` (0 <= i < count) as a one-character string.
    func character(at i: Int) -> String {
        if isASCII {
            return value.utf8.withContiguousStorageIfAvailable { buf in
                String(decoding: UnsafeBufferPointer(rebasing: buf[i..<(i + 1)]), as: UTF8.self)
            } ?? String(scalars[i])
        }
        return String(scalars[i])
    }

    /// The code points from `start` to `end` (clamped, start <= end) as a string.
    func substring(_ start: Int, _ end: Int) -> String {
        if start >= end { return "" }
        if isASCII {
            return value.utf8.withContiguousStorageIfAvailable { buf in
                String(decoding: UnsafeBufferPointer(rebasing: buf[start..<end]), as: UTF8.self)
            } ?? String(String.UnicodeScalarView(scalars[start..<end]))
        }
        var v = String.UnicodeScalarView()
        v.append(contentsOf: scalars[start..<end])
        return String(v)
    }
}
