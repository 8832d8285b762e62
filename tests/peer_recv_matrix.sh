#!/bin/bash
# SPDX-License-Identifier: ISC
# The recv job against servers nobody here wrote, a cell per
# peer x type x size x fragmentation:
#   peers: python3-websockets (tests/recv_matrix_server.py, with $PYTHON3)
#          and Node's `ws` (tests/helpers/node/recv_server.js, pinned in
#          tests/helpers/node/package-lock.json);
#   types: text (UTF-8 with characters of 1 to 4 bytes) and binary;
#   sizes: 2 bytes, 1 KiB, 1 MiB;
#   whole, or fragmented (frames cut at 1, 125, 126 bytes and 64 KiB, then
#   the rest: python cuts text at characters and ends with an empty frame,
#   ws cuts text inside characters), and for ws also "pinged": fragmented
#   with a ping between every two fragments, each to be answered.
# In each cell the server sends exactly M messages on each of its first
# SERVE connections, closes each with 1000, and reports what it sent and
# the close code our recv job answered with; the recv job reconnects after
# each close, and its last connection gets nothing.  Then the job must have
# counted exactly the messages sent, at least their frames' bytes (and not
# much more), no connection error, one reconnect per close, and answered
# every close with 1000 (and every ping with a pong).
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
TEST_TIMEOUT=${TEST_TIMEOUT:-240}
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
# shellcheck source=helpers/node/setup.sh
. "$HELPERS/node/setup.sh"

SERVE=2			# connections served M messages each, per cell
SIZES="2 1024 1048576"
# Messages a served connection, by size.
declare -A M=([2]=1000 [1024]=1000 [1048576]=20)

"$PYTHON3" -c 'import websockets' 2>"$WORK/import.err" ||
	fail "$PYTHON3 cannot import websockets (Debian package python3-websockets): $(cat "$WORK/import.err")"
node_setup
start_daemon a

# served_sum FILE: sums the `served` lines of a server's output: prints
# "CONNECTIONS MESSAGES PAYLOAD_BYTES FRAME_BYTES CODES UNANSWERED" (the
# close codes joined with commas; the pings without a pong).
served_sum() {
	awk '$1 == "served" { n++; m += $3; p += $4; f += $5; u += $7
		c = c (c == "" ? "" : ",") $6 }
		END { printf "%d %d %d %d %s %d\n", n, m, p, f, (c == "" ? "-" : c), u }' "$1"
}

# cell PEER TYPE SIZE FRAG: one cell of the matrix (FRAG: whole,
# fragmented or pinged); failures are defects.
cells=0
cell() {
	local peer=$1 type=$2 size=$3 frag=$4 m=${M[$3]}
	local tag=$peer-$type-$size-$frag job out err port n_served sent payload
	local frames codes unanswered want_codes v bytes ok=1 frag_arg=() server
	tag=$peer-$type-$size-$frag
	job=r$((++cells))
	out=$WORK/srv.$tag.out
	err=$WORK/srv.$tag.err
	case $frag in
	fragmented) frag_arg=(--fragmented) ;;
	pinged) frag_arg=(--fragmented --ping-between) ;;
	esac
	case $peer in
	python) server=("$PYTHON3" "$HELPERS/recv_matrix_server.py") ;;
	node) server=(node "$NODE_DIR/recv_server.js") ;;
	esac
	spawn "${server[@]}" --type "$type" --size "$size" --messages "$m" \
		--serve "$SERVE" "${frag_arg[@]}" --timeout 60 >"$out" 2>"$err"
	local spid=$LAST_PID
	wait_until 15 '[ -s "$out" ] || ! alive $spid'
	port=$(head -n 1 "$out")
	if ! is_uint "$port"; then
		defect "$tag: the server did not print its port: $(cat "$err")"
		kill_pid "$spid"
		return
	fi
	start_recv a "$job" "ws://127.0.0.1:$port/"
	# Every served connection closed, and the job back on an idle one.
	wait_until 60 '[ "$(grep -c "^served" "$out")" -ge "$SERVE" ] &&
		grep -q "^idle" "$out" && [ "$(num_of a "$job" connections)" -eq 1 ]' || {
		defect "$tag: after 60 s the server reports $(grep -c "^served" "$out") of $SERVE connections served$(grep -q '^idle' "$out" || echo ", no reconnection"); the job has $(num_of a "$job" connections) connections, $(num_of a "$job" messages_received) messages"
		ok=0
	}
	read -r n_served sent payload frames codes unanswered <<<"$(served_sum "$out")"
	want_codes=$(printf '1000,%.0s' $(seq "$SERVE"))
	want_codes=${want_codes%,}
	if [ "$ok" = 1 ]; then
		if [ "$n_served" -ne "$SERVE" ] || [ "$sent" -ne $((SERVE * m)) ]; then
			defect "$tag: the server served $n_served connections, $sent messages, expected $SERVE and $((SERVE * m))"
			ok=0
		fi
		[ "$codes" = "$want_codes" ] || {
			defect "$tag: the job answered the server's close 1000 with $codes, expected $want_codes"
			ok=0
		}
		[ "$unanswered" -eq 0 ] || {
			defect "$tag: $unanswered pings between fragments were not answered"
			ok=0
		}
		# The messages are all in before the close is answered; a moment
		# more shows that nothing else is counted.
		sleep 0.3
		v=$(num_of a "$job" messages_received)
		[ "$v" -eq "$sent" ] || {
			defect "$tag: messages_received is $v, the server sent $sent"
			ok=0
		}
		bytes=$(num_of a "$job" bytes_received)
		v=$bytes
		if [ "$v" -lt "$frames" ] || [ "$v" -gt $((frames + (SERVE + 1) * 1024)) ]; then
			defect "$tag: bytes_received is $v, expected the $frames bytes of the data (and ping) frames and at most $(((SERVE + 1) * 1024)) more (handshakes, close frames)"
			ok=0
		fi
		if [ "$frames" -lt "$payload" ] || [ "$payload" -ne $((sent * size)) ]; then
			defect "$tag: the server reports $frames frame bytes for $payload payload bytes"
		fi
		v=$(num_of a "$job" connection_errors)
		[ "$v" -eq 0 ] || {
			defect "$tag: connection_errors is $v after clean closes, expected 0"
			ok=0
		}
		v=$(num_of a "$job" reconnects)
		[ "$v" -eq "$SERVE" ] || {
			defect "$tag: reconnects is $v after $SERVE closes, expected $SERVE"
			ok=0
		}
	fi
	stop_job a "$job"
	kill -TERM "$spid" 2>/dev/null
	if ! wait_pid "$spid" 10; then
		defect "$tag: the server does not exit on SIGTERM"
		kill_pid "$spid"
	elif [ "$WAIT_RC" -ne 0 ]; then
		defect "$tag: the server exited $WAIT_RC: $(tail -n 5 "$err")"
		ok=0
	fi
	if [ "$ok" = 1 ]; then
		note "cell $tag: ok, $sent messages on $SERVE connections counted exactly, bytes_received $bytes for $frames bytes of frames ($payload of payload); closes 1000 answered with $codes$([ "$frag" = pinged ] && echo ", every ping answered")"
	else
		sed "s/^/    [$tag] /" "$err"
	fi
}

for peer in python node; do
	for type in text binary; do
		for size in $SIZES; do
			frags="whole fragmented"
			[ "$peer" = node ] && frags="$frags pinged"
			for frag in $frags; do
				cell "$peer" "$type" "$size" "$frag"
			done
		done
	done
done

stop_daemon a
finish
