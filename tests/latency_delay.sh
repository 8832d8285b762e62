#!/bin/bash
# SPDX-License-Identifier: ISC
# The latencies measured are true: through a proxy that holds every chunk
# for D ms each way (tests/helpers/delay_proxy, built by make check; the
# kernel may have no netem), `send --rate 100` to an echo job measures a
# round-trip p50 of 2 D + the p50 through the same proxy at D = 0, and
# `recv --latency` from a server stamping 100 messages a second
# (tests/helpers/stamp_sender.py) a one-way p50 of D + the p50 at D = 0,
# each within 1 ms.  The proxy reports how late it released its chunks:
# its own accuracy.
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

# timed_start D UPSTREAM_PORT KIND JOB [ARG...]: a job of KIND (send or
# recv) named JOB, with ARGs, through a proxy of D ms to UPSTREAM_PORT.
declare -A PROXY=()
timed_start() {
	local d=$1 up=$2 kind=$3 job=$4
	shift 4
	start_helper "proxy.$job" "$DELAY_PROXY" "$up" "$d"
	PROXY[$job]=$HELPER_PID
	"start_$kind" a "$job" "ws://127.0.0.1:$HELPER_PORT/" "$@"
}

# timed_end JOB: once JOB has timed N messages its proxy goes, and the
# counts freeze; checks them and sets P50_US (the life p50).
P50_US=
timed_end() {
	local job=$1
	wait_until 30 '[ "$(num_of a "$job" messages_received)" -ge $N ]' ||
		fail "$job: $(num_of a "$job" messages_received) messages in 30 s, expected $N"
	# Without its proxy the job's counts freeze: its reconnects are refused.
	stop_helper "proxy.$job" "${PROXY[$job]}"
	wait_until 10 '[ "$(num_of a "$job" connections)" -eq 0 ]' ||
		fail "$job still connected without its proxy"
	snap a "$job"
	P50_US=$(lat "$job" 'l["life"]["p50_us"]') || fail "$job: no latency in -j stats"
	note "$job: $(lat "$job" 'l["life"]["count"]') messages timed ($(lat "$job" 'l["type"]')), p50 $(ms "$P50_US") ms, p99 $(ms "$(lat "$job" 'l["life"]["p99_us"]')") ms; the proxy's lateness: $HELPER_SUMMARY"
	[ "$(lat "$job" 'l["life"]["count"] == j["messages_received"] and j["messages_unstamped"] == 0')" = True ] ||
		fail "$job: $(lat "$job" 'l["life"]["count"]') timed of $(lat "$job" 'j["messages_received"]') messages, $(lat "$job" 'j["messages_unstamped"]') unstamped"
	stop_job a "$job"
}

# pair WHAT EXTRA_MS UPSTREAM_PORT KIND JOB [ARG...]: timed at D = 0 and
# D = 10 ms side by side (a loaded machine then slows both alike); the
# p50 at 10 ms must be EXTRA_MS + the p50 at 0 within 1 ms, and the p50
# at 0 plausible on loopback.  A loaded machine may wake a thread late for
# a while: a pair that does not agree is measured again, three times at
# most (an error of the measure would repeat itself).
pair() {
	local what=$1 extra=$2 up=$3 kind=$4 job=$5 try p0 p10
	shift 5
	for try in 1 2 3; do
		timed_start 0 "$up" "$kind" "${job}0_$try" "$@"
		timed_start 10 "$up" "$kind" "${job}10_$try" "$@"
		timed_end "${job}0_$try"
		p0=$P50_US
		timed_end "${job}10_$try"
		p10=$P50_US
		note "$what: p50 at D = 10 ms: $(ms "$p10") ms; $extra ms + p50 at D = 0: $(ms "$(awk -v a="$p0" -v e="$extra" 'BEGIN { print a + e * 1000 }')") ms"
		if holds "$p0 < 5000 && $p10 - $p0 - $extra * 1000 <= 1000 && $p10 - $p0 - $extra * 1000 >= -1000"; then
			return 0
		fi
		note "$what: attempt $try does not agree"
	done
	fail "$what: p50 at D = 10 ms is $(ms "$p10") ms, not $extra ms + $(ms "$p0") ms within 1 ms (or the p50 at D = 0 is over 5 ms), three times"
}

pair "send, round trip" 20 "$ECHO_PORT" send s --rate "$RATE"

# One way: from the stamping server through the proxy.
start_helper stamps "$PYTHON3" "$HELPERS/stamp_sender.py" --rate "$RATE"
stamps_pid=$HELPER_PID
pair "recv --latency, one way" 10 "$HELPER_PORT" recv r --latency
stop_helper stamps "$stamps_pid"

stop_job a e
stop_daemon a
note "pass"
