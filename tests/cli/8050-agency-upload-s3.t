#!/bin/sh
# agency-upload to S3, against a real Ceph RADOS Gateway on 127.0.0.1
# (tests/servers/ceph-rgw.sh; Debian ceph-mon ceph-osd radosgw, make
# deps): SigV4 signing, one PUT and multipart, a resumed multipart after
# kill -9 (ListParts), a crash after the completion, If-None-Match and
# the marker so that a re-run never overwrites and someone else's
# object is never replaced; wrong keys; the dry run.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-upload.sh"

CEPH=$T/ceph
"$SERVERS/ceph-rgw.sh" "$CEPH" >"$T/ceph.out" 2>&1
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 77 ]; then
	# A busy box can be slow to bring Ceph up; once more, then fail.
	"$SERVERS/ceph-rgw.sh" "$CEPH" >>"$T/ceph.out" 2>&1
	rc=$?
fi
if [ $rc -eq 77 ]; then
	echo "1..0 # SKIP Ceph RGW is not installed (make deps installs ceph-mon ceph-osd radosgw)"
	exit 0
fi
trap '"$SERVERS/ceph-rgw.sh" --stop "$CEPH"; _cleanup' EXIT
plan 27
ok_if 'Ceph RGW started on 127.0.0.1' "[ $rc -eq 0 ]"
[ $rc -eq 0 ] || { sed 's/^/#   /' "$T/ceph.out"; done_testing; exit 1; }
set -a
. "$CEPH/s3.env"
set +a
E0=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
# s3 ARGS...: curl signing as the RGW user.
s3() {
	curl -sS --aws-sigv4 "aws:amz:$S3_REGION:s3" \
	    --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" -H "x-amz-content-sha256: $E0" "$@"
}
s3 -X PUT "$S3_ENDPOINT/posts" -o /dev/null
# keys: the keys in the bucket, one a line.
keys() {
	s3 "$S3_ENDPOINT/posts?list-type=2" | grep -o '<Key>[^<]*</Key>' |
	    sed 's/<[^>]*>//g'
}

make_video v.mp4 2
make_video big.mp4 5 320x240 -vf noise=alls=100:allf=t+u -crf 10
make_production c_s1 v.mp4 >p.json
make_production c_s2 big.mp4 >big.json
check 'an s3 account' \
    "agency-upload accounts add s3:store --set endpoint=$S3_ENDPOINT --set bucket=posts --set prefix=agency/"
check 'its keys' \
    "echo '$S3_SECRET_KEY' | agency-upload auth s3:store --user '$S3_ACCESS_KEY'"
check 'publish (one PUT)' 'agency-upload --to s3:store p.json >post.json'
ok_if 'published at the object URL' \
    "[ \"\$(json_get post.json 'd[\"url\"]')\" = '$S3_ENDPOINT/posts/agency/c_s1/v.mp4' ]"
ok_if 'the video and production.json are there' \
    'keys | grep -qx agency/c_s1/v.mp4 && keys | grep -qx agency/c_s1/production.json'
s3 "$S3_ENDPOINT/posts/agency/c_s1/v.mp4" -o back.mp4
ok_if 'byte for byte' 'cmp back.mp4 v.mp4'
check 'again: the existing post' 'agency-upload --to s3:store p.json >again.json'
ok_if '(existing)' '[ "$(json_get again.json "d[\"existing\"]")" = True ]'

check 'an account that uploads in 5 MiB parts' \
    "agency-upload accounts add s3:parts --set endpoint=$S3_ENDPOINT --set bucket=posts --set multipart_threshold=1 --set part_size=5242880"
echo "$S3_SECRET_KEY" | agency-upload auth s3:parts --user "$S3_ACCESS_KEY" >/dev/null
expect_code 'killed after the first part' 137 \
    'AGENCY_TEST_CRASH=s3-part@1 agency-upload --to s3:parts big.json'
check 'the same command asks the store (ListParts) and goes on' \
    'agency-upload -v --to s3:parts big.json'
grep_err 'from the parts it holds' 'the store holds 5242880 of'
s3 "$S3_ENDPOINT/posts/c_s2/big.mp4" -o back.mp4
ok_if 'the object is whole' 'cmp back.mp4 big.mp4'

make_production c_s3 big.mp4 >b3.json
expect_code 'killed after CompleteMultipartUpload, before recording it' 137 \
    'AGENCY_TEST_CRASH=s3-completed agency-upload --to s3:parts b3.json'
check 'the same command finds it ours' 'agency-upload --to s3:parts b3.json >post.json'
ok_if 'published, one object' \
    '[ "$(json_get post.json "d[\"state\"]")" = published ] &&
     [ $(keys | grep -c "^c_s3/big.mp4$") -eq 1 ]'

make_production c_s4 v.mp4 >p4.json
expect_code 'killed in publishing (the PUT sent, unrecorded)' 137 \
    'AGENCY_TEST_CRASH=published agency-upload --to s3:store p4.json'
check 'If-None-Match answers 412; the marker says it is ours' \
    'agency-upload --to s3:store p4.json >post.json'
ok_if '(published)' '[ "$(json_get post.json "d[\"state\"]")" = published ]'

etag0=$(s3 -I "$S3_ENDPOINT/posts/c_s2/big.mp4" | grep -i '^etag')
check 'another account on the same place' \
    "agency-upload accounts add s3:other --set endpoint=$S3_ENDPOINT --set bucket=posts"
echo "$S3_SECRET_KEY" | agency-upload auth s3:other --user "$S3_ACCESS_KEY" >/dev/null
expect_code 'is refused: not its objects, 73' 73 'agency-upload --to s3:other big.json'
ok_if 'the object is untouched' \
    '[ "$(s3 -I "$S3_ENDPOINT/posts/c_s2/big.mp4" | grep -i "^etag")" = "$etag0" ]'

echo wrong-secret | agency-upload auth s3:other --user "$S3_ACCESS_KEY" >/dev/null
make_production c_s5 v.mp4 >p5.json
expect_code 'a wrong secret: 77' 77 'agency-upload --to s3:other p5.json'
grep_err 'the store says so' 'SignatureDoesNotMatch: check the keys'
check 'the dry run' 'agency-upload -n --to s3:store p5.json'
ok_if 'shows the signing, not the secret' \
    'grep -q "PUT $S3_ENDPOINT/posts/agency/c_s5/production.json" err &&
     grep -q "signed with SigV4 for aws:amz:us-east-1:s3" err &&
     grep -q "If-None-Match: \*" err && ! grep -q "$S3_SECRET_KEY" err'
done_testing
