# tests/lib-schedule.sh - what the schedule tests (7xxx) share, sourced
# after lib.sh: productions, accounts, and an upload job type that acts
# as agency-upload does towards the calendar.

DB=$T/data/agency/agency.db

# production NAME: $T/NAME.json, an agency.production (content id c_NAME)
# whose video is an empty $T/NAME.mp4.
production() {
	: >"$T/$1.mp4"
	printf '{"kind":"agency.production","version":1,"id":"c_%s",%s\n' \
	    "$1" "\"video\":\"$T/$1.mp4\",\"title\":\"$1\",\"captions\":{\"youtube\":{\"title\":\"$1 title\",\"description\":\"$1 text\"}}}" \
	    >"$T/$1.json"
}

# account NAME [STATE [REASON]]: the accounts row that "agency-upload
# accounts add" makes (the store is created first if need be).
account() {
	_reason=NULL
	[ -n "${3:-}" ] && _reason="'$3'"
	agency-schedule ls >/dev/null 2>&1
	sqlite3 "$DB" "INSERT INTO accounts (name, platform, state, reason,
	    created_at, updated_at) VALUES ('$1', '${1%%:*}', '${2:-active}',
	    $_reason, 0, 0)
	    ON CONFLICT (name) DO UPDATE SET state = excluded.state,
	    reason = excluded.reason"
}

# fake_upload: the job type "fakeupload", made the calendar's tool
# (schedule.tool) since the real agency-upload sits beside the binaries
# and would be found first under its own name.  Like agency-upload it asks the
# calendar whether the post may still go out (agency-schedule live), then
# "publishes" it: prints an agency.post and notes it in $T/published.  An
# account named in $T/fail makes it fail with a platform's message.
fake_upload() {
	agency config set schedule.tool fakeupload >/dev/null
	plugin fakeupload <<'EOF'
#!/bin/sh
while [ $# -gt 0 ]; do
	case $1 in
	--to) to=$2; shift 2 ;;
	--schedule) sched=$2; shift 2 ;;
	*) shift ;;
	esac
done
cat >"$T/input.$AGENCY_JOB_ID"
if [ -f "$T/fail" ] && grep -qx "$to" "$T/fail"; then
	echo "platform said 403: upload quota exceeded" >&2
	exit 1
fi
if ! agency-schedule live "$sched" >"$T/live.$AGENCY_JOB_ID"; then
	why=$(sed 's/.*"why":"\([^"]*\)".*/\1/' "$T/live.$AGENCY_JOB_ID")
	printf '{"kind":"agency.post","version":1,"account":"%s","state":"cancelled","reason":"%s"}\n' "$to" "$why"
	echo "$sched $to" >>"$T/refused"
	exit 0
fi
id=${sched%%:*}
printf '{"kind":"agency.post","version":1,"platform":"%s","account":"%s","remote_id":"r%s","url":"https://example.test/p/%s","state":"published"}\n' "${to%%:*}" "$to" "$id" "$id"
echo "$sched $to" >>"$T/published"
EOF
	export T
}

# post_field ID EXPR: a value of "agency-schedule show ID", EXPR in
# terms of d as for json_get.
post_field() {
	agency-schedule show "$1" >"$T/.post" 2>/dev/null &&
	    json_get "$T/.post" "$2"
}

# in_minutes N: the UTC time N minutes from now (negative: ago), RFC 3339.
in_minutes() {
	date -u -d "@$(( $(date +%s) + $1 * 60 ))" +%Y-%m-%dT%H:%M:%SZ
}
