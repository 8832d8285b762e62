#!/bin/bash
# SPDX-License-Identifier: ISC
# The control socket under bad clients: a request that never ends, a
# binary blob, a client that sends nothing, one that hangs up before its
# reply, and a user who is neither root, the daemon's user nor in its
# group.  Each gets an error or is dropped, and every other client is
# served meanwhile.
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

# A client that sends nothing is dropped after 10 s; others go on.
t0=$SECONDS
spawn "$PYTHON3" "$HELPERS/ctl_raw.py" "$sock" idle
idle=$LAST_PID
for _ in 1 2 3; do
	ctl_ok a version
	sleep 1
done
wait_pid "$idle" 20 || defect "an idle client was not dropped within 20 s"
note "idle client dropped after $((SECONDS - t0)) s"

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
finish
