// "Did you mean: 'x'?" after an uncaught NameError or AttributeError, as CPython 3.11's
// Python/suggestions.c finds it: the nearest candidate by a Levenshtein distance over UTF-8 bytes
// (a case change costs 1, other edits 2), within a third of the characters involved.
//
// A NameError keeps its `name`; the suggestion is looked for, when the traceback is printed, among
// the local names of the frame it was raised in, that module's globals, then the builtins. An
// AttributeError keeps `obj` and `name`; the suggestion is looked for among `dir(obj)`.

extension Runtime {
    /// An AttributeError's `obj` and `name` (CPython's attributes of the same names).
    static let attributeObjectKey = "obj"
    static let attributeNameKey = "name"

    /// The nearest of `candidates` to `name`, or nil (CPython's calculate_suggestions).
    static func suggestion(for name: String, among candidates: [String]) -> String? {
        if candidates.count >= 750 { return nil }
        let wanted = Array(name.utf8)
        var best: String?
        var bestDistance = Int.max
        for item in candidates where item != name {
            let bytes = Array(item.utf8)
            var maxDistance = (wanted.count + bytes.count + 3) * 2 / 6
            maxDistance = min(maxDistance, bestDistance - 1)
            let d = levenshtein(wanted, bytes, maxCost: maxDistance)
            if d > maxDistance { continue }
            if best == nil || d < bestDistance {
                best = item
                bestDistance = d
            }
        }
        return best
    }

    private static func substitutionCost(_ a: UInt8, _ b: UInt8) -> Int {
        if a & 31 != b & 31 { return 2 }
        if a == b { return 0 }
        let la = (a >= 65 && a <= 90) ? a + 32 : a
        let lb = (b >= 65 && b <= 90) ? b + 32 : b
        return la == lb ? 1 : 2
    }

    private static func levenshtein(_ a0: [UInt8], _ b0: [UInt8], maxCost: Int) -> Int {
        var a = a0[...], b = b0[...]
        while let x = a.first, let y = b.first, x == y { a = a.dropFirst(); b = b.dropFirst() }
        while let x = a.last, let y = b.last, x == y { a = a.dropLast(); b = b.dropLast() }
        if a.isEmpty || b.isEmpty { return (a.count + b.count) * 2 }
        if a.count > 40 || b.count > 40 { return maxCost + 1 }
        if b.count < a.count { swap(&a, &b) }
        if (b.count - a.count) * 2 > maxCost { return maxCost + 1 }
        let aa = Array(a), bb = Array(b)
        var buffer = [Int](filledWith: 0, count: aa.count)
        var tmp = 2
        for i in 0..<aa.count { buffer[i] = tmp; tmp += 2 }
        var result = 0
        for bIndex in 0..<bb.count {
            let code = bb[bIndex]
            var distance = bIndex * 2
            result = distance
            var minimum = Int.max
            for index in 0..<aa.count {
                let substitute = distance + substitutionCost(code, aa[index])
                distance = buffer[index]
                let insertDelete = min(result, distance) + 2
                result = min(insertDelete, substitute)
                buffer[index] = result
                if result < minimum { minimum = result }
            }
            if minimum > maxCost { return maxCost + 1 }
        }
        return result
    }

    /// A NameError for `name`, raised in `code` (with CPython's `name` attribute).
    func nameErrorWithSuggestion(_ name: String, _ code: CodeObj) -> ScriptError {
        let err = error(exc.nameError, "name '\(name)' is not defined")
        err.exception.attributes["name"] = newStr(name)
        return err
    }

    /// The suggestion for a NameError: among the local names of the frame it was raised in, then
    /// that module's globals, then the builtins.
    private func nameSuggestion(_ e: ExceptionObj, _ name: String) -> String? {
        guard let entry = e.traceback.first else { return nil }
        let c = entry.code
        let locals = Array(c.localNames.prefix(max(0, c.localNames.count - c.freeCount)))
        if let s = Runtime.suggestion(for: name, among: locals) { return s }
        if let m = modules.values.first(where: { $0.file == c.filename }) ?? modules["__main__"],
           let s = Runtime.suggestion(for: name, among: m.boundNames.map { $0.0 }) {
            return s
        }
        return Runtime.suggestion(for: name, among: builtins.boundNames.map { $0.0 })
    }

    /// ". Did you mean: 'x'?" for an exception printed as uncaught, or "".
    func suggestionSuffix(_ e: ExceptionObj) -> String {
        if e.type.isSubtype(of: exc.nameError), let name = e.attributes["name"]?.asStr?.value,
           let s = nameSuggestion(e, name) {
            return ". Did you mean: '\(s)'?"
        }
        if e.type.isSubtype(of: exc.attributeError), let obj = e.attributes[Runtime.attributeObjectKey],
           let name = e.attributes[Runtime.attributeNameKey]?.asStr?.value,
           let dirFn = builtins.get("dir"), let listed = try? call(dirFn, [obj]), let items = listed.listArray {
            let names = items.compactMap { $0.asStr?.value }
            if let s = Runtime.suggestion(for: name, among: names) { return ". Did you mean: '\(s)'?" }
        }
        return ""
    }
}
