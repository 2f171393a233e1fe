#!/bin/sh
# agency-upload to a folder tree (the dir target): the post, once; the
# journal; resuming a copy cut by kill -9; a crash after the rename; a
# folder that is not ours; bad input and its exit codes.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-upload.sh"
plan 46

make_video v.mp4 2
make_production c_dir1 v.mp4 >p.json
PUB=$T/data/agency/published

check 'publish to dir:archive (never added: its defaults)' \
    'agency-upload --to dir:archive p.json >post.json'
ok_if 'one agency.post, published' \
    '[ $(wc -l <post.json) -eq 1 ] &&
     [ "$(json_get post.json "d[\"state\"]")" = published ] &&
     [ "$(json_get post.json "d[\"kind\"]")" = agency.post ]'
ok_if 'with the shared names' '"$PY" -c "import json
d=json.load(open(\"post.json\"))
assert d[\"platform\"] == \"dir\" and d[\"account\"] == \"dir:archive\"
assert d[\"content_id\"] == \"c_dir1\" and d[\"remote_id\"] == \"c_dir1\"
assert d[\"url\"] == \"file://$PUB/archive/c_dir1/v.mp4\"
assert d[\"bytes\"] == $(stat -c %s v.mp4) and d[\"seconds\"] >= 0
assert d[\"published_at\"].endswith(\"Z\")"'
ok_if 'the folder holds the video, byte for byte' \
    'cmp v.mp4 "$PUB/archive/c_dir1/v.mp4"'
ok_if 'and production.json and post.json' \
    '[ "$(json_get "$PUB/archive/c_dir1/production.json" "d[\"id\"]")" = c_dir1 ] &&
     [ "$(json_get "$PUB/archive/c_dir1/post.json" "d[\"marker\"]")" != "" ]'
ok_if 'no staging folder is left' \
    '[ -z "$(ls -A "$PUB/archive" | grep staging)" ]'
check 'accounts ls shows the account, active' \
    'agency-upload accounts ls --json >acc.json'
ok_if '(dir:archive, active, no credentials)' \
    '[ "$(json_get acc.json "d[\"state\"]")" = active ] &&
     [ "$(json_get acc.json "d[\"has_credentials\"]")" = False ]'

check 'the same command again' 'agency-upload --to dir:archive p.json >again.json'
ok_if 'prints the existing post' \
    '[ "$(json_get again.json "d[\"existing\"]")" = True ] &&
     [ "$(json_get again.json "d[\"url\"]")" = "$(json_get post.json "d[\"url\"]")" ]'
ok_if 'and publishes nothing new' '[ $(ls "$PUB/archive" | wc -l) -eq 1 ]'
check 'status lists the journal' 'agency-upload status >st.json'
ok_if '(published, all bytes)' \
    '[ "$(json_get st.json "d[\"state\"]")" = published ] &&
     [ "$(json_get st.json "d[\"sent\"]")" = "$(stat -c %s v.mp4)" ]'
check 'status -r looks at the folder' 'agency-upload status -r >st.json'
ok_if '(the post is there)' '[ "$(json_get st.json "d[\"remote\"][\"exists\"]")" = True ]'
check 'status -u: nothing unfinished' 'agency-upload status -u >st.json'
ok_if '(empty)' '[ ! -s st.json ]'

# Production read from stdin, a path setting, captions.
mkdir tree
check 'an account with a path of its own' \
    'agency-upload accounts add dir:tree --set path=tree'
check 'the production on stdin' 'agency-upload --to dir:tree <p.json >post.json'
ok_if 'lands under the path' '[ -f "tree/c_dir1/v.mp4" ]'

# kill -9 in the middle of the copy, then the same command.
make_video big.mp4 5 320x240 -vf noise=alls=100:allf=t+u -crf 10
make_production c_big big.mp4 >big.json
expect_code 'killed in the middle of copying' 137 \
    'AGENCY_TEST_CRASH=dir-copy@1 agency-upload --to dir:archive big.json'
agency-upload status -u >st.json
ok_if 'the journal says uploading, with the bytes copied' \
    '[ "$(json_get st.json "d[\"state\"]")" = uploading ] &&
     [ "$(json_get st.json "d[\"sent\"]")" -gt 0 ]'
sent=$(json_get st.json 'd["sent"]')
check 'the same command resumes' \
    'agency-upload -v --to dir:archive big.json >post.json'
grep_err 'from where the copy stopped' "going on from byte $sent"
ok_if 'and the copy is whole' 'cmp big.mp4 "$PUB/archive/c_big/big.mp4"'

# Killed after the rename, before the journal says published.
make_production c_k v.mp4 >k.json
expect_code 'killed just after publishing' 137 \
    'AGENCY_TEST_CRASH=published agency-upload --to dir:archive k.json'
ok_if 'the post is there, the journal says publishing' \
    '[ -f "$PUB/archive/c_k/post.json" ] &&
     [ "$(agency-upload status -u | json_get /dev/stdin "d[\"state\"]")" = publishing ]'
check 'the same command settles it' 'agency-upload --to dir:archive k.json >post.json'
ok_if 'published, still one folder for it' \
    '[ "$(json_get post.json "d[\"state\"]")" = published ] &&
     [ $(ls "$PUB/archive" | grep -c "^c_k") -eq 1 ]'

# Two at once on one post: the second waits upload.lock_wait, then 75.
make_production c_l v.mp4 >l.json
printf 'upload:\n  lock_wait: 0.2\n' >short.yaml
lock=$T/data/agency/locks/upload-$(agency-upload -n --to dir:archive l.json 2>&1 |
    sed -n 's/.*staging-\(agency-[0-9a-f]*\).*/\1/p').lock
flock "$lock" sleep 3 &
_pids="$_pids $!"
sleep 0.3
expect_code 'another agency-upload holds the post: 75' 75 \
    'agency-upload --config short.yaml --to dir:archive l.json'
grep_err 'saying so' 'another agency-upload is publishing'

# Someone else's folder is never replaced.
make_production c_x v.mp4 >x.json
mkdir -p "$PUB/archive/c_x" && echo mine >"$PUB/archive/c_x/notes.txt"
expect_code 'a folder that is not this post: 73' 73 \
    'agency-upload --to dir:archive x.json'
grep_err 'saying so' "exists and is not this post"
ok_if 'it is untouched' '[ "$(cat "$PUB/archive/c_x/notes.txt")" = mine ]'

# The dry run.
make_production c_dry v.mp4 >dry.json
check 'a dry run' 'agency-upload -n --to dir:archive dry.json'
ok_if 'plans a post, writes none' \
    '[ "$(json_get out "d[\"state\"]")" = planned ] && [ ! -e "$PUB/archive/c_dry" ] &&
     ! agency-upload status | grep -q c_dry'
grep_err 'and says what it would do' "rename it to '$PUB/archive/c_dry'"

# Bad input.
expect_code 'no --to: usage, 64' 64 'agency-upload p.json'
expect_code 'a bad account name: 64' 64 'agency-upload --to nocolon p.json'
expect_code 'an unknown platform: 78' 78 'agency-upload --to myspace:me p.json'
grep_err 'naming the known ones' "no platform 'myspace' \(known: bluesky, dir, facebook, instagram, linkedin, mastodon, s3, tiktok, webhook, x, youtube\)"
expect_code 'no such file: 66' 66 'agency-upload --to dir:archive nothere.json'
echo '{"kind":"agency.script","version":1}' >script.json
expect_code 'another kind of document: 65' 65 'agency-upload --to dir:archive script.json'
echo 'not a video' >fake.mp4
make_production c_fake fake.mp4 '{"size": 12}' >fake.json
expect_code 'a file that is not a video: 65' 65 'agency-upload --to dir:archive fake.json'
make_production c_sz v.mp4 '{"size": 5}' >sz.json
expect_code 'a video whose size differs from the production: 65' 65 \
    'agency-upload --to dir:archive sz.json'
expect_code '--schedule needs ID:REVISION' 64 \
    'agency-upload --to dir:archive --schedule 7 p.json'
done_testing
