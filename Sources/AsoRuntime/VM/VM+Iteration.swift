// `for` loops in the dispatch loop: the next item of the iterator on top of the stack, with
// generators, lists and ranges stepped inline.

extension Runtime {
    /// `forIter`: pushes the next item of the iterator on top of the stack and returns true, or
    /// pops the exhausted iterator and returns false (the loop then jumps past the body).
    @inline(__always)
    func forIterNext(_ fiber: Fiber, _ fp: UnsafeMutablePointer<Frame>, _ ip: Int,
                     _ sp: inout UnsafeMutablePointer<Value>) throws -> Bool {
        // Generators: resumed without reference counting on the generator.
        if case .object(let u) = (sp - 1).pointee, u._withUnsafeGuaranteedRef({ $0.kind == .generator }) {
            Runtime.saveState(fp, ip, sp, fiber)
            let r = try Unmanaged<GeneratorObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef {
                try self.resume($0, sending: .none)
            }
            if case .yielded(let v) = r {
                sp.pointee = v
                sp += 1
                return true
            }
            sp -= 1
            return false
        }
        // Builtin iterators, borrowed (the iterator is on the stack).
        if case .object(let u) = (sp - 1).pointee, u._withUnsafeGuaranteedRef({ $0.kind == .iterator }) {
            let top = sp
            let v = try Unmanaged<IterObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef { it -> Value? in
                switch it.source {
                case .list(let r):
                    let i = it.index
                    if let v = r.borrow({ l in i < l.items.count ? l.items[i] : nil }) {
                        it.index = i &+ 1
                        return v
                    }
                case .range(let r):
                    let i = it.index
                    if let v = r.borrow({ g in i < g.length ? Value.int(g.element(i)) : nil }) {
                        it.index = i &+ 1
                        return v
                    }
                default:
                    Runtime.saveState(fp, ip, top, fiber)
                    if let v = try next(it) { return v }
                }
                it.source = .exhausted
                return nil
            }
            if let v {
                sp.pointee = v
                sp += 1
                return true
            }
            sp -= 1
            return false
        }
        Runtime.saveState(fp, ip, sp, fiber)
        if let v = try next((sp - 1).pointee) {
            sp.pointee = v
            sp += 1
            return true
        }
        sp -= 1
        return false
    }
}
