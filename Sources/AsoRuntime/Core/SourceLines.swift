// The text of a loaded source file, kept for the lines tracebacks quote.
//
// One idea: the file is split into lines by bytes, once, when it is loaded (a scan for newlines,
// no decoding); a line is decoded only when a traceback quotes it.

struct SourceLines {
    private let bytes: [UInt8]
    /// The offset where each line starts; the last line ends at the end of the bytes.
    private let starts: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        bytes.withUnsafeBufferPointer { buffer in
            for (i, b) in buffer.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        }
        self.starts = starts
    }

    var count: Int { starts.count }

    /// Line `n` (1-based) without its line end ("\n", "\r\n"), or nil when out of range.
    func line(_ n: Int) -> String? {
        guard n >= 1, n <= starts.count else { return nil }
        let start = starts[n - 1]
        var end = n < starts.count ? starts[n] - 1 : bytes.count
        while end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
