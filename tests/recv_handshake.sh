#!/bin/bash
# SPDX-License-Identifier: ISC
# recv's handshake options (--header, --protocol, --origin) as a server sees
# them; failures counted by reason with the last error's text, a request
# too long to make among them; the peer's close recorded with its code and
# reason; bad option values refused.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

# server MODE: starts hs_server.py; sets SPORT and HEADS (its request log).
server() {
	local mode=$1
	HEADS=$WORK/$mode.heads
	: >"$HEADS"
	spawn "$PYTHON3" "$HELPERS/hs_server.py" "$mode" "$WORK/$mode.port" \
		"$HEADS"
	wait_until 10 '[ -s "$WORK/$mode.port" ]' || fail "hs_server $mode"
	SPORT=$(cat "$WORK/$mode.port")
}

# stat_line JOB KEY: the whole value of a line of `stats JOB`.
stat_line() {
	ctl a stats "$1" | sed -n "s/^$2  *//p"
}

start_daemon a

server ok-superchat
start_recv a ok "ws://127.0.0.1:$SPORT/chat?x=1" \
	--header 'X-Test: 1' --header 'Authorization: Bearer a b' \
	--origin http://example.com --protocol chat --protocol superchat
wait_until 10 '[ "$(num_of a ok messages_received)" -ge 1 ]' ||
	fail "ok received nothing"
wait_until 10 '[ -n "$(stat_line ok last_close | grep -v none)" ]' ||
	fail "no close recorded"
for want in 'GET /chat?x=1 HTTP/1.1' 'X-Test: 1' 'Authorization: Bearer a b' \
	'Origin: http://example.com' 'Sec-WebSocket-Protocol: chat, superchat' \
	'User-Agent: wsbench'; do
	grep -qF "$want" "$HEADS" || defect "request lacks '$want': $(head -c 600 "$HEADS")"
done
got=$(stat_line ok last_close)
[ "$got" = "4001 bye now" ] || defect "last_close '$got', expected '4001 bye now'"
expect_stat a ok connection_errors == 0
ctl_ok a stop ok

# Each failure counts under its reason, and the last error says why.
check_failure() {
	local mode=$1 counter=$2 text=$3 job=${1//-/_}
	server "$mode"
	start_recv a "$job" "ws://127.0.0.1:$SPORT/" --protocol chat
	wait_until 20 "[ \"\$(num_of a $job $counter)\" -ge 1 ]" ||
		defect "$mode: $counter stays $(num_of a "$job" "$counter")"
	expect_stat a "$job" connection_errors '>=' 1
	got=$(stat_line "$job" last_error)
	[ "$got" = "$text" ] || defect "$mode: last_error '$got', expected '$text'"
	note "$mode: $counter, '$got'"
	ctl_ok a stop "$job"
}
check_failure unoffered errors_handshake \
	'handshake failed: server chose a subprotocol we did not offer'
check_failure bad-accept errors_bad_accept \
	'handshake failed: wrong Sec-WebSocket-Accept'
check_failure status-403 errors_bad_status \
	'handshake failed: upgrade refused with a 4xx status'
check_failure silent errors_timeout 'handshake timed out after 10 s'

# A request over the handshake's 8 KiB cannot be made: a handshake failure
# that says so, not a refused connection with an unrelated errno.
start_recv a long ws://127.0.0.1:1/ --header "X-Long: $(printf '%08100d' 0)"
wait_until 10 '[ "$(num_of a long errors_handshake)" -ge 1 ]' ||
	defect "long: errors_handshake stays $(num_of a long errors_handshake)"
expect_stat a long errors_refused == 0
got=$(stat_line long last_error)
[ "$got" = "cannot make the upgrade request: too long, or a value in it would break its lines" ] ||
	defect "long: last_error '$got'"
ctl_ok a stop long

# Values that could not go into a request are refused when given.
bad_start() {
	local want=$1 out
	shift
	if out=$(ctl a start recv ws://127.0.0.1:1/ "$@" 2>&1); then
		defect "start recv $* was accepted"
	elif [[ $out != *"$want"* ]]; then
		defect "start recv $*: '$out', expected '$want'"
	fi
}
bad_start "--header 'Host: x': a header the handshake sets itself" --header 'Host: x'
bad_start "--header 'X-A 1': not a 'Name: value' header" --header 'X-A 1'
bad_start "--protocol 'a b': not a token" --protocol 'a b'
bad_start "--origin 'http://a b': not visible ASCII" --origin 'http://a b'
finish
