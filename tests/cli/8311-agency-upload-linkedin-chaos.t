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
# Every other post is slow to answer: kills land in publishing, after
# LinkedIn made the post the re-run looks for.  How long a publish
# takes here is the longest of three; the kills are spread from a
# fifth of that to past it.
posts_of() {
	fake_state "sum(1 for p in d['posts'] if p['commentary'].endswith('$2'))"
}
upload_chaos linkedin:main $N 11 1.4 3 posts_of answer-slow 150
chaos_verdict posts
done_testing
