#!/bin/sh
# The EXAMPLES of agency-queue(1) run and print what the page shows.
# Each literal display with "$ " commands is one scenario, run in a
# fresh folder with a store of its own.  The tools the examples name
# (script, produce, upload) are stand-ins here: agency-queue and the
# front are copied into a folder of their own with them, because tools
# are found beside the binary first, and the real ones would render.
. "${0%/*}/../lib.sh"

PAGE=$ROOT/man/agency-queue.1
Q=$T/qbin
mkdir -p "$Q"
cp "$ROOT/bin/agency" "$ROOT/bin/agency-queue" "$Q/"
cat >"$Q/agency-script" <<'EOF'
#!/bin/sh
echo "{\"kind\":\"agency.script\",\"version\":1,\"title\":\"$2\"}"
EOF
cat >"$Q/agency-produce" <<'EOF'
#!/bin/sh
cat >/dev/null
echo "produce: rendering" >&2
echo '{"kind":"agency.production","version":1,"video":"/tmp/x.mp4"}'
EOF
cat >"$Q/agency-upload" <<'EOF'
#!/bin/sh
cat >/dev/null
echo '{"kind":"agency.post","version":1,"platform":"youtube"}'
EOF
chmod +x "$Q"/agency-*

# N.sh: the commands of the Nth display with any, N.out what it shows.
. "$TESTS/lib-docs.sh"
total=$(displays "$PAGE" "$T")
plan $((total + 1))
ok_if 'the page has examples to run' '[ "$total" -ge 4 ]'

for f in "$T"/*.sh; do
	n=${f##*/}
	n=${n%.sh}
	mkdir -p "$T/run.$n"
	touch "$T/$n.out"
	{
		echo "cd '$T/run.$n' || exit 2"
		echo "export HOME='$T/run.$n' XDG_CONFIG_HOME='$T/run.$n/config'"
		echo "export XDG_DATA_HOME='$T/run.$n/data' PATH='$Q:/usr/bin:/bin'"
		echo "unset AGENCY_CONFIG AGENCY_DB AGENCY_QUEUE_DIR AGENCY_PLUGIN_PATH"
		echo "set -e"
		cat "$f"
		echo "wait"
	} >"$T/$n.run"
	check_same "agency-queue.1 EXAMPLES, display $n: $(head -n 1 "$f")" \
	    "sh '$T/$n.run' 2>'$T/$n.err'; echo \"[exit \$?]\"" \
	    "cat '$T/$n.out'; echo '[exit 0]'"
done
done_testing
