// The library parts written in Aso (Library/<module>/*.aso), as the runtime is built with them.
//
// One idea: the parts are source files that python3 can parse; scripts/generate-library turns
// them into LibraryParts.generated.swift, deriving the names each defines, so nothing about
// them is kept by hand.

/// A part of a native module written in Aso: one `.aso` file of Sources/AsoRuntime/Library,
/// compiled and run into its module when a program first looks up a name it defines (see
/// docs/library.md). The list is generated: `LibraryPart.all` (LibraryParts.generated.swift).
struct LibraryPart: Sendable {
    /// The module it runs into (`asyncio`).
    let module: String
    /// Its file, as tracebacks name it (`asyncio/queues.aso`).
    let file: String
    /// The public names its top level defines: looking one up loads the part.
    let names: Set<String>
    /// The parts (files) of the same module that must run first.
    let needs: [String]
    /// The native names of the module it builds on (`_QueueCore`): checked before it runs.
    let native: [String]
    let source: String

    /// The parts of each module, in file order.
    static let byModule: [String: [LibraryPart]] = Dictionary(grouping: all, by: \.module)
}
