// Classes outside the subset fail with a clear message instead of misbehaving; the rest of the
// class machinery is covered by the corpus (Tests/Programs/classes, inheritance, metaclasses,
// descriptors).

import Testing

@Suite struct ClassTests {
    @Test func inconsistentMethodResolutionOrderIsCPythonsError() {
        let r = runProgram("class A:\n    pass\nclass B(A):\n    pass\nclass C(A, B):\n    pass\n")
        #expect(r.status == 1)
        #expect(r.lastErrorLine == "order (MRO) for bases A, B")
    }

    @Test func subclassingBuiltinTypesIsAClearError() {
        let r = runProgram("class C(complex):\n    pass\n")
        #expect(r.status == 1)
        #expect(r.lastErrorLine == "TypeError: subclassing the builtin type 'complex' is not supported")
    }

    @Test func methodsSurviveStressCollections() {
        let r = runProgram("""
            class Node:
                def __init__(self, value, next=None):
                    self.value = value
                    self.next = next
                def total(self):
                    return self.value + (self.next.total() if self.next else 0)
            head = None
            for i in range(200):
                head = Node(i, head)
            print(head.total(), repr(head).startswith("<__main__.Node object"))
            """) { $0.gcStress = true }
        #expect(r.status == 0)
        #expect(r.stdout == "19900 True\n")
    }
}
