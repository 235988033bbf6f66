// Names in the dispatch loop: a class body's or module's names (`loadName`), a closure's free
// variables and cells, and the errors of a name with no value. (Locals and globals are read in
// the loop itself: each is a slot.)

import AsoBytecode

extension Runtime {
    /// `loadName`: the frame's namespace (a class body), then the module's globals, then builtins.
    @inline(__always)
    func lookUpName(_ arg: Int, _ codeRef: Unmanaged<CodeObj>, _ fp: UnsafeMutablePointer<Frame>) throws -> Value {
        return try codeRef._withUnsafeGuaranteedRef { code in
            if let d = fp.pointee.namespace.asDict, let v = try d.get(code.nameValues[arg], self) { return v }
            var v = code.module.storage.pointee[Int(code.globalSlots[arg])]
            if v.isNull, code.builtinSlots[arg] >= 0 { v = builtins.storage.pointee[Int(code.builtinSlots[arg])] }
            if v.isNull { throw notDefined(code, arg) }
            return v
        }
    }

    /// `copyFreeVars`: the function's closure cells into the last `count` locals. (Not inlined:
    /// inside the dispatch loop the compiler retains the cell array around every read.)
    @inline(never)
    func copyFreeVariables(_ count: Int, _ fp: UnsafeMutablePointer<Frame>, _ codeRef: Unmanaged<CodeObj>,
                           _ locals: UnsafeMutablePointer<Value>) {
        codeRef._withUnsafeGuaranteedRef { code in
            guard case .object(let u) = fp.pointee.function, u._withUnsafeGuaranteedRef({ $0.kind == .function }) else { return }
            let first = code.localCount - count
            u._withUnsafeGuaranteedRef { o in
                let fn = unsafeDowncast(o, to: FunctionObj.self)
                fn.closure.withUnsafeBufferPointer { cells in
                    for i in 0..<min(count, cells.count) { locals[first + i] = cells[i] }
                }
            }
        }
    }

    /// The contents of the cell in a cell or free variable's slot (no reference counting: the
    /// slot holds the cell).
    @inline(__always) func cellContents(_ v: Value) -> Value {
        if case .object(let u) = v {
            return u._withUnsafeGuaranteedRef { unsafeDowncast($0, to: CellObj.self).contents }
        }
        return .null
    }

    /// The contents of `v` when it is a cell (borrowed); nil for anything else.
    @inline(__always) static func cellContents(of v: Value) -> Value? {
        guard case .object(let u) = v else { return nil }
        return u._withUnsafeGuaranteedRef { $0.kind == .cell ? unsafeDowncast($0, to: CellObj.self).contents : nil }
    }

    /// Sets the contents of the cell in a cell or free variable's slot.
    @inline(__always) func setCellContents(_ v: Value, _ contents: Value) {
        if case .object(let u) = v {
            u._withUnsafeGuaranteedRef { unsafeDowncast($0, to: CellObj.self).contents = contents }
        }
    }

    /// The cell in a cell or free variable's slot.
    @inline(__always) func cell(_ v: Value) -> CellObj {
        if case .object(let u) = v { return unsafeDowncast(u.takeUnretainedValue(), to: CellObj.self) }
        return heap.register(CellObj(.null, type: types.cell))
    }

    /// NameError for name `arg` of `code`.
    func notDefined(_ code: CodeObj, _ arg: Int) -> ScriptError {
        nameErrorWithSuggestion(code.code.names[arg], code)
    }

    func unboundLocal(_ code: CodeObj, _ slot: Int) -> ScriptError {
        let name = slot < code.code.localNames.count ? code.code.localNames[slot] : "?"
        return error(exc.unboundLocalError, "cannot access local variable '\(name)' where it is not associated with a value")
    }

    func unboundDeref(_ code: CodeObj, _ slot: Int) -> ScriptError {
        let name = slot < code.code.localNames.count ? code.code.localNames[slot] : "?"
        if slot >= code.localCount - code.code.freeCount {
            return error(exc.nameError, "cannot access free variable '\(name)' where it is not associated with a value in enclosing scope")
        }
        return error(exc.unboundLocalError, "cannot access local variable '\(name)' where it is not associated with a value")
    }
}
