#!/bin/sh
# agency-upload accounts add|ls|rm and auth for the kinds of secret that
# need no browser: settings checked, secrets kept out of the store in
# 0600 files (refused when others may read them), the account's state
# honest (active only when it can publish).
. "${0%/*}/../lib.sh"
plan 30
CRED=$T/config/agency/credentials

check 'add an s3 account' \
    'agency-upload accounts add s3:store --set endpoint=http://127.0.0.1:9 --set bucket=b >a.json'
ok_if 'it needs reconnecting until it has keys' \
    '[ "$(json_get a.json "d[\"state\"]")" = needs_reconnect ] &&
     [ "$(json_get a.json "d[\"reason\"]")" = "not authorized yet" ]'
expect_code 'a setting the platform does not have: 64' 64 \
    'agency-upload accounts add s3:store --set colour=red'
grep_err 'naming it' "s3 accounts have no setting 'colour'"
expect_code 'a required setting missing: 64' 64 \
    'agency-upload accounts add s3:other --set bucket=b'
grep_err 'naming it' "needs the setting 'endpoint'"
expect_code 'not key=value: 64' 64 'agency-upload accounts add s3:store --set bucket'
expect_code 'an unknown platform: 78' 78 'agency-upload accounts add foo:bar'
expect_code 'a bad name: 64' 64 "agency-upload accounts add 'dir:a/b'"

check 'auth with a key id and the secret on stdin' \
    'echo sekrit-key-0123 | agency-upload auth s3:store --user AKID0001 >a.json'
ok_if 'the account is active' '[ "$(json_get a.json "d[\"state\"]")" = active ]'
ok_if 'the secrets are in a 0600 file' \
    '[ "$(stat -c %a "$CRED/s3:store.json")" = 600 ] &&
     [ "$(json_get "$CRED/s3:store.json" "d[\"secret_key\"]")" = sekrit-key-0123 ] &&
     [ "$(json_get "$CRED/s3:store.json" "d[\"access_key\"]")" = AKID0001 ]'
ok_if 'in a 0700 folder' '[ "$(stat -c %a "$CRED")" = 700 ]'
ok_if 'and nowhere in the store' \
    '! grep -q sekrit-key-0123 "$T"/data/agency/agency.db*'
expect_code 'keys without --user: 64' 64 \
    'echo x | agency-upload auth s3:store'
expect_code 'no secret on stdin: 64' 64 \
    'agency-upload auth s3:store --user AKID </dev/null'

check 'a webhook with its secret given as a setting' \
    'agency-upload accounts add webhook:hook --set url=http://127.0.0.1:9/h'
check 'auth webhook' 'echo whsec-0123 | agency-upload auth webhook:hook'
ok_if 'the secret is in the file' \
    '[ "$(json_get "$CRED/webhook:hook.json" "d[\"secret\"]")" = whsec-0123 ]'

check 'ls: a table on a terminal, NDJSON otherwise' \
    'agency-upload accounts ls >ls.out'
ok_if 'two accounts, with has_credentials' \
    '[ $(wc -l <ls.out) -eq 2 ] && grep -q "\"has_credentials\":true" ls.out'
ok_if 'no secret in the listing' '! grep -q "sekrit\|whsec" ls.out'

chmod 644 "$CRED/s3:store.json"
make_prod() {
	ffmpeg -nostdin -v error -f lavfi -i testsrc=size=160x120:rate=10 \
	    -t 1 -c:v libx264 -preset ultrafast -pix_fmt yuv420p \
	    -movflags +faststart -use_editlist 0 v.mp4
	printf '{"kind":"agency.production","version":1,"id":"c_a","video":"%s"}\n' \
	    "$T/v.mp4" >p.json
}
make_prod
expect_code 'credentials others may read are refused: 77' 77 \
    'agency-upload --to s3:store p.json'
grep_err 'with the fix' "chmod 600 .*s3:store.json"
chmod 600 "$CRED/s3:store.json"

rm "$CRED/webhook:hook.json"
expect_code 'credentials gone: 77' 77 'agency-upload --to webhook:hook p.json'
check 'and the account says so' 'agency-upload accounts ls >ls.out'
ok_if '(needs_reconnect: no credentials)' \
    'grep -q "\"name\":\"webhook:hook\".*\"state\":\"needs_reconnect\",\"reason\":\"no credentials\"" ls.out'
expect_code 'no account: 78' 78 'agency-upload --to youtube:nobody p.json'

check 'rm removes the account and its credentials' 'agency-upload accounts rm s3:store'
ok_if '(both gone)' \
    '! agency-upload accounts ls | grep -q s3:store && [ ! -e "$CRED/s3:store.json" ]'
done_testing
