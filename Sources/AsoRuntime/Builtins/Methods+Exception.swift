// Methods of BaseException: with_traceback and add_note.
//
// One idea: tracebacks here are built as an exception travels and cannot be replaced from
// script code, so `with_traceback` accepts None or a traceback and returns the exception itself;
// notes go to the `__notes__` list attribute as in CPython 3.11.

extension Runtime {
    func installExceptionMethods() {
        let t = exc.baseException
        defineMethod(t, "with_traceback") { rt, me, a in
            _ = try a.one(rt)
            return me
        }
        defineMethod(t, "add_note") { rt, me, a in
            let note = try a.one(rt)
            guard note.asStr != nil else { throw rt.typeError("note must be a str, not '\(rt.typeName(note))'") }
            guard let e = me.asException else { return .none }
            if let notes = e.attributes["__notes__"] {
                guard let l = notes.asList else { throw rt.typeError("Cannot add note: __notes__ is not a list") }
                l.items.append(note)
            } else {
                e.attributes["__notes__"] = rt.newList([note])
            }
            return .none
        }
    }
}
