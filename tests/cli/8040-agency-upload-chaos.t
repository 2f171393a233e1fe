#!/bin/sh
# Chaos: 200 publishes to the YouTube fake, each killed with -9 at a
# moment of a fixed pseudo-random walk (so a failure can be replayed),
# each followed by the same command without a kill.  After every
# re-run the post is published and exactly one video of it exists on
# the server: never none, never two.  The kills must land in every
# step of the journal, or the test proves nothing.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-upload.sh"
plan 7
N=200

make_video v.mp4 1 320x240 -vf noise=alls=60:allf=t -crf 18
fake_platform youtube --client-secret test-secret --delay 2
DB=$T/data/agency/agency.db
oauth_account youtube:main chunk_size=262144
make_production c_ch_0 v.mp4 >p0.json
# How long one publish takes here (under ASan, on a busy box, ...): the
# kills are spread from a fifth of that to a little past it.
videos_of() {
	curl -s "$FAKE_URL/_fake/state" |
	    grep -o "\"title\": \"Test video c_ch_$1\"" | wc -l
}
upload_chaos youtube:main $N 8 1 1 videos_of
ok_if 'every re-run published, with exactly one video each' '[ ! -s bad ]'
[ -s bad ] && sed -n '1,10s/^/#   /p' bad
ok_if "the server holds $N videos (and the first), no more" \
    '[ "$(fake_state "len(d[\"videos\"])")" = $((N + 1)) ]'
ok_if 'each with our bytes' \
    "[ \"\$(fake_state \"len(set(v['sha256'] for v in d['videos']))\")\" = 1 ] &&
     [ \"\$(fake_state \"d['videos'][0]['sha256']\")\" = $(sha256sum v.mp4 | cut -d' ' -f1) ]"
ok_if 'many runs were killed' '[ "$killed" -ge $((N / 4)) ]'
ok_if 'kills landed before a journal existed and while uploading' \
    'grep -q "^137 $" states && grep -q "^137 uploading" states'
ok_if 'and in publishing, or after the upload' \
    'grep -Eq "^137 (publishing|uploaded)" states'
ok_if 'every journal is published' \
    '[ -z "$(agency-upload status -u)" ]'
done_testing
