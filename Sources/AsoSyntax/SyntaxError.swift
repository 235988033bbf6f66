// Syntax errors as values with a location, printed the way CPython prints them.

/// A syntax or indentation error found while reading source text.
package struct SyntaxError: Error, Sendable, Equatable {
    package enum Kind: String, Sendable { case syntax = "SyntaxError", indentation = "IndentationError", tab = "TabError" }
    package var kind: Kind
    package var message: String
    /// 1-based line and column of the offending character (the caret goes under `column`).
    package var location: SourceLocation
    /// The text of the offending line, without its line terminator (empty when unknown).
    package var sourceLine: String
    /// False for errors CPython reports without a `File` line (a file that is not valid UTF-8).
    package var hasLocation: Bool = true
    /// Just after the offending range, when CPython underlines a range (`^^^^`) rather than one
    /// character; a range running past its first line is underlined to that line's end.
    package var end: SourceLocation? = nil

    package init(_ kind: Kind = .syntax, _ message: String, at location: SourceLocation, sourceLine: String) {
        self.kind = kind; self.message = message; self.location = location; self.sourceLine = sourceLine
    }

    /// The report CPython prints for this error, ending with a newline:
    /// `  File "x.aso", line N`, the source line (indented 4, leading blanks removed), a caret, `Kind: message`.
    /// A column below 1 prints the line without a caret (CPython does so for NUL bytes).
    package func formatted(file: String) -> String {
        if !hasLocation { return "\(kind.rawValue): \(message)\n" }
        var out = "  File \"\(file)\", line \(location.line)\n"
        let stripped = sourceLine.drop(while: { $0 == " " || $0 == "\t" || $0 == "\u{0C}" })
        let removed = sourceLine.unicodeScalars.count - stripped.unicodeScalars.count
        let text = String(stripped).trimmingTrailingWhitespace()
        if !text.isEmpty {
            out += "    \(text)\n"
        }
        // CPython prints no caret for a TabError or an unexpected indent (their offset is unset).
        let caretless = kind == .tab || (kind == .indentation && message == "unexpected indent")
        if !text.isEmpty && location.column >= 1 && !caretless {
            let caretColumn = max(1, min(location.column - removed, text.unicodeScalars.count + 1))
            var width = 1
            if let end, end.line >= location.line {
                let endColumn = end.line > location.line ? text.unicodeScalars.count + 1 + removed : end.column
                width = max(1, min(endColumn - removed, text.unicodeScalars.count + 1) - caretColumn)
            }
            out += "    " + String(repeating: " ", count: caretColumn - 1) + String(repeating: "^", count: width) + "\n"
        }
        out += "\(kind.rawValue): \(message)\n"
        return out
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" || last == "\n" || last == "\u{0C}" {
            scalars.removeLast()
        }
        return String(scalars)
    }
}
