// The loop's timers: a binary min-heap on (deadline, sequence), stored in fixed-size blocks.
//
// One idea: as with the ready queue, memory follows the number of timers. A block is added when the
// heap fills the last one and freed when the heap shrinks below it, so a burst of 100 000 sleeping
// tasks never holds an array twice its size, nor two copies while it grows.

struct TimerHeap {
    private static let shift = 12
    private static let blockSize = 1 << shift
    private var blocks: [UnsafeMutablePointer<TimerEntry>] = []
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }
    /// The earliest timer.
    var first: TimerEntry? { count > 0 ? self[0] : nil }

    private subscript(i: Int) -> TimerEntry {
        @inline(__always) get { blocks[i &>> TimerHeap.shift][i & (TimerHeap.blockSize &- 1)] }
        @inline(__always) nonmutating set { blocks[i &>> TimerHeap.shift][i & (TimerHeap.blockSize &- 1)] = newValue }
    }

    @inline(__always) private static func earlier(_ a: TimerEntry, _ b: TimerEntry) -> Bool {
        a.when < b.when || (a.when == b.when && a.seq < b.seq)
    }

    mutating func push(_ e: TimerEntry) {
        if count == blocks.count &* TimerHeap.blockSize {
            blocks.append(.allocate(capacity: TimerHeap.blockSize))
        }
        var i = count
        count &+= 1
        // Sift up: parents later than `e` move down into the hole.
        while i > 0 {
            let parent = (i &- 1) / 2
            let p = self[parent]
            if !TimerHeap.earlier(e, p) { break }
            self[i] = p
            i = parent
        }
        self[i] = e
    }

    mutating func pop() -> TimerEntry? {
        guard count > 0 else { return nil }
        let top = self[0]
        count &-= 1
        if count > 0 { siftDown(self[count], from: 0) }
        freeSpareBlocks()
        return top
    }

    /// Puts `e` at `i` or below, moving earlier children up into the hole.
    private func siftDown(_ e: TimerEntry, from start: Int) {
        var i = start
        while true {
            let l = 2 &* i &+ 1
            if l >= count { break }
            var m = l
            let r = l &+ 1
            if r < count && TimerHeap.earlier(self[r], self[l]) { m = r }
            let c = self[m]
            if !TimerHeap.earlier(c, e) { break }
            self[i] = c
            i = m
        }
        self[i] = e
    }

    /// Keeps one spare block beyond the ones in use; frees the rest.
    private mutating func freeSpareBlocks() {
        while blocks.count > 1 && (blocks.count &- 2) &* TimerHeap.blockSize > count {
            blocks.removeLast().deallocate()
        }
    }

    /// Drops the entries `unwanted` picks and restores the heap order (the order in which the rest
    /// pop is unchanged: it is a total order on (deadline, sequence)).
    mutating func removeAll(where unwanted: (TimerEntry) -> Bool) {
        var kept = 0
        for i in 0..<count {
            let e = self[i]
            if unwanted(e) { continue }
            self[kept] = e
            kept &+= 1
        }
        if kept == count { return }
        count = kept
        var i = count / 2
        while i > 0 {
            i &-= 1
            siftDown(self[i], from: i)
        }
        freeSpareBlocks()
    }

    func forEach(_ body: (TimerEntry) -> Void) {
        for i in 0..<count { body(self[i]) }
    }

    func deallocate() {
        for b in blocks { b.deallocate() }
    }
}
