#!/usr/bin/env python3
"""fake_linkedin.py - LinkedIn's Videos and Posts APIs, on platformfake.

    python3 tests/servers/fake_linkedin.py --port-file F [--log L]
        [--part-size BYTES] [--versions V,V...] [--no-refresh]
        [--fault NAME[=ARG][*N]]... [platformfake options]

What it speaks (../../shared/reference/platforms.md §6, its checklist
§6.5):

    POST /rest/videos?action=initializeUpload  {"initializeUploadRequest":
         {owner, fileSizeBytes, uploadCaptions, uploadThumbnail}}: the
         video URN and uploadInstructions, one per --part-size bytes
         (4 MiB), to URLs that expire (uploadUrlsExpireAt), an
         uploadToken when there are several, a thumbnailUploadUrl
    PUT  /dms-uploads/VIDEO/N?sig=...  a part's bytes, exactly its range:
         201 with a distinct ETag; no bearer token (the URL is signed);
         an expired URL is 403, an unknown video 404
    PUT  /dms-uploads/VIDEO/thumbnail?sig=...  the thumbnail
    POST /rest/videos?action=finalizeUpload  {"finalizeUploadRequest":
         {video, uploadToken, uploadedPartIds}}: the ETags of every
         part, in order (400 otherwise); then PROCESSING
    GET  /rest/videos/URN  status WAITING_UPLOAD, PROCESSING (for
         --processing N polls or the processing=N fault), AVAILABLE, or
         PROCESSING_FAILED (the processing-fail fault)
    POST /rest/posts  the post: the author must be the member, the video
         AVAILABLE, the commentary valid little text (reserved
         characters escaped, hashtags as {hashtag|\\#|tag}; 422
         otherwise): 201, an empty body, x-restli-id: urn:li:share:N
    GET  /rest/posts?q=author&author=URN&count=N&start=S, GET
         /rest/posts/URN   newest first
    GET  /v2/userinfo  the member (OpenID Connect): {"sub", "name"}

Every /rest call needs a bearer token, LinkedIn-Version (400 without;
426 NONEXISTENT_VERSION for one not in --versions) and
X-Restli-Protocol-Version: 2.0.0 (400 without).  Errors are Rest.li's
{"status", "serviceErrorCode", "code", "message"}; a 429 has no header
at all.  OAuth is LinkedIn's 3-legged flow for web apps: no PKCE, the
client secret in the body, the token endpoint also at
/oauth/v2/accessToken; refresh tokens are given (an approved partner)
unless --no-refresh.  Faults (besides platformfake's): drop cuts a part;
5xx on any call, parts too; finalize-5xx; create-drop makes the post
and drops the connection; answer-slow=MS makes the post and answers
after MS; processing=N; processing-fail; 429, slow, expire-token.

GET /_fake/state: {"posts": [...], "videos": N}; a post carries its
commentary, that text unescaped ("text"), its video's URN, sha256 and
size.  POST /_fake/expire-urls makes every upload URL expire.
"""

import hashlib
import os
import re
import secrets
import sys
import time
from urllib.parse import unquote, urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import platformfake  # noqa: E402

SUB = "Xk2bq9T_pA"
MEMBER = "urn:li:person:" + SUB
ORGS = {"urn:li:organization:2414183"}
RESERVED = set("|{}@[]()<>#\\*_~")
HASHTAG = re.compile(r"\{hashtag\|\\#\|([^{}|\\]+)\}")


def unlittle(text):
    """The text a reader sees; None if it is not valid little text."""
    out = []
    i = 0
    while i < len(text):
        m = HASHTAG.match(text, i)
        if m:
            out.append("#" + m.group(1))
            i = m.end()
            continue
        ch = text[i]
        if ch == "\\":
            if i + 1 >= len(text):
                return None
            out.append(text[i + 1])
            i += 2
            continue
        if ch in RESERVED:
            return None
        out.append(ch)
        i += 1
    return "".join(out)


class LinkedIn(platformfake.Handler):
    name = "fake_linkedin"
    routes = [
        ("POST", r"/rest/videos", "videos_action"),
        ("GET", r"/rest/videos/([^/]+)", "video_get"),
        ("PUT", r"/dms-uploads/(\w+)/(\d+)", "part"),
        ("PUT", r"/dms-uploads/(\w+)/thumbnail", "thumbnail"),
        ("POST", r"/rest/posts", "create"),
        ("GET", r"/rest/posts", "by_author"),
        ("GET", r"/rest/posts/([^/]+)", "post_get"),
        ("GET", r"/v2/userinfo", "userinfo"),
        ("POST", r"/oauth/v2/accessToken", "token"),
    ]

    def error_body(self, code, reason, message):
        return {"status": code, "serviceErrorCode": {
            401: 65600, 403: 100, 404: 0, 422: 100, 429: 101}.get(code, 0),
            "code": reason, "message": message}

    def rate_headers(self, seconds):
        return []                   # LinkedIn says nothing about when

    def rate_limited(self):
        if self.server.faults.take("429") is None:
            return False
        self.error(429, "TOO_MANY_REQUESTS", "Resource level throttle "
                   "APPLICATION DAY limit for calls to this resource is "
                   "reached.")
        return True

    # -- OAuth: no PKCE, the secret in the body ---------------------

    def oauth_authorize(self):
        q = self.query
        ru = q.get("redirect_uri", "")
        if not re.fullmatch(r"http://127\.0\.0\.1:\d+/[^?#]*", ru) or \
                q.get("response_type") != "code" or not q.get("client_id"):
            self.reply(400, {"error": "invalid_request",
                             "error_description": "response_type=code, "
                             "client_id and a registered redirect_uri are "
                             "required"})
            return
        if q.get("deny"):
            loc = ru + "?" + urlencode({
                "error": "user_cancelled_authorize",
                "error_description": "The user cancelled the authorization",
                "state": q.get("state", "")})
        else:
            code = "code-" + secrets.token_urlsafe(8)
            with self.server.lock:
                self.server.codes[code] = {
                    "redirect_uri": ru, "client_id": q["client_id"],
                    "challenge": q.get("code_challenge")}
            loc = ru + "?" + urlencode({"code": code,
                                        "state": q.get("state", "")})
        self.reply(302, b"", ctype="text/plain", headers=[("Location", loc)])

    def client_ok(self, f):
        want = self.server.args.client_secret
        return f.get("client_id") and (not want or
                                       f.get("client_secret") == want)

    def token_answer(self, fam):
        d = super().token_answer(fam)
        if self.server.args.no_refresh:
            del d["refresh_token"]
        else:
            d["refresh_token_expires_in"] = 31536000
        return d

    def oauth_token(self):
        f = self.form()
        s = self.server
        if f.get("grant_type") != "authorization_code":
            super().oauth_token()
            return
        if not self.client_ok(f):
            self.reply(401, {"error": "invalid_client",
                             "error_description": "Client authentication "
                             "failed"})
            return
        with s.lock:
            c = s.codes.pop(f.get("code"), None)
            if c is None or c["redirect_uri"] != f.get("redirect_uri"):
                self.reply(400, {"error": "invalid_request",
                                 "error_description": "Unable to retrieve "
                                 "access token: authorization code not "
                                 "found"})
                return
            fam = secrets.token_hex(4)
            s.families[fam] = True
            self.reply(200, self.token_answer(fam))

    def token(self, m):
        self.oauth_token()

    # -- helpers ----------------------------------------------------

    def li(self):
        s = self.server
        if not hasattr(s, "li"):
            s.li = {"videos": {}, "posts": [], "next": 7400000000000000000}
        return s.li

    def rest_checks(self):
        """Token, version headers and the general faults."""
        if not self.require_token():
            return False
        v = self.headers.get("LinkedIn-Version")
        if v is None:
            self.error(400, "VERSION_MISSING", "A version must be present. "
                       "Please specify a version by adding the "
                       "LinkedIn-Version header.")
            return False
        if v not in self.server.args.versions.split(","):
            self.error(426, "NONEXISTENT_VERSION", "Requested version %s "
                       "is not active" % v)
            return False
        if self.headers.get("X-Restli-Protocol-Version") != "2.0.0":
            self.error(400, "INVALID_PROTOCOL_VERSION", "X-Restli-Protocol-"
                       "Version 2.0.0 is required")
            return False
        return not (self.rate_limited() or self.fault_5xx())

    def video_doc(self, v):
        d = {"id": v["id"], "owner": v["owner"], "status": v["status"],
             "aspectRatioWidth": 9.0, "aspectRatioHeight": 16.0}
        if v["status"] == "PROCESSING_FAILED":
            d["processingFailureReason"] = "Video is not supported"
        return d

    def post_doc(self, p):
        return {"id": p["id"], "author": p["author"],
                "commentary": p["commentary"], "visibility": p["visibility"],
                "lifecycleState": "PUBLISHED",
                "distribution": {"feedDistribution": "MAIN_FEED",
                                 "targetEntities": [],
                                 "thirdPartyDistributionChannels": []},
                "content": {"media": {"id": p["video"],
                                      "title": p["title"]}},
                "createdAt": p["created"], "lastModifiedAt": p["created"],
                "publishedAt": p["created"], "isReshareDisabledByAuthor":
                False}

    # -- videos -----------------------------------------------------

    def videos_action(self, m):
        act = self.query.get("action")
        with self.server.lock:
            if not self.rest_checks():
                return
            b = self.json_body() or {}
            if act == "initializeUpload":
                self.initialize(b.get("initializeUploadRequest") or {})
            elif act == "finalizeUpload":
                self.finalize(b.get("finalizeUploadRequest") or {})
            else:
                self.error(400, "ILLEGAL_ARGUMENT", "unknown action %s" %
                           act)

    def initialize(self, r):
        s = self.server
        owner = r.get("owner")
        size = r.get("fileSizeBytes")
        if owner != MEMBER and owner not in ORGS:
            self.error(403, "ACCESS_DENIED", "Accessing this video resource "
                       "is forbidden for owner %s" % owner)
            return
        if not isinstance(size, int) or size <= 0:
            self.error(400, "ILLEGAL_ARGUMENT", "fileSizeBytes must be a "
                       "positive number")
            return
        vid = "C5" + secrets.token_hex(8).upper()
        sig = secrets.token_urlsafe(12)
        ps = s.args.part_size
        parts = []
        first = 0
        while first < size:
            last = min(first + ps, size) - 1
            parts.append((first, last))
            first = last + 1
        expires = int(time.time() * 1000) + 86400 * 1000
        v = {"id": "urn:li:video:" + vid, "key": vid, "owner": owner,
             "status": "WAITING_UPLOAD", "size": size, "parts": parts,
             "data": {}, "etags": {}, "sig": sig, "expires": expires,
             "token": secrets.token_urlsafe(16) if len(parts) > 1 else "",
             "polls": s.processing, "sha256": None, "thumbnail": False}
        self.li()["videos"][vid] = v
        ins = [{"uploadUrl": "%s/dms-uploads/%s/%d?sig=%s" % (
            s.base, vid, i, sig), "firstByte": a, "lastByte": z}
            for i, (a, z) in enumerate(parts)]
        val = {"uploadUrlsExpireAt": expires, "video": v["id"],
               "uploadInstructions": ins, "uploadToken": v["token"]}
        if r.get("uploadThumbnail"):
            val["thumbnailUploadUrl"] = "%s/dms-uploads/%s/thumbnail?sig=%s" \
                % (s.base, vid, sig)
        self.reply(200, {"value": val})

    def upload_target(self, key):
        """The video a signed upload URL names, or None (answered)."""
        v = self.li()["videos"].get(key)
        if v is None:
            self.error(404, "NOT_FOUND", "no such upload")
            return None
        if self.query.get("sig") != v["sig"] or \
                v["expires"] < time.time() * 1000:
            self.error(403, "FORBIDDEN", "Request has expired")
            return None
        return v

    def part(self, m):
        s = self.server
        with s.lock:
            if self.fault_5xx():
                return
            v = self.upload_target(m.group(1))
            if v is None:
                return
            i = int(m.group(2))
            if i >= len(v["parts"]):
                self.error(400, "ILLEGAL_ARGUMENT", "no part %d" % i)
                return
        first, last = v["parts"][i]
        buf = bytearray()
        self.read_body(buf.extend, drop=True)
        if len(buf) != last - first + 1:
            self.error(400, "ILLEGAL_ARGUMENT", "part %d must be %d bytes, "
                       "not %d" % (i, last - first + 1, len(buf)))
            return
        with s.lock:
            v["data"][i] = bytes(buf)
            tag = "/ambry-video/signedId/%s-%d-%s" % (
                v["key"], i, hashlib.md5(buf).hexdigest()[:12])
            v["etags"][i] = tag
        self.reply(201, b"", ctype="text/plain", headers=[("ETag", tag)])

    def thumbnail(self, m):
        with self.server.lock:
            v = self.upload_target(m.group(1))
            if v is None:
                return
        n = [0]
        self.read_body(lambda d: n.__setitem__(0, n[0] + len(d)))
        with self.server.lock:
            v["thumbnail"] = n[0] > 0
        self.reply(201, b"", ctype="text/plain")

    def finalize(self, r):
        s = self.server
        if s.faults.take("finalize-5xx") is not None:
            self.error(500, "INTERNAL_SERVER_ERROR", "Internal Server Error")
            return
        urn = r.get("video", "")
        v = self.li()["videos"].get(urn.rpartition(":")[2])
        if v is None or v["id"] != urn:
            self.error(404, "NOT_FOUND", "Video %s not found" % urn)
            return
        if v["status"] != "WAITING_UPLOAD":
            self.reply(200, b"", ctype="text/plain")
            return
        if r.get("uploadToken", "") != v["token"]:
            self.error(400, "ILLEGAL_ARGUMENT", "uploadToken does not match")
            return
        want = [v["etags"].get(i) for i in range(len(v["parts"]))]
        if r.get("uploadedPartIds") != want or None in want:
            self.error(400, "ILLEGAL_ARGUMENT", "uploadedPartIds do not "
                       "match the parts uploaded, in order")
            return
        h = hashlib.sha256()
        for i in range(len(v["parts"])):
            h.update(v["data"][i])
        v["sha256"] = h.hexdigest()
        v["data"] = {}
        v["status"] = "PROCESSING"
        p = s.faults.take("processing")
        if p is not None:
            v["polls"] = int(p or 1)
        if s.faults.take("processing-fail") is not None:
            v["fail"] = True
        self.reply(200, b"", ctype="text/plain")

    def video_get(self, m):
        with self.server.lock:
            if not self.rest_checks():
                return
            urn = unquote(m.group(1))
            v = self.li()["videos"].get(urn.rpartition(":")[2])
            if v is None or v["id"] != urn:
                self.error(404, "NOT_FOUND", "Video %s not found" % urn)
                return
            if v["status"] == "PROCESSING":
                if v["polls"] > 0:
                    v["polls"] -= 1
                else:
                    v["status"] = "PROCESSING_FAILED" if v.get("fail") \
                        else "AVAILABLE"
            self.reply(200, self.video_doc(v))

    # -- posts ------------------------------------------------------

    def create(self, m):
        s = self.server
        with s.lock:
            if not self.rest_checks():
                return
            b = self.json_body()
            if not isinstance(b, dict):
                self.error(400, "ILLEGAL_ARGUMENT", "the body must be JSON")
                return
            if b.get("author") != MEMBER and b.get("author") not in ORGS:
                self.error(403, "ACCESS_DENIED", "Unpermitted fields present "
                           "in REQUEST_BODY: Data Processing Exception "
                           "while processing fields [/author]")
                return
            text = b.get("commentary", "")
            shown = unlittle(text)
            if shown is None or len(text) > 3000:
                self.error(422, "UNPROCESSABLE_ENTITY", "/commentary is not "
                           "valid little text (reserved characters must be "
                           "escaped) or too long")
                return
            media = ((b.get("content") or {}).get("media") or {})
            v = self.li()["videos"].get(str(media.get("id", "")).rpartition(
                ":")[2])
            if v is None or v["status"] != "AVAILABLE":
                self.error(422, "UNPROCESSABLE_ENTITY", "/content/media/id: "
                           "the video is not AVAILABLE")
                return
            if b.get("lifecycleState") != "PUBLISHED" or \
                    b.get("visibility") not in ("PUBLIC", "CONNECTIONS",
                                                "LOGGED_IN") or \
                    "distribution" not in b:
                self.error(422, "UNPROCESSABLE_ENTITY", "lifecycleState, "
                           "visibility and distribution are required")
                return
            x = self.li()
            x["next"] += secrets.randbelow(1000) + 1
            p = {"id": "urn:li:share:%d" % x["next"], "author": b["author"],
                 "commentary": text, "text": shown, "video": v["id"],
                 "title": media.get("title"), "sha256": v["sha256"],
                 "bytes": v["size"], "visibility": b["visibility"],
                 "thumbnail": v["thumbnail"],
                 "created": int(time.time() * 1000)}
            x["posts"].append(p)
            if s.faults.take("create-drop") is not None:
                self.drop_connection()
            slow = s.faults.take("answer-slow")
        if slow:                    # made, and the answer takes a while
            time.sleep(int(slow) / 1000)
        self.reply(201, b"", ctype="text/plain",
                   headers=[("x-restli-id", p["id"]),
                            ("x-linkedin-id", p["id"])])

    def by_author(self, m):
        with self.server.lock:
            if not self.rest_checks():
                return
            if self.query.get("q") != "author":
                self.error(400, "ILLEGAL_ARGUMENT", "q=author is required")
                return
            who = self.query.get("author")
            try:
                count = int(self.query.get("count", "10"))
                start = int(self.query.get("start", "0"))
            except ValueError:
                count = -1
            if not 1 <= count <= 100:
                self.error(400, "ILLEGAL_ARGUMENT", "count must be 1-100")
                return
            mine = [p for p in reversed(self.li()["posts"])
                    if p["author"] == who]
            page = mine[start:start + count]
        self.reply(200, {"elements": [self.post_doc(p) for p in page],
                         "paging": {"start": start, "count": count,
                                    "links": [], "total": len(mine)}})

    def post_get(self, m):
        with self.server.lock:
            if not self.rest_checks():
                return
            urn = unquote(m.group(1))
            p = next((p for p in self.li()["posts"] if p["id"] == urn), None)
        if p is None:
            self.error(404, "NOT_FOUND", "Post %s not found" % urn)
            return
        self.reply(200, self.post_doc(p))

    def userinfo(self, m):
        with self.server.lock:
            if not self.require_token():
                return
        self.reply(200, {"sub": SUB, "name": "Agency Test",
                         "given_name": "Agency", "family_name": "Test",
                         "email_verified": True, "locale": "en_US"})

    def fake_admin(self, what):
        if what == "expire-urls" and self.command == "POST":
            with self.server.lock:
                for v in self.li()["videos"].values():
                    v["expires"] = 0
            self.reply(200, {"ok": True})
            return True
        return super().fake_admin(what)

    def state(self):
        x = self.li()
        return {"posts": [dict(p) for p in x["posts"]],
                "videos": len(x["videos"])}


def more(ap):
    ap.add_argument("--part-size", type=int, default=4 * 1024 * 1024,
                    help="bytes per upload instruction")
    ap.add_argument("--versions", default="202608,202609,202610,202611,"
                    "202612", help="the LinkedIn-Version values served")
    ap.add_argument("--no-refresh", action="store_true",
                    help="no refresh tokens (not an approved partner)")


if __name__ == "__main__":
    platformfake.main(LinkedIn, more)
