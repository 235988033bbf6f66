// Instances of classes defined in script code (and of `object()`).
//
// One idea: an instance is its class plus an attribute table whose layout (the shape) it shares
// with the other instances that got the same attributes in the same order (AttributeTable.swift).

/// An instance of a class defined in script code (and of `object()`).
final class InstanceObj: Obj {
    /// Instance attributes. (No dynamic exclusivity checks: the dispatch loop's cached reads and
    /// writes are the hot path, and no access to them overlaps another.)
    @exclusivity(unchecked) var attributes: AttributeTable
    init(type: TypeObject) {
        attributes = AttributeTable(root: type.instanceShape)
        super.init(kind: .instance, type: type)
    }
    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        for v in attributes.values { t.mark(v) }
    }
}
