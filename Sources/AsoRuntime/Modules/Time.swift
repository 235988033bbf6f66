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
        // The calendar side (struct_time, localtime, gmtime, strftime, ...) is written in Aso
        // (Library/time/calendar.aso) on these three.
        m.set("_breakdown", native("_breakdown") { rt, args in
            // (seconds, utc) -> (year, mon, mday, hour, min, sec, wday, yday, isdst, zone, gmtoff)
            guard args.count == 2 else { throw rt.typeError("_breakdown() takes 2 arguments") }
            guard let secs = try rt.floatValue(args[0]), secs.isFinite, abs(secs) < 1e16 else {
                throw rt.overflowError("timestamp out of range for platform time_t")
            }
            var t = time_t(secs.rounded(.down))
            var tmv = tm()
            let ok = try rt.truthy(args[1]) ? gmtime_r(&t, &tmv) : localtime_r(&t, &tmv)
            guard ok != nil else { throw rt.overflowError("timestamp out of range for platform time_t") }
            let zone: String = tmv.tm_zone.map { String(cString: $0) } ?? "UTC"
            return rt.newTuple([.int(Int(tmv.tm_year) + 1900), .int(Int(tmv.tm_mon) + 1), .int(Int(tmv.tm_mday)),
                                .int(Int(tmv.tm_hour)), .int(Int(tmv.tm_min)), .int(Int(tmv.tm_sec)),
                                .int((Int(tmv.tm_wday) + 6) % 7), .int(Int(tmv.tm_yday) + 1), .int(Int(tmv.tm_isdst)),
                                rt.newStr(zone), .int(Int(tmv.tm_gmtoff))])
        })
        func tmFrom(_ rt: Runtime, _ v: Value) throws -> tm {
            let items = try rt.iterateToArray(v)
            guard items.count >= 9 else { throw rt.typeError("time tuple must have 9 fields") }
            func f(_ i: Int) throws -> Int32 {
                let n = try rt.intArgument(items[i])
                guard n >= Int(Int32.min) && n <= Int(Int32.max) else { throw rt.overflowError("Python int too large to convert to C int") }
                return Int32(n)
            }
            var tmv = tm()
            tmv.tm_year = try f(0) - 1900; tmv.tm_mon = try f(1) - 1; tmv.tm_mday = try f(2)
            tmv.tm_hour = try f(3); tmv.tm_min = try f(4); tmv.tm_sec = try f(5)
            tmv.tm_wday = (try f(6) + 1) % 7; tmv.tm_yday = try f(7) - 1; tmv.tm_isdst = try f(8)
            if items.count >= 11 { tmv.tm_gmtoff = try rt.intArgument(items[10]) }
            return tmv
        }
        m.set("_strftime", native("_strftime") { rt, args in
            guard args.count == 2, let format = args[0].asStr else { throw rt.typeError("_strftime() takes a format and a time tuple") }
            var tmv = try tmFrom(rt, args[1])
            let items = try rt.iterateToArray(args[1])
            let zone = items.count >= 10 ? (items[9].asStr?.value ?? "") : ""
            if format.value.isEmpty { return rt.newStr("") }
            var out = [CChar](repeating: 0, count: 1024)
            let n = zone.withCString { z -> Int in
                tmv.tm_zone = UnsafePointer(z)
                return format.value.withCString { strftime(&out, 1024, $0, &tmv) }
            }
            return rt.newStr(String(decoding: out[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self))
        })
        m.set("_mktime", native("_mktime") { rt, args in
            guard args.count == 1 else { throw rt.typeError("_mktime() takes a time tuple") }
            var tmv = try tmFrom(rt, args[0])
            tmv.tm_wday = -1
            let t = mktime(&tmv)
            if t == -1 && tmv.tm_wday == -1 { throw rt.overflowError("mktime argument out of range") }
            return .float(Double(t))
        })
        return m
    }
}
