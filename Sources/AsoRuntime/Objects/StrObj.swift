// Strings: Python's `str`, indexed and measured by code point.
//
// One idea: the text is a Swift `String` (UTF-8 inside); ASCII strings, the common case, index in
// O(1) through their UTF-8 bytes, and other strings build an array of scalars the first time they
// are indexed. The hash is computed once and cached.

class StrObj: Obj {
    /// The text. Immutable while the string lives. (A constant: read for a call the optimizer
    /// cannot see, a variable's text is retained and released around the call: sort_records paid
    /// 6 % in retains for it. A dead string kept in the heap's pool gets its next text written in
    /// place instead, through `Text.offset`, when nothing refers to it.)
    final let value: String
    /// Cached hash (valid when `hashComputed`).
    final var cachedHash = 0

    // Two flags live in `Obj.flags`, and the length in the spare word `Obj.aux32`, so a string is
    // 56 bytes: header, text and hash.
    private static let asciiFlag: UInt8 = 1, hashFlag: UInt8 = 2

    /// Number of code points (Python's `len`), kept in `aux32`; a string of 2^31 code points or
    /// more (-1 there) counts them again each time.
    @inline(__always) final var count: Int {
        let c = aux32
        return c >= 0 ? Int(c) : longCount
    }
    @inline(never) private final var longCount: Int { isASCII ? value.utf8.count : value.unicodeScalars.count }

    /// True when every scalar is ASCII (then byte offsets are code point offsets).
    @inline(__always) final var isASCII: Bool { flags & StrObj.asciiFlag != 0 }
    /// Whether `cachedHash` holds the hash.
    final var hashComputed: Bool {
        @inline(__always) get { flags & StrObj.hashFlag != 0 }
        @inline(__always) set { flags = newValue ? flags | StrObj.hashFlag : flags & ~StrObj.hashFlag }
    }

    /// A string of `count` code points; ASCII when `ascii`. Use `make` unless both are known.
    fileprivate init(_ value: String, count: Int, ascii: Bool, type: __shared TypeObject) {
        self.value = value
        super.init(kind: .str, type: type)
        setMeasured(count: count, ascii: ascii)
    }

    /// Records the length in code points and whether the text is all ASCII (hash not computed).
    @inline(__always) final func setMeasured(count: Int, ascii: Bool) {
        aux32 = count <= Int(Int32.max) ? Int32(truncatingIfNeeded: count) : -1
        flags = ascii ? StrObj.asciiFlag : 0
    }

    /// A string object for `value`: measured, and a `WideStrObj` when it is not all ASCII.
    static func make(_ value: __owned String, type: TypeObject) -> StrObj {
        let measured = StrObj.measured(value)
        if measured.ascii { return StrObj(value, count: measured.count, ascii: true, type: type) }
        return WideStrObj(value, count: measured.count, ascii: false, type: type)
    }

    /// Whether `value` is all ASCII, and how many code points it holds.
    @inline(__always) static func measured(_ value: String) -> (ascii: Bool, count: Int) {
        value.utf8.withContiguousStorageIfAvailable(StrObj.measure)
            ?? StrObj.measure(UnsafeBufferPointer(start: nil, count: 0), slow: value)
    }

    /// A string whose length in code points and ASCII-ness the caller knows (`x + y` from its
    /// operands'): not measured again.
    static func make(_ value: __owned String, count: Int, ascii: Bool, type: TypeObject) -> StrObj {
        ascii ? StrObj(value, count: count, ascii: true, type: type) : WideStrObj(value, count: count, ascii: false, type: type)
    }

    override var estimatedSize: Int { estimatedBytes }
    /// `estimatedSize` without dynamic dispatch (the sweep reads it for every live string).
    @inline(__always) final var estimatedBytes: Int { 56 &+ value.utf8.count }

    /// Whether UTF-8 bytes are all ASCII, and how many code points they hold.
    /// (Eight bytes at a time: a continuation byte is one whose top bit is set and next bit clear.)
    private static func measure(_ buf: UnsafeBufferPointer<UInt8>) -> (ascii: Bool, count: Int) {
        let n = buf.count
        guard let base = buf.baseAddress else { return (true, 0) }
        let raw = UnsafeRawPointer(base)
        let tops: UInt64 = 0x8080_8080_8080_8080
        var continuation = 0
        var high: UInt64 = 0
        var i = 0
        while i &+ 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            high |= w
            continuation &+= (w & ~(w &<< 1) & tops).nonzeroBitCount
            i &+= 8
        }
        while i < n {
            let b = base[i]
            high |= UInt64(b)
            continuation &+= (b & 0xC0 == 0x80) ? 1 : 0
            i &+= 1
        }
        return (high & tops == 0, n - continuation)
    }

    private static func measure(_ buf: UnsafeBufferPointer<UInt8>, slow: String) -> (ascii: Bool, count: Int) {
        var bytes = Array(slow.utf8)
        return bytes.withUnsafeMutableBufferPointer { measure(UnsafeBufferPointer($0)) }
    }

    /// The code points, as an array (kept by non-ASCII strings once built; an ASCII string maps its
    /// bytes again, which costs no more than the caller's own pass over them).
    final var scalars: [Unicode.Scalar] {
        if isASCII { return value.utf8.map { Unicode.Scalar($0) } }
        return unsafeDowncast(self, to: WideStrObj.self).wideScalars
    }

    /// The code point at `i` (0 <= i < count) as a one-character string.
    final func character(at i: Int) -> String {
        if isASCII {
            return value.utf8.withContiguousStorageIfAvailable { buf in
                utf8String(UnsafeBufferPointer(rebasing: buf[i..<(i + 1)]))
            } ?? String(scalars[i])
        }
        return String(scalars[i])
    }

    /// The code points from `start` to `end` (clamped, start <= end) as a string.
    final func substring(_ start: Int, _ end: Int) -> String {
        if start >= end { return "" }
        if isASCII {
            return value.utf8.withContiguousStorageIfAvailable { buf in
                utf8String(UnsafeBufferPointer(rebasing: buf[start..<end]))
            } ?? String(String.UnicodeScalarView(scalars[start..<end]))
        }
        var v = String.UnicodeScalarView()
        v.append(contentsOf: scalars[start..<end])
        return String(v)
    }
}

extension StrObj {
    /// Rewriting the text of a dead `StrObj` (the exact class) from the heap's pool, in place.
    /// `value` is a constant to the compiler, which is what keeps reads of it free of reference
    /// counting; a pooled string is unreachable, so no code holds it or a copy of its text while
    /// it is rewritten, and its next life starts with the new text, as a new object would.
    struct Text {
        /// The byte offset of `value` in a `StrObj`, found by looking for a known text in a probe
        /// object and checked by rewriting it; nil (no pooling of strings) if the layout is
        /// not the expected one.
        let offset: Int

        init?(type: TypeObject) {
            // A small string: its 16 bytes are the text itself, stored in the object.
            let marker = "\u{1}aso\u{2}text\u{3}"
            let probe = StrObj(marker, count: 10, ascii: true, type: type)
            let bits = unsafeBitCast(marker, to: (UInt64, UInt64).self)
            let base = UnsafeRawPointer(Unmanaged.passUnretained(probe).toOpaque())
            // (No further than the object's 56 bytes: Obj's header and fields, 32, then the text,
            // 16, and the hash, 8.)
            guard let offset = stride(from: 16, through: 56 - 16, by: 8).first(where: {
                base.load(fromByteOffset: $0, as: UInt64.self) == bits.0 && base.load(fromByteOffset: $0 &+ 8, as: UInt64.self) == bits.1
            }) else { return nil }
            self.offset = offset
            // Checked: the object reads back a text written in place (a large one, so that its
            // storage is released when the probe dies).
            let check = String(repeating: "x", count: 40)
            replace(probe, with: check)
            guard probe.value == check else { return nil }
            withExtendedLifetime(probe) {}
        }

        /// Replaces the text of `o` (a dead string, or the probe) by `text`, releasing the old one.
        @inline(__always) func replace(_ o: StrObj, with text: __owned String) {
            slot(o).pointee = text
        }

        /// Writes `text` over the empty text of a pooled string (`replace(_:with: "")` emptied it;
        /// an empty string owns no storage, so there is nothing to release).
        @inline(__always) func fill(_ o: StrObj, with text: __owned String) {
            slot(o).initialize(to: text)
        }

        /// Where `o` keeps its text.
        @inline(__always) private func slot(_ o: StrObj) -> UnsafeMutablePointer<String> {
            (UnsafeMutableRawPointer(Unmanaged.passUnretained(o).toOpaque()) + offset).assumingMemoryBound(to: String.self)
        }
    }
}

/// A string with non-ASCII text: it keeps its code points once they are first needed, so indexing
/// it in a loop is O(1) per index.
class WideStrObj: StrObj {
    private final var scalarCache: [Unicode.Scalar]?

    final var wideScalars: [Unicode.Scalar] {
        if let c = scalarCache { return c }
        let c = Array(value.unicodeScalars)
        scalarCache = c
        return c
    }

    override var estimatedSize: Int { estimatedBytes &+ 16 }
}

/// An instance of a script subclass of `str`: the text, and the instance's own attributes.
/// (A `WideStrObj`, so that its code points can be kept whether or not it is ASCII.)
final class StrSubObj: WideStrObj, NativeSubclassInstance {
    @exclusivity(unchecked) var attributes: AttributeTable

    init(_ value: String, type: __shared TypeObject) {
        let plain = StrObj.make(value, type: type)
        attributes = AttributeTable(root: type.instanceShape)
        super.init(value, count: plain.count, ascii: plain.isASCII, type: type)
        flags |= Obj.subclassFlag
    }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        for v in attributes.buffer { t.mark(v) }
    }
}
