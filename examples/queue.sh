#!/bin/sh
# examples/queue.sh - the job queue: jobs, a pipeline, a batch, a
# failure retried, all run by one "run --once" as cron would run it.
#
# Run it from anywhere; it works in a throw-away folder with a store of
# its own.  The job type is examples/queue/agency-shout, a plugin.
# See also examples/queue/crontab and examples/queue/agency-queue.service.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
PATH="$PATH:$here/queue"

# One job: its input document on stdin, printed back as an agency.job.
echo '{"kind":"agency.text","version":1,"text":"hello"}' |
    agency-queue submit shout

# A pipeline: each stage's result is the next stage's input.
echo '{"kind":"agency.text","version":1,"text":"twice"}' |
    agency-queue submit -P 'shout | shout' >/dev/null

# A batch: one job per line, "{}" is the line; a unique key per line
# means submitting the same file again adds nothing.
printf 'bread\nbutter\n' >"$work/words"
agency-queue submit -n -e "$work/words" -u 'word:{}' shout {} >/dev/null
agency-queue submit -n -e "$work/words" -u 'word:{}' shout {} |
    grep -c '"existing":true'

# A job whose tool does not exist fails, and is retried later.
agency-queue submit -n -m 2 no-such-tool >/dev/null

# Cron's view: run what is ready, two at a time; exit 1 says a job failed.
agency-queue run --once -j 2 || echo "run --once: exit $? (an attempt failed)"

agency-queue ls -s done | wc -l | sed 's/^/done: /'
agency-queue ls -s failed
agency-queue show 1 | sed 's/.*"result":\({[^}]*}\).*/result of job 1: \1/'
agency-queue logs 1
agency-queue stats
