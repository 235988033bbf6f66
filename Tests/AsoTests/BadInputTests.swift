// Hostile files and programs end with a clean Python-style error and exit status 1: never a crash,
// a hang, a Swift runtime trap or an attempt to allocate the impossible.

import Testing

@Suite struct BadInputTests {
    @Test func invalidUTF8IsASyntaxError() {
        let r = runProgram([0x78, 0x20, 0x3D, 0x20, 0xFF, 0xFE, 0x0A])
        #expect(r.status == 1)
        #expect(r.lastErrorLine.hasPrefix("SyntaxError:"))
    }

    @Test func nulBytesAreASyntaxError() {
        let r = runProgram([0x78, 0x20, 0x3D, 0x20, 0x00, 0x31, 0x0A])
        #expect(r.status == 1)
        #expect(r.lastErrorLine == "SyntaxError: source code cannot contain null bytes")
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix(seed: 42)
        for _ in 0..<200 {
            let n = Int(rng.next() % 300)
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let r = runProgram(bytes)
            #expect(r.status == 0 || r.status == 1)
            if r.status == 1 { #expect(r.lastErrorLine.contains("Error")) }
        }
    }

    @Test func randomTokenSoupNeverCrashes() {
        let pieces = ["(", ")", "[", "]", "{", "}", ":", "\n", "    ", "def", "x", "=", "1", "if", "else", "lambda",
                      "'", "\"", "f'{", "}'", "*", "**", ",", ".", "return", "for", "in", "while", "try", "except",
                      "yield", "await", "async", "class", "\t", "\\", "#", "0x", "1e", "del", "global", "nonlocal"]
        var rng = SplitMix(seed: 7)
        for _ in 0..<300 {
            var s = ""
            for _ in 0..<Int(rng.next() % 40) { s += pieces[Int(rng.next() % UInt64(pieces.count))] + " " }
            let r = runProgram(s)
            #expect(r.status == 0 || r.status == 1)
        }
    }

    @Test func hundredThousandNestedBrackets() {
        let r = runProgram(String(repeating: "(", count: 100_000) + String(repeating: ")", count: 100_000) + "\n")
        #expect(r.status == 1)
        #expect(r.lastErrorLine == "SyntaxError: too many nested parentheses")
    }

    @Test func tenMegabyteLine() {
        // A flat list display: 10 MB on one line.
        let s = "x = [" + String(repeating: "1,", count: 5_000_000) + "]\nprint(len(x))\n"
        let r = runProgram(s)
        #expect(r.status == 0)
        #expect(r.stdout == "5000000\n")
    }

    @Test func deeplyNestedOperatorChainIsClean() {
        let s = "x = 0" + String(repeating: " + 1", count: 200_000) + "\nprint(x)\n"
        let r = runProgram(s)
        #expect(r.status == 0 || r.lastErrorLine.hasPrefix("SyntaxError") || r.lastErrorLine.hasPrefix("RecursionError"))
    }

    @Test func unterminatedString() {
        let r = runProgram("x = 'abc\n")
        #expect(r.status == 1)
        #expect(r.lastErrorLine == "SyntaxError: unterminated string literal (detected at line 1)")
    }

    @Test func mixedTabsAndSpaces() {
        let r = runProgram("if True:\n        x = 1\n\ty = 2\n")
        #expect(r.status == 1)
        #expect(r.lastErrorLine == "TabError: inconsistent use of tabs and spaces in indentation")
    }

    @Test func hugeStringRepeatIsMemoryError() {
        let r = runProgram("s = 'a' * 10**12\n")
        #expect(r.status == 1)
        #expect(r.lastErrorLine == "MemoryError")
    }

    @Test func hugeListRepeatIsMemoryError() {
        let r = runProgram("s = [0] * 10**12\n")
        #expect(r.lastErrorLine == "MemoryError")
    }

    @Test func hugeIntToStringIsValueError() {
        let r = runProgram("s = str(10**100000)\n")
        #expect(r.lastErrorLine == "ValueError: Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit")
    }

    @Test func runawayRecursionIsRecursionError() {
        let r = runProgram("def f(n):\n    return f(n + 1)\nf(0)\n")
        #expect(r.status == 1)
        #expect(r.lastErrorLine == "RecursionError: maximum recursion depth exceeded")
        #expect(r.stderr.contains("[Previous line repeated 996 more times]"))
    }

    @Test func millionArgumentCall() {
        let args = Array(repeating: "0", count: 1_000_000).joined(separator: ",")
        let r = runProgram("def f(*a):\n    return len(a)\nprint(f(\(args)))\n")
        #expect(r.status == 0)
        #expect(r.stdout == "1000000\n")
    }

    @Test func deeplyNestedDataRepr() {
        let r = runProgram("x = []\nfor i in range(100000):\n    x = [x]\ntry:\n    repr(x)\nexcept RecursionError as e:\n    print(e)\n")
        #expect(r.stdout == "maximum recursion depth exceeded while getting the repr of an object\n")
    }

    @Test func deeplyNestedHashAndCompareStayClean() {
        let r = runProgram("""
            t = ()
            a = []
            b = []
            for i in range(100000):
                t = (t,)
                a = [a]
                b = [b]
            try:
                hash(t)
            except RecursionError:
                pass
            try:
                print(a == b)
            except RecursionError as e:
                print(e)
            """)
        #expect(r.status == 0)
        #expect(r.stdout == "maximum recursion depth exceeded in comparison\n")
    }
}

/// A small deterministic random number generator for reproducible fuzz-style tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
