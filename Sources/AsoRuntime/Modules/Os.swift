// The `os` module (environ, getenv, getcwd, constants) and `os.path`.
//
// One idea: `os.environ` is the runtime's configured environment (an embedder chooses what a
// script sees), copied into a plain dict; `os.path` is a separate module that `os` exposes as
// an attribute, and whose functions are pure string manipulation except the existence checks.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Runtime {
    func makeOsModule() -> ModuleObj {
        let m = newModule("os", file: nil)
        let env = newDict()
        for (k, v) in options.environment.sorted(by: { $0.key < $1.key }) {
            try? env.set(newStr(k), newStr(v), self)
        }
        m.set("environ", Value(env))
        m.set("name", newStr("posix"))
        m.set("sep", newStr("/"))
        m.set("altsep", .none)
        m.set("linesep", newStr("\n"))
        m.set("pathsep", newStr(":"))
        m.set("curdir", newStr("."))
        m.set("pardir", newStr(".."))
        m.set("devnull", newStr("/dev/null"))
        installProcessFunctions(m)
        m.set("getenv", native("getenv") { rt, args in
            if args.count < 1 || args.count > 2 {
                throw rt.typeError(args.count < 1 ? "getenv() missing 1 required positional argument: 'key'" : "getenv() takes from 1 to 2 positional arguments but \(args.count) were given")
            }
            let key = args[0]
            let dflt = args.count == 2 ? args[1] : (args.keyword("default") ?? .none)
            guard key.asStr != nil else { throw rt.typeError("str expected, not \(rt.typeName(key))") }
            if let e = rt.modules["os"]?.get("environ")?.asDict, let v = try e.get(key, rt) { return v }
            return dflt
        })
        m.set("getcwd", native("getcwd") { rt, _ in rt.newStr(currentDirectory()) })
        m.set("getpid", native("getpid") { _, _ in .int(Int(getpid())) })
        m.set("cpu_count", native("cpu_count") { _, _ in .int(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) })
        if let p = try? loadModule("os.path") { m.set("path", Value(p)) }
        return m
    }

    func makeOsPathModule() -> ModuleObj {
        let m = newModule("os.path", file: nil)
        m.set("sep", newStr("/"))
        func strFn(_ name: String, _ f: @escaping (String) -> Value) {
            m.set(name, native(name) { rt, args in
                guard args.count == 1 else { throw rt.typeError("\(name)() takes 1 positional argument but \(args.count) were given") }
                guard let s = args[0].asStr?.value else {
                    throw rt.typeError("expected str, bytes or os.PathLike object, not \(rt.typeName(args[0]))")
                }
                return f(s)
            })
        }
        m.set("join", native("join") { rt, args in
            var out = ""
            for i in 0..<args.count {
                guard let p = args[i].asStr?.value else {
                    throw rt.typeError("join() argument must be str, bytes, or os.PathLike object, not '\(rt.typeName(args[i]))'")
                }
                if p.hasPrefix("/") { out = p } else if out.isEmpty || out.hasSuffix("/") { out += p } else { out += "/" + p }
            }
            return rt.newStr(out)
        })
        strFn("basename") { s in self.newStr(String(s[(s.lastIndex(of: "/").map { s.index(after: $0) } ?? s.startIndex)...])) }
        strFn("dirname") { s in self.newStr(splitPath(s).0) }
        strFn("split") { s in let (h, t) = splitPath(s); return self.newTuple(self.newStr(h), self.newStr(t)) }
        strFn("splitext") { s in
            let base = s[(s.lastIndex(of: "/").map { s.index(after: $0) } ?? s.startIndex)...]
            let stripped = base.drop(while: { $0 == "." })
            if let dot = stripped.lastIndex(of: ".") {
                return self.newTuple(self.newStr(String(s[..<dot])), self.newStr(String(s[dot...])))
            }
            return self.newTuple(self.newStr(s), self.newStr(""))
        }
        strFn("isabs") { s in .bool(s.hasPrefix("/")) }
        strFn("exists") { s in .bool(access(s, F_OK) == 0) }
        strFn("isfile") { s in .bool(fileKind(s) == S_IFREG) }
        strFn("isdir") { s in .bool(fileKind(s) == S_IFDIR) }
        strFn("normpath") { s in self.newStr(normalizePath(s)) }
        strFn("abspath") { s in self.newStr(normalizePath(s.hasPrefix("/") ? s : currentDirectory() + "/" + s)) }
        return m
    }
}

func currentDirectory() -> String {
    var buf = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buf, buf.count) != nil else { return "." }
    return String(decoding: buf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

private func fileKind(_ path: String) -> mode_t? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return st.st_mode & S_IFMT
}

/// `os.path.split`: (head, tail), the head without trailing slashes unless it is all slashes.
func splitPath(_ s: String) -> (String, String) {
    guard let slash = s.lastIndex(of: "/") else { return ("", s) }
    let head = String(s[...slash])
    let tail = String(s[s.index(after: slash)...])
    let trimmed = head.allSatisfy { $0 == "/" } ? head : String(head.reversed().drop(while: { $0 == "/" }).reversed())
    return (trimmed, tail)
}

/// `os.path.normpath`.
func normalizePath(_ s: String) -> String {
    if s.isEmpty { return "." }
    let absolute = s.hasPrefix("/")
    let leading = absolute ? (s.hasPrefix("//") && !s.hasPrefix("///") ? "//" : "/") : ""
    var parts: [Substring] = []
    for comp in s.split(separator: "/", omittingEmptySubsequences: true) {
        if comp == "." { continue }
        if comp == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
        if comp == "..", absolute { continue }
        parts.append(comp)
    }
    let body = parts.joined(separator: "/")
    let r = leading + body
    return r.isEmpty ? "." : r
}
