#!/bin/bash
# SPDX-License-Identifier: ISC
# Interoperability with Node's `ws` (the version pinned in
# tests/helpers/node/package-lock.json, installed into the workspace by npm ci):
# (1) our push server -> the ws client (tests/helpers/node/push_client.js), for
#     text, binary, generated and UTF-8 messages, from 2 bytes to 1 MiB;
# (2) our echo server -> the ws client (tests/helpers/node/echo_client.js): text
#     and binary of every length form, whole and fragmented, and a burst;
# (3) both again with permessage-deflate (--deflate), ws offering each
#     parameter combination.
# Each cell is reported with `note`; failures are collected, then `finish`.
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
# shellcheck source=helpers/node/setup.sh
. "$HELPERS/node/setup.sh"

N=1000

node_setup

# stat_is ID JOB KEY OP VALUE CELL: like expect_stat, but records a defect.
stat_is() {
	local v
	if ! v=$(stat_of "$1" "$2" "$3") || ! is_uint "$v"; then
		defect "$6: cannot read $3 of $2"
		return 1
	fi
	(("v $4 $5")) || {
		defect "$6: $2 $3 is $v, expected $4 $5"
		return 1
	}
}

# push_cell TAG COUNT 'PUSH ARGS' CLIENT ARG...: a push job with PUSH ARGS,
# the node client receiving COUNT messages (and checking them), a ping, a
# close with 1000; the job must have no connection left, no connection
# error, and have sent exactly what the client got.
push_cell() {
	local tag=$1 count=$2 push_args=$3 job=p$1 ok=1
	shift 3
	# shellcheck disable=SC2086 # PUSH ARGS are words
	start_push a "$job" $push_args
	client "$tag" push_client.js "ws://127.0.0.1:$PUSH_PORT/" --count "$count" \
		--ping "$@"
	if [ "$CLIENT_RC" -ne 0 ]; then
		defect "push $tag ($push_args): push_client.js exited $CLIENT_RC"
		ok=0
	elif ! is_uint "$CLIENT_TOTAL" || [ "$CLIENT_TOTAL" -lt "$count" ]; then
		defect "push $tag: the client printed '$CLIENT_TOTAL', expected a count >= $count"
		ok=0
	fi
	wait_until 10 '[ "$(num_of a "$job" connections)" -eq 0 ]' || {
		defect "push $tag: $job still has $(num_of a "$job" connections) connections after the client left"
		ok=0
	}
	stat_is a "$job" connection_errors == 0 "push $tag" || ok=0
	if [ "$ok" = 1 ]; then
		stat_is a "$job" messages_sent == "$CLIENT_TOTAL" "push $tag" || ok=0
	fi
	stop_job a "$job"
	[ "$ok" = 1 ] &&
		note "cell push/$tag ($push_args): ok, ws got $CLIENT_TOTAL good messages, ping answered, close 1000 answered with 1000"
}

start_daemon a

# --- (1) our push server, the ws client --------------------------------------

push_cell yo "$N" "" --expect-text yo
push_cell bin "$N" "--binary" --expect-binary-size 2
push_cell kib "$N" "--size 1024" --expect-text-size 1024
push_cell utf8 "$N" "--msg héllo_wörld_✓" --expect-text 'héllo_wörld_✓'
push_cell bin64k 200 "--binary --size 65536" --expect-binary-size 65536
push_cell mib 20 "--size 1048576" --expect-text-size 1048576

# The negatives: a client that drops TCP without a close frame is counted
# as a connection error (so the 0s above mean something), and a client
# expecting another message notices (so its checks bite).
start_push a pneg
note "negatives: the clients below must report a failure"
client abort push_client.js "ws://127.0.0.1:$PUSH_PORT/" --count "$N" --abort
[ "$CLIENT_RC" -eq 0 ] || defect "negative abort: push_client.js --abort exited $CLIENT_RC"
wait_until 10 '[ "$(num_of a pneg connection_errors)" -eq 1 ]' ||
	defect "negative abort: a dropped connection is not counted: connection_errors $(num_of a pneg connection_errors)"
client bad push_client.js "ws://127.0.0.1:$PUSH_PORT/" --count 10 --expect-text ya --timeout 10
[ "$CLIENT_RC" -eq 1 ] ||
	defect "negative: push_client.js --expect-text ya on 'yo' exited $CLIENT_RC, expected 1"
client badbin push_client.js "ws://127.0.0.1:$PUSH_PORT/" --count 10 --expect-binary-size 2 --timeout 10
[ "$CLIENT_RC" -eq 1 ] ||
	defect "negative: push_client.js --expect-binary-size 2 on text exited $CLIENT_RC, expected 1"
stop_job a pneg
note "negatives: a dropped connection counts as an error, wrong messages fail the client"

# --- (2) our echo server, the ws client --------------------------------------

start_echo a e 2>&1
eport=$ECHO_PORT

client echo echo_client.js "ws://127.0.0.1:$eport/"
if [ "$CLIENT_RC" -ne 0 ] || ! is_uint "$CLIENT_TOTAL"; then
	defect "echo: echo_client.js exited $CLIENT_RC, printed '$CLIENT_TOTAL'"
else
	ok=1
	wait_until 10 '[ "$(num_of a e connections)" -eq 0 ]' || {
		defect "echo: e kept a connection after the client left"
		ok=0
	}
	stat_is a e messages_received == "$CLIENT_TOTAL" echo || ok=0
	stat_is a e messages_sent == "$CLIENT_TOTAL" echo || ok=0
	stat_is a e connection_errors == 0 echo || ok=0
	[ "$ok" = 1 ] &&
		note "cell echo: ok, $CLIENT_TOTAL messages (text and binary, 0 B to 1 MiB, whole and fragmented with pings between fragments, a burst) echoed equal, every ping answered; close 1000 answered with 1000"
fi
# The negative: a wrong expectation fails the client.
client echobad echo_client.js "ws://127.0.0.1:$eport/" --corrupt --timeout 20
[ "$CLIENT_RC" -eq 1 ] ||
	defect "negative: echo_client.js --corrupt exited $CLIENT_RC, expected 1"
stop_job a e

# --- (3) permessage-deflate ---------------------------------------------------

# The same push cells with ws offering deflate: with context takeover our
# push compresses each copy in turn (after the first, a copy is mostly a
# reference to the one before), without it sends the precompressed frame.
# The message is 4400 random base64 characters: small copies would put
# hundreds of thousands of messages in flight at the close, which ws
# inflates one by one.
zmsg=$(head -c 3300 /dev/urandom | base64 -w 0) zcell=0
for spec in "" "client_max_window_bits" "server_no_context_takeover" \
	"server_no_context_takeover; client_no_context_takeover" \
	"server_max_window_bits=9; client_max_window_bits=10" \
	"server_no_context_takeover; server_max_window_bits=12"; do
	tag=z$((++zcell))
	push_cell "$tag" "$N" "--deflate --msg $zmsg" --expect-text "$zmsg" \
		--deflate "$spec"
done
push_cell zmib 20 "--deflate --size 1048576" --expect-text-size 1048576 \
	--deflate "server_no_context_takeover"

out=$(ctl a start echo --port 0 --name ez --deflate 2>&1) || fail "start echo: $out"
eport=${out##*:}
for spec in "" "server_no_context_takeover; client_no_context_takeover" \
	"server_max_window_bits=10"; do
	client echoz echo_client.js "ws://127.0.0.1:$eport/" --deflate "$spec"
	if [ "$CLIENT_RC" -ne 0 ] || ! is_uint "$CLIENT_TOTAL"; then
		defect "echo deflate '$spec': echo_client.js exited $CLIENT_RC"
	else
		note "cell echo/deflate '$spec': ok, $CLIENT_TOTAL compressed messages echoed equal"
	fi
done
wait_until 10 '[ "$(num_of a ez connections)" -eq 0 ]' ||
	defect "echo deflate: ez kept a connection"
stat_is a ez connection_errors == 0 "echo deflate"
stat_is a ez payload_bytes_sent == "$(num_of a ez payload_bytes_received)" "echo deflate"
stat_is a ez bytes_received "<" "$(num_of a ez payload_bytes_received)" "echo deflate"
stop_job a ez

stop_daemon a
finish
