# tests/lib-docs.sh - what the documentation tests (90xx) share, sourced
# after lib.sh: the option tables of the binaries and their commands.

# The options every binary takes, which --dump-options leaves out.
SHARED_LONG='config help json progress quiet verbose version'
SHARED_SHORT='h q v'
HIDDEN='dump-options'

# dump BIN [CMD...]: the option table of "BIN CMD...".  PATH holds only
# bin/, so that no plugin of the user's shows up among the commands.
dump() {
	_bin=$1
	shift
	PATH="$ROOT/bin" AGENCY_PLUGIN_PATH='' "$ROOT/bin/$_bin" "$@" \
	    --dump-options </dev/null
}

# walk BIN [WORDS]: WORDS, then the words of every command under it.  A
# command that is a binary of its own (bin/BIN-CMD: the front's tools)
# is that binary's business, not this one's.
walk() {
	printf '%s\n' "${2-}"
	dump "$1" ${2-} | sed -n 's/^cmd	\([^	]*\)	.*$/\1/p' |
	    while read -r _c; do
		[ -x "$ROOT/bin/$1-$_c" ] && continue
		walk "$1" "${2:+$2 }$_c"
	done
}

# displays PAGE DIR: the EXAMPLES of a manual page as scenarios, DIR/N.sh
# the "$ " commands of the Nth literal display, DIR/N.out the lines it
# shows after them (mdoc escapes \e and \& undone); prints how many
# scenarios there are.
displays() {
	sed 's/\\e/\\/g; s/\\&//g' "$1" | awk -v dir="$2" '
	/^\.Sh / { inex = ($2 == "EXAMPLES"); next }
	!inex { next }
	/^\.Bd / { inbd = 1; n++; next }
	/^\.Ed/ { inbd = 0; next }
	!inbd { next }
	/^\$ / { printf "%s\n", substr($0, 3) >>(dir "/" n ".sh"); next }
	{ print >>(dir "/" n ".out") }'
	ls "$2" | grep -c '\.sh$'
}
