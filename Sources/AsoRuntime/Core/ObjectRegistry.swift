// The heap's registry: every object it owns, in the order they were made, in blocks of a fixed size.
//
// One idea: a Swift array of a million entries grows by doubling, and while it copies itself the old
// buffer and the new one are both alive (24 bytes per object at that moment, on top of the objects);
// appending also asks whether the buffer is uniquely referenced. Here the entries sit in blocks of
// `blockSize` that never move: appending writes through a cursor into the current block and takes a
// new block when that one is full, a sweep compacts the survivors towards the front and hands the
// emptied blocks back (one is kept in reserve, so a heap that breathes around a block boundary does
// not allocate and free a block at each collection). The registry holds the heap's references to the
// objects as `Unmanaged`: it does no reference counting of its own (Heap retains and releases).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct ObjectRegistry: ~Copyable {
    typealias Entry = Unmanaged<Obj>
    /// Entries per block (32 KiB of them).
    static let blockShift = 12
    static let blockSize = 1 << blockShift

    /// The blocks, in order; `blocks[0..<blockCount]` are allocated.
    private var blocks: UnsafeMutablePointer<UnsafeMutablePointer<Entry>>
    private var blockCount = 0
    private var blockTableCapacity = 8
    /// How many entries.
    private(set) var count = 0
    /// Where the next entry goes, and the end of its block (equal when the block is full).
    private var cursor: UnsafeMutablePointer<Entry>?
    private var limit: UnsafeMutablePointer<Entry>?

    init() {
        blocks = .allocate(capacity: blockTableCapacity)
    }

    deinit {
        for b in 0..<blockCount { blocks[b].deallocate() }
        blocks.deallocate()
    }

    /// Adds `e` at the end.
    @inline(__always) mutating func append(_ e: Entry) {
        if _slowPath(cursor == limit) { startBlock() }
        let c = cursor.unsafelyUnwrapped
        c.initialize(to: e)
        cursor = c + 1
        count &+= 1
    }

    /// Points the cursor at the block that entry `count` goes in, allocating it when needed.
    private mutating func startBlock() {
        let index = count >> ObjectRegistry.blockShift
        if index == blockCount {
            if blockCount == blockTableCapacity {
                let bigger = UnsafeMutablePointer<UnsafeMutablePointer<Entry>>.allocate(capacity: blockTableCapacity * 2)
                bigger.moveInitialize(from: blocks, count: blockCount)
                blocks.deallocate()
                blocks = bigger
                blockTableCapacity *= 2
            }
            blocks[blockCount] = .allocate(capacity: ObjectRegistry.blockSize)
            blockCount += 1
        }
        let base = blocks[index]
        cursor = base + (count & (ObjectRegistry.blockSize - 1))
        limit = base + ObjectRegistry.blockSize
    }

    /// Calls `body` with each entry from index `start` on, in order.
    @inline(__always) func forEach(from start: Int = 0, _ body: (Entry) throws -> Void) rethrows {
        try walk(from: start, upTo: count) { try body($0.pointee) }
    }

    /// Calls `body` with the address of each entry of `start..<end`, in order, block by block.
    @inline(__always) private func walk(from start: Int, upTo end: Int, _ body: (UnsafeMutablePointer<Entry>) throws -> Void) rethrows {
        var i = start
        while i < end {
            let blockEnd = min(end, (i | (ObjectRegistry.blockSize - 1)) + 1)
            var p = blocks[i >> ObjectRegistry.blockShift] + (i & (ObjectRegistry.blockSize - 1))
            while i < blockEnd {
                try body(p)
                p += 1
                i += 1
            }
        }
    }

    /// Calls `keep` with each entry from index `start` on, in order, and keeps (in that order)
    /// those it returns true for; the others are dropped from the registry. Blocks left empty are
    /// freed, but for one kept in reserve.
    @inline(__always) mutating func filter(from start: Int, _ keep: (Entry) -> Bool) {
        var kept = start
        var write = blocks[0]  // (set before the first write: kept <= read index)
        var writeOffset = -1
        let table = blocks
        walk(from: start, upTo: count) { p in
            let e = p.pointee
            guard keep(e) else { return }
            if writeOffset < 0 || writeOffset == ObjectRegistry.blockSize {
                write = table[kept >> ObjectRegistry.blockShift]
                writeOffset = kept & (ObjectRegistry.blockSize - 1)
            }
            write[writeOffset] = e
            writeOffset += 1
            kept += 1
        }
        count = kept
        // Blocks past the one the next entry goes in, but for one in reserve, go back.
        let needed = (kept >> ObjectRegistry.blockShift) + 2
        while blockCount > needed {
            blockCount -= 1
            blocks[blockCount].deallocate()
        }
        cursor = nil
        limit = nil
    }
}
