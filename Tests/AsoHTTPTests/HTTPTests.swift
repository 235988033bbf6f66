// The HTTP client through the embedding API, against an HTTP server in this process (SwiftNIO on
// 127.0.0.1): requests, the `fetch` builtin, the body size limit, a loop that waits on I/O under
// virtual time, many failures in a row, cancellation, and no CPU spent while waiting.

import Aso
import AsoHTTP
import Dispatch
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Collects what a program writes.
final class Output: @unchecked Sendable {
    var text = ""
}

/// Answers by path: /hello, /json, /bytes/N, /slow/MS (answers after MS milliseconds),
/// /close (closes without answering).
final class TestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    private var uri = ""

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): uri = head.uri
        case .body: break
        case .end:
            if uri == "/close" {
                context.close(promise: nil)
                return
            }
            if uri.hasPrefix("/slow/"), let ms = Int64(uri.dropFirst(6)) {
                let ctx = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: .milliseconds(ms)) {
                    self.respond(ctx.value, "text/plain", Array("slow\n".utf8))
                }
                return
            }
            if uri.hasPrefix("/bytes/"), let n = Int(uri.dropFirst(7)) {
                respond(context, "application/octet-stream", [UInt8](repeating: 65, count: max(0, n)))
            } else if uri == "/json" {
                respond(context, "application/json", Array(#"{"a": [1, 2], "b": null}"#.utf8))
            } else {
                respond(context, "text/plain; charset=utf-8", Array("Hello\n".utf8))
            }
        }
    }

    private func respond(_ context: ChannelHandlerContext, _ type: String, _ body: [UInt8]) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: type)
        headers.add(name: "Content-Length", value: String(body.count))
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

/// The self-signed certificate (for 127.0.0.1 and localhost) of the HTTPS server, and its key.
let fixtures = String(#filePath).components(separatedBy: "/HTTPTests.swift").first.map { $0 + "/Fixtures" } ?? "Fixtures"
let certificateFile = fixtures + "/localhost-cert.pem"
let keyFile = fixtures + "/localhost-key.pem"

/// A server on 127.0.0.1 with a port of its own, for one test (HTTPS with the self-signed
/// certificate of Fixtures/ when `tls`).
final class TestServer {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let channel: Channel
    let tls: Bool
    var url: String { "\(tls ? "https" : "http")://127.0.0.1:\(channel.localAddress?.port ?? 0)" }

    init(tls: Bool = false) throws {
        self.tls = tls
        var context: NIOSSLContext?
        if tls {
            let chain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { NIOSSLCertificateSource.certificate($0) }
            let config = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .file(keyFile))
            context = try NIOSSLContext(configuration: config)
        }
        channel = try ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                var ready = channel.eventLoop.makeSucceededVoidFuture()
                if let context {
                    ready = channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    }
                }
                return ready.flatMap {
                    channel.pipeline.configureHTTPServerPipeline().flatMap {
                        channel.pipeline.addHandler(TestHandler())
                    }
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
    }

    func stop() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }
}

struct Result: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `body` on a thread of its own and waits for it without blocking one of the threads that
/// run tests (a program blocks while it runs, and every suite shares the runner's few threads).
func offThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (done: CheckedContinuation<T, Never>) in
        DispatchQueue(label: "aso-http-test").async { done.resume(returning: body()) }
    }
}

func run(_ source: String, server: TestServer, environment: [String: String] = [:],
         virtualTime: Bool = false, maxResponseBodySize: Int? = nil) async -> Result {
    let url = server.url
    return await offThread {
        runBlocking(source, url: url, environment: environment, virtualTime: virtualTime,
                    maxResponseBodySize: maxResponseBodySize)
    }
}

func runBlocking(_ source: String, url: String, environment: [String: String], virtualTime: Bool,
                 network: NetworkAccess = .unrestricted, maxResponseBodySize: Int? = nil) -> Result {
    let out = Output(), err = Output()
    var config = Configuration()
    config.network = network
    config.arguments = ["test.aso"]
    config.environment = environment.merging(["BASE": url]) { a, _ in a }
    config.virtualTime = virtualTime
    config.maxResponseBodySize = maxResponseBodySize
    config.extensions = [AsoHTTP.runtimeExtension]
    config.standardOutput = { out.text += $0 }
    config.standardError = { err.text += $0 }
    let status = Interpreter(configuration: config).runProgram(source: source, filename: "test.aso")
    return Result(status: status, stdout: out.text, stderr: err.text)
}

/// Runs the `aso` command built beside the tests on `source` and returns its exit status and the
/// CPU time (user + system) it used: the tests of other suites run in this process at the same
/// time, so the process's own usage would count theirs too.
func runCommand(_ source: String, environment: [String: String]) async -> (status: Int32, cpu: Double)? {
    await offThread { runCommandBlocking(source, environment: environment) }
}

func runCommandBlocking(_ source: String, environment: [String: String]) -> (status: Int32, cpu: Double)? {
    let root = String(#filePath).components(separatedBy: "/Tests/AsoHTTPTests/").first ?? "."
    let aso = root + "/.build/debug/aso"
    guard access(aso, X_OK) == 0 else { return nil }
    let file = "/tmp/aso-http-cpu-\(getpid()).aso"
    guard let f = fopen(file, "w") else { return nil }
    fputs(source, f)
    fclose(f)
    defer { unlink(file) }
    let args = [aso, "run", file]
    let env = environment.map { "\($0.key)=\($0.value)" }
    var cargs = args.map { strdup($0) } + [nil]
    var cenv = env.map { strdup($0) } + [nil]
    defer { for p in cargs + cenv { free(p) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, aso, nil, nil, &cargs, &cenv) == 0 else { return nil }
    var status: Int32 = 0
    var usage = rusage()
    guard wait4(pid, &status, 0, &usage) == pid else { return nil }
    let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return ((status >> 8) & 0xff, cpu)
}

@Suite(.serialized) struct HTTPTests {
    @Test func sessionGetTextJsonAndHeaders() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let r = await run("""
        import asyncio, os, aiohttp
        async def main():
            async with aiohttp.ClientSession() as s:
                async with s.get(os.environ["BASE"] + "/hello") as resp:
                    print(resp.status, resp.content_type, resp.charset, repr(await resp.text()))
                    print(resp.headers["content-length"])
                resp = await s.get(os.environ["BASE"] + "/json")
                print(await resp.json())
        asyncio.run(main())
        """, server: server)
        #expect(r.stderr == "")
        #expect(r.stdout == "200 text/plain utf-8 'Hello\\n'\n6\n{'a': [1, 2], 'b': None}\n")
    }

    @Test func theNetworkIsTheHostsToGrant() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let url = server.url
        let source = """
        import asyncio, os
        async def main():
            try:
                resp = await fetch(os.environ["BASE"] + "/bytes/10")
                print(resp.status)
            except PermissionError as e:
                print("PermissionError:", e)
        asyncio.run(main())
        """
        // An embedding's default: no network.
        let denied = await offThread { runBlocking(source, url: url, environment: [:], virtualTime: false, network: .none) }
        #expect(denied.stdout == "PermissionError: network access to '127.0.0.1' is not permitted by the host\n")
        // An allow-list that names the host, and one that does not.
        let listed = await offThread { runBlocking(source, url: url, environment: [:], virtualTime: false, network: .allowList(["127.0.0.1"])) }
        #expect(listed.stdout == "200\n")
        let other = await offThread { runBlocking(source, url: url, environment: [:], virtualTime: false, network: .allowList(["example.com"])) }
        #expect(other.stdout.hasPrefix("PermissionError:"))
    }

    @Test func fetchBuiltin() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let r = await run("""
        import asyncio, os
        async def main():
            resp = await fetch(os.environ["BASE"] + "/bytes/3000")
            print(resp.status, len(await resp.read()))
        asyncio.run(main())
        """, server: server)
        #expect(r.stdout == "200 3000\n")
    }

    @Test func bodyLargerThanTheLimitIsAnErrorAndThePoolGoesOn() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let r = await run("""
        import asyncio, os, aiohttp
        async def main():
            async with aiohttp.ClientSession() as s:
                async with s.get(os.environ["BASE"] + "/bytes/5000") as resp:
                    try:
                        await resp.read()
                    except aiohttp.ClientPayloadError as e:
                        print(type(e).__name__, e)
                async with s.get(os.environ["BASE"] + "/bytes/1000") as resp:
                    print(len(await resp.read()))
        asyncio.run(main())
        """, server: server, environment: ["ASO_HTTP_MAX_BODY": "1000"])
        #expect(r.stdout == "ResponseTooLargeError Response body is larger than 1000 bytes\n1000\n")
        // The host's Configuration sets the limit too, before the environment.
        let c = await run("""
        import asyncio, os
        async def main():
            print(len(await (await fetch(os.environ["BASE"] + "/bytes/1500")).read()))
            try:
                await fetch(os.environ["BASE"] + "/bytes/2500")
            except Exception as e:
                print(type(e).__name__, e)
        asyncio.run(main())
        """, server: server, environment: ["ASO_HTTP_MAX_BODY": "1000"], maxResponseBodySize: 2000)
        #expect(c.stdout == "1500\nResponseTooLargeError Response body is larger than 2000 bytes\n")
    }

    @Test func virtualTimeWaitsForTheNetworkInsteadOfReportingADeadlock() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let r = await run("""
        import asyncio, os, aiohttp
        async def ticker(log):
            for i in range(3):
                await asyncio.sleep(0.01)
                log.append(i)
        async def main():
            log = []
            t = asyncio.create_task(ticker(log))
            async with aiohttp.ClientSession() as s:
                async with s.get(os.environ["BASE"] + "/slow/300") as resp:
                    print(await resp.text(), end="")
            await t
            print(log)
        asyncio.run(main())
        """, server: server, virtualTime: true)
        #expect(r.stderr == "")
        #expect(r.stdout == "slow\n[0, 1, 2]\n")
    }

    @Test func manyFailuresInARowThenASuccess() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let r = await run("""
        import asyncio, os, aiohttp
        async def main():
            failures = 0
            async with aiohttp.ClientSession() as s:
                for i in range(1000):
                    try:
                        await s.get(os.environ["BASE"] + "/close")
                    except aiohttp.ServerDisconnectedError:
                        failures += 1
                async with s.get(os.environ["BASE"] + "/hello") as resp:
                    print(failures, resp.status)
        asyncio.run(main())
        """, server: server)
        #expect(r.stdout == "1000 200\n")
    }

    @Test func tenThousandRequestsAtOnce() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let r = await run("""
        import asyncio, os, aiohttp
        async def main():
            async with aiohttp.ClientSession() as s:
                async def one():
                    async with s.get(os.environ["BASE"] + "/hello") as resp:
                        return resp.status, await resp.text()
                results = await asyncio.gather(*(one() for _ in range(10000)))
                print(len(results), set(results))
        asyncio.run(main())
        """, server: server)
        #expect(r.stderr == "")
        #expect(r.stdout == "10000 {(200, 'Hello\\n')}\n")
    }

    @Test func cancellationAbortsTheRequest() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let r = await run("""
        import asyncio, os, aiohttp
        async def main():
            async with aiohttp.ClientSession() as s:
                try:
                    async with asyncio.timeout(0.2):
                        await s.get(os.environ["BASE"] + "/slow/20000")
                except TimeoutError:
                    print("timed out")
                async with s.get(os.environ["BASE"] + "/hello") as resp:
                    print(resp.status)
        asyncio.run(main())
        """, server: server)
        #expect(r.stdout == "timed out\n200\n")
    }

    @Test func waitingOnTheNetworkUsesNoCPU() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let r = await runCommand("""
        import asyncio, os, aiohttp
        async def main():
            async with aiohttp.ClientSession() as s:
                async with s.get(os.environ["BASE"] + "/slow/2000") as resp:
                    assert await resp.text() == "slow\\n"
        asyncio.run(main())
        """, environment: ["BASE": server.url])
        guard let r else {
            Issue.record("no aso command at .build/debug/aso (build it with `swift build`)")
            return
        }
        #expect(r.status == 0)
        // A loop that polled would burn most of the two seconds; the margin is wide for a debug
        // build on a busy machine (starting, and compiling the library part, take some of it).
        #expect(r.cpu < 0.8)
    }

    @Test func httpsWithASelfSignedCertificateTheTestTrusts() async throws {
        let server = try TestServer(tls: true)
        defer { server.stop() }
        let r = await run("""
        import asyncio, os, aiohttp
        async def main():
            async with aiohttp.ClientSession() as s:
                async with s.get(os.environ["BASE"] + "/hello") as resp:
                    print(resp.status, resp.url.scheme, repr(await resp.text()))
        asyncio.run(main())
        """, server: server, environment: ["SSL_CERT_FILE": certificateFile])
        #expect(r.stderr == "")
        #expect(r.stdout == "200 https 'Hello\\n'\n")
    }

    @Test func httpsRefusesAnUntrustedCertificateUnlessTold() async throws {
        let server = try TestServer(tls: true)
        defer { server.stop() }
        let r = await run("""
        import asyncio, os, aiohttp
        async def main():
            async with aiohttp.ClientSession() as s:
                try:
                    await s.get(os.environ["BASE"] + "/hello")
                except aiohttp.ClientConnectorCertificateError as e:
                    print(type(e).__name__, isinstance(e, aiohttp.ClientConnectorError))
                async with s.get(os.environ["BASE"] + "/json", ssl=False) as resp:
                    print(resp.status, await resp.json())
        asyncio.run(main())
        """, server: server, environment: ["SSL_CERT_FILE": "/nonexistent/certificates.pem"])
        #expect(r.stdout == "ClientConnectorCertificateError True\n200 {'a': [1, 2], 'b': None}\n")
    }
}
