#!/usr/bin/env python3
"""metagraph.py - what the Meta fakes share (fake_instagram.py,
fake_facebook.py), on platformfake.py.

The Graph API conventions (../../shared/reference/platforms.md §3.4,
§4.4, §10.3):

    /vNN.N/...          every Graph path starts with the version
    tokens              "Authorization: Bearer T" or "OAuth T", or an
                        access_token parameter; the tokens are
                        platformfake's --token ones (long-lived: Meta
                        has no refresh grant for them)
    errors              HTTP 400 (500 for a passing failure) and
                        {"error": {"message", "type", "code",
                        "error_subcode", "is_transient", "fbtrace_id"}}
    190                 a token that is unknown or expired (subcode 463)

Resumable uploads, rupload style: a session (self.new_session()) takes

    POST PATH           Authorization: OAuth T, OFFSET-HEADER: N,
                        file_size: TOTAL, the bytes from N to the end;
                        N may be at most what the session holds (it
                        then keeps bytes up to N and appends); the
                        complete answer is the subclass's done_answer()
    GET  PATH           where it stands: {"id", OFFSET-HEADER: N}

Faults (platformfake's names where they fit):

    429[=MINUTES]       Graph code 4 (the app's limit), X-App-Usage at
                        100 %, and with MINUTES an
                        X-Business-Use-Case-Usage estimated_time_to_
                        regain_access
    buc=MINUTES         the business-use-case throttle (self.buc_code:
                        80002 Instagram, 32 Pages) with that estimate
    5xx[=CODE]          code 2, is_transient, HTTP CODE (default 500)
    expire-token        the token presented dies now: 190/463
    drop=BYTES|random   an upload body cut (the bytes read are kept)
    partial=BYTES       an upload keeps only BYTES of its body and says
                        so: 400, debug_info.retriable
    finalize-5xx        the last byte of an upload arrives, the answer
                        is a 500
    create-drop         the post is made, the connection dropped
    processing=N        the next media takes N status polls to be ready
"""

import hashlib
import json
import os
import secrets
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import platformfake  # noqa: E402

V = r"/v[0-9]+\.[0-9]+"


def new_id():
    return str(17000000000000000 + secrets.randbelow(10 ** 15))


class Graph(platformfake.Handler):
    name = "metagraph"
    buc_code = 80002
    buc_type = "instagram"

    # -- state ------------------------------------------------------

    def g(self):
        s = self.server
        if not hasattr(s, "g"):
            s.g = {"sessions": {}, "objects": {}, "order": []}
        return s.g

    # -- errors -----------------------------------------------------

    def graph_error(self, http, code, message, subcode=None,
                    etype="OAuthException", transient=False, headers=()):
        e = {"message": message, "type": etype, "code": code,
             "is_transient": transient,
             "fbtrace_id": "A" + secrets.token_urlsafe(9)}
        if subcode is not None:
            e["error_subcode"] = subcode
        self.reply(http, {"error": e}, headers=headers)

    def error_body(self, code, reason, message):
        return {"error": {"message": message, "type": "GraphMethodException",
                          "code": 100, "fbtrace_id": "Afake"}}

    def missing(self, oid):
        self.graph_error(400, 100, "Unsupported get request. Object with "
                         "ID '%s' does not exist, cannot be loaded due to "
                         "missing permissions, or does not support this "
                         "operation" % oid, 33, "GraphMethodException")

    # -- requests ---------------------------------------------------

    def params(self):
        """Query and form parameters together (Graph takes either)."""
        p = dict(self.query)
        ctype = self.headers.get("Content-Type", "")
        if ctype.startswith("application/x-www-form-urlencoded"):
            p.update(self.form())
        return p

    def token(self):
        auth = self.headers.get("Authorization", "")
        for scheme in ("Bearer ", "OAuth "):
            if auth.startswith(scheme):
                return auth[len(scheme):]
        return self.query.get("access_token")

    def require_token(self):
        """True for a live token; else a 190 was sent."""
        s = self.server
        tok = self.token()
        with s.lock:
            exp = s.access.get(tok)
            if exp is not None and s.faults.take("expire-token") is not None:
                s.access[tok] = exp = 0
        if exp is None:
            self.graph_error(400, 190, "Invalid OAuth access token - Cannot "
                             "parse access token")
            return False
        if exp < time.time():
            self.graph_error(400, 190, "Error validating access token: "
                             "Session has expired.", 463)
            return False
        return True

    def rate_limited(self):
        f = self.server.faults
        v = f.take("429")
        if v is not None:
            hdr = [("X-App-Usage", json.dumps({
                "call_count": 100, "total_cputime": 12, "total_time": 31}))]
            if v:
                hdr.append(self.buc_header(int(v)))
            self.graph_error(400, 4, "(#4) Application request limit "
                             "reached", headers=hdr)
            return True
        v = f.take("buc")
        if v is not None:
            self.graph_error(400, self.buc_code, "(#%d) There have been too "
                             "many calls from this account. Wait a bit and "
                             "try again." % self.buc_code,
                             headers=[self.buc_header(int(v or 0))])
            return True
        return False

    def buc_header(self, minutes):
        return ("X-Business-Use-Case-Usage", json.dumps({
            "1784100": [{"type": self.buc_type, "call_count": 100,
                         "total_cputime": 25, "total_time": 100,
                         "estimated_time_to_regain_access": minutes}]}))

    def fault_5xx(self, name="5xx"):
        v = self.server.faults.take(name)
        if v is None:
            return False
        self.graph_error(int(v or 500), 2, "An unexpected error has "
                         "occurred. Please retry your request later.",
                         transient=True)
        return True

    def api_checks(self):
        """Token, rate limits and 5xx: False when an answer was sent."""
        if not self.require_token():
            return False
        return not (self.rate_limited() or self.fault_5xx())

    # -- resumable uploads ------------------------------------------

    def new_session(self, sid, total, header, owner):
        self.g()["sessions"][sid] = {"total": total, "data": bytearray(),
                                     "header": header, "owner": owner,
                                     "done": False}

    def session_get(self, sid):
        with self.server.lock:
            sess = self.g()["sessions"].get(sid)
            if sess is None:
                self.gone(sid)
                return
            if not self.require_token():
                return
            self.reply(200, {"id": sid, sess["header"]: len(sess["data"])})

    def gone(self, sid):
        self.reply(404, {"debug_info": {"retriable": False,
                                        "type": "NotFoundError",
                                        "message": "no upload session "
                                        "%s" % sid}})

    def session_post(self, sid):
        s = self.server
        with s.lock:
            sess = self.g()["sessions"].get(sid)
        if sess is None:
            self.body()
            self.gone(sid)
            return
        if not self.require_token() or self.rate_limited():
            return
        try:
            off = int(self.headers.get(sess["header"]))
            size = int(self.headers.get("file_size") or sess["total"])
        except (TypeError, ValueError):
            self.body()
            self.reply(400, {"debug_info": {
                "retriable": False, "type": "BadRequest",
                "message": "the %s header is required" % sess["header"]}})
            return
        if off > len(sess["data"]) or size != sess["total"]:
            self.body()
            self.reply(400, {"debug_info": {
                "retriable": False, "type": "OffsetInvalidError",
                "message": "offset %d, but the server has %d bytes" % (
                    off, len(sess["data"]))}})
            return
        keep = None
        p = s.faults.take("partial")
        if p is not None:
            keep = int(p or 1000)
        with s.lock:
            del sess["data"][off:]

        def sink(data):
            sess["data"].extend(data)

        n = int(self.headers.get("Content-Length") or 0)
        self.read_body(sink, keep=keep, drop=True)
        with s.lock:
            if len(sess["data"]) > sess["total"]:
                del sess["data"][sess["total"]:]
            if len(sess["data"]) < sess["total"]:
                if keep is not None and keep < n:
                    self.reply(400, {"debug_info": {
                        "retriable": True, "type": "PartialRequestError",
                        "message": "Partial request (did not match length "
                        "of file)"}})
                else:
                    self.reply(200, {"success": False, "message":
                                     "Upload incomplete"})
                return
            sess["done"] = True
            sess["sha256"] = hashlib.sha256(sess["data"]).hexdigest()
            if s.faults.take("finalize-5xx") is not None:
                self.graph_error(500, 2, "finalize failed (fake)",
                                 transient=True)
                return
            self.reply(200, self.done_answer(sid, sess))

    def done_answer(self, sid, sess):
        return {"success": True, "message": "Upload successful."}

    # -- lists ------------------------------------------------------

    def page_of(self, items, fields):
        """A Graph list page of items (newest first), cursor paging."""
        limit = min(int(self.query.get("limit", "25") or 25), 100)
        start = int(self.query.get("after", "0") or 0)
        want = [f for f in fields.split(",") if f]
        page = items[start:start + limit]
        body = {"data": [{k: v for k, v in it.items()
                          if k in want or k == "id"} for it in page]}
        if page:
            body["paging"] = {"cursors": {"before": str(start),
                                          "after": str(start + len(page))}}
            if start + limit < len(items):
                body["paging"]["next"] = "%s%s?after=%d" % (
                    self.server.base, self.url.path, start + len(page))
        return body

    def fake_admin(self, what):
        if what == "drop-sessions" and self.command == "POST":
            with self.server.lock:
                self.g()["sessions"].clear()
            self.reply(200, {"ok": True})
            return True
        return super().fake_admin(what)


def main(handler, more=None):
    platformfake.main(handler, more)
