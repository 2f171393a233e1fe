#!/bin/sh
# agency-upload to X, against tests/servers/fake_x.py: the v2 chunked
# media upload (initialize, append segments, finalize, STATUS with
# check_after_secs), POST /2/tweets, OAuth 2.0 with Basic client auth and
# rotating refresh tokens, the faults of the checklist (dropped
# segments, 5xx, 429 with x-rate-limit-reset, an expired token, a post
# made and its answer lost, processing that takes polls or fails,
# duplicate text), kill -9 at each step then the same command: one post,
# always.  The 280-character text, the media limits, --transcode's
# 720x1280 rendition, the dry run.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-upload.sh"
plan 106

mkdir -p config/agency
printf 'upload:\n  poll_interval: 0.05\n' >config/agency/config.yaml
make_video v.mp4 2 320x240 -vf noise=alls=40:allf=t -crf 24
SHA=$(sha256sum v.mp4 | cut -d' ' -f1)
SIZE=$(stat -c %s v.mp4)
fake_platform x --client-secret test-secret --rotate --check-after 0
log_mark
check 'an account, authorized through the fake' \
    'oauth_account x:main segment_size=262144'
ok_if 'the token endpoint was asked with HTTP Basic client credentials' \
    'log_has "any(r[\"path\"] == \"/oauth/token\" and r[\"headers\"][\"authorization\"].startswith(\"Basic \") and \"client_secret\" not in r[\"body\"] for r in L)"'
n=0
# prod [EXTRA-JSON]: a production with a new content id in p.json, its
# X caption "Post c_xN" with two hashtags.
prod() {
	n=$((n + 1))
	make_production "c_x$n" v.mp4 "{\"captions\": {\"x\": {\"title\": \"T$n\", \"description\": \"Post c_x$n\", \"tags\": [\"agency\", \"test\"]}}${1:+, $1}}" >p.json
}
# posts: how many posts the fake holds; one_post N: exactly one for
# content c_xN, with our bytes.
posts() {
	fake_state 'len(d["tweets"])'
}
one_post() {
	fake_one tweets "x['text'].startswith('Post c_x$1 ')" "${2:-$SHA}"
}

prod
log_mark
check 'publish' 'agency-upload --to x:main p.json >post.json'
ok_if 'one agency.post: published, the post id and its x.com URL' \
    'fake_state "d[\"tweets\"][-1][\"id\"]" >id && "$PY" -c "import json
d=json.load(open(\"post.json\"))
assert d[\"state\"] == \"published\" and d[\"platform\"] == \"x\", d
assert d[\"remote_id\"] == open(\"id\").read().strip(), d
assert d[\"url\"] == \"https://x.com/agencytest/status/\" + d[\"remote_id\"], d
assert d[\"bytes\"] == $SIZE"'
ok_if 'the fake holds one post with our video' 'one_post 1'
ok_if 'its text: the caption, the hashtags, the marker last' \
    'fake_state "d[\"tweets\"][-1][\"text\"]" >text &&
     grep -Eq "^Post c_x1 #agency #test agency-[0-9a-f]{16}$" text'
ok_if 'initialize with the size, then segments 0..N-1, finalize, STATUS' \
    'log_has "[r[\"path\"] for r in L if r[\"method\"] == \"POST\"][0] == \"/2/media/upload/initialize\" and json.loads([r for r in L if r[\"path\"].endswith(\"/initialize\")][0][\"body\"]) == {\"media_type\": \"video/mp4\", \"total_bytes\": $SIZE, \"media_category\": \"tweet_video\", \"shared\": False}" &&
     log_has "sum(r[\"path\"].endswith(\"/append\") and r[\"status\"] == 200 for r in L) == ($SIZE + 262143) // 262144" &&
     log_has "any(r[\"path\"].endswith(\"/finalize\") for r in L) and any(\"command=STATUS\" in r[\"path\"] for r in L)"'
ok_if 'APPEND is multipart/form-data with the bearer token' \
    'log_has "all(r[\"headers\"][\"content-type\"].startswith(\"multipart/form-data; boundary=\") and r[\"headers\"][\"authorization\"].startswith(\"Bearer at-\") for r in L if r[\"path\"].endswith(\"/append\"))"'
ok_if 'POST /2/tweets with the media id' \
    'log_has "any(r[\"path\"] == \"/2/tweets\" and r[\"status\"] == 201 and json.loads(r[\"body\"])[\"media\"][\"media_ids\"] == [t[\"media_ids\"][0] for t in [json.load(open(\"$T/.state\"))[\"tweets\"][-1]]] for r in L)"'
check 'the same command again' 'agency-upload --to x:main p.json >again.json'
ok_if 'prints the existing post, makes no other' \
    '[ "$(json_get again.json "d[\"existing\"]")" = True ] && [ "$(posts)" = 1 ]'
check 'status --remote asks X' 'agency-upload status --remote x:main >st.json'
ok_if 'which says it exists' \
    '[ "$(json_get st.json "d[\"remote\"][\"exists\"]")" = True ]'

# The 280 weighted characters: the caption gives way, never the marker.
LONG=$("$PY" -c 'print(" ".join(["word%d" % i for i in range(80)]) + " https://example.com/" + "a" * 100)')
prod
"$PY" - "$LONG" <<'EOF'
import json, sys
d = json.load(open("p.json"))
d["captions"]["x"]["description"] = "Post c_x%s " % d["id"][3:] + sys.argv[1]
json.dump(d, open("p.json", "w"))
EOF
check 'a caption longer than a post' 'agency-upload --to x:main p.json'
ok_if 'shortened with an ellipsis; tags and the marker kept whole' \
    'fake_state "d[\"tweets\"][-1][\"text\"]" >text && "$PY" -c "import re
t=open(\"text\").read().rstrip(\"\n\")
assert re.search(r\"\u2026 #agency #test agency-[0-9a-f]{16}$\", t), t
w=sum(1 if ord(c) <= 4351 else 2 for c in t)
assert 250 < w <= 280, w"'

# Faults in the upload.
prod
log_mark
fake_fault drop random 3
check 'segments cut off at random offsets: sent again' \
    'agency-upload -v --to x:main p.json'
grep_err 'each sent again' 'append: Failure when receiving data.*retry 1 of'
ok_if 'one post, our bytes, after three drops' \
    'one_post 3 && log_has "sum(r[\"status\"] == \"dropped\" for r in L) == 3"'
prod
log_mark
fake_fault 5xx 503 2
check 'two 503s: tried again' 'agency-upload --to x:main p.json'
ok_if 'one post, after the 503s' \
    'one_post 4 && log_has "sum(r[\"status\"] == 503 for r in L) == 2"'
prod
log_mark
fake_fault finalize-5xx 503
check 'a 503 at finalize: finalized again' 'agency-upload --to x:main p.json'
ok_if 'one post, after the 503' \
    'one_post 5 && log_has "any(r[\"status\"] == 503 and r[\"path\"].endswith(\"/finalize\") for r in L)"'

# Rate limits: 429 with x-rate-limit-reset, no Retry-After.
prod
log_mark
fake_fault 429 1
check 'a 429 resetting in a second: waited, then done' \
    'agency-upload --to x:main p.json'
ok_if 'one post, after the 429' \
    'one_post 6 && log_has "any(r[\"status\"] == 429 for r in L)"'
prod
fake_fault 429 3600
expect_code 'a 429 resetting in an hour: 75, for the queue to retry' 75 \
    'agency-upload --to x:main p.json'
grep_err 'saying when' 'try again in 3[56][0-9][0-9] s'
check 'the next run goes on' 'agency-upload --to x:main p.json'
ok_if 'one post' 'one_post 7'

# Tokens: an expired one is refreshed (rotating); a replayed refresh
# token kills the family: 77 and the account needs reconnecting.
prod
r0=$(fake_state 'd["refreshes"]')
fake_fault expire-token
check 'an expired access token: refreshed, then done' \
    'agency-upload --to x:main p.json'
ok_if 'one post, one refresh, one live refresh token' \
    "one_post 8 && [ \$(fake_state 'd[\"refreshes\"]') -eq \$((r0 + 1)) ] &&
     [ \$(fake_state 'd[\"live_refresh_tokens\"]') -eq 1 ]"
cp "config/agency/credentials/x:main.json" old-cred.json
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/expire"
prod
check 'the next expiry: refreshed again' 'agency-upload --to x:main p.json'
cp old-cred.json "config/agency/credentials/x:main.json"
chmod 600 "config/agency/credentials/x:main.json"
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/expire"
prod
expect_code 'an old refresh token replayed: 77' 77 \
    'agency-upload --to x:main p.json'
grep_err 'saying to reconnect' "refresh token is invalid, expired or revoked; run 'agency-upload auth x:main'"
ok_if 'X revoked the family; the account needs reconnecting; no post' \
    "[ \$(fake_state 'd[\"live_refresh_tokens\"]') -eq 0 ] &&
     agency-upload accounts ls | grep -q needs_reconnect && ! one_post $n"
check 'authorized again' 'auth_with_browser x:main'
check 'then the post goes out' 'agency-upload --to x:main p.json'
ok_if 'one post' "one_post $n"

# The post made, its answer lost: found by the marker.
prod
log_mark
fake_fault create-drop
check 'the post made, the answer lost: found on the timeline' \
    'agency-upload -v --to x:main p.json >post.json'
grep_err 'looked for' 'looking for agency-'
ok_if 'one post, not two, and the agency.post has its id' \
    "one_post $n && log_has 'any(\"/2/users/\" in r[\"path\"] and \"/tweets?\" in r[\"path\"] for r in L)' &&
     [ \"\$(json_get post.json 'd[\"remote_id\"]')\" = \"\$(fake_state 'd[\"tweets\"][-1][\"id\"]')\" ]"

# A slow server: a request that timed out is sent again; a post that
# timed out and was made all the same is not made twice.
printf 'upload:\n  poll_interval: 0.05\nhttp:\n  timeout: 0.5\n' >slow.yaml
prod
log_mark
fake_fault slow 1200
check 'the first request too slow: timed out, sent again' \
    'agency-upload -v --config slow.yaml --to x:main p.json'
grep_err 'saying so' 'initialize: Timeout was reached; retry 1 of'
ok_if 'one post' "one_post $n"
prod
log_mark
fake_fault post-slow 1200
check 'the post made after the client gave up: one post all the same' \
    'agency-upload -v --config slow.yaml --to x:main p.json >post.json'
ok_if 'one post, the one the agency.post names' \
    "sleep 1; one_post $n &&
     log_has 'sum(r[\"path\"] == \"/2/tweets\" for r in L) == 2' &&
     [ \"\$(json_get post.json 'd[\"remote_id\"]')\" = \"\$(fake_state \"[t['id'] for t in d['tweets'] if t['text'].startswith('Post c_x$n ')][0]\")\" ]"

# Processing.
prod
log_mark
fake_fault processing 3
fake_fault check-after 1
check 'processing that takes 3 polls, asking for 1 s: waited' \
    'agency-upload -v --to x:main p.json'
grep_err 'as X asked' 'checking again in 1 s'
ok_if 'posted only once processed' \
    "one_post $n && log_has 'sum(\"command=STATUS\" in r[\"path\"] for r in L) == 4'"
prod
fake_fault media-fail
expect_code 'a video X fails to process: 65' 65 'agency-upload --to x:main p.json'
grep_err 'with its reason' 'X failed to process the video: Unsupported video format'
ok_if 'no post; the journal says failed' \
    "! one_post $n && agency-upload status -u | grep -q '\"content_id\":\"c_x$n\".*\"state\":\"failed\"'"
prod
fake_fault processing 40
printf 'upload:\n  poll_interval: 0.05\n  poll_timeout: 0.3\n' >short.yaml
expect_code 'processing longer than upload.poll_timeout: 75' 75 \
    'agency-upload --config short.yaml --to x:main p.json'
grep_err 'saying so' 'still not done after'
log_mark
check 'the next run asks STATUS again, uploads nothing' \
    'agency-upload -v --to x:main p.json'
ok_if 'one post, no new upload' \
    "one_post $n && ! log_has 'any(r[\"path\"].endswith(\"/initialize\") or r[\"path\"].endswith(\"/append\") for r in L)'"

# resume: the unfinished journals, without the production at hand.
prod
expect_code 'killed in the middle of the upload' 137 \
    'AGENCY_TEST_CRASH=x-append@1 agency-upload --to x:main p.json'
rm p.json
check 'resume goes on from the store' 'agency-upload resume x:main >posts.json'
ok_if 'published, one post' \
    "grep -q '\"content_id\":\"c_x$n\".*\"state\":\"published\"' posts.json && one_post $n"

# Kill -9 at every step, then the same command: one post each time.
for point in before-upload x-init x-append@2 x-finalize uploaded publishing \
    published; do
	prod
	expect_code "killed at $point" 137 \
	    "AGENCY_TEST_CRASH=$point agency-upload --to x:main p.json"
	check "then the same command (after $point)" \
	    'agency-upload -v --to x:main p.json >post.json'
	ok_if "published, and exactly one post (after $point)" \
	    "[ \"\$(json_get post.json 'd[\"state\"]')\" = published ] && one_post $n"
	case $point in
	x-append@2) grep_err 'resumed at the segment the journal says' \
	    'resuming at segment 2 ' ;;
	esac
done

# An upload X forgot (expired): started again.
prod
expect_code 'killed in the middle of the upload' 137 \
    'AGENCY_TEST_CRASH=x-append@2 agency-upload --to x:main p.json'
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/expire-media"
check 'the media expired meanwhile: uploaded again' \
    'agency-upload -v --to x:main p.json'
grep_err 'saying so' 'no longer knows media'
ok_if 'one post, our bytes' "one_post $n"

# marker=none: the text is all the caption's; a post is found by its
# media; the same text twice is X's 403 duplicate.
check 'an account with marker=none' \
    'agency-upload accounts add x:main --set marker=none'
prod
expect_code 'killed after the post was made' 137 \
    'AGENCY_TEST_CRASH=published agency-upload --to x:main p.json'
check 'then the same command' 'agency-upload -v --to x:main p.json >post.json'
ok_if 'found by its media key: one post, no marker in its text' \
    "one_post $n && [ \"\$(fake_state 'd[\"tweets\"][-1][\"text\"]')\" = \"Post c_x$n #agency #test\" ] &&
     [ \"\$(json_get post.json 'd[\"state\"]')\" = published ]"
"$PY" -c 'import json
d = json.load(open("p.json")); d["id"] = "c_dup"
json.dump(d, open("dup.json", "w"))'
expect_code 'another content with the very same text: 65' 65 \
    'agency-upload --to x:main dup.json'
grep_err "with X's words" 'HTTP 403: You are not allowed to create a Tweet with duplicate content'
ok_if 'no second post' "one_post $n"
agency-upload accounts add x:main --set marker= >/dev/null

# Media checks: nothing is sent.
make_video big.mp4 1 1080x1920
make_production c_big big.mp4 >big.json
r0=$(wc -l <"$FAKE_LOG")
expect_code 'a 1080x1920 video: 65' 65 'agency-upload --to x:main big.json'
grep_err 'naming the rendition' '1080x1920 is larger than .* it needs a 720x1280 rendition \(agency-upload --transcode\)'
make_video sq.mp4 1 1200x1200
make_production c_sq sq.mp4 >sq.json
expect_code 'a 1200x1200 video (the short side over 1024): 65' 65 \
    'agency-upload --to x:main sq.json'
grep_err 'naming the limit' '1200x1200 is larger than the 1280x1024'
check 'an account for at most 1 s' \
    'agency-upload accounts add x:main --set max_duration=1'
prod
expect_code 'a longer video: 65' 65 'agency-upload --to x:main p.json'
grep_err 'naming the limit' 'duration \(s\) 2[.0-9]* is over 1'
agency-upload accounts add x:main --set max_duration= >/dev/null
expect_code '--privacy private: 64, X has no private posts' 64 \
    'agency-upload --privacy private --to x:main p.json'
grep_err 'saying so' 'privacy private: posts on X are public'
ok_if 'not one request was sent for them' '[ $(wc -l <"$FAKE_LOG") -eq "$r0" ]'

# --transcode: the 720x1280 rendition, made beside the video and posted.
check '--transcode makes the rendition X takes and posts it' \
    'agency-upload --transcode --to x:main big.json >post.json'
ok_if 'big.x.mp4 is 720x1280, and it is what the fake holds' \
    '[ -s big.x.mp4 ] && ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0 big.x.mp4 | grep -q "^720,1280$" &&
     [ "$(fake_state "d[\"tweets\"][-1][\"sha256\"]")" = "$(sha256sum big.x.mp4 | cut -d" " -f1)" ] &&
     [ "$(json_get post.json "d[\"rendition\"]")" = "$T/big.x.mp4" ]'

prod
check 'the dry run' 'agency-upload -n --to x:main p.json'
ok_if 'prints the requests, the token redacted' \
    'grep -q "POST $FAKE_URL/2/media/upload/initialize" err &&
     grep -q "POST $FAKE_URL/2/media/upload/DRY-RUN/append" err &&
     grep -q "POST $FAKE_URL/2/tweets" err &&
     grep -q "Authorization: Bearer \*\*\*" err && ! grep -q "Bearer at-" err'
ok_if 'sends nothing, records nothing' \
    '[ "$(json_get out "d[\"state\"]")" = planned ] &&
     ! agency-upload status | grep -q "c_x$n\""'
done_testing
