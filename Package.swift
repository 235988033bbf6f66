// swift-tools-version:6.0
// Aso: a Python-subset interpreter with async/await.
// Source -> Tokens -> AST (AsoSyntax) -> Bytecode (AsoCompiler, AsoBytecode) -> running code (AsoRuntime),
// wired together for hosts by Aso and for people by the `aso` command.
import PackageDescription

let package = Package(
    name: "Aso",
    products: [
        .library(name: "Aso", targets: ["Aso"]),
        .executable(name: "aso", targets: ["aso"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
    ],
    targets: [
        // Source locations, tokens, the lexer (INDENT/DEDENT), the AST, the parser and syntax errors.
        .target(name: "AsoSyntax"),
        // Opcodes with their stack effects, code objects, line and exception tables, the disassembler.
        .target(name: "AsoBytecode"),
        // Scopes (local/cell/free/global) and AST -> code objects.
        .target(name: "AsoCompiler", dependencies: ["AsoSyntax", "AsoBytecode"]),
        // Values, objects, the collector, the VM, builtins and the standard modules; the asyncio loop
        // runs on a SwiftNIO event loop. Never the compiler (it is handed one at start). The library's
        // Aso sources (Library/<module>/*.aso) are built in through LibraryParts.generated.swift.
        .target(name: "AsoRuntime", dependencies: ["AsoBytecode", .product(name: "BigInt", package: "BigInt"),
                                                   .product(name: "NIOCore", package: "swift-nio"),
                                                   .product(name: "NIOPosix", package: "swift-nio")],
                exclude: ["Library/asyncio", "Library/__future__", "Library/abc", "Library/base64", "Library/bisect", "Library/collections", "Library/contextlib", "Library/contextvars", "Library/copy", "Library/dataclasses", "Library/datetime", "Library/enum", "Library/functools", "Library/heapq", "Library/io", "Library/itertools", "Library/keyword", "Library/logging", "Library/operator", "Library/reprlib", "Library/secrets", "Library/statistics", "Library/string", "Library/textwrap", "Library/time", "Library/traceback", "Library/types", "Library/typing", "Library/uuid"],
                // Release builds leave out the run-time exclusivity checks (docs/architecture.md, "Exclusivity");
                // debug builds, which the corpus also runs, keep them. The `-tail-dup` limits let LLVM copy the
                // dispatch loop's few instructions of dispatch (load the word, jump through the table) to the end
                // of every instruction's case, as threaded code does: each case then has an indirect jump of its
                // own, which the branch predictor learns per instruction ("Dispatch" in docs/architecture.md).
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked", "-Xllvm", "-tail-dup-pred-size=400", "-Xllvm", "-tail-dup-succ-size=400", "-Xllvm", "-tail-dup-indirect-size=64"], .when(configuration: .release))]),
        // The public embedding API: Interpreter, Configuration, values and errors.
        .target(name: "Aso", dependencies: ["AsoSyntax", "AsoBytecode", "AsoCompiler", "AsoRuntime"]),
        // The HTTP client (`fetch` and the `aiohttp` module) on AsyncHTTPClient, bound to the
        // interpreter's own event loop. A runtime extension the `aso` command plugs in: the language
        // core and its tests never compile AsyncHTTPClient and its TLS stack.
        .target(name: "AsoHTTP", dependencies: ["AsoRuntime",
                                                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                                .product(name: "NIOCore", package: "swift-nio"),
                                                .product(name: "NIOHTTP1", package: "swift-nio"),
                                                .product(name: "NIOPosix", package: "swift-nio"),
                                                .product(name: "NIOSSL", package: "swift-nio-ssl")],
                exclude: ["Library"],
                swiftSettings: [.swiftLanguageMode(.v5)]),
        // `hashlib` and `hmac` on swift-crypto, a runtime extension like the HTTP client (the
        // language core and its tests never compile the crypto library).
        .target(name: "AsoCrypto", dependencies: ["AsoRuntime", .product(name: "Crypto", package: "swift-crypto")],
                exclude: ["Library"]),
        // GNU readline (libreadline-dev, installed by scripts/setup), for the interactive prompt. GPL-3.0:
        // only the `aso` executable links it, never the Aso library.
        .systemLibrary(name: "CReadline", pkgConfig: "readline", providers: [.apt(["libreadline-dev"])]),
        // The command line: run, check, disasm, repl.
        // On Linux it allocates through mimalloc (Debian's libmimalloc-dev, installed by scripts/setup).
        // It is linked as a position-dependent executable that exports no symbols: a PIE with
        // `-export-dynamic` (the static Swift stdlib's default) makes the loader page in 2.8 MB of
        // relocations, 1.5 MB of dynamic symbol tables and dirty 1 MB of `.data.rel.ro` at every start,
        // 5.4 MB of the resident set of an empty script (21.7 MiB down to 16.3 MiB). Release builds only:
        // a debug build links the Swift runtime as a shared library, and a position-dependent
        // executable referring to its protected functions makes the loader print a warning.
        .executableTarget(name: "aso", dependencies: ["Aso", "AsoHTTP", "AsoCrypto", "CReadline", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          linkerSettings: [.linkedLibrary("mimalloc", .when(platforms: [.linux])),
                                           .unsafeFlags(["-Xclang-linker", "-no-pie", "-Xlinker", "--no-export-dynamic"],
                                                        .when(platforms: [.linux], configuration: .release))]),

        // A small application that embeds Aso (the README's example), built and run by the tests.
        .executableTarget(name: "EmbedDemo", dependencies: ["Aso"], path: "Examples/EmbedDemo"),

        .testTarget(name: "AsoSyntaxTests", dependencies: ["AsoSyntax"]),
        .testTarget(name: "AsoRuntimeTests", dependencies: ["AsoRuntime", "AsoBytecode", .product(name: "BigInt", package: "BigInt")]),
        .testTarget(name: "AsoHTTPTests", dependencies: ["Aso", "AsoHTTP",
                                                        .product(name: "NIOCore", package: "swift-nio"),
                                                        .product(name: "NIOHTTP1", package: "swift-nio"),
                                                        .product(name: "NIOPosix", package: "swift-nio"),
                                                        .product(name: "NIOSSL", package: "swift-nio-ssl")],
                    exclude: ["Fixtures"],
                    swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(name: "AsoTests", dependencies: ["Aso", "AsoSyntax", "AsoCompiler", "AsoBytecode", "AsoRuntime"]),
    ]
)
