#!/bin/bash
# SPDX-License-Identifier: ISC
# A slow path between a push job and a recv job: the two daemons in two
# network namespaces joined by a veth pair whose server side is limited
# by tbf, and a proxy on the way that stalls connections for seconds at
# random.  No connection is dropped, the resident memory of both daemons
# stays bounded, and once the push job is finished (stop --keep), on the
# slow path still, the messages received are exactly the messages sent:
# push's own count and those that went through the proxy.  Needs root and
# `ip netns` (skipped, 77, without).
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

N=20			# connections
LOAD_S=15		# seconds of load
RATE=16mbit		# the tbf limit, server to client
# The resident memory of each daemon may grow this much (KiB) over idle.
RSS_SLACK_KIB=${RSS_SLACK_KIB:-16384}

command -v ip >/dev/null || fail "ip is missing (iproute2)"
command -v tc >/dev/null || fail "tc is missing (iproute2)"
nss=wsbs$$ nsc=wsbc$$
netns_add "$nss"
netns_add "$nsc"
ip link add "$nss" type veth peer name "$nsc" || fail "ip link add veth"
for ns in "$nss" "$nsc"; do
	ip link set "$ns" netns "$ns" || fail "moving $ns into its namespace"
	ip -n "$ns" link set "$ns" up || fail "$ns up"
done
ip -n "$nss" addr add 10.201.0.1/24 dev "$nss" || fail "address on $nss"
ip -n "$nsc" addr add 10.201.0.2/24 dev "$nsc" || fail "address on $nsc"
tc -n "$nss" qdisc add dev "$nss" root tbf rate "$RATE" burst 32kb \
	latency 200ms || fail "tc qdisc add tbf"
# Socket buffers of at most 256 KiB, so that what the path holds at the
# end drains through it in seconds.
for ns in "$nss" "$nsc"; do
	ip netns exec "$ns" sysctl -qw net.ipv4.tcp_rmem="4096 131072 262144" \
		net.ipv4.tcp_wmem="4096 16384 262144" ||
		fail "sysctl tcp_rmem, tcp_wmem in $ns"
done
note "namespaces $nss (push, proxy) and $nsc (recv), veth limited to $RATE"

# wsbenchd inside a namespace: the same PID (ip netns exec execs).
real_wsbenchd=$WSBENCHD
in_ns() {
	printf '#!/bin/sh\nexec ip netns exec %s "%s" "$@"\n' "$1" \
		"$real_wsbenchd" >"$WORK/wsbenchd-$1"
	chmod +x "$WORK/wsbenchd-$1"
	WSBENCHD=$WORK/wsbenchd-$1
}
in_ns "$nss"
start_daemon s
in_ns "$nsc"
start_daemon c
WSBENCHD=$real_wsbenchd

rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/${DAEMON_PID[$1]}/status"; }
rss_s0=$(rss s) rss_c0=$(rss c)

SIZE=5			# bytes of payload: frames of 7 bytes, more than a close
start_push s p --size "$SIZE"
spawn ip netns exec "$nss" "$PYTHON3" "$HELPERS/slow_proxy.py" 10.201.0.1 \
	"$PUSH_PORT" 3 $((SIZE + 2)) >"$WORK/proxy.out" 2>"$WORK/proxy.err"
proxy=$LAST_PID
wait_until 10 '[ -s "$WORK/proxy.out" ]' ||
	fail "slow_proxy.py did not start: $(cat "$WORK/proxy.err")"
pport=$(head -n 1 "$WORK/proxy.out")
start_recv c r "ws://10.201.0.1:$pport/" --connections "$N"
wait_until 20 '[ "$(num_of c r connections)" -eq $N ]' ||
	fail "r has $(num_of c r connections) of $N connections"

note "$LOAD_S s of load"
rss_s=0 rss_c=0
for _ in $(seq "$LOAD_S"); do
	sleep 1
	v=$(rss s) && [ "$v" -gt "$rss_s" ] && rss_s=$v
	v=$(rss c) && [ "$v" -gt "$rss_c" ] && rss_c=$v
done
note "RSS KiB, idle -> peak: push daemon $rss_s0 -> $rss_s, recv daemon $rss_c0 -> $rss_c"
[ "$rss_s" -le $((rss_s0 + RSS_SLACK_KIB)) ] ||
	defect "push daemon RSS $rss_s KiB, over $rss_s0 + $RSS_SLACK_KIB"
[ "$rss_c" -le $((rss_c0 + RSS_SLACK_KIB)) ] ||
	defect "recv daemon RSS $rss_c KiB, over $rss_c0 + $RSS_SLACK_KIB"
for k in connections:"$N" connections_opened:"$N" connection_errors:0 reconnects:0; do
	v=$(stat_of c r "${k%%:*}") || fail "stats r"
	[ "$v" -eq "${k#*:}" ] || defect "recv ${k%%:*} $v, expected ${k#*:}"
done
expect_stat s p connections == "$N"
bytes=$(stat_of c r bytes_received) || fail "stats r"
note "recv: $N connections kept, $((bytes / LOAD_S / 1000)) kB/s on average"

# Finish the source while the path is still slow, once the stalls have
# run out: its closes wait while the path takes what it queued, and its
# count, read once it is finished, is exact.
kill -USR1 "$proxy"
sleep 4
ctl_ok s stop --keep p
wait_until 60 '[ "$(stat_of s p state)" = finished ]' ||
	fail "push job p not finished 60 s after stop --keep"
sent=$(stat_of s p messages_sent) || fail "stats p"
note "push job p finished"
# What the path still holds reaches recv meanwhile.
got=-1
for _ in $(seq 60); do
	v=$(stat_of c r messages_received) || fail "stats r"
	[ "$v" -eq "$got" ] && break
	got=$v
	sleep 1
done
ctl_ok c stop r
kill -TERM "$proxy"
wait_pid "$proxy" 10 || fail "slow_proxy.py does not exit"
read -r _ conns _ stalls _ wire < <(tail -n 1 "$WORK/proxy.out")
note "proxy: $conns connections, $stalls stalls, $wire messages through"
note "push counted $sent messages sent, recv $got received"
[ "$stalls" -gt 0 ] || defect "the proxy never stalled"
[ "$got" -eq "$wire" ] || defect "recv received $got messages, $wire went through"
[ "$sent" -eq "$wire" ] || defect "push counted $sent messages sent, $wire went through"
finish
