#!/usr/bin/env python3
"""fake_mastodon.py - a Mastodon instance's posting API, on platformfake.

    python3 tests/servers/fake_mastodon.py --port-file F [--log L]
        --token TOKEN [--fault NAME[=ARG][*N]]... [platformfake options]

What it speaks (../../shared/reference/platforms.md §7, its checklist
§7.5):

    POST /api/v1/apps         register an app: client_id, client_secret
                              (then platformfake's /oauth/authorize and
                              /oauth/token, PKCE S256)
    GET  /api/v2/instance     the configuration document (limits)
    GET  /api/v1/accounts/verify_credentials   the token's account
    POST /api/v2/media        multipart/form-data: file (a video),
                              description; 202 with url null (video is
                              processed asynchronously), or 200 with the
                              url when --sync-media is given
    GET  /api/v1/media/:id    206 while processing (--processing N
                              polls, or the processing=N fault), 200
                              with url when done, 404 unknown, 422 when
                              processing failed (the fail-media fault)
    POST /api/v1/statuses     form: status, media_ids[], visibility,
                              language, sensitive, scheduled_at (at least
                              5 minutes ahead); Idempotency-Key: a key
                              seen in the last hour answers the status it
                              made (no second status); 422 for a blank
                              text, a text over 500 characters, unknown
                              media or media still processing
    GET  /api/v1/statuses/:id
    GET  /api/v1/accounts/:id/statuses?limit=N   newest first

Every /api call needs a bearer token given with --token (Mastodon's
tokens do not expire: an unknown one is 401 "The access token is
invalid").  Errors are {"error": "..."}.  Rate limits: every answer
carries X-RateLimit-Limit/Remaining/Reset (an ISO 8601 instant); the
429=SECONDS fault answers 429 with the reset that far ahead.  Faults:
5xx (any call), drop (cuts the media upload), create-drop (makes the
status, then drops the connection), processing=N, fail-media, slow,
expire-token (the token is revoked: 401).

GET /_fake/state: {"statuses": [...], "media": [...], "keys": N}; a
status carries its text, visibility, media ids and the key; a media its
bytes' sha256.  POST /_fake/forget-keys ages every Idempotency-Key past
its hour; POST /_fake/finish-media ends every media's processing.
"""

import hashlib
import os
import sys
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import platformfake  # noqa: E402

KEY_TTL = 3600
MAX_CHARS = 500


def iso(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.000Z")


def multipart(ctype, body):
    """The parts of a multipart/form-data body: name -> (filename, data)."""
    b = None
    for p in ctype.split(";"):
        p = p.strip()
        if p.startswith("boundary="):
            b = p[9:].strip('"')
    if not b:
        return None
    parts = {}
    for chunk in body.split(b"--" + b.encode())[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk.partition(b"\r\n\r\n")
        if data.endswith(b"\r\n"):
            data = data[:-2]
        name = fname = None
        for line in head.decode("utf-8", "replace").split("\r\n"):
            if line.lower().startswith("content-disposition:"):
                for a in line.split(";")[1:]:
                    k, _, v = a.strip().partition("=")
                    if k == "name":
                        name = v.strip('"')
                    elif k == "filename":
                        fname = v.strip('"')
        if name:
            parts[name] = (fname, data)
    return parts


class Mastodon(platformfake.Handler):
    name = "fake_mastodon"
    routes = [
        ("POST", r"/api/v1/apps", "apps"),
        ("GET", r"/api/v2/instance", "instance"),
        ("GET", r"/api/v1/accounts/verify_credentials", "verify"),
        ("POST", r"/api/v2/media", "media_post"),
        ("GET", r"/api/v1/media/([0-9]+)", "media_get"),
        ("POST", r"/api/v1/statuses", "status_post"),
        ("GET", r"/api/v1/statuses/([0-9]+)", "status_get"),
        ("GET", r"/api/v1/accounts/([0-9]+)/statuses", "account_statuses"),
    ]

    def error_body(self, code, reason, message):
        return {"error": message}

    def rate_headers(self, seconds):
        return [("X-RateLimit-Limit", "300"), ("X-RateLimit-Remaining", "0"),
                ("X-RateLimit-Reset", iso(time.time() + seconds))]

    def md(self):
        s = self.server
        if not hasattr(s, "md"):
            s.md = {"media": {}, "statuses": {}, "order": [], "keys": {},
                    "next": 109000000000000000}
        return s.md

    def next_id(self):
        m = self.md()
        m["next"] += 1
        return str(m["next"])

    def reply(self, code, body=b"", ctype="application/json", headers=()):
        if self.url.path.startswith("/api/") and code < 429:
            headers = list(headers) + [
                ("X-RateLimit-Limit", "300"),
                ("X-RateLimit-Remaining", "299"),
                ("X-RateLimit-Reset", iso(time.time() + 300))]
        super().reply(code, body, ctype, headers)

    def api_checks(self):
        """A token, then the faults any call may meet."""
        auth = self.headers.get("Authorization", "")
        tok = auth[7:] if auth.startswith("Bearer ") else None
        s = self.server
        with s.lock:
            if tok in s.access and s.faults.take("expire-token") is not None:
                del s.access[tok]       # revoked
            live = tok in s.access
        if not live:
            self.error(401, "unauthorized", "The access token is invalid")
            return False
        return not (self.rate_limited() or self.fault_5xx())

    # -- routes -----------------------------------------------------

    def apps(self, m):
        f = self.form() if "form" in self.headers.get("Content-Type", "") \
            else (self.json_body() or {})
        if not f.get("client_name") or not f.get("redirect_uris"):
            self.error(422, "invalid", "Validation failed: Application "
                       "name can't be blank, Redirect URI can't be blank")
            return
        self.reply(200, {"id": "1", "name": f["client_name"],
                         "client_id": "fake-client-id",
                         "client_secret": self.server.args.client_secret or
                         "fake-client-secret",
                         "client_secret_expires_at": 0,
                         "redirect_uris": [f["redirect_uris"]],
                         "scopes": (f.get("scopes") or "read").split()})

    def instance(self, m):
        self.reply(200, {
            "domain": "fake.example", "version": "4.3.0",
            "configuration": {
                "statuses": {"max_characters": MAX_CHARS,
                             "max_media_attachments": 4,
                             "characters_reserved_per_url": 23},
                "media_attachments": {
                    "supported_mime_types": ["video/mp4", "video/webm",
                                             "video/quicktime"],
                    "image_size_limit": 16777216,
                    "video_size_limit": 103809024,
                    "video_frame_rate_limit": 120,
                    "video_matrix_limit": 8294400,
                    "description_limit": 1500}}})

    def account(self):
        return {"id": "1", "username": "agency", "acct": "agency",
                "url": self.server.base + "/@agency"}

    def verify(self, m):
        if not self.api_checks():
            return
        self.reply(200, self.account())

    def media_doc(self, md):
        done = md["state"] == "done"
        return {"id": md["id"], "type": "video",
                "url": md["url"] if done else None,
                "preview_url": self.server.base + "/p/%s.png" % md["id"],
                "description": md["description"], "blurhash": None}

    def media_post(self, m):
        if not self.api_checks():
            return
        s = self.server
        got = []
        self.read_body(got.append, drop=True)
        body = b"".join(got)
        parts = multipart(self.headers.get("Content-Type", ""), body)
        if not parts or "file" not in parts:
            self.error(422, "invalid", "Validation failed: File can't be "
                       "blank")
            return
        data = parts["file"][1]
        if not data.startswith(b"\x00\x00\x00") or b"ftyp" not in data[:16]:
            self.error(422, "invalid", "Validation failed: File content "
                       "type is invalid, File is invalid")
            return
        with s.lock:
            mid = self.next_id()
            polls = s.processing
            p = s.faults.take("processing")
            if p is not None:
                polls = int(p or 1)
            md = {"id": mid, "sha256": hashlib.sha256(data).hexdigest(),
                  "bytes": len(data), "polls": polls,
                  "state": "processing",
                  "fail": s.faults.take("fail-media") is not None,
                  "description": parts.get("description", (None, b""))[1]
                  .decode("utf-8", "replace"),
                  "url": s.base + "/system/media/%s.mp4" % mid}
            if s.args.sync_media and not md["fail"]:
                md["state"] = "done"
            self.md()["media"][mid] = md
            doc = self.media_doc(md)
        self.reply(200 if md["state"] == "done" else 202, doc)

    def media_get(self, m):
        if not self.api_checks():
            return
        with self.server.lock:
            md = self.md()["media"].get(m.group(1))
            if md is None:
                self.error(404, "notFound", "Record not found")
                return
            if md["state"] == "processing":
                if md["polls"] > 0:
                    md["polls"] -= 1
                else:
                    md["state"] = "failed" if md["fail"] else "done"
            if md["state"] == "failed":
                self.error(422, "invalid", "Error processing the media "
                           "(fake)")
                return
            doc = self.media_doc(md)
            code = 200 if md["state"] == "done" else 206
        self.reply(code, doc)

    def status_doc(self, st):
        return {"id": st["id"], "created_at": iso(st["created"]),
                "visibility": st["visibility"], "language": st["language"],
                "sensitive": st["sensitive"],
                "uri": self.server.base + "/users/agency/statuses/" +
                st["id"],
                "url": self.server.base + "/@agency/" + st["id"],
                "content": "<p>%s</p>" % st["text"],
                "account": self.account(),
                "media_attachments": [self.media_doc(self.md()["media"][i])
                                      for i in st["media_ids"]],
                "tags": [{"name": t} for t in st["tags"]]}

    def status_post(self, m):
        if not self.api_checks():
            return
        s = self.server
        f = {}
        media = []
        from urllib.parse import parse_qsl
        for k, v in parse_qsl(self.body().decode(), keep_blank_values=True):
            if k == "media_ids[]":
                media.append(v)
            else:
                f[k] = v
        key = self.headers.get("Idempotency-Key")
        with s.lock:
            md = self.md()
            now = time.time()
            if key and key in md["keys"] and \
                    now - md["keys"][key][1] < KEY_TTL:
                st = md["statuses"][md["keys"][key][0]]
                self.reply(200, self.status_doc(st))
                return
            text = f.get("status", "")
            if not text.strip() and not media:
                self.error(422, "invalid", "Validation failed: Text can't "
                           "be blank")
                return
            if len(text) > MAX_CHARS:
                self.error(422, "invalid", "Validation failed: Text "
                           "character limit of %d exceeded" % MAX_CHARS)
                return
            for i in media:
                if i not in md["media"]:
                    self.error(422, "invalid", "Validation failed: Media "
                               "attachments are invalid")
                    return
                if md["media"][i]["state"] != "done":
                    self.error(422, "invalid", "Cannot attach files that "
                               "have not finished processing. Try again "
                               "in a moment!")
                    return
            vis = f.get("visibility", "public")
            if vis not in ("public", "unlisted", "private", "direct"):
                self.error(422, "invalid", "Validation failed: Visibility "
                           "is not included in the list")
                return
            if f.get("scheduled_at"):
                try:
                    at = datetime.fromisoformat(f["scheduled_at"].replace(
                        "Z", "+00:00")).timestamp()
                except ValueError:
                    at = 0
                if at < now + 300:
                    self.error(422, "invalid", "Validation failed: "
                               "Scheduled at The scheduled date must be at "
                               "least 5 minutes into the future")
                    return
                sid = self.next_id()
                md["scheduled"] = md.get("scheduled", 0) + 1
                self.reply(200, {"id": sid, "scheduled_at": iso(at),
                                 "params": {"text": text,
                                            "media_ids": media,
                                            "visibility": vis},
                                 "media_attachments": []})
                return
            sid = self.next_id()
            st = {"id": sid, "text": text, "visibility": vis,
                  "language": f.get("language") or None,
                  "sensitive": f.get("sensitive") == "true",
                  "media_ids": media, "key": key, "created": now,
                  "tags": [w[1:].lower() for w in text.split()
                           if w.startswith("#")]}
            md["statuses"][sid] = st
            md["order"].insert(0, sid)
            if key:
                md["keys"][key] = (sid, now)
            if s.faults.take("create-drop") is not None:
                self.drop_connection()
            doc = self.status_doc(st)
        self.reply(200, doc)

    def status_get(self, m):
        if not self.api_checks():
            return
        with self.server.lock:
            st = self.md()["statuses"].get(m.group(1))
            if st is None:
                self.error(404, "notFound", "Record not found")
                return
            doc = self.status_doc(st)
        self.reply(200, doc)

    def account_statuses(self, m):
        if not self.api_checks():
            return
        n = min(int(self.query.get("limit", "20") or 20), 40)
        with self.server.lock:
            md = self.md()
            docs = [self.status_doc(md["statuses"][i])
                    for i in md["order"][:n]]
        self.reply(200, docs)

    def fake_admin(self, what):
        if what == "finish-media" and self.command == "POST":
            with self.server.lock:
                for md in self.md()["media"].values():
                    md["polls"] = 0
            self.reply(200, {"ok": True})
            return True
        if what == "forget-keys" and self.command == "POST":
            with self.server.lock:
                for k, (sid, t) in list(self.md()["keys"].items()):
                    self.md()["keys"][k] = (sid, t - KEY_TTL - 1)
            self.reply(200, {"ok": True})
            return True
        return super().fake_admin(what)

    def state(self):
        md = self.md()
        return {"statuses": [dict(md["statuses"][i]) for i in
                             reversed(md["order"])],
                "media": list(md["media"].values()),
                "keys": len(md["keys"])}


def more(ap):
    ap.add_argument("--sync-media", action="store_true",
                    help="process media at once (200 instead of 202)")


if __name__ == "__main__":
    platformfake.main(Mastodon, more)
