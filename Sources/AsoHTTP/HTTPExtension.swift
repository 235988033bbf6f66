// The HTTP client's native core: requests on AsyncHTTPClient, bound to the interpreter's own
// SwiftNIO event loop, as a runtime extension (`runtimeExtension`, plugged in by the `aso` command).
//
// One idea: the native part only moves bytes. `_request` starts a request and returns two futures,
// one for the response head and one for the whole body; each resolves (through the loop's ready
// queue, like any future) to `[True, ...]` or `[False, kind, message]`. Everything a script sees
// (ClientSession, the response object, redirects, timeouts, aiohttp's exceptions and messages)
// is Aso source on top (Library/aiohttp/*.aso, built in through LibraryParts.generated.swift).
// A request's connection comes from a pool of one HTTPClient per event loop, shut down when the
// loop ends; `_cancel` aborts a request (a cancelled task frees its connection).

import AsoRuntime
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The HTTP client: the `aiohttp` module and the `fetch` builtin.
public let runtimeExtension = RuntimeExtension(
    name: "http",
    modules: [ExtensionModule(
        name: "aiohttp",
        functions: [("_request", { try HTTPCore.request($0, $1) }),
                    ("_cancel", { try HTTPCore.cancel($0, $1) }),
                    ("_pool", { try HTTPCore.newPool($0, $1) }),
                    ("_close_pool", { try HTTPCore.closePool($0, $1) }),
                    ("_at_main_task_end", { context, args in
                        guard args.count == 1 else { throw ExtensionError("TypeError", "_at_main_task_end(callback)") }
                        try context.atMainTaskEnd(args[0])
                        return .none
                    }),
                    ("_max_body_size", { context, _ in .int(HTTPCore.maxBodySize(context)) })],
        sources: HTTPLibrary.sources)],
    builtins: [(name: "fetch", module: "aiohttp", attribute: "_fetch")])

/// The default limit on a response body (64 MiB); `Configuration.maxResponseBodySize`, else
/// `ASO_HTTP_MAX_BODY` (bytes), changes it.
let defaultMaxBodySize = 64 << 20

/// Per interpreter: the connection pools (one AsyncHTTPClient each) of the running loop, and the
/// requests in flight. Pool 0 is the shared one (`fetch`, `aiohttp.request`); each connector
/// (a session's own, by default) has a pool of its own, as aiohttp's connectors do.
final class HTTPState {
    /// What each pool is (its settings outlive a loop: a session may be used by a later one).
    var pools: [Int: PoolSettings] = [0: PoolSettings()]
    /// The pools' clients on the running loop, made on first use.
    var clients: [Int: HTTPClient] = [:]
    var clientLoop: ObjectIdentifier?
    /// Clients closed while the loop runs, still shutting down (the loop's end waits for them).
    var closing: [EventLoopFuture<Void>] = []
    var nextPool = 1
    var nextID = 1
    var inFlight: [Int: RequestDelegate] = [:]
    /// Requests as parsed before, by method, URL and certificate checking: a request to a URL
    /// seen before copies one and sets its headers and body instead of parsing the URL again.
    var parsed: [ParsedKey: HTTPClient.Request] = [:]
}

struct ParsedKey: Hashable {
    var method: String
    var url: String
    var verify: Bool
}

/// A pool's settings: aiohttp's `TCPConnector(limit_per_host=)` and a proxy.
struct PoolSettings {
    var perHostLimit = 0
    var proxy: HTTPClient.Configuration.Proxy?
}

enum HTTPCore {
    static func state(_ context: ExtensionContext) -> HTTPState {
        if let s = context.state("http") as? HTTPState { return s }
        let s = HTTPState()
        context.setState("http", s)
        return s
    }

    static func maxBodySize(_ context: ExtensionContext) -> Int {
        if let n = context.maxResponseBodySize { return n }
        if let text = context.environment["ASO_HTTP_MAX_BODY"], let n = Int(text), n >= 0 { return n }
        return defaultMaxBodySize
    }

    /// `_pool(limit_per_host, proxy_url)` -> a new pool's number.
    static func newPool(_ context: ExtensionContext, _ args: [ExtensionValue]) throws -> ExtensionValue {
        guard args.count == 2, let perHost = args[0].int else { throw ExtensionError("TypeError", "_pool(limit_per_host, proxy)") }
        var settings = PoolSettings(perHostLimit: max(0, perHost))
        if let url = args[1].string { settings.proxy = try proxy(url) }
        let s = state(context)
        let id = s.nextPool
        s.nextPool += 1
        s.pools[id] = settings
        return .int(id)
    }

    /// `_close_pool(n)`: closes the pool's connections (its requests in flight fail).
    static func closePool(_ context: ExtensionContext, _ args: [ExtensionValue]) throws -> ExtensionValue {
        guard args.count == 1, let id = args[0].int else { throw ExtensionError("TypeError", "_close_pool(n)") }
        let s = state(context)
        if id != 0 { s.pools[id] = nil }
        if let c = s.clients.removeValue(forKey: id), let loop = context.eventLoop {
            let done = loop.makePromise(of: Void.self)
            c.shutdown(queue: .global()) { _ in loop.execute { done.succeed(()) } }
            s.closing.append(done.futureResult)
        }
        return .none
    }

    /// A proxy URL (`http://[user:password@]host[:port]`) as AsyncHTTPClient's proxy setting.
    static func proxy(_ url: String) throws -> HTTPClient.Configuration.Proxy {
        guard let scheme = url.range(of: "://") else { throw ExtensionError("ValueError", "Only http proxies are supported") }
        guard url[..<scheme.lowerBound].lowercased() == "http" else {
            throw ExtensionError("ValueError", "Only http proxies are supported")
        }
        var rest = url[scheme.upperBound...]
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        var authorization: HTTPClient.Authorization?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            let colon = credentials.firstIndex(of: ":") ?? credentials.endIndex
            let user = credentials[..<colon]
            let password = colon < credentials.endIndex ? credentials[credentials.index(after: colon)...] : ""
            authorization = .basic(username: percentDecoded(user), password: percentDecoded(password))
            rest = rest[rest.index(after: at)...]
        }
        var host = String(rest)
        var port = 80
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            guard let p = Int(rest[rest.index(after: colon)...]), (0...65535).contains(p) else {
                throw ExtensionError("ValueError", "invalid proxy port in \(url)")
            }
            port = p
            host = String(rest[..<colon])
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ExtensionError("ValueError", "proxy URL has no host: \(url)") }
        return .server(host: host, port: port, authorization: authorization)
    }

    /// `%XX` escapes decoded (as UTF-8); anything else as it is.
    static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var it = Array(text.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%"), it.count >= 2,
               let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Pool `id`'s client on the running loop (made on first use; shut down when the loop ends).
    static func client(_ context: ExtensionContext, _ loop: NIOCore.EventLoop, pool id: Int) throws -> HTTPClient {
        let s = state(context)
        let loopID = ObjectIdentifier(loop as AnyObject)
        if s.clientLoop != loopID {
            s.clients = [:]
            s.closing = []
            s.clientLoop = loopID
            context.onLoopEnd { [weak s] in
                guard let s, s.clientLoop == loopID else { return loop.makeSucceededVoidFuture() }
                let clients = s.clients.values
                let closing = s.closing
                s.clients = [:]
                s.closing = []
                s.clientLoop = nil
                for d in s.inFlight.values { d.task?.cancel() }
                s.inFlight = [:]
                let shutdowns = clients.map { c -> EventLoopFuture<Void> in
                    let done = loop.makePromise(of: Void.self)
                    c.shutdown(queue: .global()) { _ in loop.execute { done.succeed(()) } }
                    return done.futureResult
                }
                return EventLoopFuture.andAllComplete(shutdowns + closing, on: loop)
            }
        }
        if let c = s.clients[id] { return c }
        guard let settings = s.pools[id] else { throw ExtensionError("RuntimeError", "Session is closed") }
        var config = HTTPClient.Configuration()
        // Redirects are followed by the Python-facing part (aiohttp's rules and history).
        config.redirectConfiguration = .disallow
        config.decompression = .enabled(limit: .none)
        // A refused connection fails the request at once (aiohttp does not retry either).
        config.connectionPool.retryConnectionEstablishment = false
        // aiohttp's limit_per_host (0: none; the connector's total limit is the session's
        // semaphore, so the pool never needs more than it per host).
        config.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = settings.perHostLimit > 0 ? settings.perHostLimit : 100
        config.httpVersion = .http1Only
        config.proxy = settings.proxy
        // No tracing spans (a span per request costs as much as parsing the response head).
        config.tracing.tracer = nil
        // HTTPS checks certificates against the system's roots, or against the file that
        // SSL_CERT_FILE names (as CPython's ssl module does).
        if let file = context.environment["SSL_CERT_FILE"], !file.isEmpty {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(file)
            config.tlsConfiguration = tls
        }
        let c = HTTPClient(eventLoopGroup: loop, configuration: config)
        s.clients[id] = c
        return c
    }

    /// `_request(pool, method, url, headers, body, timeout, max_size, verify, sock_read)` ->
    /// `[id, head_future, body_future]`; `verify` False skips checking the server's certificate
    /// (aiohttp's `ssl=False`). The head future's result is `[True, status, reason, headers,
    /// version, content_type]`, `headers` one string of names and values by turns, each ending
    /// in a newline, `content_type` the first Content-Type value or None; or `[False, kind,
    /// message]`.
    static func request(_ context: ExtensionContext, _ args: [ExtensionValue]) throws -> ExtensionValue {
        let usage = "_request(pool, method, url, headers, body, timeout, max_size, verify, sock_read)"
        guard args.count == 9, let pool = args[0].int else { throw ExtensionError("TypeError", usage) }
        let args = Array(args.dropFirst())
        guard let method = args[0].string, let url = args[1].string, let headerPairs = args[2].items else {
            throw ExtensionError("TypeError", usage)
        }
        guard let loop = context.eventLoop else { throw ExtensionError("RuntimeError", "no running event loop") }
        var headers = HTTPHeaders()
        for pair in headerPairs {
            guard let kv = pair.items, kv.count == 2, let k = kv[0].string, let v = kv[1].string else {
                throw ExtensionError("TypeError", "headers must be (name, value) string pairs")
            }
            headers.add(name: k, value: v)
        }
        var body: HTTPClient.Body?
        switch args[3] {
        case .bytes(let b): body = .bytes(b)
        case .none: body = nil
        default: throw ExtensionError("TypeError", "body must be bytes or None")
        }
        let maxSize = args[5].int ?? defaultMaxBodySize
        // The host decides which hosts a script may reach (an embedding's default is none).
        if let allowed = context.networkAllowList {
            let host = URLHost.of(url)
            if !allowed.contains(where: { $0.lowercased() == host }) {
                throw ExtensionError("PermissionError", "network access to '\(host)' is not permitted by the host")
            }
        }
        let (headFuture, head) = try context.startIO("an HTTP request (\(method) \(url))")
        let (bodyFuture, bodyDone) = try context.startIO("the body of an HTTP response (\(method) \(url))")
        let s = state(context)
        let id = s.nextID
        s.nextID += 1
        let delegate = RequestDelegate(head: head, body: bodyDone, maxSize: maxSize)
        // aiohttp's sock_read: the longest wait for the head or for the next piece of the body.
        if let seconds = args[7].double, seconds > 0, seconds < 1e9 {
            delegate.readTimeout = .nanoseconds(Int64(seconds * 1e9))
            delegate.loop = loop
        }
        var request: HTTPClient.Request
        let verify: Bool
        if case .bool(false) = args[6] { verify = false } else { verify = true }
        let key = ParsedKey(method: method, url: url, verify: verify)
        if let known = s.parsed[key] {
            request = known
            request.headers = headers
            request.body = body
        } else {
            do {
                var tls: TLSConfiguration?
                if !verify {
                    var t = TLSConfiguration.makeClientConfiguration()
                    t.certificateVerification = .none
                    tls = t
                }
                request = try HTTPClient.Request(url: url, method: HTTPMethod(rawValue: method), headers: headers, body: body,
                                                 tlsConfiguration: tls)
            } catch {
                delegate.fail(kind: "invalid_url", message: "\(error)")
                return .list([.int(id), headFuture, bodyFuture])
            }
            if s.parsed.count >= 256 { s.parsed.removeAll(keepingCapacity: true) }
            // Kept without this request's headers and body (a large upload stays no longer than
            // its request).
            var template = request
            template.headers = HTTPHeaders()
            template.body = nil
            s.parsed[key] = template
        }
        // The time left of the request's total timeout: AsyncHTTPClient fails the request with
        // `deadlineExceeded` when it is over (head or body), which the script sees as a timeout.
        var deadline: NIODeadline?
        if let seconds = args[4].double, seconds < 1e9 {
            deadline = .now() + .nanoseconds(Int64(max(0, seconds) * 1e9))
        }
        let c = try client(context, loop, pool: pool)
        s.inFlight[id] = delegate
        delegate.onDone = { [weak s] in s?.inFlight[id] = nil }
        // The client's group is this one loop, so its connections run on it too; they are the
        // pool's general-purpose connections, parked and reused when idle (connections bound to a
        // loop by `.delegateAndChannel` are closed as soon as no request waits for them).
        delegate.task = c.execute(request: request, delegate: delegate, eventLoop: .delegate(on: loop),
                                  deadline: deadline)
        delegate.armReadTimer()
        return .list([.int(id), headFuture, bodyFuture])
    }

    /// `_cancel(id)`: aborts the request if it is still in flight.
    static func cancel(_ context: ExtensionContext, _ args: [ExtensionValue]) throws -> ExtensionValue {
        guard args.count == 1, let id = args[0].int else { throw ExtensionError("TypeError", "_cancel(id)") }
        let s = state(context)
        if let d = s.inFlight.removeValue(forKey: id) {
            d.cancelled = true
            d.task?.cancel()
        }
        return .none
    }
}

struct BodyTooLarge: Error {}

extension String {
    /// Without the spaces and tabs at either end.
    func trimmingBlanks() -> String {
        let bytes = utf8
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let first = bytes.first, let last = bytes.last else { return self }
        if !blank(first) && !blank(last) { return self }
        guard let start = bytes.firstIndex(where: { !blank($0) }), let end = bytes.lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[start...end])
    }
}

/// Receives one response: completes the head future at the head, the body future at the end.
final class RequestDelegate: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = Void
    private var head: IOCompletion?
    private var body: IOCompletion?
    private var bytes: [UInt8] = []
    private let maxSize: Int
    var task: HTTPClient.Task<Void>?
    var onDone: (() -> Void)?
    var cancelled = false
    /// sock_read: the request fails with a read timeout when nothing arrives for this long.
    var readTimeout: TimeAmount?
    var loop: EventLoop?
    private var readTimer: Scheduled<Void>?

    /// (Re)starts the sock_read timer: after the request is sent and after each piece received.
    func armReadTimer() {
        readTimer?.cancel()
        guard let readTimeout, let loop, head != nil || body != nil else { return }
        readTimer = loop.assumeIsolated().scheduleTask(in: readTimeout) { [weak self] in
            guard let self else { return }
            self.fail(kind: "read_timeout", message: "Timeout on reading data from socket")
            self.task?.cancel()
        }
    }

    init(head: IOCompletion, body: IOCompletion, maxSize: Int) {
        self.head = head
        self.body = body
        self.maxSize = maxSize
    }

    func didReceiveHead(task: HTTPClient.Task<Void>, _ h: HTTPResponseHead) -> EventLoopFuture<Void> {
        // The headers go to the script as one string, names and values by turns, each followed by
        // a newline (neither can hold one: the parser refuses it), which the script splits only
        // when it looks at them; a pair of script strings per header per response cost more than
        // the rest of the head. The content type comes apart, for text() and json().
        // (Gathered as bytes: appending to a String costs several times more.)
        var text: [UInt8] = []
        text.reserveCapacity(512)
        var contentType: String?
        for (name, value) in h.headers {
            // Values without the blanks around them (as aiohttp's parser gives them).
            let value = value.trimmingBlanks()
            if contentType == nil && name.utf8.count == 12 && name.lowercased() == "content-type" { contentType = value }
            text.append(contentsOf: name.utf8)
            text.append(0x0A)
            text.append(contentsOf: value.utf8)
            text.append(0x0A)
        }
        let version = h.version == .http1_1 ? "1.1" : "\(h.version.major).\(h.version.minor)"
        head?.complete(.list([.bool(true), .int(Int(h.status.code)), .str(h.status.reasonPhrase),
                              .str(String(decoding: text, as: UTF8.self)), .str(version),
                              contentType.map { .str($0) } ?? .none]))
        head = nil
        if readTimeout != nil { armReadTimer() }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        if bytes.count + buffer.readableBytes > maxSize {
            return task.eventLoop.makeFailedFuture(BodyTooLarge())
        }
        bytes.append(contentsOf: buffer.readableBytesView)
        if readTimeout != nil { armReadTimer() }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveError(task: HTTPClient.Task<Void>, _ error: Error) {
        let (kind, message) = describe(error)
        fail(kind: kind, message: message)
    }

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {
        if head != nil { fail(kind: "disconnected", message: "Server disconnected") }
        readTimer?.cancel()
        body?.complete(.list([.bool(true), .bytes(bytes)]))
        body = nil
        bytes = []
        onDone?()
        onDone = nil
    }

    /// Completes what is still pending with `[False, kind, message]`: the head when it has not
    /// arrived (and then the body with the same), else the body as an incomplete payload.
    func fail(kind: String, message: String) {
        readTimer?.cancel()
        let failure = ExtensionValue.list([.bool(false), .str(cancelled ? "cancelled" : kind), .str(message)])
        if let h = head {
            head = nil
            h.complete(failure)
            body?.complete(failure)
        } else {
            // A body cut short: the message is how many bytes arrived.
            let k = cancelled ? "cancelled" : ["too_large", "timeout", "read_timeout"].contains(kind) ? kind : "payload"
            body?.complete(.list([.bool(false), .str(k), .str(k == "payload" ? String(bytes.count) : message)]))
        }
        body = nil
        bytes = []
        onDone?()
        onDone = nil
    }

    /// (kind, message) of an error, as the Python-facing part names them.
    private func describe(_ error: Error) -> (String, String) {
        if error is BodyTooLarge { return ("too_large", "Response body is larger than \(maxSize) bytes") }
        if let e = error as? HTTPClientError {
            switch e {
            case .remoteConnectionClosed: return ("disconnected", "Server disconnected")
            case .connectTimeout: return ("connect_timeout", "Connection timeout")
            case .readTimeout: return ("read_timeout", "Timeout on reading data from socket")
            case .deadlineExceeded: return ("timeout", "Timeout")
            case .cancelled: return ("cancelled", "cancelled")
            case .invalidURL, .emptyHost, .emptyScheme: return ("invalid_url", "\(e)")
            default: return ("client", "\(e)")
            }
        }
        if let e = error as? NIOConnectionError {
            if e.connectionErrors.isEmpty && (e.dnsAError != nil || e.dnsAAAAError != nil) { return ("dns", "\(error)") }
            return ("connect", "\(error)")
        }
        if let e = error as? IOError { return ("connect", e.description) }
        if error is HTTPParserError { return ("bad_response", "\(error)") }
        if error is NIOSSLError || error is BoringSSLError { return ("certificate", "\(error)") }
        return ("client", "\(error)")
    }
}

/// The host part of a URL, lower-cased, as the network permission compares it ("" when none).
enum URLHost {
    static func of(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return "" }
        var rest = url[scheme.upperBound...]
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            return String(rest[rest.index(after: rest.startIndex)..<close]).lowercased()
        }
        if let colon = rest.lastIndex(of: ":") { rest = rest[..<colon] }
        return rest.lowercased()
    }
}
