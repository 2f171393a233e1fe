#!/usr/bin/env python3
"""fake_openai.py - an OpenAI-compatible chat completions server in
Groq's flavour, on 127.0.0.1, with faults.

    python3 fake_openai.py --port-file FILE [--key KEY] [--log FILE]

POST .../chat/completions under the base URL
http://127.0.0.1:PORT/s/SCENARIO (see llmfake.py).  With --key the
request must carry "Authorization: Bearer KEY".  Streams are SSE with
": comment" keep-alives, usage in x_groq.usage and in a last chunk with
empty choices, and "data: [DONE]".  Scenarios:

  ok, fenced, prose, trailing-comma, invalid   the answer's text
  empty            an empty answer
  429              429 rate_limit_exceeded, retry-after: 1
  429-long         retry-after: 3600
  429-reset        no retry-after; x-ratelimit-remaining-requests 0 and
                   x-ratelimit-reset-requests 2m59.56s
  quota            429 insufficient_quota
  json-failed      400 json_validate_failed, failed_generation fenced
  schema-refused   400 when response_format is json_schema
  format-refused   400 when any response_format is sent
  refusal          message.refusal set, content null
  content-filter   finish_reason content_filter
  length           finish_reason length
  500, 503         server errors (503 is llama.cpp's "Loading model")
  401, 404         invalid_api_key, model_not_found
  stream-error     (streaming) a data: event carrying "error"
  vllm             (streaming) the usage chunk has "choices": null
  stall            (streaming) one chunk, then 30 s of silence
  reset            the connection is reset
"""

import json

import llmfake


def err(message, etype, code, **extra):
    e = {"message": message, "type": etype, "code": code}
    e.update(extra)
    return {"error": e}


USAGE = {"prompt_tokens": 150, "completion_tokens": 700,
         "total_tokens": 850, "queue_time": 0.01}


class Handler(llmfake.Base):
    server_version = "fake-openai/1"

    def do_GET(self):
        name, rest = llmfake.scenario(self.path)
        if rest.endswith("/models"):
            return self.send(200, {"object": "list", "data": [
                {"id": "fake-model", "object": "model"}]})
        self.send(404, err("not found", "invalid_request_error", None))

    def do_POST(self):
        body = self.read_json()
        self.note(body)
        name, rest = llmfake.scenario(self.path)
        if not rest.endswith("/chat/completions"):
            return self.send(404, err("Unknown request URL",
                                      "invalid_request_error", None))
        if self.key is not None and self.headers.get(
                "Authorization") != "Bearer " + self.key:
            return self.send(401, err("Invalid API Key",
                                      "invalid_request_error",
                                      "invalid_api_key"))
        fault = llmfake.fault_of(name)
        stream = body.get("stream") is True
        rf = body.get("response_format") or {}
        prompt = json.dumps(body.get("messages", []))
        if fault == "reset":
            return self.reset()
        if fault == "401":
            return self.send(401, err("Invalid API Key",
                                      "invalid_request_error",
                                      "invalid_api_key"))
        if fault == "404":
            return self.send(404, err("The model `x` does not exist",
                                      "invalid_request_error",
                                      "model_not_found"))
        if fault == "429":
            return self.send(429, err(
                "Rate limit reached for model on tokens per minute (TPM):"
                " Please try again in 5.289s.", "tokens",
                "rate_limit_exceeded"),
                headers=[("retry-after", "1"),
                         ("x-ratelimit-remaining-tokens", "0"),
                         ("x-ratelimit-reset-tokens", "7.66s")])
        if fault == "429-long":
            return self.send(429, err("Rate limit reached", "requests",
                                      "rate_limit_exceeded"),
                             headers=[("retry-after", "3600")])
        if fault == "429-reset":
            return self.send(429, err("Rate limit reached on requests "
                                      "per day (RPD)", "requests",
                                      "rate_limit_exceeded"),
                             headers=[("x-ratelimit-remaining-requests",
                                       "0"),
                                      ("x-ratelimit-reset-requests",
                                       "2m59.56s")])
        if fault == "quota":
            return self.send(429, err("You exceeded your current quota",
                                      "insufficient_quota",
                                      "insufficient_quota"))
        if fault == "json-failed":
            return self.send(400, err(
                "Failed to generate JSON. Please adjust your prompt. See "
                "'failed_generation' for more details.",
                "invalid_request_error", "json_validate_failed",
                failed_generation=llmfake.answer_for(prompt, "fenced")))
        if fault == "schema-refused" and rf.get("type") == "json_schema":
            return self.send(400, err(
                "This model does not support response format "
                "`json_schema`", "invalid_request_error", None))
        if fault == "format-refused" and rf:
            return self.send(400, err(
                "response_format is not supported by this model",
                "invalid_request_error", None))
        if fault == "500":
            return self.send(500, err("Internal Server Error",
                                      "internal_server_error", None))
        if fault == "503":
            return self.send(503, {"error": {"code": 503, "message":
                                             "Loading model",
                                             "type": "unavailable_error"}})
        text = llmfake.answer_for(prompt, fault)
        finish = {"content-filter": "content_filter",
                  "length": "length"}.get(fault, "stop")
        content = text
        refusal = None
        if fault == "refusal":
            content, refusal = None, "I can't help with that."
        elif fault in ("empty", "content-filter"):
            content = ""
        elif fault == "length":
            content = text[:len(text) // 2]
        if not stream:
            if fault == "stall":
                return self.stall()
            return self.send(200, {
                "id": "chatcmpl-1", "object": "chat.completion",
                "created": 1741570283, "model": body.get("model"),
                "choices": [{"index": 0, "message": {
                    "role": "assistant", "content": content,
                    "refusal": refusal}, "finish_reason": finish,
                    "logprobs": None}],
                "usage": USAGE, "x_groq": {"id": "req_1"}})
        self.start_stream("text/event-stream")
        self.chunk(b": OPENROUTER PROCESSING\n\n")

        def event(delta, fin=None, extra=None):
            c = {"id": "chatcmpl-1", "object": "chat.completion.chunk",
                 "created": 1, "model": body.get("model"),
                 "choices": [{"index": 0, "delta": delta,
                              "finish_reason": fin}]}
            if extra:
                c.update(extra)
            self.chunk(b"data: " + json.dumps(c, ensure_ascii=False)
                       .encode() + b"\n\n")

        event({"role": "assistant", "content": ""})
        if refusal:
            event({"refusal": refusal})
        for i, p in enumerate(llmfake.pieces(content or "")):
            event({"content": p})
            if fault == "stall":
                return self.stall()
            if fault == "stream-error" and i == 1:
                self.chunk(b'data: {"error":{"message":"upstream error",'
                           b'"type":"server_error","code":502}}\n\n')
                return self.end_stream()
        event({}, finish, {"x_groq": {"id": "req_1", "usage": USAGE}})
        usage = {"id": "chatcmpl-1", "object": "chat.completion.chunk",
                 "choices": None if fault == "vllm" else [],
                 "usage": USAGE}
        self.chunk(b"data: " + json.dumps(usage).encode() + b"\n\n")
        self.chunk(b"data: [DONE]\n\n")
        self.end_stream()


if __name__ == "__main__":
    llmfake.serve(Handler, "fake OpenAI-compatible server")
