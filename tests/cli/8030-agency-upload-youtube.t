#!/bin/sh
# agency-upload to YouTube, against tests/servers/fake_youtube.py: the
# resumable videos.insert (256 KiB chunks, 308 and Range), the faults of
# the checklist (a dropped connection, a partial chunk, a 5xx at the
# end, the video made and the answer lost, 429s, quota, expired
# sessions), kill -9 at each step then the same command: one video,
# always.  Media checks, captions, privacy, made-for-kids, thumbnail,
# the dry run.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-upload.sh"
plan 84

mkdir -p config/agency
printf 'upload:\n  poll_interval: 0.05\n' >config/agency/config.yaml
make_video v.mp4 3 320x240 -vf noise=alls=60:allf=t -crf 20
SHA=$(sha256sum v.mp4 | cut -d' ' -f1)
SIZE=$(stat -c %s v.mp4)
ffmpeg -nostdin -v error -f lavfi -i testsrc=size=1280x720 -frames:v 1 thumb.jpg
fake_platform youtube --client-secret test-secret
oauth_account youtube:main chunk_size=262144
n=0
# prod EXTRA-JSON: a production with a new content id in p.json.
prod() {
	n=$((n + 1))
	make_production "c_yt$n" v.mp4 "${1:-{\}}" >p.json
}
# videos: how many videos the fake holds; one_video ID: exactly one for
# content c_ytID, with our bytes.
videos() {
	fake_state 'len(d["videos"])'
}
one_video() {
	fake_one videos "x['snippet']['title'] == 'Test video c_yt$1'" "$SHA"
}

prod "{\"thumbnail\": \"$T/thumb.jpg\"}"
check 'publish' 'agency-upload --to youtube:main p.json >post.json'
ok_if 'one agency.post: published, with the video id and youtu.be URL' \
    '"$PY" -c "import json
d=json.load(open(\"post.json\"))
assert d[\"state\"] == \"published\" and d[\"platform\"] == \"youtube\"
assert d[\"url\"] == \"https://youtu.be/\" + d[\"remote_id\"]
assert d[\"privacy\"] == \"public\" and d[\"made_for_kids\"] is False
assert d[\"bytes\"] == $SIZE"'
ok_if 'the fake holds one video with our bytes' 'one_video 1'
ok_if 'in several 256 KiB chunks, 308 each but the last' \
    '[ $(grep -c "\"method\": \"PUT\", \"path\": \"/upload/youtube/v3/videos" "$FAKE_LOG") -gt 2 ] &&
     grep -q "\"status\": 308" "$FAKE_LOG" && grep -q "\"status\": 201" "$FAKE_LOG"'
ok_if 'title, description and tags from the captions, and the marker tag' \
    'fake_state "d[\"videos\"][0][\"snippet\"]" >sn.json && "$PY" -c "import json
s=json.load(open(\"sn.json\"))
assert s[\"title\"] == \"Test video c_yt1\" and s[\"description\"] == \"A test of agency-upload\"
assert s[\"tags\"][:2] == [\"test\", \"agency\"] and s[\"tags\"][2].startswith(\"agency-\")"'
ok_if 'uploaded private, made public by videos.update at publish' \
    'log_has "any(\"uploadType=resumable\" in r[\"path\"] and json.loads(r[\"body\"])[\"status\"][\"privacyStatus\"] == \"private\" for r in L)" &&
     [ "$(fake_state "d[\"videos\"][0][\"status\"][\"privacyStatus\"]")" = public ]'
ok_if 'the thumbnail was set' '[ "$(fake_state "d[\"videos\"][0][\"thumbnail\"]")" = True ]'
ok_if 'the Authorization header went to the API' \
    'grep "/youtube/v3/videos?part=status" "$FAKE_LOG" | grep -q "\"authorization\": \"Bearer at-"'
check 'the same command again' 'agency-upload --to youtube:main p.json >again.json'
ok_if 'prints the existing post, makes no video' \
    '[ "$(json_get again.json "d[\"existing\"]")" = True ] && [ "$(videos)" = 1 ]'
check 'status --remote asks YouTube' 'agency-upload status --remote youtube:main >st.json'
ok_if 'which says public, processed' \
    '[ "$(json_get st.json "d[\"remote\"][\"status\"][\"privacyStatus\"]")" = public ] &&
     [ "$(json_get st.json "d[\"remote\"][\"status\"][\"uploadStatus\"]")" = processed ]'

prod
check 'flags override the captions; private; made for kids' \
    "agency-upload --to youtube:main --title 'Flag title' --description 'Flag text' --tags x,y --privacy private --made-for-kids p.json >post.json"
ok_if 'as asked' 'fake_state "d[\"videos\"][-1]" >v.json && "$PY" -c "import json
v=json.load(open(\"v.json\"))
assert v[\"snippet\"][\"title\"] == \"Flag title\" and v[\"snippet\"][\"description\"] == \"Flag text\"
assert v[\"snippet\"][\"tags\"][:2] == [\"x\", \"y\"]
assert v[\"status\"][\"privacyStatus\"] == \"private\" and v[\"status\"][\"selfDeclaredMadeForKids\"] is True"'
ok_if 'no videos.update for a private video' \
    '[ $(grep -c "\"method\": \"PUT\", \"path\": \"/youtube/v3/videos?part=status" "$FAKE_LOG") -eq 1 ]'

# Faults in the upload.
prod
log_mark
fake_fault drop random 3
check 'connections dropped at random offsets: resumed' \
    'agency-upload -v --to youtube:main p.json'
grep_err 'from what the server had' 'upload interrupted'
ok_if 'one video, our bytes, after three drops' \
    'one_video 3 && log_has "sum(r[\"status\"] == \"dropped\" for r in L) == 3"'
prod
log_mark
fake_fault partial 100000 2
check 'the server keeping part of a chunk: resumed from its Range' \
    'agency-upload --to youtube:main p.json'
ok_if 'one video, our bytes, resumed at an odd offset' \
    'one_video 4 && log_has "any(int(r[\"headers\"].get(\"content-range\", \"bytes 0-\")[6:].split(\"-\")[0] or 0) % 262144 for r in L if \"*\" not in r[\"headers\"].get(\"content-range\", \"*\"))"'
prod
log_mark
fake_fault finalize-5xx 503
check 'a 503 on the last chunk: asked, then done' \
    'agency-upload --to youtube:main p.json'
ok_if 'one video, our bytes, after the 503' \
    'one_video 5 && log_has "any(r[\"status\"] == 503 for r in L)"'
prod
log_mark
fake_fault create-drop
check 'the video made, the answer lost: the session says so' \
    'agency-upload --to youtube:main p.json'
ok_if 'one video, not two' \
    'one_video 6 && log_has "any(r[\"status\"] == \"dropped\" for r in L)"'

# Rate limits and quota.
prod
log_mark
fake_fault 429 1
check 'a 429 asking for 1 s: waited, then done' \
    'agency-upload -v --to youtube:main p.json'
ok_if 'one video, after the 429' \
    'one_video 7 && log_has "any(r[\"status\"] == 429 for r in L)"'
grep_err 'the wait said' 'retry 1 of [0-9]+ in 1\.0 s'
prod
fake_fault 429 3600
expect_code 'a 429 asking for an hour: 75, for the queue to retry' 75 \
    'agency-upload --to youtube:main p.json'
grep_err 'saying when' 'try again in 3600 s'
check 'the next run goes on' 'agency-upload --to youtube:main p.json'
ok_if 'one video' 'one_video 8'
prod
log_mark
fake_fault rate-403
check 'a 403 rateLimitExceeded: backed off, done' \
    'agency-upload --to youtube:main p.json'
ok_if 'one video, after the 403' \
    'one_video 9 && log_has "any(r[\"status\"] == 403 for r in L)"'

# resume: the unfinished journals, without the production at hand.
prod
expect_code 'killed in the middle of an upload' 137 \
    'AGENCY_TEST_CRASH=youtube-chunk@1 agency-upload --to youtube:main p.json'
rm p.json
check 'resume goes on from the store' 'agency-upload resume >post.json'
ok_if 'published, one video' \
    "[ \"\$(json_get post.json 'd[\"state\"]')\" = published ] && one_video $n"
check 'resume with nothing unfinished' 'agency-upload resume youtube:main'
ok_if 'prints nothing' '[ ! -s out ]'

# Processing, and a video YouTube rejects.
prod
log_mark
fake_fault processing 3
check 'processing that takes 3 polls: waited for, then published' \
    'agency-upload -v --to youtube:main p.json >post.json'
ok_if 'made public only once processed' \
    'log_has "sum(r[\"method\"] == \"GET\" and r[\"path\"].startswith(\"/youtube/v3/videos\") for r in L) == 4" &&
     [ "$(fake_state "d[\"videos\"][-1][\"status\"][\"privacyStatus\"]")" = public ]'
prod
fake_fault reject
expect_code 'a video YouTube rejects: the post fails, 65' 65 \
    'agency-upload --to youtube:main p.json'
grep_err 'with its reason' 'YouTube rejected video .*: duplicate'
ok_if 'it was never made public, and the journal says failed' \
    '[ "$(fake_state "d[\"videos\"][-1][\"status\"][\"privacyStatus\"]")" = private ] &&
     agency-upload status -u | grep -q "\"content_id\":\"c_yt$n\".*\"state\":\"failed\""'
prod
fake_fault processing 100000
printf 'upload:\n  poll_interval: 0.05\n  poll_timeout: 0.3\n' >short.yaml
expect_code 'processing that never ends: 75 after upload.poll_timeout' 75 \
    'agency-upload --config short.yaml --to youtube:main p.json'
grep_err 'saying so' 'still not done after'

# Kill -9 at every step, then the same command: one video each time.
for point in youtube-session youtube-chunk@2 youtube-done uploaded publishing \
    published; do
	prod
	expect_code "killed at $point" 137 \
	    "AGENCY_TEST_CRASH=$point agency-upload --to youtube:main p.json"
	check "then the same command (after $point)" \
	    'agency-upload --to youtube:main p.json >post.json'
	ok_if "published, and exactly one video (after $point)" \
	    "[ \"\$(json_get post.json 'd[\"state\"]')\" = published ] && one_video $n"
done

# Sessions that expired.
prod
expect_code 'killed in the middle of the upload' 137 \
    'AGENCY_TEST_CRASH=youtube-chunk@2 agency-upload --to youtube:main p.json'
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/drop-sessions"
check 'the session expired meanwhile: looked for, then started anew' \
    'agency-upload --to youtube:main p.json'
ok_if 'one video, our bytes' "one_video $n"
prod
expect_code 'killed as the video was made, before it was recorded' 137 \
    'AGENCY_TEST_CRASH=youtube-done agency-upload --to youtube:main p.json'
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/drop-sessions"
check 'and the session gone: the marker finds the video' \
    'agency-upload -v --to youtube:main p.json'
grep_err 'looked for by its marker' 'session is gone; looking for the video'
ok_if 'no second video' "one_video $n"

# Media checks: nothing is sent.
make_video el.mp4 2 320x240 -use_editlist 1 -af aresample=async=1
ffmpeg -nostdin -v error -y -i el.mp4 -c copy -movflags -faststart tail.mp4
make_production c_bad1 el.mp4 >bad.json
r0=$(wc -l <"$FAKE_LOG")
expect_code 'a video with edit lists: 65' 65 'agency-upload --to youtube:main bad.json'
grep_err 'with the remux that fixes it' 'edit list.*use_editlist 0'
make_production c_bad2 tail.mp4 >bad.json
expect_code 'moov after mdat: 65' 65 'agency-upload --to youtube:main bad.json'
grep_err 'with the fix' 'movflags \+faststart'
check 'an account for Shorts of at most 2 s' \
    'agency-upload accounts add youtube:main --set max_duration=2'
prod
expect_code 'a longer video: 65' 65 'agency-upload --to youtube:main p.json'
grep_err 'naming the limit' 'duration \(s\) 3[.0-9]* is over 2'
ok_if 'not one request was sent for them' '[ $(wc -l <"$FAKE_LOG") -eq "$r0" ]'
agency-upload accounts add youtube:main --set max_duration= >/dev/null

prod
check 'the dry run' 'agency-upload -n --to youtube:main p.json'
ok_if 'prints the requests, the token redacted' \
    'grep -q "POST $FAKE_URL/upload/youtube/v3/videos?uploadType=resumable" err &&
     grep -q "Content-Range: bytes 0-262143/$SIZE" err &&
     grep -q "Authorization: Bearer \*\*\*" err && ! grep -q "Bearer at-" err'
ok_if 'sends nothing, records nothing' \
    '[ "$(json_get out "d[\"state\"]")" = planned ] &&
     ! agency-upload status | grep -q "c_yt$n\""'

# The daily quota (a second fake with 1700 units: one publish).
fake_platform youtube --client-secret test-secret --quota 1700
oauth_account youtube:quota chunk_size=262144
prod
check 'a publish within the quota' 'agency-upload --to youtube:quota p.json'
prod
expect_code 'the quota spent: 75, for the queue to retry tomorrow' 75 \
    'agency-upload --to youtube:quota p.json'
grep_err 'saying why and when' 'quota is spent.*midnight Pacific.*try again in [0-9]+ s'
done_testing
