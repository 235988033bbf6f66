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
                exclude: ["Library/asyncio"]),
        // The public embedding API: Interpreter, Configuration, values and errors.
        .target(name: "Aso", dependencies: ["AsoSyntax", "AsoBytecode", "AsoCompiler", "AsoRuntime"]),
        // GNU readline (libreadline-dev, installed by scripts/setup), for the interactive prompt. GPL-3.0:
        // only the `aso` executable links it, never the Aso library.
        .systemLibrary(name: "CReadline", pkgConfig: "readline", providers: [.apt(["libreadline-dev"])]),
        // The command line: run, check, disasm, repl.
        // On Linux it allocates through mimalloc (Debian's libmimalloc-dev, installed by scripts/setup).
        .executableTarget(name: "aso", dependencies: ["Aso", "CReadline", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          linkerSettings: [.linkedLibrary("mimalloc", .when(platforms: [.linux]))]),

        // A small application that embeds Aso (the README's example), built and run by the tests.
        .executableTarget(name: "EmbedDemo", dependencies: ["Aso"], path: "Examples/EmbedDemo"),

        .testTarget(name: "AsoSyntaxTests", dependencies: ["AsoSyntax"]),
        .testTarget(name: "AsoRuntimeTests", dependencies: ["AsoRuntime", "AsoBytecode"]),
        .testTarget(name: "AsoTests", dependencies: ["Aso", "AsoSyntax", "AsoCompiler", "AsoBytecode", "AsoRuntime"]),
    ]
)
