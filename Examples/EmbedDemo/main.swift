// A small application that embeds Aso: it registers an async host function, runs a script that
// gathers ten calls to it, and prints the results. `EmbedDemo --bench` measures what an
// embedding costs (creating an interpreter, an empty run, calls both ways).

import Aso
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let interpreter = Interpreter()
interpreter.registerAsync("lookup", parameters: [.required("n")]) { args in
    let n = args[0].intValue ?? 0
    try await Task.sleep(nanoseconds: UInt64(10 - n) * 1_000_000)   // some slow service
    return .string("item-\(n)")
}
do {
    try interpreter.run(source: """
        import asyncio
        async def main():
            return await asyncio.gather(*(lookup(i) for i in range(10)))
        """)
    let items = try await interpreter.call("main")
    print(items.as([String].self) ?? [])
} catch {
    print(error)
}

/// Nanoseconds `body` takes per iteration, the best of five rounds.
func measure(_ iterations: Int, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<5 {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { try body() }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
        best = min(best, elapsed / Double(iterations))
    }
    return best
}

/// The process's resident memory in bytes (Linux), or nil.
func residentBytes() -> Int? {
    #if os(Linux)
    guard let f = fopen("/proc/self/statm", "r") else { return nil }
    defer { fclose(f) }
    var buffer = [UInt8](repeating: 0, count: 256)
    let n = fread(&buffer, 1, buffer.count, f)
    let fields = String(decoding: buffer.prefix(n), as: UTF8.self).split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    #else
    return nil
    #endif
}

if CommandLine.arguments.contains("--bench") {
    func format(_ ns: Double) -> String { ns >= 1000 ? "\((ns / 100).rounded() / 10) µs" : "\(Int(ns)) ns" }
    let create = measure(50) { _ = Interpreter() }
    let createAndRun = try measure(50) {
        let i = Interpreter()
        try i.run(source: "")
        i.shutdown()
    }
    let before = residentBytes() ?? 0
    var kept: [Interpreter] = []
    for _ in 0..<100 {
        let i = Interpreter()
        try i.run(source: "")
        kept.append(i)
    }
    let perInterpreter = ((residentBytes() ?? 0) - before) / 100
    let bench = Interpreter()
    try bench.run(source: "def f(x): return x\ndef loop(n):\n    for i in range(n): g(i)\n")
    bench.register("g") { args in args.first ?? .none }
    let swiftToScript = try measure(20_000) { _ = try bench.call("f", 1) }
    let loops = 1_000_000
    let scriptToSwift = try measure(1) { _ = try bench.call("loop", .int(loops)) } / Double(loops)
    // The same call made on the interpreter's thread (from a host function): no thread switch.
    bench.register("call_f_from_swift") { [unowned bench] args in
        let n = args.first?.intValue ?? 0
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<n { _ = try bench.call("f", 1) }
        return .float(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(max(n, 1)))
    }
    let onThread = (0..<5).compactMap { _ in try? bench.call("call_f_from_swift", 100_000).doubleValue }.min() ?? 0
    print("create an interpreter:           \(format(create))")
    print("create, run an empty script, shut down: \(format(createAndRun))")
    print("memory per idle interpreter:     \(perInterpreter / 1024) KiB")
    print("call a script function from Swift: \(format(swiftToScript)) (from another thread), \(format(onThread)) (on the interpreter's thread)")
    print("call a sync host function from a script: \(format(scriptToSwift))")
    kept.forEach { $0.shutdown() }
}

/// Threads of the process (Linux), or nil.
func threadCount() -> Int? {
    #if os(Linux)
    guard let f = fopen("/proc/self/status", "r") else { return nil }
    defer { fclose(f) }
    var buffer = [UInt8](repeating: 0, count: 8192)
    let n = fread(&buffer, 1, buffer.count, f)
    for line in String(decoding: buffer.prefix(n), as: UTF8.self).split(separator: "\n") where line.hasPrefix("Threads:") {
        return Int(line.dropFirst("Threads:".count).trimmingPrefix(while: { $0 == " " || $0 == "\t" }))
    }
    return nil
    #else
    return nil
    #endif
}

extension Substring {
    func trimmingPrefix(while p: (Character) -> Bool) -> Substring { drop(while: p) }
}

if let i = CommandLine.arguments.firstIndex(of: "--cycles"), i + 1 < CommandLine.arguments.count,
   let cycles = Int(CommandLine.arguments[i + 1]) {
    // Interpreters made, used and shut down one after the other leave nothing behind.
    func cycle() throws {
        let interp = Interpreter()
        try interp.run(source: "x = [str(i) for i in range(100)]")
        _ = try interp.call("len", .string("abc"))
        interp.shutdown()
    }
    for _ in 0..<50 { try cycle() }
    let threads = threadCount() ?? 0, memory = residentBytes() ?? 0
    for _ in 0..<cycles { try cycle() }
    let threadsAfter = threadCount() ?? 0, memoryAfter = residentBytes() ?? 0
    print("threads \(threads) -> \(threadsAfter), memory growth \((memoryAfter - memory) / 1024) KiB")
}
