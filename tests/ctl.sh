#!/bin/bash
# SPDX-License-Identifier: ISC
# wsbenchctl as wsbenchctl(8) describes it: -V, -h, -j with any command,
# WSBENCH_SOCKET, the request size limit, newlines refused, option forms,
# default job names, help, and watch ending when its job goes.
#
# The checks are independent: each failure is reported and the test goes
# on, failing at the end.
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

# run_ctl ARG...: wsbenchctl (bounded) into $WORK/ctl.{out,err}; sets RC.
RC=
run_ctl() {
	timeout -k 2 "$CTL_TIMEOUT" "$WSBENCHCTL" "$@" >"$WORK/ctl.out" 2>"$WORK/ctl.err"
	RC=$?
	check_log "$WORK/ctl.err" "wsbenchctl $*"
}

# expect_ok_out EXPECTED ARG...: exit 0, stdout EXPECTED, stderr empty.
expect_ok_out() {
	local want=$1
	shift
	run_ctl "$@"
	if [ "$RC" -ne 0 ] || [ "$(cat "$WORK/ctl.out")" != "$want" ] ||
		[ -s "$WORK/ctl.err" ]; then
		defect "wsbenchctl $*: exit $RC, stdout '$(cat "$WORK/ctl.out")', stderr '$(cat "$WORK/ctl.err")'; expected exit 0 and '$want'"
	fi
}

# expect_one_error ARG...: exit 1, one line "wsbenchctl: ..." on stderr.
expect_one_error() {
	run_ctl "$@"
	if [ "$RC" -ne 1 ] || [ "$(wc -l <"$WORK/ctl.err")" -ne 1 ] ||
		! grep -q '^wsbenchctl: ' "$WORK/ctl.err"; then
		defect "wsbenchctl $*: exit $RC, stderr '$(cat "$WORK/ctl.err")'; expected exit 1 and one 'wsbenchctl: ' line"
	fi
}

# --- no daemon needed ---------------------------------------------------------------

expect_ok_out "wsbench 0.1.0" -V
for h in -h --help; do
	run_ctl "$h"
	[[ $RC -eq 0 && $(head -n 1 "$WORK/ctl.out") == usage:\ wsbenchctl* ]] ||
		defect "wsbenchctl $h: exit $RC, stdout '$(head -n 1 "$WORK/ctl.out")'"
done

# A daemon that hangs up before the end of the reply.
"$PYTHON3" - "$WORK/fake.sock" >"$WORK/fake.out" 2>&1 <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(1)
s.settimeout(20)
c, _ = s.accept()
c.recv(8192)
c.sendall(b">half a reply\n")
c.close()
EOF
fake=$!
PIDS+=("$fake")
wait_until 10 '[ -S "$WORK/fake.sock" ]' || fail "the fake daemon did not start"
run_ctl -s "$WORK/fake.sock" list
[[ $RC -eq 1 && $(wc -l <"$WORK/ctl.err") -eq 1 ]] ||
	defect "wsbenchctl on a daemon hanging up mid-reply: exit $RC, stderr '$(cat "$WORK/ctl.err")'; expected 1 and one line"
wait_pid "$fake" 10 || kill_pid "$fake"

# --- with a daemon -------------------------------------------------------------------

start_daemon a
sock=${DAEMON_SOCK[a]}
expect_ok_out "wsbench 0.1.0" -s "$sock" version

# WSBENCH_SOCKET, when -s is not given.
out=$(WSBENCH_SOCKET=$sock timeout 10 "$WSBENCHCTL" version 2>&1)
[ "$out" = "wsbench 0.1.0" ] || defect "wsbenchctl with WSBENCH_SOCKET: '$out'"

# help: a line for each command.
run_ctl -s "$sock" help
for c in start stop list stats watch version help reload set; do
	grep -q "^$c\b" "$WORK/ctl.out" || defect "help has no line for $c: $(cat "$WORK/ctl.out")"
done

# Default names: the kind and a number.
run_ctl -s "$sock" start push --port 0
grep -Eq '^started push-[0-9]+: push 127\.0\.0\.1:[0-9]+$' "$WORK/ctl.out" ||
	defect "start push without --name: '$(cat "$WORK/ctl.out")', expected 'started push-N: push 127.0.0.1:PORT'"
auto=$(sed -n 's/^started \(push-[0-9]*\):.*/\1/p' "$WORK/ctl.out")
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$WORK/ctl.out")
run_ctl -s "$sock" start recv "ws://127.0.0.1:$port/"
grep -Eq "^started recv-[0-9]+: recv ws://127\.0\.0\.1:$port/\$" "$WORK/ctl.out" ||
	defect "start recv without --name: '$(cat "$WORK/ctl.out")'"
autor=$(sed -n 's/^started \(recv-[0-9]*\):.*/\1/p' "$WORK/ctl.out")

# Option forms: --opt=value, options before the URL, and -- before it.
expect_ok_out "started eq: push 127.0.0.1:$(free_port | tee "$WORK/p1")" \
	-s "$sock" start push --name=eq --port="$(cat "$WORK/p1")"
expect_ok_out "started before: recv ws://127.0.0.1:$port/x" \
	-s "$sock" start recv --connections 2 --name before "ws://127.0.0.1:$port/x"
expect_ok_out "started dashdash: recv ws://127.0.0.1:$port/" \
	-s "$sock" start recv --name dashdash -- "ws://127.0.0.1:$port/"

# -j: list and stats answer in JSON, the other commands as without it.
# (Connections may come and go between the two: they are left out.)
jobs_of='[[x[k] for k in ("name", "kind", "state", "target")] for x in j]'
a=$(timeout 10 "$WSBENCHCTL" -s "$sock" -j list | json_get "$jobs_of") ||
	defect "-j list is not JSON"
b=$(timeout 10 "$WSBENCHCTL" -s "$sock" list -j | json_get "$jobs_of") ||
	defect "list -j is not JSON"
[ "$a" = "$b" ] || defect "-j list and list -j differ: '$a' / '$b'"
expect_ok_out "wsbench 0.1.0" -s "$sock" -j version
run_ctl -s "$sock" -j help
[ "$RC" -eq 0 ] || defect "wsbenchctl -j help: exit $RC: $(cat "$WORK/ctl.err")"
expect_ok_out "stopping eq" -s "$sock" -j stop eq
expect_ok_out "started j: push 127.0.0.1:$(free_port | tee "$WORK/p2")" \
	-s "$sock" -j start push --name j --port "$(cat "$WORK/p2")"

# Newlines and carriage returns in an argument are refused; the request
# is at most 8192 bytes.
expect_one_error -s "$sock" start push --port 0 --msg $'two\nlines'
expect_one_error -s "$sock" start push --port 0 --msg $'carriage\rreturn'
long=$(head -c 8000 /dev/zero | tr '\0' a)
run_ctl -s "$sock" start push --port 0 --name long --msg "$long"
[ "$RC" -eq 0 ] || defect "a request of about 8030 bytes is refused: $(cat "$WORK/ctl.err")"
expect_one_error -s "$sock" start push --port 0 --name toolong --msg "${long}${long:0:300}"

# watch ends with an error when its job goes away.
spawn timeout -k 2 30 "$WSBENCHCTL" -s "$sock" watch "$autor" \
	>"$WORK/watch.out" 2>"$WORK/watch.err"
wpid=$LAST_PID
wait_until 10 '[ -s "$WORK/watch.out" ]' || defect "watch $autor prints nothing"
ctl a stop "$autor" >/dev/null
if wait_pid "$wpid" 15; then
	[ "$WAIT_RC" -eq 1 ] || defect "watch of a job that went away: exit $WAIT_RC, expected 1"
	grep -q "^wsbenchctl: job '$autor' is gone\$" "$WORK/watch.err" ||
		defect "watch of a job that went away: stderr '$(cat "$WORK/watch.err")'"
else
	defect "watch does not end when its job goes away"
	kill_pid "$wpid"
fi
# And a watch ends when the daemon exits.
spawn timeout -k 2 30 "$WSBENCHCTL" -s "$sock" watch "$auto" \
	>"$WORK/watch2.out" 2>"$WORK/watch2.err"
wpid=$LAST_PID
wait_until 10 '[ -s "$WORK/watch2.out" ]' || defect "watch $auto prints nothing"
stop_daemon a
wait_pid "$wpid" 15 || { defect "watch does not end when the daemon exits"; kill_pid "$wpid"; }

finish
