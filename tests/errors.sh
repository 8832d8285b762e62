#!/bin/bash
# SPDX-License-Identifier: ISC
# Bad commands fail with exit 1 and one clear line on stderr, and leave a
# running push/recv pair alone; wsbenchctl without a daemon or without
# arguments; a second daemon on a socket in use; a stale socket.
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

# expect_fail RC REGEX WSBENCHCTL_ARG...: wsbenchctl must exit RC, print
# nothing on stdout and exactly one line on stderr, "wsbenchctl: ..."
# matching the extended REGEX.
expect_fail() {
	local want_rc=$1 re=$2 rc lines args
	shift 2
	args=${*@Q}
	timeout -k 2 "$CTL_TIMEOUT" "$WSBENCHCTL" "$@" \
		>"$WORK/fail.out" 2>"$WORK/fail.err"
	rc=$?
	lines=$(wc -l <"$WORK/fail.err")
	[ "$rc" -eq "$want_rc" ] ||
		fail "wsbenchctl $args: exit $rc, expected $want_rc; stderr: $(cat "$WORK/fail.err")"
	[ ! -s "$WORK/fail.out" ] ||
		fail "wsbenchctl $args: wrote to stdout: $(cat "$WORK/fail.out")"
	[ "$lines" -eq 1 ] ||
		fail "wsbenchctl $args: $lines lines on stderr, expected 1: $(cat "$WORK/fail.err")"
	grep -Eq "^wsbenchctl: $re\$" "$WORK/fail.err" ||
		fail "wsbenchctl $args: stderr '$(cat "$WORK/fail.err")' does not match 'wsbenchctl: $re'"
	note "ok: wsbenchctl $args -> $(cat "$WORK/fail.err")"
}

# bad ARG...: a command to daemon a that must fail (exit 1) with REGEX.
bad() {
	local re=$1
	shift
	expect_fail 1 "$re" -s "${DAEMON_SOCK[a]}" "$@"
}

start_daemon a
start_push a p
pport=$PUSH_PORT
url=ws://127.0.0.1:$pport/
start_recv a r "$url" --connections 2
wait_until 15 '[ "$(num_of a r connections)" -eq 2 ]' ||
	fail "r: $(num_of a r connections) connections, expected 2"
m0=$(stat_of a r messages_received) || fail "stats r"

valid_cmds='start stop list stats watch version help reload set latency wait run'
# Port in use, by our own push and by another process's socket.
bad "start: cannot listen on 127\.0\.0\.1:$pport: Address already in use" \
	start push --port "$pport"
bad "start: cannot listen on 127\.0\.0\.1:$pport: Address already in use" \
	start push --port "$pport" --name other
# Bad URLs.
bad "start: bad URL 'http://x'.*" start recv http://x
bad "start: bad URL 'ws://h:99999'.*port.*" start recv ws://h:99999
bad "start: bad URL 'ws://127\.0\.0\.1:0/'.*port.*" start recv ws://127.0.0.1:0/
bad "start: bad URL ''.*" start recv ''
bad "start: .*(URL|missing argument).*" start recv
# Unknown options, with the valid ones listed.
bad "start: unknown option --foo \(valid: .*--port .*--msg .*--size .*\)" \
	start push --foo
bad "start: unknown option --foo \(valid: .*--connections.*\)" \
	start recv "$url" --foo
bad "stats: unknown option --foo .*" stats --foo
bad "start: .*--port.*value.*" start push --port
bad "start: --port: .*65536.*" start push --port 65536
bad "start: --connections: .*0.*" start recv "$url" --connections 0
bad "start: unknown job kind 'pull' \(valid: push recv echo send\)" start pull
# Unknown commands, with the valid ones listed.
bad "unknown command 'bogus' \(valid: $valid_cmds\)" bogus
bad "unknown command 'START' \(valid: $valid_cmds\)" START push
# Unknown jobs.
bad "stop: no job named 'nope'" stop nope
bad "stats: no job named 'nope'" stats nope
bad "watch: no job named 'nope'" watch nope
bad "latency: no job named 'nope'" latency nope
bad "stop: .*NAME.*" stop
# Duplicate names, of either kind.
bad "start: job 'p' already exists" start push --name p --port 0
bad "start: job 'r' already exists" start recv "$url" --name r
bad "start: job 'p' already exists" start recv "$url" --name p
bad "start: bad job name 'a b'.*" start push --name 'a b' --port 0
# --msg with --size, either order.
bad "start: --msg and --size exclude each other" start push --msg yo --size 3 --port 0
bad "start: --msg and --size exclude each other" start push --size 3 --msg yo --port 0
# A text message must be UTF-8 (--binary takes any bytes).
bad "start: --msg is not valid UTF-8.*" start push --port 0 --msg $'\xff\xfe'
# An empty command.
bad "(empty.*|unknown command '' .*)" ''
# Stopping a job twice.
start_push a z
ctl_ok a stop z
bad "stop: (job 'z' is already stopping|no job named 'z')" stop z

# An empty request line, on the socket itself: one error line ("!...").
reply=$(run_bounded 40 "$PYTHON3" "$HELPERS/ctl_raw.py" \
	"${DAEMON_SOCK[a]}" empty) || fail "raw empty request: no reply"
[[ $reply =~ ^![^$'\n']+$ ]] ||
	fail "raw empty request: reply '$reply', expected one '!message' line"
note "ok: empty request line -> $reply"

# Nothing of the above left a job behind, and the pair still counts.
[ "$(job_names a | tr '\n' ' ')" = "p r " ] ||
	fail "jobs after the bad commands: $(job_names a | tr '\n' ' '), expected p r"
m1=$(stat_of a r messages_received) || fail "stats r"
[ "$m1" -gt "$m0" ] || fail "r stopped counting during the bad commands ($m0 -> $m1)"
wait_until 10 '[ "$(num_of a r messages_received)" -gt "$m1" ]' ||
	fail "r stopped counting after the bad commands (stays at $m1)"
for j in p r; do
	expect_stat a "$j" connections == 2
	expect_stat a "$j" connection_errors == 0
done
expect_stat a r reconnects == 0

# wsbenchctl with no daemon: a socket path with nothing, then a stale one.
expect_fail 1 "cannot connect to $WORK/none\.sock: .* \(is wsbenchd running\?\)" \
	-s "$WORK/none.sock" version
"$PYTHON3" -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.close()' "$WORK/b.sock" || fail "cannot make a stale socket"
expect_fail 1 "cannot connect to $WORK/b\.sock: Connection refused \(is wsbenchd running\?\)" \
	-s "$WORK/b.sock" list

# wsbenchctl's own usage errors: exit 2 and the usage.
"$WSBENCHCTL" >"$WORK/usage.out" 2>"$WORK/usage.err"
rc=$?
[ "$rc" -eq 2 ] || fail "wsbenchctl with no arguments: exit $rc, expected 2"
grep -q '^usage: wsbenchctl' "$WORK/usage.err" ||
	fail "wsbenchctl with no arguments: no usage on stderr: $(cat "$WORK/usage.err")"
[ ! -s "$WORK/usage.out" ] || fail "wsbenchctl with no arguments wrote to stdout"
"$WSBENCHCTL" -Z list >"$WORK/usage.out" 2>"$WORK/usage.err"
rc=$?
[ "$rc" -eq 2 ] || fail "wsbenchctl -Z: exit $rc, expected 2"
grep -q '^usage: wsbenchctl' "$WORK/usage.err" ||
	fail "wsbenchctl -Z: no usage on stderr: $(cat "$WORK/usage.err")"

# A daemon on the stale socket takes it over.
start_daemon b
[ "$(ctl b version)" = "wsbench 0.1.0" ] || fail "version on b: $(ctl b version)"
stop_daemon b

# A second daemon on a's socket exits non-zero; a still answers.
port2=$(free_port) || fail "free_port"
run_bounded 20 "$WSBENCHD" -s "${DAEMON_SOCK[a]}" -m "127.0.0.1:$port2" \
	-f "$WORK/empty.conf" >"$WORK/second.log" 2>&1
rc=$?
check_log "$WORK/second.log" "the second wsbenchd"
((rc != 0 && rc != 124)) ||
	fail "a second wsbenchd on ${DAEMON_SOCK[a]} exited $rc: $(cat "$WORK/second.log")"
grep -q 'another wsbenchd' "$WORK/second.log" ||
	fail "the second wsbenchd does not say why it stops: $(cat "$WORK/second.log")"
note "ok: second daemon exits $rc: $(tail -n 1 "$WORK/second.log")"
[ -S "${DAEMON_SOCK[a]}" ] || fail "the second daemon removed a's socket"
[ "$(ctl a version)" = "wsbench 0.1.0" ] || fail "a does not answer after the second daemon"
m2=$(stat_of a r messages_received) || fail "stats r"
export m2
wait_until 10 '[ "$(num_of a r messages_received)" -gt "$m2" ]' ||
	fail "r stopped counting after the second daemon"

# --deflate offers what --deflate-offer would name: not both, either order.
bad "start: --deflate and --deflate-offer exclude each other" \
	start recv "$url" --deflate --deflate-offer ''
bad "start: --deflate and --deflate-offer exclude each other" \
	start recv "$url" --deflate-offer server_no_context_takeover --deflate

stop_daemon a
note "pass"
