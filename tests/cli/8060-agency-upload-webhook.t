#!/bin/sh
# agency-upload to webhooks: the Debian webhook server (adnanh/webhook,
# make deps) checking the HMAC-SHA256 signature of a JSON delivery, and
# tests/servers/fake_webhook.py checking a multipart delivery (the
# document and the video) byte for byte; a crash after the delivery
# arrived is delivered again with the same id, which the receiver drops.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-upload.sh"
plan 16

make_video v.mp4 2
make_production c_w1 v.mp4 >p.json
SHA=$(sha256sum v.mp4 | cut -d' ' -f1)

# The fake receiver: multipart, deduplicating.
fake_platform webhook --secret whsec-fake
check 'a webhook account' \
    "agency-upload accounts add webhook:fake --set url=$FAKE_URL/hook"
check 'its secret on stdin' 'echo whsec-fake | agency-upload auth webhook:fake'
check 'deliver' 'agency-upload --to webhook:fake p.json >post.json'
ok_if 'published: the receiver checked the signature' \
    '[ "$(json_get post.json "d[\"state\"]")" = published ] &&
     [ "$(fake_state "len(d[\"deliveries\"])")" = 1 ]'
ok_if 'the video arrived whole, in the multipart body' \
    "[ \"\$(fake_state 'd[\"deliveries\"][0][\"video_sha256\"]')\" = $SHA ]"
ok_if 'with the production and what the delivery is' \
    '[ "$(fake_state "d[\"deliveries\"][0][\"document\"][\"id\"]")" = c_w1 ] &&
     [ "$(fake_state "d[\"deliveries\"][0][\"document\"][\"delivery\"][\"account\"]")" = webhook:fake ]'
ok_if 'the receiver URL is the post URL' \
    '"$PY" -c "import json; d=json.load(open(\"post.json\")); assert d[\"url\"].startswith(\"$FAKE_URL/d/agency-\")"'

make_production c_w2 v.mp4 >p2.json
log_mark
fake_fault create-drop
check 'the delivery arrived, the answer was lost: delivered again' \
    'agency-upload -v --to webhook:fake p2.json >post.json'
ok_if 'stored once, the second dropped by its id' \
    '[ "$(fake_state "len(d[\"deliveries\"])")" = 2 ] &&
     [ "$(fake_state "d[\"duplicates\"]")" = 1 ] &&
     log_has "any(r[\"status\"] == \"dropped\" for r in L)"'
echo wrong | agency-upload auth webhook:fake >/dev/null
make_production c_w3 v.mp4 >p3.json
expect_code 'a wrong secret: the receiver refuses, 77' 77 \
    'agency-upload --to webhook:fake p3.json'

# The real server: JSON deliveries, its HMAC rule.
if ! command -v webhook >/dev/null 2>&1; then
	for i in 1 2 3 4 5 6; do
		echo "ok $((10 + i)) # SKIP the Debian webhook server is not installed (make deps)"
	done
	exit 0
fi
mkdir -p hooks/in
cat >hooks/capture.sh <<'EOF'
#!/bin/sh
n=$(date +%s%N); printf '%s' "$1" >"received-$n.json"; echo "stored $n"
EOF
chmod +x hooks/capture.sh
cat >hooks/hooks.json <<EOF
[{"id": "agency-upload", "execute-command": "$T/hooks/capture.sh",
  "command-working-directory": "$T/hooks/in",
  "pass-arguments-to-command": [{"source": "entire-payload"}],
  "include-command-output-in-response": true,
  "trigger-rule-mismatch-http-response-code": 401,
  "trigger-rule": {"match": {"type": "payload-hmac-sha256",
    "secret": "whsec-test",
    "parameter": {"source": "header", "name": "X-Signature-256"}}}}]
EOF
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
webhook -hooks hooks/hooks.json -ip 127.0.0.1 -port "$port" >hooks/log 2>&1 &
_pids="$_pids $!"
i=0
while ! curl -s -o /dev/null "http://127.0.0.1:$port/" && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
check 'an account for the webhook server, JSON bodies' \
    "agency-upload accounts add webhook:real --set url=http://127.0.0.1:$port/hooks/agency-upload --set body=json"
check 'its secret' 'echo whsec-test | agency-upload auth webhook:real'
check 'deliver to the real server' 'agency-upload --to webhook:real p.json >post.json'
ok_if 'it checked the signature and ran the hook with the document' \
    '[ $(ls hooks/in | wc -l) -eq 1 ] &&
     [ "$(json_get hooks/in/received-*.json "d[\"id\"]")" = c_w1 ] &&
     [ "$(json_get hooks/in/received-*.json "d[\"delivery\"][\"sha256\"]")" = "$SHA" ]'
echo not-the-secret | agency-upload auth webhook:real >/dev/null
expect_code 'a bad signature is refused (webhook 2.8 answers 500): 75' 75 \
    'agency-upload --to webhook:real p3.json'
ok_if 'and the hook did not run' '[ $(ls hooks/in | wc -l) -eq 1 ]'
done_testing
