#!/usr/bin/env python3
"""fake_bluesky.py - a Bluesky PDS and the video service, on platformfake.

    python3 tests/servers/fake_bluesky.py --port-file F [--log L]
        [--handle H] [--password P] [--wrapped] [--unconfirmed]
        [--fault NAME[=ARG][*N]]... [platformfake options]

What it speaks (../../shared/reference/platforms.md §8, its checklist
§8.6), XRPC under /xrpc/ as the real services (the PDS's methods and
the video service's app.bsky.video.* share this one server; the client
is given its URL for both):

  PDS
    POST com.atproto.server.createSession {identifier, password}
         -> accessJwt, refreshJwt, did, handle, didDoc (its #atproto_pds
         service is this server), emailConfirmed; 401
         AuthenticationRequired for a wrong password
    POST com.atproto.server.refreshSession  (Bearer refreshJwt) -> a new
         pair; the old refresh JWT dies (400 ExpiredToken if replayed)
    GET  com.atproto.server.getServiceAuth?aud&lxm&exp -> {token}; aud
         must be did:web:127.0.0.1 (this PDS), exp at most an hour ahead
    POST com.atproto.repo.uploadBlob  (the body) -> {blob}; over 50 MiB
         400 BlobTooLarge
    POST com.atproto.repo.createRecord {repo, collection, rkey, record}
         checks the lexicon: a TID rkey, text within 300 graphemes and
         3000 bytes, facets whose byte ranges hold "#tag" or the link,
         an app.bsky.embed.video embed of a blob this PDS holds; a taken
         rkey is 500 InternalServerError (as the real PDS answers today)
    GET  com.atproto.repo.getRecord?repo&collection&rkey -> {uri, cid,
         value}, or 400 RecordNotFound
  video service
    POST app.bsky.video.uploadVideo?did&name  (Bearer: a service token
         for uploadBlob from getServiceAuth) -> the job status, bare
         ({did, jobId, state}) as production answers, or under
         "jobStatus" with --wrapped; --unconfirmed: 400 with error
         unconfirmed_email (wrapped); the already-exists fault answers
         409 {error: already_exists, blob, jobId} for bytes processed
         before
    GET  app.bsky.video.getJobStatus?jobId -> {jobStatus: {state,
         progress, blob once JOB_STATE_COMPLETED}} after --processing N
         polls (or the processing=N fault); 404 for an unknown job

Access JWTs live --token-ttl seconds; past it (or after the
expire-token fault) they are 400 ExpiredToken; unknown ones 401
InvalidToken.  Errors are {"error": NAME, "message": ...}; every answer
carries RateLimit-Limit/Remaining/Reset (epoch seconds)/Policy, and the
429=SECONDS fault answers 429 RateLimitExceeded with the reset that far
ahead.  Faults: 5xx (any call), drop (cuts an upload body), create-drop
(the record made, the connection dropped), create-500 (the record made,
then a 500), job-fail (the job fails), already-exists, processing=N,
slow.

GET /_fake/state: {"posts": [...], "blobs": {...}, "jobs": N,
"logins": N, "session_refreshes": N}; a post carries its rkey, uri and record;
a blob its bytes' sha256.  POST /_fake/forget-jobs forgets every job.
"""

import hashlib
import json
import os
import re
import secrets
import sys
import time
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import platformfake  # noqa: E402

DID = "did:plc:fakeagency0000000000000"
TID = re.compile(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}")
BLOB_MAX = 52428800
POST = "app.bsky.feed.post"


def graphemes(s):
    """Roughly UAX #29: marks, joiners, selectors, tones join."""
    n = 0
    join = ri = False
    for ch in s:
        cp = ord(ch)
        was, join = join, cp == 0x200D
        if was:
            continue
        if 0x1F1E6 <= cp <= 0x1F1FF:
            ri = not ri
            if not ri:
                continue
            n += 1
            continue
        ri = False
        if unicodedata.combining(ch) or 0xFE00 <= cp <= 0xFE0F or \
                0x1F3FB <= cp <= 0x1F3FF or cp == 0x200D:
            continue
        n += 1
    return n


def cid_of(data):
    return "bafyrei" + hashlib.sha256(data).hexdigest()[:52]


class Bluesky(platformfake.Handler):
    name = "fake_bluesky"
    routes = [
        ("POST", r"/xrpc/com\.atproto\.server\.createSession", "create_session"),
        ("POST", r"/xrpc/com\.atproto\.server\.refreshSession",
         "refresh_session"),
        ("GET", r"/xrpc/com\.atproto\.server\.getSession", "get_session"),
        ("GET", r"/xrpc/com\.atproto\.server\.getServiceAuth", "service_auth"),
        ("POST", r"/xrpc/com\.atproto\.repo\.uploadBlob", "upload_blob"),
        ("POST", r"/xrpc/com\.atproto\.repo\.createRecord", "create_record"),
        ("GET", r"/xrpc/com\.atproto\.repo\.getRecord", "get_record"),
        ("POST", r"/xrpc/app\.bsky\.video\.uploadVideo", "upload_video"),
        ("GET", r"/xrpc/app\.bsky\.video\.getJobStatus", "job_status"),
    ]

    def error_body(self, code, reason, message):
        names = {"rateLimitExceeded": "RateLimitExceeded",
                 "backendError": "InternalServerError",
                 "notFound": "MethodNotImplemented"}
        return {"error": names.get(reason, reason), "message": message}

    def rate_headers(self, seconds):
        return [("RateLimit-Limit", "3000"), ("RateLimit-Remaining", "0"),
                ("RateLimit-Reset", str(int(time.time() + seconds))),
                ("RateLimit-Policy", "3000;w=300")]

    def reply(self, code, body=b"", ctype="application/json", headers=()):
        if self.url.path.startswith("/xrpc/") and code < 429:
            headers = list(headers) + [
                ("RateLimit-Limit", "3000"), ("RateLimit-Remaining", "2999"),
                ("RateLimit-Reset", str(int(time.time() + 300))),
                ("RateLimit-Policy", "3000;w=300")]
        super().reply(code, body, ctype, headers)

    def bs(self):
        s = self.server
        if not hasattr(s, "bs"):
            s.bs = {"access": {}, "refresh": {}, "service": {}, "jobs": {},
                    "blobs": {}, "posts": {}, "order": [], "processed": {},
                    "logins": 0, "refreshes": 0, "njobs": 0}
        return s.bs

    def bearer(self):
        a = self.headers.get("Authorization", "")
        return a[7:] if a.startswith("Bearer ") else None

    def access_ok(self):
        """A live access JWT, then the faults any call may meet."""
        s = self.server
        tok = self.bearer()
        with s.lock:
            b = self.bs()
            exp = b["access"].get(tok)
            if exp is not None and s.faults.take("expire-token") is not None:
                b["access"][tok] = exp = 0
        if exp is None:
            self.error(401, "InvalidToken", "Token could not be verified")
            return False
        if exp < time.time():
            self.error(400, "ExpiredToken", "Token has expired")
            return False
        return not (self.rate_limited() or self.fault_5xx())

    def session_doc(self):
        s = self.server
        b = self.bs()
        at = "acc-" + secrets.token_urlsafe(12)
        rt = "ref-" + secrets.token_urlsafe(12)
        b["access"][at] = time.time() + s.args.token_ttl
        b["refresh"][rt] = True
        return {"accessJwt": at, "refreshJwt": rt, "handle": s.args.handle,
                "did": DID, "email": "agency@example.com",
                "emailConfirmed": not s.args.unconfirmed, "active": True,
                "didDoc": {"id": DID, "alsoKnownAs": ["at://" +
                                                     s.args.handle],
                           "service": [{"id": "#atproto_pds",
                                        "type": "AtprotoPersonalDataServer",
                                        "serviceEndpoint": s.base}]}}

    # -- the PDS ----------------------------------------------------

    def create_session(self, m):
        s = self.server
        if self.rate_limited() or self.fault_5xx():
            return
        b = self.json_body() or {}
        if b.get("identifier") not in (s.args.handle, DID) or \
                b.get("password") != s.args.password:
            self.error(401, "AuthenticationRequired", "Invalid identifier "
                       "or password")
            return
        with s.lock:
            self.bs()["logins"] += 1
            doc = self.session_doc()
        self.reply(200, doc)

    def refresh_session(self, m):
        s = self.server
        if self.rate_limited() or self.fault_5xx():
            return
        tok = self.bearer()
        with s.lock:
            b = self.bs()
            if not b["refresh"].get(tok):
                self.error(400, "ExpiredToken", "Token has been revoked")
                return
            b["refresh"][tok] = False
            b["refreshes"] += 1
            doc = self.session_doc()
            del doc["didDoc"]
        self.reply(200, doc)

    def get_session(self, m):
        if not self.access_ok():
            return
        d = self.session_doc()
        for k in ("accessJwt", "refreshJwt"):
            del d[k]
        self.reply(200, d)

    def service_auth(self, m):
        if not self.access_ok():
            return
        q = self.query
        want = "did:web:127.0.0.1"
        if q.get("aud") != want:
            self.error(400, "BadRequest", "aud must be %s, not %s" % (
                want, q.get("aud")))
            return
        try:
            exp = int(q.get("exp") or time.time() + 60)
        except ValueError:
            exp = 0
        if exp < time.time() or exp > time.time() + 3600:
            self.error(400, "BadExpiration", "expiration must be within "
                       "the next hour")
            return
        tok = "svc-" + secrets.token_urlsafe(12)
        with self.server.lock:
            self.bs()["service"][tok] = {"aud": q["aud"], "exp": exp,
                                         "lxm": q.get("lxm")}
        self.reply(200, {"token": tok})

    def read_file(self):
        got = []
        self.read_body(got.append, drop=True)
        return b"".join(got)

    def make_blob(self, data, mime):
        link = "bafkrei" + hashlib.sha256(data).hexdigest()[:52]
        self.bs()["blobs"][link] = {"sha256": hashlib.sha256(data)
                                    .hexdigest(), "size": len(data),
                                    "mimeType": mime}
        return {"$type": "blob", "ref": {"$link": link}, "mimeType": mime,
                "size": len(data)}

    def upload_blob(self, m):
        if not self.access_ok():
            return
        if int(self.headers.get("Content-Length") or 0) > BLOB_MAX:
            self.error(400, "BlobTooLarge", "This file is too large. It is "
                       "%s bytes but the maximum size is %d bytes." % (
                           self.headers.get("Content-Length"), BLOB_MAX))
            return
        data = self.read_file()
        mime = self.headers.get("Content-Type", "*/*")
        with self.server.lock:
            blob = self.make_blob(data, mime)
        self.reply(200, {"blob": blob})

    def check_record(self, b):
        """The lexicon's word on a createRecord body, or None."""
        if b.get("repo") not in (DID, self.server.args.handle):
            return "InvalidRequest", "repo is not the session's"
        if b.get("collection") != POST:
            return "InvalidRequest", "this fake takes posts only"
        rkey = b.get("rkey")
        if rkey is not None and not TID.fullmatch(rkey):
            return "InvalidRequest", "Invalid record key: must be a TID"
        r = b.get("record") or {}
        if r.get("$type") != POST or not isinstance(r.get("text"), str) \
                or not r.get("createdAt"):
            return "InvalidRecord", "Record/text and createdAt are required"
        text = r["text"]
        tb = text.encode()
        if graphemes(text) > 300 or len(tb) > 3000:
            return "InvalidRecord", "Record/text must not be longer than " \
                "300 graphemes"
        for f in r.get("facets", []):
            ix = f.get("index", {})
            a, z = ix.get("byteStart", -1), ix.get("byteEnd", -1)
            if not (0 <= a < z <= len(tb)):
                return "InvalidRecord", "facet index out of range"
            for ft in f.get("features", []):
                t = ft.get("$type")
                if t == "app.bsky.richtext.facet#tag" and \
                        tb[a:z] != ("#" + ft.get("tag", "")).encode():
                    return "InvalidRecord", "tag facet %d-%d is %r" % (
                        a, z, tb[a:z].decode("utf-8", "replace"))
                if t == "app.bsky.richtext.facet#link" and \
                        tb[a:z] != ft.get("uri", "").encode():
                    return "InvalidRecord", "link facet does not match"
        e = r.get("embed")
        if e is not None:
            if e.get("$type") != "app.bsky.embed.video":
                return "InvalidRecord", "this fake takes video embeds"
            v = e.get("video") or {}
            link = (v.get("ref") or {}).get("$link")
            if v.get("$type") != "blob" or link not in self.bs()["blobs"] \
                    or v.get("mimeType") != "video/mp4":
                return "InvalidRecord", "Record/embed/video: could not " \
                    "find blob"
        return None

    def create_record(self, m):
        if not self.access_ok():
            return
        s = self.server
        b = self.json_body() or {}
        with s.lock:
            bad = self.check_record(b)
            if bad:
                self.error(400, *bad)
                return
            bs = self.bs()
            rkey = b.get("rkey") or "3" + secrets.token_hex(6)
            if rkey in bs["posts"]:
                self.error(500, "InternalServerError", "Internal Server "
                           "Error")
                return
            uri = "at://%s/%s/%s" % (DID, POST, rkey)
            raw = json.dumps(b["record"], sort_keys=True).encode()
            p = {"rkey": rkey, "uri": uri, "cid": cid_of(raw),
                 "record": b["record"], "created": time.time()}
            bs["posts"][rkey] = p
            bs["order"].append(rkey)
            if s.faults.take("create-drop") is not None:
                self.drop_connection()
            if s.faults.take("create-500") is not None:
                self.error(500, "InternalServerError", "Internal Server "
                           "Error")
                return
        self.reply(200, {"uri": uri, "cid": p["cid"],
                         "commit": {"cid": cid_of(uri.encode()),
                                    "rev": "3l" + secrets.token_hex(5)},
                         "validationStatus": "valid"})

    def get_record(self, m):
        if self.rate_limited() or self.fault_5xx():
            return
        q = self.query
        with self.server.lock:
            p = self.bs()["posts"].get(q.get("rkey"))
        if p is None or q.get("repo") not in (DID, self.server.args.handle) \
                or q.get("collection") != POST:
            self.error(400, "RecordNotFound", "Could not locate record: "
                       "at://%s/%s/%s" % (q.get("repo"), q.get("collection"),
                                          q.get("rkey")))
            return
        self.reply(200, {"uri": p["uri"], "cid": p["cid"],
                         "value": p["record"]})

    # -- the video service ----------------------------------------

    def job_doc(self, j):
        d = {"did": j["did"], "jobId": j["id"], "state": j["state"]}
        if j["state"] == "JOB_STATE_ENCODING":
            d["progress"] = j["progress"]
        if j.get("blob"):
            d["blob"] = j["blob"]
        if j["state"] == "JOB_STATE_FAILED":
            d["error"] = "video_invalid"
            d["message"] = "Video is not valid (fake)"
        return d

    def upload_video(self, m):
        s = self.server
        tok = self.bearer()
        with s.lock:
            st = self.bs()["service"].get(tok)
        if st is None or st["exp"] < time.time() or \
                st["lxm"] != "com.atproto.repo.uploadBlob":
            self.error(401, "AuthMissing", "a service token for "
                       "com.atproto.repo.uploadBlob is required")
            return
        if self.rate_limited() or self.fault_5xx():
            return
        if self.query.get("did") != DID:
            self.error(400, "InvalidRequest", "did does not match the "
                       "token")
            return
        if s.args.unconfirmed:
            self.body()
            self.reply(400, {"jobStatus": {
                "did": DID, "jobId": "", "state": "JOB_STATE_FAILED",
                "error": "unconfirmed_email",
                "message": "Please confirm your email address before "
                "uploading videos"}})
            return
        data = self.read_file()
        sha = hashlib.sha256(data).hexdigest()
        with s.lock:
            bs = self.bs()
            done = bs["processed"].get(sha)
            if done and s.faults.take("already-exists") is not None:
                self.reply(409, {"error": "already_exists",
                                 "message": "Video already processed",
                                 "state": "JOB_STATE_COMPLETED",
                                 "did": DID, "jobId": done["id"],
                                 "blob": done["blob"]})
                return
            polls = s.processing
            p = s.faults.take("processing")
            if p is not None:
                polls = int(p or 1)
            bs["njobs"] += 1
            j = {"id": "job-" + secrets.token_hex(6), "did": DID,
                 "state": "JOB_STATE_CREATED", "progress": 0,
                 "polls": polls, "data": data, "sha": sha,
                 "fail": s.faults.take("job-fail") is not None}
            bs["jobs"][j["id"]] = j
            doc = self.job_doc(j)
        self.reply(200, {"jobStatus": doc} if s.args.wrapped else doc)

    def job_status(self, m):
        s = self.server
        if self.rate_limited() or self.fault_5xx():
            return
        with s.lock:
            bs = self.bs()
            j = bs["jobs"].get(self.query.get("jobId"))
            if j is None:
                self.error(404, "NotFound", "no such job")
                return
            if j["state"] not in ("JOB_STATE_COMPLETED", "JOB_STATE_FAILED"):
                if j["polls"] > 0:
                    j["polls"] -= 1
                    j["state"] = "JOB_STATE_ENCODING"
                    j["progress"] = min(99, j["progress"] + 40)
                elif j["fail"]:
                    j["state"] = "JOB_STATE_FAILED"
                else:
                    j["state"] = "JOB_STATE_COMPLETED"
                    j["blob"] = self.make_blob(j["data"], "video/mp4")
                    bs["processed"][j["sha"]] = j
            doc = self.job_doc(j)
        self.reply(200, {"jobStatus": doc})

    def fake_admin(self, what):
        if what == "forget-jobs" and self.command == "POST":
            with self.server.lock:
                self.bs()["jobs"].clear()
            self.reply(200, {"ok": True})
            return True
        if what == "expire" and self.command == "POST":
            with self.server.lock:
                for t in self.bs()["access"]:
                    self.bs()["access"][t] = 0
            self.reply(200, {"ok": True})
            return True
        if what == "revoke" and self.command == "POST":
            with self.server.lock:
                for t in self.bs()["access"]:
                    self.bs()["access"][t] = 0
                for t in self.bs()["refresh"]:
                    self.bs()["refresh"][t] = False
            self.reply(200, {"ok": True})
            return True
        return super().fake_admin(what)

    def state(self):
        bs = self.bs()
        return {"posts": [bs["posts"][k] for k in bs["order"]],
                "blobs": bs["blobs"], "jobs": bs["njobs"],
                "logins": bs["logins"], "session_refreshes": bs["refreshes"]}


def more(ap):
    ap.add_argument("--handle", default="agency.test")
    ap.add_argument("--password", default="app-pass-1234-abcd")
    ap.add_argument("--wrapped", action="store_true",
                    help="answer uploadVideo as the lexicon says")
    ap.add_argument("--unconfirmed", action="store_true",
                    help="the account's e-mail is not confirmed")


if __name__ == "__main__":
    platformfake.main(Bluesky, more)
