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
: >states
: >bad
# How long one publish takes here (under ASan, on a busy box, ...): the
# kills are spread from a fifth of that to a little past it.
s0=$(date +%s%N)
agency-upload --to youtube:main p0.json >/dev/null
full=$(( ($(date +%s%N) - s0) / 1000000 ))
echo "# one publish takes $full ms here"
awk -v n=$N -v full=$full 'BEGIN { srand(8); for (i = 1; i <= n; i++)
    printf "%d\n", full * (0.2 + rand()) }' >delays
i=0
while read -r ms; do
	i=$((i + 1))
	sed "s/c_ch_0/c_ch_$i/g" p0.json >p.json
	agency-upload --to youtube:main p.json >/dev/null 2>>run.err &
	pid=$!
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	echo "$?" "$(sqlite3 "$DB" \
	    "SELECT state FROM uploads WHERE content_id = 'c_ch_$i'")" >>states
	if ! agency-upload --to youtube:main p.json >post.json 2>>run.err ||
	    ! grep -q '"state":"published"' post.json; then
		echo "$i: the re-run did not publish" >>bad
		continue
	fi
	c=$(curl -s "$FAKE_URL/_fake/state" |
	    grep -o "\"title\": \"Test video c_ch_$i\"" | wc -l)
	[ "$c" -eq 1 ] || echo "$i: $c videos" >>bad
done <delays

killed=$(grep -c '^137 ' states)
echo "# $killed of $N runs were killed before they ended; journal states then:"
awk '$1 == 137 { n[$2 == "" ? "none" : $2]++ }
    END { for (s in n) printf "#   %s %d\n", s, n[s] }' states | sort
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
