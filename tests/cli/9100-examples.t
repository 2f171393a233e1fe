#!/bin/sh
# Every script in examples/ runs, as a user would run it.
. "${0%/*}/../lib.sh"
n=$(ls "$ROOT"/examples/*.sh | wc -l)
plan "$n"
export AGENCY_OUT="$T/results"
for ex in "$ROOT"/examples/*.sh; do
	check "examples/${ex##*/} runs" "sh '$ex'"
done
done_testing
