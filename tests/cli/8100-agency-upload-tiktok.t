#!/bin/sh
# agency-upload to TikTok, against tests/servers/fake_tiktok.py: OAuth
# with client_key and a hex PKCE challenge, rotating refresh tokens;
# creator_info (the privacy levels a creator is offered, the longest
# video), the FILE_UPLOAD init and its chunk math, the chunked PUT (206,
# then 201), status/fetch until PUBLISH_COMPLETE, the post's URL from
# publicaly_available_post_id; the faults of the checklist; kill -9 at
# each step then the same command: one post, always; the inbox mode,
# media checks, the dry run.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-upload.sh"
plan 1

mkdir -p config/agency
printf 'upload:\n  poll_interval: 0.05\n' >config/agency/config.yaml
make_video v.mp4 3 360x640
SHA=$(sha256sum v.mp4 | cut -d' ' -f1)
SIZE=$(stat -c %s v.mp4)
CHUNK=16384
fake_platform tiktok --client-secret test-secret --min-chunk $CHUNK

# TikTok's authorization page is /v2/auth/authorize/, not lib-upload's.
browser() {
	_i=0
	while ! grep -q 'http://127\.0\.0\.1:[0-9]*/v2/auth/authorize/' "$1" \
	    2>/dev/null && [ $_i -lt 200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	_url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/v2/auth/authorize/[^ ]*' \
	    "$1" | head -n 1)
	curl -s -L -o /dev/null "$_url${2:-}"
}
# tiktok_account ACCOUNT [SETTING=VALUE...]: added, pointed at the fake.
tiktok_account() {
	_acct=$1
	shift
	_sets=''
	for _s in "$@"; do
		_sets="$_sets --set $_s"
	done
	agency-upload accounts add "$_acct" --set "api_url=$FAKE_URL" \
	    --set client_key=agency-test --set client_secret=test-secret \
	    --set "auth_url=$FAKE_URL/v2/auth/authorize/" \
	    --set "token_url=$FAKE_URL/v2/oauth/token/" \
	    --set chunk_size=$CHUNK --set min_chunk_size=$CHUNK $_sets >/dev/null
}
n=0
# prod [EXTRA-JSON]: a production with a new content id in p.json.
prod() {
	n=$((n + 1))
	make_production "c_tt$n" v.mp4 "{\"captions\": {\"tiktok\": {\"title\": \"Clip c_tt$n\", \"description\": \"Three sourdough mistakes\", \"tags\": [\"sourdough\", \"baking\"]}}}" >p.json
}
# posts: how many posts the fake holds; one_post N: exactly one for
# content c_ttN, with our bytes.
posts() {
	fake_state 'len(d["posts"])'
}
one_post() {
	fake_state "sum(1 for p in d['posts'] if p['title'].startswith('Clip c_tt$1\n')) == 1 and all(p['sha256'] == '$SHA' for p in d['posts'] if p['title'].startswith('Clip c_tt$1\n'))" |
	    grep -q True
}

tiktok_account tiktok:main
log_mark
check 'auth through the browser' 'auth_with_browser tiktok:main'
prod
check 'publish' 'agency-upload -v --to tiktok:main p.json >post.json'
cat post.json err
done_testing
