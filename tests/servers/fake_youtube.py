#!/usr/bin/env python3
"""fake_youtube.py - the YouTube Data API v3 upload surface, on platformfake.

    python3 tests/servers/fake_youtube.py --port-file F [--log L]
        [--quota UNITS] [--fault NAME[=ARG][*N]]... [platformfake options]

What it speaks (../../shared/reference/platforms.md §1, its checklist
§1.8):

    POST /upload/youtube/v3/videos?uploadType=resumable&part=...
         JSON metadata, X-Upload-Content-Length: 200 with Location, the
         session URI (the only handle; no video exists yet)
    PUT  <session URI>  Content-Range: bytes A-B/N, a chunk: 308 with
         Range: bytes=0-LAST while incomplete (no Range when nothing is
         kept), 201 with the video resource when the last byte is in;
         chunks must be multiples of 256 KiB but the last (400
         otherwise); Content-Range: bytes */N asks where the session
         stands; an unknown upload_id is 404
    POST /upload/youtube/v3/thumbnails/set?videoId=ID&uploadType=media
         an image of at most 2 MB
    PUT  /youtube/v3/videos?part=status   videos.update (privacy)
    GET  /youtube/v3/videos?id=A,B&part=...  (a new video is "uploaded"
         for --processing N of these, then "processed")
    GET  /youtube/v3/channels?part=contentDetails&mine=true
    GET  /youtube/v3/playlistItems?playlistId=UU...&maxResults=N
         the uploads playlist, newest first, paged

Every call but the session PUTs needs a bearer token (platformfake's
OAuth).  Quota (--quota, units a day): insert 1600, update and
thumbnails 50, reads 1; past it 403 quotaExceeded.  Faults (besides
platformfake's): partial=BYTES keeps only part of a chunk; drop cuts a
chunk; finalize-5xx answers the last chunk with a 5xx (the bytes are
kept; a status query then makes the video); create-drop makes the
video on the last chunk and drops the connection; rate-403 answers
403 rateLimitExceeded once; reject makes the next video "rejected"
(a duplicate); 5xx on any call.

GET /_fake/state: {"videos": [...], "sessions": N, "quota_used": U}; a
video carries its bytes' sha256, its tags, privacy and thumbnail.  POST
/_fake/drop-sessions forgets every upload session (they expired).
"""

import hashlib
import json
import secrets
import sys
import time
import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import platformfake  # noqa: E402

CHUNK = 256 * 1024
COST = {"insert": 1600, "update": 50, "thumbnail": 50, "read": 1}


class YouTube(platformfake.Handler):
    name = "fake_youtube"
    routes = [
        ("POST", r"/upload/youtube/v3/videos", "insert"),
        ("PUT", r"/upload/youtube/v3/videos", "chunk"),
        ("POST", r"/upload/youtube/v3/thumbnails/set", "thumbnail"),
        ("PUT", r"/youtube/v3/videos", "update"),
        ("GET", r"/youtube/v3/videos", "videos_list"),
        ("GET", r"/youtube/v3/channels", "channels"),
        ("GET", r"/youtube/v3/playlistItems", "playlist"),
    ]

    def error_body(self, code, reason, message):
        domain = "youtube.quota" if "uota" in reason else "youtube.video"
        return {"error": {"code": code, "message": message,
                          "errors": [{"domain": domain, "reason": reason,
                                      "message": message}]}}

    # -- helpers ----------------------------------------------------

    def yt(self):
        s = self.server
        if not hasattr(s, "yt"):
            s.yt = {"sessions": {}, "videos": {}, "order": [],
                    "quota_used": 0}
        return s.yt

    def charge(self, what):
        """Spend quota; False (and a 403 sent) when it is gone."""
        y = self.yt()
        q = self.server.args.quota
        if q and y["quota_used"] + COST[what] > q:
            self.error(403, "quotaExceeded", "The request cannot be "
                       "completed because you have exceeded your quota.")
            return False
        y["quota_used"] += COST[what]
        return True

    def api_checks(self, cost):
        if not self.require_token():
            return False
        if self.rate_limited() or self.fault_5xx():
            return False
        if self.server.faults.take("rate-403") is not None:
            self.error(403, "rateLimitExceeded", "The request was sent too "
                       "fast.")
            return False
        return self.charge(cost)

    def resource(self, v):
        return {"kind": "youtube#video", "etag": "e-" + v["id"],
                "id": v["id"], "snippet": v["snippet"],
                "status": v["status"]}

    def make_video(self, sess):
        y = self.yt()
        vid = secrets.token_urlsafe(8)[:11]
        st = dict(sess["meta"].get("status", {}))
        st.setdefault("privacyStatus", "public")
        st["uploadStatus"] = "uploaded"
        if self.server.faults.take("reject") is not None:
            st["uploadStatus"] = "rejected"
            st["rejectionReason"] = "duplicate"
        v = {"id": vid, "snippet": sess["meta"].get("snippet", {}),
             "status": st, "bytes": sess["received"],
             "sha256": sess["sha"].hexdigest(), "thumbnail": False,
             "created": time.time(), "polls": self.server.processing}
        p = self.server.faults.take("processing")
        if p is not None:
            v["polls"] = int(p or 1)
        y["videos"][vid] = v
        y["order"].insert(0, vid)
        sess["video"] = vid
        return v

    # -- routes -----------------------------------------------------

    def insert(self, m):
        s = self.server
        with s.lock:
            if self.query.get("uploadType") != "resumable":
                self.error(400, "badRequest", "only uploadType=resumable")
                return
            if not self.api_checks("insert"):
                return
            meta = self.json_body()
            try:
                total = int(self.headers.get("X-Upload-Content-Length"))
            except (TypeError, ValueError):
                total = -1
            if meta is None or total <= 0:
                self.error(400, "badRequest", "metadata JSON and "
                           "X-Upload-Content-Length are required")
                return
            title = meta.get("snippet", {}).get("title", "")
            if not title or len(title) > 100 or "<" in title:
                self.error(400, "invalidTitle", "The request metadata "
                           "specifies an invalid video title.")
                return
            if s.faults.take("create-drop-init") is not None:
                self.drop_connection()
            uid = secrets.token_urlsafe(12)
            self.yt()["sessions"][uid] = {
                "total": total, "received": 0, "sha": hashlib.sha256(),
                "meta": meta, "video": None}
            loc = "%s/upload/youtube/v3/videos?uploadType=resumable&" \
                  "upload_id=%s&part=%s" % (s.base, uid,
                                            self.query.get("part", ""))
        self.reply(200, b"", headers=[("Location", loc),
                                      ("X-GUploader-UploadID", uid)])

    def status_answer(self, sess):
        if sess["video"] is not None:
            v = self.yt()["videos"].get(sess["video"])
            self.reply(201, self.resource(v))
            return
        if sess["received"] >= sess["total"]:
            # Everything is in (a finalize failed before): make it now.
            self.reply(201, self.resource(self.make_video(sess)))
            return
        hdr = [("Range", "bytes=0-%d" % (sess["received"] - 1))] \
            if sess["received"] > 0 else []
        self.reply(308, b"", ctype="text/plain", headers=hdr)

    def chunk(self, m):
        s = self.server
        uid = self.query.get("upload_id")
        with s.lock:
            sess = self.yt()["sessions"].get(uid)
        if sess is None:
            self.error(404, "notFound", "no such upload session")
            return
        cr = self.headers.get("Content-Range")
        n = int(self.headers.get("Content-Length") or 0)
        total = sess["total"]
        if cr is not None and cr.startswith("bytes */"):
            self.body()
            with s.lock:
                self.status_answer(sess)
            return
        if cr is None:
            first, last = 0, n - 1
        else:
            try:
                rng, tot = cr[6:].split("/")
                first, last = (int(x) for x in rng.split("-"))
                if int(tot) != total:
                    raise ValueError
            except ValueError:
                self.body()
                self.error(400, "badRequest", "bad Content-Range")
                return
        if last - first + 1 != n or last >= total:
            self.body()
            self.error(400, "badRequest", "Content-Range does not match "
                       "the body")
            return
        final = last == total - 1
        if not final and n % CHUNK != 0:
            self.body()
            self.error(400, "badContent", "chunks must be multiples of "
                       "262144 bytes")
            return
        with s.lock:
            if sess["video"] is not None:
                self.body()
                self.reply(201, self.resource(
                    self.yt()["videos"][sess["video"]]))
                return
            have = sess["received"]
        if first > have:
            self.body()
            self.error(400, "badRequest", "chunk starts at %d but the "
                       "server has %d bytes" % (first, have))
            return
        skip = have - first           # bytes it has already
        keep = None
        p = s.faults.take("partial")
        if p is not None:
            keep = skip + int(p or CHUNK)
        state = {"skipped": 0}

        def sink(data):
            d = data
            if state["skipped"] < skip:
                k = min(skip - state["skipped"], len(d))
                state["skipped"] += k
                d = d[k:]
            if d:
                sess["sha"].update(d)
                sess["received"] += len(d)

        try:
            self.read_body(sink, keep=keep, drop=True)
        except platformfake.Dropped:
            raise
        with s.lock:
            if sess["received"] < total:
                hdr = [("Range", "bytes=0-%d" % (sess["received"] - 1))] \
                    if sess["received"] > 0 else []
                self.reply(308, b"", ctype="text/plain", headers=hdr)
                return
            if s.faults.take("finalize-5xx") is not None:
                self.error(503, "backendError", "finalize failed (fake)")
                return
            v = self.make_video(sess)
            if s.faults.take("create-drop") is not None:
                self.drop_connection()
            self.reply(201, self.resource(v))

    def thumbnail(self, m):
        s = self.server
        with s.lock:
            if not self.api_checks("thumbnail"):
                return
            v = self.yt()["videos"].get(self.query.get("videoId"))
        if v is None:
            self.error(404, "videoNotFound", "The video could not be found")
            return
        size = [0]
        self.read_body(lambda d: size.__setitem__(0, size[0] + len(d)))
        if size[0] == 0 or size[0] > 2 * 1024 * 1024:
            self.error(400, "invalidImage", "The image is empty or too big")
            return
        with s.lock:
            v["thumbnail"] = True
        self.reply(200, {"kind": "youtube#thumbnailSetResponse",
                         "items": [{"default": {"url": "http://x/t.jpg",
                                                "width": 120,
                                                "height": 90}}]})

    def update(self, m):
        s = self.server
        with s.lock:
            if not self.api_checks("update"):
                return
            b = self.json_body() or {}
            v = self.yt()["videos"].get(b.get("id"))
            if v is None:
                self.error(404, "videoNotFound", "The video could not be "
                           "found")
                return
            if "status" in b:
                v["status"].update(b["status"])
            if "snippet" in b:
                v["snippet"].update(b["snippet"])
            if s.faults.take("create-drop") is not None:
                self.drop_connection()
            self.reply(200, self.resource(v))

    def videos_list(self, m):
        with self.server.lock:
            if not self.api_checks("read"):
                return
            ids = [i for i in self.query.get("id", "").split(",") if i]
            vs = self.yt()["videos"]
            for i in ids:           # processing takes --processing polls
                v = vs.get(i)
                if v and v["status"]["uploadStatus"] == "uploaded":
                    if v["polls"] > 0:
                        v["polls"] -= 1
                    else:
                        v["status"]["uploadStatus"] = "processed"
            items = [self.resource(vs[i]) for i in ids if i in vs]
        self.reply(200, {"kind": "youtube#videoListResponse",
                         "items": items})

    def channels(self, m):
        with self.server.lock:
            if not self.api_checks("read"):
                return
        self.reply(200, {"items": [{"id": "UCfake", "contentDetails": {
            "relatedPlaylists": {"uploads": "UUfake"}}}]})

    def playlist(self, m):
        with self.server.lock:
            if not self.api_checks("read"):
                return
            if self.query.get("playlistId") != "UUfake":
                self.error(404, "playlistNotFound", "no such playlist")
                return
            per = min(int(self.query.get("maxResults", "5")), 50)
            start = int(self.query.get("pageToken", "0") or 0)
            order = self.yt()["order"]
            page = order[start:start + per]
            body = {"items": [{"snippet": {"resourceId": {
                "kind": "youtube#video", "videoId": i},
                "title": self.yt()["videos"][i]["snippet"].get("title")}}
                for i in page]}
            if start + per < len(order):
                body["nextPageToken"] = str(start + per)
        self.reply(200, body)

    def fake_admin(self, what):
        if what == "drop-sessions" and self.command == "POST":
            with self.server.lock:
                self.yt()["sessions"].clear()
            self.reply(200, {"ok": True})
            return True
        return super().fake_admin(what)

    def state(self):
        y = self.yt()
        return {"videos": [dict((k, v) for k, v in y["videos"][i].items())
                           for i in reversed(y["order"])],
                "sessions": len(y["sessions"]),
                "quota_used": y["quota_used"]}


def more(ap):
    ap.add_argument("--quota", type=int, default=0,
                    help="quota units a day (0: no limit)")


if __name__ == "__main__":
    platformfake.main(YouTube, more)
