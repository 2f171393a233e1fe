#!/usr/bin/env bash
# tests/servers/ceph-rgw.sh - a one-node Ceph (1 mon, 1 memstore osd) and
# the RADOS Gateway (S3) on 127.0.0.1, from the Debian packages ceph-mon,
# ceph-osd and radosgw (make deps).  After
# ../../shared/reference/servers/start-ceph-rgw.sh, with what a shared CI
# box needs: every port chosen free (mon, rgw, and the osd's range), IPv4
# only (a box without IPv6 keeps the osd from ever coming up otherwise),
# and no fixed paths.
#
#   tests/servers/ceph-rgw.sh STATE_DIR    start; writes STATE_DIR/s3.env
#   tests/servers/ceph-rgw.sh --stop STATE_DIR
#
# s3.env holds S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION.  The
# daemons' PIDs are in STATE_DIR/*.pid; --stop kills those, newest first,
# and waits for them (kill -9 after 10 s).  Exit 77 when Ceph is not
# installed (a test turns that into a skip), 1 when it does not come up.
set -euo pipefail

stop() {
	for f in $(ls -t "$1"/*.pid 2>/dev/null); do
		p=$(cat "$f")
		if kill "$p" 2>/dev/null; then
			for _ in $(seq 1 50); do
				kill -0 "$p" 2>/dev/null || break
				sleep 0.2
			done
			kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null
		fi
		rm -f "$f"
	done
}

if [ "${1:-}" = --stop ]; then
	stop "${2:?state dir}"
	exit 0
fi
S=${1:?state dir}
for b in ceph-mon ceph-osd radosgw monmaptool ceph radosgw-admin uuidgen; do
	command -v "$b" >/dev/null 2>&1 || { echo "no $b: apt-get install" \
	    "ceph-mon ceph-osd radosgw (make deps)" >&2; exit 77; }
done
mkdir -p "$S"
S=$(cd "$S" && pwd)
trap 'stop "$S"' ERR

# Free ports: two single ones, and a range of 20 for the osd.
read -r MON RGW BASE < <(python3 - <<'EOF'
import random, socket
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); return True
    except OSError:
        return False
    finally:
        s.close()
def one():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    s.close(); return p
for _ in range(200):
    b = random.randrange(20000, 60000, 20)
    if all(free(p) for p in range(b, b + 20)):
        break
print(one(), one(), b)
EOF
)
AK=${S3_ACCESS_KEY:-TESTACCESSKEY0000001}
SK=${S3_SECRET_KEY:-testsecretkey0000000000000000000000000001}
rm -rf "${S:?}"/*
mkdir -p "$S"/run "$S"/log "$S"/mon "$S"/osd/ceph-0
FSID=$(uuidgen)
C=$S/ceph.conf
cat >"$C" <<CONF
[global]
fsid = $FSID
mon_host = v1:127.0.0.1:$MON
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_ipv4 = true
ms_bind_ipv6 = false
ms_bind_msgr2 = false
ms_bind_port_min = $BASE
ms_bind_port_max = $((BASE + 19))
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
osd_crush_chooseleaf_type = 0
run_dir = $S/run
admin_socket = $S/run/\$name.asok
log_file = $S/log/\$name.log
mon_data = $S/mon/\$cluster-\$id
osd_data = $S/osd/\$cluster-\$id
osd_objectstore = memstore
memstore_device_bytes = 1073741824
osd_max_object_name_len = 256
osd_max_object_namespace_len = 64
[client.rgw.a]
rgw_frontends = beast endpoint=127.0.0.1:$RGW
rgw_dns_name = localhost
CONF
# A v1 address: given a port that is not 6789, monmaptool would record a
# v2 one, which the osd (msgr2 off) cannot reach.
monmaptool --create --addv a "[v1:127.0.0.1:$MON]" --fsid "$FSID" \
    "$S/monmap" >/dev/null
ceph-mon -c "$C" --mkfs -i a --monmap "$S/monmap" >"$S/log/mkfs-mon.out" 2>&1
ceph-mon -c "$C" -i a -f >"$S/log/mon.out" 2>&1 &
echo $! >"$S/mon.pid"
for _ in $(seq 1 150); do
	ceph -c "$C" --connect-timeout 2 mon stat >/dev/null 2>&1 && break
	sleep 0.2
done
OSD_UUID=$(uuidgen)
OSD_ID=$(ceph -c "$C" --connect-timeout 20 osd create "$OSD_UUID")
[ "$OSD_ID" = 0 ]
ceph-osd -c "$C" -i 0 --mkfs --osd-uuid "$OSD_UUID" >"$S/log/mkfs-osd.out" 2>&1
sleep 0.1
ceph-osd -c "$C" -i 0 -f >"$S/log/osd.out" 2>&1 &
echo $! >"$S/osd.pid"
# Up to two minutes: a loaded CI box (a sanitizer run beside us) is slow.
for _ in $(seq 1 600); do
	ceph -c "$C" osd stat 2>/dev/null | grep -q "1 up" && break
	sleep 0.2
done
ceph -c "$C" osd stat | grep -q "1 up" || {
	echo "the osd did not come up; the end of its log:" >&2
	tail -n 5 "$S/log/osd.out" "$S/log/osd.0.log" >&2 2>/dev/null
	stop "$S"
	exit 1
}
radosgw -c "$C" -n client.rgw.a -f >"$S/log/rgw.out" 2>&1 &
echo $! >"$S/rgw.pid"
for _ in $(seq 1 600); do
	curl -s -o /dev/null "http://127.0.0.1:$RGW/" && break
	sleep 0.2
done
curl -s -o /dev/null "http://127.0.0.1:$RGW/" || {
	echo "radosgw did not come up; the end of its log:" >&2
	tail -n 5 "$S/log/rgw.out" >&2
	stop "$S"
	exit 1
}
timeout 120 radosgw-admin -c "$C" user create --uid=test \
    --display-name="Test User" --access-key="$AK" --secret-key="$SK" \
    >"$S/log/user.json" 2>"$S/log/user.err"
cat >"$S/s3.env" <<ENV
S3_ENDPOINT=http://127.0.0.1:$RGW
S3_ACCESS_KEY=$AK
S3_SECRET_KEY=$SK
S3_REGION=us-east-1
ENV
trap - ERR
echo "radosgw at http://127.0.0.1:$RGW"
