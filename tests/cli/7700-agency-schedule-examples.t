#!/bin/sh
# The EXAMPLES of agency-schedule(1) run and print what the page shows.
# Each literal display with "$ " commands is one scenario, run in a fresh
# folder with a store of its own and a production, sourdough.json.  The
# page's "agency-upload accounts add" and "auth" are a stand-in here
# (first in PATH) that makes the accounts row the real pair leaves: an
# active account; the real auth needs a browser and the platform.
. "${0%/*}/../lib.sh"

PAGE=$ROOT/man/agency-schedule.1
Q=$T/sbin
mkdir -p "$Q"
cat >"$Q/agency-upload" <<'EOF'
#!/bin/sh
[ "$1" = auth ] && exit 0
[ "$1 $2" = "accounts add" ] || exit 64
agency-schedule ls >/dev/null 2>&1
sqlite3 "$XDG_DATA_HOME/agency/agency.db" "INSERT INTO accounts (name,
    platform, created_at, updated_at) VALUES ('$3', '${3%%:*}', 0, 0)"
EOF
chmod +x "$Q/agency-upload"

. "$TESTS/lib-docs.sh"
total=$(displays "$PAGE" "$T")
plan $((total + 1))
ok_if 'the page has examples to run' '[ "$total" -ge 5 ]'

for f in "$T"/*.sh; do
	n=${f##*/}
	n=${n%.sh}
	d=$T/run.$n
	mkdir -p "$d"
	: >"$d/sourdough.mp4"
	printf '{"kind":"agency.production","version":1,"id":"c_sourdough","video":"%s"}\n' \
	    "$d/sourdough.mp4" >"$d/sourdough.json"
	touch "$T/$n.out"
	{
		echo "cd '$d' || exit 2"
		echo "export HOME='$d' XDG_CONFIG_HOME='$d/config'"
		echo "export XDG_DATA_HOME='$d/data' PATH='$Q:$ROOT/bin:/usr/bin:/bin'"
		echo "unset AGENCY_CONFIG AGENCY_DB"
		# the later displays build on the accounts of the first
		echo "agency-upload accounts add youtube:main"
		echo "agency-upload accounts add tiktok:brand"
		echo "set -e"
		grep -v '^agency-upload accounts add' "$f"
	} >"$T/$n.run"
	check_same "agency-schedule.1 EXAMPLES, display $n: $(head -n 1 "$f")" \
	    "sh '$T/$n.run' 2>'$T/$n.err'; echo \"[exit \$?]\"" \
	    "cat '$T/$n.out'; echo '[exit 0]'"
done
done_testing
