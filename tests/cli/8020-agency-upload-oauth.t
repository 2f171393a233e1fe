#!/bin/sh
# OAuth from the command line, against the fake's OAuth server (always
# here; 8070 does the same with oidc-provider when npm can get it):
# agency-upload auth through the loopback redirect, refresh before
# expiry and once on a 401, rotation persisted, a dead refresh token
# marks the account needs_reconnect and is never retried in a loop.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-upload.sh"
plan 25
CRED=$T/config/agency/credentials/youtube:main.json

make_video v.mp4 1
fake_platform youtube --client-secret test-secret --rotate
check 'auth: authorization code + PKCE through 127.0.0.1' \
    'oauth_account youtube:main'
ok_if 'the account is active' \
    'agency-upload accounts ls | grep -q "\"state\":\"active\""'
ok_if 'the tokens are in a 0600 file' \
    '[ "$(stat -c %a "$CRED")" = 600 ] &&
     [ -n "$(json_get "$CRED" "d[\"refresh_token\"]")" ]'
grep -q 'Open this address' "$T/auth.err"
ok_if 'the URL was shown on stderr, with a PKCE challenge' \
    'grep -q "code_challenge=.*code_challenge_method=S256" "$T/auth.err"'
ok_if 'the token request carried the client secret, not in the URL' \
    'grep "\"path\": \"/oauth/token\"" "$FAKE_LOG" | grep -q "client_secret=test-secret" &&
     ! grep -q "client_secret" "$T/auth.err"'

rt0=$(json_get "$CRED" 'd["refresh_token"]')
"$PY" -c "import json
d=json.load(open('$CRED')); d['expires_at']=1
json.dump(d, open('$CRED','w'))"
make_production c_o1 v.mp4 >p1.json
check 'an expired token is refreshed before the upload' \
    'agency-upload -v --to youtube:main p1.json'
grep_err 'saying so at -v' 'refreshing the access token'
ok_if 'one refresh' '[ "$(fake_state "d[\"refreshes\"]")" = 1 ]'
ok_if 'the rotated refresh token was saved' \
    '[ "$(json_get "$CRED" "d[\"refresh_token\"]")" != "$rt0" ]'
ok_if 'the file is still 0600' '[ "$(stat -c %a "$CRED")" = 600 ]'

make_production c_o2 v.mp4 >p2.json
fake_fault expire-token
check 'a 401 in the middle: refreshed once, sent again' \
    'agency-upload --to youtube:main p2.json'
ok_if 'two refreshes in all' '[ "$(fake_state "d[\"refreshes\"]")" = 2 ]'
ok_if 'both videos exist, once each' '[ "$(fake_state "len(d[\"videos\"])")" = 2 ]'

check 'auth --refresh checks the account' 'agency-upload auth youtube:main --refresh'
ok_if '(three refreshes)' '[ "$(fake_state "d[\"refreshes\"]")" = 3 ]'

# The user revoked the app: the next refresh is invalid_grant.
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/revoke"
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/expire"
make_production c_o3 v.mp4 >p3.json
n0=$(grep -c '"/oauth/token"' "$FAKE_LOG")
expect_code 'a dead refresh token: 77' 77 'agency-upload --to youtube:main p3.json'
grep_err 'saying what to do' "run 'agency-upload auth youtube:main'"
ok_if 'one refresh was tried, no loop' \
    '[ $(( $(grep -c "\"/oauth/token\"" "$FAKE_LOG") - n0 )) -eq 1 ]'
ok_if 'the account needs reconnecting' \
    'agency-upload accounts ls | grep -q "\"state\":\"needs_reconnect\""'
n1=$(wc -l <"$FAKE_LOG")
expect_code 'the next run stops at once: 77' 77 'agency-upload --to youtube:main p3.json'
ok_if 'without a request' '[ $(wc -l <"$FAKE_LOG") -eq "$n1" ]'

expect_code 'the user refusing in the browser: 77' 77 \
    'auth_with_browser youtube:main "&deny=1"'
ok_if 'saying so' 'grep -q "authorization refused: access_denied" "$T/auth.err"'
check 'authorizing again' 'oauth_account youtube:main'
check 'makes it usable' 'agency-upload --to youtube:main p3.json'
done_testing
