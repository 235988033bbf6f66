// The `gc` module: what scripts ask of CPython's cycle collector, answered by Aso's collector.
//
// One idea: Aso has one tracing collector and no reference counting, so it is the only thing that
// frees memory. `gc.collect()` asks for a full collection, which runs at the next safepoint (the
// next call or loop iteration of the script: every object the running code holds is reachable
// from its frames there); `gc.disable()` is recorded and reported by `isenabled()`, but does not
// stop the collector, since a script that disables CPython's cycle collector still has its
// memory freed by reference counting. The thresholds are CPython's numbers, kept for scripts
// that read or set them.

extension Runtime {
    func makeGcModule() -> ModuleObj {
        let m = newModule("gc", file: nil)
        final class State {
            var enabled = true
            var debug = 0
            var thresholds = [700, 10, 10]
        }
        let state = State()
        for (name, value) in [("DEBUG_STATS", 1), ("DEBUG_COLLECTABLE", 2), ("DEBUG_UNCOLLECTABLE", 4),
                              ("DEBUG_SAVEALL", 32), ("DEBUG_LEAK", 38)] {
            m.set(name, .int(value))
        }
        m.set("garbage", newList([]))
        m.set("callbacks", newList([]))
        m.set("collect", native("collect") { rt, args in
            try rt.checkKeywords(args, ["generation"], "collect")
            let positional = Array(args.positional)
            try rt.checkCount(positional.count, "collect", min: 0, max: 1)
            if let g = positional.first ?? args.keyword("generation") {
                let n = try rt.intArgument(g)
                if n < 0 || n > 2 { throw rt.valueError("invalid generation") }
            }
            rt.heap.requestCollection()
            return .int(0)
        })
        m.set("enable", native("enable") { rt, args in
            try rt.checkCount(args.count, "enable", min: 0, max: 0)
            state.enabled = true
            return .none
        })
        m.set("disable", native("disable") { rt, args in
            try rt.checkCount(args.count, "disable", min: 0, max: 0)
            state.enabled = false
            return .none
        })
        m.set("isenabled", native("isenabled") { rt, args in
            try rt.checkCount(args.count, "isenabled", min: 0, max: 0)
            return .bool(state.enabled)
        })
        m.set("get_debug", native("get_debug") { rt, args in
            try rt.checkCount(args.count, "get_debug", min: 0, max: 0)
            return .int(state.debug)
        })
        m.set("set_debug", native("set_debug") { rt, args in
            try rt.checkCount(args.count, "set_debug", min: 1, max: 1)
            state.debug = try rt.intArgument(args[0])
            return .none
        })
        m.set("get_threshold", native("get_threshold") { rt, args in
            try rt.checkCount(args.count, "get_threshold", min: 0, max: 0)
            return rt.newTuple(state.thresholds.map { .int($0) })
        })
        m.set("set_threshold", native("set_threshold") { rt, args in
            try rt.checkCount(args.count, "set_threshold", min: 1, max: 3)
            for (i, v) in args.positional.enumerated() {
                state.thresholds[i] = try rt.intArgument(v)
            }
            return .none
        })
        m.set("get_count", native("get_count") { rt, args in
            try rt.checkCount(args.count, "get_count", min: 0, max: 0)
            return rt.newTuple([.int(0), .int(0), .int(0)])
        })
        m.set("freeze", native("freeze") { _, _ in .none })
        m.set("unfreeze", native("unfreeze") { _, _ in .none })
        m.set("get_freeze_count", native("get_freeze_count") { _, _ in .int(0) })
        return m
    }
}
