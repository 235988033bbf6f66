// Classes: the builtin types (`int`, `list`, `ValueError`, ...) and, later, user classes.
//
// One idea: a type is an attribute table plus a single base; attribute lookup walks the base
// chain. Builtin methods are native functions in the table, so `x.append` and `list.append` are
// found the same way user methods will be.

final class TypeObject: Obj {
    let name: String
    /// The first base class (nil only for `object`).
    var base: TypeObject?
    /// The bases a class statement named, when there are several (empty: just `base`).
    var extraBases: [TypeObject] = []
    /// The method resolution order (C3), self first, for a class with several bases somewhere in
    /// its ancestry; nil when the chain of `base` links is the order (every builtin and
    /// single-inheritance class), so lookups there walk the chain as before.
    var mroList: [TypeObject]?
    /// Attributes and methods defined by this class itself.
    var dict: [String: Value] = [:]
    /// Creates instances when the type is called (`int("3")`, `ValueError("x")`); nil means the
    /// type cannot be instantiated.
    var construct: NativeFn?
    /// True for BaseException and its subclasses.
    let isException: Bool
    /// The module name shown in `<class 'module.Name'>` (nil for builtins).
    var moduleName: String?
    /// The module a native class names in its repr and `__module__` when that is not
    /// `builtins` (`_asyncio` for `Task`); unlike `moduleName`, it leaves the class native.
    var nativeModuleName: String?
    /// The attribute hooks this class or a base defines (`TypeObject.hook...` bits), as of type
    /// epoch `hooksEpoch`, so that loads and stores on instances of classes without any skip
    /// looking for them (see `Runtime.attributeHooks`).
    var hooks: UInt8 = 0
    /// How calling this script class makes an instance, as of type epoch `constructionEpoch`:
    /// `constructionPlain` when neither it nor a base has a `__new__` of its own, a metaclass
    /// or a native base (so an instance or exception object is made directly), and the script
    /// `__init__` it would call (nil when there is none).
    var constructionEpoch = -1
    /// `Runtime.userMethod`'s answers for instances of this class, by name, as of type epoch
    /// `userMethodEpoch` (`.null`: no script method). Not traced: an entry is read only in the
    /// epoch it was made in, while the class dicts that hold its function are unchanged.
    var userMethodCache: [String: Value] = [:]
    var userMethodEpoch = -1
    /// The same answers for the special methods the interpreter calls by number
    /// (`SpecialMethod`), as of type epoch `specialMethodsEpoch`: no name is hashed. (Allocated
    /// on first use; `.null`: not looked up yet, `.none`: no script method.)
    var specialMethods: UnsafeMutablePointer<Value>? = nil
    var specialMethodsEpoch = -1
    /// How instances hash (`Runtime.hashPlan`), as of type epoch `hashPlanEpoch`.
    enum HashPlan: UInt8 { case identity, script, unhashable }
    var hashPlan = HashPlan.identity
    var hashPlanEpoch = -1
    var constructionPlain = false
    /// (Unmanaged: read without reference counting; the class dict holds the function.)
    var constructionInitRef: Unmanaged<FunctionObj>?
    var constructionInit: FunctionObj? { constructionInitRef?.takeUnretainedValue() }
    /// The names a class body's `__slots__` lists (nil: no `__slots__`).
    var slotNames: [String]?
    var hooksEpoch = -1
    /// A property or a script data descriptor (`__set__`/`__delete__`): stores check the name.
    static let hookDescriptor: UInt8 = 1
    /// A script `__getattribute__`: every load calls it.
    static let hookGetattribute: UInt8 = 2
    /// A script `__setattr__`: every store calls it.
    static let hookSetattr: UInt8 = 4
    /// A script `__delattr__`: every delete calls it.
    static let hookDelattr: UInt8 = 8
    /// A class with `__slots__` (and no `__dict__` among them): stores of other names fail.
    static let hookSlots: UInt8 = 16
    /// `with`/`async with`: the class attributes found for the enter and exit methods (raw, not
    /// bound), as of type epoch `contextEpoch` (index 0 for `with`, 1 for `async with`).
    var contextMethods: [(enter: Value?, exit: Value?)] = [(nil, nil), (nil, nil)]
    var contextEpoch = [-1, -1]
    /// The heap the class belongs to (set when it is registered), where the write barrier of
    /// its instances remembers them. Unmanaged: the heap outlives its objects.
    var heapRef: Unmanaged<Heap>?
    /// The shared root shape of this class's instances' attributes.
    let instanceShape = Shape()
    /// How `len()`, truth and `iter()` treat this class's native objects (kind `.other`); nil for
    /// a class whose objects are no containers. Not inherited: it describes the Swift class
    /// behind the objects, which a script subclass does not have.
    var containerSlots: ContainerSlots?
    /// The instance attribute that holds the native core of a library class (`_core` of asyncio's
    /// `Queue`), as the class declared it with `@_native_core`; see `declaredNativeCore`.
    var nativeCore: String?

    init(name: String, base: TypeObject?, isException: Bool, metatype: __shared TypeObject?) {
        self.name = name
        self.base = base
        self.isException = isException
        super.init(kind: .type, type: metatype)
    }
    deinit { specialMethods?.deallocate() }

    override func trace(_ t: inout Tracer) {
        super.trace(&t)
        t.mark(base)
        for b in extraBases { t.mark(b) }
        for v in dict.values { t.mark(v) }
    }

    /// The dotted name within its module (`Outer.Inner`), as reprs print it: the class body's
    /// `__qualname__`, else the name.
    var qualifiedName: String {
        if case .object(let u)? = dict["__qualname__"], let s = u.takeUnretainedValue() as? StrObj { return s.value }
        return name
    }

    /// The bases as `__bases__` lists them.
    var bases: [TypeObject] {
        if !extraBases.isEmpty { return extraBases }
        return base.map { [$0] } ?? []
    }

    /// The method resolution order, self first.
    var mro: [TypeObject] {
        if let m = mroList { return m }
        var chain: [TypeObject] = []
        var c: TypeObject? = self
        while let x = c { chain.append(x); c = x.base }
        return chain
    }

    /// Looks an attribute up through the method resolution order.
    func lookup(_ name: String) -> Value? {
        if let m = mroList {
            for c in m { if let v = c.dict[name] { return v } }
            return nil
        }
        var t: TypeObject? = self
        while let c = t {
            if let v = c.dict[name] { return v }
            t = c.base
        }
        return nil
    }

    /// A second base known to `issubclass` only (ExceptionGroup's BaseExceptionGroup: the one
    /// place a builtin class has two bases).
    var virtualBase: TypeObject?

    /// `issubclass(self, other)`. (Walks the classes borrowed: holding each in a local would
    /// retain and release it.)
    func isSubtype(of other: TypeObject) -> Bool {
        if let m = mroList {
            return m.withUnsafeBufferPointer { classes in
                for c in classes where c === other || c.virtualBase === other { return true }
                return false
            }
        }
        var t: Unmanaged<TypeObject>? = Unmanaged.passUnretained(self)
        while let c = t {
            let (hit, next) = c._withUnsafeGuaranteedRef { x in
                (x === other || x.virtualBase === other, x.base.map { Unmanaged.passUnretained($0) })
            }
            if hit { return true }
            t = next
        }
        return false
    }
}

/// What a native container class (objects of kind `.other`) answers for `len()`, truth and
/// `iter()`. The folder that defines such a class sets these on its type object, so Core treats
/// its objects as containers without naming their Swift class (asyncio's `_Fifo`, dict views).
struct ContainerSlots {
    /// `len(o)`; `o` is truthy when it is above zero.
    let length: (Obj) -> Int
    /// `iter(o)`: a new iterator over `o`.
    let iterate: (Runtime, Obj) -> Value
}
