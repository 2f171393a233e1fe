#!/bin/sh
# Chaos on X: publishes to fake_x.py, each killed with -9 at a moment of
# a fixed pseudo-random walk (replayable), each followed by the same
# command without a kill.  X has no idempotency, so what keeps a post
# from being made twice is the journal and the search of the timeline:
# after every re-run the post is published and exactly one post of it
# exists on the server.  The kills must land in every step.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-upload.sh"
plan 6
N=40

mkdir -p config/agency
printf 'upload:\n  poll_interval: 0.05\n' >config/agency/config.yaml
make_video v.mp4 1 320x240 -vf noise=alls=60:allf=t -crf 18
fake_platform x --client-secret test-secret --rotate --check-after 0 \
    --delay 2
DB=$T/data/agency/agency.db
oauth_account x:main segment_size=262144
make_production c_ch_0 v.mp4 >p0.json
: >states
: >bad
# How long a publish takes here (the longest of three); the kills are spread from a fifth of
# that to past it.
full=0
for k in 0 00 000; do
	sed "s/c_ch_0/c_ch_$k/g" p0.json >p.json
	s0=$(date +%s%N)
	agency-upload --to x:main p.json >/dev/null
	ms=$(( ($(date +%s%N) - s0) / 1000000 ))
	[ "$ms" -gt "$full" ] && full=$ms
done
echo "# one publish takes $full ms here"
awk -v n=$N -v full=$full 'BEGIN { srand(11); for (i = 1; i <= n; i++)
    printf "%d\n", full * (0.2 + 1.4 * rand()) }' >delays
i=0
while read -r ms; do
	i=$((i + 1))
	sed "s/c_ch_0/c_ch_$i/g" p0.json >p.json
	# Every other post takes a while to make: kills land in publishing,
	# some while X is still making the post the re-run looks for.
	[ $((i % 2)) -eq 1 ] && fake_fault post-slow 150
	agency-upload --to x:main p.json >/dev/null 2>>run.err &
	pid=$!
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	echo "$?" "$(sqlite3 "$DB" \
	    "SELECT state FROM uploads WHERE content_id = 'c_ch_$i'")" >>states
	if ! agency-upload --to x:main p.json >post.json 2>>run.err ||
	    ! grep -q '"state":"published"' post.json; then
		echo "$i: the re-run did not publish" >>bad
		continue
	fi
	m=$(sqlite3 "$DB" \
	    "SELECT idem_key FROM uploads WHERE content_id = 'c_ch_$i'")
	c=$(fake_state "sum(1 for t in d['tweets'] if t['text'].endswith(' $m'))")
	[ "$c" -eq 1 ] || echo "$i: $c posts" >>bad
done <delays

killed=$(grep -c '^137 ' states)
echo "# $killed of $N runs were killed before they ended; journal states then:"
awk '$1 == 137 { n[$2 == "" ? "none" : $2]++ }
    END { for (s in n) printf "#   %s %d\n", s, n[s] }' states | sort
ok_if 'every re-run published, with exactly one post each' '[ ! -s bad ]'
[ -s bad ] && sed -n '1,10s/^/#   /p' bad
ok_if "the server holds $N posts (and the first three), no more, our bytes" \
    "[ \"\$(fake_state 'len(d[\"tweets\"])')\" = $((N + 3)) ] &&
     [ \"\$(fake_state \"set(t['sha256'] for t in d['tweets']) == {'$(sha256sum v.mp4 | cut -d' ' -f1)'}\")\" = True ]"
ok_if 'many runs were killed' '[ "$killed" -ge $((N / 4)) ]'
ok_if 'kills landed while uploading' 'grep -q "^137 uploading" states'
ok_if 'and in publishing, or after the upload' \
    'grep -Eq "^137 (publishing|uploaded|published)" states'
ok_if 'every journal is published' \
    '[ -z "$(agency-upload status -u)" ]'
done_testing
