#!/bin/sh
# Every script in examples/ runs, as a user would run it.
. "${0%/*}/../lib.sh"
n=$(ls "$ROOT"/examples/*.sh | wc -l)
plan "$n"
export AGENCY_OUT="$T/results"
# The main job renders at full size by default: here a preview of the
# same job, through the configuration as a user would ask for one.
printf 'produce:\n  quality: draft\n  preset: x\n' >"$T/fast.yaml"
export AGENCY_CONFIG="$T/fast.yaml"
for ex in "$ROOT"/examples/*.sh; do
	check "examples/${ex##*/} runs" "sh '$ex'"
done
done_testing
