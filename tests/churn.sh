#!/bin/bash
# SPDX-License-Identifier: ISC
# --hold: 500 connections each closed with 1000 after 1 s open and opened
# again at once, for 10 s at full load (--duration 10): some 5,000
# connections opened (4,000..5,600), none failed, none counted as a
# reconnect, the echo server saw each close as 1000, and once the job is
# removed the daemon's descriptors are back to their count before it.
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

N=500

fds() { find "/proc/${DAEMON_PID[$1]}/fd" -mindepth 1 -maxdepth 1 | wc -l; }
state_of() {
	ctl "$1" -j list |
		json_get "next((x['state'] for x in j if x['name'] == '$2'), 'gone')"
}

start_daemon a
start_echo a e
url=ws://127.0.0.1:$ECHO_PORT/
fd_idle=$(fds a)

start_recv a c "$url" --connections "$N" --hold 1 --duration 10
wait_until 25 '[ "$(state_of a c)" = finished ]' ||
	fail "c is $(state_of a c) 25 s after its start, not finished"
opened=$(stat_of a c connections_opened) || fail "stats c"
note "$opened connections opened in 10 s of $N held 1 s each"
((opened >= 4000 && opened <= 5600)) ||
	defect "$opened connections opened, expected 4000..5600"
expect_stat a c connection_errors == 0
expect_stat a c reconnects == 0
expect_stat a c connections == 0
expect_stat a e connections_opened == "$opened"
wait_until 10 '[ "$(num_of a e closes_1000)" -eq "$opened" ]' ||
	defect "the server saw $(num_of a e closes_1000) closes 1000 of $opened"

stop_job a c
wait_until 10 '[ "$(fds a)" -eq "$fd_idle" ]' ||
	defect "$(fds a) descriptors open after the job, $fd_idle before"
finish
