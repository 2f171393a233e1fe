#!/usr/bin/env python3
"""fake_gemini.py - the Gemini API (generateContent and
streamGenerateContent?alt=sse) on 127.0.0.1, with faults.

    python3 fake_gemini.py --port-file FILE [--key KEY] [--log FILE]

Base URL http://127.0.0.1:PORT/s/SCENARIO (see llmfake.py).  The key
must come in x-goog-api-key when --key is given.  Scenarios:

  ok, fenced, prose, trailing-comma, invalid   the answer's text
  empty            STOP with no text
  429-retryinfo    429 RESOURCE_EXHAUSTED with RetryInfo "0.2s"
  429-long         the same with RetryInfo "3600s"
  429-perday       QuotaFailure PerDay, no RetryInfo
  429-message      no RetryInfo; "Please retry in 0.1s." in the message
  500, 503         INTERNAL, UNAVAILABLE
  maxtokens        MAX_TOKENS with empty text and thoughtsTokenCount
  blocked          200, promptFeedback.blockReason SAFETY, no candidates
  safety           candidate finishReason SAFETY, empty content
  recitation       finishReason RECITATION
  auth             400 INVALID_ARGUMENT with reason API_KEY_INVALID
  notfound         404 NOT_FOUND
  schema           400 about responseSchema unless no schema is sent
  stream-error     (streaming) events, then a raw JSON 503 error object
  stall            (streaming) one event, then 30 s of silence
  reset            the connection is reset
"""

import json

import llmfake


def err(code, status, message, details=()):
    return {"error": {"code": code, "message": message, "status": status,
                      "details": list(details)}}


def response(text, finish="STOP", usage=True):
    r = {"candidates": [{"content": {"role": "model",
                                     "parts": [{"text": text}]},
                         "finishReason": finish, "index": 0}],
         "modelVersion": "gemini-fake-001", "responseId": "r1"}
    if usage:
        r["usageMetadata"] = {"promptTokenCount": 120,
                              "candidatesTokenCount": 640,
                              "thoughtsTokenCount": 0,
                              "totalTokenCount": 760}
    return r


class Handler(llmfake.Base):
    server_version = "fake-gemini/1"

    def do_POST(self):
        body = self.read_json()
        self.note(body)
        name, rest = llmfake.scenario(self.path)
        stream = ":streamGenerateContent" in rest
        if "?key=" in rest or "&key=" in rest:
            return self.send(400, err(400, "INVALID_ARGUMENT",
                                      "the key belongs in a header"))
        if self.key is not None and \
                self.headers.get("x-goog-api-key") != self.key:
            return self.send(400, err(
                400, "INVALID_ARGUMENT", "API key not valid. Please pass "
                "a valid API key.",
                [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                  "reason": "API_KEY_INVALID"}]))
        if not rest.startswith("/v1beta/models/"):
            return self.send(404, err(404, "NOT_FOUND", "no such method"))
        fault = llmfake.fault_of(name)
        prompt = json.dumps(body.get("contents", []))
        if fault == "reset":
            return self.reset()
        if fault in ("auth",):
            return self.send(400, err(
                400, "INVALID_ARGUMENT", "API key not valid.",
                [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                  "reason": "API_KEY_INVALID"}]))
        if fault == "notfound":
            return self.send(404, err(404, "NOT_FOUND", "models/x is not "
                                      "found for API version v1beta"))
        if fault == "schema" and "responseSchema" in \
                body.get("generationConfig", {}):
            return self.send(400, err(
                400, "INVALID_ARGUMENT", "The specified schema produces a "
                "constraint that has too many states for serving."))
        if fault.startswith("429"):
            details = [{"@type": "type.googleapis.com/google.rpc.QuotaFailure",
                        "violations": [{"quotaMetric": "generate_requests",
                                        "quotaId": "GenerateRequestsPer" +
                                        ("Day" if fault == "429-perday"
                                         else "Minute") +
                                        "PerProjectPerModel-FreeTier"}]}]
            msg = "You exceeded your current quota."
            if fault == "429-retryinfo":
                details.append({"@type": "type.googleapis.com/"
                                "google.rpc.RetryInfo", "retryDelay": "0.2s"})
            elif fault == "429-long":
                details.append({"@type": "type.googleapis.com/"
                                "google.rpc.RetryInfo",
                                "retryDelay": "3600s"})
            elif fault == "429-message":
                msg += " Please retry in 0.1s."
            return self.send(429, err(429, "RESOURCE_EXHAUSTED", msg,
                                      details))
        if fault == "500":
            return self.send(500, err(500, "INTERNAL", "internal error"))
        if fault == "503":
            return self.send(503, err(503, "UNAVAILABLE",
                                      "The model is overloaded."))
        text = llmfake.answer_for(prompt, fault)
        if fault == "blocked":
            r = {"promptFeedback": {"blockReason": "SAFETY"},
                 "usageMetadata": {"promptTokenCount": 10}}
        elif fault == "maxtokens":
            r = {"candidates": [{"content": {"role": "model"},
                                 "finishReason": "MAX_TOKENS"}],
                 "usageMetadata": {"promptTokenCount": 120,
                                   "thoughtsTokenCount": 8192}}
        elif fault in ("safety", "recitation"):
            r = {"candidates": [{"content": {"role": "model", "parts": []},
                                 "finishReason": fault.upper()}]}
        elif fault == "empty":
            r = response("")
        else:
            r = response(text)
        if not stream:
            if fault == "stream-error":
                return self.send(503, err(503, "UNAVAILABLE", "overloaded"))
            if fault == "stall":
                return self.stall()
            return self.send(200, r)
        self.stream_sse(text, r, fault)

    def stream_sse(self, text, final, fault):
        self.start_stream("text/event-stream")
        text = "".join(p.get("text", "") for c in final.get(
            "candidates", []) for p in c.get("content", {}).get("parts", []))
        if text:
            parts = llmfake.pieces(text)
            for i, p in enumerate(parts):
                ev = response(p, finish=None, usage=False)
                del ev["candidates"][0]["finishReason"]
                if i == len(parts) - 1:
                    ev = response(p)
                self.chunk(b"data: " + json.dumps(ev, ensure_ascii=False)
                           .encode() + b"\r\n\r\n")
                if fault == "stall":
                    return self.stall()
                if fault == "stream-error" and i == 1:
                    self.chunk(json.dumps(err(
                        503, "UNAVAILABLE", "The model is overloaded. "
                        "Please try again later."), indent=2).encode() +
                        b"\n")
                    return self.end_stream()
        else:
            self.chunk(b"data: " + json.dumps(final).encode() +
                       b"\r\n\r\n")
        self.end_stream()


if __name__ == "__main__":
    llmfake.serve(Handler, "fake Gemini API server")
