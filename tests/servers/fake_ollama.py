#!/usr/bin/env python3
"""fake_ollama.py - Ollama's native API (/api/chat, /api/tags) on
127.0.0.1, with faults.

    python3 fake_ollama.py --port-file FILE [--models a,b] [--log FILE]

Base URL http://127.0.0.1:PORT/s/SCENARIO (see llmfake.py).  /api/tags
lists --models (default llama3.2:latest); a chat for another model is a
404 "try pulling it first".  Streams (the default) are NDJSON, one
object a line, the last with done:true.  Scenarios:

  ok, fenced, prose, trailing-comma, invalid   the answer's text
  error-line   (streaming) an {"error": ...} line after some content;
               not streaming: 500 {"error": ...}
  length       done_reason "length"
  500          {"error": "..."} with status 500
  stall        (streaming) one line, then 30 s of silence
"""

import json

import llmfake


class Handler(llmfake.Base):
    server_version = "fake-ollama/1"
    models = ["llama3.2:latest"]

    def do_GET(self):
        name, rest = llmfake.scenario(self.path)
        self.note(None)
        if rest == "/api/tags":
            return self.send(200, {"models": [
                {"name": m, "model": m, "modified_at":
                 "2026-01-01T00:00:00Z", "size": 2019393189,
                 "digest": "a80c4f17acd5",
                 "details": {"format": "gguf", "family": "llama",
                             "parameter_size": "3.2B",
                             "quantization_level": "Q4_K_M"}}
                for m in self.models]})
        if rest == "/api/version":
            return self.send(200, {"version": "0.12.0"})
        self.send(404, {"error": "not found"})

    def do_POST(self):
        body = self.read_json()
        self.note(body)
        name, rest = llmfake.scenario(self.path)
        if rest != "/api/chat":
            return self.send(404, {"error": "not found"})
        model = body.get("model", "")
        if model not in self.models and model + ":latest" not in \
                self.models:
            return self.send(404, {"error": "model \"%s\" not found, try "
                                   "pulling it first" % model})
        fault = llmfake.fault_of(name)
        stream = body.get("stream", True) is not False
        prompt = json.dumps(body.get("messages", []))
        if fault == "500":
            return self.send(500, {"error": "llama runner process has "
                                   "terminated"})
        text = llmfake.answer_for(prompt, fault)
        reason = "length" if fault == "length" else "stop"
        if fault == "length":
            text = text[:len(text) // 2]

        def msg(content, done):
            m = {"model": model, "created_at": "2026-01-01T00:00:00Z",
                 "message": {"role": "assistant", "content": content},
                 "done": done}
            if done:
                m.update({"done_reason": reason, "total_duration": 1000,
                          "prompt_eval_count": 90, "eval_count": 400})
            return m

        if not stream:
            if fault == "error-line":
                return self.send(500, {"error": "an error was "
                                       "encountered while running the "
                                       "model"})
            if fault == "stall":
                return self.stall()
            return self.send(200, msg(text, True))
        self.start_stream("application/x-ndjson")
        for i, p in enumerate(llmfake.pieces(text)):
            self.chunk(json.dumps(msg(p, False), ensure_ascii=False)
                       .encode() + b"\n")
            if fault == "stall":
                return self.stall()
            if fault == "error-line" and i == 1:
                self.chunk(b'{"error":"an error was encountered while '
                           b'running the model"}\n')
                return self.end_stream()
        self.chunk(json.dumps(msg("", True)).encode() + b"\n")
        self.end_stream()


if __name__ == "__main__":
    llmfake.serve(Handler, "fake Ollama server")
