#!/bin/bash
# SPDX-License-Identifier: ISC
# RFC 6455 conformance, in the manner of Autobahn|Testsuite: the case
# runner (tests/conformance/runner.py, Python 3 standard library) plays the
# other side of each connection frame by frame against our echo and push
# servers and, as a server itself, against recv jobs it starts per case.
# Every case must pass; the runner prints a table by category and the
# details of any failed case.  `runner.py --list` documents every case.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

# start_server KIND NAME ARG...: starts an echo or push job on a free port;
# prints the port.
start_server() {
	local kind=$1 name=$2 out
	shift 2
	out=$(ctl a start "$kind" --port 0 --name "$name" "$@" 2>&1) ||
		fail "start $kind $name $*: $out"
	[[ $out =~ ^started\ $name:\ $kind\ 127\.0\.0\.1:([0-9]+)$ ]] ||
		fail "start $kind $name reply: '$out'"
	printf '%s\n' "${BASH_REMATCH[1]}"
}

start_daemon a
echo_port=$(start_server echo echo) || fail "cannot start the echo job"
limit_port=$(start_server echo echo-limit --max-message 1000) || fail "cannot start the echo-limit job"
push_port=$(start_server push push --msg yo) || fail "cannot start the push job"
big_port=$(start_server push push-big --size 70000) || fail "cannot start the push-big job"
deflate_port=$(start_server echo echo-deflate --deflate --max-message 2097152) ||
	fail "cannot start the echo-deflate job"

note "running the conformance cases"
run_bounded 150 "$PYTHON3" -B "$TESTS_SRCDIR/conformance/runner.py" \
	--echo "$echo_port" --echo-limit "$limit_port" --push "$push_port" \
	--push-big "$big_port" --echo-deflate "$deflate_port" --ctl "$WSBENCHCTL" --socket "${DAEMON_SOCK[a]}" \
	--budget 120 >"$WORK/conformance.out" 2>&1
rc=$?
cat "$WORK/conformance.out"
case $rc in
0) ;;
124) fail "the runner did not finish within 150 s" ;;
*) fail "conformance cases failed (runner exit $rc), details above" ;;
esac

# The daemon came through every case: still answering, and clean on exit.
ctl a version >/dev/null || fail "wsbenchd does not answer after the cases"
stop_daemon a
finish
