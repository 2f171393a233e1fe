#!/usr/bin/env python3
"""fake_instagram.py - the Instagram Graph API's Reels publishing, on
metagraph.py (../../shared/reference/platforms.md §3, checklist §3.5).

    python3 tests/servers/fake_instagram.py --port-file F --token T
        [--log L] [--quota N] [--processing N] [--fault NAME[=ARG][*N]]...

What it speaks (IG_USER is any id; the version any vNN.N):

    POST /vNN/IG_USER/media   media_type=REELS&upload_type=resumable&
         caption=...: {"id": CONTAINER, "uri": BASE/ig-api-upload/vNN/
         CONTAINER}; with video_url=URL instead (the hosted variant) the
         container is made as if Meta had fetched the file
    POST /ig-api-upload/vNN/CONTAINER   rupload: offset, file_size and
         the bytes; GET there says {"id", "offset": N}
    GET  /vNN/CONTAINER?fields=status_code,status   IN_PROGRESS until the
         bytes are in and --processing (or processing=N) polls more,
         then FINISHED; PUBLISHED once published; EXPIRED or ERROR as
         the faults say
    POST /vNN/IG_USER/media_publish   creation_id=CONTAINER: {"id":
         MEDIA}; 400 9007/2207027 unless FINISHED; a second publish of
         one container is refused; past --quota posts, 9/2207042
    GET  /vNN/MEDIA?fields=permalink,...   the media
    GET  /vNN/IG_USER/media?fields=id,caption,permalink&limit=N&after=C
         the account's media, newest first
    GET  /vNN/IG_USER/content_publishing_limit   quota_usage and config

Faults besides metagraph's: expire-container (the next status poll says
EXPIRED), container-error (ERROR), not-ready (media_publish answers
9007/2207027 although the container is FINISHED, as Meta does while it
settles), permalink-5xx (the permalink read fails).  GET /_fake/state:
{"media": [...], "containers": N, "published": N}; a media carries its
caption and its bytes' sha256.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import metagraph  # noqa: E402
from metagraph import V  # noqa: E402


class Instagram(metagraph.Graph):
    name = "fake_instagram"
    buc_code = 80002
    buc_type = "instagram"
    routes = [
        ("POST", V + r"/([0-9A-Za-z_]+)/media", "create"),
        ("POST", V + r"/([0-9A-Za-z_]+)/media_publish", "publish"),
        ("GET", V + r"/([0-9A-Za-z_]+)/media", "list_media"),
        ("GET", V + r"/([0-9A-Za-z_]+)/content_publishing_limit", "limit"),
        ("POST", r"/ig-api-upload" + V + r"/([0-9]+)", "rupload_post"),
        ("GET", r"/ig-api-upload" + V + r"/([0-9]+)", "rupload_get"),
        ("GET", V + r"/([0-9A-Za-z_]+)", "node"),
    ]

    def ig(self):
        g = self.g()
        if "containers" not in g:
            g["containers"] = {}
            g["media"] = []         # newest first
        return g

    def create(self, m):
        s = self.server
        with s.lock:
            if not self.api_checks():
                return
            p = self.params()
            if p.get("media_type") != "REELS":
                self.graph_error(400, 100, "(#100) The parameter "
                                 "media_type must be REELS for video")
                return
            cap = p.get("caption", "")
            if len(cap) > 2200:
                self.graph_error(400, 100, "(#100) The caption is too long",
                                 2207004)
                return
            resumable = p.get("upload_type") == "resumable"
            if not resumable and not p.get("video_url"):
                self.graph_error(400, 100, "(#100) video_url or "
                                 "upload_type=resumable is required")
                return
            cid = metagraph.new_id()
            polls = s.processing
            f = s.faults.take("processing")
            if f is not None:
                polls = int(f or 1)
            self.ig()["containers"][cid] = {
                "id": cid, "user": m.group(1), "caption": cap,
                "share_to_feed": p.get("share_to_feed"),
                "thumb_offset": p.get("thumb_offset"),
                "status_code": "IN_PROGRESS", "polls": polls,
                "media": None, "created": time.time(),
                "hosted": not resumable}
            body = {"id": cid}
            if resumable:
                self.new_session(cid, -1, "offset", cid)
                body["uri"] = "%s/ig-api-upload/%s/%s" % (
                    s.base, self.url.path.split("/")[1], cid)
        self.reply(200, body)

    def rupload_post(self, m):
        cid = m.group(1)
        with self.server.lock:
            sess = self.g()["sessions"].get(cid)
            if sess is not None and sess["total"] < 0:
                try:
                    sess["total"] = int(self.headers.get("file_size"))
                except (TypeError, ValueError):
                    pass
        self.session_post(cid)

    def rupload_get(self, m):
        self.session_get(m.group(1))

    def container_status(self, c):
        """Advance a container by one poll."""
        s = self.server
        if c["status_code"] != "IN_PROGRESS":
            return
        sess = self.g()["sessions"].get(c["id"])
        if not c["hosted"] and (sess is None or not sess["done"]):
            return
        if s.faults.take("expire-container") is not None:
            c["status_code"] = "EXPIRED"
        elif s.faults.take("container-error") is not None:
            c["status_code"] = "ERROR"
            c["status"] = "Error: 2207026: the video format is not " \
                "supported"
        elif c["polls"] > 0:
            c["polls"] -= 1
        else:
            c["status_code"] = "FINISHED"

    def node(self, m):
        oid = m.group(1)
        s = self.server
        with s.lock:
            if not self.api_checks():
                return
            g = self.ig()
            c = g["containers"].get(oid)
            if c is not None:
                self.container_status(c)
                body = {"id": oid, "status_code": c["status_code"]}
                if c.get("status"):
                    body["status"] = c["status"]
                self.reply(200, body)
                return
            for md in g["media"]:
                if md["id"] == oid:
                    if "permalink" in self.query.get("fields", "") and \
                            self.fault_5xx("permalink-5xx"):
                        return
                    self.reply(200, self.media_view(md))
                    return
        self.missing(oid)

    def media_view(self, md):
        return {k: md[k] for k in ("id", "caption", "permalink",
                                   "timestamp", "media_type",
                                   "media_product_type")}

    def publish(self, m):
        s = self.server
        with s.lock:
            if not self.api_checks():
                return
            p = self.params()
            g = self.ig()
            c = g["containers"].get(p.get("creation_id", ""))
            if c is None:
                self.missing(p.get("creation_id", ""))
                return
            if c["status_code"] == "PUBLISHED":
                self.graph_error(400, 100, "(#100) The media has already "
                                 "been published", 2207008)
                return
            if c["status_code"] != "FINISHED" or \
                    s.faults.take("not-ready") is not None:
                self.graph_error(400, 9007, "Media ID is not available",
                                 2207027)
                return
            q = s.args.quota
            day = [x for x in g["media"] if x["created"] > time.time() -
                   86400]
            if q and len(day) >= q:
                self.graph_error(400, 9, "Application request limit "
                                 "reached", 2207042, "OAuthException")
                return
            mid = metagraph.new_id()
            sess = g["sessions"].get(c["id"])
            md = {"id": mid, "caption": c["caption"],
                  "permalink": "https://www.instagram.com/reel/C%s/" %
                  mid[-10:], "timestamp": time.strftime(
                      "%Y-%m-%dT%H:%M:%S+0000", time.gmtime()),
                  "media_type": "VIDEO", "media_product_type": "REELS",
                  "container": c["id"], "user": m.group(1),
                  "share_to_feed": c["share_to_feed"],
                  "thumb_offset": c["thumb_offset"],
                  "sha256": sess.get("sha256") if sess else None,
                  "bytes": len(sess["data"]) if sess else 0,
                  "created": time.time()}
            g["media"].insert(0, md)
            c["status_code"] = "PUBLISHED"
            c["media"] = mid
            if s.faults.take("create-drop") is not None:
                self.drop_connection()
        self.reply(200, {"id": mid})

    def list_media(self, m):
        with self.server.lock:
            if not self.api_checks():
                return
            items = [self.media_view(x) for x in self.ig()["media"]
                     if x["user"] == m.group(1)]
            body = self.page_of(items, self.query.get("fields", "id"))
        self.reply(200, body)

    def limit(self, m):
        with self.server.lock:
            if not self.api_checks():
                return
            used = sum(1 for x in self.ig()["media"]
                       if x["created"] > time.time() - 86400)
        self.reply(200, {"data": [{"quota_usage": used, "config": {
            "quota_total": self.server.args.quota or 100,
            "quota_duration": 86400}}]})

    def state(self):
        g = self.ig()
        return {"media": [{k: v for k, v in x.items()}
                          for x in reversed(g["media"])],
                "containers": len(g["containers"]),
                "published": len(g["media"])}


def more(ap):
    ap.add_argument("--quota", type=int, default=0,
                    help="posts per 24 h (0: no limit)")


if __name__ == "__main__":
    metagraph.main(Instagram, more)
