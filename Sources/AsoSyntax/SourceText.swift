// Source text as Unicode scalars with a line index: decoding from bytes and fetching lines for errors.
//
// One idea: everything after decoding works on `[Unicode.Scalar]`, so a column is an array offset
// from the line start, and a 10 MB line costs one linear pass. Decoding checks what CPython checks
// when it reads a file: valid UTF-8 and no NUL bytes.

/// A decoded source file: its scalars and where each line starts.
struct SourceText: Sendable {
    /// The source with `\r\n` and lone `\r` turned into `\n`.
    var scalars: [Unicode.Scalar]
    /// `lineStarts[n - 1]` is the index in `scalars` where line `n` starts.
    var lineStarts: [Int]

    init(scalars: [Unicode.Scalar]) {
        var s: [Unicode.Scalar] = []
        s.reserveCapacity(scalars.count)
        var starts = [0]
        var i = 0
        while i < scalars.count {
            var c = scalars[i]
            if c == "\r" {
                c = "\n"
                if i + 1 < scalars.count && scalars[i + 1] == "\n" { i += 1 }
            }
            s.append(c)
            if c == "\n" { starts.append(s.count) }
            i += 1
        }
        self.scalars = s
        self.lineStarts = starts
    }

    /// The text of line `n` (1-based) without its terminator; empty when out of range.
    func line(_ n: Int) -> String {
        guard n >= 1 && n <= lineStarts.count else { return "" }
        let start = lineStarts[n - 1]
        var end = start
        while end < scalars.count && scalars[end] != "\n" { end += 1 }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[start..<end])
        return String(out)
    }

    /// The number of the last line that has text or a terminator, and its length: where CPython puts
    /// errors found at the end of the file.
    var endOfFile: SourceLocation {
        var lastLine = lineStarts.count
        if lastLine > 1 && lineStarts[lastLine - 1] == scalars.count { lastLine -= 1 }
        let start = lineStarts[lastLine - 1]
        var end = start
        while end < scalars.count && scalars[end] != "\n" { end += 1 }
        return SourceLocation(line: lastLine, column: end - start + 1)
    }

    /// Decodes UTF-8 the way CPython reads a file: a BOM is skipped, invalid UTF-8 and NUL bytes are errors.
    static func decode(_ bytes: [UInt8], filename: String) -> Result<SourceText, SyntaxError> {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(bytes.count)
        var i = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        var line = 1
        var lineStart = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                if b == 0 {
                    var text = String.UnicodeScalarView()
                    text.append(contentsOf: scalars[lineStart...])
                    let loc = SourceLocation(line: line, column: 0)
                    return .failure(SyntaxError(.syntax, "source code cannot contain null bytes", at: loc, sourceLine: String(text)))
                }
                scalars.append(Unicode.Scalar(b))
                if b == 10 { line += 1; lineStart = scalars.count }
                i += 1
                continue
            }
            var length = 0
            var value: UInt32 = 0
            var minimum: UInt32 = 0
            if b & 0xE0 == 0xC0 { length = 2; value = UInt32(b & 0x1F); minimum = 0x80 }
            else if b & 0xF0 == 0xE0 { length = 3; value = UInt32(b & 0x0F); minimum = 0x800 }
            else if b & 0xF8 == 0xF0 { length = 4; value = UInt32(b & 0x07); minimum = 0x10000 }
            var ok = length > 0 && i + length <= bytes.count
            if ok {
                for k in 1..<length {
                    let cb = bytes[i + k]
                    if cb & 0xC0 != 0x80 { ok = false; break }
                    value = (value << 6) | UInt32(cb & 0x3F)
                }
            }
            if ok, value >= minimum, let scalar = Unicode.Scalar(value) {
                scalars.append(scalar)
                i += length
            } else {
                let hex = String(b, radix: 16)
                let message = "Non-UTF-8 code starting with '\\x\(hex.count == 1 ? "0" + hex : hex)' in file \(filename) on line \(line), but no encoding declared; see https://peps.python.org/pep-0263/ for details"
                var error = SyntaxError(.syntax, message, at: SourceLocation(line: line, column: 0), sourceLine: "")
                error.hasLocation = false
                return .failure(error)
            }
        }
        return .success(SourceText(scalars: scalars))
    }
}
