#!/usr/bin/env python3
"""httpfault.py - an HTTP/1.1 server on 127.0.0.1 that injects faults.

    python3 tests/servers/httpfault.py --port-file FILE [--lifetime S]

It listens on an ephemeral port and writes the number to FILE (through
a temporary name and a rename, so a reader never sees half of it).  The
request path chooses the behaviour.  Routes with a KEY count requests
per key in memory, so "fail N times, then succeed" holds across the
client's retries; /count/KEY reads the counter without moving it.

    /ok                        200 {"ok":true}
    /status/CODE               CODE with a JSON error body
    /flaky/KEY/N/CODE          CODE the first N times, then 200
    /retry-after/KEY/N/VALUE   429 with Retry-After: VALUE (seconds, or
                               "date": an HTTP date at least 1 s ahead)
                               the first N times, then 200; ?code=503
                               answers 503 instead of 429
    /retry-after-ms/KEY/N/MS   the same with retry-after-ms: MS; ?and=S
                               adds Retry-After: S as well
    /slow/MS                   sleep MS milliseconds, then 200
    /stall                     headers and 100 of 1000 bytes, then 30 s
                               of silence; ?bytes=N sends N bytes first
    /drop/KEY/N                close without a response the first N times
    /reset/KEY/N               reset the connection (RST) the first N times
    /drop-mid/KEY/N            headers and half the body, then close, the
                               first N times (the body is NDJSON lines)
    /echo                      the request as JSON: method, headers, body
                               length and sha256, Range, Content-Range
    /big/BYTES                 BYTES bytes of text
    /sse                       Server-Sent Events, CRLF, in small pieces
    /ndjson                    NDJSON, the last line without a newline
    /count/KEY                 how many requests KEY has seen

A successful answer from a keyed route echoes the request's method,
body length and sha256 too, so an upload can be checked after retries.
Each request is logged to stderr on one line.  The server exits when its
parent goes away or after --lifetime seconds, whichever comes first.
"""

import argparse
import email.utils
import hashlib
import http.server
import json
import os
import socket
import struct
import sys
import threading
import time
from urllib.parse import parse_qs, urlsplit

counts = {}
counts_lock = threading.Lock()

SSE_BODY = (
    b": a comment the client must ignore\r\n"
    b"\r\n"
    b"data: hello\r\n"
    b"\r\n"
    b"event: delta\r\n"
    b"data: line one\r\n"
    b"data: line two\r\n"
    b"data:no-space\r\n"
    b"\r\n"
    b": another comment\r\n"
    b"id: 7\r\n"
    b"retry: 1000\r\n"
    b'data: {"n":3}\r\n'
    b"\r\n"
    b"data: [DONE]\r\n"
    b"\r\n"
)

NDJSON_BODY = b'{"i":1}\n{"i":2}\r\n{"i":3,"s":"three"}\n{"i":4}'

DROP_MID_BODY = b"".join(b'{"part":%d}\n' % i for i in range(1, 9))


def hit(key):
    """Count one request for key; return the new count."""
    with counts_lock:
        counts[key] = counts.get(key, 0) + 1
        return counts[key]


def count_of(key):
    with counts_lock:
        return counts.get(key, 0)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "httpfault/1"
    # Headers and body go out in separate writes; with Nagle on, each
    # answer would wait for the client's delayed ACK (40 ms).
    disable_nagle_algorithm = True

    # Our own one-line log replaces the default one.
    def log_request(self, code="-", size="-"):
        pass

    def log_message(self, fmt, *args):
        sys.stderr.write("httpfault: %s\n" % (fmt % args))
        sys.stderr.flush()

    def note(self, what):
        self.log_message('"%s %s" %s (%d body bytes)', self.command,
                         self.path, what, len(self.body))

    # Requests.

    def read_body(self):
        """Read the whole request body (Content-Length or chunked)."""
        te = self.headers.get("Transfer-Encoding", "")
        if te.lower() == "chunked":
            parts = []
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n",
                                                               b"\n", b""):
                        pass
                    break
                parts.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(parts)
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def request_info(self):
        return {
            "method": self.command,
            "path": self.path,
            "length": len(self.body),
            "sha256": hashlib.sha256(self.body).hexdigest(),
        }

    # Answers.

    def reply(self, code, body=b"", ctype="application/json", headers=()):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode() + b"\n"
        self.send_response(code)
        if code not in (204, 304):
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD" and code not in (204, 304):
            self.wfile.write(body)
        self.note(str(code))

    def error_reply(self, code, message, headers=()):
        self.reply(code, {"error": {"code": code, "message": message}},
                   headers=headers)

    def success(self, key):
        info = self.request_info()
        info.update({"ok": True, "attempts": count_of(key)})
        self.reply(200, info)

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def stream(self, ctype, data, piece=7, pause=0.005):
        """Send data chunked, a few bytes at a time, so it streams."""
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        if self.command != "HEAD":
            for i in range(0, len(data), piece):
                self.chunk(data[i:i + piece])
                time.sleep(pause)
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
        self.note("200 streamed")

    def drop(self, reset):
        """End the connection without an answer."""
        self.close_connection = True
        if reset:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.note("reset")
        else:
            self.connection.shutdown(socket.SHUT_RDWR)
            self.note("dropped")

    # Routes.

    def handle_any(self):
        self.body = b""
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        p = [s for s in url.path.split("/") if s != ""]
        try:
            self.body = self.read_body()
            self.route(p, query)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            self.note("client went away")
        except (ValueError, IndexError) as e:
            self.error_reply(400, "bad fault route: %s" % e)

    def route(self, p, query):
        name = p[0] if p else ""
        if name == "ok":
            self.reply(200, {"ok": True},
                       headers=[("X-Fault-Test", "Mixed-Case Value")])
        elif name == "status":
            code = int(p[1])
            self.error_reply(code, "status %d as asked" % code)
        elif name == "flaky":
            key, n, code = p[1], int(p[2]), int(p[3])
            if hit(key) <= n:
                self.error_reply(code, "flaky: failing as asked")
            else:
                self.success(key)
        elif name == "retry-after":
            key, n, value = p[1], int(p[2]), p[3]
            code = int(query.get("code", ["429"])[0])
            if hit(key) <= n:
                if value == "date":
                    value = email.utils.formatdate(int(time.time()) + 2,
                                                   usegmt=True)
                self.error_reply(code, "slow down",
                                 headers=[("Retry-After", value)])
            else:
                self.success(key)
        elif name == "retry-after-ms":
            key, n, ms = p[1], int(p[2]), p[3]
            headers = [("retry-after-ms", ms)]
            if "and" in query:
                headers.append(("Retry-After", query["and"][0]))
            if hit(key) <= n:
                self.error_reply(429, "slow down", headers=headers)
            else:
                self.success(key)
        elif name == "slow":
            ms = int(p[1])
            time.sleep(ms / 1000)
            self.reply(200, {"ok": True, "slept_ms": ms})
        elif name == "stall":
            n = int(query.get("bytes", ["100"])[0])
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"x" * n)
            self.wfile.flush()
            self.note("200 stalling")
            time.sleep(30)
            self.close_connection = True
        elif name in ("drop", "reset"):
            key, n = p[1], int(p[2])
            if hit(key) <= n:
                self.drop(name == "reset")
            else:
                self.success(key)
        elif name == "drop-mid":
            key, n = p[1], int(p[2])
            if hit(key) <= n:
                body = DROP_MID_BODY
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[:len(body) // 2])
                self.wfile.flush()
                self.drop(False)
            else:
                self.success(key)
        elif name == "echo":
            info = self.request_info()
            info["headers"] = {k: v for k, v in self.headers.items()}
            for h in ("Range", "Content-Range"):
                if h in self.headers:
                    info[h.lower().replace("-", "_")] = self.headers[h]
            self.reply(200, info)
        elif name == "big":
            n = int(p[1])
            pattern = b"0123456789abcdefghijklmnopqrstuvwxyz\n" * 1024
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(n))
            self.end_headers()
            left = n if self.command != "HEAD" else 0
            while left > 0:
                piece = pattern[:min(left, len(pattern))]
                self.wfile.write(piece)
                left -= len(piece)
            self.note("200 big")
        elif name == "sse":
            self.stream("text/event-stream", SSE_BODY)
        elif name == "ndjson":
            self.stream("application/x-ndjson", NDJSON_BODY)
        elif name == "count":
            self.reply(200, {"key": p[1], "count": count_of(p[1])})
        else:
            self.error_reply(404, "no such fault route")

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def watchdog(parent, lifetime):
    """Leave when the parent dies or the lifetime is over."""
    end = time.monotonic() + lifetime
    while time.monotonic() < end and os.getppid() == parent:
        time.sleep(0.2)
    os._exit(0)


def main():
    ap = argparse.ArgumentParser(description="HTTP fault injection server")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--lifetime", type=float, default=300)
    args = ap.parse_args()

    srv = Server(("127.0.0.1", 0), Handler)
    port = srv.server_address[1]
    tmp = "%s.tmp.%d" % (args.port_file, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, args.port_file)
    sys.stderr.write("httpfault: listening on 127.0.0.1:%d\n" % port)
    sys.stderr.flush()
    threading.Thread(target=watchdog, args=(os.getppid(), args.lifetime),
                     daemon=True).start()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
