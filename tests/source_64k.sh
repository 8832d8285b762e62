#!/bin/bash
# SPDX-License-Identifier: ISC
# --source at scale: one recv job with --source 127.0.0.2,127.0.0.3 opens
# N = 64,600 connections to one push job on 127.0.0.1:80, more than the
# 64,512 ports of one address could give to one destination.  In a
# network namespace of its own (lo, the local port range widened to
# 1024-65535, the machine's sysctls untouched), a push daemon and a recv
# daemon, each with a descriptor limit of N and some.  The recv job reaches N
# connections and the push job N; ss counts N/2 established from each
# source address to the push port; every connection receives messages
# (--rate 1: its bytes received grow between two looks); at most N/1000
# connection errors; once the recv job is stopped no connection is left
# and the daemons' descriptors are back to what they were.  Prints N, the
# time to open them, the count per address, the daemons' RSS and
# descriptors.  A hard descriptor limit under N and some that root can
# not raise (no CAP_SYS_RESOURCE, as in some containers) leaves the most
# it allows, both addresses' ports used, and the log says so.  Needs root
# and `ip netns` (skipped, 77, without).
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
TEST_TIMEOUT=${TEST_TIMEOUT:-300}
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

# Connections: past the 64,512 ports of one address, yet each address's
# half within the even ports of the range.  Linux's connect() takes an
# even port while there is one, and looks at every even port before it
# takes an odd one: past half the range each connect costs a scan of
# them all, here 30 ms a connect under load, 40 s for the last 1,500 of
# 66,000 over two addresses.  Half of 64,600 is 44 ports short of it.
N=${SOURCE_64K_N:-64600}
# Connections opened a second: fast, yet not so fast that the push
# server's accept queue overflows on a loaded machine (a SYN dropped
# there is retried after 1, 3, 7 s, past the 10 s handshake timeout).
CONNECT_RATE=${SOURCE_64K_RATE:-3000}
SPARE_FDS=1024		# descriptors a daemon needs besides the connections
PORTS="1024 65535"	# the namespace's local port range: 64512 ports

command -v ip >/dev/null || fail "ip is missing (iproute2)"
command -v ss >/dev/null || fail "ss is missing (iproute2)"
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root (a network namespace, a raised descriptor limit)"
	exit 77
fi
# A sanitized daemon does each handshake several times slower.
if [ -z "${SOURCE_64K_RATE:-}" ] &&
	nm "$WSBENCHD" 2>/dev/null | grep -q __asan_init; then
	CONNECT_RATE=1000
	note "AddressSanitizer build: $CONNECT_RATE connections a second"
fi
ns=ws64k$$
netns_add "$ns"

# The descriptor limit, for this shell and so for the daemons it starts
# (wsbenchd raises its soft limit to the hard one itself).  Root may go
# up to fs.nr_open, given CAP_SYS_RESOURCE.
want=$((N + SPARE_FDS))
nr_open=$(cat /proc/sys/fs/nr_open)
[ "$want" -le "$nr_open" ] || want=$nr_open
ulimit -n "$want" 2>/dev/null || ulimit -n "$(ulimit -Hn)" ||
	fail "cannot raise the soft descriptor limit to the hard one"
fds=$(ulimit -n)
if [ "$fds" -lt "$((N + SPARE_FDS))" ]; then
	N=$(((fds - SPARE_FDS) / 2 * 2))
	[ "$N" -ge 2000 ] || fail "a descriptor limit of $fds leaves too few"
	note "the hard descriptor limit is $fds, and root cannot raise it" \
		"(CAP_SYS_RESOURCE?): $N connections, not more than 64,000;" \
		"both addresses' ports used"
fi
# Handshakes that time out all the same, on a loaded machine, are
# retried by the job: a few are let pass.
ERRORS_MAX=$((N / 1000))
ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="$PORTS" ||
	fail "sysctl ip_local_port_range in $ns"
note "namespace $ns: port range $PORTS, descriptor limit $fds, N=$N"

# wsbenchd inside the namespace: the same PID (ip netns exec execs).
printf '#!/bin/sh\nexec ip netns exec %s "%s" "$@"\n' "$ns" "$WSBENCHD" \
	>"$WORK/wsbenchd-ns"
chmod +x "$WORK/wsbenchd-ns"
real_wsbenchd=$WSBENCHD
WSBENCHD=$WORK/wsbenchd-ns
start_daemon s
start_daemon c
WSBENCHD=$real_wsbenchd

in_ns() { ip netns exec "$ns" "$@"; }
fd_count() { find "/proc/${DAEMON_PID[$1]}/fd" -mindepth 1 | wc -l; }
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/${DAEMON_PID[$1]}/status"; }
# from_counts: "ADDR COUNT;" per local address of the established
# connections to the push port, sorted.
from_counts() {
	in_ns ss -Htn state established "( dport = :$PUSH_PORT )" |
		awk '{ sub(/:[0-9]+$/, "", $3); n[$3]++ }
		    END { for (a in n) print a, n[a] ";" }' | sort | tr -d '\n'
}
# received FILE: "LOCAL:PORT BYTES" of every client connection to the
# push port, from the socket's tcp_info.
received() {
	in_ns ss -Htni state established "( dport = :$PUSH_PORT )" |
		awk '/^[ \t]/ { for (i = 1; i <= NF; i++)
			if ($i ~ /^bytes_received:/) {
				sub(/.*:/, "", $i); b = $i
			}
			print local, b; b = 0; next }
		    { local = $3 }' | sort >"$1"
}
# Port 80, out of the local port range: a listener's port is one that
# no connect() may take.
start_push s p --rate 1 --port 80
fds_s0=$(fd_count s) fds_c0=$(fd_count c)
t0=$(_now_ms)
start_recv c r "ws://127.0.0.1:$PUSH_PORT/" --source 127.0.0.2,127.0.0.3 \
	--connections "$N" --connect-rate "$CONNECT_RATE"
wait_until $((N / CONNECT_RATE + 60)) \
	'[ "$(num_of c r connections)" -ge "$N" ] ||
	[ "$(num_of c r connection_errors)" -gt "$ERRORS_MAX" ]'
t=$(($(_now_ms) - t0))
got=$(num_of c r connections)
note "r: $got connections of $N after $((t / 1000)).$((t % 1000 / 100)) s" \
	"($CONNECT_RATE a second), ramp $(ctl c stats r | sed -n 's/^ramp  *//p')"
[ "$got" -eq "$N" ] || defect "r has $got connections, expected $N"
note "r: $(ctl c stats r | awk '/^(connection_errors|errors_|reconnects)/ && ($2 != 0 || $1 == "connection_errors") {
	printf "%s %s ", $1, $2 }')"
wait_until 20 '[ "$(num_of s p connections)" -eq "$N" ]' ||
	defect "p has $(num_of s p connections) connections, expected $N"

want="127.0.0.2 $((N / 2));127.0.0.3 $((N / 2));"
wait_until 20 '[ "$(from_counts)" = "$want" ]' ||
	defect "established from '$(from_counts)', expected '$want'"
note "established to 127.0.0.1:$PUSH_PORT from: $(from_counts)"

# Every connection receives: its bytes received grow over a few seconds
# of --rate 1.
m0=$(num_of c r messages_received)
received "$WORK/rx0"
sleep 3
received "$WORK/rx1"
m1=$(num_of c r messages_received)
n=$(join "$WORK/rx0" "$WORK/rx1" | awk '$3 > $2 { n++ } END { print n + 0 }')
note "$n connections received between two looks; messages_received $m0 -> $m1"
[ "$n" -eq "$N" ] || defect "$n of $N connections received messages"
[ "$m1" -gt "$m0" ] || defect "messages_received did not grow: $m0 -> $m1"
n=$(num_of c r connection_errors)
((n >= 0 && n <= ERRORS_MAX)) ||
	defect "r: $n connection errors, more than $ERRORS_MAX"

note "RSS KiB: push daemon $(rss s), recv daemon $(rss c);" \
	"descriptors: push daemon $(fd_count s), recv daemon $(fd_count c)"

t0=$(_now_ms)
stop_job c r
wait_until 60 '[ -z "$(in_ns ss -Htn state connected exclude time-wait \
	"( dport = :$PUSH_PORT or sport = :$PUSH_PORT )")" ]' ||
	defect "$(in_ns ss -Htn state connected exclude time-wait \
		"( dport = :$PUSH_PORT or sport = :$PUSH_PORT )" | wc -l)" \
		"connections left after stop"
wait_until 30 '[ "$(num_of s p connections)" -eq 0 ]' ||
	defect "p still has $(num_of s p connections) connections"
wait_until 30 '[ "$(fd_count c)" -le "$fds_c0" ] && [ "$(fd_count s)" -le "$fds_s0" ]' ||
	defect "descriptors after stop: push daemon $(fd_count s) (before" \
		"$fds_s0), recv daemon $(fd_count c) (before $fds_c0)"
t=$(($(_now_ms) - t0))
note "all closed in $((t / 1000)).$((t % 1000 / 100)) s; descriptors:" \
	"push daemon $(fd_count s), recv daemon $(fd_count c)"
stop_job s p
stop_daemon c
stop_daemon s
finish
