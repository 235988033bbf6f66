// The library parts written in Aso (Sources/AsoRuntime/Library, docs/library.md): each compiles,
// finds the native names it declares, defines exactly the names the generator derived, and loads
// on first use after the parts it needs; the fast paths are declared by the parts themselves.

import Testing
@testable import Aso
@testable import AsoRuntime

@Suite struct LibraryTests {
    /// A fresh runtime (with the compiler) and the module `name`.
    static func module(_ name: String) throws -> (Runtime, ModuleObj) {
        let rt = Interpreter().runtime
        return (rt, try rt.loadModule(name))
    }

    /// The public names bound in `m`.
    static func publicNames(_ m: ModuleObj) -> Set<String> {
        Set(m.boundNames.map(\.0).filter { !$0.hasPrefix("_") })
    }

    /// `part` and every part it needs, directly or not.
    static func closure(_ part: LibraryPart) -> [LibraryPart] {
        var out: [LibraryPart] = []
        func add(_ p: LibraryPart) {
            guard !out.contains(where: { $0.file == p.file }) else { return }
            for file in p.needs {
                if let q = LibraryPart.all.first(where: { $0.file == file }) { add(q) }
            }
            out.append(p)
        }
        add(part)
        return out
    }

    @Test func thereAreParts() {
        #expect(LibraryPart.all.filter { $0.module == "asyncio" }.map(\.file) == [
            "asyncio/combinators.aso", "asyncio/conditions.aso", "asyncio/exceptions.aso", "asyncio/locks.aso",
            "asyncio/queues.aso", "asyncio/runners.aso"])
        #expect(LibraryPart.byModule["contextvars"] != nil)
        // Modules written wholly in Aso, and one part of a native module (time).
        for module in ["functools", "typing", "collections", "collections.abc", "abc", "contextlib", "itertools", "time"] {
            #expect(LibraryPart.byModule[module] != nil, "\(module)")
        }
    }

    @Test func asyncioSubmodulesHoldAsynciosOwnObjects() throws {
        let (rt, m) = try Self.module("asyncio")
        // Looked up as an attribute, a submodule is made and bound in asyncio.
        let exceptions = try #require(try rt.findAttribute(Value(m), "exceptions")?.asModule)
        #expect(exceptions.name == "asyncio.exceptions")
        #expect(rt.modules["asyncio.exceptions"] === exceptions)
        let cancelled = try #require(try rt.findAttribute(Value(exceptions), "CancelledError"))
        #expect(cancelled.isIdentical(to: try #require(try rt.findAttribute(Value(m), "CancelledError"))))
        // Imported by name, the same module; a name that is no submodule stays missing.
        #expect(try rt.loadModule("asyncio.exceptions") === exceptions)
        let missing = try rt.findAttribute(Value(m), "coroutine")
        #expect(missing.map { _ in false } ?? true)
    }

    @Test func aModuleWrittenInAsoCompilesNothingUntilANameIsUsed() throws {
        let (rt, m) = try Self.module("functools")
        #expect(rt.loadedLibraryParts.isEmpty)
        #expect(try rt.findAttribute(Value(m), "partial") != nil)
        #expect(rt.loadedLibraryParts == ["functools/functools.aso"])
        // A submodule is bound in its parent, as `import collections.abc` needs.
        let abc = try rt.loadModule("collections.abc")
        #expect(rt.modules["collections"]?.get("abc")?.asModule === abc)
        #expect(!rt.loadedLibraryParts.contains("collections/abc/abc.aso"))
    }

    @Test func everyPartLoadsOnItsFirstNameAndDefinesWhatTheGeneratorDerived() throws {
        for part in LibraryPart.all {
            let (rt, m) = try Self.module(part.module)
            for native in part.native {
                #expect(m.get(native) != nil, "\(part.file): the runtime lacks \(part.module).\(native)")
            }
            let before = Self.publicNames(m)
            let first = try #require(part.names.sorted().first)
            #expect(m.get(first) == nil)
            #expect(try rt.findAttribute(Value(m), first) != nil, "\(part.file): \(first) not defined")
            let expected = Self.closure(part).reduce(into: Set<String>()) { $0.formUnion($1.names) }
            #expect(Self.publicNames(m).subtracting(before) == expected, "\(part.file)")
            // A part may import other modules (typing imports collections): count this module's parts.
            let mine = Set(LibraryPart.all.filter { $0.module == part.module }.map(\.file))
            #expect(Set(Self.closure(part).map(\.file)) == rt.loadedLibraryParts.intersection(mine))
        }
    }

    @Test func importStarLoadsEveryPart() throws {
        let (rt, m) = try Self.module("asyncio")
        let target = rt.newModule("__main__", file: "test.aso")
        try rt.importStar(Value(m), into: target)
        #expect(rt.loadedLibraryParts == Set(LibraryPart.all.filter { $0.module == "asyncio" }.map(\.file)))
        for part in LibraryPart.all where part.module == "asyncio" {
            for name in part.names { #expect(target.get(name) != nil, "\(name)") }
        }
    }

    @Test func aNameOfNoPartLoadsNothing() throws {
        let (rt, m) = try Self.module("asyncio")
        #expect(try rt.findAttribute(Value(m), "no_such_name") == nil)
        #expect(try rt.findAttribute(Value(m), "_state_repr") == nil)
        #expect(rt.loadedLibraryParts.isEmpty)
    }

    @Test func thePartsDeclareTheirFastPaths() throws {
        let (rt, m) = try Self.module("asyncio")
        for (cls, method, kind) in [("Queue", "put", AwaitFast.queuePut), ("Queue", "get", .queueGet),
                                    ("Semaphore", "acquire", .semaphoreAcquire)] {
            let t = try #require(try rt.findAttribute(Value(m), cls)?.asType)
            #expect(t.nativeCore == "_core")
            #expect(t.dict[method]?.asFunction?.code.awaitFast == kind)
        }
        for sub in ["PriorityQueue", "LifoQueue", "BoundedSemaphore"] {
            let t = try #require(try rt.findAttribute(Value(m), sub)?.asType)
            #expect(t.nativeCore == nil)
            #expect(t.declaredNativeCore == "_core")
        }
        let lock = try #require(try rt.findAttribute(Value(m), "Lock")?.asType)
        #expect(lock.declaredNativeCore == nil)
        #expect(lock.dict["acquire"]?.asFunction?.code.awaitFast == AwaitFast.none)
    }

    @Test func theFastPathDeclarationsCheckTheirArguments() {
        let r = runProgram("""
        import asyncio
        for bad in [lambda: asyncio._await_fast('nope'), lambda: asyncio._await_fast('queue_put')(len),
                    lambda: asyncio._await_fast('queue_put')(lambda: 0), lambda: asyncio._native_core('_core')(3),
                    lambda: asyncio._native_core(3)]:
            try:
                bad()
            except (TypeError, ValueError) as e:
                print(type(e).__name__, e)
        """)
        #expect(r.stdout == """
        ValueError _await_fast(): unknown fast path 'nope'
        TypeError @_await_fast applies to an async def
        TypeError @_await_fast applies to an async def
        TypeError @_native_core applies to a class
        TypeError _native_core() argument must be str

        """)
    }
}
