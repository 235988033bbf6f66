// A runtime with the builtin methods and native modules installed, plus helpers that call a
// method or module function and describe the outcome as CPython would print it: the repr of the
// result, or `TypeName: message` for an exception.

@testable import AsoRuntime
import BigInt

final class MethodsHarness {
    var out = ""
    var err = ""
    let rt: Runtime

    init(argv: [String] = [], environment: [String: String] = [:]) {
        var options = RuntimeOptions()
        options.argv = argv
        options.environment = environment
        var outBuffer = ""
        var errBuffer = ""
        rt = Runtime(options: options, writeOut: { outBuffer += $0 }, writeErr: { errBuffer += $0 })
        rt.writeOut = { [unowned self] in self.out += $0 }
        rt.writeErr = { [unowned self] in self.err += $0 }
        _ = outBuffer
        _ = errBuffer
    }

    func s(_ x: String) -> Value { rt.newStr(x) }
    func b(_ x: [UInt8]) -> Value { rt.newBytes(x) }
    func list(_ xs: [Value]) -> Value { rt.newList(xs) }
    func tuple(_ xs: [Value]) -> Value { rt.newTuple(xs) }
    func big(_ text: String) -> Value { rt.makeInt(BigInt(text) ?? 0) }
    func dict(_ pairs: [(Value, Value)]) -> Value {
        let d = rt.newDict()
        for (k, v) in pairs { try? d.set(k, v, rt) }
        return Value(d)
    }
    func set(_ xs: [Value], frozen: Bool = false) -> Value {
        let st = rt.newSet(frozen: frozen)
        for x in xs { try? st.add(x, rt) }
        return Value(st)
    }

    /// Describes an outcome: the repr, or the exception line.
    func describe(_ body: () throws -> Value) -> String {
        do {
            return try rt.repr(try body())
        } catch let e as ScriptError {
            return rt.exceptionLine(e.exception)
        } catch {
            return "Swift error: \(error)"
        }
    }

    /// `receiver.name(*args, **kw)`.
    func call(_ receiver: Value, _ name: String, _ args: [Value] = [], _ kw: [(String, Value)] = []) -> String {
        describe {
            let m = try rt.getAttribute(receiver, rt.intern(name))
            return try rt.call(m, args, keywords: kw.map { (name: $0.0, value: $0.1) })
        }
    }

    /// `module.name(*args, **kw)`.
    func module(_ module: String, _ name: String, _ args: [Value] = [], _ kw: [(String, Value)] = []) -> String {
        describe {
            let m = try rt.loadModule(module)
            let f = try rt.getAttribute(Value(m), rt.intern(name))
            return try rt.call(f, args, keywords: kw.map { (name: $0.0, value: $0.1) })
        }
    }

    /// `module.name` (an attribute, not a call).
    func attribute(_ module: String, _ name: String) -> String {
        describe { try rt.getAttribute(Value(try rt.loadModule(module)), rt.intern(name)) }
    }
}
