#!/bin/sh
# 9020-docs-completions: the committed shell completions are what
# completions/gen makes from the binaries now, they offer every option,
# they parse, and the bash one completes.
. "${0%/*}/../lib.sh"

. "$TESTS/lib-docs.sh"
COMP=$ROOT/completions

# files BIN: the three completion files of BIN, relative to completions/.
files() {
	echo "bash/$1 zsh/_$1 fish/$1.fish"
}

# complete_bash LINE WORD...: run the committed bash completion for
# agency on LINE, split into WORDs as bash splits it, cursor at the end.
complete_bash() {
	PATH="$ROOT/bin:/usr/bin:/bin" bash -c '
		. "$1" || exit 1
		shift
		COMP_LINE=$1 COMP_POINT=${#1}
		shift
		COMP_WORDS=("$@") COMP_CWORD=$(($# - 1))
		_agency agency "${COMP_WORDS[COMP_CWORD]}" \
		    "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort' \
	    sh "$COMP/bash/agency" "$@"
}

bins=''
for b in "$ROOT"/bin/agency*; do
	n=${b##*/}
	case $n in *.*) continue ;; esac
	[ -f "$b" ] && [ -x "$b" ] && bins="$bins $n"
done
nbins=0
for b in $bins; do
	nbins=$((nbins + 1))
done
have_zsh=0 have_fish=0
command -v zsh >/dev/null 2>&1 && have_zsh=1
command -v fish >/dev/null 2>&1 && have_fish=1

plan $((3 + nbins * 9 + 4))

check 'completions/gen regenerates the completions' \
    '"$COMP/gen" "$ROOT/bin" "$T/gen"'
ok_if 'there are binaries in bin/' '[ "$nbins" -gt 0 ]'

# No committed file is left over from a binary that is gone.
stale=''
for f in "$COMP"/bash/* "$COMP"/zsh/* "$COMP"/fish/*; do
	[ -e "$f" ] || continue
	rel=${f#"$COMP"/}
	[ -e "$T/gen/$rel" ] || stale="$stale $rel"
done
ok_if 'every committed completion file is still generated' '[ -z "$stale" ]'
[ -z "$stale" ] || echo "#   not generated any more:$stale"

for b in $bins; do
	for rel in $(files "$b"); do
		check_same "completions/$rel is up to date (run 'make completions')" \
		    "cat '$T/gen/$rel'" "cat '$COMP/$rel'"
	done

	# Every option of the binary and its commands, plus the shared ones.
	opts=$SHARED_LONG
	walk "$b" >"$T/$b.paths"
	while IFS= read -r p; do
		opts="$opts $(dump "$b" $p | awk -F'\t' '$1 == "opt" {
		    if ($3 != "-") print $3; else print "-" $2 }' | tr '\n' ' ')"
	done <"$T/$b.paths"
	for rel in $(files "$b"); do
		f=$COMP/$rel
		missing=''
		for o in $opts; do
			case $rel in
			fish/*)
				case $o in
				-?) re="-s '?${o#-}'?( |\$)" ;;
				*) re="-l '?$o'?( |\$)" ;;
				esac
				;;
			*)
				case $o in
				-?) re="(^|[^A-Za-z0-9_-])$o([^A-Za-z0-9_-]|\$)" ;;
				*) re="(^|[^A-Za-z0-9_-])--$o([^A-Za-z0-9_-]|\$)" ;;
				esac
				;;
			esac
			grep -Eq -- "$re" "$f" 2>/dev/null || missing="$missing $o"
		done
		ok_if "completions/$rel offers every option of $b" \
		    '[ -z "$missing" ]'
		[ -z "$missing" ] || echo "#   missing:$missing"
	done

	check "bash -n completions/bash/$b" "bash -n '$COMP/bash/$b'"
	if [ "$have_zsh" = 1 ]; then
		check "zsh -n completions/zsh/_$b" "zsh -n '$COMP/zsh/_$b'"
	else
		ok_if "zsh -n completions/zsh/_$b # SKIP no zsh" true
	fi
	if [ "$have_fish" = 1 ]; then
		check "fish -n completions/fish/$b.fish" \
		    "fish --no-config -n '$COMP/fish/$b.fish'"
	else
		ok_if "fish -n completions/fish/$b.fish # SKIP no fish" true
	fi
done

check_same 'bash: agency conf<TAB> completes the command' \
    'complete_bash "agency conf" agency conf' 'echo config'
check_same 'bash: agency config <TAB> lists its commands' \
    'complete_bash "agency config " agency config ""' \
    'printf "%s\n" get list path set'
check_same 'bash: agency --progress=<TAB> lists the values' \
    'complete_bash "agency --progress=" agency --progress =' \
    'printf "%s\n" auto json none'
check_same 'bash: agency config get --js<TAB> completes the option' \
    'complete_bash "agency config get --js" agency config get --js' \
    'echo --json'
done_testing
