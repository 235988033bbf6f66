// Module behaviour that needs more than one expression: deep nesting, cycles, the output sinks,
// the configured argv and environment. Expected texts come from python3.

import Testing
@testable import AsoRuntime

@Test func jsonDeepArrayRaisesRecursionError() {
    let h = MethodsHarness()
    let doc = h.s(String(repeating: "[", count: 100_000))
    #expect(h.module("json", "loads", [doc]) == "RecursionError: maximum recursion depth exceeded while decoding a JSON array from a unicode string")
    let objects = h.s(String(repeating: "{\"a\":", count: 100_000))
    #expect(h.module("json", "loads", [objects]) == "RecursionError: maximum recursion depth exceeded while decoding a JSON object from a unicode string")
    #expect(h.rt.depth == 0)
}

@Test func jsonDumpsCyclesAndDepth() {
    let h = MethodsHarness()
    let l = h.list([])
    l.asList?.items.append(l)
    #expect(h.module("json", "dumps", [l]) == "ValueError: Circular reference detected")
    var nested = h.list([])
    for _ in 0..<2000 { nested = h.list([nested]) }
    h.rt.tempRoots.append(nested)
    #expect(h.module("json", "dumps", [nested]) == "RecursionError: maximum recursion depth exceeded while encoding a JSON object")
    #expect(h.rt.depth == 0)
    // Shared (not circular) values are fine.
    let shared = h.list([.int(1)])
    #expect(h.module("json", "dumps", [h.list([shared, shared])]) == #"'[[1], [1]]'"#)
}

@Test func jsonRoundTripOfNestedData() {
    let h = MethodsHarness()
    let text = #"{"name": "caf\u00e9", "xs": [1, -2.5, 1e+300, 12345678901234567890123], "ok": true, "none": null}"#
    let v = h.rt.newStr(text)
    #expect(h.module("json", "loads", [v]) == #"{'name': 'café', 'xs': [1, -2.5, 1e+300, 12345678901234567890123], 'ok': True, 'none': None}"#)
    #expect(h.eval(#"json.dumps(json.loads('{"name": "caf\\u00e9", "xs": [1, -2.5]}'))"#) == #"'{"name": "caf\\u00e9", "xs": [1, -2.5]}'"#)
}

@Test func jsonDecodeErrorIsAValueErrorOfJsonDecoder() {
    let h = MethodsHarness()
    #expect(h.eval("json.JSONDecodeError.__mro__") == "(<class 'json.decoder.JSONDecodeError'>, <class 'ValueError'>, <class 'Exception'>, <class 'BaseException'>, <class 'object'>)")
    do {
        _ = try h.rt.call(try h.rt.getAttribute(Value(try h.rt.loadModule("json")), h.rt.intern("loads")), [h.s("\n [1,\n  x]")])
        Issue.record("no error")
    } catch let e as ScriptError {
        #expect(h.rt.exceptionLine(e.exception) == "json.decoder.JSONDecodeError: Expecting value: line 3 column 3 (char 8)")
        #expect(h.describe { e.exception.attributes["lineno"] ?? .none } == "3")
        #expect(h.describe { e.exception.attributes["colno"] ?? .none } == "3")
        #expect(h.describe { e.exception.attributes["pos"] ?? .none } == "8")
        #expect(h.describe { e.exception.attributes["msg"] ?? .none } == "'Expecting value'")
    } catch {
        Issue.record("unexpected \(error)")
    }
}

@Test func sysStreamsWriteToTheSinks() {
    let h = MethodsHarness()
    #expect(h.eval("sys.stdout.write('hi\\n')") == "3")
    #expect(h.eval("sys.stderr.write('oops')") == "4")
    #expect(h.eval("sys.stdout.flush()") == "None")
    #expect(h.eval("sys.stdout.write(1)") == "TypeError: write() argument must be str, not int")
    #expect(h.out == "hi\n")
    #expect(h.err == "oops")
}

@Test func sysAndOsReflectTheOptions() {
    let h = MethodsHarness(argv: ["prog.aso", "x"], environment: ["HOME": "/home/u", "LANG": "C"])
    #expect(h.eval("sys.argv") == "['prog.aso', 'x']")
    #expect(h.eval("os.environ") == "{'HOME': '/home/u', 'LANG': 'C'}")
    #expect(h.eval("os.environ['HOME']") == "'/home/u'")
    #expect(h.eval("os.environ['NOPE']") == "KeyError: 'NOPE'")
    #expect(h.eval("os.getenv('LANG')") == "'C'")
    #expect(h.eval("sys.version.startswith('3.11.')") == "True")
    #expect(h.eval("sys.exit(2)") == "SystemExit: 2")
    #expect(h.eval("os.path.join('a', 'b')") == "'a/b'")
}

@Test func timeClocksMove() {
    let h = MethodsHarness()
    let a = h.eval("time.monotonic_ns()"), b = h.eval("time.monotonic_ns()")
    #expect((Int(a) ?? 0) > 0)
    #expect((Int(b) ?? 0) >= (Int(a) ?? 0))
    #expect(h.eval("time.sleep(0)") == "None")
    #expect(h.eval("time.time()").contains("."))
}

@Test func listSortWithKeyAndReverse() {
    let h = MethodsHarness()
    #expect(h.eval("sorted(['b', 'A', 'c'], key=str.lower)") == "['A', 'b', 'c']")
    let l = h.list([h.s("b"), h.s("A"), h.s("c")])
    h.rt.tempRoots.append(l)
    #expect(h.call(l, "sort", [], [("key", h.rt.types.str.dict["lower"] ?? .none), ("reverse", .bool(true))]) == "None")
    #expect(h.describe { l } == "['c', 'b', 'A']")
    #expect(h.call(l, "sort", [], [("reverse", .float(1))]) == "TypeError: 'float' object cannot be interpreted as an integer")
}
