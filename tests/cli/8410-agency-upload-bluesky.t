#!/bin/sh
# agency-upload to Bluesky, against tests/servers/fake_bluesky.py (a PDS
# and the video service): the app-password session (kept, refreshed on
# ExpiredToken, logged in again when the refresh is dead), the video
# service (getServiceAuth, uploadVideo, getJobStatus) and uploadBlob,
# the post record with our own TID rkey (getRecord before any retry,
# never a blind resend of a 500), facets at UTF-8 byte offsets, the
# faults of the checklist, kill -9 at each step then the same command:
# one post, always.  The dry run.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-upload.sh"
plan 76

mkdir -p config/agency
printf 'upload:\n  poll_interval: 0.05\n' >config/agency/config.yaml
make_video v.mp4 2 240x320
SHA=$(sha256sum v.mp4 | cut -d' ' -f1)
fake_platform bluesky --processing 2
DID=did:plc:fakeagency0000000000000
# account NAME [SETTING...]: a bluesky account on the fake, logged in.
account() {
	_a=$1
	shift
	add_account "$_a" "pds_url=$FAKE_URL" "video_url=$FAKE_URL" "$@" &&
	echo app-pass-1234-abcd | agency-upload auth "$_a" --user agency.test
}
check 'an account, its app password on stdin' \
    'account bluesky:main language=en >a.json'
ok_if 'which is active' '[ "$(json_get a.json "d[\"state\"]")" = active ]'
expect_code 'auth without --user: 64' 64 \
    'echo x | agency-upload auth bluesky:main'
n=0
prod() {
	n=$((n + 1))
	make_production "c_bs$n" v.mp4 "${1:-{\}}" >p.json
}
# one_post N: exactly one post for content c_bsN, its video our bytes.
one_post() {
	fake_state "[p for p in d['posts'] if p['record']['text'].startswith('Test c_bs$1')]" >ps.json &&
	fake_state "d['blobs']" >b.json &&
	    "$PY" -c "import json
p=json.load(open('ps.json')); b=json.load(open('b.json'))
assert len(p) == 1, p
assert b[p[0]['record']['embed']['video']['ref']['\$link']]['sha256'] == '$SHA'"
}
# calls METHOD: how many XRPC calls of METHOD since log_mark.
calls() {
	"$PY" -c 'import json,sys
L=[json.loads(l) for l in open(sys.argv[1])][int(sys.argv[3]):]
print(sum(1 for r in L if r["path"].startswith("/xrpc/" + sys.argv[2])))' \
	    "$FAKE_LOG" "$1" "${LOG0:-0}"
}

prod '{"captions": {"bluesky": {"title": "Test c_bs1 Caf\u00e9 \ud83c\udfac d\u00e9j\u00e0 vu", "description": "more at https://example.com/x.", "tags": ["launch", "#na\u00efve"]}}}'
log_mark
check 'publish' 'agency-upload --to bluesky:main p.json >post.json'
ok_if 'one agency.post: the at:// URI, the bsky.app URL, a TID rkey' \
    '"$PY" -c "import json, re
d=json.load(open(\"post.json\"))
assert d[\"state\"] == \"published\" and d[\"platform\"] == \"bluesky\"
k=d[\"rkey\"]
assert re.fullmatch(\"[234567a-j][234567a-z]{12}\", k), k
assert d[\"remote_id\"] == \"at://$DID/app.bsky.feed.post/\" + k, d
assert d[\"url\"] == \"https://bsky.app/profile/agency.test/post/\" + k, d"'
ok_if 'the PDS holds one post with our video' 'one_post 1'
ok_if 'text, langs, facets at UTF-8 byte offsets, the video embed' \
    'fake_state "d[\"posts\"][0][\"record\"]" >r.json && "$PY" -c "import json
r=json.load(open(\"r.json\"))
t=r[\"text\"]
assert t == \"Test c_bs1 Café 🎬 déjà vu\n\nmore at https://example.com/x.\n\n#launch #naïve\", t
assert r[\"langs\"] == [\"en\"]
b=t.encode()
got=[(b[f[\"index\"][\"byteStart\"]:f[\"index\"][\"byteEnd\"]].decode(), f[\"features\"][0]) for f in r[\"facets\"]]
assert got == [(\"https://example.com/x\", {\"\$type\": \"app.bsky.richtext.facet#link\", \"uri\": \"https://example.com/x\"}),
    (\"#launch\", {\"\$type\": \"app.bsky.richtext.facet#tag\", \"tag\": \"launch\"}),
    (\"#naïve\", {\"\$type\": \"app.bsky.richtext.facet#tag\", \"tag\": \"naïve\"})], got
assert r[\"facets\"][1][\"index\"] == {\"byteStart\": 65, \"byteEnd\": 72}, r[\"facets\"][1]
e=r[\"embed\"]
assert e[\"\$type\"] == \"app.bsky.embed.video\" and e[\"aspectRatio\"] == {\"width\": 240, \"height\": 320}
assert e[\"alt\"].startswith(\"Test c_bs1\")"'
ok_if 'a service token for the PDS, the video to the service, its job polled' \
    'log_has "any(\"getServiceAuth?aud=did%3Aweb%3A127.0.0.1&lxm=com.atproto.repo.uploadBlob\" in r[\"path\"] for r in L)" &&
     log_has "any(r[\"path\"].startswith(\"/xrpc/app.bsky.video.uploadVideo?did=did%3Aplc%3A\") and r[\"headers\"][\"authorization\"].startswith(\"Bearer svc-\") for r in L)" &&
     [ "$(calls app.bsky.video.getJobStatus)" -eq 3 ] && [ "$(calls com.atproto.repo.createRecord)" -eq 1 ]'
check 'the same command again' 'agency-upload --to bluesky:main p.json >again.json'
ok_if 'prints the existing post, no second post' \
    '[ "$(json_get again.json "d[\"existing\"]")" = True ] && one_post 1'
check 'status --remote asks getRecord' \
    'agency-upload status --remote bluesky:main >st.json'
ok_if 'which says it exists' \
    '[ "$(json_get st.json "d[\"remote\"][\"exists\"]")" = True ]'
prod
check 'a second post' 'agency-upload --to bluesky:main p.json'
ok_if 'on the same session: one login in all, the JWTs kept 0600' \
    '[ "$(fake_state "d[\"logins\"]")" = 1 ] && one_post 2 &&
     [ "$(stat -c %a "config/agency/credentials/bluesky:main.json")" = 600 ] &&
     grep -q accessJwt "config/agency/credentials/bluesky:main.json"'
long=$("$PY" -c 'print("é" * 400)')
prod "{\"captions\": {\"bluesky\": {\"title\": \"Test c_bs3\", \"description\": \"$long\", \"tags\": [\"x\"]}}}"
check 'a caption over 300 graphemes' 'agency-upload --to bluesky:main p.json'
ok_if 'is cut to 300, the hashtag kept (the PDS checked)' \
    'fake_state "d[\"posts\"][-1][\"record\"][\"text\"]" >t.txt && "$PY" -c "
t=open(\"t.txt\").read().rstrip(\"\n\")
assert len(t) == 300 and t.endswith(\"…\n\n#x\"), (len(t), t[-10:])"'

# The session.
prod
log_mark
fake_fault expire-token
check 'an ExpiredToken: refreshSession, then on' \
    'agency-upload -v --to bluesky:main p.json'
ok_if 'one post, one refresh, no login' \
    'one_post 4 && [ "$(fake_state "d[\"session_refreshes\"]")" = 1 ] &&
     [ "$(fake_state "d[\"logins\"]")" = 1 ] &&
     log_has "any(r[\"status\"] == 400 for r in L)"'
grep_err 'saying so' 'ExpiredToken; refreshing the session'
prod
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/revoke"
check 'the refresh JWT dead too: logged in again' \
    'agency-upload -v --to bluesky:main p.json'
ok_if 'one post, a second login' \
    'one_post 5 && [ "$(fake_state "d[\"logins\"]")" = 2 ]'
agency-upload accounts add bluesky:bad --set "pds_url=$FAKE_URL" \
    --set "video_url=$FAKE_URL" >/dev/null
echo wrong-password | agency-upload auth bluesky:bad --user agency.test >/dev/null
prod
expect_code 'a wrong app password: 77' 77 'agency-upload --to bluesky:bad p.json'
grep_err 'in the PDS words, saying what to do' \
    'createSession: HTTP 401: AuthenticationRequired: Invalid identifier or password.*agency-upload auth bluesky:bad'
ok_if 'the account needs reconnecting' \
    'agency-upload accounts ls --json | grep "bluesky:bad" | grep -q needs_reconnect'

# Faults in the upload.
prod
log_mark
fake_fault drop random 1
check 'the connection cut in the middle of the video: sent again' \
    'agency-upload --to bluesky:main p.json'
ok_if 'one post, our bytes' \
    'one_post 7 && log_has "any(r[\"status\"] == \"dropped\" for r in L)"'
prod
log_mark
fake_fault 5xx 502 2
check 'two 502s: retried' 'agency-upload --to bluesky:main p.json'
ok_if 'one post, after the 502s' \
    'one_post 8 && log_has "sum(r[\"status\"] == 502 for r in L) == 2"'
prod
log_mark
fake_fault 429 1
check 'a 429 with RateLimit-Reset a second ahead: waited, done' \
    'agency-upload --to bluesky:main p.json'
ok_if 'one post, after the 429' \
    'one_post 9 && log_has "any(r[\"status\"] == 429 for r in L)"'
prod
fake_fault 429 3600
expect_code 'a 429 with the reset an hour ahead: 75' 75 \
    'agency-upload --to bluesky:main p.json'
grep_err 'saying when' 'try again in 3[56][0-9][0-9] s'
check 'the next run goes on' 'agency-upload --to bluesky:main p.json'
ok_if 'one post' 'one_post 10'
prod
fake_fault job-fail
expect_code 'a video the service fails: 65' 65 \
    'agency-upload --to bluesky:main p.json'
grep_err 'in its words' 'the video service failed the video: video_invalid: Video is not valid'
ok_if 'no post' '[ "$(fake_state "len([p for p in d[\"posts\"] if p[\"record\"][\"text\"].startswith(\"Test c_bs11\")])")" = 0 ]'
prod
log_mark
fake_fault already-exists
check 'a video the service has processed before: its blob is used' \
    'agency-upload -v --to bluesky:main p.json'
ok_if 'one post, with no job polled' \
    'one_post 12 && log_has "any(r[\"status\"] == 409 for r in L)" &&
     [ "$(calls app.bsky.video.getJobStatus)" -eq 0 ]'
prod
expect_code 'killed once the job was started' 137 \
    'AGENCY_TEST_CRASH=bluesky-job agency-upload --to bluesky:main p.json'
log_mark
check 'the next run polls the same job' 'agency-upload -v --to bluesky:main p.json'
ok_if 'one post, the video not sent again' \
    'one_post 13 && [ "$(calls app.bsky.video.uploadVideo)" -eq 0 ]'
prod
expect_code 'killed once the job was started' 137 \
    'AGENCY_TEST_CRASH=bluesky-job agency-upload --to bluesky:main p.json'
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/forget-jobs"
check 'the job forgotten meanwhile: the video sent again' \
    'agency-upload --to bluesky:main p.json'
ok_if 'one post' 'one_post 14'

# Faults in the post: never a second record, never a blind resend.
prod
log_mark
fake_fault create-500
check 'the record made, then a 500: getRecord says it is there' \
    'agency-upload --to bluesky:main p.json >post.json'
ok_if 'one post; one createRecord, then getRecord' \
    'one_post 15 && [ "$(calls com.atproto.repo.createRecord)" -eq 1 ] &&
     [ "$(calls com.atproto.repo.getRecord)" -ge 1 ] &&
     [ "$(json_get post.json "d[\"state\"]")" = published ]'
prod
log_mark
fake_fault create-drop
check 'the record made, the answer lost: getRecord before sending again' \
    'agency-upload --to bluesky:main p.json'
ok_if 'one post, one createRecord' \
    'one_post 16 && [ "$(calls com.atproto.repo.createRecord)" -eq 1 ] &&
     log_has "any(r[\"status\"] == \"dropped\" for r in L)"'

# Kill -9 at every step, then the same command: one post each time.
for point in before-upload bluesky-job uploaded publishing published; do
	prod
	expect_code "killed at $point" 137 \
	    "AGENCY_TEST_CRASH=$point agency-upload --to bluesky:main p.json"
	check "then the same command (after $point)" \
	    'agency-upload --to bluesky:main p.json >post.json'
	ok_if "published, exactly one post (after $point)" \
	    "[ \"\$(json_get post.json 'd[\"state\"]')\" = published ] && one_post $n"
done

# The simple path: uploadBlob on the PDS.
check 'an account with upload=blob' \
    'agency-upload accounts add bluesky:main --set upload=blob'
prod
log_mark
check 'publish through uploadBlob' 'agency-upload --to bluesky:main p.json'
ok_if 'one post, the blob from uploadBlob, no video service' \
    'one_post $n && [ "$(calls com.atproto.repo.uploadBlob)" -eq 1 ] &&
     [ "$(calls app.bsky.video.uploadVideo)" -eq 0 ]'
agency-upload accounts add bluesky:main --set upload= >/dev/null

prod
check 'the dry run' 'agency-upload -n --to bluesky:main p.json'
ok_if 'prints the requests, no JWT' \
    'grep -q "POST $FAKE_URL/xrpc/app.bsky.video.uploadVideo" err &&
     grep -q "POST $FAKE_URL/xrpc/com.atproto.repo.createRecord" err &&
     grep -q "\"rkey\":\"[2-7a-j]" err && ! grep -q "acc-" err'
ok_if 'sends nothing' '[ "$(json_get out "d[\"state\"]")" = planned ]'

# The lexicon's shape of uploadVideo; an unconfirmed e-mail.
fake_platform bluesky --wrapped
check 'a service answering {"jobStatus": ...}' 'account bluesky:wrapped'
prod
check 'publish there' 'agency-upload --to bluesky:wrapped p.json'
ok_if 'one post' "one_post $n"
fake_platform bluesky --unconfirmed
check 'an account whose e-mail is not confirmed' 'account bluesky:unconf'
prod
expect_code 'cannot post videos: 77' 77 'agency-upload --to bluesky:unconf p.json'
grep_err 'saying why' 'uploadVideo: HTTP 400: unconfirmed_email: Please confirm your email.*must confirm its e-mail'
done_testing
