#!/usr/bin/env python3
"""platformfake.py - the base of the fake platform servers (standard library).

A fake platform (fake_youtube.py, and one per platform after it) is a
subclass of Handler with a table of routes, run by main():

    class YouTube(platformfake.Handler):
        name = "youtube"
        routes = [("POST", r"/upload/youtube/v3/videos", "insert"), ...]

        def insert(self, m):
            self.require_token()          # 401 unless a live bearer token
            ...
            self.reply(200, {...}, headers=[("Location", url)])

    if __name__ == "__main__":
        platformfake.main(YouTube)

It listens on 127.0.0.1 with an ephemeral port written to --port-file
(through a rename: whole or absent), logs one JSON line per request to
--log (method, path, headers, body length, status), and exits when its
parent goes away or after --lifetime seconds.  Everything it holds is in
memory; GET /_fake/state returns it as JSON for the tests (the
subclass's state() decides what), so a test can count the posts that
exist: "exactly one post" is checked on the server, not on our output.

OAuth 2.0, for every platform that uses it (authorization code + PKCE
S256, refresh, rotation; ../../shared/reference/platforms.md §0.3):

    GET  /oauth/authorize   checks client_id, a loopback redirect_uri and
                            the PKCE challenge, then redirects to
                            redirect_uri?code=...&state=... (the user
                            "approves" at once; ?deny=1 answers
                            error=access_denied instead)
    POST /oauth/token       grant_type=authorization_code (verifies the
                            code_verifier) or refresh_token; access
                            tokens live --token-ttl seconds; with
                            --rotate every refresh returns a new refresh
                            token and the old one dies (replaying it is
                            invalid_grant and, as X does, revokes the
                            whole family)
    POST /_fake/revoke      kill every refresh token (the user revoked
                            the app): the next refresh is invalid_grant

Faults, from --fault NAME[=ARG][*N] (repeatable) or at run time with
POST /_fake/fault {"name": ..., "arg": ..., "count": N}; a fault fires
N times (default once; *0 forever) where the platform checks for it:

    drop=BYTES|random   close the connection after BYTES (or a random
                        number) of an upload body: read_body(drop=True)
    partial=BYTES       keep only BYTES of an upload chunk (the platform
                        says so in its answer, e.g. 308 Range)
    5xx=CODE            answer CODE (default 503) to the next request
                        that checks it (any route calling fault_5xx())
    finalize-5xx=CODE   the same, only at a platform's finalize step
    429=SECONDS         answer 429 asking for SECONDS (rate_limited());
                        the header style is the platform's
                        (rate_headers(): Retry-After by default)
    expire-token        the bearer token presented is expired: 401, so
                        the client must refresh
    create-drop         make the object (the post), then drop the
                        connection without an answer: a crash between
                        create and record, seen from the client
    processing=N        media takes N status polls to be ready
                        (self.server.processing, read by the platform)
    slow=MS             sleep MS before answering (kill -9 windows)

--delay MS sleeps before every answer, so that a kill -9 at a random
moment lands inside requests as often as between them.
"""

import argparse
import base64
import hashlib
import http.server
import json
import os
import random
import re
import secrets
import socket
import struct
import sys
import threading
import time
from urllib.parse import parse_qs, urlencode, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from httpfault import watchdog  # noqa: E402  (leave with the parent)


class Faults:
    """Named faults with a count of firings left (0 = forever)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.active = {}            # name -> [arg, count]

    def add(self, spec):
        count = 1
        if "*" in spec:
            spec, n = spec.rsplit("*", 1)
            count = int(n)
        name, _, arg = spec.partition("=")
        with self.lock:
            self.active[name] = [arg, count]

    def take(self, name):
        """The fault's argument ('' if none) if it fires now, else None."""
        with self.lock:
            f = self.active.get(name)
            if f is None:
                return None
            if f[1] > 0:
                f[1] -= 1
                if f[1] == 0:
                    del self.active[name]
            return f[0]

    def peek(self, name):
        with self.lock:
            f = self.active.get(name)
            return None if f is None else f[0]


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, handler, args):
        super().__init__(addr, handler)
        self.args = args
        self.lock = threading.RLock()   # guards all platform state
        self.faults = Faults()
        for f in args.fault or []:
            self.faults.add(f)
        self.log_lock = threading.Lock()
        self.requests = 0
        # OAuth state.
        self.codes = {}         # code -> {challenge, redirect_uri, client_id}
        self.access = {}        # token -> expiry (epoch s)
        self.refresh = {}       # token -> {"family": f, "alive": bool}
        self.families = {}      # family -> alive
        self.refreshes = 0
        self.processing = int(args.processing)
        self.state_extra = {}
        for t in args.token or []:
            self.access[t] = time.time() + 10 ** 9


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "platformfake/1"
    disable_nagle_algorithm = True
    name = "platform"
    routes = []

    # ---- plumbing --------------------------------------------------

    def log_request(self, code="-", size="-"):
        pass

    def log_message(self, fmt, *args):
        sys.stderr.write("%s: %s\n" % (self.name, fmt % args))
        sys.stderr.flush()

    def record(self, status):
        """One JSON line per request in --log, once: when the answer is
        about to go out (so a test that reads the log once the client
        is done, or killed, sees it), or at the end for a request that
        got none (a dropped connection)."""
        s = self.server
        if self.logged or not s.args.log:
            return
        self.logged = True
        line = json.dumps({
            "method": self.command, "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "length": getattr(self, "body_len", 0), "status": status,
            "body": getattr(self, "body_text", None)})
        with s.log_lock:
            with open(s.args.log, "a") as f:
                f.write(line + "\n")

    def handle_any(self):
        self.logged = False
        self.body_len = 0
        self.body_text = None
        self.body_read = False
        self.status_sent = None
        self.url = urlsplit(self.path)
        self.query = {k: v[0] for k, v in parse_qs(
            self.url.query, keep_blank_values=True).items()}
        with self.server.lock:
            self.server.requests += 1
        try:
            slow = self.server.faults.take("slow")
            if slow:
                time.sleep(int(slow) / 1000)
            if self.server.args.delay:
                time.sleep(self.server.args.delay / 1000)
            if not self.route():
                self.error(404, "notFound", "no such route: %s %s" % (
                    self.command, self.url.path))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Dropped:
            pass
        self.record(self.status_sent)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any

    def route(self):
        path = self.url.path
        if path.startswith("/_fake/"):
            return self.fake_admin(path[7:])
        if path == "/oauth/authorize" and self.command == "GET":
            self.oauth_authorize()
            return True
        if path == "/oauth/token" and self.command == "POST":
            self.oauth_token()
            return True
        for method, pattern, fn in self.routes:
            if method != self.command:
                continue
            m = re.fullmatch(pattern, path)
            if m:
                getattr(self, fn)(m)
                return True
        return False

    # ---- requests --------------------------------------------------

    def body(self):
        """The whole (small) request body, as bytes."""
        if self.body_read:
            return self._body
        n = int(self.headers.get("Content-Length") or 0)
        self._body = self.rfile.read(n) if n > 0 else b""
        self.body_read = True
        self.body_len = len(self._body)
        if len(self._body) < 4096:
            self.body_text = self._body.decode("utf-8", "replace")
        return self._body

    def json_body(self):
        try:
            return json.loads(self.body() or b"{}")
        except ValueError:
            return None

    def form(self):
        return {k: v[0] for k, v in parse_qs(
            self.body().decode(), keep_blank_values=True).items()}

    def read_body(self, sink, keep=None, drop=False):
        """Stream an upload body of Content-Length bytes into sink(data).

        keep: pass at most this many bytes to sink (the rest is read
        and dropped).  drop: let a "drop" fault cut the connection
        after some bytes (the bytes read so far are kept, as a real
        server keeps what reached it).  Returns the bytes kept.
        """
        n = int(self.headers.get("Content-Length") or 0)
        self.body_read = True
        cut = None
        if drop:
            d = self.server.faults.take("drop")
            if d is not None:
                cut = random.randint(0, n) if d in ("", "random") else \
                    min(int(d), n)
        got = kept = 0
        while got < n:
            want = min(1 << 20, n - got)
            if cut is not None:
                want = min(want, cut - got)
                if want <= 0:
                    self.body_len = got
                    self.drop_connection()
            data = self.rfile.read(want)
            if not data:
                break
            got += len(data)
            if keep is None or kept < keep:
                part = data if keep is None else data[:keep - kept]
                sink(part)
                kept += len(part)
        self.body_len = got
        return kept

    # ---- answers ---------------------------------------------------

    def reply(self, code, body=b"", ctype="application/json", headers=()):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        if not self.body_read:
            self.body()
        self.record(code)
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.status_sent = code

    def error_body(self, code, reason, message):
        """The platform's error shape; override per platform."""
        return {"error": {"code": code, "message": message,
                          "reason": reason}}

    def error(self, code, reason, message, headers=()):
        self.reply(code, self.error_body(code, reason, message),
                   headers=headers)

    def drop_connection(self):
        """Close without an answer (as a crash or a reset would)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass
        self.status_sent = "dropped"
        raise Dropped()

    # ---- faults a platform checks ----------------------------------

    def rate_headers(self, seconds):
        return [("Retry-After", str(seconds))]

    def rate_limited(self):
        """Answer 429 if the fault fires; True when it did."""
        v = self.server.faults.take("429")
        if v is None:
            return False
        secs = int(v or 1)
        self.error(429, "rateLimitExceeded", "slow down",
                   headers=self.rate_headers(secs))
        return True

    def fault_5xx(self, name="5xx"):
        v = self.server.faults.take(name)
        if v is None:
            return False
        code = int(v or 503)
        self.error(code, "backendError", "the fake failed as asked")
        return True

    # ---- OAuth -----------------------------------------------------

    def require_token(self):
        """True when a live bearer token came; else a 401 was sent."""
        auth = self.headers.get("Authorization", "")
        tok = auth[7:] if auth.startswith("Bearer ") else None
        s = self.server
        with s.lock:
            exp = s.access.get(tok)
            if exp is not None and s.faults.take("expire-token") is not None:
                s.access[tok] = exp = 0
        if exp is None or exp < time.time():
            self.error(401, "authError", "Invalid Credentials" if exp is None
                       else "the access token expired",
                       headers=[("WWW-Authenticate", 'Bearer realm="fake"')])
            return False
        return True

    def new_access(self):
        t = "at-" + secrets.token_urlsafe(12)
        self.server.access[t] = time.time() + self.server.args.token_ttl
        return t

    def oauth_authorize(self):
        q = self.query
        ru = q.get("redirect_uri", "")
        if not re.fullmatch(r"http://127\.0\.0\.1:\d+/[^?#]*", ru):
            self.reply(400, {"error": "invalid_request",
                             "error_description": "redirect_uri must be "
                             "a loopback address"})
            return
        if q.get("response_type") != "code" or not q.get("client_id") or \
                q.get("code_challenge_method") != "S256" or \
                not q.get("code_challenge"):
            self.reply(400, {"error": "invalid_request",
                             "error_description": "code + PKCE S256 "
                             "required"})
            return
        if q.get("deny"):
            loc = ru + "?" + urlencode({"error": "access_denied",
                                        "state": q.get("state", "")})
        else:
            code = "code-" + secrets.token_urlsafe(8)
            with self.server.lock:
                self.server.codes[code] = {
                    "challenge": q["code_challenge"], "redirect_uri": ru,
                    "client_id": q["client_id"], "scope": q.get("scope")}
            loc = ru + "?" + urlencode({"code": code,
                                        "state": q.get("state", "")})
        self.reply(302, b"", ctype="text/plain", headers=[("Location", loc)])

    def client_ok(self, f):
        """Client credentials from Basic or the body."""
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            cid, _, sec = base64.b64decode(auth[6:]).decode().partition(":")
        else:
            cid, sec = f.get("client_id"), f.get("client_secret")
        want = self.server.args.client_secret
        return cid and (not want or sec == want)

    def token_answer(self, fam):
        s = self.server
        at = self.new_access()
        rt = "rt-" + secrets.token_urlsafe(12)
        s.refresh[rt] = {"family": fam, "alive": True}
        return {"access_token": at, "token_type": "Bearer",
                "expires_in": s.args.token_ttl, "refresh_token": rt,
                "scope": "upload"}

    def oauth_token(self):
        f = self.form()
        s = self.server
        if not self.client_ok(f):
            self.reply(401, {"error": "invalid_client"})
            return
        with s.lock:
            g = f.get("grant_type")
            if g == "authorization_code":
                c = s.codes.pop(f.get("code"), None)
                v = f.get("code_verifier", "")
                ch = base64.urlsafe_b64encode(hashlib.sha256(
                    v.encode()).digest()).rstrip(b"=").decode()
                if c is None or c["redirect_uri"] != f.get("redirect_uri") \
                        or ch != c["challenge"]:
                    self.reply(400, {"error": "invalid_grant",
                                     "error_description": "bad code or "
                                     "code_verifier"})
                    return
                fam = secrets.token_hex(4)
                s.families[fam] = True
                self.reply(200, self.token_answer(fam))
            elif g == "refresh_token":
                r = s.refresh.get(f.get("refresh_token"))
                if r is None or not r["alive"] or \
                        not s.families.get(r["family"]):
                    if r is not None:        # a replay: kill the family
                        s.families[r["family"]] = False
                    self.reply(400, {"error": "invalid_grant",
                                     "error_description": "refresh token "
                                     "is invalid, expired or revoked"})
                    return
                s.refreshes += 1
                if s.args.rotate:
                    r["alive"] = False
                    self.reply(200, self.token_answer(r["family"]))
                else:
                    self.reply(200, {"access_token": self.new_access(),
                                     "token_type": "Bearer",
                                     "expires_in": s.args.token_ttl})
            else:
                self.reply(400, {"error": "unsupported_grant_type"})

    # ---- the test's window ----------------------------------------

    def state(self):
        """What the platform holds, for GET /_fake/state; override."""
        return {}

    def fake_admin(self, what):
        s = self.server
        if what == "state" and self.command == "GET":
            with s.lock:
                st = self.state()
                st["requests"] = s.requests
                st["refreshes"] = s.refreshes
                st["live_refresh_tokens"] = sum(
                    1 for r in s.refresh.values() if r["alive"] and
                    s.families.get(r["family"]))
            self.reply(200, st)
        elif what == "fault" and self.command == "POST":
            b = self.json_body()
            if not isinstance(b, dict) or not b.get("name"):
                self.reply(400, {"error": "expected {\"name\": ...}"})
                return True
            spec = b["name"]
            if b.get("arg") is not None:
                spec += "=" + str(b["arg"])
            spec += "*" + str(b.get("count", 1))
            s.faults.add(spec)
            self.reply(200, {"ok": True})
        elif what == "revoke" and self.command == "POST":
            with s.lock:
                for r in s.refresh.values():
                    r["alive"] = False
            self.reply(200, {"ok": True})
        elif what == "expire" and self.command == "POST":
            with s.lock:
                for t in s.access:
                    s.access[t] = 0
            self.reply(200, {"ok": True})
        else:
            return False
        return True


class Dropped(Exception):
    """The connection was dropped on purpose; nothing more to send."""


def main(handler, add_args=None):
    ap = argparse.ArgumentParser(description="fake %s server" % handler.name)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--lifetime", type=float, default=600)
    ap.add_argument("--fault", action="append",
                    help="NAME[=ARG][*N] (repeatable)")
    ap.add_argument("--token", action="append",
                    help="an access token that never expires")
    ap.add_argument("--token-ttl", type=int, default=3600)
    ap.add_argument("--rotate", action="store_true",
                    help="rotate refresh tokens")
    ap.add_argument("--client-secret", default="")
    ap.add_argument("--processing", type=int, default=0)
    ap.add_argument("--delay", type=float, default=0,
                    help="milliseconds before every answer")
    if add_args:
        add_args(ap)
    args = ap.parse_args()
    srv = Server(("127.0.0.1", 0), handler, args)
    port = srv.server_address[1]
    srv.base = "http://127.0.0.1:%d" % port
    tmp = "%s.tmp.%d" % (args.port_file, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, args.port_file)
    sys.stderr.write("%s: listening on 127.0.0.1:%d\n" % (handler.name,
                                                          port))
    sys.stderr.flush()
    threading.Thread(target=watchdog, args=(os.getppid(), args.lifetime),
                     daemon=True).start()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
