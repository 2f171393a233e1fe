# tests/lib-llm.sh - helpers for the agency-script tests, sourced after
# lib.sh.  No test may reach a real provider: every base URL points at
# 127.0.0.1 (an unused port when nothing should answer) and no real key
# is set.

unset GEMINI_API_KEY GROQ_API_KEY OPENAI_API_KEY GEMINI_MODEL GROQ_MODEL \
    OPENAI_MODEL OLLAMA_MODEL AGENCY_PROVIDERS
# A port nothing listens on: bind one, then let it go.
DEAD_URL="http://127.0.0.1:$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export GEMINI_BASE_URL="$DEAD_URL/gemini" GROQ_BASE_URL="$DEAD_URL/groq" \
    OPENAI_BASE_URL="$DEAD_URL/openai" OLLAMA_HOST="$DEAD_URL/ollama" DEAD_URL

# norm: a script document on stdin without what changes from run to run
# (timings, the run id), one document per line, keys kept in order.
norm() {
	python3 -c 'import json, sys
for line in sys.stdin:
    d = json.loads(line)
    m = d.get("meta", {})
    m.pop("latency_ms", None)
    m.pop("run", None)
    for a in m.get("attempts", []):
        a.pop("latency_ms", None)
    print(json.dumps(d, ensure_ascii=False, indent=1))'
}

# fake NAME [ARGS...]: start tests/servers/fake_NAME.py; URL in FAKE_URL,
# its request log in $T/NAME.log.
fake() {
	_name=$1
	shift
	start_server "fake_$_name.py" --log "$T/$_name.log" "$@"
	FAKE_URL=$SERVER_URL
}

# requests NAME: how many requests the fake NAME has logged.
requests() {
	[ -f "$T/$1.log" ] && wc -l <"$T/$1.log" | tr -d ' ' || echo 0
}

# script_ok FILE: FILE holds agency.script documents, one a line, that
# the formats page's rules accept.
script_ok() {
	python3 - "$1" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1]):
    d = json.loads(line)
    n += 1
    assert d["kind"] == "agency.script" and d["version"] == 1
    assert d["id"].startswith("c_")
    for k in ("title", "hook", "language", "provider", "model"):
        assert isinstance(d[k], str) and d[k], k
    assert d["scenes"], "scenes"
    for s in d["scenes"]:
        assert s["narration"] and isinstance(s["on_screen"], str)
        assert s["visual"]["hint"] and s["visual"]["query"]
        assert s["duration_hint"] > 0
    for h in d["hashtags"]:
        assert h.startswith("#") and " " not in h, h
    lim = {"youtube": (100, 5000), "tiktok": (150, 2200),
           "instagram": (150, 2200), "x": (100, 280)}
    for p, c in d["captions"].items():
        t, dl = lim.get(p, (1000, 10000))
        assert len(c["title"]) <= t and len(c["description"]) <= dl, p
        assert all(isinstance(x, str) for x in c["tags"])
    assert d["meta"]["provider"] == d["provider"]
    assert d["meta"]["attempts"][-1]["outcome"] in ("ok", "cached")
assert n > 0
PY
}
