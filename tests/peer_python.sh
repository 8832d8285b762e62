#!/bin/bash
# SPDX-License-Identifier: ISC
# Interoperability with an independent implementation, python3-websockets:
# (1) our push server -> the Python client (peer_client.py);
# (2) the Python server (peer_server.py) -> our recv job;
# (3) permessage-deflate: our push and echo with the Python client, our
#     recv with the Python server (peer_deflate.py).
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

N=1000

"$PYTHON3" -c 'import websockets' 2>"$WORK/import.err" ||
	fail "$PYTHON3 cannot import websockets (Debian package python3-websockets): $(cat "$WORK/import.err")"

# client TAG ARG...: runs peer_client.py (bounded); sets CLIENT_RC and
# CLIENT_TOTAL (the messages it got in all).
CLIENT_RC=
CLIENT_TOTAL=
client() {
	local tag=$1
	shift
	run_bounded 40 "$PYTHON3" "$HELPERS/peer_client.py" "$@" \
		>"$WORK/client.$tag.out" 2>"$WORK/client.$tag.err"
	CLIENT_RC=$?
	CLIENT_TOTAL=$(tail -n 1 "$WORK/client.$tag.out")
	sed "s/^/    [$tag] /" "$WORK/client.$tag.err"
}

# client_ok TAG ARG...: the client must succeed.
client_ok() {
	client "$@"
	[ "$CLIENT_RC" -eq 0 ] ||
		fail "peer_client.py $* exited $CLIENT_RC: $(cat "$WORK/client.$1.err")"
	is_uint "$CLIENT_TOTAL" || fail "peer_client.py $*: printed '$CLIENT_TOTAL', not a count"
	[ "$CLIENT_TOTAL" -ge "$N" ] ||
		fail "peer_client.py $*: printed '$CLIENT_TOTAL', expected a count >= $N"
}

# after_client ID JOB ERRORS: once the client is gone, JOB has no
# connection, the expected connection_errors, and counted as sent exactly
# what the client received.
after_client() {
	local id=$1 job=$2 errors=$3
	wait_until 10 '[ "$(num_of "$id" "$job" connections)" -eq 0 ]' ||
		fail "$job still has $(num_of "$id" "$job" connections) connections after the client left"
	expect_stat "$id" "$job" connection_errors == "$errors"
	expect_stat "$id" "$job" messages_sent == "$CLIENT_TOTAL"
}

# --- (1) our push server, the Python client ------------------------------------

start_daemon a
start_push a p
url=ws://127.0.0.1:$PUSH_PORT/

# N messages, each exactly "yo" as text; a ping answered; a normal close
# (1000, answered with 1000): no connection error, and messages_sent is
# exactly what the client got, those in flight at the close included.
client_ok yo "$url" --count "$N" --expect-text yo --ping
after_client a p 0
note "ok: the Python client got $CLIENT_TOTAL x 'yo'; no connection error"

# The negative: a client that drops TCP without a close frame is counted
# as a connection error (so the 0 above means something).
client_ok abort "$url" --count "$N" --abort
wait_until 10 '[ "$(num_of a p connection_errors)" -eq 1 ]' ||
	fail "a dropped connection is not counted: connection_errors $(num_of a p connection_errors)"
wait_until 10 '[ "$(num_of a p connections)" -eq 0 ]' ||
	fail "p still has connections after the client dropped"
# A client expecting another message must notice: the checks bite.
client bad "$url" --count 10 --expect-text ya --timeout 10
[ "$CLIENT_RC" -eq 1 ] ||
	fail "peer_client.py --expect-text ya on 'yo' exited $CLIENT_RC, expected 1"
stop_job a p

# Binary frames, generated text of 1024 bytes, and a UTF-8 text.
start_push a pbin --binary
client_ok bin "ws://127.0.0.1:$PUSH_PORT/" --count "$N" --expect-binary-size 2
after_client a pbin 0
stop_job a pbin
start_push a psize --size 1024
client_ok size "ws://127.0.0.1:$PUSH_PORT/" --count "$N" --expect-text-size 1024
after_client a psize 0
stop_job a psize
start_push a putf8 --msg 'héllo wörld ✓'
client_ok utf8 "ws://127.0.0.1:$PUSH_PORT/" --count "$N" --expect-text 'héllo wörld ✓'
after_client a putf8 0
stop_job a putf8
note "ok: binary, --size and UTF-8 messages"

# --- (2) the Python server, our recv job -----------------------------------------

for conns in 1 3; do
	tag=c$conns
	want=$((conns * N))
	# Pings every 0.5 s: a missing pong would close with 1011, and the
	# reconnection would bring N more messages.
	start_peer_server "$tag" --messages "$N" --expect-clients "$conns" \
		--expect-close-code 1001 --expect-path '/feed?x=1' --ping-interval 0.5
	start_recv a "r$tag" "ws://127.0.0.1:$SERVER_PORT/feed?x=1" --connections "$conns"
	wait_until 20 '[ "$(num_of a "r$tag" messages_received)" -ge "$want" ]' ||
		fail "r$tag received $(num_of a "r$tag" messages_received) messages, expected $want"
	# Idle for a while, across pings: still exactly N a connection.
	sleep 2
	expect_stat a "r$tag" messages_received == "$want"
	expect_stat a "r$tag" connections == "$conns"
	expect_stat a "r$tag" connection_errors == 0
	expect_stat a "r$tag" reconnects == 0
	expect_stat a "r$tag" messages_sent == 0
	wait_until 5 '[ "$(num_of a "r$tag" messages_received_per_second)" -eq 0 ]' ||
		fail "r$tag messages_received_per_second stays $(num_of a "r$tag" messages_received_per_second) with nothing arriving"
	note "ok: r$tag received exactly $want messages on $conns connections"
	stop_job a "r$tag"
	peer_server_verdict "$tag"
done

# --- (3) permessage-deflate, both ways -------------------------------------------

# deflate_peer TAG ARG...: runs peer_deflate.py (bounded), which must
# succeed; sets CLIENT_TOTAL to the count it printed.
deflate_peer() {
	local tag=$1
	shift
	run_bounded 60 "$PYTHON3" "$HELPERS/peer_deflate.py" "$@" \
		>"$WORK/deflate.$tag.out" 2>"$WORK/deflate.$tag.err" ||
		fail "peer_deflate.py $* failed: $(cat "$WORK/deflate.$tag.err")"
	sed "s/^/    [$tag] /" "$WORK/deflate.$tag.err"
	CLIENT_TOTAL=$(tail -n 1 "$WORK/deflate.$tag.out")
	is_uint "$CLIENT_TOTAL" || fail "peer_deflate.py $*: printed '$CLIENT_TOTAL'"
}

# wire_per_msg ID JOB DIR: wire bytes a message (times 10), DIR sent or
# received; the handshake and the close are noise next to 1000s.
wire_per_msg() {
	echo $(($(num_of "$1" "$2" "bytes_$3") * 10 / $(num_of "$1" "$2" "messages_$3")))
}

# Our push, the Python client offering each parameter combination: the
# client checks that what it asked of the server holds and the messages
# inflate right.  Without context every copy is the precompressed frame;
# with context each copy is compressed in turn, and after the first it is
# little more than a back-reference: fewer bytes a message.
msg='hello hello wsbench deflate hello'
start_push a pzctx --deflate --msg "$msg"
ctx_port=$PUSH_PORT
start_push a pznoctx --deflate --msg "$msg"
sent_ctx=0 sent_noctx=0
for offer in "" "client_max_window_bits" \
	"server_max_window_bits=10; client_no_context_takeover" \
	"server_no_context_takeover" \
	"server_no_context_takeover; server_max_window_bits=9" \
	"server_no_context_takeover; client_no_context_takeover; server_max_window_bits=15; client_max_window_bits=12"; do
	case $offer in
	*server_no_context_takeover*) port=$PUSH_PORT job=pznoctx ;;
	*) port=$ctx_port job=pzctx ;;
	esac
	deflate_peer push push "ws://127.0.0.1:$port/" --offer "$offer" \
		--count "$N" --expect-text "$msg"
	[ "$CLIENT_TOTAL" -ge "$N" ] || fail "offer '$offer': got $CLIENT_TOTAL messages"
	if [ $job = pzctx ]; then
		sent_ctx=$((sent_ctx + CLIENT_TOTAL))
	else
		sent_noctx=$((sent_noctx + CLIENT_TOTAL))
	fi
done
wait_until 10 '[ "$(num_of a pzctx connections)$(num_of a pznoctx connections)" = 00 ]' ||
	fail "push jobs keep connections after the clients left"
expect_stat a pzctx messages_sent == "$sent_ctx"
expect_stat a pznoctx messages_sent == "$sent_noctx"
for job in pzctx pznoctx; do
	expect_stat a $job connection_errors == 0
	expect_stat a $job payload_bytes_sent == $(($(num_of a $job messages_sent) * ${#msg}))
done
ctx=$(wire_per_msg a pzctx sent) noctx=$(wire_per_msg a pznoctx sent)
[ "$noctx" -lt $((${#msg} * 10)) ] ||
	fail "without context a copy takes $noctx/10 bytes, not under ${#msg}"
[ "$ctx" -lt $((noctx / 2)) ] ||
	fail "with context a copy takes $ctx/10 bytes, without $noctx/10: not compressed per send?"
note "ok: push to the Python client, 6 offers; $ctx/10 bytes a copy with context, $noctx/10 without, ${#msg} plain"
stop_job a pzctx
stop_job a pznoctx

# Our echo: text and binary of 16 B to 1 MiB, twice each, per offer.
start_echo_port=$(ctl a start echo --port 0 --name ez --deflate 2>&1) ||
	fail "start echo: $start_echo_port"
echo_url=ws://127.0.0.1:${start_echo_port##*:}/
for offer in "" "server_no_context_takeover; client_no_context_takeover" \
	"server_max_window_bits=9; client_max_window_bits"; do
	deflate_peer echo echo "$echo_url" --offer "$offer"
done
expect_stat a ez connection_errors == 0
expect_stat a ez payload_bytes_sent == "$(num_of a ez payload_bytes_received)"
[ "$(num_of a ez bytes_received)" -lt "$(num_of a ez payload_bytes_received)" ] ||
	fail "echo: received $(num_of a ez bytes_received) wire bytes for $(num_of a ez payload_bytes_received) of payload"
note "ok: echo through deflate, 3 offers"
stop_job a ez

# The Python server, our recv offering deflate: with context takeover
# (our inflater keeps its window) and without.
for accept in "" "server_no_context_takeover"; do
	spawn "$PYTHON3" "$HELPERS/peer_deflate.py" serve --accept "$accept" \
		--messages "$N" --message "$msg" >"$WORK/dserve.out" 2>"$WORK/dserve.err"
	pid=$LAST_PID
	wait_until 15 '[ -s "$WORK/dserve.out" ]' || fail "peer_deflate.py serve did not start"
	url=ws://127.0.0.1:$(head -n 1 "$WORK/dserve.out")/
	start_recv a rz "$url" --deflate-offer "${accept:+$accept; }client_max_window_bits"
	wait_until 20 '[ "$(num_of a rz messages_received)" -ge "$N" ]' ||
		fail "rz received $(num_of a rz messages_received) messages, expected $N"
	expect_stat a rz messages_received == "$N"
	expect_stat a rz payload_bytes_received == $((N * ${#msg}))
	expect_stat a rz connection_errors == 0
	[ "$(num_of a rz bytes_received)" -lt $((N * ${#msg})) ] ||
		fail "rz: $(num_of a rz bytes_received) wire bytes for $((N * ${#msg})) of payload"
	stop_job a rz
	kill -TERM "$pid"
	wait_pid "$pid" 15 || fail "peer_deflate.py serve does not exit"
	[ "$WAIT_RC" -eq 0 ] || fail "peer_deflate.py serve: $(cat "$WORK/dserve.err")"
	note "ok: recv from the Python server, accepting '$accept'"
done

stop_daemon a
note "pass"
