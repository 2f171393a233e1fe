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
plan 117

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
	add_account "$_acct" "api_url=$FAKE_URL" client_key=agency-test \
	    client_secret=test-secret "auth_url=$FAKE_URL/v2/auth/authorize/" \
	    "token_url=$FAKE_URL/v2/oauth/token/" chunk_size=$CHUNK \
	    min_chunk_size=$CHUNK "$@"
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
	fake_one posts "(x['title'] or '').startswith('Clip c_tt$1\n')" "$SHA"
}

tiktok_account tiktok:main
log_mark
check 'auth through the browser' 'auth_with_browser tiktok:main'
ok_if 'with client_key, comma-separated scopes and a hex S256 challenge' \
    'log_has "any(r[\"path\"].startswith(\"/v2/auth/authorize/?\") and \"client_key=agency-test\" in r[\"path\"] and \"scope=user.info.basic%2Cvideo.publish%2Cvideo.upload\" in r[\"path\"] and set(r[\"path\"].split(\"code_challenge=\")[1].split(\"&\")[0]) <= set(\"0123456789abcdef\") and len(r[\"path\"].split(\"code_challenge=\")[1].split(\"&\")[0]) == 64 for r in L)" &&
     log_has "any(r[\"path\"] == \"/v2/oauth/token/\" and \"client_key=agency-test\" in r[\"body\"] and \"code_verifier=\" in r[\"body\"] and r[\"status\"] == 200 for r in L)"'

prod
log_mark
check 'publish' 'agency-upload --to tiktok:main p.json >post.json'
ok_if 'one agency.post: published, the post id and its tiktok.com URL' \
    'fake_state "d[\"posts\"][0][\"post_id\"]" >id && "$PY" -c "import json
d=json.load(open(\"post.json\"))
assert d[\"state\"] == \"published\" and d[\"platform\"] == \"tiktok\", d
assert d[\"remote_id\"] == open(\"id\").read().strip(), d
assert d[\"url\"] == \"https://www.tiktok.com/@fakecreator/video/\" + d[\"remote_id\"], d
assert d[\"privacy\"] == \"PUBLIC_TO_EVERYONE\" and d[\"publish_id\"].startswith(\"v_pub_file~\")
assert d[\"bytes\"] == $SIZE"'
ok_if 'the fake holds one post with our bytes' 'one_post 1 && [ "$(posts)" = 1 ]'
ok_if 'creator_info, then one init, then the chunks in order: 206 each, 201 last' \
    '"$PY" -c "import json
L=[json.loads(l) for l in open(\"$FAKE_LOG\")][$LOG0:]
p=[r[\"path\"].split(\"?\")[0] for r in L if r[\"path\"].startswith(\"/v2/post/publish/\") or r[\"path\"].startswith(\"/video/\")]
assert p[0] == \"/v2/post/publish/creator_info/query/\" and p[1] == \"/v2/post/publish/video/init/\", p
puts=[r for r in L if r[\"method\"] == \"PUT\"]
assert len(puts) == $SIZE // $CHUNK > 2, len(puts)
assert [r[\"status\"] for r in puts] == [206] * (len(puts) - 1) + [201]
assert [int(r[\"headers\"][\"content-range\"][6:].split(\"-\")[0]) for r in puts] == [i * $CHUNK for i in range(len(puts))]
assert puts[-1][\"headers\"][\"content-range\"].endswith(\"-%d/%d\" % ($SIZE - 1, $SIZE))
assert all(\"authorization\" not in r[\"headers\"] for r in puts)
assert p[-1] == \"/v2/post/publish/status/fetch/\""'
ok_if 'the init: FILE_UPLOAD, the chunk math, the privacy, AIGC' \
    'fake_state "d[\"posts\"][0]" >pub.json && "$PY" -c "import json
p=json.load(open(\"pub.json\"))
assert p[\"size\"] == $SIZE and p[\"chunk\"] == $CHUNK and p[\"count\"] == $SIZE // $CHUNK
assert p[\"privacy\"] == \"PUBLIC_TO_EVERYONE\" and p[\"post_info\"][\"is_aigc\"] is True
assert p[\"post_info\"][\"disable_comment\"] is False"'
ok_if 'the caption: title, description, hashtags, and the marker last' \
    '"$PY" -c "import json
t=json.load(open(\"pub.json\"))[\"title\"].split(\"\n\n\")
assert t[:3] == [\"Clip c_tt1\", \"Three sourdough mistakes\", \"#sourdough #baking\"], t
assert t[3].startswith(\"agency-\") and len(t) == 4, t"'
check 'the same command again' 'agency-upload --to tiktok:main p.json >again.json'
ok_if 'prints the existing post, makes none' \
    '[ "$(json_get again.json "d[\"existing\"]")" = True ] && [ "$(posts)" = 1 ]'
check 'status --remote asks status/fetch' 'agency-upload status --remote tiktok:main >st.json'
ok_if 'which says PUBLISH_COMPLETE, with the post id' \
    '[ "$(json_get st.json "d[\"remote\"][\"status\"]")" = PUBLISH_COMPLETE ] &&
     [ "$(json_get st.json "d[\"remote\"][\"post_id\"]")" = "$(cat id)" ]'

prod
check 'flags: --privacy private, a title' \
    "agency-upload --to tiktok:main --privacy private --title 'Clip c_tt$n' --tags x p.json >post.json"
ok_if 'SELF_ONLY; no public post id, so the publish and the profile' \
    'fake_state "d[\"posts\"][-1]" >pub.json && "$PY" -c "import json
p=json.load(open(\"pub.json\")); d=json.load(open(\"post.json\"))
assert p[\"privacy\"] == \"SELF_ONLY\" and p[\"post_id\"] is None
assert p[\"title\"].split(\"\n\n\")[2] == \"#x\"
assert d[\"remote_id\"] == p[\"publish_id\"] and d[\"url\"] == \"https://www.tiktok.com/@fakecreator\", d"'

# What the creator is offered.
curl -s -o /dev/null -X POST -d '{"privacy_level_options": ["SELF_ONLY"]}' "$FAKE_URL/_fake/creator"
prod
log_mark
expect_code 'privacy public, not offered (the account setting): 78' 78 \
    'agency-upload --to tiktok:main p.json'
grep_err 'saying what is offered' 'does not offer privacy PUBLIC_TO_EVERYONE.*offered: SELF_ONLY.*--privacy private'
expect_code 'the same asked with --privacy: 65' 65 \
    'agency-upload --to tiktok:main --privacy public p.json'
ok_if 'no init was sent' '! log_has "any(\"init\" in r[\"path\"] for r in L)"'
expect_code '--privacy unlisted, which TikTok has not: 65' 65 \
    'agency-upload --to tiktok:main --privacy unlisted p.json'
grep_err 'naming the choices' "no privacy 'unlisted': use public, followers, friends or private"
check 'private, offered: published' 'agency-upload --to tiktok:main --privacy private p.json'
ok_if 'one post' "one_post $n"
curl -s -o /dev/null -X POST -d '{"privacy_level_options": ["PUBLIC_TO_EVERYONE", "SELF_ONLY"], "max_video_post_duration_sec": 2}' "$FAKE_URL/_fake/creator"
prod
expect_code 'longer than the creator may post: 65' 65 'agency-upload --to tiktok:main p.json'
grep_err 'naming the limit' 'over 2 \(the longest this creator may post\)'
curl -s -o /dev/null -X POST -d '{"max_video_post_duration_sec": 600, "comment_disabled": true}' "$FAKE_URL/_fake/creator"
check 'a creator with comments off' 'agency-upload --to tiktok:main p.json'
ok_if 'the post has them off too' \
    "one_post $n && [ \"\$(fake_state 'd[\"posts\"][-1][\"post_info\"][\"disable_comment\"]')\" = True ]"
curl -s -o /dev/null -X POST -d '{"comment_disabled": false}' "$FAKE_URL/_fake/creator"

# Faults in the upload.
prod
log_mark
fake_fault drop random 3
check 'connections dropped in chunks: each sent again' \
    'agency-upload -v --to tiktok:main p.json'
grep_err 'saying so' 'chunk [0-9]+ of [0-9]+ interrupted'
ok_if 'one post, our bytes, after three drops' \
    "one_post $n && log_has 'sum(r[\"status\"] == \"dropped\" for r in L) == 3'"
prod
log_mark
fake_fault 5xx 502 2
check 'a 502 twice: done' 'agency-upload --to tiktok:main p.json'
ok_if 'one post, after the 502s' "one_post $n && log_has 'sum(r[\"status\"] == 502 for r in L) == 2'"
prod
log_mark
fake_fault finalize-5xx
check 'a 503 on the last chunk, which was kept: asked, not sent twice' \
    'agency-upload -v --to tiktok:main p.json'
ok_if 'one post, after the 503, the last chunk sent once' \
    "one_post $n && log_has 'any(r[\"status\"] == 503 for r in L) and sum(r[\"method\"] == \"PUT\" for r in L) == $SIZE // $CHUNK'"
prod
log_mark
fake_fault create-drop
check 'the post made, the answer lost: status/fetch says so' \
    'agency-upload --to tiktok:main p.json'
ok_if 'one post, one init' \
    "one_post $n && log_has 'any(r[\"status\"] == \"dropped\" for r in L) and sum(\"/init/\" in r[\"path\"] for r in L) == 1'"

prod
fake_fault slow 3000
printf 'upload:\n  poll_interval: 0.05\nhttp:\n  timeout: 1\n' >timeout.yaml
check 'a request that times out: sent again' \
    'agency-upload -v --config timeout.yaml --to tiktok:main p.json'
grep_err 'after the timeout' '[Tt]ime(d)? ?out'
ok_if 'one post' "one_post $n"

# Rate limits (429 rate_limit_exceeded, no Retry-After), tokens.
prod
log_mark
fake_fault 429
check 'a 429: backed off, then done' 'agency-upload -v --to tiktok:main p.json'
ok_if 'one post, after the 429 in TikTok words' \
    "one_post $n && log_has 'any(r[\"status\"] == 429 for r in L)'"
grep_err 'the wait said' 'retry 1 of [0-9]+ in|rate_limit_exceeded; waiting'
prod
fake_fault 429 '' 0
printf 'upload:\n  poll_interval: 0.05\nhttp:\n  max_wait: 0.5\n' >short.yaml
expect_code 'rate limited past http.max_wait: 75, for the queue to retry' 75 \
    'agency-upload --config short.yaml --to tiktok:main p.json'
grep_err 'saying when' 'rate_limit_exceeded; try again in [0-9]+ s'
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"name":"429","count":1}' "$FAKE_URL/_fake/fault"
fake_state 'd' >/dev/null
check 'the next run goes on' 'agency-upload --to tiktok:main p.json'
ok_if 'one post' "one_post $n"
prod
r0=$(fake_state 'd["refreshes"]')
fake_fault expire-token
check 'an expired access token: refreshed, rotated' 'agency-upload --to tiktok:main p.json'
ok_if 'one post, one refresh, one live refresh token' \
    "one_post $n && [ \$(fake_state 'd[\"refreshes\"]') -eq \$((r0 + 1)) ] && [ \$(fake_state 'd[\"live_refresh_tokens\"]') = 1 ]"
prod
fake_fault daily-cap
expect_code 'the daily post cap: 75' 75 'agency-upload --to tiktok:main p.json'
grep_err 'in TikTok words' 'init: HTTP 403: spam_risk_too_many_posts: .*try again tomorrow'
check 'the next run goes on' 'agency-upload --to tiktok:main p.json'
ok_if 'one post' "one_post $n"

prod
fake_fault no-scope
expect_code 'a scope the user did not grant: 77' 77 'agency-upload --to tiktok:main p.json'
grep_err 'in TikTok words, saying what to do' 'init: HTTP 403: scope_not_authorized: .*agency-upload auth tiktok:main'
ok_if 'the account needs reconnecting' \
    'agency-upload accounts ls --json | grep "\"tiktok:main\"" | grep -q needs_reconnect'
check 'authorized again: the next run goes on' \
    'auth_with_browser tiktok:main && agency-upload --to tiktok:main p.json'
ok_if 'one post' "one_post $n"

# Processing, and a post TikTok fails.
prod
log_mark
fake_fault processing 3
check 'processing over 3 polls: waited for' 'agency-upload --to tiktok:main p.json >post.json'
ok_if 'published once PUBLISH_COMPLETE' \
    "one_post $n && log_has 'sum(r[\"path\"] == \"/v2/post/publish/status/fetch/\" for r in L) == 4' &&
     [ \"\$(json_get post.json 'd[\"state\"]')\" = published ]"
prod
fake_fault reject frame_rate_check_failed
expect_code 'FAILED with a fail_reason: the post fails, 65' 65 \
    'agency-upload --to tiktok:main p.json'
grep_err 'with its reason' 'TikTok failed publish v_pub_file~.*: frame_rate_check_failed'
ok_if 'no post, and the journal says failed' \
    "[ \"\$(fake_state \"sum(p['title'].startswith('Clip c_tt$n\n') for p in d['posts'])\")\" = 0 ] &&
     agency-upload status -u | grep -q '\"content_id\":\"c_tt$n\".*\"state\":\"failed\"'"
log_mark
check 'the same command: a new init, published' 'agency-upload --to tiktok:main p.json'
ok_if 'one post' "one_post $n && log_has 'sum(\"/init/\" in r[\"path\"] for r in L) == 1'"
prod
fake_fault forget
check 'status/fetch forgets the publish once made: found by the marker' \
    'agency-upload -v --to tiktok:main p.json >post.json'
grep_err 'saying so' 'status/fetch no longer knows publish'
grep_err 'then looking' 'looking for the post by its marker'
ok_if 'one post, its id' \
    "one_post $n && [ \"\$(json_get post.json 'd[\"remote_id\"]')\" = \"\$(fake_state 'd[\"posts\"][-1][\"post_id\"]')\" ]"
prod
fake_fault processing 100000
printf 'upload:\n  poll_interval: 0.05\n  poll_timeout: 0.3\n' >slow.yaml
expect_code 'processing that never ends: 75 after upload.poll_timeout' 75 \
    'agency-upload --config slow.yaml --to tiktok:main p.json'
grep_err 'saying so' 'still not done after'
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"name":"processing","arg":"0","count":1}' "$FAKE_URL/_fake/fault"

# Kill -9 at every step, then the same command: one post each time; a
# killed upload goes on with its publish_id (no second init).
for point in before-upload tiktok-init tiktok-chunk@2 uploaded publishing \
    tiktok-done published; do
	prod
	log_mark
	expect_code "killed at $point" 137 \
	    "AGENCY_TEST_CRASH=$point agency-upload --to tiktok:main p.json"
	check "then the same command (after $point)" \
	    'agency-upload --to tiktok:main p.json >post.json'
	ok_if "published, one post, one init (after $point)" \
	    "[ \"\$(json_get post.json 'd[\"state\"]')\" = published ] && one_post $n &&
	     log_has 'sum(\"/init/\" in r[\"path\"] for r in L) == 1'"
done
prod
expect_code 'killed in the middle of the upload' 137 \
    'AGENCY_TEST_CRASH=tiktok-chunk@2 agency-upload --to tiktok:main p.json'
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/expire-uploads"
check 'the upload_url expired meanwhile: a new init' \
    'agency-upload -v --to tiktok:main p.json'
ok_if 'one post, our bytes' "one_post $n"
prod
expect_code 'killed as the last chunk made the post' 137 \
    'AGENCY_TEST_CRASH=tiktok-done agency-upload --to tiktok:main p.json'
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/forget-publishes"
check 'and TikTok forgot the publish_id: the marker finds the post' \
    'agency-upload -v --to tiktok:main p.json >post.json'
grep_err 'looked for by its marker' 'looking for the post by its marker agency-'
ok_if 'no second post, its id and URL' \
    "one_post $n && [ \"\$(json_get post.json 'd[\"remote_id\"]')\" = \"\$(fake_state 'd[\"posts\"][-1][\"post_id\"]')\" ]"
prod
expect_code 'killed in the middle of an upload' 137 \
    'AGENCY_TEST_CRASH=tiktok-chunk@1 agency-upload --to tiktok:main p.json'
rm p.json
check 'resume goes on from the store' 'agency-upload resume tiktok:main >posts.json'
ok_if 'published, one post' \
    "grep '\"c_tt$n\"' posts.json >post.json && [ \"\$(json_get post.json 'd[\"state\"]')\" = published ] && one_post $n"

# A refresh token the user revoked: 77, the account needs reconnecting.
tiktok_account tiktok:gone
auth_with_browser tiktok:gone
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/revoke"
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/expire"
prod
expect_code 'revoked: 77' 77 'agency-upload --to tiktok:gone p.json'
ok_if 'the account needs reconnecting' \
    'agency-upload accounts ls --json | grep "\"tiktok:gone\"" | grep -q needs_reconnect'
auth_with_browser tiktok:main

# Inbox mode: the creator finishes the post in the app.
tiktok_account tiktok:inbox post_mode=inbox
auth_with_browser tiktok:inbox
prod
log_mark
check 'to the inbox' 'agency-upload --to tiktok:inbox p.json >post.json'
ok_if 'the inbox init (source_info only), SEND_TO_USER_INBOX' \
    'log_has "any(r[\"path\"] == \"/v2/post/publish/inbox/video/init/\" and \"post_info\" not in json.loads(r[\"body\"]) for r in L) and not any(\"creator_info\" in r[\"path\"] for r in L)" &&
     fake_state "d[\"publishes\"][-1]" >pub.json && "$PY" -c "import json
p=json.load(open(\"pub.json\")); d=json.load(open(\"post.json\"))
assert p[\"inbox\"] and p[\"status\"] == \"SEND_TO_USER_INBOX\" and p[\"sha256\"] == \"$SHA\"
assert d[\"state\"] == \"published\" and d[\"post_mode\"] == \"inbox\" and d[\"url\"] is None
assert d[\"remote_id\"] == p[\"publish_id\"]"'

# TikTok's own chunk rules: a file under 5 MB goes in one chunk.
agency-upload accounts add tiktok:one --set "api_url=$FAKE_URL" \
    --set client_key=agency-test --set client_secret=test-secret \
    --set "auth_url=$FAKE_URL/v2/auth/authorize/" \
    --set "token_url=$FAKE_URL/v2/oauth/token/" >/dev/null
auth_with_browser tiktok:one
prod
log_mark
check 'the default chunk rules' 'agency-upload --to tiktok:one p.json'
ok_if 'one chunk of video_size, 201, one post' \
    "one_post $n && log_has 'sum(r[\"method\"] == \"PUT\" for r in L) == 1 and any(r[\"method\"] == \"PUT\" and r[\"status\"] == 201 and r[\"length\"] == $SIZE for r in L)' &&
     [ \"\$(fake_state 'd[\"posts\"][-1][\"count\"] == 1 and d[\"posts\"][-1][\"chunk\"] == $SIZE')\" = True ]"

# Media checks: nothing is sent.
make_video small.mp4 3 320x240
make_production c_bad1 small.mp4 >bad.json
make_video short.mp4 1 360x640
make_production c_bad2 short.mp4 >bad2.json
r0=$(wc -l <"$FAKE_LOG")
expect_code 'a frame under 360 px: 65' 65 'agency-upload --to tiktok:main bad.json'
grep_err 'naming the size' '320x240 is smaller than the 360x360 tiktok takes'
expect_code 'a video under 3 s: 65' 65 'agency-upload --to tiktok:main bad2.json'
ok_if 'not one request was sent for them' '[ $(wc -l <"$FAKE_LOG") -eq "$r0" ]'

prod
check 'the dry run' 'agency-upload -n --to tiktok:main p.json'
ok_if 'prints the requests, the token redacted' \
    'grep -q "POST $FAKE_URL/v2/post/publish/creator_info/query/" err &&
     grep -q "POST $FAKE_URL/v2/post/publish/video/init/" err &&
     grep -q "Content-Range: bytes 0-$((CHUNK - 1))/$SIZE" err &&
     grep -q "Authorization: Bearer \*\*\*" err && ! grep -q "Bearer act\." err'
ok_if 'sends nothing, records nothing' \
    '[ "$(json_get out "d[\"state\"]")" = planned ] && [ $(wc -l <"$FAKE_LOG") -eq "$r0" ] &&
     ! agency-upload status | grep -q "c_tt$n\""'

# TikTok's chunk rules at their real size: 5 MiB chunks, the last one
# taking the rest.
make_video big.mp4 4 360x640 -vf noise=alls=60:allf=t -crf 26
BIG=$(stat -c %s big.mp4)
fake_platform tiktok --client-secret test-secret
agency-upload accounts add tiktok:real --set "api_url=$FAKE_URL" \
    --set client_key=agency-test --set client_secret=test-secret \
    --set "auth_url=$FAKE_URL/v2/auth/authorize/" \
    --set "token_url=$FAKE_URL/v2/oauth/token/" --set chunk_size=5242880 >/dev/null
auth_with_browser tiktok:real
make_production c_big big.mp4 >big.json
log_mark
check 'a video of two chunks and more, at the real minimum' \
    'agency-upload --to tiktok:real big.json'
ok_if 'floor(size / 5 MiB) chunks, the last the largest, our bytes' \
    "fake_state 'd[\"posts\"][0]' >pub.json && \"\$PY\" -c \"import json
p=json.load(open('pub.json'))
assert p['size'] == $BIG and p['chunk'] == 5242880 and p['count'] == $BIG // 5242880 >= 2, p
assert p['sha256'] == '\$(sha256sum big.mp4 | cut -d' ' -f1)'\" &&
     log_has 'sorted(r[\"length\"] for r in L if r[\"method\"] == \"PUT\") == sorted([5242880] * ($BIG // 5242880 - 1) + [$BIG - 5242880 * ($BIG // 5242880 - 1)])'"

# TikTok's own windows: 6 inits a minute per token (here 3 s), this
# one spent just before.
fake_platform tiktok --client-secret test-secret --min-chunk $CHUNK --rate-limits --window 3
tiktok_account tiktok:busy
auth_with_browser tiktok:busy
prod
log_mark
curl -s -o /dev/null -X POST -d '{"what": "init"}' "$FAKE_URL/_fake/fill-window"
check 'the init window spent: waited for the next' \
    'agency-upload -v --to tiktok:busy p.json'
ok_if 'after a 429 rate_limit_exceeded, one post' \
    "one_post $n && [ \"\$(posts)\" = 1 ] && log_has 'any(r[\"status\"] == 429 and \"/init/\" in r[\"path\"] for r in L)'"
done_testing
