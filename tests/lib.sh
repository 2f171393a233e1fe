# tests/lib.sh - helpers for CLI tests (POSIX sh), sourced first:
#
#	. "${0%/*}/../lib.sh"
#	plan 3
#	check 'submit prints a job' 'agency-queue submit x <in.json >job.json'
#	expect_code 'bad --at is a usage error' 64 'agency-schedule add j --at never'
#	check_same 'ls output' 'agency-queue ls --json' "cat $GOLDEN/6100-ls.out"
#
# Every test runs in a fresh temporary folder (removed at exit) that is
# also HOME and the XDG folders, so it sees no config and no store but
# its own.  A command's stdout and stderr are kept in ./out and ./err
# for the assertions that follow.  On failure the command, its status
# and its stderr are printed as TAP comments.

set -u
TESTS=$(cd "${0%/*}/.." && pwd)
ROOT=$(cd "$TESTS/.." && pwd)
FIX=$TESTS/fixtures
GOLDEN=$TESTS/golden
SERVERS=$TESTS/servers
TEST_NAME=${0##*/}
PATH=$ROOT/bin:$PATH
export PATH ROOT TESTS FIX GOLDEN SERVERS

T=$(mktemp -d "${TMPDIR:-/tmp}/agency-cli.XXXXXX")
_pids=""
_cleanup() {
	for p in $_pids; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	[ -n "${TEST_KEEP:-}" ] || rm -rf "$T"
}
trap _cleanup EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 2
export HOME="$T" XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data" \
    XDG_STATE_HOME="$T/state" XDG_CACHE_HOME="$T/cache"
unset AGENCY_CONFIG AGENCY_DB AGENCY_LOG NO_COLOR

_n=0
_failed=0

# skip_all WHY: skip every test of the file (TAP "1..0 # SKIP"), as when
# a real server the file needs cannot be had here.
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

plan() {
	echo "1..$1"
}

_result() {	# status description [diagnostics-command]
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_n - $2"
	else
		_failed=$((_failed + 1))
		echo "not ok $_n - $2"
	fi
}

_diag() {
	echo "#   command: $1"
	echo "#   status:  $2"
	[ -s err ] && sed -n '1,10s/^/#   stderr: /p' err
	[ -s out ] && sed -n '1,5s/^/#   stdout: /p' out
	return 0
}

# check DESC CMD: CMD exits 0.
check() {
	eval "$2" >out 2>err
	_rc=$?
	_result "$_rc" "$1"
	[ "$_rc" -eq 0 ] || _diag "$2" "$_rc"
}

# expect_code DESC CODE CMD: CMD exits with CODE.
expect_code() {
	eval "$3" >out 2>err
	_rc=$?
	[ "$_rc" -eq "$2" ]
	_ok=$?
	_result "$_ok" "$1"
	[ "$_ok" -eq 0 ] || _diag "$3 (expected status $2)" "$_rc"
}

# check_same DESC CMD-A CMD-B: both print the same stdout.
check_same() {
	eval "$2" >out.a 2>err
	eval "$3" >out.b 2>>err
	cmp -s out.a out.b
	_rc=$?
	_result "$_rc" "$1"
	if [ "$_rc" -ne 0 ]; then
		diff -u out.b out.a | sed -n '1,20s/^/#   /p'
	fi
}

# ok_if DESC SHELL-TEST: a plain condition, e.g. ok_if 'x' '[ -s f ]'.
ok_if() {
	eval "$2"
	_rc=$?
	_result "$_rc" "$1"
	[ "$_rc" -eq 0 ] || echo "#   condition: $2"
}

# grep_err DESC REGEX: the last command's stderr matches (grep -E).
grep_err() {
	grep -Eq -- "$2" err
	_rc=$?
	_result "$_rc" "$1"
	[ "$_rc" -eq 0 ] || { echo "#   expected stderr to match: $2";
	    sed -n '1,10s/^/#   stderr: /p' err; }
}

# grep_out DESC REGEX: the last command's stdout matches (grep -E).
grep_out() {
	grep -Eq -- "$2" out
	_rc=$?
	_result "$_rc" "$1"
	[ "$_rc" -eq 0 ] || { echo "#   expected stdout to match: $2";
	    sed -n '1,10s/^/#   stdout: /p' out; }
}

# PY: the system's python3 when there is one (the tests use the standard
# library only); a version manager's shim first in PATH costs half a
# second a call.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# json_get FILE EXPR: print a value of a JSON document (python3).
json_get() {
	"$PY" -c 'import json,sys
d=json.load(open(sys.argv[1]))
v=eval(sys.argv[2], {"d": d})
print(json.dumps(v) if isinstance(v,(dict,list)) else v)' "$1" "$2"
}

# py_ok DESC CODE: the Python CODE runs to its end (its asserts hold).
# J(FILE) is the JSON document in FILE; a failed assert prints its
# message as a TAP comment, so write: assert cond, (what, was, seen).
py_ok() {
	"$PY" -c "import json, sys
def J(f):
    return json.load(open(f))
$2" >"$T/.py_ok" 2>&1
	_rc=$?
	_result "$_rc" "$1"
	[ "$_rc" -eq 0 ] || sed -n '1,12s/^/#   /p' "$T/.py_ok"
}

# start_server SCRIPT [ARGS...]: start tests/servers/SCRIPT on 127.0.0.1
# with an ephemeral port; sets SERVER_URL.  Stopped at exit.
start_server() {
	_script=$1
	shift
	rm -f "$T/port"
	python3 "$SERVERS/$_script" --port-file "$T/port" "$@" \
	    >>"$T/server.log" 2>&1 &
	_pids="$_pids $!"
	_i=0
	while [ ! -s "$T/port" ] && [ $_i -lt 100 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	[ -s "$T/port" ] || { echo "# server $_script did not start";
	    cat "$T/server.log" | sed 's/^/#   /'; exit 1; }
	SERVER_URL="http://127.0.0.1:$(cat "$T/port")"
	export SERVER_URL
}

# plugin NAME: the script on stdin becomes the tool agency-NAME, in
# $T/bin, which goes on PATH (a plugin, or a job type for the queue).
plugin() {
	mkdir -p "$T/bin"
	cat >"$T/bin/agency-$1"
	chmod +x "$T/bin/agency-$1"
	case ":$PATH:" in
	*":$T/bin:"*) ;;
	*) PATH=$PATH:$T/bin; export PATH ;;
	esac
}

# job_field ID EXPR: a value of the job document (agency-queue show ID),
# EXPR in terms of d as for json_get: job_field 3 'd["state"]'.
job_field() {
	agency-queue show "$1" >"$T/.job" 2>/dev/null &&
	    json_get "$T/.job" "$2"
}

# gone PID...: every PID has ended: it is not there, or it is a zombie
# that init has yet to reap.  A process killed a moment ago may still be
# on its way out, so this waits for that a little (up to 5 s).
gone() {
	_i=0
	for _p in "$@"; do
		while kill -0 "$_p" 2>/dev/null &&
		    ! grep -q ') Z ' "/proc/$_p/stat" 2>/dev/null; do
			[ $_i -ge 100 ] && return 1
			sleep 0.05
			_i=$((_i + 1))
		done
	done
	return 0
}

# done_testing: exit non-zero if anything failed.
done_testing() {
	[ "$_failed" -eq 0 ]
}
