// The grammar file and the corpus: every terminal of grammar/aso.ebnf is a token the lexer knows,
// and every program under Tests/Programs parses (or, for syntax-error programs, fails to parse).

import Testing
@testable import AsoSyntax

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The repository root, found from this file's path.
func repositoryRoot(_ file: String = #filePath) -> String {
    var parts = file.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3) // Tests/AsoSyntaxTests/GrammarTests.swift
    return parts.joined(separator: "/")
}

func readFile(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return bytes
}

/// Every regular file below `dir`, as paths.
func filesBelow(_ dir: String) -> [String] {
    guard let d = opendir(dir) else { return [] }
    defer { closedir(d) }
    var out: [String] = []
    while let entry = readdir(d) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if name == "." || name == ".." { continue }
        let path = dir + "/" + name
        var st = stat()
        guard stat(path, &st) == 0 else { continue }
        if (st.st_mode & S_IFMT) == S_IFDIR { out += filesBelow(path) } else { out.append(path) }
    }
    return out.sorted()
}

/// The quoted terminals of the syntactic part of an EBNF text (comments removed).
func grammarTerminals(_ text: String) -> Set<String> {
    var scalars = Array(text.unicodeScalars)
    let marker = Array("(* ==== Lexical grammar".unicodeScalars)
    if marker.count <= scalars.count {
        for start in 0...(scalars.count - marker.count) where Array(scalars[start..<start + marker.count]) == marker {
            scalars = Array(scalars[..<start])
            break
        }
    }
    // Drop comments.
    var cleaned: [Unicode.Scalar] = []
    var i = 0
    var depth = 0
    while i < scalars.count {
        if i + 1 < scalars.count && scalars[i] == "(" && scalars[i + 1] == "*" { depth += 1; i += 2; continue }
        if depth > 0 && i + 1 < scalars.count && scalars[i] == "*" && scalars[i + 1] == ")" { depth -= 1; i += 2; continue }
        if depth == 0 { cleaned.append(scalars[i]) }
        i += 1
    }
    scalars = cleaned
    var terminals: Set<String> = []
    i = 0
    while i < scalars.count {
        let q = scalars[i]
        if q == "\"" || q == "'" {
            var j = i + 1
            var text = ""
            while j < scalars.count && scalars[j] != q { text.unicodeScalars.append(scalars[j]); j += 1 }
            terminals.insert(text)
            i = j + 1
            continue
        }
        i += 1
    }
    return terminals
}

@Test func grammarTerminalsAreKnownToTheLexer() throws {
    let path = repositoryRoot() + "/grammar/aso.ebnf"
    let bytes = try #require(readFile(path))
    let terminals = grammarTerminals(String(decoding: bytes, as: UTF8.self))
    #expect(terminals.count > 60)
    for t in terminals.sorted() {
        #expect(Lexer.keywords.contains(t) || Lexer.operators.contains(t), "\(t) is neither a keyword nor an operator")
    }
    // And the other way round: the grammar uses every keyword and operator.
    for k in Lexer.keywords.union(Lexer.operators).sorted() {
        #expect(terminals.contains(k), "\(k) is not used by the grammar")
    }
}

@Test func corpusProgramsParse() throws {
    let root = repositoryRoot() + "/Tests/Programs"
    let programs = filesBelow(root).filter { $0.hasSuffix(".aso") }
    for path in programs {
        let bytes = try #require(readFile(path))
        let relative = String(path.dropFirst(root.count))
        let expectsError = relative.split(separator: "/").last?.contains("syntax_error") == true
            || relative.split(separator: "/").dropLast().contains("syntax_errors")
        // Programs under syntax_errors/ may fail in the parser or later, in the compiler (CPython
        // reports `return` outside a function and the like after parsing); the corpus runner checks
        // their messages. Every other program must parse.
        do {
            _ = try parseModule(bytes, filename: path)
        } catch {
            #expect(expectsError, "\(relative): \(error.formatted(file: relative))")
        }
    }
}
