// What the layers below the VM ask of generators and of the running frame, without naming the
// VM's types: Core iterates generators, prints them and reads the frame that called `super()`.
//
// One idea: Core knows generator-kind objects only as `Obj` of kind `.generator` (always a
// GeneratorObj, made in Generators.swift), and the running frame only through these functions.

extension Runtime {
    /// One step of a generator-kind object, as `next()` takes it (nothing sent in).
    func resumeGenerator(_ u: Unmanaged<Obj>) throws -> ResumeResult {
        try Unmanaged<GeneratorObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { try resume($0, sending: .none) }
    }

    /// The function whose call made a generator-kind object (for its repr).
    func generatorFunction(_ o: Obj) -> FunctionObj { unsafeDowncast(o, to: GeneratorObj.self).function }

    /// At exit: the "never awaited" warning of every coroutine made and never started (each is
    /// then finished, so it is not warned about again); `reportNeverAwaited` writes them.
    func hasCoroutinesNeverStarted() -> Bool {
        let coroutine = types.coroutine
        var found = false
        heap.forEachObject { o in
            guard !found, o.kind == .generator else { return }
            let g = unsafeDowncast(o, to: GeneratorObj.self)
            if g.state == .created, g.typeRef === coroutine { found = true }
        }
        return found
    }

    func noteCoroutinesNeverStarted(atExit: Bool = false) {
        let coroutine = types.coroutine
        heap.forEachObject { o in
            guard o.kind == .generator else { return }
            let g = unsafeDowncast(o, to: GeneratorObj.self)
            if g.state == .created, g.typeRef === coroutine {
                neverAwaited.append(neverAwaitedWarning(g, atExit: atExit))
                g.state = .finished
            }
        }
    }

    /// Zero-argument `super()`: the `__class__` cell and the first argument of the running script
    /// frame (either may be missing: nil and `.null`).
    func superArgumentsOfRunningFrame() -> (cls: Unmanaged<TypeObject>?, this: Value) {
        // (Unmanaged: the class is in the frame's `__class__` cell.)
        guard let fiber = activeFibers.last.map({ Unmanaged.passUnretained($0) }) else { return (nil, .null) }
        return fiber._withUnsafeGuaranteedRef { fiber in
            guard fiber.frameCount > 0 else { return (nil, .null) }
            let f = fiber.frames[fiber.frameCount - 1]
            let i = f.code._withUnsafeGuaranteedRef { $0.classCellSlot }
            guard i >= 0 else { return (nil, .null) }
            var slot = fiber.stack[f.base + i]
            var this = fiber.stack[f.base]
            if let c = Runtime.cellContents(of: this) { this = c }
            if let c = Runtime.cellContents(of: slot) { slot = c }
            guard case .object(let u) = slot, u._withUnsafeGuaranteedRef({ $0.kind == .type }) else { return (nil, this) }
            return (Unmanaged.fromOpaque(u.toOpaque()), this)
        }
    }
}
