"""The HTTP server the programs of Tests/Programs/http talk to, on 127.0.0.1 (standard library only).

    python3 Tests/Programs/http/server.py    # prints its port on the first line, then serves until killed

scripts/corpus and scripts/update-expectations start it when they run programs of this folder and
give the programs its address as ASO_TEST_HTTP_URL (`http://127.0.0.1:PORT`); programs never print
the port. Endpoints (all GET unless said):
  /hello                 text/plain; charset=utf-8 "Hello, world!\\n"
  /status/N              status N, body "status N" (text/plain)
  /json                  a JSON object
  /echo (any method)     JSON: method, path, query, the X-* request headers, content-type, body
  /headers               repeated headers (X-Multi twice, Set-Cookie twice)
  /redirect/N            302 to /redirect/N-1; /redirect/0 is /hello
  /redirect-to?url=U&status=S   a redirect to U with status S (302 by default)
  /redirect-loop         302 to itself
  /chunked               a chunked body in five parts
  /gzip, /deflate        a compressed body (Content-Encoding)
  /slow?delay=S          answers after S seconds
  /slow-body?delay=S     sends the head, then the body after S seconds
  /close-mid-body        promises 100 bytes, sends 10, closes
  /close-no-response     closes without answering
  /garbage               answers with bytes that are not HTTP
  /endless-headers       a status line, then header lines without end (until the client leaves)
  /stall                 reads the request and never answers (until the client leaves)
  /bytes/N               N bytes (b"0123456789" repeated)
  /html                  text/html
  /badjson               application/json that is not JSON
  /empty                 204 with no body
  /latin1                text/plain; charset=latin-1
  /peer?delay=S          JSON: the client's port (the same port means the same connection), after
                         S seconds (0 by default)
  /target                JSON: did the request come through a proxy, and the Proxy-Authorization
                         header the proxy saw. This server is also the proxy, both ways: a request
                         in absolute form (`GET http://...`), or CONNECT, after which the requests
                         on that connection are tunnelled to this server.
"""
import gzip
import json
import socket
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "AsoTest/1.0"
    sys_version = ""

    def log_message(self, *args):
        pass

    def send_body(self, status, body, ctype="text/plain; charset=utf-8", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, obj, status=200):
        self.send_body(status, json.dumps(obj).encode(), "application/json; charset=utf-8")

    def do_GET(self):
        self.route()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    # Set by CONNECT for the rest of the connection: the Proxy-Authorization of the tunnel.
    tunnel = None

    def do_CONNECT(self):
        self.tunnel = (self.headers.get("Proxy-Authorization"),)
        self.send_response(200, "Connection established")
        self.end_headers()

    def route(self):
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if path == "/hello":
            self.send_body(200, b"Hello, world!\n")
        elif path.startswith("/status/"):
            code = int(path[len("/status/"):])
            self.send_body(code, f"status {code}".encode())
        elif path == "/json":
            self.send_json({"name": "aso", "items": [1, 2, 3], "ok": True, "nested": {"pi": 3.25, "none": None}})
        elif path == "/target":
            if self.tunnel is not None:
                via, auth = True, self.tunnel[0]
            else:
                via, auth = self.path.startswith("http://"), self.headers.get("Proxy-Authorization")
            self.send_json({"via_proxy": via, "proxy_authorization": auth})
        elif path == "/peer":
            time.sleep(float(query.get("delay", ["0"])[0]))
            self.send_json({"port": self.client_address[1]})
        elif path == "/echo":
            self.send_json({
                "method": self.command,
                "path": path,
                "query": parts.query,
                "headers": {k: v for k, v in sorted(self.headers.items()) if k.lower().startswith("x-")},
                "content_type": self.headers.get("Content-Type"),
                "body": body.decode("utf-8", "replace"),
            })
        elif path == "/headers":
            self.send_body(200, b"headers", extra=[("X-Multi", "one"), ("X-Multi", "two"),
                                                   ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"),
                                                   ("X-Single", "value")])
        elif path.startswith("/redirect/"):
            n = int(path[len("/redirect/"):])
            target = "/hello" if n <= 0 else f"/redirect/{n - 1}"
            self.send_body(302, b"", extra=[("Location", target)])
        elif path == "/redirect-to":
            status = int(query.get("status", ["302"])[0])
            self.send_body(status, b"", extra=[("Location", query["url"][0])])
        elif path == "/redirect-loop":
            self.send_body(302, b"", extra=[("Location", "/redirect-loop")])
        elif path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(5):
                chunk = f"part {i}\n".encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/gzip":
            self.send_body(200, gzip.compress(b"compressed with gzip\n" * 20), extra=[("Content-Encoding", "gzip")])
        elif path == "/deflate":
            self.send_body(200, zlib.compress(b"compressed with deflate\n" * 20), extra=[("Content-Encoding", "deflate")])
        elif path == "/slow":
            time.sleep(float(query.get("delay", ["1"])[0]))
            self.send_body(200, b"slow answer\n")
        elif path == "/slow-body":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "10")
            self.end_headers()
            self.wfile.flush()
            time.sleep(float(query.get("delay", ["1"])[0]))
            self.wfile.write(b"late body\n")
        elif path == "/close-mid-body":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.wfile.flush()
            self.close_now()
        elif path == "/close-no-response":
            self.close_now()
        elif path == "/garbage":
            self.wfile.write(b"this is not HTTP at all\r\n\r\n")
            self.wfile.flush()
            self.close_now()
        elif path == "/endless-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            try:
                for i in range(1000000):
                    self.wfile.write(b"X-Header-%d: %s\r\n" % (i, b"v" * 100))
            except OSError:
                pass
            self.close_now()
        elif path == "/stall":
            try:
                while self.rfile.read(1):
                    pass
            except OSError:
                pass
            self.close_now()
        elif path.startswith("/bytes/"):
            n = int(path[len("/bytes/"):])
            self.send_body(200, (b"0123456789" * (n // 10 + 1))[:n], "application/octet-stream")
        elif path == "/html":
            self.send_body(200, b"<html><body>hi</body></html>", "text/html; charset=utf-8")
        elif path == "/badjson":
            self.send_body(200, b"{not json", "application/json")
        elif path == "/empty":
            self.send_response(204)
            self.end_headers()
        elif path == "/latin1":
            self.send_body(200, "café crème".encode("latin-1"), "text/plain; charset=latin-1")
        else:
            self.send_body(404, b"not found")

    def close_now(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512

    def handle_error(self, request, client_address):
        # Clients that give up (timeouts, cancelled requests) close their end: not an error here.
        pass


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # Ends when its parent closes its standard input (or kills it).
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
