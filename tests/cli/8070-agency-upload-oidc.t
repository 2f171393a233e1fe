#!/bin/sh
# agency-upload auth against a real OAuth 2.0 server, oidc-provider from
# npm (tests/servers/oidc.mjs): the authorization code with PKCE through
# its login and consent pages and our loopback redirect, client
# authentication with HTTP Basic, refresh with rotation (the retired
# token is refused by the server), and a refresh token the server
# refuses marking the account needs_reconnect.
#
# npm is not always there: oidc-provider is installed once into
# .cache/test-servers/ when the registry answers within 15 s; otherwise
# every test is skipped with the reason (8020 runs the same flows
# against the Python fake, always).
. "${0%/*}/../lib.sh"
. "$TESTS/lib-upload.sh"
N=10
CACHE=${AGENCY_TEST_CACHE:-$ROOT/.cache/test-servers}/oidc-provider-9.13.3

command -v node >/dev/null 2>&1 || skip_all 'no node (nodejs)'
npm_server "$CACHE" 300 sh -c 'cd "$1" &&
    echo "{\"private\":true,\"type\":\"module\"}" >package.json &&
    npm install --no-audit --no-fund --loglevel=error oidc-provider@9.13.3' sh
plan $N

free_port() {
	"$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
OP=$(free_port)
RP=$(free_port)
I=http://127.0.0.1:$OP
RU=http://127.0.0.1:$RP/callback
cp "$SERVERS/oidc.mjs" "$CACHE/oidc-$$.mjs"
(cd "$CACHE" && OIDC_PORT=$OP OIDC_REDIRECT=$RU OIDC_PORT_FILE="$T/oidc.port" \
    exec node "oidc-$$.mjs") >"$T/oidc.log" 2>&1 &
_pids="$_pids $!"
i=0
while [ ! -s "$T/oidc.port" ] && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
rm -f "$CACHE/oidc-$$.mjs"
ok_if 'oidc-provider listens on 127.0.0.1' '[ -s "$T/oidc.port" ]'
[ -s "$T/oidc.port" ] || { sed 's/^/#   /' "$T/oidc.log"; exit 1; }

# The browser: oidc-provider's login and consent pages, then our redirect.
oidc_browser() {
	_i=0
	while ! grep -q "$I/auth" "$1" 2>/dev/null && [ $_i -lt 200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	_u=$(grep -o "$I/auth[^ ]*" "$1" | head -n 1)
	_j=$T/cookies
	loc() {
		curl -sS -o /dev/null -b "$_j" -c "$_j" -w '%{redirect_url}' "$@"
	}
	_u=$(loc "$_u")
	for _step in 1 2 3 4 5 6 7 8; do
		case $_u in
		"$RU"*)
			curl -s -o /dev/null "$_u"
			return 0
			;;
		*/interaction/*)
			_id=${_u##*/interaction/}
			if curl -sS -b "$_j" -c "$_j" "$_u" | grep -q 'name="login"'; then
				_u=$(loc -X POST --data 'prompt=login&login=alice&password=x' \
				    "$I/interaction/$_id")
			else
				_u=$(loc -X POST --data 'prompt=consent' "$I/interaction/$_id")
			fi
			;;
		*) _u=$(loc "$_u") ;;
		esac
	done
	return 1
}

CRED=$T/config/agency/credentials/youtube:oidc.json
check 'an account on the server' \
    "agency-upload accounts add youtube:oidc --set auth_url=$I/auth --set token_url=$I/token --set client_id=agency-upload --set client_secret=agency-secret --set token_auth=basic --set 'scope=openid offline_access upload' --set redirect_port=$RP"
agency-upload auth youtube:oidc --timeout 30 >/dev/null 2>"$T/auth.err" &
apid=$!
oidc_browser "$T/auth.err"
wait $apid
st=$?
ok_if 'auth: code + PKCE through the login page and 127.0.0.1' '[ $st -eq 0 ]'
[ -s "$T/auth.err" ] && sed -n '/agency-upload:/s/^/#   /p' "$T/auth.err"
ok_if 'an access token and a refresh token, 0600' \
    '[ -n "$(json_get "$CRED" "d[\"access_token\"]")" ] &&
     [ -n "$(json_get "$CRED" "d[\"refresh_token\"]")" ] &&
     [ "$(stat -c %a "$CRED")" = 600 ]'
rt0=$(json_get "$CRED" 'd["refresh_token"]')
check 'auth --refresh: the refresh_token grant' 'agency-upload auth youtube:oidc --refresh'
rt1=$(json_get "$CRED" 'd["refresh_token"]')
ok_if 'the refresh token was rotated and the new one saved' \
    '[ -n "$rt1" ] && [ "$rt1" != "$rt0" ]'
curl -s -u agency-upload:agency-secret --data-urlencode grant_type=refresh_token \
    --data-urlencode "refresh_token=$rt0" "$I/token" >replay.json
ok_if 'the server refuses the retired one (invalid_grant)' \
    '[ "$(json_get replay.json "d[\"error\"]")" = invalid_grant ]'
# oidc-provider revokes the whole grant when a retired token comes back.
expect_code 'so the newest is dead too: 77' 77 'agency-upload auth youtube:oidc --refresh'
ok_if 'and the account needs reconnecting' \
    'agency-upload accounts ls | grep -q "\"state\":\"needs_reconnect\""'
agency-upload auth youtube:oidc --timeout 30 >/dev/null 2>"$T/auth.err" &
apid=$!
oidc_browser "$T/auth.err"
wait $apid
st=$?
ok_if 'authorizing again makes it active' \
    '[ $st -eq 0 ] && agency-upload accounts ls | grep -q "\"state\":\"active\""'
done_testing
