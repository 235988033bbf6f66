// Helpers for tests that run whole programs in-process through the embedding API.

import Aso

/// Collects what a program writes.
final class OutputBox: @unchecked Sendable {
    var text = ""
}

struct ProgramResult {
    var status: Int32
    var stdout: String
    var stderr: String
    /// The last non-empty line of standard error.
    var lastErrorLine: String { stderr.split(separator: "\n").last.map(String.init) ?? "" }
}

/// Runs `source` as a program named `filename` and captures its output and exit status.
func runProgram(_ source: [UInt8], filename: String = "test.aso", configure: (inout Configuration) -> Void = { _ in }) -> ProgramResult {
    let out = OutputBox(), err = OutputBox()
    var config = Configuration()
    config.arguments = [filename]
    config.importsFromScriptFolder = true
    config.processControl = true
    config.standardInput = { readLine(strippingNewline: true) }
    config.standardOutput = { out.text += $0 }
    config.standardError = { err.text += $0 }
    configure(&config)
    let status = Interpreter(configuration: config).runProgram(source: source, filename: filename)
    return ProgramResult(status: status, stdout: out.text, stderr: err.text)
}

func runProgram(_ source: String, filename: String = "test.aso", configure: (inout Configuration) -> Void = { _ in }) -> ProgramResult {
    runProgram(Array(source.utf8), filename: filename, configure: configure)
}
