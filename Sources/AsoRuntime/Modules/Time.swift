// The `time` module: wall clock, monotonic clocks and a blocking sleep.
//
// One idea: these are the host's clocks read directly (clock_gettime); `time.sleep` blocks the
// thread, which is right for synchronous scripts (async code uses `asyncio.sleep`).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Nanoseconds of a clock.
func clockNanoseconds(_ clock: clockid_t) -> Int {
    var ts = timespec()
    clock_gettime(clock, &ts)
    return Int(ts.tv_sec) &* 1_000_000_000 &+ Int(ts.tv_nsec)
}

extension Runtime {
    func makeTimeModule() -> ModuleObj {
        let m = newModule("time", file: nil)
        let clocks: [(String, clockid_t)] = [
            ("time", CLOCK_REALTIME), ("monotonic", CLOCK_MONOTONIC), ("perf_counter", CLOCK_MONOTONIC),
            ("process_time", CLOCK_PROCESS_CPUTIME_ID),
        ]
        for (name, clock) in clocks {
            m.set(name, native(name) { rt, args in
                if args.count != 0 { throw rt.typeError("time.\(name)() takes no arguments (\(args.count) given)") }
                let ns = clockNanoseconds(clock)
                return .float(Double(ns / 1_000_000_000) + Double(ns % 1_000_000_000) / 1e9)
            })
            m.set(name + "_ns", native(name + "_ns") { rt, args in
                if args.count != 0 { throw rt.typeError("time.\(name)_ns() takes no arguments (\(args.count) given)") }
                return .int(clockNanoseconds(clock))
            })
        }
        m.set("sleep", native("sleep") { rt, args in
            guard args.count == 1 else { throw rt.typeError("time.sleep() takes exactly one argument (\(args.count) given)") }
            let v = args[0]
            let seconds: Double
            if case .float(let d) = v { seconds = d } else if rt.isIntegral(v) {
                seconds = try rt.floatValue(v) ?? 0
            } else {
                throw rt.typeError("'\(rt.typeName(v))' object cannot be interpreted as an integer")
            }
            if seconds.isNaN { throw rt.valueError("Invalid value NaN (not a number)") }
            if seconds < 0 { throw rt.valueError("sleep length must be non-negative") }
            if seconds > 9e9 { throw rt.overflowError("sleep length is too large") }
            try rt.interruptibleSleep(seconds)
            return .none
        })
        return m
    }
}
