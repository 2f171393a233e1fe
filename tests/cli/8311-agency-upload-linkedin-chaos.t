#!/bin/sh
# Chaos on LinkedIn: publishes to fake_linkedin.py, each killed with -9
# at a moment of a fixed pseudo-random walk (replayable), each followed
# by the same command without a kill.  LinkedIn has no idempotency, so
# what keeps a post from being made twice is the journal and the search
# of the author's posts:
# after every re-run the post is published and exactly one post of it
# exists on the server.  The kills must land in every step.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-upload.sh"
plan 6
N=40

mkdir -p config/agency
printf 'upload:\n  poll_interval: 0.05\n' >config/agency/config.yaml
make_video v.mp4 3 320x240 -vf noise=alls=40:allf=t -crf 24
fake_platform linkedin --client-secret test-secret --part-size 524288 \
    --delay 2
DB=$T/data/agency/agency.db
oauth_account linkedin:main
make_production c_ch_0 v.mp4 >p0.json
: >states
: >bad
# How long a publish takes here (the longest of three); the kills are spread from a fifth of
# that to past it.
full=0
for k in 0 00 000; do
	sed "s/c_ch_0/c_ch_$k/g" p0.json >p.json
	s0=$(date +%s%N)
	agency-upload --to linkedin:main p.json >/dev/null
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
	# Every other post is slow to answer: kills land in publishing, after
	# LinkedIn made the post the re-run looks for.
	[ $((i % 2)) -eq 1 ] && fake_fault answer-slow 150
	agency-upload --to linkedin:main p.json >/dev/null 2>>run.err &
	pid=$!
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	echo "$?" "$(sqlite3 "$DB" \
	    "SELECT state FROM uploads WHERE content_id = 'c_ch_$i'")" >>states
	if ! agency-upload --to linkedin:main p.json >post.json 2>>run.err ||
	    ! grep -q '"state":"published"' post.json; then
		echo "$i: the re-run did not publish" >>bad
		continue
	fi
	m=$(sqlite3 "$DB" \
	    "SELECT idem_key FROM uploads WHERE content_id = 'c_ch_$i'")
	c=$(fake_state "sum(1 for p in d['posts'] if p['commentary'].endswith('$m'))")
	[ "$c" -eq 1 ] || echo "$i: $c posts" >>bad
done <delays

killed=$(grep -c '^137 ' states)
echo "# $killed of $N runs were killed before they ended; journal states then:"
awk '$1 == 137 { n[$2 == "" ? "none" : $2]++ }
    END { for (s in n) printf "#   %s %d\n", s, n[s] }' states | sort
ok_if 'every re-run published, with exactly one post each' '[ ! -s bad ]'
[ -s bad ] && sed -n '1,10s/^/#   /p' bad
ok_if "the server holds $N posts (and the first three), no more, our bytes" \
    "[ \"\$(fake_state 'len(d[\"posts\"])')\" = $((N + 3)) ] &&
     [ \"\$(fake_state \"set(p['sha256'] for p in d['posts']) == {'$(sha256sum v.mp4 | cut -d' ' -f1)'}\")\" = True ]"
ok_if 'many runs were killed' '[ "$killed" -ge $((N / 4)) ]'
ok_if 'kills landed while uploading' 'grep -q "^137 uploading" states'
ok_if 'and in publishing, or after the upload' \
    'grep -Eq "^137 (publishing|uploaded|published)" states'
ok_if 'every journal is published' \
    '[ -z "$(agency-upload status -u)" ]'
done_testing
