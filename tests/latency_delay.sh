#!/bin/bash
# SPDX-License-Identifier: ISC
# The round-trip times of `send` are true: through a proxy that holds every
# chunk for D ms each way (tests/helpers/delay_proxy, built by make check;
# the kernel may have no netem), `send --rate 100` to an echo job measures
# a p50 of 2 D + the p50 through the same proxy at D = 0, within 1 ms.
# The proxy reports how late it released its chunks: its own accuracy.
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
# shellcheck source=helpers/latency.sh
. "$HELPERS/latency.sh"

DELAY_PROXY=${DELAY_PROXY:-$PWD/tests/helpers/delay_proxy}
[ -x "$DELAY_PROXY" ] || fail "$DELAY_PROXY is missing (make check builds it)"
RATE=100
N=400		# messages timed at each delay: 4 s

start_daemon a
start_echo a e

# through DELAY_MS: a send job through a proxy of DELAY_MS, stopped (the
# counts freeze) once N echoes are in; sets P50_US (the life p50 RTT).
P50_US=
through() {
	local d=$1 job=s$1 proxy_pid
	start_helper "proxy$d" "$DELAY_PROXY" "$ECHO_PORT" "$d"
	proxy_pid=$HELPER_PID
	start_send a "$job" "ws://127.0.0.1:$HELPER_PORT/" --rate "$RATE"
	wait_until 30 '[ "$(num_of a "$job" messages_received)" -ge $N ]' ||
		fail "$job: $(num_of a "$job" messages_received) echoes in 30 s, expected $N"
	# Without its proxy the job's counts freeze: its reconnects are refused.
	stop_helper "proxy$d" "$proxy_pid"
	wait_until 10 '[ "$(num_of a "$job" connections)" -eq 0 ]' ||
		fail "$job still connected without its proxy"
	snap a "$job"
	P50_US=$(lat "$job" 'l["life"]["p50_us"]') || fail "$job: no latency in -j stats"
	note "D = $d ms: $(lat "$job" 'l["life"]["count"]') echoes timed, p50 $(ms "$P50_US") ms, p99 $(ms "$(lat "$job" 'l["life"]["p99_us"]')") ms; the proxy's lateness: $HELPER_SUMMARY"
	[ "$(lat "$job" 'l["type"]')" = rtt ] || fail "$job: latency type is not rtt"
	[ "$(lat "$job" 'l["life"]["count"] == j["messages_received"] and j["messages_unstamped"] == 0')" = True ] ||
		fail "$job: $(lat "$job" 'l["life"]["count"]') timed of $(lat "$job" 'j["messages_received"]') echoes, $(lat "$job" 'j["messages_unstamped"]') unstamped"
	stop_job a "$job"
}

through 0
p50_0=$P50_US
through 10
p50_10=$P50_US
note "p50 at D = 10 ms: $(ms "$p50_10") ms; 20 ms + p50 at D = 0: $(ms "$(awk -v a="$p50_0" 'BEGIN { print a + 20000 }')") ms"
holds "$p50_0 < 5000" || fail "p50 through the proxy at D = 0 is $(ms "$p50_0") ms, over 5 ms on loopback"
holds "$p50_10 - $p50_0 - 20000 <= 1000 && $p50_10 - $p50_0 - 20000 >= -1000" ||
	fail "p50 at D = 10 ms is $(ms "$p50_10") ms, not 20 ms + $(ms "$p50_0") ms within 1 ms"
stop_job a e
stop_daemon a
note "pass"
