#!/bin/sh
# agency-upload to Instagram Reels, against tests/servers/fake_instagram.py:
# a REELS container for a resumable upload, the bytes to rupload (OAuth
# header, offset, file_size), the container polled to FINISHED, then
# media_publish; the faults of the checklist (dropped and partly kept
# bodies, a 500 at the end, the post made and the answer lost, Meta's
# rate-limit codes and headers, a dead token, containers that expire or
# fail, the publishing quota), kill -9 at each step then the same
# command: one Reel, always.  Media checks, the caption, the dry run.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-upload.sh"
plan 95

mkdir -p config/agency
printf 'upload:\n  poll_interval: 0.05\n' >config/agency/config.yaml
printf 'http:\n  timeout: 1\nupload:\n  poll_interval: 0.05\n' >slow.yaml
make_video v.mp4 4 180x320 -vf noise=alls=60:allf=t -crf 20
SHA=$(sha256sum v.mp4 | cut -d' ' -f1)
SIZE=$(stat -c %s v.mp4)
fake_platform instagram --token tok-ig --token tok-ig2
# account ACCOUNT TOKEN [SETTING=VALUE...]: an account on the fake.
account() {
	_a=$1
	_t=$2
	shift 2
	add_account "$_a" "api_url=$FAKE_URL" ig_user_id=17841400001 "$@" &&
	    printf '%s\n' "$_t" | agency-upload auth "$_a" >/dev/null
}
account instagram:main tok-ig
n=0
# prod [EXTRA-JSON]: a production with a new content id in p.json, its
# Instagram caption "Reel c_igN".
prod() {
	n=$((n + 1))
	make_production "c_ig$n" v.mp4 "{\"captions\": {\"instagram\": {\"title\": \"T$n\", \"description\": \"Reel c_ig$n\", \"tags\": [\"test\", \"agency\"]}}${1:-}}" >p.json
}
media() {
	fake_state 'd["published"]'
}
# one_reel N: exactly one Reel of content c_igN, with our bytes.
one_reel() {
	fake_one media "x['caption'].startswith('Reel c_ig$1\n')" "$SHA"
}

prod
check 'publish' 'agency-upload --to instagram:main p.json >post.json'
fake_state 'd["media"][0]' >m.json
py_ok 'one agency.post: published, the media id and its permalink' "
d, m = J('post.json'), J('m.json')
assert d['state'] == 'published' and d['platform'] == 'instagram', d
assert d['remote_id'] == m['id'] and d['url'] == m['permalink'], (d, m)
assert d['url'].startswith('https://www.instagram.com/reel/'), d
assert d['container'] == m['container'] and d['bytes'] == $SIZE, d"
ok_if 'the fake holds one Reel with our bytes' 'one_reel $n && [ "$(media)" = 1 ]'
py_ok 'the caption: description, hashtags, the marker last' "
m = J('m.json')
c = m['caption'].split('\n\n')
assert c[:2] == ['Reel c_ig1', '#test #agency'], c
assert c[2].startswith('agency-') and len(c[2]) == 23, c
assert m['media_product_type'] == 'REELS' and m['share_to_feed'] == 'true', m"
ok_if 'a REELS container for a resumable upload' \
    'log_has "any(r[\"path\"].endswith(\"/17841400001/media\") and \"media_type=REELS\" in r[\"body\"] and \"upload_type=resumable\" in r[\"body\"] for r in L)"'
ok_if 'the bytes to rupload with OAuth, offset and file_size' \
    "log_has \"any(r['method'] == 'POST' and r['path'].startswith('/ig-api-upload/v') and r['headers'].get('authorization') == 'OAuth tok-ig' and r['headers'].get('offset') == '0' and r['headers'].get('file_size') == '$SIZE' and r['length'] == $SIZE for r in L)\""
ok_if 'media_publish after the container was FINISHED' \
    'log_has "any(r[\"path\"].endswith(\"/media_publish\") and r[\"status\"] == 200 for r in L)"'
check 'the same command again' 'agency-upload --to instagram:main p.json >again.json'
ok_if 'prints the existing post, makes no Reel' \
    '[ "$(json_get again.json "d[\"existing\"]")" = True ] && [ "$(media)" = 1 ]'
check 'status --remote asks Instagram' 'agency-upload status --remote instagram:main >st.json'
ok_if 'which knows the Reel' \
    '[ "$(json_get st.json "d[\"remote\"][\"exists\"]")" = True ] &&
     [ "$(json_get st.json "d[\"remote\"][\"media\"][\"media_product_type\"]")" = REELS ]'

prod
check 'flags override the captions' \
    "agency-upload --to instagram:main --description 'Reel c_ig$n by flag' --tags x,y p.json"
ok_if 'as asked' \
    "fake_state \"d['media'][-1]['caption'].startswith('Reel c_ig$n by flag\\n\\n#x #y\\n\\nagency-')\" | grep -q True"

# Faults in the upload.
prod
log_mark
fake_fault drop random 3
check 'connections dropped at random offsets: resumed' \
    'agency-upload -v --to instagram:main p.json'
grep_err 'from what the server had' 'upload interrupted'
ok_if 'one Reel, our bytes, after three drops' \
    'one_reel $n && log_has "sum(r[\"status\"] == \"dropped\" for r in L) == 3"'
prod
log_mark
fake_fault partial 40000 2
check 'rupload keeping part of a body: resumed from its offset' \
    'agency-upload --to instagram:main p.json'
ok_if 'one Reel, our bytes, resumed at the offset rupload gave' \
    'one_reel $n && log_has "any(r[\"headers\"].get(\"offset\") == \"40000\" for r in L)"'
prod
log_mark
fake_fault finalize-5xx
check 'a 500 as the last byte arrives: asked, then done' \
    'agency-upload --to instagram:main p.json'
ok_if 'one Reel, our bytes, after the 500' \
    'one_reel $n && log_has "any(r[\"status\"] == 500 for r in L)"'
prod
log_mark
fake_fault create-drop
check 'the Reel made, the answer to media_publish lost' \
    'agency-upload -v --to instagram:main p.json >post.json'
grep_err 'looked for by its marker' 'looking for agency-'
ok_if 'one Reel, not two, and the post names it' \
    "one_reel $n && log_has 'any(r[\"status\"] == \"dropped\" for r in L)' &&
     [ \"\$(json_get post.json 'd[\"url\"]')\" = \"\$(fake_state 'd[\"media\"][-1][\"permalink\"]')\" ]"
prod
log_mark
fake_fault 5xx 500
check 'a 500 (code 2, is_transient) on the container: sent again' \
    'agency-upload --to instagram:main p.json'
ok_if 'one Reel, after the 500' \
    'one_reel $n && log_has "any(r[\"status\"] == 500 for r in L)"'

prod
fake_fault permalink-5xx 500 4
check 'the permalink unreadable after the publish: still published' \
    'agency-upload --to instagram:main p.json >post.json'
grep_err 'with a warning' 'published as [0-9]+, but its permalink could not be read'
ok_if 'one Reel, the post without a url' \
    "one_reel $n && [ \"\$(json_get post.json 'd[\"url\"]')\" = None ] &&
     [ \"\$(json_get post.json 'd[\"state\"]')\" = published ]"

# Rate limits, in Meta's codes and headers.
prod
log_mark
fake_fault 429
check 'code 4 with X-App-Usage at 100 %: backed off, done' \
    'agency-upload -v --to instagram:main p.json'
grep_err 'saying why' 'rate limited \(\(#4\) Application request limit reached \(code 4'
ok_if 'one Reel, after the 400 code 4' \
    'one_reel $n && log_has "any(r[\"status\"] == 400 for r in L)"'
prod
fake_fault buc 60
expect_code 'code 80002, access back in 60 minutes: 75' 75 \
    'agency-upload --to instagram:main p.json'
grep_err 'saying when' 'code 80002.*try again in 3600 s'
check 'the next run goes on' 'agency-upload --to instagram:main p.json'
ok_if 'one Reel' 'one_reel $n'

# A dead token: 77, the account needs reconnecting, a new token heals it.
prod
fake_fault expire-token
expect_code 'a token Meta refuses (190): 77' 77 \
    'agency-upload --to instagram:main p.json'
grep_err 'saying what to do' "code 190, subcode 463.*agency-upload auth instagram:main"
ok_if 'the account needs reconnecting' \
    'agency-upload accounts ls --json | grep -q "\"name\":\"instagram:main\".*\"state\":\"needs_reconnect\""'
expect_code 'and stays so until auth' 77 'agency-upload --to instagram:main p.json'
check 'auth with a new token' \
    "printf 'tok-ig2\\n' | agency-upload auth instagram:main"
log_mark
check 'then the same command' 'agency-upload --to instagram:main p.json'
ok_if 'one Reel, sent with the new token' \
    'one_reel $n && log_has "any(r[\"headers\"].get(\"authorization\") == \"Bearer tok-ig2\" for r in L)"'

# The container's life.
prod
log_mark
fake_fault processing 3
check 'a container IN_PROGRESS for 3 polls: waited for' \
    'agency-upload -v --to instagram:main p.json'
ok_if 'published once FINISHED' \
    'one_reel $n && log_has "sum(\"fields=status_code\" in r[\"path\"] for r in L) == 4"'
prod
log_mark
fake_fault not-ready '' 2
check 'media_publish saying 9007 "not ready": waited, sent again' \
    'agency-upload --to instagram:main p.json'
ok_if 'one Reel, after two 9007s' \
    "one_reel $n && log_has 'sum(r[\"path\"].endswith(\"/media_publish\") and r[\"status\"] == 400 for r in L) == 2'"
prod
log_mark
fake_fault slow 1500
check 'an answer slower than http.timeout: sent again' \
    'agency-upload --config slow.yaml -v --to instagram:main p.json'
grep_err 'saying so' 'Timeout was reached'
# The slow answer is still on its way: let it land before the next fault.
log_wait "sum(r['path'].endswith('/17841400001/media') for r in L) >= 2"
ok_if 'one Reel' "one_reel $n"
prod
fake_fault expire-container
expect_code 'a container that EXPIRED: 65' 65 'agency-upload --to instagram:main p.json'
grep_err 'saying so' 'container [0-9]+ is EXPIRED; the next run uploads the video again'
c0=$(fake_state 'd["containers"]')
check 'the next run makes a new container' 'agency-upload --to instagram:main p.json'
ok_if 'one Reel, from a second container' \
    "one_reel $n && [ \$(fake_state 'd[\"containers\"]') -eq \$((c0 + 1)) ]"
prod
fake_fault container-error
expect_code 'a container in ERROR: 65, with Meta words' 65 \
    'agency-upload --to instagram:main p.json'
grep_err 'the status text' 'is ERROR: Error: 2207026'
ok_if 'no Reel' "[ \$(fake_state \"sum(x['caption'].startswith('Reel c_ig$n\\\\n') for x in d['media'])\") -eq 0 ]"

# resume, without the production at hand.
prod
expect_code 'killed with the container made' 137 \
    'AGENCY_TEST_CRASH=instagram-container agency-upload --to instagram:main p.json'
rm p.json
check 'resume goes on from the store' 'agency-upload resume >post.json'
py_ok 'with its post published' "
d = [json.loads(l) for l in open('post.json')]
assert any(x['content_id'] == 'c_ig$n' and x['state'] == 'published' for x in d), d"
ok_if 'one Reel' "one_reel $n"

# Kill -9 at every step, then the same command: one Reel each time.
for point in instagram-container instagram-sent uploaded publishing published; do
	prod
	expect_code "killed at $point" 137 \
	    "AGENCY_TEST_CRASH=$point agency-upload --to instagram:main p.json"
	check "then the same command (after $point)" \
	    'agency-upload --to instagram:main p.json >post.json'
	ok_if "published, and exactly one Reel (after $point)" \
	    "[ \"\$(json_get post.json 'd[\"state\"]')\" = published ] && one_reel $n"
done

# An upload session that went away meanwhile.
prod
expect_code 'killed with the container made' 137 \
    'AGENCY_TEST_CRASH=instagram-container agency-upload --to instagram:main p.json'
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/drop-sessions"
check 'the session gone: a new container' \
    'agency-upload -v --to instagram:main p.json'
grep_err 'saying so' 'upload session is gone; making a new container'
ok_if 'one Reel, our bytes' "one_reel $n"

# Media checks: nothing is sent.
make_video short.mp4 2 180x320
make_production c_bad1 short.mp4 >bad.json
r0=$(wc -l <"$FAKE_LOG")
expect_code 'a Reel under 3 s: 65' 65 'agency-upload --to instagram:main bad.json'
grep_err 'naming the limit' 'duration \(s\) 2[.0-9]* is under 3'
make_video wide.mp4 3.5 2048x64
make_production c_bad2 wide.mp4 >bad.json
expect_code 'wider than 1920: 65' 65 'agency-upload --to instagram:main bad.json'
grep_err 'saying so' '2048x64 is larger than the 1920x64'
make_video el.mp4 4 180x320 -use_editlist 1 -af aresample=async=1
make_production c_bad3 el.mp4 >bad.json
expect_code 'edit lists: 65' 65 'agency-upload --to instagram:main bad.json'
prod ", \"captions\": {\"instagram\": {\"description\": \"x\", \"tags\": [$(seq -s, -f '"t%g"' 31)]}}"
expect_code '31 hashtags: 65' 65 'agency-upload --to instagram:main p.json'
grep_err 'saying so' '31 hashtags; Instagram takes at most 30'
ok_if 'not one request was sent for them' '[ $(wc -l <"$FAKE_LOG") -eq "$r0" ]'
check 'an account without ig_user_id is refused' \
    '! agency-upload accounts add instagram:bare --set api_url=x 2>/dev/null'

prod
check 'the dry run' 'agency-upload -n --to instagram:main p.json'
ok_if 'prints the requests, the token redacted' \
    'grep -q "POST $FAKE_URL/v26.0/17841400001/media" err &&
     grep -q "Authorization: OAuth \*\*\*" err && grep -q "offset: 0" err &&
     grep -q "media_publish" err && ! grep -q "tok-ig" err'
ok_if 'sends nothing, records nothing' \
    '[ "$(json_get out "d[\"state\"]")" = planned ] &&
     ! agency-upload status | grep -q "c_ig$n\""'

# The 24-hour publishing quota (a second fake that allows one post).
fake_platform instagram --token tok-q --quota 1
account instagram:quota tok-q
prod
check 'a publish within the quota' 'agency-upload --to instagram:quota p.json'
prod
expect_code 'the quota spent (subcode 2207042): 75' 75 \
    'agency-upload --to instagram:quota p.json'
grep_err 'saying why' '24-hour publishing limit is reached'
ok_if 'and nothing more was published' '[ "$(media)" = 1 ]'
done_testing
