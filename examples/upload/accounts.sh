#!/bin/sh
# examples/upload/accounts.sh - the accounts of each target, made once.
# Not run by the tests: it needs your keys and reaches the network.
set -eu

# YouTube: an OAuth client of type "Desktop app" in a Google Cloud
# project with the YouTube Data API v3 enabled.  auth prints an address
# to open in a browser, which comes back to 127.0.0.1.
agency-upload accounts add youtube:main \
    --set client_id="$YOUTUBE_CLIENT_ID" \
    --set client_secret="$YOUTUBE_CLIENT_SECRET" \
    --set privacy=public --set max_duration=180
agency-upload auth youtube:main

# Any S3-compatible store; the secret key is read from standard input.
agency-upload accounts add s3:media \
    --set endpoint=https://s3.eu-west-1.amazonaws.com --set region=eu-west-1 \
    --set bucket=my-videos --set prefix=posts/
printf '%s\n' "$AWS_SECRET_ACCESS_KEY" |
    agency-upload auth s3:media --user "$AWS_ACCESS_KEY_ID"

# A webhook: the receiver checks X-Signature-256 (sha256=HMAC of the
# body) and drops an X-Agency-Delivery id it has seen.
agency-upload accounts add webhook:cms --set url=https://cms.example/hooks/video
printf '%s\n' "$WEBHOOK_SECRET" | agency-upload auth webhook:cms

# A folder on a mounted share, for the editor who checks before posting.
agency-upload accounts add dir:review --set path=/srv/review

agency-upload accounts ls
