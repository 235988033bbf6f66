// The builtin types of one interpreter, created at start-up.
//
// One idea: types are per-interpreter objects (no global state), made before anything else so
// every later object can point at its class; `type`'s own class is itself.

final class Types {
    let type: TypeObject
    let object: TypeObject
    let none: TypeObject
    let notImplemented: TypeObject
    let ellipsis: TypeObject
    let bool: TypeObject
    let int: TypeObject
    let float: TypeObject
    let complex: TypeObject
    let str: TypeObject
    let bytes: TypeObject
    let bytearray: TypeObject
    let list: TypeObject
    let tuple: TypeObject
    let dict: TypeObject
    let set: TypeObject
    let frozenset: TypeObject
    let range: TypeObject
    let slice: TypeObject
    let function: TypeObject
    let builtinFunction: TypeObject
    let method: TypeObject
    let module: TypeObject
    let cell: TypeObject
    let code: TypeObject
    let dictKeys: TypeObject
    let dictValues: TypeObject
    let dictItems: TypeObject
    let listIterator: TypeObject
    let tupleIterator: TypeObject
    let strIterator: TypeObject
    let rangeIterator: TypeObject
    let dictKeyIterator: TypeObject
    let dictValueIterator: TypeObject
    let dictItemIterator: TypeObject
    let setIterator: TypeObject
    let traceback: TypeObject
    let frame: TypeObject
    let bytesIterator: TypeObject
    let bytearrayIterator: TypeObject
    let iterator: TypeObject
    let enumerate: TypeObject
    let zip: TypeObject
    let map: TypeObject
    let filter: TypeObject
    let reversed: TypeObject
    let generator: TypeObject
    let superType: TypeObject
    let staticmethod: TypeObject
    let classmethod: TypeObject
    let property: TypeObject

    /// Every builtin type by name, for the builtins module.
    private(set) var all: [TypeObject] = []

    init(heap: Heap) {
        let meta = TypeObject(name: "type", base: nil, isException: false, metatype: nil)
        meta.typeRef = meta
        heap.register(meta)
        type = meta
        var made: [TypeObject] = [meta]
        func make(_ name: String, _ base: TypeObject?) -> TypeObject {
            let t = heap.register(TypeObject(name: name, base: base, isException: false, metatype: meta))
            made.append(t)
            return t
        }
        object = make("object", nil)
        meta.base = object
        none = make("NoneType", object)
        notImplemented = make("NotImplementedType", object)
        ellipsis = make("ellipsis", object)
        int = make("int", object)
        bool = make("bool", int)
        float = make("float", object)
        complex = make("complex", object)
        str = make("str", object)
        bytes = make("bytes", object)
        bytearray = make("bytearray", object)
        list = make("list", object)
        tuple = make("tuple", object)
        dict = make("dict", object)
        set = make("set", object)
        frozenset = make("frozenset", object)
        range = make("range", object)
        slice = make("slice", object)
        function = make("function", object)
        builtinFunction = make("builtin_function_or_method", object)
        method = make("method", object)
        module = make("module", object)
        cell = make("cell", object)
        code = make("code", object)
        dictKeys = make("dict_keys", object)
        dictValues = make("dict_values", object)
        dictItems = make("dict_items", object)
        let views = ContainerSlots(length: { ($0 as? DictViewObj)?.dict.count ?? 0 },
                                   iterate: { rt, o in
                                       guard let view = o as? DictViewObj else { return rt.newIterator(.exhausted) }
                                       return rt.iterateDictView(view)
                                   })
        for t in [dictKeys, dictValues, dictItems] { t.containerSlots = views }
        listIterator = make("list_iterator", object)
        tupleIterator = make("tuple_iterator", object)
        strIterator = make("str_ascii_iterator", object)
        rangeIterator = make("range_iterator", object)
        dictKeyIterator = make("dict_keyiterator", object)
        dictValueIterator = make("dict_valueiterator", object)
        dictItemIterator = make("dict_itemiterator", object)
        setIterator = make("set_iterator", object)
        traceback = make("traceback", object)
        frame = make("frame", object)
        bytesIterator = make("bytes_iterator", object)
        bytearrayIterator = make("bytearray_iterator", object)
        iterator = make("iterator", object)
        enumerate = make("enumerate", object)
        zip = make("zip", object)
        map = make("map", object)
        filter = make("filter", object)
        reversed = make("reversed", object)
        generator = make("generator", object)
        superType = make("super", object)
        staticmethod = make("staticmethod", object)
        classmethod = make("classmethod", object)
        property = make("property", object)
        coroutine = make("coroutine", object)
        nativeCoroutine = make("coroutine", object)
        asyncGenerator = make("async_generator", object)
        asyncGenWrapped = make("async_generator_wrapped_value", object)
        future = make("Future", object)
        task = make("Task", future)
        gatheringFuture = make("_GatheringFuture", future)
        coroutineWrapper = make("coroutine_wrapper", object)
        handle = make("Handle", object)
        timerHandle = make("TimerHandle", handle)
        abstractEventLoop = make("AbstractEventLoop", object)
        baseEventLoop = make("BaseEventLoop", abstractEventLoop)
        eventLoop = make("_UnixSelectorEventLoop", baseEventLoop)
        // asyncio's classes name the modules CPython defines them in (`<class '_asyncio.Task'>`).
        future.nativeModuleName = "_asyncio"
        task.nativeModuleName = "_asyncio"
        gatheringFuture.nativeModuleName = "asyncio.tasks"
        handle.nativeModuleName = "asyncio.events"
        timerHandle.nativeModuleName = "asyncio.events"
        eventLoop.nativeModuleName = "asyncio.unix_events"
        abstractEventLoop.nativeModuleName = "asyncio.events"
        baseEventLoop.nativeModuleName = "asyncio.base_events"
        unionType = make("UnionType", object)
        unionType.moduleName = "types"
        genericAlias = make("GenericAlias", object)
        genericAlias.moduleName = "types"
        all = [meta, object, int, bool, float, complex, str, bytes, bytearray, list, tuple, dict, set, frozenset, range,
               slice, enumerate, zip, map, filter, reversed, generator, staticmethod, classmethod, property]
        every = made
    }

    /// Every type made here, builtins or not: all of them are roots of the collector (their
    /// dictionaries hold the native methods).
    private(set) var every: [TypeObject] = []
    /// `int | None`: `types.UnionType`.
    let unionType: TypeObject
    /// `list[int]`: `types.GenericAlias`.
    let genericAlias: TypeObject
    // asyncio's classes.
    let coroutine, future, task, gatheringFuture, handle, timerHandle, eventLoop: TypeObject
    /// The bases of the event loop's class, as asyncio names them (for `isinstance` and annotations).
    let abstractEventLoop, baseEventLoop: TypeObject
    /// What `coroutine.__await__()` returns: an iterator that drives the coroutine.
    let coroutineWrapper: TypeObject
    /// The class of native coroutines (`asyncio.sleep(...)`): also named `coroutine`, without
    /// the methods of script coroutines.
    let nativeCoroutine: TypeObject
    /// Async generators, and the marker their `yield` puts on a value (ASYNC_GEN_WRAP).
    let asyncGenerator, asyncGenWrapped: TypeObject
}

/// Exception classes, in CPython's hierarchy.
final class ExceptionTypes {
    private(set) var byName: [String: TypeObject] = [:]
    /// In definition order (bases first), for the builtins module.
    private(set) var ordered: [TypeObject] = []

    let baseException, systemExit, keyboardInterrupt, generatorExit, exception: TypeObject
    let stopIteration, stopAsyncIteration, arithmeticError, zeroDivisionError, overflowError: TypeObject
    let assertionError, attributeError, lookupError, indexError, keyError, nameError: TypeObject
    let unboundLocalError, runtimeError, recursionError, notImplementedError, typeError: TypeObject
    let valueError, unicodeError, importError, moduleNotFoundError, osError, timeoutError: TypeObject
    let memoryError, syntaxError, indentationError, eofError: TypeObject
    let baseExceptionGroup, exceptionGroup: TypeObject

    init(heap: Heap, types: Types) {
        var byName: [String: TypeObject] = [:]
        var ordered: [TypeObject] = []
        func make(_ name: String, _ base: TypeObject) -> TypeObject {
            let t = heap.register(TypeObject(name: name, base: base, isException: true, metatype: types.type))
            byName[name] = t
            ordered.append(t)
            return t
        }
        baseException = make("BaseException", types.object)
        systemExit = make("SystemExit", baseException)
        keyboardInterrupt = make("KeyboardInterrupt", baseException)
        generatorExit = make("GeneratorExit", baseException)
        exception = make("Exception", baseException)
        stopIteration = make("StopIteration", exception)
        stopAsyncIteration = make("StopAsyncIteration", exception)
        arithmeticError = make("ArithmeticError", exception)
        _ = make("FloatingPointError", arithmeticError)
        overflowError = make("OverflowError", arithmeticError)
        zeroDivisionError = make("ZeroDivisionError", arithmeticError)
        assertionError = make("AssertionError", exception)
        attributeError = make("AttributeError", exception)
        _ = make("BufferError", exception)
        eofError = make("EOFError", exception)
        importError = make("ImportError", exception)
        moduleNotFoundError = make("ModuleNotFoundError", importError)
        lookupError = make("LookupError", exception)
        indexError = make("IndexError", lookupError)
        keyError = make("KeyError", lookupError)
        memoryError = make("MemoryError", exception)
        nameError = make("NameError", exception)
        unboundLocalError = make("UnboundLocalError", nameError)
        osError = make("OSError", exception)
        let connectionError = make("ConnectionError", osError)
        _ = make("BrokenPipeError", connectionError)
        _ = make("ConnectionAbortedError", connectionError)
        _ = make("ConnectionRefusedError", connectionError)
        _ = make("ConnectionResetError", connectionError)
        _ = make("BlockingIOError", osError)
        _ = make("ChildProcessError", osError)
        _ = make("FileExistsError", osError)
        _ = make("InterruptedError", osError)
        _ = make("ProcessLookupError", osError)
        _ = make("FileNotFoundError", osError)
        _ = make("IsADirectoryError", osError)
        _ = make("NotADirectoryError", osError)
        _ = make("PermissionError", osError)
        timeoutError = make("TimeoutError", osError)
        _ = make("ReferenceError", exception)
        runtimeError = make("RuntimeError", exception)
        notImplementedError = make("NotImplementedError", runtimeError)
        recursionError = make("RecursionError", runtimeError)
        syntaxError = make("SyntaxError", exception)
        indentationError = make("IndentationError", syntaxError)
        _ = make("TabError", indentationError)
        _ = make("SystemError", exception)
        typeError = make("TypeError", exception)
        valueError = make("ValueError", exception)
        unicodeError = make("UnicodeError", valueError)
        _ = make("UnicodeDecodeError", unicodeError)
        _ = make("UnicodeEncodeError", unicodeError)
        baseExceptionGroup = make("BaseExceptionGroup", baseException)
        exceptionGroup = make("ExceptionGroup", exception)
        exceptionGroup.virtualBase = baseExceptionGroup
        let warning = make("Warning", exception)
        _ = make("DeprecationWarning", warning)
        _ = make("RuntimeWarning", warning)
        _ = make("UserWarning", warning)
        self.byName = byName
        self.ordered = ordered
        // asyncio's own exceptions: not builtins.
        cancelledError = heap.register(TypeObject(name: "CancelledError", base: baseException, isException: true, metatype: types.type))
        invalidStateError = heap.register(TypeObject(name: "InvalidStateError", base: exception, isException: true, metatype: types.type))
        for t in [cancelledError, invalidStateError] { t.moduleName = "asyncio.exceptions" }
        asyncio = [cancelledError, invalidStateError]
    }

    let cancelledError, invalidStateError: TypeObject
    /// asyncio's exception classes (constructed like the builtin ones, but not builtins).
    let asyncio: [TypeObject]
}
