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
#	log_mark; ...; log_has 'any(r["status"] == 503 for r in L)'
#	                                   # what the fake answered since
#	fake_one videos "x['id'] == 'v1'" "$SHA"   # one of it, our bytes
#	upload_chaos youtube:main 200 8 1 1 count  # the kill -9 loop
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
	_arg=null
	[ -n "${2:-}" ] && _arg="\"$2\""
	curl -s -f -o /dev/null -X POST -H 'Content-Type: application/json' \
	    -d "{\"name\":\"$1\",\"arg\":$_arg,\"count\":${3:-1}}" \
	    "$FAKE_URL/_fake/fault"
}

# log_mark: remember where the fake's request log is now; log_has EXPR:
# a Python expression over L, the requests logged since (dicts: method,
# path, headers, length, status (a number, or "dropped"), body) is true.
# So a test shows that the fault it armed fired.
log_mark() {
	LOG0=$(wc -l <"$FAKE_LOG")
}
log_has() {
	"$PY" -c 'import json,sys
L=[json.loads(l) for l in open(sys.argv[1])][int(sys.argv[3]):]
sys.exit(0 if eval(sys.argv[2]) else 1)' "$FAKE_LOG" "$1" "${LOG0:-0}"
}
# log_wait EXPR: wait (5 s at the most) until log_has EXPR, say for an
# answer the fake is still sending to a client that gave up on it, so
# that it lands before the next fault is armed.
log_wait() {
	_lw=0
	until log_has "$1" || [ $_lw -ge 100 ]; do
		sleep 0.05
		_lw=$((_lw + 1))
	done
}

# fake_one LIST COND SHA: the fake's d[LIST] holds exactly one item x
# for which the Python expression COND is true, and its sha256 is SHA
# (our bytes): one post of a content, never none, never two.
fake_one() {
	fake_state "[x['sha256'] for x in d['$1'] if $2] == ['$3']" |
	    grep -q True
}

# browser URL-FILE [EXTRA]: play the user's browser: wait for
# agency-upload auth to print the authorization URL on its stderr
# (URL-FILE), then open it with curl (EXTRA appended to its query:
# "&deny=1" refuses), following the redirect back to the loopback
# listener.
browser() {
	_i=0
	while ! grep -q 'http://127\.0\.0\.1:[0-9]*/oauth/authorize' "$1" \
	    2>/dev/null && [ $_i -lt 200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	_url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/oauth/authorize[^ ]*' "$1" |
	    head -n 1)
	curl -s -L -o /dev/null "$_url${2:-}"
}

# add_account ACCOUNT [SETTING=VALUE...]: agency-upload accounts add
# ACCOUNT with a --set for each SETTING=VALUE; its output is dropped.
add_account() {
	_aa=$1
	shift
	_an=$#
	while [ "$_an" -gt 0 ]; do
		set -- "$@" --set "$1"
		shift
		_an=$((_an - 1))
	done
	agency-upload accounts add "$_aa" "$@" >/dev/null
}

# oauth_account ACCOUNT [SETTING=VALUE...]: add ACCOUNT pointed at the
# fake (its API and its OAuth endpoints) and authorize it through the
# loopback redirect, as a user would.
oauth_account() {
	_acct=$1
	shift
	add_account "$_acct" "api_url=$FAKE_URL" client_id=agency-test \
	    client_secret=test-secret "auth_url=$FAKE_URL/oauth/authorize" \
	    "token_url=$FAKE_URL/oauth/token" "$@" &&
	auth_with_browser "$_acct"
}

# auth_with_browser ACCOUNT [EXTRA]: agency-upload auth ACCOUNT with
# browser() answering; its status is auth's, its stderr $T/auth.err.
auth_with_browser() {
	rm -f "$T/auth.err"
	agency-upload auth "$1" --timeout 20 >/dev/null 2>"$T/auth.err.tmp" &
	_apid=$!
	ln -sf "$T/auth.err.tmp" "$T/auth.err"
	browser "$T/auth.err" "${2:-}"
	wait $_apid
	_st=$?
	rm -f "$T/auth.err"
	mv "$T/auth.err.tmp" "$T/auth.err"
	return $_st
}

# npm_server DIR TIMEOUT COMMAND...: make sure DIR (a real server from
# npm, under .cache/test-servers) is installed: when it is not, and npm
# answers within 15 s, run COMMAND... TMP (which installs into the
# folder TMP) once, under a lock, and move TMP into place; a failed
# install leaves nothing behind.  Skips the whole test with the reason
# when there is no npm, no registry, or the install fails.
npm_server() {
	_dir=$1
	_limit=$2
	shift 2
	[ -d "$_dir" ] && return 0
	command -v npm >/dev/null 2>&1 || skip_all 'no npm to install the server'
	command -v flock >/dev/null 2>&1 || skip_all 'no flock (util-linux)'
	mkdir -p "${_dir%/*}"
	(
		flock 9
		[ -d "$_dir" ] && exit 0
		timeout 15 npm view npm version >/dev/null 2>&1 || exit 3
		rm -rf "$_dir.tmp" && mkdir -p "$_dir.tmp" &&
		timeout "$_limit" "$@" "$_dir.tmp" >"$T/npm.log" 2>&1 &&
		mv "$_dir.tmp" "$_dir"
	) 9>"${_dir%/*}/.${_dir##*/}.lock"
	case $? in
	0) ;;
	3) skip_all 'the npm registry did not answer within 15 s' ;;
	*) rm -rf "$_dir.tmp"
	   skip_all "installing ${_dir##*/} from npm failed: $(tail -n 1 "$T/npm.log")" ;;
	esac
}

# upload_chaos ACCOUNT N SEED SPREAD RUNS COUNT [FAULT ARG]: the chaos
# loop.  Publishes p0.json (an agency.production of content c_ch_0) to
# ACCOUNT RUNS times (1 to 3, as c_ch_0, c_ch_00, c_ch_000) to measure
# how long a publish takes here, the longest, full; then, N times, one
# of content c_ch_I is started and killed with -9 after a pseudo-random
# full * (0.2 + SPREAD * rand()) ms (awk's srand(SEED): replayable),
# then the same command is run again without a kill.  Before every odd
# I, FAULT ARG (when given) is armed with fake_fault.  After each re-run
# the post must be published and COUNT I IDEM-KEY (a command of the
# test) must print 1, the number of posts of it on the server; else a
# line goes to bad.  Each kill's exit status and journal state go to
# states ("137 uploading"), the run's stderr to run.err; killed is
# the number of runs that were killed before they ended, and what their
# journals were is printed as comments.  Needs DB (the store).
upload_chaos() {
	_acct=$1
	_n=$2
	_seed=$3
	_spread=$4
	_runs=$5
	_count=$6
	shift 6
	: >states
	: >bad
	full=0
	for _k in 0 00 000; do
		[ "$_runs" -gt 0 ] || break
		_runs=$((_runs - 1))
		sed "s/c_ch_0/c_ch_$_k/g" p0.json >p.json
		_s0=$(date +%s%N)
		agency-upload --to "$_acct" p.json >/dev/null
		_ms=$(( ($(date +%s%N) - _s0) / 1000000 ))
		[ "$_ms" -gt "$full" ] && full=$_ms
	done
	echo "# one publish takes $full ms here"
	awk -v n="$_n" -v full=$full -v seed="$_seed" -v spread="$_spread" \
	    'BEGIN { srand(seed); for (i = 1; i <= n; i++)
	    printf "%d\n", full * (0.2 + spread * rand()) }' >delays
	_i=0
	while read -r _ms; do
		_i=$((_i + 1))
		sed "s/c_ch_0/c_ch_$_i/g" p0.json >p.json
		[ $# -gt 0 ] && [ $((_i % 2)) -eq 1 ] && fake_fault "$@"
		agency-upload --to "$_acct" p.json >/dev/null 2>>run.err &
		_pid=$!
		sleep "$(printf '%d.%03d' $((_ms / 1000)) $((_ms % 1000)))"
		kill -9 $_pid 2>/dev/null
		wait $_pid 2>/dev/null
		echo "$?" "$(sqlite3 "$DB" \
		    "SELECT state FROM uploads WHERE content_id = 'c_ch_$_i'")" \
		    >>states
		if ! agency-upload --to "$_acct" p.json >post.json 2>>run.err ||
		    ! grep -q '"state":"published"' post.json; then
			echo "$_i: the re-run did not publish" >>bad
			continue
		fi
		_m=$(sqlite3 "$DB" \
		    "SELECT idem_key FROM uploads WHERE content_id = 'c_ch_$_i'")
		_c=$($_count "$_i" "$_m")
		[ "$_c" -eq 1 ] || echo "$_i: $_c posts" >>bad
	done <delays
	killed=$(grep -c '^137 ' states)
	echo "# $killed of $_n runs were killed before they ended; journal states then:"
	awk '$1 == 137 { n[$2 == "" ? "none" : $2]++ }
	    END { for (s in n) printf "#   %s %d\n", s, n[s] }' states | sort
}

# chaos_verdict LIST: the six checks after an upload_chaos of three
# first runs (RUNS 3) and N more on a fake whose d[LIST] holds the
# posts: each re-run published one post, the server holds N + 3 posts
# of our bytes, the kills landed in every step, no journal is left.
chaos_verdict() {
	ok_if 'every re-run published, with exactly one post each' '[ ! -s bad ]'
	[ -s bad ] && sed -n '1,10s/^/#   /p' bad
	ok_if "the server holds $N posts (and the first three), no more, our bytes" \
	    "[ \"\$(fake_state 'len(d[\"$1\"])')\" = $((N + 3)) ] &&
	     [ \"\$(fake_state \"set(x['sha256'] for x in d['$1']) == {'$(sha256sum v.mp4 | cut -d' ' -f1)'}\")\" = True ]"
	ok_if 'many runs were killed' '[ "$killed" -ge $((N / 4)) ]'
	ok_if 'kills landed while uploading' 'grep -q "^137 uploading" states'
	ok_if 'and in publishing, or after the upload' \
	    'grep -Eq "^137 (publishing|uploaded|published)" states'
	ok_if 'every journal is published' \
	    '[ -z "$(agency-upload status -u)" ]'
}
