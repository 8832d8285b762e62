#!/bin/bash
# SPDX-License-Identifier: ISC
# The stamps of `send` (text, --rate) make the round trip through other
# WebSocket implementations and are timed on return: echoed by Python's
# websockets (tests/helpers/echo_server.py), by Node's `ws`
# (tests/helpers/node/echo_server.js) and by a page in headless Chromium
# (tests/helpers/chromium/echo.html, which answers "unstamped" to a message
# without a stamp; tests/helpers/chromium/relay.py carries the messages
# between the job and the page).  For each: every echo is timed (timed ==
# received, none unstamped), and at this low rate on loopback the p50 is
# under 50 ms.
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
TEST_TIMEOUT=${TEST_TIMEOUT:-240}
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
# shellcheck source=helpers/latency.sh
. "$HELPERS/latency.sh"
# shellcheck source=helpers/node/setup.sh
. "$HELPERS/node/setup.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
[ -x "$CHROMIUM" ] || fail "$CHROMIUM is missing (Debian package chromium)"
RATE=50
N=150		# echoes timed from each peer: 3 s

node_setup
start_daemon a

# peer TAG URL: a send job on URL, until N echoes are in.
peer() {
	local tag=$1 url=$2 job=s$1
	start_send a "$job" "$url" --rate "$RATE"
	wait_until 60 '[ "$(num_of a "$job" messages_received)" -ge $N ]' ||
		defect "$tag: $(num_of a "$job" messages_received) echoes in 60 s, expected $N"
}

# verdict TAG: once the peer is gone (the counts freeze), the checks on
# its send job.
verdict() {
	local tag=$1 job=s$1 p50
	wait_until 10 '[ "$(num_of a "$job" connections)" -eq 0 ]' ||
		defect "$tag: $job still connected without its peer"
	snap a "$job"
	if ! p50=$(lat "$job" 'l["life"]["p50_us"]'); then
		defect "$tag: $job has no latency in -j stats"
		return
	fi
	note "$tag: $(lat "$job" 'j["messages_sent"]') sent, $(lat "$job" 'j["messages_received"]') echoed, $(lat "$job" 'l["life"]["count"]') timed, $(lat "$job" 'j["messages_unstamped"]') unstamped; p50 $(ms "$p50") ms, p99 $(ms "$(lat "$job" 'l["life"]["p99_us"]')") ms; the peer says: $HELPER_SUMMARY"
	[ "$(lat "$job" 'l["life"]["count"] == j["messages_received"] >= '"$N"' and j["messages_unstamped"] == 0')" = True ] ||
		defect "$tag: $(lat "$job" 'l["life"]["count"]') timed of $(lat "$job" 'j["messages_received"]') echoes, $(lat "$job" 'j["messages_unstamped"]') unstamped"
	holds "$p50 > 0 && $p50 < 50000" ||
		defect "$tag: p50 is $(ms "$p50") ms, expected between 0 and 50 ms"
	stop_job a "$job"
}

# --- Python websockets --------------------------------------------------------
start_helper python "$PYTHON3" "$HELPERS/echo_server.py"
pid=$HELPER_PID
peer python "ws://127.0.0.1:$HELPER_PORT/"
stop_helper python "$pid"
verdict python

# --- Node ws -----------------------------------------------------------------
start_helper node node "$NODE_DIR/echo_server.js"
pid=$HELPER_PID
peer node "ws://127.0.0.1:$HELPER_PORT/"
stop_helper node "$pid"
verdict node

# --- Chromium ----------------------------------------------------------------
start_helper relay "$PYTHON3" "$HELPERS/chromium/relay.py" \
	"$HELPERS/chromium/echo.html"
relay_pid=$HELPER_PID
relay_port=$HELPER_PORT
spawn bash "$HELPERS/chromium/run_chromium.sh" "$WORK/chrome" \
	"http://127.0.0.1:$relay_port/page.html" >"$WORK/chromium.out" 2>"$WORK/chromium.err"
chromium_pid=$LAST_PID
if wait_until 60 'grep -q "the browser is in" "$WORK/relay.err"'; then
	note "chromium: $(run_bounded 20 "$CHROMIUM" --version 2>/dev/null | tail -n 1), its page is in"
	peer chromium "ws://127.0.0.1:$relay_port/send"
	kill_pid "$chromium_pid"
	stop_helper relay "$relay_pid"
	verdict chromium
else
	defect "the Chromium page did not open its WebSocket in 60 s: $(grep -v dbus "$WORK/chromium.err" | tail -n 5)"
	kill_pid "$chromium_pid"
	stop_helper relay "$relay_pid"
fi

stop_daemon a
finish
