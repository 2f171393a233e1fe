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
# Every other post takes a while to make: kills land in publishing,
# some while X is still making the post the re-run looks for.  How
# long a publish takes here is the longest of three; the kills are
# spread from a fifth of that to past it.
posts_of() {
	fake_state "sum(1 for t in d['tweets'] if t['text'].endswith(' $2'))"
}
upload_chaos x:main $N 11 1.4 3 posts_of post-slow 150
chaos_verdict tweets
done_testing
