// A runtime for builtin tests: calls a builtin by name and reports the result's repr, or
// "!ExceptionName: message" when it raises. Expected strings come from CPython 3.11.

import BigInt
@testable import AsoRuntime

final class BuiltinsHarness {
    private final class Sink { var text = "" }
    private let sink = Sink()
    let rt: Runtime

    init() {
        let sink = self.sink
        rt = Runtime(options: RuntimeOptions(), writeOut: { sink.text += $0 }, writeErr: { _ in })
    }

    /// What `print` and `input` wrote so far.
    var output: String { sink.text }

    /// `name(*args, **keywords)` as repr text, or "!Type: message".
    func call(_ name: String, _ args: [Value], _ keywords: [(name: String, value: Value)] = []) -> String {
        guard let fn = rt.builtins.get(name) else { return "!missing builtin \(name)" }
        return outcome { try rt.call(fn, args, keywords: keywords) }
    }

    /// `list(name(*args))`, for the lazy iterators.
    func listOf(_ name: String, _ args: [Value], _ keywords: [(name: String, value: Value)] = []) -> String {
        guard let fn = rt.builtins.get(name), let list = rt.builtins.get("list") else { return "!missing" }
        return outcome { try rt.call(list, [try rt.call(fn, args, keywords: keywords)]) }
    }

    func outcome(_ body: () throws -> Value) -> String {
        do {
            return try rt.repr(try body())
        } catch let e as ScriptError {
            return "!\(e.exception.type.name): \(rt.exceptionMessage(e.exception))"
        } catch {
            return "!\(error)"
        }
    }

    // Values.
    func s(_ x: String) -> Value { rt.newStr(x) }
    func big(_ x: String) -> Value { rt.makeInt(BigInt(x) ?? 0) }
    func list(_ xs: Value...) -> Value { rt.newList(xs) }
    func tuple(_ xs: Value...) -> Value { rt.newTuple(xs) }
    func bytes(_ xs: [UInt8]) -> Value { rt.newBytes(xs) }
    func builtin(_ name: String) -> Value { rt.builtins.get(name) ?? .none }
    func ints(_ xs: [Int]) -> Value { rt.newList(xs.map { .int($0) }) }
    func range(_ n: Int) -> Value { (try? rt.call(builtin("range"), [.int(n)])) ?? .none }
    func dict(_ pairs: [(String, Value)]) -> Value {
        let d = rt.newDict()
        for (k, v) in pairs { try? d.set(rt.newStr(k), v, rt) }
        return Value(d)
    }
}
