#!/usr/bin/env python3
"""fake_webhook.py - a webhook receiver that checks what agency-upload sends.

    python3 tests/servers/fake_webhook.py --port-file F --secret S [--log L]

POST /hook: the body must be signed, X-Signature-256: sha256=HEX of
HMAC-SHA256(secret, raw body) (401 otherwise), and carry
X-Agency-Delivery.  A multipart/form-data body must hold the parts
"document" (JSON) and "video" (the file); a JSON body is the document.
Each delivery id is stored once: a second delivery with the same id
answers 200 with "duplicate": true and stores nothing (what a receiver
should do with agency-upload's redeliveries).  Faults (platformfake):
create-drop stores the delivery and drops the connection; 5xx.

GET /_fake/state: {"deliveries": [{"id", "document", "video_sha256",
"video_bytes", "content_type"}], "duplicates": N}.
"""

import hashlib
import hmac
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import platformfake  # noqa: E402


def parts(body, boundary):
    """The parts of a multipart/form-data body: {name: (headers, data)}."""
    out = {}
    delim = b"--" + boundary.encode()
    for chunk in body.split(delim)[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk[2:].partition(b"\r\n\r\n")
        data = data[:-2] if data.endswith(b"\r\n") else data
        name = None
        for line in head.decode().split("\r\n"):
            if line.lower().startswith("content-disposition:"):
                for item in line.split(";"):
                    item = item.strip()
                    if item.startswith("name="):
                        name = item[5:].strip('"')
        out[name] = (head, data)
    return out


class Webhook(platformfake.Handler):
    name = "fake_webhook"
    routes = [("POST", r"/hook", "hook")]

    def error_body(self, code, reason, message):
        return {"error": message}

    def hook(self, m):
        s = self.server
        body = self.body()
        sig = self.headers.get("X-Signature-256", "")
        want = "sha256=" + hmac.new(s.args.secret.encode(), body,
                                    hashlib.sha256).hexdigest()
        if not hmac.compare_digest(sig, want):
            self.error(401, "signature", "bad signature")
            return
        if self.fault_5xx():
            return
        did = self.headers.get("X-Agency-Delivery")
        ctype = self.headers.get("Content-Type", "")
        if ctype.startswith("multipart/form-data"):
            b = ctype.split("boundary=", 1)[1]
            p = parts(body, b)
            if "document" not in p or "video" not in p:
                self.error(400, "parts", "document and video parts needed")
                return
            doc = json.loads(p["document"][1])
            video = p["video"][1]
        else:
            doc = json.loads(body)
            video = None
        with s.lock:
            if not hasattr(s, "deliveries"):
                s.deliveries, s.duplicates = {}, 0
            if did in s.deliveries:
                s.duplicates += 1
                self.reply(200, {"id": did, "duplicate": True})
                return
            s.deliveries[did] = {
                "id": did, "document": doc, "content_type": ctype,
                "video_sha256": hashlib.sha256(video).hexdigest()
                if video is not None else None,
                "video_bytes": len(video) if video is not None else None}
            if s.faults.take("create-drop") is not None:
                self.drop_connection()
        self.reply(200, {"id": did, "url": "%s/d/%s" % (s.base, did)})

    def state(self):
        s = self.server
        return {"deliveries": list(getattr(s, "deliveries", {}).values()),
                "duplicates": getattr(s, "duplicates", 0)}


def more(ap):
    ap.add_argument("--secret", required=True)


if __name__ == "__main__":
    platformfake.main(Webhook, more)
