#!/usr/bin/env python3
"""fake_x.py - the X API v2 media upload and posts surface, on platformfake.

    python3 tests/servers/fake_x.py --port-file F [--log L]
        [--check-after S] [--fault NAME[=ARG][*N]]... [platformfake options]

What it speaks (../../shared/reference/platforms.md §5, its checklist
§5.5):

    POST /2/media/upload/initialize   JSON {media_type, total_bytes,
         media_category}: {"data": {id, media_key, expires_after_secs}}
    POST /2/media/upload/ID/append    multipart/form-data segment_index
         (0-999) and media (the bytes); a segment sent again replaces
         it; more bytes than total_bytes is 400; an unknown (or expired)
         media id is 404
    POST /2/media/upload/ID/finalize  the segments must be 0..N-1 and add
         up to total_bytes (400 otherwise): processing_info pending,
         check_after_secs (--check-after, default 1)
    GET  /2/media/upload?command=STATUS&media_id=ID   processing_info:
         succeeded after --processing N polls (or the processing=N
         fault), failed with the media-fail fault
    POST /2/media/upload  the older command=INIT|APPEND|FINALIZE form
         (form fields, or multipart for APPEND), the same underneath
    POST /2/tweets  {"text", "media": {"media_ids": [...]}}: 201
         {"data": {id, text, edit_history_tweet_ids}}; text over 280
         weighted characters is 400, media not processed is 400, the
         same text as a post already there is 403 duplicate content
    GET  /2/tweets/ID, GET /2/users/me, GET /2/users/ID/tweets
         (max_results 5-100, pagination_token, tweet.fields=attachments
         gives attachments.media_keys), newest first
    POST /2/oauth2/token  platformfake's token endpoint; with
         --client-secret the client must authenticate with HTTP Basic,
         as X's confidential clients do

Errors are RFC 7807 problems {"title", "detail", "type", "status"};
every answer carries x-rate-limit-limit, -remaining and -reset (epoch
seconds); a 429 has no Retry-After, only the reset.  Faults (besides
platformfake's): drop cuts an APPEND; finalize-5xx answers FINALIZE
with a 5xx once; create-drop makes the post and drops the connection;
media-fail fails the next processing; check-after=S asks the next
FINALIZE or STATUS to wait S seconds; post-slow=MS makes the next post
only after MS (a client that gave up may post again: X's duplicate
check answers that one); 5xx, 429, expire-token and slow on any API
call.

GET /_fake/state: {"tweets": [...], "uploads": N}; a post carries its
text, media ids and its video's sha256 and size.  POST
/_fake/expire-media forgets every upload not finalized (they expired).
"""

import hashlib
import os
import re
import secrets
import sys
import time
from urllib.parse import parse_qs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import platformfake  # noqa: E402

USER = {"id": "1460001234567890", "name": "Agency Test",
        "username": "agencytest"}
TEXT_MAX = 280


def weight(text):
    """twitter-text v3: links 23, Latin 1, the rest 2."""
    w = 0
    for word in re.split(r"(\s+)", text):
        if re.match(r"https?://", word):
            w += 23
            continue
        for ch in word:
            cp = ord(ch)
            w += 1 if (cp <= 4351 or 8192 <= cp <= 8205 or
                       8208 <= cp <= 8223 or 8242 <= cp <= 8247) else 2
    return w


class X(platformfake.Handler):
    name = "fake_x"
    routes = [
        ("POST", r"/2/media/upload/initialize", "initialize"),
        ("POST", r"/2/media/upload/(\w+)/append", "append"),
        ("POST", r"/2/media/upload/(\w+)/finalize", "finalize"),
        ("GET", r"/2/media/upload", "status"),
        ("POST", r"/2/media/upload", "command"),
        ("POST", r"/2/tweets", "create"),
        ("GET", r"/2/tweets/(\d+)", "lookup"),
        ("GET", r"/2/users/me", "me"),
        ("GET", r"/2/users/(\d+)/tweets", "timeline"),
        ("POST", r"/2/oauth2/token", "token"),
    ]

    def error_body(self, code, reason, message):
        kinds = {400: "invalid-request", 403: "not-authorized-for-resource",
                 404: "resource-not-found", 429: "usage-capped"}
        titles = {400: "Invalid Request", 401: "Unauthorized",
                  403: "Forbidden", 404: "Not Found Error",
                  429: "Too Many Requests"}
        kind = kinds.get(code)
        return {"title": titles.get(code, "Service Unavailable"),
                "detail": message, "status": code,
                "type": "https://api.x.com/2/problems/" + kind if kind
                else "about:blank"}

    def rate_headers(self, seconds):
        return [("x-rate-limit-limit", "100"),
                ("x-rate-limit-remaining", "0"),
                ("x-rate-limit-reset", str(int(time.time()) + seconds))]

    def reply(self, code, body=b"", ctype="application/json", headers=()):
        headers = list(headers)
        # The API's answers count against the window; a 5xx from the
        # front end does not, and carries no window.
        if code < 500 and not any(k == "x-rate-limit-reset"
                                  for k, _ in headers):
            headers += [("x-rate-limit-limit", "1875"),
                        ("x-rate-limit-remaining", "1874"),
                        ("x-rate-limit-reset",
                         str(int(time.time()) + 900))]
        super().reply(code, body, ctype, headers)

    def client_ok(self, f):
        # A confidential client authenticates with HTTP Basic only.
        if self.server.args.client_secret and \
                not self.headers.get("Authorization", "").startswith(
                    "Basic "):
            return False
        return super().client_ok(f)

    # -- helpers ----------------------------------------------------

    def x(self):
        s = self.server
        if not hasattr(s, "x"):
            s.x = {"media": {}, "tweets": [], "next": 1880000000000000000}
        return s.x

    def new_id(self):
        x = self.x()
        x["next"] += secrets.randbelow(1000) + 1
        return str(x["next"])

    def api_checks(self):
        if not self.require_token():
            return False
        return not (self.rate_limited() or self.fault_5xx())

    def multipart(self, data):
        ct = self.headers.get("Content-Type", "")
        m = re.search(r'boundary="?([^";]+)"?', ct)
        if not ct.startswith("multipart/form-data") or not m:
            return None
        out = {}
        for part in data.split(b"--" + m.group(1).encode())[1:]:
            if part.startswith(b"--"):
                break
            head, _, content = part.partition(b"\r\n\r\n")
            n = re.search(rb'name="([^"]+)"', head)
            if n:
                if content.endswith(b"\r\n"):
                    content = content[:-2]
                out[n.group(1).decode()] = content
        return out

    def media(self, mid):
        """The upload, or None with a 404 sent."""
        u = self.x()["media"].get(mid)
        if u is None:
            self.error(404, "notFound", "media_id %s was not found or "
                       "has expired" % mid)
        return u

    def processing_info(self, u):
        ca = self.server.faults.take("check-after")
        ca = int(ca) if ca not in (None, "") else self.server.args.check_after
        if u["state"] in ("pending", "in_progress"):
            return {"state": u["state"], "check_after_secs": ca,
                    "progress_percent": 0 if u["state"] == "pending"
                    else 50}
        if u["state"] == "failed":
            return {"state": "failed", "progress_percent": 100,
                    "error": {"code": 1, "name": "InvalidMedia",
                              "message": "Unsupported video format"}}
        return {"state": "succeeded", "progress_percent": 100}

    def media_doc(self, u, info=True):
        d = {"id": u["id"], "media_key": u["key"], "size": u["total"],
             "expires_after_secs": max(0, int(u["expires"] - time.time()))}
        if info and u["finalized"]:
            d["processing_info"] = self.processing_info(u)
        return {"data": d}

    # -- the upload -------------------------------------------------

    def do_init(self, total, mtype, category):
        s = self.server
        if total is None or total <= 0 or not mtype:
            self.error(400, "invalid", "total_bytes and media_type are "
                       "required")
            return
        if category not in (None, "tweet_video", "amplify_video"):
            self.error(400, "invalid", "media_category must be a video "
                       "category for video/mp4")
            return
        mid = self.new_id()
        u = {"id": mid, "key": "7_" + mid, "total": total, "segments": {},
             "finalized": False, "state": "pending",
             "polls": s.processing, "sha256": None,
             "expires": time.time() + 86400}
        with s.lock:
            self.x()["media"][mid] = u
        self.reply(200, self.media_doc(u, info=False))

    def initialize(self, m):
        with self.server.lock:
            if not self.api_checks():
                return
        b = self.json_body() or {}
        try:
            total = int(b.get("total_bytes"))
        except (TypeError, ValueError):
            total = None
        self.do_init(total, b.get("media_type"), b.get("media_category"))

    def do_append(self, mid, fields):
        s = self.server
        with s.lock:
            u = self.media(mid)
            if u is None:
                return
            try:
                idx = int(fields.get("segment_index", b"x"))
            except ValueError:
                idx = -1
            data = fields.get("media")
            if data is None or not 0 <= idx <= 999 or u["finalized"]:
                self.error(400, "invalid", "segment_index (0-999) and "
                           "media are required, before FINALIZE")
                return
            have = sum(len(v) for k, v in u["segments"].items() if k != idx)
            if have + len(data) > u["total"]:
                self.error(400, "invalid", "the segments exceed "
                           "total_bytes")
                return
            u["segments"][idx] = data
        self.reply(200, {"data": {"expires_at": int(u["expires"])}})

    def read_multipart(self):
        buf = bytearray()
        self.read_body(buf.extend, drop=True)
        return self.multipart(bytes(buf))

    def append(self, m):
        with self.server.lock:
            if not self.api_checks():
                return
        fields = self.read_multipart()
        if fields is None:
            self.error(400, "invalid", "APPEND takes multipart/form-data")
            return
        self.do_append(m.group(1), fields)

    def do_finalize(self, mid):
        s = self.server
        with s.lock:
            if s.faults.take("finalize-5xx") is not None:
                self.error(503, "unavailable", "Service Unavailable")
                return
            u = self.media(mid)
            if u is None:
                return
            if not u["finalized"]:
                segs = u["segments"]
                if sorted(segs) != list(range(len(segs))) or \
                        sum(len(v) for v in segs.values()) != u["total"]:
                    self.error(400, "invalid", "Segments do not add up to "
                               "provided total file size.")
                    return
                h = hashlib.sha256()
                for i in range(len(segs)):
                    h.update(segs[i])
                u["sha256"] = h.hexdigest()
                u["segments"] = {}
                u["finalized"] = True
                p = s.faults.take("processing")
                if p is not None:
                    u["polls"] = int(p or 1)
                if s.faults.take("media-fail") is not None:
                    u["fail"] = True
            self.reply(200, self.media_doc(u))

    def finalize(self, m):
        with self.server.lock:
            if not self.api_checks():
                return
        self.body()
        self.do_finalize(m.group(1))

    def status(self, m):
        s = self.server
        with s.lock:
            if not self.api_checks():
                return
            if self.query.get("command") != "STATUS":
                self.error(400, "invalid", "command=STATUS is required")
                return
            u = self.media(self.query.get("media_id", ""))
            if u is None:
                return
            if not u["finalized"]:
                self.error(400, "invalid", "the media is not finalized")
                return
            if u["state"] in ("pending", "in_progress"):
                if u["polls"] > 0:
                    u["polls"] -= 1
                    u["state"] = "in_progress"
                else:
                    u["state"] = "failed" if u.get("fail") else "succeeded"
            self.reply(200, self.media_doc(u))

    def command(self, m):
        """The command=INIT|APPEND|FINALIZE form of the same."""
        with self.server.lock:
            if not self.api_checks():
                return
        if self.headers.get("Content-Type", "").startswith("multipart/"):
            fields = self.read_multipart() or {}
            f = {k: v.decode("latin-1") for k, v in fields.items()
                 if k != "media"}
        else:
            fields = None
            f = {k: v[0] for k, v in parse_qs(self.body().decode()).items()}
        cmd = f.get("command")
        if cmd == "INIT":
            try:
                total = int(f.get("total_bytes"))
            except (TypeError, ValueError):
                total = None
            self.do_init(total, f.get("media_type"), f.get("media_category"))
        elif cmd == "APPEND" and fields is not None:
            self.do_append(f.get("media_id", ""), fields)
        elif cmd == "FINALIZE":
            self.do_finalize(f.get("media_id", ""))
        else:
            self.error(400, "invalid", "command must be INIT, APPEND or "
                       "FINALIZE")

    # -- posts ------------------------------------------------------

    def tweet_doc(self, t, fields):
        d = {"id": t["id"], "text": t["text"],
             "edit_history_tweet_ids": [t["id"]]}
        if "created_at" in fields:
            d["created_at"] = t["created_at"]
        if "attachments" in fields and t["media_keys"]:
            d["attachments"] = {"media_keys": t["media_keys"]}
        if "author_id" in fields:
            d["author_id"] = USER["id"]
        return d

    def create(self, m):
        s = self.server
        slow = s.faults.take("post-slow")
        if slow:                    # the post is made after a while
            self.body()
            time.sleep(int(slow) / 1000)
        with s.lock:
            if not self.api_checks():
                return
            b = self.json_body()
            if not isinstance(b, dict):
                self.error(400, "invalid", "the body must be JSON")
                return
            text = b.get("text", "")
            ids = (b.get("media") or {}).get("media_ids") or []
            if not text and not ids:
                self.error(400, "invalid", "text or media is required")
                return
            if weight(text) > TEXT_MAX:
                self.error(400, "invalid", "Your Tweet text is too long.")
                return
            x = self.x()
            media = []
            for i in ids:
                u = x["media"].get(i)
                if u is None or u["state"] != "succeeded":
                    self.error(400, "invalid", "Your media IDs are "
                               "invalid.")
                    return
                media.append(u)
            if len(media) > 1:
                self.error(400, "invalid", "only one video per post")
                return
            if any(t["text"] == text for t in x["tweets"]):
                self.error(403, "duplicate", "You are not allowed to create "
                           "a Tweet with duplicate content.")
                return
            t = {"id": self.new_id(), "text": text,
                 "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z",
                                             time.gmtime()),
                 "media_ids": ids, "media_keys": [u["key"] for u in media],
                 "sha256": media[0]["sha256"] if media else None,
                 "bytes": media[0]["total"] if media else 0,
                 "reply_settings": b.get("reply_settings", "everyone"),
                 "made_with_ai": b.get("made_with_ai", False)}
            x["tweets"].append(t)
            if s.faults.take("create-drop") is not None:
                self.drop_connection()
        self.reply(201, {"data": self.tweet_doc(t, ())})

    def lookup(self, m):
        with self.server.lock:
            if not self.api_checks():
                return
            t = next((t for t in self.x()["tweets"]
                      if t["id"] == m.group(1)), None)
        fields = self.query.get("tweet.fields", "").split(",")
        if t is None:
            self.reply(200, {"errors": [{
                "value": m.group(1), "detail": "Could not find tweet with "
                "id: [%s]." % m.group(1), "title": "Not Found Error",
                "resource_type": "tweet", "parameter": "id",
                "resource_id": m.group(1),
                "type": "https://api.x.com/2/problems/resource-not-found"}]})
            return
        self.reply(200, {"data": self.tweet_doc(t, fields)})

    def me(self, m):
        with self.server.lock:
            if not self.api_checks():
                return
        self.reply(200, {"data": USER})

    def timeline(self, m):
        with self.server.lock:
            if not self.api_checks():
                return
            if m.group(1) != USER["id"]:
                self.error(404, "notFound", "Could not find user with id: "
                           "[%s]." % m.group(1))
                return
            try:
                per = int(self.query.get("max_results", "10"))
            except ValueError:
                per = 0
            if not 5 <= per <= 100:
                self.error(400, "invalid", "max_results must be between 5 "
                           "and 100")
                return
            start = int(self.query.get("pagination_token", "0") or 0)
            order = list(reversed(self.x()["tweets"]))
            page = order[start:start + per]
        fields = self.query.get("tweet.fields", "").split(",")
        body = {"data": [self.tweet_doc(t, fields) for t in page],
                "meta": {"result_count": len(page)}}
        if page:
            body["meta"]["newest_id"] = page[0]["id"]
            body["meta"]["oldest_id"] = page[-1]["id"]
        if start + per < len(order):
            body["meta"]["next_token"] = str(start + per)
        if not page:
            del body["data"]
        self.reply(200, body)

    def token(self, m):
        self.oauth_token()

    def fake_admin(self, what):
        if what == "expire-media" and self.command == "POST":
            with self.server.lock:
                med = self.x()["media"]
                for k in [k for k, u in med.items() if not u["finalized"]]:
                    del med[k]
            self.reply(200, {"ok": True})
            return True
        return super().fake_admin(what)

    def state(self):
        x = self.x()
        return {"tweets": [dict((k, v) for k, v in t.items())
                           for t in x["tweets"]],
                "uploads": len(x["media"])}


def more(ap):
    ap.add_argument("--check-after", type=int, default=1,
                    help="check_after_secs of processing answers")


if __name__ == "__main__":
    platformfake.main(X, more)
