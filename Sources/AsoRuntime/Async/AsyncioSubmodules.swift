// asyncio's submodules (`asyncio.exceptions`, `asyncio.tasks`, ...), as attributes of `asyncio`
// and as modules of their own (`import asyncio.exceptions`, `from asyncio.tasks import sleep`).
//
// One idea: Aso's asyncio is one module; a submodule is made on first use and holds the very
// objects `asyncio` has under the names the CPython submodule exports (its `__all__`), so
// `asyncio.exceptions.CancelledError is asyncio.CancelledError`. Names Aso lacks (streams,
// transports) are simply not there.

extension Runtime {
    /// CPython 3.11's asyncio submodules (every module `asyncio` has as an attribute after
    /// `import asyncio`) and the names each exports that `asyncio` has too.
    static let asyncioSubmodules: [String: [String]] = [
        "base_events": ["BaseEventLoop", "Server"],
        "base_futures": [],
        "base_subprocess": [],
        "base_tasks": [],
        "constants": [],
        "coroutines": ["iscoroutinefunction", "iscoroutine"],
        "events": ["AbstractEventLoopPolicy", "AbstractEventLoop", "AbstractServer", "Handle", "TimerHandle",
                   "get_event_loop_policy", "set_event_loop_policy", "get_event_loop", "set_event_loop",
                   "new_event_loop", "get_child_watcher", "set_child_watcher", "_set_running_loop",
                   "get_running_loop", "_get_running_loop"],
        "exceptions": ["BrokenBarrierError", "CancelledError", "InvalidStateError", "TimeoutError",
                       "IncompleteReadError", "LimitOverrunError", "SendfileNotAvailableError"],
        "format_helpers": [],
        "futures": ["Future", "wrap_future", "isfuture"],
        "locks": ["Lock", "Event", "Condition", "Semaphore", "BoundedSemaphore", "Barrier"],
        "log": [],
        "mixins": [],
        "protocols": ["BaseProtocol", "Protocol", "DatagramProtocol", "SubprocessProtocol", "BufferedProtocol"],
        "queues": ["Queue", "PriorityQueue", "LifoQueue", "QueueFull", "QueueEmpty"],
        "runners": ["Runner", "run"],
        "selector_events": ["BaseSelectorEventLoop"],
        "sslproto": [],
        "staggered": ["staggered_race"],
        "streams": ["StreamReader", "StreamWriter", "StreamReaderProtocol", "open_connection", "start_server",
                    "open_unix_connection", "start_unix_server"],
        "subprocess": ["create_subprocess_exec", "create_subprocess_shell"],
        "taskgroups": ["TaskGroup"],
        "tasks": ["Task", "create_task", "FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED", "wait",
                  "wait_for", "as_completed", "sleep", "gather", "shield", "ensure_future",
                  "run_coroutine_threadsafe", "current_task", "all_tasks", "_register_task",
                  "_unregister_task", "_enter_task", "_leave_task"],
        "threads": ["to_thread"],
        "timeouts": ["Timeout", "timeout", "timeout_at"],
        "transports": ["BaseTransport", "ReadTransport", "WriteTransport", "Transport", "DatagramTransport",
                       "SubprocessTransport"],
        "trsock": [],
        "unix_events": ["SelectorEventLoop", "AbstractChildWatcher", "SafeChildWatcher", "FastChildWatcher",
                        "PidfdChildWatcher", "MultiLoopChildWatcher", "ThreadedChildWatcher",
                        "DefaultEventLoopPolicy"],
    ]

    /// The names a module has as attributes without binding them until first use: asyncio's
    /// submodules (and `sys`, which asyncio imports), for `dir()` and "Did you mean".
    func lazyModuleAttributes(_ m: ModuleObj) -> [String] {
        m.name == "asyncio" ? Array(Runtime.asyncioSubmodules.keys) + ["sys"] : []
    }

    /// `asyncio.<submodule>` looked up as an attribute of `asyncio` (`m`): the submodule, made on
    /// first use; nil for any other name.
    func lazyModuleAttribute(_ m: ModuleObj, _ name: String) throws -> Value? {
        guard m.name == "asyncio" else { return nil }
        if name == "sys" { return Value(try loadModule("sys")) }
        guard Runtime.asyncioSubmodules[name] != nil else { return nil }
        return Value(try loadModule("asyncio." + name))
    }

    /// The module `asyncio.<sub>` (a new one, registered in `modules` and set on `asyncio`), or
    /// nil when `name` is no asyncio submodule.
    func makeAsyncioSubmodule(_ name: String) throws -> ModuleObj? {
        guard name.hasPrefix("asyncio.") else { return nil }
        let sub = String(name.dropFirst("asyncio.".count))
        guard let exported = Runtime.asyncioSubmodules[sub] else { return nil }
        let parent = try loadModule("asyncio")
        let m = newModule(name, file: nil)
        for attribute in exported {
            if let v = try findAttribute(Value(parent), attribute) { m.set(attribute, v) }
        }
        m.set("__all__", newTuple(exported.filter { m.get($0) != nil }.map { newStr($0) }))
        parent.set(sub, Value(m))
        return m
    }
}
