// The state of one interpreter: heap, types, builtins, modules, output sinks and limits.
//
// One idea: nothing is global. Every object, every native function and the VM reach the
// interpreter through this one object, so many interpreters can live in one process.
//
// The folders of AsoRuntime are layers: each names only the types of the layers below it.
//
//   Modules    the standard modules (math, random, json, time, sys, os)
//   Builtins   builtin functions, constructors and methods
//   Async      the event loop and its clock, futures, tasks, asyncio's native parts
//   VM         frames, fibers, generators, the dispatch loop and calls
//   Core       the heap, the builtin types, and the operations on values (compare, hash, items,
//              attributes, iteration, text, exceptions, numbers)
//   Objects    values, the object base class and the objects' Swift classes
//   Format     number and text formatting and parsing (names nothing of the runtime)
//
// This file is above them all: the Runtime class's stored state is where every layer's state
// meets, so it names types of every folder, and every folder extends Runtime. Calls still go both
// ways through Runtime's methods (Objects hash through Core; Core calls the VM's `call` and steps
// generators through VM/EntryPoints.swift), and an upper layer may fill in a slot that a lower one
// reads (a class's `containerSlots`, set for asyncio's `_Fifo`); what a layer never does is name a
// type of a layer above it.

import AsoBytecode
import Dispatch

/// Limits and switches an embedder or the command line chooses.
package struct RuntimeOptions: Sendable {
    /// Frames (script calls plus nested native re-entries) before RecursionError.
    package var recursionLimit = 1000
    /// Collect at every safepoint (`ASO_GC_STRESS=1`).
    package var gcStress = false
    /// The most memory the heap may hold before allocations raise MemoryError.
    package var memoryLimit = 8 << 30
    /// `sys.argv`.
    package var argv: [String] = []
    /// `os.environ`.
    package var environment: [String: String] = [:]
    /// Event loop timers jump the clock instead of waiting (the same output, at once).
    package var virtualTime = false
    /// Folders `import` searches for `.aso` files after the main script's folder.
    package var modulePath: [String] = []
    /// Does `import` search the main script's folder (the current folder for source given as text)?
    package var importsFromMainFolder = true
    /// Most bytes a script may write to standard output and error (0: no limit); past it, writes
    /// raise OSError.
    package var outputLimit = 0
    /// Most tasks alive at once (0: no limit); past it, `create_task` raises RuntimeError.
    package var maxTasks = 0
    /// The seed of `random`'s generator at start (nil: from the system's entropy).
    package var randomSeed: Int? = nil
    /// Hosts an HTTP client may reach: nil for any host, empty for none (no network).
    package var networkAllowList: [String]? = nil
    /// The largest HTTP response body an HTTP client extension accepts (nil: its own default).
    package var maxResponseBodySize: Int? = nil
    /// May `os.kill` send signals to other processes (and to this one by the system)?
    package var processControl = true
    /// Where `input()` reads a line (nil: the process's standard input); returning nil is EOF.
    package var readLine: (@Sendable () -> String?)? = nil
    /// What a signal whose disposition is `SIG_DFL` does when it reaches the interpreter (the
    /// `aso` command ends the process by it); nil: nothing.
    package var defaultSignalAction: (@Sendable (Int32) -> Void)? = nil
    /// Called when a script sets a handler for a signal: the host should relay that signal of
    /// the process to the interpreter (`SignalLine.raise`) from now on.
    package var relaySignal: (@Sendable (Int32) -> Void)? = nil
    package init() {}
}

package final class Runtime {
    let heap: Heap
    let types: Types
    let exc: ExceptionTypes
    /// The `builtins` module: the fallback of every global lookup.
    let builtins: ModuleObj
    /// Loaded modules by name (`sys.modules`).
    var modules: [String: ModuleObj] = [:]
    /// Modules whose body is still running (a circular import sees them partially initialised).
    var initializingModules: Set<String> = []
    /// Factories of the native modules (`math`, `json`, ...), run on first import.
    var nativeModules: [String: (Runtime) -> ModuleObj] = [:]
    let options: RuntimeOptions
    /// The int/str conversion digit limit (`sys.set_int_max_str_digits`; 0 means none).
    var intMaxStrDigits = defaultIntMaxStrDigits
    /// Where `print` writes (standard output by default).
    @exclusivity(unchecked) package var writeOut: (String) -> Void
    /// Pushes out what `writeOut` holds in a buffer (`print(flush=True)`, `sys.stdout.flush()`).
    @exclusivity(unchecked) package var flushOut: () -> Void = {}
    /// Where tracebacks and warnings go (standard error by default).
    @exclusivity(unchecked) package var writeErr: (String) -> Void
    /// Compiles every source the runtime loads after the main program: `import` of `.aso` files
    /// and the library's parts (Library/Runtime+Library.swift). nil: neither can load.
    let compile: CompileFunction?
    /// The main script's folder, which `import` searches first (set by `executeMain`).
    var mainFolder = "."
    /// The library parts already run into their modules, by file.
    var loadedLibraryParts: Set<String> = []

    /// The singletons `NotImplemented` and `Ellipsis`.
    var notImplemented: Value = .none
    var ellipsis: Value = .none
    /// The empty tuple: every `()` is this one, as in CPython.
    var emptyTuple: Value = .none
    /// Interned strings (names, constants, one-character strings); see `intern`.
    var interned: [String: StrObj] = [:]
    /// The one-character ASCII strings by code, then the empty string (interned, so rooted
    /// there), made on first use.
    var asciiCharacters = [Value](repeating: .null, count: 129)
    /// Counters the dispatch loop touches on every call, behind a pointer so that updating them
    /// needs no exclusivity check.
    let hot: UnsafeMutablePointer<HotCounters>
    /// Current depth of script frames plus native re-entries, against the recursion limit.
    var depth: Int {
        @inline(__always) get { hot.pointee.depth }
        @inline(__always) set { hot.pointee.depth = newValue }
    }
    /// Values native code holds across calls back into script code (see DESIGN.md §5).
    @exclusivity(unchecked) var tempRoots: [Value] = []
    /// Drops `tempRoots` above `count` (what a native function added); when none are left and the
    /// block is large (a sort of many items rooted them all), the block is given back.
    func popTempRoots(to count: Int) {
        tempRoots.removeLast(tempRoots.count &- count)
        if count == 0 && tempRoots.capacity > 4096 { tempRoots = [] }
    }
    /// Fibers currently running (innermost last); their stacks are roots.
    let activeFibers = FiberStack()
    /// A native consumer draining a plain generator (`Runtime.forEachValue`): the generator's
    /// fiber and what takes its values. A `yield` of that fiber offers the value to `take` and,
    /// when it is taken, goes on in the same run instead of leaving it. (`take` in a box held
    /// unmanaged: a closure stored, copied or called from a pointer costs a retain and a release
    /// of its context; one read from a constant of a borrowed object does not.)
    @exclusivity(unchecked) var generatorSink: (fiber: UnsafeMutableRawPointer, take: Unmanaged<ValueSink>)? = nil
    /// The bytes `buildingString` lends to one build of a string at a time (kept between builds, so
    /// an f-string or a `format` allocates only the string it makes).
    @exclusivity(unchecked) var stringBuilderBytes: [UInt8] = []
    /// Spare fibers for nested calls from native code.
    @exclusivity(unchecked) var fiberPool: [Fiber] = []
    /// The exception being handled, per CPython's `sys.exc_info()` (`.none` when none).
    var handledException: Value = .none
    /// True while a nested (native-called) dispatch loop runs: such code cannot suspend.
    @exclusivity(unchecked) var nestedRuns = 0
    /// Where SwiftNIO starts closing this interpreter's event loops (made on first use).
    lazy var loopShutdownQueue = DispatchQueue(label: "aso.eventloop.shutdown")
    /// The finished awaitable that `await asyncio.sleep(0)` leaves in its `await` loop (once the
    /// module is made; stateless, so shared; a root).
    var sleepZeroDone: Value? = nil
    /// Source lines of loaded files, by file name, for tracebacks.
    var sources: [String: SourceLines] = [:]
    /// Signals raised from any thread, handled at the next safepoint (Runtime+Signals.swift).
    package let signals: SignalLine
    /// `signal.signal`'s settings (a signal not here has its default disposition).
    var signalDispositions: [Int32: SignalDisposition] = [:]
    /// asyncio.run's handler of the first Ctrl-C, while it runs the main task.
    var runnerInterrupt: RunnerInterrupt?
    /// An interactive session's handler of Ctrl-C: true when it dealt with it (cancelled the input
    /// that awaits), false to raise KeyboardInterrupt where the code runs.
    var interactiveInterrupt: (() -> Bool)?
    /// True once the program ended with an uncaught KeyboardInterrupt (the `aso` command then ends
    /// by SIGINT, as CPython does).
    package var endedByKeyboardInterrupt = false
    /// Containers whose repr is being built (to print `[...]` for self-references).
    var reprInProgress: Set<ObjectIdentifier> = []

    package init(options: RuntimeOptions, compile: CompileFunction? = nil, writeOut: @escaping (String) -> Void,
                 writeErr: @escaping (String) -> Void) {
        self.options = options
        self.compile = compile
        self.writeOut = writeOut
        self.writeErr = writeErr
        hot = .allocate(capacity: 1)
        hot.initialize(to: HotCounters(depth: 0, recursionLimit: options.recursionLimit))
        heap = Heap(stress: options.gcStress, memoryLimit: options.memoryLimit)
        heap.leakReport = writeErr
        signals = SignalLine(attention: heap.requestFlag)
        types = Types(heap: heap)
        heap.strText = StrObj.Text(type: types.str)
        exc = ExceptionTypes(heap: heap, types: types)
        builtins = heap.register(ModuleObj(name: "builtins", type: types.module))
        notImplemented = Value(heap.register(InstanceObj(type: types.notImplemented)))
        ellipsis = Value(heap.register(InstanceObj(type: types.ellipsis)))
        emptyTuple = Value(heap.register(TupleObj(count: 0, type: types.tuple) { _ in }))
        installBuiltins()
        heap.beforeSweep = { [unowned(unsafe) self] t in self.keepDestroyedTasks(&t) }
        heap.onFreeGenerator = { [unowned(unsafe) self] o in
            // Only called for generator-kind objects, which are GeneratorObj.
            let g = unsafeDowncast(o, to: GeneratorObj.self)
            guard g.state == .created, g.hasType(self.types.coroutine) else { return }
            self.neverAwaited.append(self.neverAwaitedWarning(g))
        }
    }

    deinit { hot.deallocate() }

    /// Every root the runtime itself holds (fibers add theirs).
    func traceRoots(_ t: inout Tracer) {
        t.mark(builtins)
        for m in modules.values { t.mark(m) }
        for ty in types.every { t.mark(ty) }
        for ty in exc.ordered { t.mark(ty) }
        for ty in exc.asyncio { t.mark(ty) }
        loop?.trace(&t)
        for l in knownLoops.values where l !== loop { l.trace(&t) }
        if let p = policyLoop { t.mark(p) }
        t.mark(currentContext)
        t.mark(copyContextFunction)
        // (A task whose exception was retrieved since is no longer kept for the report.)
        finishedWithException.removeAll { !$0.logTraceback }
        for task in finishedWithException { t.mark(task) }
        for task in destroyedTasks { t.mark(task) }
        for o in interned.values { t.mark(o) }
        t.mark(notImplemented)
        t.mark(ellipsis)
        t.mark(emptyTuple)
        t.mark(handledException)
        if let done = sleepZeroDone { t.mark(done) }
        for case .call(let handler) in signalDispositions.values { t.mark(handler) }
        for case .loopHandle(let handle, _) in signalDispositions.values { t.mark(handle) }
        if let runner = runnerInterrupt { t.mark(runner.task) }
        t.mark(all: tempRoots)
        activeFibers.forEach { $0.traceContents(&t) }
        for f in extensionFutures.values { t.mark(f) }
        for m in extraRoots { m(&t) }
        for m in localArrayRoots { m(&t) }
        host.handles.trace(&t)
        for f in host.pending.values { t.mark(f) }
    }
    /// The running event loop (`asyncio.run`), nil when none runs.
    var loop: EventLoop? {
        didSet { loopRef = loop.map { Unmanaged.passUnretained($0) } }
    }
    /// contextvars: the current context (a `contextvars.Context`; None while no variable was
    /// set), whether the module was ever used (until then tasks and callbacks capture nothing),
    /// and its `copy_context`.
    @exclusivity(unchecked) var currentContext: Value = .none
    @exclusivity(unchecked) var contextsUsed = false
    var copyContextFunction: Value = .none
    /// Loops made and not yet closed (`new_event_loop()`, `asyncio.run`), by their script object.
    var knownLoops: [ObjectIdentifier: EventLoop] = [:]
    /// The loop `set_event_loop` set (None after `set_event_loop(None)`); nil when never set.
    var policyLoop: Value?
    /// `loop` without reference counting, for the scheduler's hot paths (kept alive by `loop`).
    private(set) var loopRef: Unmanaged<EventLoop>?
    /// "Never awaited" warnings noted during a sweep, written once it is over.
    var neverAwaited: [String] = []
    /// The "never awaited" warnings written so far (each place warns once).
    var warnedNeverAwaited = Set<String>()
    /// Tasks made so far (their order; also their default names, `Task-N`, while no task was named).
    var tasksCreated = 0
    /// The number in the last default task name (`Task-<n>`): CPython counts only the tasks made
    /// without a name.
    var taskNamesNumbered = 0
    /// Pending tasks of closed loops (not traced: the collector may find them garbage).
    var orphanedTasks: [Unmanaged<TaskObj>] = []
    /// Tasks of `orphanedTasks` the last collection found garbage, kept to be reported.
    var destroyedTasks: [TaskObj] = []
    /// Tasks that ended with an exception, checked at the end of `asyncio.run` for ones whose
    /// exception nobody retrieved.
    var finishedWithException: [TaskObj] = []
    /// Runs the event loop's clock virtually (`aso run --virtual-time`).
    var virtualTime: Bool { options.virtualTime }
    /// The last identity hash handed out (see `identityHash`).
    var identityHashSerial: Int32 = 0
    /// Set while an uncaught exception is printed: its last line gets CPython's "Did you mean".
    var offerSuggestions = false

    /// Modules of runtime extensions by name, made on import (Extensions/RuntimeExtension.swift).
    var extensionModules: [String: ExtensionModule] = [:]
    /// State extensions keep per interpreter.
    var extensionState: [String: AnyObject] = [:]
    /// Futures of extension work in flight (roots until the work completes).
    var extensionFutures: [ObjectIdentifier: FutureObj] = [:]
    /// What the work behind some of those futures is (`:tasks` at the prompt shows it); kept
    /// only when `describesIO` (an interactive session), so a script pays nothing for it.
    var ioDescriptions: [ObjectIdentifier: String] = [:]
    var describesIO = false

    /// Roots registered by other parts (the event loop, the host's handles).
    var extraRoots: [(inout Tracer) -> Void] = []
    /// Arrays in native code's local variables that collections mark while the code runs
    /// (`whileMarking`), innermost last.
    @exclusivity(unchecked) var localArrayRoots: [(inout Tracer) -> Void] = []
    /// What an embedding host registered: handles, async calls in flight (Host/).
    let host = HostState()

    /// Collects garbage now: a full collection, or the one the heap's pacing asks for when
    /// `full` is false (the safepoints' collections).
    func collectGarbage(full: Bool = true) {
        heap.collect(full: full) { t in traceRoots(&t) }
        reportNeverAwaited()
        reportDestroyedTasks()
    }

    /// Warnings for unawaited coroutines freed by the last collection (written after the sweep).
    func reportNeverAwaited() {
        guard !neverAwaited.isEmpty else { return }
        let text = neverAwaited.joined()
        neverAwaited = []
        writeErr(text)
    }
}

/// See `Runtime.hot`.
struct HotCounters {
    /// Frames plus native re-entries now running.
    var depth: Int
    /// The depth at which RecursionError is raised.
    var recursionLimit: Int
    /// Bumped whenever a class's attributes change after start-up (or a class is made), so the
    /// method caches of `loadMethod` know their entries are stale.
    var typeEpoch: Int = 0
}
