#!/bin/sh
# export --ics: an RFC 5545 calendar that a parser written here (below,
# in Python) reads back: lines of at most 75 octets ending in CRLF, text
# escaped, a VTIMEZONE for every TZID; every post's time, resolved
# through the exported VTIMEZONE alone, is the instant the calendar holds;
# a series has its RRULE, the occurrence dropped by rm --skip an EXDATE,
# the one moved a RECURRENCE-ID.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-schedule.sh"
plan 12

production sour
account youtube:main
account tiktok:brand
long="A title long enough to need folding, with commas, semicolons; and a
second line — and some UTF-8: äöü ß €, repeated: äöü ß € äöü ß € äöü"
printf '{"kind":"agency.production","version":1,"id":"c_long","video":"%s","captions":{"tiktok":{"title":"%s"}}}\n' \
    "$T/sour.mp4" "$(printf %s "$long" | "$PY" -c 'import json,sys; print(json.dumps(sys.stdin.read())[1:-1])')" >long.json

agency-schedule add sour.json --at "2027-03-27 10:00" --tz Europe/Berlin --to youtube:main >/dev/null 2>&1
agency-schedule add sour.json --at "2027-03-29 10:00" --tz Europe/Berlin --to youtube:main >/dev/null 2>&1
agency-schedule add sour.json --at "2027-11-08 09:00" --tz America/New_York --to youtube:main >/dev/null 2>&1
agency-schedule add sour.json --at "2027-10-04 09:00" --tz Australia/Sydney --to youtube:main >/dev/null 2>&1
agency-schedule add sour.json --at "2027-07-01 12:00" --tz Asia/Tokyo --to youtube:main >/dev/null 2>&1
agency-schedule add long.json --at "2027-05-05 12:00" --tz UTC --to tiktok:brand \
    -c "tiktok:brand=Hello, world; a\\b
new line" >/dev/null 2>&1
agency-schedule add sour.json --at "2027-03-22 09:00" --tz Europe/Berlin \
    --to youtube:main --rrule "FREQ=WEEKLY;BYDAY=MO;COUNT=10" >series.json 2>/dev/null
series=$(json_get series.json 'd["series"]')
first=$(json_get series.json 'd["id"]')

cat >ics.py <<'EOF'
"""A small RFC 5545 reader: unfold, split properties, resolve TZIDs
through the calendar's own VTIMEZONEs."""
import datetime as D, json, re, sys

raw = open(sys.argv[1], "rb").read()
lines = raw.split(b"\r\n")
assert lines[-1] == b"", "ends with CRLF"
lines = lines[:-1]
for l in lines:
    assert b"\n" not in l and b"\r" not in l, "bare LF or CR"
    assert len(l) <= 75, "longer than 75 octets: %r" % l
    l.decode("utf-8")  # folding never splits a UTF-8 sequence
un = []
for l in lines:
    if l[:1] == b" ":
        un[-1] += l[1:]
    else:
        un.append(l)
props = []
for l in un:
    l = l.decode("utf-8")
    m = re.match(r"([A-Z-]+)((?:;[^:]*)?):(.*)$", l)
    assert m, "not a content line: " + l
    params = dict(p.split("=", 1) for p in m.group(2).split(";")[1:])
    props.append((m.group(1), params, m.group(3)))

def unescape(v):
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN"
                  else m.group(1), v)

# Components.
stack, comps = [], []
for name, params, value in props:
    if name == "BEGIN":
        stack.append({"type": value, "props": [], "subs": []})
    elif name == "END":
        c = stack.pop()
        assert c["type"] == value, "END:%s closes %s" % (value, c["type"])
        (stack[-1]["subs"] if stack else comps).append(c)
    else:
        stack[-1]["props"].append((name, params, value))
assert not stack and len(comps) == 1 and comps[0]["type"] == "VCALENDAR"
cal = comps[0]

def get(c, name):
    return [p for p in c["props"] if p[0] == name]

def local(v):
    return D.datetime.strptime(v, "%Y%m%dT%H%M%S")

def offset(v):
    s = 1 if v[0] == "+" else -1
    return s * (int(v[1:3]) * 3600 + int(v[3:5]) * 60)

def onsets(obs, year):
    """The local times at which an observance starts in a year."""
    start = local(get(obs, "DTSTART")[0][2])
    rr = get(obs, "RRULE")
    if not rr:
        return [start]
    r = dict(p.split("=") for p in rr[0][2].split(";"))
    assert r["FREQ"] == "YEARLY"
    month = int(r["BYMONTH"])
    m = re.match(r"(-?\d)([A-Z]{2})", r["BYDAY"])
    n, wd = int(m.group(1)), "MOTUWETHFRSASU".index(m.group(2)) // 2
    days = [D.date(year, month, d) for d in range(1, 32)
            if d <= [31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31,
                     31, 30, 31, 30, 31][month - 1]]
    days = [d for d in days if d.weekday() == wd]
    d = days[n - 1] if n > 0 else days[n]
    return [D.datetime.combine(d, start.time())]

zones = {}
for c in cal["subs"]:
    if c["type"] == "VTIMEZONE":
        zones[get(c, "TZID")[0][2]] = c["subs"]

def to_utc(tzid, v):
    """Resolve a wall time through the exported VTIMEZONE."""
    t = local(v)
    best = None
    for obs in zones[tzid]:
        for y in (t.year - 1, t.year):
            for on in onsets(obs, y):
                # an onset is a wall time in the offset before it
                if on <= t and (best is None or on > best[0]):
                    best = (on, offset(get(obs, "TZOFFSETTO")[0][2]))
    return t - D.timedelta(seconds=best[1])

out = {"zones": sorted(zones), "events": []}
for c in cal["subs"]:
    if c["type"] != "VEVENT":
        continue
    e = {}
    for name, params, value in c["props"]:
        if "TZID" in params:
            assert params["TZID"] in zones, "no VTIMEZONE for " + params["TZID"]
            e.setdefault(name, []).append(
                to_utc(params["TZID"], value).strftime("%Y-%m-%dT%H:%M:%SZ"))
        else:
            e.setdefault(name, []).append(unescape(value))
    out["events"].append(e)
json.dump(out, open(sys.argv[2], "w"))
EOF

check 'export --ics' 'agency-schedule export --ics -o cal.ics'
check 'the test'"'"'s parser reads it back' '"$PY" ics.py cal.ics cal.json'
ok_if 'a VTIMEZONE for each zone used' \
    '[ "$(json_get cal.json "d[\"zones\"]")" = "[\"America/New_York\", \"Asia/Tokyo\", \"Australia/Sydney\", \"Europe/Berlin\", \"UTC\"]" ]'

agency-schedule ls >ls.ndjson
cat >same.py <<'EOF'
import datetime as D, json, sys
cal = json.load(open("cal.json"))
ev = {e["X-AGENCY-POST"][0]: e for e in cal["events"] if "UID" in e
      and e["UID"][0].startswith("post-")}
n = 0
for l in open("ls.ndjson"):
    d = json.loads(l)
    if d.get("rrule"):
        continue
    want = D.datetime.fromisoformat(d["at"]).astimezone(
        D.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    got = ev[str(d["id"])]["DTSTART"][0]
    assert got == want, (d["id"], got, want)
    n += 1
print(n)
EOF
check 'every post, resolved through the exported zones, is its instant' \
    '"$PY" same.py'
ok_if 'six single posts checked (DST on both sides in three zones)' \
    '[ "$(cat out)" -eq 6 ]'

ok_if 'text is escaped and comes back whole' \
    '"$PY" -c "import json
e=[e for e in json.load(open(\"cal.json\"))[\"events\"] if e.get(\"X-AGENCY-ACCOUNT\")==[\"tiktok:brand\"]][0]
assert e[\"DESCRIPTION\"]==[\"Hello, world; a\\\\b\\nnew line\"], e[\"DESCRIPTION\"]
assert \"folding\" in e[\"SUMMARY\"][0] and \"äöü ß €\" in e[\"SUMMARY\"][0]"'
ok_if 'long lines were folded' '[ "$(grep -c "^ " cal.ics)" -gt 0 ]'

# The series: drop its first occurrence, move the second.
check 'rm --skip the pending occurrence' "agency-schedule rm --skip $first"
second=$(agency-schedule ls | "$PY" -c "import json,sys
print([d['id'] for d in map(json.loads, sys.stdin) if d.get('series')==$series and d['state']=='scheduled'][0])")
check 'move the next one' "agency-schedule move $second --at '2027-03-30 18:00'"
agency-schedule export -o cal.ics && "$PY" ics.py cal.ics cal.json
ok_if 'the series: one VEVENT with the RRULE and DTSTART' \
    '"$PY" -c "import json
e=[e for e in json.load(open(\"cal.json\"))[\"events\"] if e[\"UID\"]==[\"series-$series@agency\"] and \"RRULE\" in e][0]
assert e[\"RRULE\"]==[\"FREQ=WEEKLY;COUNT=10;BYDAY=MO\"], e[\"RRULE\"]
assert e[\"DTSTART\"]==[\"2027-03-22T08:00:00Z\"], e[\"DTSTART\"]"'
ok_if 'the dropped occurrence is an EXDATE' \
    '"$PY" -c "import json
e=[e for e in json.load(open(\"cal.json\"))[\"events\"] if e[\"UID\"]==[\"series-$series@agency\"] and \"RRULE\" in e][0]
assert e[\"EXDATE\"]==[\"2027-03-22T08:00:00Z\"], e.get(\"EXDATE\")"'
ok_if 'the moved one a RECURRENCE-ID with its new time' \
    '"$PY" -c "import json
e=[e for e in json.load(open(\"cal.json\"))[\"events\"] if e[\"UID\"]==[\"series-$series@agency\"] and \"RECURRENCE-ID\" in e][0]
assert e[\"RECURRENCE-ID\"]==[\"2027-03-29T07:00:00Z\"], e
assert e[\"DTSTART\"]==[\"2027-03-30T16:00:00Z\"], e"'
done_testing
