#!/bin/bash
# SPDX-License-Identifier: ISC
# The control socket under bad clients: a request that never ends, a
# binary blob, clients that send nothing, one that hangs up before its
# reply, watchers that never read, and a user who is neither root, the
# daemon's user nor in its group.  Each gets an error or is dropped, with
# its descriptor freed, the output waiting for a watcher stays bounded, and
# every other client is served meanwhile.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

start_daemon a
sock=${DAEMON_SOCK[a]}

# raw [COMMAND...]: runs tests/ctl_raw.py in mode $RAW_MODE, under
# COMMAND (setpriv) if given; the script comes on standard input, so that
# another user need not read it.
raw() {
	run_bounded 40 "$@" "$PYTHON3" - "$sock" "$RAW_MODE" \
		<"$HELPERS/ctl_raw.py"
}

RAW_MODE=long
out=$(raw) || fail "long request: exit $?"
[ "$out" = "!request too long" ] || defect "long request: '$out'"
RAW_MODE=blob
out=$(raw) || fail "blob: exit $?"
[ "$out" = "!request is not text" ] || defect "blob: '$out'"
RAW_MODE=hangup
for _ in 1 2 3 4 5; do raw || fail "hangup client"; done

# fds ID: how many descriptors daemon ID holds.
fds() {
	local f=(/proc/"${DAEMON_PID[$1]}"/fd/*)
	echo "${#f[@]}"
}
# rss ID: its resident memory, in KiB.
rss() {
	awk '$1 == "VmRSS:" { print $2 }' /proc/"${DAEMON_PID[$1]}"/status
}

# Clients that send nothing are told so after 10 s, and their
# connections freed once they hang up; others go on.
fd0=$(fds a)
t0=$SECONDS
idle=()
for _ in 1 2 3 4 5; do
	spawn "$PYTHON3" "$HELPERS/ctl_raw.py" "$sock" idle >>"$WORK/idle.out"
	idle+=("$LAST_PID")
done
for _ in 1 2 3; do
	ctl_ok a version
	sleep 1
done
for pid in "${idle[@]}"; do
	wait_pid "$pid" 20 || defect "an idle client was not dropped within 20 s"
done
note "idle clients dropped after $((SECONDS - t0)) s"
[ "$(grep -cx '!timed out waiting for a request' "$WORK/idle.out")" = 5 ] ||
	defect "idle clients got '$(cat "$WORK/idle.out")'"
wait_until 10 '[ "$(fds a)" -le "$fd0" ]' ||
	defect "5 idle clients left the daemon with $(fds a) descriptors, $fd0 before"
ctl_ok a version

# Someone else: the socket opened up to all, the credentials still refuse.
command -v setpriv >/dev/null || fail "setpriv is missing (util-linux)"
chmod 0666 "$sock"
chmod 0711 "$WORK"
RAW_MODE=version
out=$(raw setpriv --reuid=65534 --regid=65534 --clear-groups) ||
	fail "nobody's client: exit $?"
[[ $out == "!permission denied: uid 65534 is not root, the daemon's user or in its group" ]] ||
	defect "nobody got '$out'"
out=$(raw) || fail "root's client: exit $?"
[[ $out == *"."* && $out == *"wsbench"* ]] || defect "root got '$out'"
ctl_ok a version

# Watchers that never read, of many jobs with long names: a second's
# records are skipped for a watcher while earlier ones wait, so the
# daemon's memory stays bounded.  One that reads still gets every second.
long='job-name-long-enough-to-make-each-record-of-the-table-big-'
for i in $(seq 100 299); do
	echo "start push --name $long$i --port 0"
done >"$WORK/many.conf"
start_daemon w -f "$WORK/many.conf"
spawn "$PYTHON3" "$HELPERS/ctl_raw.py" "${DAEMON_SOCK[w]}" unread \
	"watch --table" 50 >"$WORK/unread.out"
wait_until 10 'grep -qx sent "$WORK/unread.out"' || fail "the unread watchers did not connect"
# The system's socket buffers fill first; then the daemon's.
sleep 15
rss0=$(rss w)
sleep 30
rss1=$(rss w)
note "50 watchers that never read: VmRSS $rss0 KiB, 30 s later $rss1 KiB"
((rss1 - rss0 < 8192)) || defect "the daemon grew by $((rss1 - rss0)) KiB in 30 s"
run_bounded 4 "$WSBENCHCTL" -s "${DAEMON_SOCK[w]}" watch -p >"$WORK/reader.out"
[ "$(grep -c '^messages sent: ' "$WORK/reader.out")" -ge 2 ] ||
	defect "a watcher that reads got '$(cat "$WORK/reader.out")' in 4 s"
finish
