#!/bin/bash
# SPDX-License-Identifier: ISC
# 20,000 connect/upgrade/close cycles against a push job and as many
# against an echo job (half closed with a RST): the daemon's descriptors
# go back to their count and its resident memory to near its start.
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

CYCLES=${CYCLES:-20000}
WARMUP=1000
# Resident memory may grow this much (KiB) over the 2 x CYCLES cycles.
RSS_SLACK_KIB=${RSS_SLACK_KIB:-2048}

fds() { find "/proc/${DAEMON_PID[a]}/fd" -mindepth 1 -maxdepth 1 | wc -l; }
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/${DAEMON_PID[a]}/status"; }

start_daemon a
start_push a p
push_port=$PUSH_PORT
out=$(ctl a start echo --port 0 --name e) || fail "start echo: $out"
echo_port=${out##*:}
is_uint "$echo_port" || fail "start echo reply: '$out'"

cycles() {
	local port=$1 n=$2 job=$3 out
	out=$(run_bounded 50 "$PYTHON3" "$HELPERS/cycle_client.py" "$port" "$n") ||
		fail "cycles against $job: $out"
	wait_until 10 '[ "$(num_of a '"$job"' connections)" -eq 0 ]' ||
		fail "$job still has $(num_of a "$job" connections) connections"
	printf '%s\n' "$out"
}

# Buffers and free lists settle in the warm-up.
cycles "$push_port" "$WARMUP" p >/dev/null
cycles "$echo_port" "$WARMUP" e >/dev/null
fd0=$(fds) rss0=$(rss)
note "after $WARMUP warm-up cycles each: $fd0 fds, RSS $rss0 KiB"

out=$(cycles "$push_port" "$CYCLES" p) || fail "cycles against push"
note "push: $out"
out=$(cycles "$echo_port" "$CYCLES" e) || fail "cycles against echo"
note "echo: $out"
fd1=$(fds) rss1=$(rss)
note "after $CYCLES cycles each: $fd1 fds, RSS $rss1 KiB"
expect_stat a p connections_opened == $((WARMUP + CYCLES))
expect_stat a e connections_opened == $((WARMUP + CYCLES))
[ "$fd1" -eq "$fd0" ] || defect "fds $fd1, were $fd0"
# AddressSanitizer keeps freed memory in quarantine: there RSS says
# nothing of leaks (LeakSanitizer does that at exit).
if nm "$WSBENCHD" 2>/dev/null | grep -q __asan_init; then
	note "AddressSanitizer build: RSS not compared"
else
	[ "$rss1" -le $((rss0 + RSS_SLACK_KIB)) ] ||
		defect "RSS $rss1 KiB, was $rss0 KiB (slack $RSS_SLACK_KIB KiB)"
fi
stop_daemon a
finish
