#!/bin/sh
# 9000-docs-lint: every manual page is clean under mandoc -Tlint -W warning.
. "${0%/*}/../lib.sh"

pages=$(ls "$ROOT"/man/*.[1-9] 2>/dev/null)
n=0
for p in $pages; do
	n=$((n + 1))
done
plan $((n + 1))
ok_if 'there are manual pages' '[ "$n" -gt 0 ]'
for p in $pages; do
	check "mandoc -Tlint is clean for man/${p##*/}" \
	    "mandoc -Tlint -W warning '$p' >&2"
done
done_testing
