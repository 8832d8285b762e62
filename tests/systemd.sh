#!/bin/bash
# SPDX-License-Identifier: ISC
# wsbenchd as a systemd service, without systemd running:
#
# - the unit as built (systemd/wsbenchd.service): every placeholder filled,
#   `systemd-analyze verify` silent on a copy whose commands point at the
#   built wsbenchd (verify wants them to exist), `systemd-analyze security
#   --offline=true` rating its exposure 3.0 or less, and its ExecStart and
#   ExecReload options accepted by wsbenchd (with -n: nothing starts);
# - systemd/wsbench.sysusers, applied by systemd-sysusers to a scratch root;
# - the sd_notify protocol, under a fake service manager (a Python datagram
#   socket): READY=1 once the control socket answers and the metrics port
#   accepts, with STATUS=; STATUS= again each second, following the jobs
#   and their rates; WATCHDOG=1 every half WATCHDOG_USEC when WATCHDOG_PID
#   is wsbenchd's own PID, and none when it names another process;
#   STOPPING=1 on SIGTERM; every message from wsbenchd's own PID (systemd
#   takes only those, NotifyAccess=main).  Once on a socket file, once in
#   the abstract namespace; and once with nobody on NOTIFY_SOCKET: one
#   warning in the log, and the daemon runs on.
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

TOP_BUILDDIR=$(cd "$(dirname "$WSBENCHD")/.." && pwd)
UNIT=$TOP_BUILDDIR/systemd/wsbenchd.service
SYSUSERS=$TESTS_SRCDIR/../systemd/wsbench.sysusers
MAX_EXPOSURE=3.0

command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing (package systemd)"
[ -s "$UNIT" ] || fail "$UNIT is missing: not built?"

# --- the unit --------------------------------------------------------------

if grep -n '@[A-Za-z_]*@' "$UNIT" >"$WORK/left" 2>&1; then
	defect "placeholders left in $UNIT: $(cat "$WORK/left")"
fi

# exec_line KEY [N]: the Nth (1st) KEY= command line, its prefixes (-@:+!)
# dropped.
exec_line() {
	sed -n "s/^$1=[-@:+!]*//p" "$UNIT" | sed -n "${2:-1}p"
}

start_cmd=$(exec_line ExecStart)
reload_cmd=$(exec_line ExecReload)
read -r -a start_argv <<<"$start_cmd"
read -r -a reload_argv <<<"$reload_cmd"
case ${start_argv[0]:-} in
/*/wsbenchd) ;;
*) defect "ExecStart runs '${start_argv[0]:-}', not an absolute path to wsbenchd" ;;
esac
[ "${reload_argv[0]:-}" = "${start_argv[0]:-}" ] ||
	defect "ExecReload runs '${reload_argv[0]:-}', ExecStart '${start_argv[0]:-}'"
[ "$(exec_line ExecReload 2)" = '/bin/kill -HUP $MAINPID' ] ||
	defect "the second ExecReload is '$(exec_line ExecReload 2)'"
grep -qx 'Type=notify' "$UNIT" || defect "the unit is not Type=notify"

# The options of both command lines, on the built wsbenchd with the
# shipped config: -n checks them and the config, and starts nothing.
for name in start reload; do
	declare -n argv=${name}_argv
	args=()
	for a in "${argv[@]:1}"; do
		case $a in
		*/wsbenchd.conf) args+=("$ETC_SRCDIR/wsbenchd.conf") ;;
		*) args+=("$a") ;;
		esac
	done
	out=$(run_bounded 20 "$WSBENCHD" "${args[@]}" -n 2>&1)
	[ "$out" = "configuration OK" ] ||
		defect "wsbenchd ${args[*]} -n (Exec${name^}): '$out'"
	unset -n argv
done

# verify checks that every command exists, so the copy runs the built one.
mkdir "$WORK/unit"
sed -E "s#^(Exec[A-Za-z]*=[-@:+!]*)/[^ ]*/wsbenchd( |\$)#\\1$WSBENCHD\\2#" \
	"$UNIT" >"$WORK/unit/wsbenchd.service"
grep -q "^ExecStart=$WSBENCHD " "$WORK/unit/wsbenchd.service" ||
	fail "cannot point the unit's ExecStart at $WSBENCHD"
# Unknown keys and bad values are only warnings (exit status 0): any
# output is a failure.  The manual pages are not installed here
# (tests/install.sh checks them).
run_bounded 60 systemd-analyze verify --man=no "$WORK/unit/wsbenchd.service" \
	>"$WORK/verify.out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] || [ -s "$WORK/verify.out" ]; then
	defect "systemd-analyze verify exited $rc: $(cat "$WORK/verify.out")"
else
	note "systemd-analyze verify: no complaint"
fi

run_bounded 60 systemd-analyze security --offline=true --no-pager "$UNIT" \
	>"$WORK/security.out" 2>"$WORK/security.err"
rc=$?
exposure=$(sed -n 's/.*Overall exposure level for wsbenchd\.service: \([0-9.]*\).*/\1/p' \
	"$WORK/security.out")
if [ "$rc" -ne 0 ] || [ -s "$WORK/security.err" ] || [ -z "$exposure" ]; then
	defect "systemd-analyze security exited $rc, exposure '$exposure': $(cat "$WORK/security.err")"
elif awk -v e="$exposure" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(e > m) }'; then
	grep '✗' "$WORK/security.out" >&2
	defect "exposure $exposure, expected at most $MAX_EXPOSURE"
else
	note "systemd-analyze security: exposure $exposure (at most $MAX_EXPOSURE)"
fi

# --- the sysusers file -------------------------------------------------------

mkdir -p "$WORK/sysroot/etc"
if out=$(run_bounded 20 systemd-sysusers --root="$WORK/sysroot" "$SYSUSERS" 2>&1); then
	IFS=: read -r _ _ uid gid gecos home shell < <(grep '^wsbench:' "$WORK/sysroot/etc/passwd")
	IFS=: read -r _ _ ggid _ < <(grep '^wsbench:' "$WORK/sysroot/etc/group")
	{ is_uint "${uid:-}" && [ "$uid" -gt 0 ] && [ "$uid" -lt 1000 ]; } ||
		defect "wsbench: uid '${uid:-}', expected a system uid"
	{ [ -n "${ggid:-}" ] && [ "$gid" = "$ggid" ]; } ||
		defect "wsbench: gid '${gid:-}', group wsbench has '${ggid:-}'"
	[ "$gecos" = "wsbench daemon" ] || defect "wsbench: GECOS '$gecos'"
	case $shell in */nologin) ;; *) defect "wsbench: shell '$shell'" ;; esac
	[ "$home" = / ] || defect "wsbench: home '$home'"
else
	defect "systemd-sysusers $SYSUSERS: $out"
fi

# --- sd_notify ---------------------------------------------------------------

# The fake service manager: prints "MS PID KEY=VALUE" for each line of each
# datagram, MS the milliseconds since it started, PID the sender's (from
# SCM_CREDENTIALS).  On READY=1 it asks the control socket for `version`
# and connects to the metrics port, and prints "MS - CHECK control ok" (or
# the error), and the same for metrics.
cat >"$WORK/manager.py" <<'EOF'
import socket, struct, sys, time

addr, control, metrics_port = sys.argv[1], sys.argv[2], int(sys.argv[3])
t0 = time.monotonic()


def ms():
    return int((time.monotonic() - t0) * 1000)


def out(pid, text, t=None):
    print("%d %s %s" % (ms() if t is None else t, pid, text), flush=True)


def check_control():
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
        c.settimeout(5)
        c.connect(control)
        c.sendall(b"version\n")
        reply = b""
        while not reply.endswith(b".\n"):
            data = c.recv(4096)
            if not data:
                raise OSError("no reply to version: %r" % reply)
            reply += data


def check(what, f):
    try:
        f()
        out("-", "CHECK %s ok" % what)
    except OSError as e:
        out("-", "CHECK %s %s" % (what, e))


s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + addr[1:] if addr.startswith("@") else addr)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
out("-", "listening")
while True:
    msg, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
    pid = "?"
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            pid = struct.unpack("3i", data)[0]
    t = ms()
    lines = msg.decode().split("\n")
    for line in lines:
        out(pid, line, t)
    if "READY=1" in lines:
        check("control", check_control)
        check("metrics", lambda: socket.create_connection(
            ("127.0.0.1", metrics_port), timeout=5).close())
EOF

# The STATUS= wsbenchd sends.
STATUS_RE='STATUS=[0-9]+ jobs?, [0-9]+ messages/s received, [0-9]+ sent'

# notified ID KEY=VALUE-REGEX: the lines of ID's manager with a message
# matching (ERE, anchored), as "MS PID MESSAGE".
notified() {
	awk -v re="$2" '{ m = $0; sub(/^[^ ]+ [^ ]+ /, "", m) } m ~ re' \
		"$WORK/$1.notify"
}

# run_notified ID ADDR [WATCHDOG_PID]: a fake manager on ADDR, then
# wsbenchd ID under it (the echo job of $WORK/echo.conf), with
# WATCHDOG_USEC=200000 and WATCHDOG_PID=WATCHDOG_PID, or wsbenchd's own PID
# if WATCHDOG_PID is "self".  Returns once READY=1 is in (10 s).
# The metrics port is free_port's: tried 3 times, as start_daemon does.
run_notified() {
	local id=$1 addr=$2 wpid=${3:-} port attempt log=$WORK/$1.log
	local sock=$WORK/$1.sock pid
	for attempt in 1 2 3; do
		port=$(free_port) || fail "free_port failed"
		: >"$WORK/$id.notify"
		spawn "$PYTHON3" "$WORK/manager.py" "$addr" "$sock" "$port" \
			>"$WORK/$id.notify" 2>"$WORK/$id.manager.err"
		MANAGER_PID=$LAST_PID
		wait_until 10 'grep -q " - listening$" "$WORK/$id.notify"' ||
			fail "the fake manager does not start: $(cat "$WORK/$id.manager.err")"
		# exec keeps the shell's PID: $$ is wsbenchd's.
		spawn env NOTIFY_SOCKET="$addr" WATCHDOG_USEC=200000 \
			sh -c 'if [ "$1" = self ]; then WATCHDOG_PID=$$; else WATCHDOG_PID=$1; fi
				export WATCHDOG_PID; shift; exec "$@"' sh "$wpid" \
			"$WSBENCHD" -f "$WORK/echo.conf" -s "$sock" -m "127.0.0.1:$port" \
			>>"$log" 2>&1
		pid=$LAST_PID
		DAEMON_PID[$id]=$pid
		DAEMON_SOCK[$id]=$sock
		DAEMON_LOG[$id]=$log
		DAEMON_MPORT[$id]=$port
		if wait_until 10 '! alive $pid || notified $id "^READY=1$" | grep -q .' &&
			alive "$pid"; then
			note "wsbenchd $id: pid $pid, notifying $addr"
			return 0
		fi
		alive "$pid" && fail "no READY=1 from wsbenchd $id within 10 s"
		wait_pid "$pid" 5
		kill_pid "$MANAGER_PID"
		grep -q 'cannot serve metrics' "$log" && [ "$attempt" -lt 3 ] &&
			continue
		fail "wsbenchd $id exited with $WAIT_RC at start"
	done
}
MANAGER_PID=

# check_ready ID: READY=1 came with a STATUS= showing the config's job,
# after the control socket and the metrics port were up.
check_ready() {
	local id=$1 v
	for v in control metrics; do
		grep -q "^[0-9]* - CHECK $v ok$" "$WORK/$id.notify" ||
			defect "$id: at READY=1: $(grep "CHECK $v" "$WORK/$id.notify")"
	done
	# The READY datagram's lines share its time and PID.
	v=$(notified "$id" '^READY=1$' | head -n 1 | cut -d ' ' -f 1,2)
	grep -q "^$v STATUS=1 job, 0 messages/s received, 0 sent$" \
		"$WORK/$id.notify" ||
		defect "$id: no 'STATUS=1 job, ...' with READY=1: $(cat "$WORK/$id.notify")"
}

# check_pids ID: every message came from wsbenchd ID itself.
check_pids() {
	local id=$1 bad
	bad=$(awk -v p="${DAEMON_PID[$id]}" '$2 != "-" && $2 != p' \
		"$WORK/$id.notify")
	[ -z "$bad" ] || defect "$id: messages from another PID than ${DAEMON_PID[$id]}: $bad"
}

# check_stopping ID: SIGTERM; STOPPING=1 comes, then wsbenchd exits 0.
check_stopping() {
	local id=$1
	notified "$id" '^STOPPING=1$' | grep -q . &&
		defect "$id: STOPPING=1 before SIGTERM"
	stop_daemon "$id"
	notified "$id" '^STOPPING=1$' | grep -q . ||
		defect "$id: no STOPPING=1 on SIGTERM: $(tail -n 5 "$WORK/$id.notify")"
	kill_pid "$MANAGER_PID"
}

echo 'start echo --name e --port 0' >"$WORK/echo.conf"

# On a socket file; WATCHDOG_PID names another process (this shell): no
# keep-alives.
run_notified file "$WORK/notify.sock" $$
check_ready file
port=$(ctl file -j list | json_get "[x['target'] for x in j if x['name'] == 'e'][0].rsplit(':', 1)[1]") ||
	fail "no port for echo job e"
run_bounded 60 "$PYTHON3" "$HELPERS/echo_client.py" "ws://127.0.0.1:$port/" \
	>"$WORK/echo.out" 2>"$WORK/echo.err" ||
	defect "echo_client.py: $(cat "$WORK/echo.err")"
ctl_ok file start echo --name e2 --port 0
wait_until 10 '[ "$(notified file "^$STATUS_RE\$" | wc -l)" -ge 4 ] &&
	notified file "^STATUS=2 jobs, " | grep -q .' ||
	defect "file: STATUS= lines: $(notified file '^STATUS=')"
bad=$(notified file '^STATUS=' | grep -Ev "^[0-9]+ [0-9]+ $STATUS_RE\$")
[ -z "$bad" ] || defect "file: STATUS= not as expected: $bad"
notified file '^STATUS=[0-9]+ jobs?, [1-9][0-9]* messages/s received, [1-9][0-9]* sent$' |
	grep -q . ||
	defect "file: no STATUS= shows the echo client's messages: $(notified file '^STATUS=')"
# Each second: between 0.5 and 1.5 s apart (libevent's 1 s timer).
notified file '^STATUS=' | awk 'NR > 1 && ($1 - t < 500 || $1 - t > 1500) {
	print "STATUS= " $1 - t " ms after the one before"; bad = 1 } { t = $1 }
	END { exit bad }' >"$WORK/gaps" || defect "file: $(cat "$WORK/gaps")"
notified file '^WATCHDOG=1$' | grep -q . &&
	defect "file: WATCHDOG=1 sent with WATCHDOG_PID naming another process"
check_stopping file
check_pids file

# In the abstract namespace; WATCHDOG_PID is wsbenchd's: WATCHDOG=1 every
# 100 ms.
run_notified abstract "@wsbench-test-$$-$RANDOM" self
check_ready abstract
sleep 1.5
notified abstract '^WATCHDOG=1$' | awk '
	NR == 1 { t0 = $1 } { n++; t = $1 }
	END { mean = n > 1 ? (t - t0) / (n - 1) : 0
		printf "%d WATCHDOG=1, one every %d ms on average\n", n, mean
		exit !(n >= 8 && mean >= 70 && mean <= 150) }' >"$WORK/wd"
rc=$?
[ "$rc" -eq 0 ] || defect "abstract: $(cat "$WORK/wd"), expected 100"
note "abstract: $(cat "$WORK/wd")"
check_stopping abstract
check_pids abstract

# No manager on NOTIFY_SOCKET: one warning, not one a second, and the
# daemon goes on.
NOTIFY_SOCKET=$WORK/nobody.sock start_daemon gone
sleep 2.5
n=$(grep -c 'sd_notify_send: .*nobody.sock' "${DAEMON_LOG[gone]}")
[ "$n" -eq 1 ] || defect "gone: $n warnings about the missing NOTIFY_SOCKET, expected 1"
ctl gone version >/dev/null || defect "gone: no answer after failed notifications"
stop_daemon gone

finish
