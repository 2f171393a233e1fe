#!/bin/sh
# 9010-docs-options: every binary has a manual page, and the page agrees
# with the binary's option table (--dump-options) both ways: every option
# and command of the binary and its (nested) commands is in the page, and
# every --option in the page is one the binary accepts.
. "${0%/*}/../lib.sh"

. "$TESTS/lib-docs.sh"
# has PAGE REGEX: a line of PAGE matches REGEX (grep -E).
has() {
	grep -Eq -- "$2" "$1"
}

# opt_pattern -x|--name: how an option is written in mdoc.
opt_pattern() {
	case $1 in
	--*) echo "Fl Fl ${1#--}" ;;
	*) echo "Fl ${1#-}" ;;
	esac
}

bins=''
for b in "$ROOT"/bin/agency*; do
	n=${b##*/}
	case $n in *.*) continue ;; esac
	[ -f "$b" ] && [ -x "$b" ] && bins="$bins $n"
done

# Walk every binary first: the plan needs the count.
total=0
for b in $bins; do
	walk "$b" >"$T/$b.paths"
	: >"$T/$b.tsv"
	while IFS= read -r p; do
		dump "$b" $p | awk -v p="$p" '{ print p "\t" $0 }' >>"$T/$b.tsv"
	done <"$T/$b.paths"
	np=$(wc -l <"$T/$b.paths")
	nc=$(awk -F'\t' '$2 == "cmd" { print $1 }' "$T/$b.tsv" | sort -u |
	    wc -l)
	total=$((total + 3 + np + nc))
done
plan $((total + 1))
ok_if 'there are binaries in bin/' '[ -n "$bins" ]'

for b in $bins; do
	page=$ROOT/man/$b.1
	ok_if "$b has a manual page man/$b.1" '[ -f "$page" ]'
	[ -f "$page" ] || page=/dev/null

	missing=''
	for o in $SHARED_LONG; do
		has "$page" "(^|[ .])Fl Fl $o([^A-Za-z0-9_-]|\$)" ||
		    missing="$missing --$o"
	done
	for o in $SHARED_SHORT; do
		has "$page" "(^|[ .])Fl $o([^A-Za-z0-9_-]|\$)" ||
		    missing="$missing -$o"
	done
	ok_if "$b.1 documents the shared options" '[ -z "$missing" ]'
	[ -z "$missing" ] || echo "#   missing from $b.1:$missing"

	while IFS= read -r p; do
		what="'$b${p:+ $p}'"
		missing=''
		for o in $(awk -F'\t' -v p="$p" '$1 == p && $2 == "opt" {
		    if ($4 != "-") print "--" $4; else print "-" $3 }' \
		    "$T/$b.tsv"); do
			has "$page" "(^|[ .])$(opt_pattern "$o")([^A-Za-z0-9_-]|\$)" ||
			    missing="$missing $o"
		done
		ok_if "$b.1 documents the options of $what" '[ -z "$missing" ]'
		[ -z "$missing" ] || echo "#   missing from $b.1:$missing"

		cmds=$(awk -F'\t' -v p="$p" '$1 == p && $2 == "cmd" { print $3 }' \
		    "$T/$b.tsv")
		[ -n "$cmds" ] || continue
		missing=''
		for c in $cmds; do
			has "$page" "^\\.(.* )?(Cm|Ic) (.* )?$c( |\$)" ||
			    has "$page" "(^|[ .])Xr $b-$c 1" ||
			    missing="$missing $c"
		done
		ok_if "$b.1 names the commands of $what" '[ -z "$missing" ]'
		[ -z "$missing" ] || echo "#   missing from $b.1 (as Cm NAME):$missing"
	done <"$T/$b.paths"

	# And back: every --option the page shows is one the binary takes.
	known=" $SHARED_LONG $HIDDEN $(awk -F'\t' '$2 == "opt" && $4 != "-" {
	    print $4 }' "$T/$b.tsv" | tr '\n' ' ') "
	extra=''
	for o in $(awk '{ for (i = 1; i + 2 <= NF; i++)
	    if ($i ~ /^\.?Fl$/ && $(i + 1) == "Fl" && $(i + 2) ~ /^[a-z0-9]/ &&
	        $(i + 2) !~ /-$/)
		    print $(i + 2) }' "$page" | sort -u); do
		case $known in
		*" $o "*) ;;
		*) extra="$extra --$o" ;;
		esac
	done
	ok_if "every --option in $b.1 is one $b accepts" '[ -z "$extra" ]'
	[ -z "$extra" ] || echo "#   not accepted by $b:$extra"
done
done_testing
