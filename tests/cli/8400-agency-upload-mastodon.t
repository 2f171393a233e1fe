#!/bin/sh
# agency-upload to Mastodon, against tests/servers/fake_mastodon.py: the
# token account, POST /api/v2/media (202, then GET /api/v1/media/:id
# 206 until 200), the status with media_ids[] and an Idempotency-Key
# (the same key sent again gives the same status), the faults of the
# checklist (a cut upload, 5xx, 429 with an ISO X-RateLimit-Reset, a
# revoked token, the status made and the answer lost, processing that
# fails), kill -9 at each step then the same command: one status,
# always.  The dry run.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-upload.sh"
plan 62

mkdir -p config/agency
printf 'upload:\n  poll_interval: 0.05\n' >config/agency/config.yaml
make_video v.mp4 2 320x240
SHA=$(sha256sum v.mp4 | cut -d' ' -f1)
fake_platform mastodon --token tok-good --processing 2
check 'an account on the instance' \
    "agency-upload accounts add mastodon:main --set instance=$FAKE_URL --set language=en"
check 'its access token on stdin' \
    'echo tok-good | agency-upload auth mastodon:main >a.json'
ok_if 'which is active' '[ "$(json_get a.json "d[\"state\"]")" = active ]'
expect_code 'an account without an instance is refused' 64 \
    'agency-upload accounts add mastodon:bare'
n=0
prod() {
	n=$((n + 1))
	make_production "c_md$n" v.mp4 "${1:-{\}}" >p.json
}
# one_status N: exactly one status for content c_mdN, with one media
# holding our bytes.
one_status() {
	fake_state "[s for s in d['statuses'] if s['text'].startswith('Test c_md$1')]" >s.json &&
	fake_state "d['media']" >m.json &&
	    "$PY" -c "import json
s=json.load(open('s.json')); m={x['id']: x for x in json.load(open('m.json'))}
assert len(s) == 1, s
assert len(s[0]['media_ids']) == 1 and m[s[0]['media_ids'][0]]['sha256'] == '$SHA'"
}

prod
check 'publish' 'agency-upload --to mastodon:main p.json >post.json'
ok_if 'one agency.post: published, the status id and its URL' \
    '"$PY" -c "import json
d=json.load(open(\"post.json\"))
assert d[\"state\"] == \"published\" and d[\"platform\"] == \"mastodon\"
assert d[\"url\"] == \"$FAKE_URL/@agency/\" + d[\"remote_id\"], d
assert d[\"visibility\"] == \"public\""'
ok_if 'the instance holds one status with our video' 'one_status 1'
ok_if 'text: caption, description and hashtags; language; the key is the marker' \
    'fake_state "d[\"statuses\"][0]" >st.json && "$PY" -c "import json
s=json.load(open(\"st.json\"))
assert s[\"text\"] == \"Test c_md1\n\ndefault caption\", s[\"text\"]
assert s[\"language\"] == \"en\" and s[\"visibility\"] == \"public\"
assert s[\"key\"].startswith(\"agency-\") and len(s[\"key\"]) == 23"'
ok_if 'the media went as multipart, 202, then polled 206 until 200' \
    'log_has "any(r[\"path\"] == \"/api/v2/media\" and r[\"status\"] == 202 and r[\"headers\"][\"content-type\"].startswith(\"multipart/form-data; boundary=\") for r in L)" &&
     log_has "sum(r[\"status\"] == 206 for r in L) == 2 and any(r[\"path\"].startswith(\"/api/v1/media/\") and r[\"status\"] == 200 for r in L)"'
ok_if 'with the token and the Idempotency-Key' \
    'log_has "any(r[\"path\"] == \"/api/v1/statuses\" and r[\"headers\"][\"authorization\"] == \"Bearer tok-good\" and r[\"headers\"][\"idempotency-key\"].startswith(\"agency-\") for r in L)"'
check 'the same command again' 'agency-upload --to mastodon:main p.json >again.json'
ok_if 'prints the existing post, no second status' \
    '[ "$(json_get again.json "d[\"existing\"]")" = True ] && one_status 1'
check 'status --remote asks the instance' \
    'agency-upload status --remote mastodon:main >st.json'
ok_if 'which says it exists, public' \
    '[ "$(json_get st.json "d[\"remote\"][\"exists\"]")" = True ] &&
     [ "$(json_get st.json "d[\"remote\"][\"visibility\"]")" = public ]'

prod '{"captions": {"mastodon": {"title": "Test c_md2 🎬 déjà vu", "description": "", "tags": ["sour dough", "#bread"]}}}'
check 'captions for mastodon, hashtags, --privacy unlisted' \
    'agency-upload --to mastodon:main --privacy unlisted p.json'
ok_if 'as asked: tags as #hashtags, unlisted' \
    'fake_state "d[\"statuses\"][-1]" >st.json && "$PY" -c "import json
s=json.load(open(\"st.json\"))
assert s[\"text\"] == \"Test c_md2 🎬 déjà vu\n\n#sourdough #bread\", s[\"text\"]
assert s[\"tags\"] == [\"sourdough\", \"bread\"] and s[\"visibility\"] == \"unlisted\""'
long=$("$PY" -c 'print("é" * 600)')
prod "{\"captions\": {\"mastodon\": {\"title\": \"Test c_md3\", \"description\": \"$long\", \"tags\": [\"x\"]}}}"
check 'a caption over 500 characters' 'agency-upload --to mastodon:main p.json'
ok_if 'is cut to fit, the hashtags kept' \
    'fake_state "d[\"statuses\"][-1][\"text\"]" >t.txt && "$PY" -c "
t=open(\"t.txt\").read().rstrip(\"\n\")
assert len(t) == 500 and t.endswith(\"…\n\n#x\"), (len(t), t[-10:])"'

# Faults.
prod
log_mark
fake_fault drop random 1
check 'the connection cut in the middle of the media: sent again' \
    'agency-upload -v --to mastodon:main p.json'
ok_if 'one status, our bytes, after the cut' \
    'one_status 4 && log_has "any(r[\"status\"] == \"dropped\" for r in L)"'
prod
log_mark
fake_fault 5xx 503 2
check 'two 503s: retried' 'agency-upload --to mastodon:main p.json'
ok_if 'one status, after the 503s' \
    'one_status 5 && log_has "sum(r[\"status\"] == 503 for r in L) == 2"'
prod
log_mark
fake_fault 429 1
check 'a 429 with X-RateLimit-Reset a second ahead: waited, done' \
    'agency-upload -v --to mastodon:main p.json'
ok_if 'one status, after the 429' \
    'one_status 6 && log_has "any(r[\"status\"] == 429 for r in L)"'
prod
fake_fault 429 3600
expect_code 'a 429 with the reset an hour ahead: 75' 75 \
    'agency-upload --to mastodon:main p.json'
grep_err 'saying when' 'try again in 3[56][0-9][0-9] s'
check 'the next run goes on' 'agency-upload --to mastodon:main p.json'
ok_if 'one status' 'one_status 7'
prod
log_mark
fake_fault create-drop
check 'the status made, the answer lost: sent again with the same key' \
    'agency-upload --to mastodon:main p.json >post.json'
ok_if 'one status, the one the key made' \
    'one_status 8 && log_has "sum(r[\"path\"] == \"/api/v1/statuses\" for r in L) == 2" &&
     [ "$(json_get post.json "d[\"remote_id\"]")" = "$(fake_state "d[\"statuses\"][-1][\"id\"]")" ]'
prod
fake_fault fail-media
expect_code 'media the instance fails to process: 65' 65 \
    'agency-upload --to mastodon:main p.json'
grep_err 'in its words' 'mastodon:main: media processing: HTTP 422: Error processing'
ok_if 'no status' '[ "$(fake_state "len([s for s in d[\"statuses\"] if s[\"text\"].startswith(\"Test c_md9\")])")" = 0 ]'
prod
fake_fault processing 100000
printf 'upload:\n  poll_interval: 0.05\n  poll_timeout: 0.3\n' >short.yaml
expect_code 'processing that never ends: 75' 75 \
    'agency-upload --config short.yaml --to mastodon:main p.json'
grep_err 'saying so' 'still not done after'
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/finish-media"
log_mark
check 'the next run polls the same media, does not send it again' \
    'agency-upload -v --to mastodon:main p.json'
grep_err 'saying so' 'media [0-9]+ was sent already'
ok_if 'one status, the media not sent again' \
    'one_status 10 && ! log_has "any(r[\"path\"] == \"/api/v2/media\" for r in L)"'

# Kill -9 at every step, then the same command: one status each time.
for point in before-upload mastodon-media uploaded publishing published; do
	prod
	expect_code "killed at $point" 137 \
	    "AGENCY_TEST_CRASH=$point agency-upload --to mastodon:main p.json"
	check "then the same command (after $point)" \
	    'agency-upload --to mastodon:main p.json >post.json'
	ok_if "published, exactly one status (after $point)" \
	    "[ \"\$(json_get post.json 'd[\"state\"]')\" = published ] && one_status $n"
done
# Past the key's hour: the account's statuses are searched instead.
prod
expect_code 'killed after the status was made' 137 \
    'AGENCY_TEST_CRASH=published agency-upload --to mastodon:main p.json'
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/forget-keys"
agency-upload accounts add mastodon:main --set key_window=0 >/dev/null
log_mark
check 'the key forgotten: found among our statuses by its media' \
    'agency-upload --to mastodon:main p.json'
ok_if 'one status, found by the scan, none sent' \
    "one_status $n && log_has 'any(r[\"path\"].startswith(\"/api/v1/accounts/1/statuses\") for r in L) and not any(r[\"path\"] == \"/api/v1/statuses\" for r in L)'"
agency-upload accounts add mastodon:main --set key_window= >/dev/null

prod
check 'the dry run' 'agency-upload -n --to mastodon:main p.json'
ok_if 'prints the requests, the token redacted' \
    'grep -q "POST $FAKE_URL/api/v2/media" err && grep -q "POST $FAKE_URL/api/v1/statuses" err &&
     grep -q "Idempotency-Key: agency-" err && ! grep -q "tok-good" err'
ok_if 'sends nothing' '[ "$(json_get out "d[\"state\"]")" = planned ]'
# A revoked token: 77, and the account needs reconnecting.
prod
fake_fault expire-token
expect_code 'the token revoked: 77' 77 'agency-upload --to mastodon:main p.json'
grep_err 'saying what to do' "agency-upload auth mastodon:main"
ok_if 'the account needs reconnecting' \
    'agency-upload accounts ls --json | grep -q "\"needs_reconnect\""'

done_testing
