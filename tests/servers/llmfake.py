#!/usr/bin/env python3
"""llmfake.py - what the fake LLM servers share (Python 3 standard library).

fake_gemini.py, fake_openai.py and fake_ollama.py each run one of these
servers on 127.0.0.1 with an ephemeral port (written to --port-file, as
httpfault.py does).  They speak the providers' real wire formats
(../../shared/reference/llm.md) and inject faults chosen by the URL: a
base URL of

    http://127.0.0.1:PORT/s/SCENARIO

selects SCENARIO for every request under it ("ok" without /s/).  A
scenario "NAME*N" injects the fault NAME into the first N requests only
and answers normally after that, so "fail twice, then succeed" holds
across a client's retries.  --log FILE appends one JSON line per request
(path, headers, body) for the tests to inspect.

Every answer is the same short script (or, when the prompt asks for
ideas, a list of ideas), with non-ASCII text so that streams split
multi-byte characters across writes.
"""

import argparse
import http.server
import json
import os
import re
import socket
import struct
import sys
import threading
import time

counts = {}
lock = threading.Lock()

SCRIPT = {
    "title": "Cold brew in 30 seconds \u2014 no fancy gear",
    "hook": "Your coffee is bitter because it is hot.",
    "scenes": [
        {"narration": "Your coffee is bitter because it is hot. "
                      "Cold water pulls out the sweet part and leaves "
                      "the acid behind.",
         "on_screen": "Cold = sweet",
         "visual": {"hint": "ice cubes falling into a glass of coffee",
                    "query": "iced coffee glass"},
         "duration_hint": 8},
        {"narration": "Grind coarse, like sea salt. One part coffee to "
                      "eight parts water, in a jar.",
         "on_screen": "1 : 8, coarse",
         "visual": {"hint": "coarse grounds poured into a mason jar "
                            "{not a French press}",
                    "query": "coffee grounds jar"},
         "duration_hint": 9},
        {"narration": "Twelve hours in the fridge, strain it, and "
                      "cut it with milk. Cr\u00e8me fra\u00eeche "
                      "optional.",
         "on_screen": "12 h \u2192 strain \u2192 enjoy",
         "visual": {"hint": "coffee strained through a cloth",
                    "query": "cold brew strain"},
         "duration_hint": 9},
    ],
    "hashtags": ["#coldbrew", "#coffee", "#homebarista"],
    "captions": {
        "youtube": {"title": "Cold brew in 30 seconds",
                    "description": "Sweeter coffee with no gear.",
                    "tags": ["coldbrew", "coffee"]},
        "tiktok": {"title": "Cold brew, no gear",
                   "description": "Sweeter coffee \u2615 #coldbrew",
                   "tags": ["coldbrew"]},
        "instagram": {"title": "Cold brew",
                      "description": "Save this for tomorrow.",
                      "tags": ["coffee"]},
    },
}

INVALID = {
    "title": "Cold brew",
    "scenes": [{"on_screen": "no narration here", "duration_hint": 5}],
}


def ideas(n):
    plats = ["tiktok", "youtube", "instagram"]
    return {"ideas": [{"topic": "Coffee idea %d" % (i + 1),
                       "angle": "a quick demo, number %d" % (i + 1),
                       "platform": plats[i % 3],
                       "hook": "Idea %d in one line." % (i + 1)}
                      for i in range(n)]}


def answer_for(prompt_text, fault):
    """The model's text for a request whose prompt is prompt_text."""
    m = re.search(r"Suggest (\d+) video ideas", prompt_text)
    obj = ideas(int(m.group(1))) if m else SCRIPT
    if fault == "invalid":
        obj = INVALID
    text = json.dumps(obj, ensure_ascii=False)
    if fault == "fenced":
        return "```json\n" + json.dumps(obj, ensure_ascii=False,
                                        indent=2) + "\n```"
    if fault == "prose":
        return ("Sure! Here is the script you asked for {as JSON}:\n\n" +
                text + "\n\nLet me know if you want changes!")
    if fault == "trailing-comma":
        return text[:-1] + ",}"
    return text


def scenario(path):
    """(scenario, rest of the path) from /s/SCENARIO/..."""
    parts = path.split("/")
    if len(parts) > 2 and parts[1] == "s":
        return parts[2], "/" + "/".join(parts[3:])
    return "ok", path


def fault_of(name):
    """The fault to inject now for scenario name ("ok" when spent)."""
    base, _, n = name.partition("*")
    with lock:
        counts[name] = counts.get(name, 0) + 1
        seen = counts[name]
    if n and seen > int(n):
        return "ok"
    return base


class Base(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "llmfake/1"
    disable_nagle_algorithm = True
    key = None
    logfile = None

    def log_request(self, code="-", size="-"):
        pass

    def log_message(self, fmt, *args):
        sys.stderr.write("%s: %s\n" % (self.server_version, fmt % args))

    def read_json(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            return {"_raw": raw.decode("utf-8", "replace")}

    def note(self, body):
        if self.logfile is None:
            return
        rec = {"method": self.command, "path": self.path,
               "headers": {k.lower(): v for k, v in self.headers.items()},
               "body": body}
        with lock, open(self.logfile, "a") as f:
            f.write(json.dumps(rec) + "\n")

    def send(self, code, obj, headers=(), ctype="application/json"):
        body = obj if isinstance(obj, bytes) else \
            (json.dumps(obj) + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def start_stream(self, ctype):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()

    def chunk(self, data, piece=5):
        """Send bytes in small writes, splitting UTF-8 sequences."""
        for i in range(0, len(data), piece):
            part = data[i:i + piece]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.flush()

    def end_stream(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def reset(self):
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
        self.connection.close()

    def stall(self):
        time.sleep(30)
        self.close_connection = True


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def pieces(text, n=4):
    """Split text into about n pieces (the increments of a stream)."""
    size = max(1, len(text) // n)
    return [text[i:i + size] for i in range(0, len(text), size)]


def serve(handler, description):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--lifetime", type=float, default=300)
    ap.add_argument("--key", default=None,
                    help="the API key to expect (none: any or none)")
    ap.add_argument("--log", default=None, help="append requests here")
    ap.add_argument("--models", default="llama3.2:latest",
                    help="ollama: models /api/tags lists")
    args = ap.parse_args()
    handler.key = args.key
    handler.logfile = args.log
    handler.models = args.models.split(",")
    srv = Server(("127.0.0.1", 0), handler)
    port = srv.server_address[1]
    tmp = "%s.tmp.%d" % (args.port_file, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, args.port_file)
    parent = os.getppid()

    def watchdog():
        end = time.monotonic() + args.lifetime
        while time.monotonic() < end and os.getppid() == parent:
            time.sleep(0.2)
        os._exit(0)

    threading.Thread(target=watchdog, daemon=True).start()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
