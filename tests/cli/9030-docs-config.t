#!/bin/sh
# 9030-docs-config: agency-config(5) documents every key of
# lib/core/configkeys.c with its type, default and environment variable,
# and every environment variable named there; and the EXAMPLES of
# agency(1) and agency-config(5) run and print what the pages show.
. "${0%/*}/../lib.sh"

PAGE=$ROOT/man/agency-config.5
KEYS=$ROOT/lib/core/configkeys.c

# The table, one key a line: NAME TYPE DEFAULT ENV (tab-separated; empty
# when NULL).  Entries span lines, so records are split at '{'.
awk 'BEGIN { RS = "{" }
/^[ \t\n]*"[^"]*",[ \t\n]*CFG_[A-Z]+/ {
	gsub(/[\t\n]+/, " ")
	sub(/^ */, "")
	key = $0; sub(/^"/, "", key); sub(/".*/, "", key)
	rest = $0; sub(/^"[^"]*", */, "", rest)
	type = rest; sub(/,.*/, "", type); sub(/^CFG_/, "", type)
	sub(/^CFG_[A-Z]+ *, */, "", rest)
	def = ""
	if (rest ~ /^"/) { def = rest; sub(/^"/, "", def); sub(/".*/, "", def) }
	sub(/^(NULL|"[^"]*") *, */, "", rest)
	env = ""
	if (rest ~ /^"/) { env = rest; sub(/^"/, "", env); sub(/".*/, "", env) }
	print key "\t" tolower(type) "\t" def "\t" env
}' "$KEYS" >keys.tsv
# Every environment variable the table names (all its upper-case strings).
grep -o '"[A-Z][A-Z0-9_]*"' "$KEYS" | tr -d '"' | sort -u >envs

# The EXAMPLES of a page as scripts: N.sh runs the Nth "$ command" of a
# literal display, N.out holds the lines the page shows after it.
examples() {	# PAGE DIR
	mkdir -p "$2"
	sed 's/\\e/\\/g; s/\\&//g' "$1" | awk -v dir="$2" '
	/^\.Sh / { inex = ($2 == "EXAMPLES"); next }
	!inex { next }
	/^\.Bd / { inbd = 1; cmds = 0; next }
	/^\.Ed/ { inbd = 0; next }
	!inbd { next }
	/^\$ / { n++; cmds = 1
		printf "%s\n", substr($0, 3) >(dir "/" n ".cmd")
		printf "" >(dir "/" n ".out")
		next }
	cmds { print >>(dir "/" n ".out") }'
}
examples "$ROOT/man/agency.1" "$T/ex1"
examples "$PAGE" "$T/ex5"

nkeys=$(wc -l <keys.tsv)
nenvs=$(wc -l <envs)
nex=$(ls "$T"/ex1/*.cmd "$T"/ex5/*.cmd 2>/dev/null | wc -l)
plan $((2 + nkeys + nenvs + nex))

ok_if 'keys were found in lib/core/configkeys.c' '[ "$nkeys" -gt 0 ]'
ok_if 'agency-config(5) exists' '[ -f "$PAGE" ]'

# The text of the list item ".It Cm KEY ..." up to the next item.
item() {
	awk -v k="$1" '
	$1 == ".It" && ($2 == "Cm" || $2 == "Ic") && $3 == k { on = 1; print; next }
	on && ($1 == ".It" || $1 == ".El") { exit }
	on { print }' "$PAGE"
}

while IFS='	' read -r key type def env; do
	re=$(printf '%s' "$key" | sed 's/[.*]/\\&/g')
	why=''
	if ! grep -Eq "(^|[ .])(Cm|Ic|Va) $re( |\$)" "$PAGE" 2>/dev/null; then
		why='not named (as Cm KEY)'
	elif [ "$type" != section ]; then
		item "$key" >item.txt
		if ! [ -s item.txt ]; then
			why='no ".It Cm KEY" item'
		elif ! grep -Eq "^\.It (Cm|Ic) $re Pq $type\$" item.txt; then
			why="type is not given as 'Pq $type'"
		elif [ -n "$def" ] && ! grep -Fq -- "$def" item.txt; then
			why="default '$def' is missing"
		elif [ -n "$env" ] && ! grep -Eq "(^|[ .])Ev $env( |\$)" item.txt; then
			why="environment variable $env is missing"
		fi
	fi
	ok_if "agency-config(5) documents $key" '[ -z "$why" ]'
	[ -z "$why" ] || echo "#   $key: $why"
done <keys.tsv

while read -r env; do
	ok_if "agency-config(5) documents \$$env" \
	    "grep -Eq '(^|[ .])Ev $env( |\$)' '$PAGE'"
done <envs

# Run the examples, each page's in order in a fresh place of its own,
# with none of the configuration's environment variables set.
unset_envs=$(tr '\n' ' ' <envs)
for d in ex1 ex5; do
	case $d in ex1) page=agency.1 ;; *) page=agency-config.5 ;; esac
	mkdir -p "$T/$d/run"
	i=1
	while [ -f "$T/$d/$i.cmd" ]; do
		{
			echo "cd '$T/$d/run' || exit 2"
			echo "export XDG_CONFIG_HOME='$T/$d/run/config'"
			echo "unset AGENCY_CONFIG $unset_envs"
			cat "$T/$d/$i.cmd"
		} >"$T/$d/$i.sh"
		{
			cat "$T/$d/$i.out"
			echo '[exit 0]'
		} >"$T/$d/$i.expect"
		check_same "$page EXAMPLES: $(tr -d '\\' <"$T/$d/$i.cmd")" \
		    "sh '$T/$d/$i.sh'; echo \"[exit \$?]\"" "cat '$T/$d/$i.expect'"
		i=$((i + 1))
	done
done
done_testing
