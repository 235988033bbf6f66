// The loop's ready queue: a FIFO of `ReadyItem`s kept in fixed-size blocks.
//
// One idea: memory follows the queue's length both ways. Appending takes a new block when the last
// one is full (no doubling copy of everything queued so far), and taking from the front frees each
// block as soon as it is used up, so 100 000 tasks woken at once cost their entries only while
// they wait to run (an array would keep its largest size and, while growing, hold two copies).

final class ReadyQueue {
    private final class Block {
        static let size = 1024
        let items = UnsafeMutablePointer<ReadyItem>.allocate(capacity: Block.size)
        var next: Block?
        deinit { items.deallocate() }
    }

    /// The block holding the front item, and the index of that item in it.
    private var head = Block()
    private var headIndex = 0
    /// The block that receives appends, and how many items it holds.
    private unowned(unsafe) var tail: Block
    private var tailCount = 0
    /// Items queued.
    private(set) var count = 0

    init() { tail = head }

    var isEmpty: Bool { count == 0 }

    func append(_ item: ReadyItem) {
        if tailCount == Block.size {
            let b = Block()
            tail.next = b
            tail = b
            tailCount = 0
        }
        (tail.items + tailCount).initialize(to: item)
        tailCount &+= 1
        count &+= 1
    }

    /// Removes and returns the front item; nil when empty.
    func popFirst() -> ReadyItem? {
        guard count > 0 else { return nil }
        if headIndex == Block.size, let next = head.next {
            head = next   // the used-up block is freed here
            headIndex = 0
        }
        let item = head.items[headIndex]
        headIndex &+= 1
        count &-= 1
        if count == 0 {
            // Empty: start again at the front of the current block.
            head.next = nil
            tail = head
            headIndex = 0
            tailCount = 0
        }
        return item
    }

    /// Every queued item, front first.
    func forEach(_ body: (ReadyItem) -> Void) {
        var block: Block? = head
        var i = headIndex
        var left = count
        while let b = block, left > 0 {
            let end = b === tail ? tailCount : Block.size
            while i < end && left > 0 {
                body(b.items[i])
                i &+= 1
                left &-= 1
            }
            block = b.next
            i = 0
        }
    }
}
