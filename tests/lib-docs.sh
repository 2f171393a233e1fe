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
