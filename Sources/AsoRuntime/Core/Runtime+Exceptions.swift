// Raising and matching exceptions, and printing tracebacks the way CPython 3.11 does.

import AsoBytecode

extension Runtime {
    /// `raise X`: an exception instance as is, an exception class instantiated with no arguments.
    func makeRaisable(_ v: Value) throws -> ExceptionObj {
        if let e = v.asException { return e }
        if let t = v.asType, t.isException {
            if let e = try call(v, []).asException { return e }
        }
        throw typeError("exceptions must derive from BaseException")
    }

    /// `raise e from cause`.
    func setCause(_ e: ExceptionObj, _ cause: Value) throws {
        if cause.isNone {
            e.cause = .none
        } else if let c = cause.asException {
            e.cause = Value(c)
        } else if let t = cause.asType, t.isException {
            e.cause = Value(try makeRaisable(cause))
        } else {
            throw typeError("exception causes must derive from BaseException")
        }
        e.suppressContext = true
    }

    /// `except T:` matching, with T a class or a tuple of classes.
    func exceptionMatches(_ e: Value, _ t: Value) throws -> Bool {
        // A class (the usual `except E:`), compared borrowed: no reference counting.
        if case .object(let tu) = t, let verdict = try tu._withUnsafeGuaranteedRef({ o -> Bool? in
            guard o.kind == .type else { return nil }
            let ty = unsafeDowncast(o, to: TypeObject.self)
            guard ty.isException else {
                throw typeError("catching classes that do not inherit from BaseException is not allowed")
            }
            if case .object(let eu) = e {
                return eu._withUnsafeGuaranteedRef { $0.typeUnmanaged }._withUnsafeGuaranteedRef { $0.isSubtype(of: ty) }
            }
            return typeOf(e).isSubtype(of: ty)
        }) {
            return verdict
        }
        if let tup = t.asTuple {
            for x in tup.items where try exceptionMatches(e, x) { return true }
            return false
        }
        throw typeError("catching classes that do not inherit from BaseException is not allowed")
    }

    /// The full report CPython prints for an uncaught exception, chained causes and contexts first.
    func formatException(_ e: ExceptionObj) -> String {
        formatExceptionParts(e).joined()
    }

    /// The report in the pieces traceback.format_exception returns: the chain messages, each
    /// traceback's header, one piece per frame, one per line of the exception itself. `chain`
    /// false leaves out causes and contexts; `limit` keeps that many frames of each traceback
    /// (the outermost ones; the innermost ones when negative).
    func formatExceptionParts(_ e: ExceptionObj, chain: Bool = true, limit: Int? = nil) -> [String] {
        var seen = Set<ObjectIdentifier>()
        var ctx = GroupPrintContext(chain: chain, limit: limit)
        var out: [String] = []
        formatChain(e, &seen, &ctx, &out)
        return out
    }

    /// Where a traceback being printed is inside exception groups (traceback.py's
    /// _ExceptionPrintContext): each level of nesting indents its lines and puts a margin before them.
    private struct GroupPrintContext {
        var chain = true
        var limit: Int? = nil
        var depth = 0
        var needClose = false
        var indent: String { String(repeating: " ", count: 2 * depth) }

        /// `text` as one piece, with every line indented for the current depth (textwrap.indent
        /// of every line).
        func emit(_ text: String, margin: String = "|", into out: inout [String]) {
            if depth == 0 { out.append(text); return }
            let prefix = indent + margin + " "
            var piece = "", line = ""
            for ch in text {
                line.append(ch)
                if ch == "\n" { piece += prefix + line; line = "" }
            }
            if !line.isEmpty { piece += prefix + line }
            out.append(piece)
        }

        /// Each line of `text` as a piece of its own.
        func emitLines(_ text: String, into out: inout [String]) {
            var line = ""
            for ch in text {
                line.append(ch)
                if ch == "\n" { emit(line, into: &out); line = "" }
            }
            if !line.isEmpty { emit(line, into: &out) }
        }

        /// The frames of a traceback (outermost first) that `limit` keeps.
        func limited(_ entries: [TracebackEntry]) -> [TracebackEntry] {
            guard let limit else { return entries }
            return limit >= 0 ? Array(entries.prefix(limit)) : Array(entries.suffix(-limit))
        }
    }

    /// One exception and what it was raised from or during, oldest first (TracebackException.format).
    private func formatChain(_ e: ExceptionObj, _ seen: inout Set<ObjectIdentifier>, _ ctx: inout GroupPrintContext,
                             _ out: inout [String]) {
        var chain: [(message: String?, exception: ExceptionObj)] = []
        var current: ExceptionObj? = e
        seen.insert(ObjectIdentifier(e))
        while let x = current {
            var message: String? = nil
            current = nil
            if !ctx.chain {
                // Only the exception itself.
            } else if let c = x.cause.asException, !seen.contains(ObjectIdentifier(c)) {
                message = "\nThe above exception was the direct cause of the following exception:\n\n"
                current = c
            } else if !x.suppressContext, let c = x.context.asException, !seen.contains(ObjectIdentifier(c)) {
                message = "\nDuring handling of the above exception, another exception occurred:\n\n"
                current = c
            }
            if let c = current { seen.insert(ObjectIdentifier(c)) }
            chain.append((message, x))
        }
        for (message, x) in chain.reversed() {
            if let message { ctx.emit(message, into: &out) }
            guard x.type.isSubtype(of: exc.baseExceptionGroup), let members = x.attributes["exceptions"]?.tupleArray else {
                let frames = ctx.limited(x.traceback.reversed())
                if !frames.isEmpty {
                    ctx.emit("Traceback (most recent call last):\n", into: &out)
                    for piece in framePieces(frames) { ctx.emit(piece, into: &out) }
                }
                ctx.emitLines(exceptionOnly(x), into: &out)
                continue
            }
            formatGroup(x, members, &seen, &ctx, &out)
        }
    }

    /// An exception group, boxed as CPython prints it: its own traceback, then each member in a
    /// numbered frame (15 at most, then "and N more exceptions"), 10 levels of nesting at most.
    private func formatGroup(_ x: ExceptionObj, _ members: [Value], _ seen: inout Set<ObjectIdentifier>,
                             _ ctx: inout GroupPrintContext, _ out: inout [String]) {
        let maxWidth = 15, maxDepth = 10
        if ctx.depth > maxDepth {
            ctx.emit("... (max_group_depth is \(maxDepth))\n", into: &out)
            return
        }
        let topLevel = ctx.depth == 0
        if topLevel { ctx.depth += 1 }
        let frames = ctx.limited(x.traceback.reversed())
        if !frames.isEmpty {
            ctx.emit("Exception Group Traceback (most recent call last):\n", margin: topLevel ? "+" : "|", into: &out)
            for piece in framePieces(frames) { ctx.emit(piece, into: &out) }
        }
        ctx.emitLines(exceptionOnly(x), into: &out)
        let n = members.count <= maxWidth ? members.count : maxWidth + 1
        ctx.needClose = false
        for i in 0..<n {
            let last = i == n - 1
            if last { ctx.needClose = true }
            let truncated = i >= maxWidth
            let title = truncated ? "..." : "\(i + 1)"
            out.append(ctx.indent + (i == 0 ? "+-" : "  ") + "+---------------- \(title) ----------------\n")
            ctx.depth += 1
            if truncated {
                let remaining = members.count - maxWidth
                ctx.emit("and \(remaining) more exception\(remaining > 1 ? "s" : "")\n", into: &out)
            } else if let member = members[i].asException {
                formatChain(member, &seen, &ctx, &out)
            }
            if last && ctx.needClose {
                out.append(ctx.indent + "+------------------------------------\n")
                ctx.needClose = false
            }
            ctx.depth -= 1
        }
        if topLevel { ctx.depth = 0 }
    }

    /// The last part of a traceback: `Type: message`, or a syntax error's location and caret.
    func exceptionOnly(_ e: ExceptionObj) -> String {
        var out = ""
        if e.type.isSubtype(of: exc.syntaxError), let file = e.attributes["filename"]?.asStr?.value {
            let line = indexValue(e.attributes["lineno"] ?? .none) ?? 1
            out += "  File \"\(file)\", line \(line)\n"
            if let text = e.attributes["text"]?.asStr?.value {
                let stripped = text.drop(while: { $0 == " " || $0 == "\t" || $0 == "\u{0C}" })
                let removed = text.unicodeScalars.count - stripped.unicodeScalars.count
                let shown = String(stripped).trimmingCharacters(in: " \t\r\n\u{0C}")
                if !shown.isEmpty {
                    out += "    \(shown)\n"
                    let col = max(1, min((indexValue(e.attributes["offset"] ?? .none) ?? 1) - removed, shown.unicodeScalars.count + 1))
                    out += "    " + String(repeating: " ", count: col - 1) + "^\n"
                }
            }
            let msg = e.attributes["msg"].flatMap { $0.asStr?.value } ?? ""
            return out + "\(e.type.name): \(msg)\n"
        }
        return exceptionLine(e) + (offerSuggestions ? suggestionSuffix(e) : "") + "\n"
    }

    /// `Type: message` (or `Type` alone), with the module prefix CPython shows for non-builtin classes.
    func exceptionLine(_ e: ExceptionObj) -> String {
        var name = e.type.qualifiedName
        if let m = e.type.moduleName, m != "builtins", m != "__main__" { name = m + "." + name }
        let msg = exceptionMessage(e)
        return msg.isEmpty ? name : "\(name): \(msg)"
    }

    /// One piece per frame (its `File` line, source line and markers), and a piece for each
    /// "[Previous line repeated ...]" note, as traceback.StackSummary.format gives them.
    func framePieces(_ entries: [TracebackEntry]) -> [String] {
        var pieces: [String] = []
        var last: (String, Int, String)? = nil
        var repeats = 0
        func flushRepeats() {
            if repeats > 3 {
                pieces.append("  [Previous line repeated \(repeats - 3) more time\(repeats - 3 == 1 ? "" : "s")]\n")
            }
        }
        for entry in entries {
            let (line, _) = entry.code.location(at: entry.pc)
            let key = (entry.code.filename, line, entry.code.name)
            if let l = last, l == key {
                repeats += 1
                if repeats > 3 { continue }
            } else {
                flushRepeats()
                repeats = 1
                last = key
            }
            var out = "  File \"\(entry.code.filename)\", line \(line), in \(entry.code.name)\n"
            if let src = rawSourceLine(entry.code.filename, line) {
                let text = Array(src.unicodeScalars)
                let indent = text.prefix(while: Runtime.isBlank).count
                if indent < text.count {
                    var shown = String.UnicodeScalarView()
                    shown.append(contentsOf: text[indent...])
                    out += "    \(String(shown))\n"
                    if let span = entry.code.span(at: entry.pc), span.line == line,
                       let markers = Runtime.errorMarkers(text, indent: indent, span) {
                        out += markers + "\n"
                    }
                }
            }
            pieces.append(out)
        }
        flushRepeats()
        return pieces
    }

    private static func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\u{0C}" }

    /// The line CPython 3.11 prints under a frame's source line (PEP 657), or nil when it prints
    /// none: the instruction's span in `^`, or in `~` with its anchor (operator, `[index]`) in `^`;
    /// to the line's last non-blank character when the span goes on past the line; nothing when the
    /// span without anchor is the whole line. `text` is the full line, `indent` its leading blanks.
    static func errorMarkers(_ text: [Unicode.Scalar], indent: Int, _ span: LineTableEntry) -> String? {
        guard span.endLine > 0, span.column >= 1 else { return nil }
        let start = span.column - 1
        var end: Int
        var left = -1, right = -1
        if span.endLine == span.line {
            end = span.endColumn - 1
            if span.anchorStart > 0 && span.anchorEnd > 0 {
                left = span.anchorStart - 1
                right = span.anchorEnd - 1
            }
        } else {
            // CPython 3.11 scans the line's UTF-8 bytes back from its length in characters: on a
            // line with non-ASCII text the underline stops short, and Aso does the same.
            let bytes = Array(String(String.UnicodeScalarView(text)).utf8)
            var i = min(text.count, bytes.count) - 1
            while i >= 0 && (bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0C) { i -= 1 }
            end = i + 1
        }
        let anchored = left != -1 || right != -1
        if end - start == text.count - indent && !anchored { return nil }
        let primary: Character = anchored ? "~" : "^"
        var out = ""
        var offset = indent - 4
        while offset < end {
            offset += 1
            if offset <= start {
                out.append(" ")
            } else if anchored && left < offset && offset <= right {
                out.append("^")
            } else {
                out.append(primary)
            }
        }
        return out
    }

    /// A line of a loaded source file (1-based), if known, without its line end.
    func rawSourceLine(_ file: String, _ line: Int) -> String? {
        sources[file]?.line(line)
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
