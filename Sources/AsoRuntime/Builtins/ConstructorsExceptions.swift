// The constructor shared by BaseException and all its subclasses.
//
// One idea: an exception's `args` are its positional arguments, and the class is the one being
// instantiated (args[0]), so a subclass gets its own type. A few classes derive an attribute from
// the arguments as CPython does: SystemExit's `code` and StopIteration's `value`.

extension Runtime {
    func installExceptionConstructors() {
        let construct: NativeFn = { rt, args in
            guard let cls = args[0].asType else { return .none }
            if !args.keywords.isEmpty { throw rt.typeError("\(cls.name)() takes no keyword arguments") }
            let values = Array(args.positional.dropFirst())
            let e = rt.heap.register(ExceptionObj(type: cls, args: rt.newTuple(values)))
            if cls.isSubtype(of: rt.exc.systemExit) {
                let code: Value = values.isEmpty ? Value.none : values.count == 1 ? values[0] : e.args
                e.attributes["code"] = code
            } else if cls.isSubtype(of: rt.exc.stopIteration) || cls.isSubtype(of: rt.exc.stopAsyncIteration) {
                e.attributes["value"] = values.first ?? Value.none
            }
            return Value(e)
        }
        for t in exc.ordered + exc.asyncio { t.construct = construct }
    }
}
