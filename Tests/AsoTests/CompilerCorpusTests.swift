// Compiles every program of the conformance corpus: programs CPython accepts must compile into
// well-formed code; programs in syntax_errors that the parser accepts must fail here with
// CPython's message and line.

import AsoBytecode
import AsoCompiler
import AsoSyntax
import Foundation
import Testing

@Suite struct CompilerCorpusTests {
    static var corpus: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Programs")
    }

    static func programs() -> [URL] {
        guard let e = FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }.filter { $0.pathExtension == "aso" }.sorted { $0.path < $1.path }
    }

    func check(_ code: CodeObject, _ file: String) {
        for w in code.code {
            let ins = Instruction(word: w)
            guard let op = ins.opcode else { Issue.record("\(file): bad opcode"); continue }
            if op.hasJumpTarget && Int(ins.arg) >= code.code.count { Issue.record("\(file): jump out of code in \(code.name)") }
        }
        for e in code.exceptionTable where !(e.start < e.end && e.end <= code.code.count && e.target < code.code.count) {
            Issue.record("\(file): bad exception entry in \(code.name)")
        }
        for case .code(let c) in code.constants { check(c, file) }
    }

    @Test func everyCorpusProgramCompiles() throws {
        var compiled = 0
        for url in Self.programs() {
            guard let source = try? String(contentsOf: url, encoding: .utf8) else { continue }
            let rel = url.path.replacingOccurrences(of: Self.corpus.path + "/", with: "")
            let module: Module
            do { module = try parseModule(source, filename: rel) } catch { continue }
            let errURL = url.deletingPathExtension().appendingPathExtension("err")
            let expectedErr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
            let lastLine = expectedErr.split(separator: "\n").dropFirst().first.map(String.init) ?? ""
            do {
                let code = try compileModule(module, filename: rel, source: source)
                compiled += 1
                check(code, rel)
                // Under imports/, a SyntaxError may come from an imported module, not this file.
                if lastLine.hasPrefix("SyntaxError") && !rel.hasPrefix("imports/") {
                    Issue.record("\(rel): compiled, CPython says \(lastLine)")
                }
            } catch let e as SyntaxError {
                #expect("SyntaxError: \(e.message)" == lastLine, "\(rel) at \(e.location)")
            }
        }
        #expect(compiled > 100)
    }
}
