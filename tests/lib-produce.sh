# tests/lib-produce.sh - what the agency-produce tests (4xxx) share,
# sourced after lib.sh: media made with the ffmpeg program (a test tool:
# no binary fixtures are committed), the checkers in tests/tools/, and
# EDL surgery.

VC="$PY $TESTS/tools/videocheck.py"
AC="$PY $TESTS/tools/audiocheck.py"
PFIX=$FIX/produce
export PFIX

# ff ARGS...: the ffmpeg program, quiet, overwriting.
ff() {
	ffmpeg -nostdin -hide_banner -v error -y "$@"
}

# Pictures, 320x240 (4:3, so a portrait frame crops or letterboxes):
# the test pattern, all white, and black on the left half, white on the
# right (to see where a crop was taken).
make_pattern() {
	ff -f lavfi -i testsrc2=s=320x240 -frames:v 1 "$1"
}
make_white() {
	ff -f lavfi -i color=white:s=320x240 -frames:v 1 "$1"
}
make_halves() {
	ff -f lavfi -i color=black:s=160x240 -f lavfi -i color=white:s=160x240 \
	    -filter_complex hstack -frames:v 1 "$1"
}
# make_clip FILE [SECONDS]: a moving test pattern with a tone, H.264+AAC.
make_clip() {
	ff -f lavfi -i "testsrc2=s=320x240:r=25:d=${2:-3}" \
	    -f lavfi -i "sine=f=440:d=${2:-3}" -c:v libx264 -preset ultrafast \
	    -pix_fmt yuv420p -c:a aac -shortest "$1"
}
# make_tone FILE SECONDS [HZ]: a mono sine, as WAV.
make_tone() {
	ff -f lavfi -i "sine=f=${3:-330}:d=$2" -ac 1 "$1"
}

# shrink IN OUT [W H FPS]: the EDL IN at a small size (default 128x224 at
# 10 fps), so that a planned video renders in a moment.
shrink() {
	"$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
o = d.setdefault("output", {})
o["width"], o["height"], o["fps"] = map(int, sys.argv[3:6])
json.dump(d, open(sys.argv[2], "w"))' "$1" "$2" "${3:-128}" "${4:-224}" \
	    "${5:-10}"
}

# no_temps [DIR]: no temporary file (NAME.tmp.PID) is left in DIR.
no_temps() {
	! ls -a "${1:-.}" | grep -q '\.tmp\.'
}

# bg_render PID-FILE ARGS...: agency-produce ARGS in the background, with
# SIGINT and SIGTERM as an interactive shell would leave them (a
# non-interactive sh makes its background jobs ignore SIGINT).
bg_render() {
	_pf=$1
	shift
	env --default-signal=INT,TERM agency-produce "$@" >bg.out 2>bg.err &
	echo $! >"$_pf"
	_pids="$_pids $!"
}

# grown FILE-GLOB: wait (up to 60 s) until a file matching the glob has
# data in it.
grown() {
	_i=0
	while [ $_i -lt 1200 ]; do
		for _f in $1; do
			[ -s "$_f" ] && return 0
		done
		sleep 0.05
		_i=$((_i + 1))
	done
	return 1
}
