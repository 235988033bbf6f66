// The iterators of the builtin containers and of native helpers.
//
// One idea: one class for them all, with the thing iterated over as an enum and a position into
// it; `Runtime.next` (Core/Runtime+Iteration.swift) advances it. A source that is exhausted is
// dropped (`.exhausted`), so a finished iterator keeps nothing alive.

/// The iterators of builtin containers and of native helpers (map, zip, enumerate, ...).
final class IterObj: Obj {
    /// (The containers are held as `Ref`s: the iterator traces them, and stepping it does no
    /// reference counting.)
    enum Source {
        case list(Ref<ListObj>)
        case tuple(Ref<TupleObj>)
        case str(Ref<StrObj>)
        case bytes(Ref<BytesObj>)
        case range(Ref<RangeObj>)
        /// Keys (0), values (1) or items (2) of a dict; `version` detects a change of size.
        case dict(Ref<DictObj>, what: Int, version: Int32)
        case set(Ref<SetObj>, version: Int)
        /// `enumerate(inner, start)` with a start that is a machine int: the count of the item at
        /// `index` is `start + index`.
        case enumerate(Value, start: Int)
        /// `zip(...)`: the iterators (a tuple of them), and zip's `strict`.
        case zip(Ref<TupleObj>, strict: Bool)
        /// A sequence of values computed up front.
        case values([Value])
        /// Computed on demand; `traced` holds values the closure refers to (for the collector).
        case native(next: (Runtime) throws -> Value?, traced: [Value])
        /// `reversed(list)`.
        case reversedList(Ref<ListObj>)
        /// Finished.
        case exhausted
    }
    var source: Source
    /// Position within the source.
    var index = 0
    init(_ source: Source, type: __shared TypeObject) {
        self.source = source
        super.init(kind: .iterator, type: type)
    }
    /// A dead iterator from the heap's pool made new, over `source`, with the bits of a new object.
    @inline(__always) func revive(_ source: Source, type: Unmanaged<TypeObject>) {
        self.source = source
        index = 0
        renew(type: type)
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        switch source {
        case .list(let o), .reversedList(let o): t.mark(o.object)
        case .tuple(let o): t.mark(o.object)
        case .str(let o): t.mark(o.object)
        case .bytes(let o): t.mark(o.object)
        case .range(let o): t.mark(o.object)
        case .dict(let o, _, _): t.mark(o.object)
        case .set(let o, _): t.mark(o.object)
        case .enumerate(let inner, _): t.mark(inner)
        case .zip(let o, _): t.mark(o.object)
        case .values(let vs): t.mark(all: vs)
        case .native(_, let vs): t.mark(all: vs)
        case .exhausted: break
        }
    }
}
