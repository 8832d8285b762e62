#!/usr/bin/env bash
# Measures wsbenchd against itself on loopback: a push job and a recv job,
# in one daemon and then in two, reporting the median of three 5-second
# samples of messages received per second.
#   bench/selfpair.sh BUILDDIR [MESSAGE_SIZE]
set -euo pipefail
build=${1:?usage: bench/selfpair.sh BUILDDIR [MESSAGE_SIZE]}
size=${2:-}
wsbenchd=$build/src/wsbenchd
wsbenchctl=$build/src/wsbenchctl
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

daemon() {
	"$wsbenchd" -f /dev/null -s "$work/$1.sock" -m "127.0.0.1:$(free_port)" \
		2>"$work/$1.log" &
	pids+=($!)
	for _ in $(seq 50); do
		"$wsbenchctl" -s "$work/$1.sock" version >/dev/null 2>&1 && return
		sleep 0.1
	done
	echo "wsbenchd $1 did not start" >&2
	exit 1
}

# Prints the median of three 5-second rates of messages received by recv.
measure() {
	local sock=$1 a b rates=()
	sleep 2
	for _ in 1 2 3; do
		a=$("$wsbenchctl" -s "$sock" stats recv | awk '$1=="messages_received"{print $2}')
		sleep 5
		b=$("$wsbenchctl" -s "$sock" stats recv | awk '$1=="messages_received"{print $2}')
		rates+=($(( (b - a) / 5 )))
	done
	printf '%s\n' "${rates[@]}" | sort -n | sed -n 2p
}

msg=(--msg yo)
[ -n "$size" ] && msg=(--size "$size")
port=$(free_port)
url=ws://127.0.0.1:$port/

daemon one
"$wsbenchctl" -s "$work/one.sock" start push "${msg[@]}" --port "$port" --name push >/dev/null
"$wsbenchctl" -s "$work/one.sock" start recv "$url" --name recv >/dev/null
echo "one daemon:  $(measure "$work/one.sock") messages/s"
"$wsbenchctl" -s "$work/one.sock" stop recv >/dev/null

daemon two
"$wsbenchctl" -s "$work/two.sock" start recv "$url" --name recv >/dev/null
echo "two daemons: $(measure "$work/two.sock") messages/s"
