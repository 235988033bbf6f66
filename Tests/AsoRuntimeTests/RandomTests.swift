// The `random` module against CPython 3.11: the raw Mersenne Twister words, SHA-512 seeding,
// the module functions' sequences and error messages. Expected texts come from python3.

import Testing
@testable import AsoRuntime

@Test func mersenneTwisterWordsMatchCPython() {
    let gen = MersenneTwister()
    gen.seed(int: 42)
    #expect([gen.next32(), gen.next32(), gen.next32()] == [2746317213, 478163327, 107420369])
    gen.seed(int: 42)
    #expect(gen.random() == 0.6394267984578837)
    #expect(gen.random() == 0.025010755222666936)
    // Past one twist of the 624-word state the words still match.
    gen.seed(int: 42)
    for _ in 0..<1000 { _ = gen.next32() }
    #expect(gen.next32() == 2672573305)
    let h = MethodsHarness()
    _ = h.module("random", "seed", [.int(42)])
    _ = h.module("random", "getrandbits", [.int(32_000)])
    #expect(h.module("random", "getrandbits", [.int(32)]) == "2672573305")
}

@Test func sha512Digests() {
    func hex(_ b: [UInt8]) -> String { b.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
    #expect(hex(SHA512.digest(Array("abc".utf8))) == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
    #expect(hex(SHA512.digest([UInt8](repeating: 97, count: 112))).hasPrefix("c01d080efd492776a1c43bd23dd99d0a"))
}

@Test func seededModuleFunctions() {
    let h = MethodsHarness()
    _ = h.module("random", "seed", [h.big("18446744073709551621")])
    #expect(h.module("random", "getrandbits", [.int(100)]) == "782755124322270624659323306931")
    #expect(h.module("random", "randrange", [h.big("10000000000000000000000000")]) == "1288370764863226500735707")
    _ = h.module("random", "seed", [h.s("seed")])
    #expect(h.module("random", "random") == "0.1382359792209653")
    _ = h.module("random", "seed", [.int(8)])
    #expect(h.module("random", "uniform", [.int(1), .int(2)]) == "1.226705859381049")
    #expect(h.module("random", "gauss", [.int(0), .int(1)]) == "0.505201817181746")
    #expect(h.module("random", "gauss", [.int(0), .int(1)]) == "-0.12197655141982364")
}

@Test func sequenceFunctions() throws {
    let h = MethodsHarness()
    _ = h.module("random", "seed", [.int(3)])
    let xs = h.list((0..<10).map { .int($0) })
    #expect(h.module("random", "shuffle", [xs]) == "None")
    #expect(try h.rt.repr(xs) == "[1, 5, 6, 0, 9, 4, 7, 2, 8, 3]")
    let range = try h.rt.call(h.rt.builtins.get("range") ?? .none, [.int(100)])
    #expect(h.module("random", "sample", [range, .int(4)]) == "[60, 33, 70, 29]")
    let weights = h.list([.int(1), .int(2), .int(3)])
    #expect(h.module("random", "choices", [h.s("abc"), weights], [("k", .int(4))]) == "['b', 'c', 'c', 'c']")
}

@Test func errorMessages() {
    let h = MethodsHarness()
    #expect(h.module("random", "randrange", [.int(0), .int(0)]) == "ValueError: empty range for randrange() (0, 0, 0)")
    #expect(h.module("random", "randint", [.int(1)]) == "TypeError: Random.randint() missing 1 required positional argument: 'b'")
    #expect(h.module("random", "choice", [h.list([])]) == "IndexError: Cannot choose from an empty sequence")
    #expect(h.module("random", "sample", [h.set([.int(1)]), .int(1)]) == "TypeError: Population must be a sequence.  For dicts or sets, use sorted(d).")
    #expect(h.module("random", "sample", [h.list([.int(1)]), .int(2)]) == "ValueError: Sample larger than population or is negative")
    #expect(h.module("random", "choices", [h.list([.int(1)]), h.list([.int(0)])]) == "ValueError: Total of weights must be greater than zero")
    #expect(h.module("random", "getrandbits", [.int(-1)]) == "ValueError: number of bits must be non-negative")
    #expect(h.module("random", "seed", [h.list([])]) == "TypeError: The only supported seed types are: None,\nint, float, str, bytes, and bytearray.")
}

@Test func interpretersHaveTheirOwnGenerator() {
    let a = MethodsHarness(), b = MethodsHarness()
    _ = a.module("random", "seed", [.int(42)])
    _ = b.module("random", "seed", [.int(42)])
    _ = a.module("random", "random")
    #expect(b.module("random", "random") == "0.6394267984578837")
    #expect(a.module("random", "random") == "0.025010755222666936")
}
