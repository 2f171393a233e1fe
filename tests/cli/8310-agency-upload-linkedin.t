#!/bin/sh
# agency-upload to LinkedIn, against tests/servers/fake_linkedin.py: the
# Videos API (initializeUpload, a PUT per upload instruction with its
# ETag, finalizeUpload with the ETags in order, the video's status) and
# the Posts API (201, x-restli-id), the versioned /rest headers, OAuth
# without PKCE, the faults of the checklist (dropped parts, 5xx, 429
# without a header, an expired token with and without a refresh token,
# a post made and its answer lost, processing), kill -9 at each step
# then the same command: one post, always.  Little text, the media
# limits, a retired API version, the dry run.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-upload.sh"
plan 98

mkdir -p config/agency
printf 'upload:\n  poll_interval: 0.05\n' >config/agency/config.yaml
make_video v.mp4 3 320x240 -vf noise=alls=40:allf=t -crf 24
SHA=$(sha256sum v.mp4 | cut -d' ' -f1)
SIZE=$(stat -c %s v.mp4)
PARTS=$(( (SIZE + 1048575) / 1048576 ))
ffmpeg -nostdin -v error -f lavfi -i testsrc=size=640x360 -frames:v 1 thumb.jpg
fake_platform linkedin --client-secret test-secret --part-size 1048576
log_mark
check 'an account, authorized through the fake' 'oauth_account linkedin:main'
ok_if 'without PKCE; the client secret in the body of the token request' \
    'log_has "any(r[\"path\"].startswith(\"/oauth/authorize?\") and \"code_challenge\" not in r[\"path\"] for r in L) and any(r[\"path\"] == \"/oauth/token\" and \"client_secret=test-secret\" in r[\"body\"] and \"code_verifier\" not in r[\"body\"] and \"authorization\" not in r[\"headers\"] for r in L)"'
n=0
# prod [EXTRA-JSON]: a production with a new content id in p.json, its
# LinkedIn caption "Post c_liN" with two hashtags.
prod() {
	n=$((n + 1))
	make_production "c_li$n" v.mp4 "{\"captions\": {\"linkedin\": {\"title\": \"Title $n\", \"description\": \"Post c_li$n\", \"tags\": [\"agency\", \"test\"]}}${1:+, $1}}" >p.json
}
posts() {
	fake_state 'len(d["posts"])'
}
# one_post N: exactly one post for content c_liN, with our video.
one_post() {
	fake_one posts "x['text'].startswith('Post c_li$1\n')" "$SHA"
}

prod "\"thumbnail\": \"$T/thumb.jpg\""
log_mark
check 'publish' 'agency-upload --to linkedin:main p.json >post.json'
ok_if 'one agency.post: published, the share URN and its feed URL' \
    'fake_state "d[\"posts\"][-1][\"id\"]" >id && "$PY" -c "import json
d=json.load(open(\"post.json\"))
assert d[\"state\"] == \"published\" and d[\"platform\"] == \"linkedin\", d
assert d[\"remote_id\"] == open(\"id\").read().strip() and d[\"remote_id\"].startswith(\"urn:li:share:\"), d
assert d[\"url\"] == \"https://www.linkedin.com/feed/update/\" + d[\"remote_id\"], d
assert d[\"author\"] == \"urn:li:person:Xk2bq9T_pA\" and d[\"video\"].startswith(\"urn:li:video:\"), d
assert d[\"bytes\"] == $SIZE"'
ok_if 'the fake holds one post with our video and thumbnail' \
    'one_post 1 && [ "$(fake_state "d[\"posts\"][-1][\"thumbnail\"]")" = True ]'
ok_if 'its commentary: the caption escaped, hashtags, the marker' \
    'fake_state "d[\"posts\"][-1][\"commentary\"]" >text && "$PY" -c "import re
t=open(\"text\").read().rstrip(chr(10))
want=r\"Post c\\_li1\" + chr(10) * 2 + r\"{hashtag|\\#|agency} {hashtag|\\#|test} agency-\"
assert t.startswith(want) and re.fullmatch(r\"[0-9a-f]{16}\", t[len(want):]), repr(t)"'
ok_if 'the author asked of /v2/userinfo; the media titled' \
    'log_has "any(r[\"path\"] == \"/v2/userinfo\" for r in L)" &&
     [ "$(fake_state "d[\"posts\"][-1][\"title\"]")" = "Title 1" ]'
ok_if 'initializeUpload, one PUT per instruction with ETags, finalize' \
    "log_has 'json.loads([r for r in L if \"initializeUpload\" in r[\"path\"]][0][\"body\"])[\"initializeUploadRequest\"] == {\"owner\": \"urn:li:person:Xk2bq9T_pA\", \"fileSizeBytes\": $SIZE, \"uploadCaptions\": False, \"uploadThumbnail\": True}' &&
     log_has 'sum(r[\"method\"] == \"PUT\" and r[\"status\"] == 201 and \"/thumbnail\" not in r[\"path\"] for r in L) == $PARTS' &&
     log_has 'len(json.loads([r for r in L if \"finalizeUpload\" in r[\"path\"]][0][\"body\"])[\"finalizeUploadRequest\"][\"uploadedPartIds\"]) == $PARTS'"
ok_if 'every /rest call with LinkedIn-Version and X-Restli-Protocol-Version' \
    'log_has "all(r[\"headers\"].get(\"linkedin-version\") == \"202610\" and r[\"headers\"].get(\"x-restli-protocol-version\") == \"2.0.0\" for r in L if r[\"path\"].startswith(\"/rest/\"))"'
ok_if 'the parts were sent without the bearer token' \
    'log_has "all(\"authorization\" not in r[\"headers\"] for r in L if r[\"path\"].startswith(\"/dms-uploads/\"))"'
ok_if 'posted only once the video was AVAILABLE' \
    'log_has "any(r[\"path\"].startswith(\"/rest/videos/urn%3Ali%3Avideo%3A\") for r in L)"'
check 'the same command again' 'agency-upload --to linkedin:main p.json >again.json'
ok_if 'prints the existing post, makes no other' \
    '[ "$(json_get again.json "d[\"existing\"]")" = True ] && [ "$(posts)" = 1 ]'
check 'status --remote asks LinkedIn' 'agency-upload status --remote linkedin:main >st.json'
ok_if 'which says it exists' \
    '[ "$(json_get st.json "d[\"remote\"][\"exists\"]")" = True ]'

# Little text: reserved characters escaped, shown as written.
prod
"$PY" - <<'EOF'
import json
d = json.load(open("p.json"))
d["captions"]["linkedin"]["description"] += " (50% off) [now] *bold* a_b ~x~ <3 #no @you {x} | \\"
json.dump(d, open("p.json", "w"))
EOF
check 'a caption with reserved characters' 'agency-upload --to linkedin:main p.json'
ok_if 'accepted as little text, and reads as written' \
    'fake_state "d[\"posts\"][-1][\"text\"]" >text &&
     grep -qF "Post c_li2 (50% off) [now] *bold* a_b ~x~ <3 #no @you {x} | \\" text'

# Faults in the upload.
prod
log_mark
fake_fault drop random 2
check 'parts cut off at random offsets: sent again' \
    'agency-upload -v --to linkedin:main p.json'
ok_if 'one post, our bytes, after two drops' \
    'one_post 3 && log_has "sum(r[\"status\"] == \"dropped\" for r in L) == 2"'
prod
log_mark
fake_fault 5xx 503 3
check 'three 503s: tried again' 'agency-upload --to linkedin:main p.json'
ok_if 'one post, after the 503s' \
    'one_post 4 && log_has "sum(r[\"status\"] == 503 for r in L) == 3"'
prod
log_mark
fake_fault finalize-5xx
check 'a 500 at finalizeUpload: finalized again' 'agency-upload --to linkedin:main p.json'
ok_if 'one post, after the 500' \
    'one_post 5 && log_has "any(r[\"status\"] == 500 and \"finalizeUpload\" in r[\"path\"] for r in L)"'

# A slow server: a request that timed out is sent again.
printf 'upload:\n  poll_interval: 0.05\nhttp:\n  timeout: 0.5\n' >slow.yaml
prod
log_mark
fake_fault slow 1200
check 'the first request too slow: timed out, sent again' \
    'agency-upload -v --config slow.yaml --to linkedin:main p.json'
grep_err 'saying so' 'Timeout was reached; retry 1 of'
ok_if 'one post' "one_post $n"

# Throttling: a 429 without any header.
prod
log_mark
fake_fault 429
check 'a 429: backed off, then done' 'agency-upload --to linkedin:main p.json'
ok_if 'one post, after the 429' \
    'one_post 7 && log_has "any(r[\"status\"] == 429 for r in L)"'
prod
fake_fault 429 '' 0
expect_code 'a 429 that lasts: 75, until the daily limits reset' 75 \
    'agency-upload --to linkedin:main p.json'
grep_err 'saying when' "daily limits reset at midnight UTC\\); try again in [0-9]+ s"
fake_fault 429 '' 1
check 'the next run goes on' 'agency-upload --to linkedin:main p.json'
ok_if 'one post' 'one_post 8'

# Tokens: an approved partner's refresh token is used; without one an
# expired token means authorizing again: 77.
prod
r0=$(fake_state 'd["refreshes"]')
fake_fault expire-token
check 'an expired access token: refreshed, then done' \
    'agency-upload --to linkedin:main p.json'
ok_if 'one post, one refresh' \
    "one_post $n && [ \$(fake_state 'd[\"refreshes\"]') -eq \$((r0 + 1)) ]"

# The post made, its answer lost: found by the marker.
prod
log_mark
fake_fault create-drop
check 'the post made, the answer lost: found among the author'\''s posts' \
    'agency-upload -v --to linkedin:main p.json >post.json'
grep_err 'looked for' 'looking for agency-'
ok_if 'one post, not two, and the agency.post has its URN' \
    "one_post $n && log_has 'any(r[\"path\"].startswith(\"/rest/posts?author=urn%3Ali%3Aperson%3A\") and \"q=author\" in r[\"path\"] for r in L)' &&
     [ \"\$(json_get post.json 'd[\"remote_id\"]')\" = \"\$(fake_state 'd[\"posts\"][-1][\"id\"]')\" ]"

# Processing.
prod
log_mark
fake_fault processing 3
check 'processing that takes 3 polls: waited for' \
    'agency-upload --to linkedin:main p.json'
ok_if 'posted only once AVAILABLE' \
    "one_post $n && log_has 'sum(r[\"path\"].startswith(\"/rest/videos/\") for r in L) == 4'"
prod
fake_fault processing-fail
expect_code 'a video LinkedIn fails to process: 65' 65 \
    'agency-upload --to linkedin:main p.json'
grep_err 'with its reason' 'LinkedIn failed to process video urn:li:video:[0-9A-Z]+: Video is not supported'
ok_if 'no post; the journal says failed' \
    "! one_post $n && agency-upload status -u | grep -q '\"content_id\":\"c_li$n\".*\"state\":\"failed\"'"

# resume: the unfinished journals, without the production at hand.
prod
expect_code 'killed in the middle of the upload' 137 \
    'AGENCY_TEST_CRASH=linkedin-part@1 agency-upload --to linkedin:main p.json'
rm p.json
check 'resume goes on from the store' 'agency-upload resume linkedin:main >posts.json'
ok_if 'published, one post' \
    "grep -q '\"content_id\":\"c_li$n\".*\"state\":\"published\"' posts.json && one_post $n"

# Kill -9 at every step, then the same command: one post each time.
for point in before-upload linkedin-init linkedin-part@2 linkedin-finalize \
    uploaded publishing published; do
	prod
	log_mark
	expect_code "killed at $point" 137 \
	    "AGENCY_TEST_CRASH=$point agency-upload --to linkedin:main p.json"
	check "then the same command (after $point)" \
	    'agency-upload -v --to linkedin:main p.json >post.json'
	ok_if "published, and exactly one post (after $point)" \
	    "[ \"\$(json_get post.json 'd[\"state\"]')\" = published ] && one_post $n"
	case $point in
	linkedin-part@2) ok_if 'only the part it lacked was sent again' \
	    "grep -q 'resuming with part 3 of $PARTS' err &&
	     log_has 'sum(r[\"method\"] == \"PUT\" and r[\"status\"] == 201 for r in L) == $PARTS'" ;;
	esac
done

# Upload URLs that expired: started again.
prod
expect_code 'killed in the middle of the upload' 137 \
    'AGENCY_TEST_CRASH=linkedin-part@1 agency-upload --to linkedin:main p.json'
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/expire-urls"
check 'the upload URLs expired meanwhile: uploaded again' \
    'agency-upload -v --to linkedin:main p.json'
grep_err 'saying so' 'refused the upload URL'
ok_if 'one post, our bytes' "one_post $n"

# As an organization: its URN is the author and the video's owner; one
# the member may not post for is refused, 65.
check 'an account posting as a page' \
    'agency-upload accounts add linkedin:main --set author=urn:li:organization:2414183'
prod
check 'publish as the page' 'agency-upload --to linkedin:main p.json'
ok_if 'the page is the author' \
    "one_post $n && [ \"\$(fake_state 'd[\"posts\"][-1][\"author\"]')\" = urn:li:organization:2414183 ]"
agency-upload accounts add linkedin:main --set author=urn:li:organization:1 >/dev/null
prod
expect_code 'a page the member may not post for: 65' 65 \
    'agency-upload --to linkedin:main p.json'
grep_err "with LinkedIn's words" 'initializeUpload: HTTP 403: Accessing this video resource is forbidden'
agency-upload accounts add linkedin:main --set author= >/dev/null

# A retired API version: the account's configuration, 78.
check 'an account on a retired version' \
    'agency-upload accounts add linkedin:main --set version=202506'
prod
expect_code 'is 78, naming the setting' 78 'agency-upload --to linkedin:main p.json'
grep_err 'with LinkedIn'\''s words' 'HTTP 426: Requested version 202506 is not active.*version=YYYYMM'
agency-upload accounts add linkedin:main --set version= >/dev/null
check 'back on the default version: published' 'agency-upload --to linkedin:main p.json'
ok_if 'one post' "one_post $n"

# Media checks: nothing is sent.
make_video short.mp4 2 320x240
make_production c_short short.mp4 >short.json
make_video wide.mp4 3 960x240
make_production c_wide wide.mp4 >wide.json
r0=$(wc -l <"$FAKE_LOG")
expect_code 'a 2 s video: 65' 65 'agency-upload --to linkedin:main short.json'
grep_err 'naming the limit' 'duration \(s\) 2[.0-9]* is under 3'
expect_code 'a 4:1 video: 65' 65 'agency-upload --to linkedin:main wide.json'
grep_err 'naming the limit' 'aspect ratio of 960x240 is beyond the 1:2.4 to 2.4:1'
prod
expect_code '--privacy private: 64, LinkedIn has its own visibility' 64 \
    'agency-upload --privacy private --to linkedin:main p.json'
grep_err 'saying so' 'privacy private: LinkedIn has no such thing; set the account.s visibility'
ok_if 'not one request was sent for them' '[ $(wc -l <"$FAKE_LOG") -eq "$r0" ]'

prod
check 'the dry run' 'agency-upload -n --to linkedin:main p.json'
ok_if 'prints the requests, the token redacted' \
    'grep -q "POST $FAKE_URL/rest/videos?action=initializeUpload" err &&
     grep -q "PUT $FAKE_URL/dms-uploads/DRY-RUN" err &&
     grep -q "POST $FAKE_URL/rest/posts" err &&
     grep -q "LinkedIn-Version: 202610" err &&
     grep -q "Authorization: Bearer \*\*\*" err && ! grep -q "Bearer at-" err'
ok_if 'sends nothing, records nothing' \
    '[ "$(json_get out "d[\"state\"]")" = planned ] &&
     ! agency-upload status | grep -q "c_li$n\""'

# Not an approved partner: no refresh token, so an expired token is 77.
fake_platform linkedin --client-secret test-secret --no-refresh
check 'an account without refresh tokens' 'oauth_account linkedin:member'
prod
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/expire"
expect_code 'its token expired: 77' 77 'agency-upload --to linkedin:member p.json'
grep_err 'saying to authorize again' "agency-upload auth linkedin:member"
ok_if 'the account needs reconnecting; nothing was posted' \
    'agency-upload accounts ls | grep "linkedin:member" | grep -q needs_reconnect &&
     [ "$(posts)" = 0 ]'
check 'authorized again' 'auth_with_browser linkedin:member'
check 'then the post goes out' 'agency-upload --to linkedin:member p.json'
ok_if 'one post' "one_post $n"
done_testing
