// `for` loops in the dispatch loop: the next item of the iterator on top of the stack, with
// generators, lists and ranges stepped inline.

import AsoBytecode

extension Runtime {
    /// The instruction word `unpackSequence 2`.
    /// (The opcode's byte read by a bit cast, as the dispatch loop decodes it: `rawValue` of an
    /// enum of another module is a call.)
    @inline(__always) static var unpackPairWord: UInt32 {
        UInt32(unsafeBitCast(OpCode.unpackSequence, to: UInt8.self)) | 2 << 8
    }

    /// `forIter`: pushes the next item of the iterator on top of the stack and returns true, or
    /// pops the exhausted iterator and returns false (the loop then jumps past the body).
    @inline(__always)
    func forIterNext(_ fiber: Fiber, _ fp: UnsafeMutablePointer<Frame>, _ words: UnsafeMutablePointer<UInt32>, _ ip: inout Int,
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
            // `for a, b in` an iterator that makes pairs (enumerate, zip of two, dict items): the
            // two halves go where unpacking the pair would put them (the first on top), and the
            // unpacking instruction is skipped, so no pair is made. (`ip` is past `forIter`; the
            // loop's body follows it, so the word is there.)
            if words[ip] == Runtime.unpackPairWord {
                Runtime.saveState(fp, ip, top, fiber)
                switch try Unmanaged<IterObj>.fromOpaque(u.toOpaque())._withUnsafeGuaranteedRef({ try nextPair($0) }) {
                case .pair(let a, let b):
                    sp.pointee = b
                    (sp + 1).pointee = a
                    sp += 2
                    ip &+= 1
                    return true
                case .done:
                    sp -= 1
                    return false
                case .other:
                    break
                }
            }
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
