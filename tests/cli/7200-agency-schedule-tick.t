#!/bin/sh
# The tick, end to end with the queue: due posts become upload jobs, the
# runner runs them (an upload job type that asks "agency-schedule live"
# first, as agency-upload does), and the posts follow: posted with the
# remote id and url, failed with the platform's message.  Late posts are
# missed, not sent; retry sends them.  A post removed after it was queued
# is never published.  Blocked accounts, check, pause and resume.  The
# tick as a job of the queue.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-schedule.sh"
plan 41

mkdir -p config/agency
printf 'queue:\n  max_attempts: 1\n' >config/agency/config.yaml
production sour
account youtube:main
account tiktok:brand
fake_upload

agency-schedule add sour.json --at=-2m --to youtube:main,tiktok:brand \
    -c "tiktok:brand=For you" >/dev/null 2>&1
agency-schedule add sour.json --at=-1h --to youtube:main >/dev/null 2>&1
agency-schedule add sour.json --at=+1h --to youtube:main >/dev/null 2>&1

check 'tick' 'agency-schedule tick'
ok_if 'prints its result as an agency.schedule.tick document' \
    '[ "$(json_get out "d[\"kind\"]")" = agency.schedule.tick ]'
ok_if '2 posts queued' '[ "$(json_get out "d[\"queued\"]")" = 2 ]'
ok_if '1 missed: an hour late, past the grace' \
    '[ "$(json_get out "d[\"missed\"]")" = 1 ]'
grep_err 'the missed post is said on stderr' \
    "post 3 \\(youtube:main, .*\\) missed: 1h 0m late, more than the grace of 15m; 'agency-schedule retry 3' sends it"
ok_if 'the next due post is named' '[ "$(json_get out "d[\"next\"]")" != None ]'
ok_if 'two upload jobs' '[ "$(agency-queue ls -t fakeupload | wc -l)" -eq 2 ]'
check 'a second tick' 'agency-schedule tick'
ok_if 'queues nothing more' '[ "$(json_get out "d[\"queued\"]")" = 0 ] &&
    [ "$(agency-queue ls -t fakeupload | wc -l)" -eq 2 ]'
ok_if 'the job is "upload --to ACCOUNT --schedule ID:REVISION"' \
    '[ "$(job_field 1 "d[\"args\"]")" = "[\"--to\", \"youtube:main\", \"--schedule\", \"1:1\"]" ]'

check 'the runner runs the uploads' 'agency-queue run --once'
ok_if 'the job got the production, with its caption for the account' \
    '[ "$(json_get input.2 "d[\"captions\"][\"tiktok\"][\"description\"]")" = "For you" ] &&
     [ "$(json_get input.2 "d[\"kind\"]")" = agency.production ]'
check 'ls follows the jobs' 'agency-schedule ls -s posted'
ok_if 'both posts are posted' '[ "$(wc -l <out)" -eq 2 ]'
ok_if 'with remote ids and urls' \
    '[ "$(post_field 1 "d[\"remote_id\"]")" = r1 ] &&
     [ "$(post_field 1 "d[\"url\"]")" = https://example.test/p/1 ]'
ok_if 'each published once' '[ "$(wc -l <published)" -eq 2 ]'

# Missed, then retried.
ok_if 'the late post is missed' '[ "$(post_field 3 "d[\"state\"]")" = missed ]'
check 'retry sends it' 'agency-schedule retry 3'
grep_out 'queued' '"state":"queued"'
agency-queue run --once >/dev/null 2>&1
ok_if 'and it is posted' '[ "$(post_field 3 "d[\"state\"]")" = posted ]'
expect_code 'a posted post is not retried' 65 'agency-schedule retry 3'

# Removed after it was queued: the job was cancelled, and even a job
# already running would be refused.
agency-schedule add sour.json --at=-1m --to youtube:main >add.out 2>/dev/null
id=$(json_get add.out 'd["id"]')
agency-schedule tick >/dev/null 2>&1
job=$(post_field "$id" 'd["job_id"]')
check 'rm after the tick queued it' "agency-schedule rm $id"
ok_if 'its upload job is cancelled' "[ \"\$(job_field $job 'd[\"state\"]')\" = cancelled ]"
expect_code 'live says no' 1 "agency-schedule live $id:1"
grep_out 'because it was removed' '"live":false,"why":"removed"'
check 'a job of it that runs anyway' "agency-queue retry $job && agency-queue run --once"
ok_if 'does not publish' "! grep -q '^$id:' published && grep -q '^$id:1 ' refused"
ok_if 'the post stays removed' "[ \"\$(post_field $id 'd[\"state\"]')\" = cancelled ]"

# A platform error: the job dies, the post is failed with the message.
echo tiktok:brand >fail
agency-schedule add sour.json --at=-1m --to tiktok:brand >add.out 2>/dev/null
id=$(json_get add.out 'd["id"]')
agency-schedule tick >/dev/null 2>&1
agency-queue run --once >/dev/null 2>&1
check 'ls after the failure' 'agency-schedule ls -s failed'
grep_out 'the post failed with the platform'"'"'s message' \
    '"state":"failed","reason":"upload job [0-9]+ is dead: .*platform said 403: upload quota exceeded'
rm fail
agency-schedule rm "$id" >/dev/null	# given up on: check stays quiet

# Blocked accounts and check.
account instagram:shop needs_reconnect 'token expired on 2026-11-30'
agency-schedule add sour.json --at=+2h --to instagram:shop,x:news >/dev/null 2>&1
expect_code 'check finds the posts that cannot go out: exit 1' 1 \
    'agency-schedule check --ahead 1d'
grep_out 'the row'"'"'s reason' "account 'instagram:shop' needs reconnecting: token expired on 2026-11-30"
grep_out 'an account with no row' "account 'x:news' is not configured: agency-upload accounts add x:news"
account instagram:shop active
agency-schedule rm "$(agency-schedule ls -a x:news | sed -n 's/.*"id":\([0-9]*\).*/\1/p' | head -1)" >/dev/null
check 'check once they are fixed' 'agency-schedule check --ahead 1d'

# Pause and resume.
check 'pause' 'agency-schedule pause youtube:main'
agency-schedule add sour.json --at=-1m --to youtube:main >add.out 2>/dev/null
id=$(json_get add.out 'd["id"]')
agency-schedule tick >tick.out 2>&1
ok_if 'a paused account posts nothing' \
    "[ \"\$(post_field $id 'd[\"state\"]')\" = blocked ]"
check 'resume' 'agency-schedule resume youtube:main'
agency-schedule tick >/dev/null 2>&1
ok_if 'then it goes out' "[ \"\$(post_field $id 'd[\"state\"]')\" = queued ]"

# The tick as a job of the queue, again and again.
check 'agency-queue submit schedule tick --again 60s' \
    'agency-queue submit -n schedule tick --again 60s'
agency-queue run --once >/dev/null 2>&1
ok_if 'the tick job ran, its result the tick document' \
    '[ "$(job_field "$(json_get out "d[\"id\"]")" "d[\"result\"][\"kind\"]")" = agency.schedule.tick ]'
ok_if 'and queued the next tick, a minute on' \
    '[ "$(agency-queue ls -t schedule -s queued | wc -l)" -eq 1 ]'
done_testing
