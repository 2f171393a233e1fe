#!/bin/sh
# agency-upload to a Facebook Page, against tests/servers/fake_facebook.py:
# Page videos (an upload:ID session of the Resumable Upload API, the
# bytes from file_offset, POST /PAGE/videos with the handle) and Page
# Reels (video_reels start, rupload from offset, finish with
# video_state=PUBLISHED), the status polled until ready; the faults (a
# dropped or partly kept body, a 500 at the end, the post made and the
# answer lost, Meta's rate-limit codes, a dead token, processing that
# fails), kill -9 at each step then the same command: one post, always.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-upload.sh"
plan 94

mkdir -p config/agency
printf 'upload:\n  poll_interval: 0.05\n' >config/agency/config.yaml
printf 'http:\n  timeout: 1\nupload:\n  poll_interval: 0.05\n' >slow.yaml
make_video v.mp4 3 320x240 -vf noise=alls=60:allf=t -crf 20
make_video r.mp4 3 540x960 -crf 40
SHA=$(sha256sum v.mp4 | cut -d' ' -f1)
RSHA=$(sha256sum r.mp4 | cut -d' ' -f1)
SIZE=$(stat -c %s v.mp4)
fake_platform facebook --token tok-fb --token tok-fb2 --token tok-fbr
# account ACCOUNT TOKEN [SETTING=VALUE...]: a Page account on the fake.
account() {
	_a=$1
	_t=$2
	shift 2
	add_account "$_a" "api_url=$FAKE_URL" "video_url=$FAKE_URL" \
	    page_id=1000 "$@" &&
	    printf '%s\n' "$_t" | agency-upload auth "$_a" >/dev/null
}
account facebook:page tok-fb app_id=555
account facebook:reels tok-fbr mode=reel
n=0
# prod [VIDEO]: a production with a new content id in p.json, its
# Facebook caption "Post c_fbN".
prod() {
	n=$((n + 1))
	make_production "c_fb$n" "${1:-v.mp4}" "{\"captions\": {\"facebook\": {\"title\": \"Title $n\", \"description\": \"Post c_fb$n\", \"tags\": [\"test\", \"agency\"]}}}" >p.json
}
posts() {
	fake_state 'len(d["videos"])'
}
# one_post N [SHA]: exactly one published post of content c_fbN, with
# our bytes.
one_post() {
	fake_one videos "x['description'].startswith('Post c_fb$1\n')" \
	    "${2:-$SHA}"
}

prod
check 'publish a Page video' 'agency-upload --to facebook:page p.json >post.json'
fake_state 'd["videos"][0]' >v.json
py_ok 'one agency.post: published, the video id and its URL' "
d, v = J('post.json'), J('v.json')
assert d['state'] == 'published' and d['platform'] == 'facebook', d
assert d['remote_id'] == v['id'], (d, v)
assert d['url'] == 'https://www.facebook.com/1000/videos/%s/' % v['id'], d
assert d['mode'] == 'video' and d['page_id'] == '1000', d"
ok_if 'the fake holds one Page video with our bytes' \
    'one_post $n && [ "$(posts)" = 1 ]'
py_ok 'title, and the description: text, hashtags, the marker last' "
v = J('v.json')
assert v['kind'] == 'video' and v['title'] == 'Title 1' and v['published'], v
c = v['description'].split('\n\n')
assert c[:2] == ['Post c_fb1', '#test #agency'], c
assert c[2].startswith('agency-') and len(c[2]) == 23, c"
ok_if 'an upload session of the app, with the length and type' \
    "log_has \"any(r['path'] == '/v26.0/555/uploads' and 'file_length=$SIZE' in r['body'] and 'file_type=video%2Fmp4' in r['body'] for r in L)\""
ok_if 'the bytes to upload:ID with OAuth and file_offset' \
    "log_has \"any(r['method'] == 'POST' and r['path'].startswith('/v26.0/upload:') and r['headers'].get('authorization') == 'OAuth tok-fb' and r['headers'].get('file_offset') == '0' and r['length'] == $SIZE for r in L)\""
ok_if 'then /PAGE/videos with the handle' \
    'log_has "any(r[\"path\"] == \"/v26.0/1000/videos\" and \"fbuploader_video_file_chunk=4%3A\" in r[\"body\"] for r in L)"'
check 'the same command again' 'agency-upload --to facebook:page p.json >again.json'
ok_if 'prints the existing post, makes no video' \
    '[ "$(json_get again.json "d[\"existing\"]")" = True ] && [ "$(posts)" = 1 ]'
check 'status --remote asks Facebook' 'agency-upload status --remote facebook:page >st.json'
ok_if 'which says ready' \
    '[ "$(json_get st.json "d[\"remote\"][\"video\"][\"status\"][\"video_status\"]")" = ready ]'

# Faults of the Page video flow.
prod
log_mark
fake_fault drop random 2
check 'connections dropped at random offsets: resumed' \
    'agency-upload -v --to facebook:page p.json'
grep_err 'from what the server had' 'upload interrupted'
ok_if 'one video, our bytes, after two drops' \
    'one_post $n && log_has "sum(r[\"status\"] == \"dropped\" for r in L) == 2"'
prod
log_mark
fake_fault partial 30000
check 'a body kept in part: resumed from file_offset' \
    'agency-upload --to facebook:page p.json'
ok_if 'one video, our bytes, resumed at 30000' \
    'one_post $n && log_has "any(r[\"headers\"].get(\"file_offset\") == \"30000\" for r in L)"'
prod
log_mark
fake_fault finalize-5xx
check 'a 500 as the last byte arrives: the handle asked for again' \
    'agency-upload --to facebook:page p.json'
ok_if 'one video, our bytes, after the 500' \
    'one_post $n && log_has "any(r[\"status\"] == 500 for r in L)"'
prod
log_mark
fake_fault create-drop
check 'the video made, the answer to /videos lost' \
    'agency-upload -v --to facebook:page p.json >post.json'
grep_err 'looked for by its marker' 'looking for agency-'
ok_if 'one video, not two, and the post names it' \
    "one_post $n && [ \"\$(json_get post.json 'd[\"remote_id\"]')\" = \"\$(fake_state 'd[\"videos\"][-1][\"id\"]')\" ]"
prod
log_mark
fake_fault 429
check 'code 4 with X-App-Usage: backed off, done' \
    'agency-upload -v --to facebook:page p.json'
grep_err 'saying why' 'rate limited \(\(#4\) Application request limit'
ok_if 'one video, after the code 4' 'one_post $n'
prod
fake_fault buc 30
expect_code 'code 32 (the Page), access back in 30 minutes: 75' 75 \
    'agency-upload --to facebook:page p.json'
grep_err 'saying when' 'code 32.*try again in 1800 s'
check 'the next run goes on' 'agency-upload --to facebook:page p.json'
ok_if 'one video' 'one_post $n'
prod
fake_fault expire-token
expect_code 'a Page token Meta refuses (190): 77' 77 \
    'agency-upload --to facebook:page p.json'
grep_err 'saying what to do' "code 190.*agency-upload auth facebook:page"
ok_if 'the account needs reconnecting' \
    'agency-upload accounts ls --json | grep -q "\"name\":\"facebook:page\".*\"state\":\"needs_reconnect\""'
check 'auth with a new token' \
    "printf 'tok-fb2\\n' | agency-upload auth facebook:page"
check 'then the same command' 'agency-upload --to facebook:page p.json'
ok_if 'one video' 'one_post $n'
prod
log_mark
fake_fault processing 3
check 'processing for 3 polls: waited for' \
    'agency-upload -v --to facebook:page p.json'
ok_if 'published once ready' \
    'one_post $n && log_has "sum(\"fields=status,permalink_url\" in r[\"path\"] for r in L) == 4"'
prod
log_mark
fake_fault slow 1500
check 'an answer slower than http.timeout: sent again' \
    'agency-upload --config slow.yaml -v --to facebook:page p.json'
grep_err 'saying so' 'Timeout was reached'
# The slow answer is still on its way: let it land before the next fault.
log_wait "sum(r['path'].endswith('/555/uploads') for r in L) >= 2"
ok_if 'one video' "one_post $n"
prod
log_mark
fake_fault 5xx 500
check 'a 500 (code 2, is_transient) on the session: sent again' \
    'agency-upload --to facebook:page p.json'
ok_if 'one video, after the 500' \
    "one_post $n && log_has 'any(r[\"status\"] == 500 for r in L)'"
prod
fake_fault video-error
expect_code 'a video Facebook cannot process: 65' 65 \
    'agency-upload --to facebook:page p.json'
grep_err 'with its words' 'could not process video [0-9]+: the video could not be processed'

# Kill -9 at every step, then the same command: one video each time.
for point in facebook-session facebook-sent uploaded publishing \
    facebook-published published; do
	prod
	expect_code "killed at $point" 137 \
	    "AGENCY_TEST_CRASH=$point agency-upload --to facebook:page p.json"
	check "then the same command (after $point)" \
	    'agency-upload --to facebook:page p.json >post.json'
	ok_if "published, and exactly one video (after $point)" \
	    "[ \"\$(json_get post.json 'd[\"state\"]')\" = published ] && one_post $n"
done
prod
expect_code 'killed with the session started' 137 \
    'AGENCY_TEST_CRASH=facebook-session agency-upload --to facebook:page p.json'
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/drop-sessions"
check 'the session gone (100/33): another one' \
    'agency-upload -v --to facebook:page p.json'
grep_err 'saying so' 'upload session is gone; starting another'
ok_if 'one video, our bytes' "one_post $n"

# Page Reels.
prod r.mp4
log_mark
check 'publish a Page Reel' 'agency-upload --to facebook:reels p.json >post.json'
fake_state 'd["videos"][-1]' >v.json
py_ok 'published, the reel URL, the description with the marker' "
d, v = J('post.json'), J('v.json')
assert d['state'] == 'published' and d['mode'] == 'reel', d
assert d['remote_id'] == v['id'] and v['kind'] == 'reel', (d, v)
assert d['url'] == 'https://www.facebook.com/reel/%s/' % v['id'], d
assert v['description'].startswith('Post c_fb$n\n\n#test #agency\n\nagency-'), v"
ok_if 'one Reel, our bytes' "one_post $n $RSHA"
ok_if 'start, rupload from offset 0, finish PUBLISHED' \
    'log_has "any(\"upload_phase=start\" in (r[\"body\"] or \"\") for r in L)" &&
     log_has "any(r[\"path\"].startswith(\"/video-upload/v26.0/\") and r[\"headers\"].get(\"offset\") == \"0\" and r[\"headers\"].get(\"authorization\") == \"OAuth tok-fbr\" for r in L)" &&
     log_has "any(\"upload_phase=finish\" in (r[\"body\"] or \"\") and \"video_state=PUBLISHED\" in r[\"body\"] for r in L)"'
prod r.mp4
log_mark
fake_fault drop random 2
check 'a Reel upload cut twice: resumed from bytes_transferred' \
    'agency-upload -v --to facebook:reels p.json'
ok_if 'one Reel, our bytes' \
    "one_post $n $RSHA && log_has 'any(\"fields=status\" in r[\"path\"] and r[\"status\"] == 200 for r in L)'"
prod r.mp4
fake_fault create-drop
check 'the Reel published, the answer to finish lost' \
    'agency-upload --to facebook:reels p.json'
ok_if 'found among the Page Reels: one' "one_post $n $RSHA"
for point in facebook-session facebook-sent publishing published; do
	prod r.mp4
	expect_code "a Reel killed at $point" 137 \
	    "AGENCY_TEST_CRASH=$point agency-upload --to facebook:reels p.json"
	check "then the same command (after $point)" \
	    'agency-upload --to facebook:reels p.json >post.json'
	ok_if "published, and exactly one Reel (after $point)" \
	    "[ \"\$(json_get post.json 'd[\"state\"]')\" = published ] && one_post $n $RSHA"
done

# Checks before anything is sent.
r0=$(wc -l <"$FAKE_LOG")
prod v.mp4
expect_code 'a Reel under 540x960: 65' 65 'agency-upload --to facebook:reels p.json'
grep_err 'saying so' '320x240 is smaller than the 540x960 facebook takes'
agency-upload accounts add facebook:odd --set api_url=x --set page_id=1 \
    --set mode=story >/dev/null
printf 'tok-fb\n' | agency-upload auth facebook:odd >/dev/null
expect_code 'an unknown mode: 78' 78 'agency-upload --to facebook:odd p.json'
agency-upload accounts add facebook:noapp --set api_url=x --set page_id=1 \
    >/dev/null
printf 'tok-fb\n' | agency-upload auth facebook:noapp >/dev/null
expect_code 'Page videos without app_id: 78' 78 \
    'agency-upload --to facebook:noapp p.json'
grep_err 'saying how' 'accounts add facebook:noapp --set app_id=ID'
ok_if 'not one request was sent for them' '[ $(wc -l <"$FAKE_LOG") -eq "$r0" ]'

prod
check 'the dry run' 'agency-upload -n --to facebook:page p.json'
ok_if 'prints the requests, the token redacted' \
    'grep -q "POST $FAKE_URL/v26.0/555/uploads" err &&
     grep -q "Authorization: OAuth \*\*\*" err && grep -q "file_offset: 0" err &&
     grep -q "POST $FAKE_URL/v26.0/1000/videos" err && ! grep -q "tok-fb" err'
ok_if 'sends nothing, records nothing' \
    '[ "$(json_get out "d[\"state\"]")" = planned ] &&
     ! agency-upload status | grep -q "c_fb$n\""'
done_testing
