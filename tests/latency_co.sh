#!/bin/bash
# SPDX-License-Identifier: ISC
# Coordinated omission is corrected: `send --rate 1000` to an echo server
# that stalls for 0.5 s every 6 s (an echo job behind
# tests/helpers/delay_proxy, which then reads nothing more from its
# client, so the echoes stop and the sends back up) must count every
# message the stall held up from its due time, not from when it could be
# sent: over a window of about 6.5 s with one stall in it, p99 >= 400 ms
# while p50 stays under 5 ms, and the sends the stall delayed are counted
# late.
# Timed from the actual send (the uncorrected way of a closed-loop
# client) the stall would be one slow message and p99 a few ms.
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
FIRST=2		# seconds from the server's start to its first stall
PERIOD=6	# seconds between stalls
STALL_MS=500	# each stall

start_daemon a
start_echo a e
start_helper stall "$DELAY_PROXY" "$ECHO_PORT" 0 $((FIRST * 1000)) \
	$((PERIOD * 1000)) "$STALL_MS"
server_pid=$HELPER_PID
t0=$(_now_ms)
start_send a s "ws://127.0.0.1:$HELPER_PORT/" --rate 1000 --size 1024

# The window ends 1.5 s before the second stall (at FIRST + PERIOD), when
# the server has long answered everything the first one held up.
sleep "$(awk -v t0="$t0" -v now="$(_now_ms)" -v f="$FIRST" -v p="$PERIOD" \
	'BEGIN { s = (t0 - now) / 1000 + f + p - 1.5; print (s > 0 ? s : 0) }')"
stop_helper stall "$server_pid"
note "the stalling proxy: $HELPER_SUMMARY"
wait_until 10 '[ "$(num_of a s connections)" -eq 0 ]' ||
	fail "s still connected without its server"
snap a s
p50=$(lat s 'l["life"]["p50_us"]') || fail "s: no latency in -j stats"
p99=$(lat s 'l["life"]["p99_us"]')
late=$(lat s 'j["sends_late"]')
note "over $(lat s 'l["life"]["count"]') echoes timed of $(lat s 'j["messages_sent"]') sent: p50 $(ms "$p50") ms, p90 $(ms "$(lat s 'l["life"]["p90_us"]')") ms, p99 $(ms "$p99") ms, max $(ms "$(lat s 'l["life"]["max_us"]')") ms; sends_late $late"

case $HELPER_SUMMARY in
*" stalls 1") ;;
*) fail "the server stalled other than once in the window: $HELPER_SUMMARY" ;;
esac
[ "$(lat s 'l["life"]["count"] == j["messages_received"] and j["messages_unstamped"] == 0')" = True ] ||
	defect "s: $(lat s 'l["life"]["count"]') timed of $(lat s 'j["messages_received"]') echoes, $(lat s 'j["messages_unstamped"]') unstamped"
holds "$p99 >= 400000" ||
	defect "p99 is $(ms "$p99") ms, expected at least 400 ms: the stall is not counted from the due times"
holds "$p50 < 5000" || defect "p50 is $(ms "$p50") ms, expected under 5 ms"
is_uint "$late" && [ "$late" -gt 0 ] ||
	defect "sends_late is '$late', expected more than 0 behind a stalled server"
stop_job a s
stop_job a e
stop_daemon a
finish
