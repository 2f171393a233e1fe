# tests/lib-upload.sh - what the agency-upload tests (8NNN) share, sourced
# after lib.sh:
#
#	. "$TESTS/lib-upload.sh"
#	make_video v.mp4 2                 # a 2 s H.264/AAC MP4 (ffmpeg CLI)
#	make_production c_1 v.mp4 >p.json  # an agency.production for it
#	fake_platform youtube --rotate     # tests/servers/fake_youtube.py
#	oauth_account youtube:main         # accounts add + auth through it
#	agency-upload --to youtube:main p.json
#	fake_state 'len(d["videos"])'      # the fake's state, d in Python
#
# Videos are made with the ffmpeg CLI (agency-produce is separate work)
# as platforms want them: faststart, no edit lists, unless asked.

# make_video FILE [SECONDS] [WxH] [FFMPEG-OPTION...]: a test video.  The
# same arguments give the same file, cached in $T/.videos.
make_video() {
	_f=$1
	_s=${2:-2}
	_size=${3:-320x240}
	shift
	[ $# -gt 0 ] && shift
	[ $# -gt 0 ] && shift
	ffmpeg -nostdin -v error -y -f lavfi -i "testsrc=size=$_size:rate=25" \
	    -f lavfi -i "sine=frequency=440:sample_rate=48000" -t "$_s" \
	    -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac \
	    -movflags +faststart -use_editlist 0 -shortest "$@" "$_f"
}

# make_production ID VIDEO [EXTRA-JSON-MEMBERS]: an agency.production.
make_production() {
	"$PY" - "$@" <<'EOF'
import json, os, sys
cid, video = sys.argv[1], os.path.abspath(sys.argv[2])
d = {"kind": "agency.production", "version": 1, "id": cid, "video": video,
     "duration": 2, "width": 320, "height": 240, "fps": 25,
     "size": os.path.getsize(video),
     "captions": {"youtube": {"title": "Test video " + cid,
                              "description": "A test of agency-upload",
                              "tags": ["test", "agency"]},
                  "default": {"title": "Test " + cid,
                              "description": "default caption"}}}
if len(sys.argv) > 3:
    d.update(json.loads(sys.argv[3]))
print(json.dumps(d))
EOF
}

# fake_platform NAME [ARGS...]: start tests/servers/fake_NAME.py; sets
# FAKE_URL and FAKE_LOG (its request log).
fake_platform() {
	_name=$1
	shift
	FAKE_LOG=$T/$_name.log
	: >"$FAKE_LOG"
	start_server "fake_$_name.py" --log "$FAKE_LOG" "$@"
	FAKE_URL=$SERVER_URL
	export FAKE_URL FAKE_LOG
}

# fake_state EXPR: evaluate a Python expression on the fake's state d.
fake_state() {
	curl -s "$FAKE_URL/_fake/state" >"$T/.state" &&
	    json_get "$T/.state" "$1"
}

# fake_fault NAME [ARG] [COUNT]: arm a fault on the running fake.
fake_fault() {
	curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
	    -d "{\"name\":\"$1\",\"arg\":${2:+\"$2\"}${2:-null},\"count\":${3:-1}}" \
	    "$FAKE_URL/_fake/fault"
}

# browser URL-FILE: play the user's browser: wait for agency-upload auth
# to print the authorization URL on its stderr (URL-FILE), then open it
# with curl, following the redirect back to the loopback listener.
browser() {
	_i=0
	while ! grep -q 'http://127\.0\.0\.1:[0-9]*/oauth/authorize' "$1" \
	    2>/dev/null && [ $_i -lt 200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	_url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/oauth/authorize[^ ]*' "$1" |
	    head -n 1)
	curl -s -L -o /dev/null "$_url"
}

# oauth_account ACCOUNT [SETTING=VALUE...]: add ACCOUNT pointed at the
# fake (its API and its OAuth endpoints) and authorize it through the
# loopback redirect, as a user would.
oauth_account() {
	_acct=$1
	shift
	_sets=''
	for _s in "$@"; do
		_sets="$_sets --set $_s"
	done
	agency-upload accounts add "$_acct" --set "api_url=$FAKE_URL" \
	    --set client_id=agency-test --set client_secret=test-secret \
	    --set "auth_url=$FAKE_URL/oauth/authorize" \
	    --set "token_url=$FAKE_URL/oauth/token" $_sets >/dev/null &&
	{
		agency-upload auth "$_acct" --timeout 20 >/dev/null \
		    2>"$T/auth.err" &
		_apid=$!
		browser "$T/auth.err"
		wait $_apid
	}
}
