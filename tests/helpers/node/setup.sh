# SPDX-License-Identifier: ISC
# shellcheck shell=bash
#
# Sourced by the tests that run Node `ws` peers, after lib.sh:
#
#	. "$HELPERS/node/setup.sh"
#	node_setup
#
# node_setup copies the peer scripts of tests/node and its package.json and
# package-lock.json into the workspace ($WORK/node) and installs the pinned
# `ws` there with `npm ci`: the source tree may be read-only (make
# distcheck), and a node_modules left in it by hand is never used, since
# Node resolves `require('ws')` from the script's own directory.  npm's
# cache (~/.npm) makes this quick after the first time.  Sets NODE_DIR and
# WS_VERSION; fails the test if node, npm or the install is missing.

NODE_DIR=
WS_VERSION=
node_setup() {
	local want f
	command -v node >/dev/null ||
		fail "node is not installed (Debian package nodejs)"
	command -v npm >/dev/null ||
		fail "npm is not installed (Debian package npm)"
	NODE_DIR=$WORK/node
	mkdir -p "$NODE_DIR" || fail "cannot create $NODE_DIR"
	for f in "$HELPERS"/node/package.json \
		"$HELPERS"/node/package-lock.json "$HELPERS"/node/*.js; do
		cp "$f" "$NODE_DIR/" || fail "cannot copy $f to $NODE_DIR"
	done
	chmod -R u+w "$NODE_DIR"
	if ! npm_config_update_notifier=false run_bounded 180 \
		npm ci --prefix "$NODE_DIR" --no-audit --no-fund --prefer-offline \
		>"$WORK/npm.out" 2>&1; then
		cat "$WORK/npm.out" >&2
		fail "npm ci in $NODE_DIR failed (is registry.npmjs.org reachable?)"
	fi
	want=$(node -p 'require(process.argv[1]).packages["node_modules/ws"].version' \
		"$NODE_DIR/package-lock.json") || fail "cannot read the pinned ws version"
	WS_VERSION=$(cd "$NODE_DIR" && node -p 'require("ws/package.json").version') ||
		fail "ws does not load from $NODE_DIR"
	[ "$WS_VERSION" = "$want" ] ||
		fail "npm ci installed ws $WS_VERSION, the lock file pins $want"
	note "node $(node --version), ws $WS_VERSION in $NODE_DIR"
}

# client TAG SCRIPT ARG...: runs a node peer script of $NODE_DIR (bounded);
# sets CLIENT_RC and CLIENT_TOTAL (the last line it printed on stdout),
# and shows its stderr tagged.
CLIENT_RC=
CLIENT_TOTAL=
client() {
	local tag=$1 script=$2
	shift 2
	run_bounded 70 node "$NODE_DIR/$script" "$@" \
		>"$WORK/client.$tag.out" 2>"$WORK/client.$tag.err"
	CLIENT_RC=$?
	CLIENT_TOTAL=$(tail -n 1 "$WORK/client.$tag.out")
	sed "s/^/    [$tag] /" "$WORK/client.$tag.err"
}
