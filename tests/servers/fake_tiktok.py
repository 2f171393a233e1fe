#!/usr/bin/env python3
"""fake_tiktok.py - the TikTok Content Posting API, on platformfake.

    python3 tests/servers/fake_tiktok.py --port-file F [--log L]
        [--min-chunk BYTES] [--rate-limits] [--window SECONDS]
        [--fault NAME[=ARG][*N]]... [platformfake options]

What it speaks (../../shared/reference/platforms.md §2, its checklist
§2.7):

    GET  /v2/auth/authorize/    client_key, scope (comma-separated),
                                response_type=code, a loopback
                                redirect_uri with a port, PKCE S256 with
                                the challenge hex-encoded (the desktop
                                flow); ?deny=1 refuses
    POST /v2/oauth/token/       client_key, client_secret; the code and
                                its code_verifier, or a refresh token;
                                refresh tokens always rotate (the old one
                                dies; replaying it kills the family);
                                answers open_id, scope, expires_in,
                                refresh_expires_in
    POST /v2/post/publish/creator_info/query/
                                the creator's privacy_level_options,
                                max_video_post_duration_sec, ...
    POST /v2/post/publish/video/init/        Direct Post
    POST /v2/post/publish/inbox/video/init/  to the inbox (source_info
                                only); both check the chunk math:
                                total_chunk_count = floor(size / chunk),
                                chunks of --min-chunk (5 MiB) to 64 MB,
                                the last up to 128 MB, a file under the
                                minimum in one chunk; invalid_params
                                otherwise; privacy_level must be one the
                                creator is offered
    PUT  /video/?upload_id=U&upload_token=T  one chunk, Content-Range
                                bytes A-B/N on a chunk boundary, in
                                order (the previous one may be sent
                                again): 206, and 201 for the last, which
                                makes the post; an expired upload is 404
    POST /v2/post/publish/status/fetch/  {"publish_id"}: status
                                PROCESSING_UPLOAD (uploaded_bytes) until
                                the last chunk, then --processing N polls
                                more, then PUBLISH_COMPLETE (with
                                publicaly_available_post_id, a 19-digit
                                number, unless SELF_ONLY) or
                                SEND_TO_USER_INBOX; FAILED with
                                fail_reason after a reject fault; an
                                unknown id is 400 invalid_publish_id
    POST /v2/video/list/?fields=...      the creator's public posts,
                                newest first, max_count and cursor

Errors are TikTok's envelope {"error": {"code", "message", "log_id"}};
every call but the upload PUTs needs a bearer token.  With
--rate-limits each token gets TikTok's windows of --window (60) s: 6
inits, 30 status fetches, 20 creator_info; past them 429
rate_limit_exceeded, with no Retry-After (TikTok sends none).

Faults (besides platformfake's 429, 5xx, expire-token, slow): drop cuts
a chunk; finalize-5xx keeps the last chunk (the post is made) and
answers 503; create-drop makes the post on the last chunk and drops the
connection; reject=REASON fails the next post in processing; daily-cap
answers the next init 403 spam_risk_too_many_posts; no-scope answers it
403 scope_not_authorized; forget makes status/fetch forget a publish
whose bytes are all in; processing=N.

GET /_fake/state: {"posts": [...], "publishes": [...], "creator": {...}}:
a post carries its bytes' sha256, title, privacy, mode and post_id.
POST /_fake/creator {...} changes the creator_info answer; POST
/_fake/fill-window {"what": "init"} spends that window of every token
now (--rate-limits), so the next such call is a 429 until it ends; POST
/_fake/expire-uploads makes every upload_url 404; POST
/_fake/forget-publishes makes status/fetch forget every publish_id.
"""

import hashlib
import os
import re
import secrets
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import platformfake  # noqa: E402

MAX_CHUNK = 64000000
MAX_LAST = 128000000
LIMITS = {"init": 6, "status": 30, "creator": 20}
CODES = {"rateLimitExceeded": "rate_limit_exceeded",
         "backendError": "internal_error",
         "authError": "access_token_invalid",
         "notFound": "not_found"}


class TikTok(platformfake.Handler):
    name = "fake_tiktok"
    routes = [
        ("GET", r"/v2/auth/authorize/", "authorize"),
        ("POST", r"/v2/oauth/token/", "token"),
        ("POST", r"/v2/post/publish/creator_info/query/", "creator_info"),
        ("POST", r"/v2/post/publish/video/init/", "init_direct"),
        ("POST", r"/v2/post/publish/inbox/video/init/", "init_inbox"),
        ("PUT", r"/video/", "chunk"),
        ("POST", r"/v2/post/publish/status/fetch/", "status"),
        ("POST", r"/v2/video/list/", "video_list"),
    ]

    def error_body(self, code, reason, message):
        return {"error": {"code": CODES.get(reason, reason),
                          "message": message,
                          "log_id": secrets.token_hex(8)}}

    def rate_headers(self, seconds):
        return []               # TikTok says nothing about when

    def ok(self, data):
        self.reply(200, {"data": data, "error": {
            "code": "ok", "message": "", "log_id": secrets.token_hex(8)}})

    # -- state ------------------------------------------------------

    def tt(self):
        s = self.server
        if not hasattr(s, "tt"):
            s.tt = {"publishes": {}, "order": [], "posts": [], "n": 0,
                    "windows": {}, "full": {}, "forgotten": set(),
                    "creator": {
                        "creator_avatar_url": "https://p16.example/a.jpg",
                        "creator_username": "fakecreator",
                        "creator_nickname": "Fake Creator",
                        "privacy_level_options": [
                            "PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS",
                            "FOLLOWER_OF_CREATOR", "SELF_ONLY"],
                        "comment_disabled": False, "duet_disabled": False,
                        "stitch_disabled": False,
                        "max_video_post_duration_sec": 600}}
        return s.tt

    def limited(self, what):
        """TikTok's per-token per-minute windows (--rate-limits)."""
        s = self.server
        if not s.args.rate_limits:
            return False
        tok = self.headers.get("Authorization", "")
        now = time.time()
        w = self.tt()["windows"]
        key = (tok, what)
        full = self.tt()["full"].get(what)
        if full is not None and now - full < s.args.window:
            w[key] = (full, LIMITS[what])   # spent before we looked
        start, n = w.get(key, (now, 0))
        if now - start >= s.args.window:
            start, n = now, 0
        if n >= LIMITS[what]:
            self.error(429, "rate_limit_exceeded", "Too many requests: "
                       "the %s limit of this access token is reached" %
                       what)
            return True
        w[key] = (start, n + 1)
        return False

    def checks(self, what=None):
        if not self.require_token():
            return False
        if self.rate_limited() or self.fault_5xx():
            return False
        return not (what and self.limited(what))

    # -- OAuth, TikTok's way ----------------------------------------

    def authorize(self, m):
        q = self.query
        ru = q.get("redirect_uri", "")
        if not re.fullmatch(r"http://(127\.0\.0\.1|localhost):\d+/[^?#]*",
                            ru):
            self.reply(400, {"error": "invalid_request",
                             "error_description": "redirect_uri"})
            return
        scopes = q.get("scope", "").split(",")
        if q.get("response_type") != "code" or not q.get("client_key") or \
                "video.publish" not in scopes or \
                q.get("code_challenge_method") != "S256" or \
                not re.fullmatch(r"[0-9a-f]{64}",
                                 q.get("code_challenge", "")):
            self.reply(400, {"error": "invalid_request",
                             "error_description": "Code verifier or code "
                             "challenge is invalid."})
            return
        if q.get("deny"):
            loc = ru + "?error=access_denied&state=" + q.get("state", "")
        else:
            code = "code-" + secrets.token_urlsafe(8)
            with self.server.lock:
                self.server.codes[code] = {
                    "challenge": q["code_challenge"], "redirect_uri": ru,
                    "client_id": q["client_key"], "scope": q["scope"]}
            loc = ru + "?code=%s&scopes=%s&state=%s" % (
                code, q["scope"], q.get("state", ""))
        self.reply(302, b"", ctype="text/plain", headers=[("Location", loc)])

    def grant(self, fam, scope):
        s = self.server
        at = "act." + secrets.token_urlsafe(12)
        s.access[at] = time.time() + s.args.token_ttl
        rt = "rft." + secrets.token_urlsafe(12)
        s.refresh[rt] = {"family": fam, "alive": True, "scope": scope}
        return {"open_id": "open-" + fam, "scope": scope,
                "access_token": at, "expires_in": s.args.token_ttl,
                "refresh_token": rt, "refresh_expires_in": 15552000,
                "token_type": "Bearer"}

    def token(self, m):
        f = self.form()
        s = self.server
        want = s.args.client_secret
        if not f.get("client_key") or (want and
                                       f.get("client_secret") != want):
            self.reply(401, {"error": "invalid_client",
                             "error_description": "Client key or secret "
                             "is invalid.", "log_id": "x"})
            return
        with s.lock:
            g = f.get("grant_type")
            if g == "authorization_code":
                c = s.codes.pop(f.get("code"), None)
                ch = hashlib.sha256(f.get("code_verifier", "").encode()) \
                    .hexdigest()
                if c is None or c["redirect_uri"] != f.get("redirect_uri") \
                        or ch != c["challenge"] or \
                        c["client_id"] != f.get("client_key"):
                    self.reply(400, {"error": "invalid_grant",
                                     "error_description": "Authorization "
                                     "code is expired or invalid.",
                                     "log_id": "x"})
                    return
                fam = secrets.token_hex(4)
                s.families[fam] = True
                self.reply(200, self.grant(fam, c["scope"]))
            elif g == "refresh_token":
                r = s.refresh.get(f.get("refresh_token"))
                if r is None or not r["alive"] or \
                        not s.families.get(r["family"]):
                    if r is not None:
                        s.families[r["family"]] = False
                    self.reply(400, {"error": "invalid_grant",
                                     "error_description": "Refresh token "
                                     "is invalid or expired.",
                                     "log_id": "x"})
                    return
                s.refreshes += 1
                r["alive"] = False          # TikTok always rotates
                self.reply(200, self.grant(r["family"], r.get("scope", "")))
            else:
                self.reply(400, {"error": "unsupported_grant_type",
                                 "error_description": g or "",
                                 "log_id": "x"})

    # -- posting ----------------------------------------------------

    def creator_info(self, m):
        with self.server.lock:
            if not self.checks("creator"):
                return
            self.ok(dict(self.tt()["creator"]))

    def chunk_math(self, si):
        """None when source_info follows the media transfer guide."""
        lo = self.server.args.min_chunk
        try:
            size = int(si["video_size"])
            chunk = int(si["chunk_size"])
            count = int(si["total_chunk_count"])
        except (KeyError, TypeError, ValueError):
            return "video_size, chunk_size and total_chunk_count are " \
                "required"
        if size <= 0:
            return "video_size must be positive"
        if size < lo:
            if chunk != size or count != 1:
                return "a video under %d bytes goes in one chunk of " \
                    "video_size" % lo
            return None
        if chunk < lo or chunk > MAX_CHUNK or chunk > size:
            return "chunk_size %d is out of range" % chunk
        if count != size // chunk or not 1 <= count <= 1000:
            return "The total chunk count is invalid"
        if size - (count - 1) * chunk > MAX_LAST:
            return "the last chunk is over 128 MB"
        return None

    def make_init(self, inbox):
        s = self.server
        with s.lock:
            if not self.checks("init"):
                return
            b = self.json_body()
            if not isinstance(b, dict):
                self.error(400, "invalid_params", "the body is not JSON")
                return
            si = b.get("source_info") or {}
            pi = b.get("post_info") or {}
            if si.get("source") != "FILE_UPLOAD":
                self.error(400, "invalid_params", "source must be "
                           "FILE_UPLOAD here")
                return
            why = self.chunk_math(si)
            if why:
                self.error(400, "invalid_params", why)
                return
            if not inbox:
                title = pi.get("title", "")
                if len(title.encode("utf-16-le")) // 2 > 2200:
                    self.error(400, "invalid_params", "title is too long")
                    return
                opts = self.tt()["creator"]["privacy_level_options"]
                if pi.get("privacy_level") not in opts:
                    self.error(400, "privacy_level_option_mismatch",
                               "privacy_level is not one of the creator's "
                               "privacy_level_options")
                    return
            if s.faults.take("no-scope") is not None:
                self.error(403, "scope_not_authorized", "The user did not "
                           "authorize the scope required for completing "
                           "this request.")
                return
            if s.faults.take("daily-cap") is not None:
                self.error(403, "spam_risk_too_many_posts", "The user has "
                           "reached the daily post cap.")
                return
            t = self.tt()
            t["n"] += 1
            pid = "v_pub_file~v2-1.%d%s" % (7300000000 + t["n"],
                                            secrets.token_hex(3))
            uid = secrets.token_hex(8)
            p = {"publish_id": pid, "upload_id": uid, "seq": t["n"],
                 "upload_token": secrets.token_urlsafe(12),
                 "inbox": inbox, "title": pi.get("title"),
                 "privacy": pi.get("privacy_level"), "post_info": pi,
                 "size": int(si["video_size"]),
                 "chunk": int(si["chunk_size"]),
                 "count": int(si["total_chunk_count"]), "chunks": {},
                 "status": "PROCESSING_UPLOAD", "fail_reason": None,
                 "polls": s.processing, "post_id": None, "expired": False,
                 "sha256": None}
            t["publishes"][pid] = p
            t["order"].append(pid)
            if s.faults.take("create-drop-init") is not None:
                self.drop_connection()
            url = "%s/video/?upload_id=%s&upload_token=%s" % (
                s.base, uid, p["upload_token"])
        self.ok({"publish_id": pid, "upload_url": url})

    def init_direct(self, m):
        self.make_init(False)

    def init_inbox(self, m):
        self.make_init(True)

    def received(self, p):
        return sum(len(d) for d in p["chunks"].values())

    def complete(self, p):
        """Every chunk is in: the post is made (and processed later)."""
        data = b"".join(p["chunks"][i] for i in range(p["count"]))
        p["sha256"] = hashlib.sha256(data).hexdigest()
        p["status"] = "PROCESSING_UPLOAD"
        p["done"] = True
        self.tt()["posts"].append(p["publish_id"])
        r = self.server.faults.take("reject")
        if r is not None:
            p["reject"] = r or "file_format_check_failed"
        n = self.server.faults.take("processing")
        if n is not None:
            p["polls"] = int(n or 1)

    def chunk(self, m):
        s = self.server
        with s.lock:
            p = next((x for x in self.tt()["publishes"].values()
                      if x["upload_id"] == self.query.get("upload_id") and
                      x["upload_token"] == self.query.get("upload_token")),
                     None)
        if p is None or p["expired"]:
            self.error(404, "not_found", "the upload does not exist or "
                       "has expired")
            return
        n = int(self.headers.get("Content-Length") or 0)
        try:
            rng, tot = self.headers.get("Content-Range", "")[6:].split("/")
            first, last = (int(x) for x in rng.split("-"))
            if int(tot) != p["size"] or last - first + 1 != n:
                raise ValueError
        except ValueError:
            self.body()
            self.error(400, "invalid_params", "bad Content-Range")
            return
        i = first // p["chunk"] if p["chunk"] else 0
        if i >= p["count"]:
            i = p["count"] - 1
        want = p["size"] - i * p["chunk"] if i == p["count"] - 1 else \
            p["chunk"]
        if first != i * p["chunk"] or n != want:
            self.body()
            self.error(400, "invalid_params", "Content-Range is not chunk "
                       "%d of the init's plan" % (i + 1))
            return
        with s.lock:
            have = len(p["chunks"])
        if i > have:
            self.body()
            self.error(400, "invalid_params", "chunks must be sent in "
                       "order: chunk %d before %d" % (have + 1, i + 1))
            return
        if self.fault_5xx():
            return
        parts = []
        self.read_body(parts.append, drop=True)
        data = b"".join(parts)
        if len(data) != n:
            self.error(400, "invalid_params", "the body is short")
            return
        with s.lock:
            final = i == p["count"] - 1
            if not p.get("done"):
                p["chunks"][i] = data
                if final and len(p["chunks"]) == p["count"]:
                    self.complete(p)
            if final and p.get("done"):
                if s.faults.take("finalize-5xx") is not None:
                    self.error(503, "internal_error", "finalize failed "
                               "(fake)")
                    return
                if s.faults.take("create-drop") is not None:
                    self.drop_connection()
                self.reply(201, b"", ctype="text/plain")
                return
        self.reply(206, b"", ctype="text/plain", headers=[
            ("Content-Range", "bytes 0-%d/%d" % (first + n - 1,
                                                 p["size"]))])

    def advance(self, p):
        """One status poll of a complete publish."""
        t = self.tt()
        if p["status"] != "PROCESSING_UPLOAD" or not p.get("done"):
            return
        if p["polls"] > 0:
            p["polls"] -= 1
            return
        if p.get("reject"):
            p["status"] = "FAILED"          # nothing is posted
            p["fail_reason"] = p["reject"]
            t["posts"].remove(p["publish_id"])
            return
        if p["inbox"]:
            p["status"] = "SEND_TO_USER_INBOX"
        else:
            p["status"] = "PUBLISH_COMPLETE"
            if p["privacy"] != "SELF_ONLY":
                p["post_id"] = 7300000000000000000 + 7919 * p["seq"] + 1

    def status(self, m):
        s = self.server
        with s.lock:
            if not self.checks("status"):
                return
            b = self.json_body() or {}
            t = self.tt()
            p = t["publishes"].get(b.get("publish_id"))
            if p is None or b.get("publish_id") in t["forgotten"]:
                self.error(400, "invalid_publish_id", "The publish_id "
                           "does not exist.")
                return
            if p.get("done") and s.faults.take("forget") is not None:
                t["forgotten"].add(p["publish_id"])
                self.error(400, "invalid_publish_id", "The publish_id "
                           "does not exist.")
                return
            self.advance(p)
            d = {"status": p["status"],
                 "uploaded_bytes": self.received(p),
                 "downloaded_bytes": 0,
                 "publicaly_available_post_id":
                     [p["post_id"]] if p["post_id"] else []}
            if p["fail_reason"]:
                d["fail_reason"] = p["fail_reason"]
        # The id as a number, as TikTok sends it: too long for a double.
        self.ok(d)

    def video_list(self, m):
        s = self.server
        with s.lock:
            if not self.checks():
                return
            b = self.json_body() or {}
            t = self.tt()
            for i in list(t["posts"]):  # processed by now
                while t["publishes"][i]["status"] == "PROCESSING_UPLOAD":
                    self.advance(t["publishes"][i])
            vids = [t["publishes"][i] for i in reversed(t["posts"])
                    if t["publishes"][i]["post_id"] and not
                    t["publishes"][i]["inbox"]]
            per = min(int(b.get("max_count", 10)), 20)
            start = int(b.get("cursor", 0) or 0)
            page = vids[start:start + per]
            user = t["creator"]["creator_username"]
            out = [{"id": str(v["post_id"]), "title": v["title"],
                    "create_time": 1700000000,
                    "share_url": "https://www.tiktok.com/@%s/video/%d" % (
                        user, v["post_id"])} for v in page]
        self.ok({"videos": out, "cursor": start + len(page),
                 "has_more": start + per < len(vids)})

    def fake_admin(self, what):
        s = self.server
        if what == "creator" and self.command == "POST":
            with s.lock:
                self.tt()["creator"].update(self.json_body() or {})
            self.reply(200, {"ok": True})
        elif what == "fill-window" and self.command == "POST":
            with s.lock:
                b = self.json_body() or {}
                self.tt()["full"][b.get("what", "init")] = time.time()
            self.reply(200, {"ok": True})
        elif what == "expire-uploads" and self.command == "POST":
            with s.lock:
                for p in self.tt()["publishes"].values():
                    p["expired"] = True
            self.reply(200, {"ok": True})
        elif what == "forget-publishes" and self.command == "POST":
            with s.lock:
                t = self.tt()
                t["forgotten"].update(t["publishes"].keys())
            self.reply(200, {"ok": True})
        else:
            return super().fake_admin(what)
        return True

    def state(self):
        t = self.tt()

        def pub(p):
            d = dict((k, v) for k, v in p.items() if k != "chunks")
            d["received"] = self.received(p)
            d["post_id"] = str(p["post_id"]) if p["post_id"] else None
            return d
        return {"posts": [pub(t["publishes"][i]) for i in t["posts"]],
                "publishes": [pub(t["publishes"][i]) for i in t["order"]],
                "creator": t["creator"]}


def more(ap):
    ap.add_argument("--min-chunk", type=int, default=5242880,
                    help="the smallest chunk (TikTok: 5 MB)")
    ap.add_argument("--rate-limits", action="store_true",
                    help="TikTok's per-token per-minute windows")
    ap.add_argument("--window", type=float, default=60,
                    help="seconds of a rate-limit window")


if __name__ == "__main__":
    platformfake.main(TikTok, more)
