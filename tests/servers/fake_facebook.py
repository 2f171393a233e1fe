#!/usr/bin/env python3
"""fake_facebook.py - a Facebook Page's video and Reels publishing, on
metagraph.py (../../shared/reference/platforms.md §4).

    python3 tests/servers/fake_facebook.py --port-file F --token T
        [--log L] [--processing N] [--fault NAME[=ARG][*N]]...

What it speaks (any APP and PAGE id; the version any vNN.N; the
graph-video host is the same server):

    POST /vNN/APP/uploads   file_name, file_length, file_type=video/mp4:
         {"id": "upload:SESSION"}
    POST /vNN/upload:SESSION   Authorization: OAuth T, file_offset: N and
         the bytes: {"h": HANDLE} once complete; GET there says
         {"id", "file_offset": N}; an unknown session is 400 100/33
    POST /vNN/PAGE/videos   title, description, fbuploader_video_file_chunk
         =HANDLE: {"id": VIDEO}
    POST /vNN/PAGE/video_reels   upload_phase=start: {"video_id",
         "upload_url": BASE/video-upload/vNN/VIDEO}; upload_phase=finish
         &video_id&video_state=PUBLISHED&description: {"success": true}
         (400 unless every byte is in; a second finish is refused)
    POST /video-upload/vNN/VIDEO   rupload: offset, file_size, the bytes
    GET  /vNN/VIDEO?fields=status,permalink_url   video_status uploading,
         upload_complete, then processing for --processing (or
         processing=N) polls after publishing, then ready;
         uploading_phase.bytes_transferred
    GET  /vNN/PAGE/videos, /vNN/PAGE/video_reels ?fields&limit&after
         the Page's published videos or Reels, newest first

Faults besides metagraph's: video-error (the next video fails its
processing).  GET /_fake/state: {"videos": [...]}, each with its kind
(video or reel), title, description, published flag and sha256.
"""

import os
import secrets
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import metagraph  # noqa: E402
from metagraph import V  # noqa: E402


class Facebook(metagraph.Graph):
    name = "fake_facebook"
    buc_code = 32
    buc_type = "pages"
    routes = [
        ("POST", V + r"/([0-9A-Za-z_]+)/uploads", "start_session"),
        ("POST", V + r"/upload:([0-9A-Za-z_-]+)", "upload_post"),
        ("GET", V + r"/upload:([0-9A-Za-z_-]+)", "upload_get"),
        ("POST", V + r"/([0-9A-Za-z_]+)/videos", "page_video"),
        ("POST", V + r"/([0-9A-Za-z_]+)/video_reels", "reels"),
        ("GET", V + r"/([0-9A-Za-z_]+)/(videos|video_reels)", "list_videos"),
        ("POST", r"/video-upload" + V + r"/([0-9]+)", "rupload_post"),
        ("GET", r"/video-upload" + V + r"/([0-9]+)", "rupload_get"),
        ("GET", V + r"/([0-9A-Za-z_]+)", "node"),
    ]

    def fb(self):
        g = self.g()
        if "videos" not in g:
            g["videos"] = {}
            g["order"] = []         # published, newest first
            g["handles"] = {}       # handle -> session id
        return g

    # -- Page video: the Resumable Upload API -------------------------

    def start_session(self, m):
        s = self.server
        with s.lock:
            if not self.api_checks():
                return
            p = self.params()
            try:
                total = int(p.get("file_length"))
            except (TypeError, ValueError):
                total = 0
            if total <= 0 or p.get("file_type") != "video/mp4":
                self.graph_error(400, 100, "(#100) file_length and "
                                 "file_type are required")
                return
            sid = secrets.token_urlsafe(12).replace("-", "x")
            self.fb()
            self.new_session("upload:" + sid, total, "file_offset",
                             p.get("file_name"))
        self.reply(200, {"id": "upload:" + sid})

    def done_answer(self, sid, sess):
        if not sid.startswith("upload:"):
            return {"success": True, "message": "Upload successful."}
        h = sess.get("handle")
        if h is None:
            h = sess["handle"] = "4:" + secrets.token_urlsafe(16)
            self.fb()["handles"][h] = sid
        return {"h": h}

    def upload_post(self, m):
        self.session_post("upload:" + m.group(1))

    def upload_get(self, m):
        sid = "upload:" + m.group(1)
        with self.server.lock:
            if sid not in self.g()["sessions"]:
                self.missing(sid)
                return
        self.session_get(sid)

    def new_video(self, kind, page, title, desc, sess):
        s = self.server
        polls = s.processing
        f = s.faults.take("processing")
        if f is not None:
            polls = int(f or 1)
        vid = metagraph.new_id()
        v = {"id": vid, "kind": kind, "page": page, "title": title,
             "description": desc, "published": False, "polls": polls,
             "error": s.faults.take("video-error") is not None,
             "sha256": sess.get("sha256"), "bytes": len(sess["data"]),
             "created_time": time.strftime("%Y-%m-%dT%H:%M:%S+0000",
                                           time.gmtime()),
             "permalink_url": "/reel/%s/" % vid if kind == "reel" else
             "/%s/videos/%s/" % (page, vid)}
        self.fb()["videos"][vid] = v
        return v

    def page_video(self, m):
        s = self.server
        with s.lock:
            if not self.api_checks():
                return
            p = self.params()
            g = self.fb()
            sid = g["handles"].get(p.get("fbuploader_video_file_chunk", ""))
            sess = g["sessions"].get(sid) if sid else None
            if sess is None or not sess["done"]:
                self.graph_error(400, 100, "(#100) Invalid file handle",
                                 1363030)
                return
            v = self.new_video("video", m.group(1), p.get("title", ""),
                               p.get("description", ""), sess)
            v["published"] = p.get("published", "true") != "false"
            g["order"].insert(0, v["id"])
            if s.faults.take("create-drop") is not None:
                self.drop_connection()
        self.reply(200, {"id": v["id"]})

    # -- Page Reels ---------------------------------------------------

    def reels(self, m):
        s = self.server
        with s.lock:
            if not self.api_checks():
                return
            p = self.params()
            g = self.fb()
            phase = p.get("upload_phase")
            if phase == "start":
                v = self.new_video("reel", m.group(1), "", "",
                                   {"data": b""})
                v["sha256"] = None
                self.new_session(v["id"], -1, "offset", v["id"])
                body = {"video_id": v["id"], "upload_url":
                        "%s/video-upload/%s/%s" % (
                            s.base, self.url.path.split("/")[1], v["id"])}
            elif phase == "finish":
                v = g["videos"].get(p.get("video_id", ""))
                sess = g["sessions"].get(p.get("video_id", ""))
                if v is None or v["kind"] != "reel":
                    self.missing(p.get("video_id", ""))
                    return
                if v["published"]:
                    self.graph_error(400, 100, "(#100) The video has "
                                     "already been published")
                    return
                if sess is None or not sess["done"]:
                    self.graph_error(400, 6000, "There was a problem "
                                     "uploading your video file: the "
                                     "upload is not complete", 1363019)
                    return
                if p.get("video_state") != "PUBLISHED":
                    self.graph_error(400, 100, "(#100) video_state must "
                                     "be PUBLISHED here")
                    return
                v.update(description=p.get("description", ""),
                         title=p.get("title", ""), published=True,
                         sha256=sess["sha256"], bytes=len(sess["data"]))
                g["order"].insert(0, v["id"])
                if s.faults.take("create-drop") is not None:
                    self.drop_connection()
                body = {"success": True}
            else:
                self.graph_error(400, 100, "(#100) upload_phase must be "
                                 "start or finish")
                return
        self.reply(200, body)

    def rupload_post(self, m):
        vid = m.group(1)
        with self.server.lock:
            sess = self.g()["sessions"].get(vid)
            if sess is not None and sess["total"] < 0:
                try:
                    sess["total"] = int(self.headers.get("file_size"))
                except (TypeError, ValueError):
                    pass
        self.session_post(vid)

    def rupload_get(self, m):
        self.session_get(m.group(1))

    # -- reads --------------------------------------------------------

    def status_of(self, v):
        g = self.g()
        sess = g["sessions"].get(v["id"])
        if v["kind"] == "reel" and not v["published"]:
            got = len(sess["data"]) if sess else 0
            done = bool(sess and sess["done"])
            return {"video_status": "upload_complete" if done else
                    "uploading",
                    "uploading_phase": {"status": "complete" if done else
                                        "in_progress",
                                        "bytes_transferred": got},
                    "processing_phase": {"status": "not_started"},
                    "publishing_phase": {"status": "not_started"}}
        if v["polls"] > 0:
            v["polls"] -= 1
            vs, ps = "processing", "in_progress"
        elif v["error"]:
            vs, ps = "error", "error"
        else:
            vs, ps = "ready", "complete"
        st = {"video_status": vs,
              "uploading_phase": {"status": "complete",
                                  "bytes_transferred": v["bytes"]},
              "processing_phase": {"status": ps},
              "publishing_phase": {"status": "complete" if vs == "ready"
                                   else "not_started"}}
        if vs == "error":
            st["processing_phase"]["error"] = "the video could not be " \
                "processed (fake)"
        return st

    def node(self, m):
        oid = m.group(1)
        with self.server.lock:
            if not self.api_checks():
                return
            v = self.fb()["videos"].get(oid)
            if v is None:
                self.missing(oid)
                return
            body = {"id": oid, "status": self.status_of(v),
                    "permalink_url": v["permalink_url"],
                    "created_time": v["created_time"]}
        self.reply(200, body)

    def list_videos(self, m):
        with self.server.lock:
            if not self.api_checks():
                return
            g = self.fb()
            kind = "reel" if m.group(2) == "video_reels" else "video"
            items = [g["videos"][i] for i in g["order"]
                     if g["videos"][i]["page"] == m.group(1) and
                     g["videos"][i]["kind"] == kind]
            body = self.page_of(items, self.query.get("fields", "id"))
        self.reply(200, body)

    def state(self):
        g = self.fb()
        return {"videos": [dict(g["videos"][i]) for i in reversed(
            g["order"])],
            "unpublished": sum(1 for v in g["videos"].values()
                               if not v["published"])}


if __name__ == "__main__":
    metagraph.main(Facebook)
