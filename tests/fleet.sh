#!/bin/bash
# SPDX-License-Identifier: ISC
# A fleet of three load hosts on one machine, reached as a fleet is: three
# network namespaces on a bridge, each "host" with its own wsbenchd and its
# own sshd, driven by `wsbenchctl -H` through ssh; one Prometheus outside
# them finds the hosts through a file_sd targets file.  h1 runs a push job,
# h2 and h3 a recv job each against it.  Checked, with every figure printed:
# the sum of `wsbenchctl -H h1,h2,h3 stats` (text and -j) against the
# per-host numbers (exact); the Grafana dashboard's sum queries against the
# per-host counts (totals and rates within 2%); watch's rows per host and
# the sum; what push sent against what the two recv jobs received (exact);
# `-H ... stop` leaves no job.
# Everything it makes (processes, namespaces, links, files) is removed at
# the end, also on failure.  Needs root and `ip netns` (skipped, 77,
# without); a missing tool (sshd, ssh, prometheus ...) is a failure.
# Bounded by TEST_TIMEOUT, 170 s; about 60 s on a loaded 2-core machine.
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

N=20			# connections of each recv job
RATE=100		# messages a second on each push connection
WINDOW=10		# scrape intervals (s) of steady load between rate readings
MPORT=9808		# each host's metrics port, on its own address
PPORT=8008		# the push job's port on h1
HOSTS=(h1 h2 h3)
DASHBOARD=$ETC_SRCDIR/grafana/wsbench.json

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root (network namespaces, a bridge, sshd)"
	exit 77
fi
command -v ip >/dev/null || fail "ip is missing (iproute2)"
tag=$$
br=wsfb$tag
netns_add "wsf1$tag"
for t in /usr/sbin/sshd ssh ssh-keygen prometheus promtool curl; do
	command -v "$t" >/dev/null ||
		fail "$t not found (Debian packages openssh-server, prometheus, curl)"
done

# A private /24 that no route of the machine overlaps.
NET=$(ip -4 route show table all | "$PYTHON3" -c '
import ipaddress, sys
used = []
for line in sys.stdin:
    for w in line.split()[:2]:
        try:
            used.append(ipaddress.ip_network(w, strict=False))
            break
        except ValueError:
            pass
for third in range(64, 128):
    net = ipaddress.ip_network("10.231.%d.0/24" % third)
    if not any(net.overlaps(u) for u in used if u.prefixlen > 0):
        print("10.231.%d" % third)
        break') || fail "ip route | python3 failed"
[ -n "$NET" ] ||
	fail "no free /24 in 10.231.64.0/18: every one overlaps a route (ip route)"

# --- the network: h1, h2, h3 at .1, .2, .3 on a bridge at .254 ---------------
netns_link "$br" bridge
ip addr add "$NET.254/24" dev "$br" || fail "address on $br"
ip link set "$br" up || fail "$br up"
declare -A ADDR NS SSHD_PID
for i in 1 2 3; do
	ns=wsf$i$tag
	[ "$i" -eq 1 ] || netns_add "$ns"
	netns_link "wsv$i$tag" veth peer name "wsn$i$tag"
	ip link set "wsv$i$tag" master "$br" up || fail "wsv$i$tag on $br"
	ip link set "wsn$i$tag" netns "$ns" || fail "moving wsn$i$tag into $ns"
	ip -n "$ns" addr add "$NET.$i/24" dev "wsn$i$tag" || fail "address in $ns"
	ip -n "$ns" link set "wsn$i$tag" up || fail "wsn$i$tag up"
	ADDR[h$i]=$NET.$i
	NS[h$i]=$ns
done
note "hosts h1 h2 h3 at $NET.1-3 in namespaces wsf{1,2,3}$tag, bridge $br at $NET.254"

# $WORK/sshd_in NS ARG...: sshd in namespace NS.  It wants its privilege
# separation directory, /run/sshd: the namespace's own mount namespace (ip
# netns exec makes one) gets a private /run for it, so that nothing is
# made outside $WORK.  A script that execs: the PID spawn sees is sshd's.
cat >"$WORK/sshd_in" <<'EOF'
#!/bin/sh
ns=$1
shift
exec ip netns exec "$ns" /bin/sh -c 'mount -t tmpfs -o mode=0755 wsbench /run &&
	mkdir /run/sshd && exec /usr/sbin/sshd "$@"' sh "$@"
EOF
chmod +x "$WORK/sshd_in"

# --- ssh: one client key, a host key each ------------------------------------
S=$WORK/ssh
mkdir -m 700 "$S"
ssh-keygen -q -N '' -t ed25519 -f "$S/client" || fail "ssh-keygen (client)"
cp "$S/client.pub" "$S/authorized_keys"
bin=$(dirname "$WSBENCHCTL")
cat >"$S/ssh_config" <<EOF
Host *
	User root
	IdentityFile $S/client
	IdentitiesOnly yes
	UserKnownHostsFile $S/known_hosts
	GlobalKnownHostsFile /dev/null
	StrictHostKeyChecking yes
	BatchMode yes
	ConnectTimeout 5
	ControlMaster no
	LogLevel ERROR
EOF
for h in "${HOSTS[@]}"; do
	ssh-keygen -q -N '' -t ed25519 -f "$S/$h.key" || fail "ssh-keygen ($h)"
	echo "$h,${ADDR[$h]} $(cut -d' ' -f1,2 "$S/$h.key.pub")" >>"$S/known_hosts"
	printf 'Host %s\n\tHostName %s\n' "$h" "${ADDR[$h]}" >>"$S/ssh_config"
	# StrictModes no: the keys are under /tmp, which is world-writable.
	cat >"$S/sshd_$h" <<EOF
ListenAddress ${ADDR[$h]}:22
HostKey $S/$h.key
AuthorizedKeysFile $S/authorized_keys
AuthenticationMethods publickey
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
PidFile none
LogLevel ERROR
SetEnv WSBENCH_SOCKET=$WORK/$h.sock PATH=$bin:/usr/bin:/bin
EOF
	"$WORK/sshd_in" "${NS[$h]}" -t -f "$S/sshd_$h" 2>"$WORK/sshd-t.err" ||
		fail "sshd -t -f sshd_$h: $(cat "$WORK/sshd-t.err")"
done
export WSBENCH_SSH="ssh -F $S/ssh_config"
# rsh HOST COMMAND: COMMAND on HOST through $WSBENCH_SSH, as wsbenchctl -H runs it.
rsh() {
	run_bounded 15 /bin/sh -c "$WSBENCH_SSH \"\$@\"" sh "$@"
}

# --- each host: wsbenchd and sshd, in its namespace ----------------------------
for h in "${HOSTS[@]}"; do
	spawn ip netns exec "${NS[$h]}" "$WSBENCHD" -s "$WORK/$h.sock" \
		-m "${ADDR[$h]}:$MPORT" -f "$WORK/empty.conf" >>"$WORK/$h.log" 2>&1
	DAEMON_PID[$h]=$LAST_PID
	DAEMON_SOCK[$h]=$WORK/$h.sock
	DAEMON_LOG[$h]=$WORK/$h.log
	spawn "$WORK/sshd_in" "${NS[$h]}" -D -e -f "$S/sshd_$h" >>"$WORK/sshd_$h.log" 2>&1
	SSHD_PID[$h]=$LAST_PID
done
for h in "${HOSTS[@]}"; do
	wait_until 10 "ctl $h version >/dev/null 2>&1" ||
		fail "wsbenchd $h does not answer: $(cat "$WORK/$h.log")"
	wait_until 15 'rsh $h true 2>"$WORK/ssh.err"' ||
		fail "ssh $h: $(cat "$WORK/ssh.err"); sshd: $(cat "$WORK/sshd_$h.log")"
	# The remote wsbenchctl is this build's, on that host's daemon.
	got=$(rsh "$h" 'command -v wsbenchctl; echo $WSBENCH_SOCKET')
	[ "$got" = "$WSBENCHCTL"$'\n'"$WORK/$h.sock" ] ||
		fail "on $h through ssh, wsbenchctl and its socket are '$got'"
done
note "each host: wsbenchd (metrics ${ADDR[h1]%.*}.N:$MPORT) and sshd up, reached as h1 h2 h3"

# fleet HOSTS ARG...: wsbenchctl -H HOSTS ARG..., bounded.
fleet() {
	local hosts=$1
	shift
	run_bounded 60 "$WSBENCHCTL" -H "$hosts" "$@"
}

# fleet_is HOSTS EXPECTED ARG...: its output must be EXPECTED, its status 0.
fleet_is() {
	local hosts=$1 want=$2 out
	shift 2
	out=$(fleet "$hosts" "$@" 2>"$WORK/fleet.err") ||
		fail "wsbenchctl -H $hosts $* exited $?: $(cat "$WORK/fleet.err")"
	[ "$out" = "$want" ] ||
		fail "wsbenchctl -H $hosts $*: got '$out', expected '$want'"
	note "wsbenchctl -H $hosts $*: $(printf '%s' "$out" | tr '\n' ';')"
}

# check WHAT ARG...: fleet_check.py ARG..., a defect unless it holds.
check() {
	local what=$1
	shift
	"$PYTHON3" "$HELPERS/fleet_check.py" "$@" || defect "$what: see above"
}

# now: Unix time with microseconds.
now() {
	local t=$EPOCHREALTIME
	printf '%s\n' "${t/,/.}"
}

# --- Prometheus, outside the namespaces, through file_sd ------------------------
# The shipped examples, the scrape config reading the targets file.
sed "s|/etc/prometheus/wsbench/\*.yml|$ETC_SRCDIR/prometheus/file_sd.example.yml|" \
	"$ETC_SRCDIR/prometheus/prometheus.example.yml" >"$WORK/example.yml"
promtool check config "$WORK/example.yml" >"$WORK/promtool.out" 2>&1 ||
	fail "the shipped examples: promtool check config: $(cat "$WORK/promtool.out")"
for h in "${HOSTS[@]}"; do
	printf -- "- targets: ['%s:%s']\n  labels:\n    instance: %s\n" \
		"${ADDR[$h]}" "$MPORT" "$h"
done >"$WORK/targets.yml"
t0=$(now)
start_prometheus <<EOF
  - job_name: wsbench
    file_sd_configs:
      - files: ['$WORK/targets.yml']
EOF
# prom EXPR: the values of an instant query, "instance value" a line.
prom() {
	curl -sS --max-time 10 "$PROM/api/v1/query" --data-urlencode "query=$1" |
		json_get '"\n".join("%s %s" % (r["metric"].get("instance", ""),
			r["value"][1]) for r in j["data"]["result"])'
}
if ! wait_until 30 '[ "$(prom "sum(up)" 2>/dev/null)" = " 3" ] || ! alive $PROM_PID' ||
	! alive "$PROM_PID"; then
	fail "Prometheus does not scrape h1 h2 h3: $(tail -n 20 "$WORK/prometheus.log")"
fi
note "prometheus on $PROM scrapes h1 h2 h3 every second (file_sd)"

# --- the load: push on h1, recv on h2 and h3 -------------------------------------
fleet_is h1,h2,h3 "$(printf 'h%s: wsbench %s\n' 1 "$(ctl h1 version | cut -d' ' -f2)" \
	2 "$(ctl h2 version | cut -d' ' -f2)" 3 "$(ctl h3 version | cut -d' ' -f2)")" version
url=ws://${ADDR[h1]}:$PPORT/
# The receivers start before the server, so that Prometheus sees their
# counters at 0 first: the dashboard's increase() then counts them whole.
fleet_is h2,h3 "h2: started r: recv $url"$'\n'"h3: started r: recv $url" \
	start recv "$url" --name r --connections "$N"
wait_until 15 '[ "$(prom "count(wsbench_messages_received_total{name=\"r\"} == 0)")" = " 2" ]' ||
	fail "Prometheus does not see r at 0 on h2 and h3"
fleet_is h1 "started p: push ${ADDR[h1]}:$PPORT" start push --name p \
	--bind "${ADDR[h1]}" --port "$PPORT" --rate "$RATE"
wait_until 30 '[ "$(num_of h2 r connections)" -eq $N ] && [ "$(num_of h3 r connections)" -eq $N ]' ||
	fail "r: $(num_of h2 r connections) connections on h2, $(num_of h3 r connections) on h3, expected $N"
# Each from its own host's address.
peers=$(ip netns exec "${NS[h1]}" ss -Htn state established "sport = :$PPORT" |
	awk '{ sub(/:[0-9]+$/, "", $4); print $4 }' | sort | uniq -c | tr -s ' ' | tr '\n' ';')
[ "$peers" = " $N ${ADDR[h2]}; $N ${ADDR[h3]};" ] ||
	defect "p's peers (count, address): $peers; expected $N from each of h2, h3"
note "p on h1 sends $RATE messages/s on each of its $((2 * N)) connections, $N from h2, $N from h3"

# --- rates and connections under steady load ----------------------------------
# The window: from 2 s after the last connection opened (every connection
# then runs at the push rate, none opening or closing) for $WINDOW scrapes,
# each host read just after its scrape, the jobs left running past it.
sleep 2
daemons=()
for h in "${HOSTS[@]}"; do
	daemons+=(--daemon "$h" "$WORK/$h.sock")
done
check "the dashboard's rates" dashboard --prometheus "$PROM" \
	--dashboard "$DASHBOARD" rates --wsbenchctl "$WSBENCHCTL" --window "$WINDOW" "${daemons[@]}" \
	--agree 'Total received/s=messages_received' \
	--agree 'Messages sent/s=messages_sent' \
	--agree 'Bytes received/s=bytes_received'
check "the dashboard's connections" dashboard --prometheus "$PROM" \
	--dashboard "$DASHBOARD" totals --title 'Total connections' --start "$t0" \
	--expect h1=$((2 * N)) --expect h2="$N" --expect h3="$N"

# watch: a row per host and job, and the sum per job name.
spawn "$WSBENCHCTL" -H h1,h2,h3 watch --plain >"$WORK/watch" 2>"$WORK/watch.err"
wpid=$LAST_PID
wait_until 20 'grep -Eq "^sum +r +recv +$((2 * N)) " "$WORK/watch"' ||
	defect "-H h1,h2,h3 watch --plain: no sum row of r's $((2 * N)) connections: $(cat "$WORK/watch.err")"
kill_pid "$wpid"
for row in "h1 +p +push +$((2 * N))" "h2 +r +recv +$N" "h3 +r +recv +$N" "sum +p +push +$((2 * N))"; do
	grep -Eq "^$row " "$WORK/watch" || defect "-H h1,h2,h3 watch --plain: no row '$row'"
done
grep -E '^(HOST|sum) ' "$WORK/watch" | tail -n 3 | sed 's/^/    /'

# --- the end: push finishes first, so that recv gets all it sent ------------------
fleet_is h1 "finishing p" stop --keep p
wait_until 30 '[ "$(stat_of h1 p state)" = finished ]' ||
	fail "p not finished 30 s after stop --keep"
fleet_is h2,h3 $'h2: finishing r\nh3: finishing r' stop --keep r
wait_until 30 '[ "$(stat_of h2 r state)" = finished ] && [ "$(stat_of h3 r state)" = finished ]' ||
	fail "r not finished on h2 and h3 30 s after stop --keep"
hostjson=()
for h in "${HOSTS[@]}"; do
	ctl "$h" -j stats >"$WORK/$h.json" || fail "-j stats on $h"
	hostjson+=(--host "$h=$WORK/$h.json")
done
sent=$(json_get 'j[0]["messages_sent"]' <"$WORK/h1.json")
got2=$(json_get 'j[0]["messages_received"]' <"$WORK/h2.json")
got3=$(json_get 'j[0]["messages_received"]' <"$WORK/h3.json")
note "p on h1 sent $sent messages; r received $got2 on h2, $got3 on h3: $((got2 + got3))"
[ "$sent" -gt $((2 * N * RATE * WINDOW)) ] ||
	defect "p sent $sent messages, fewer than $((2 * N * RATE * WINDOW))"
[ "$sent" -eq $((got2 + got3)) ] ||
	defect "p sent $sent messages, h2 and h3 received $((got2 + got3))"

# (a) wsbenchctl -H's sum against each host's own numbers.
fleet h1,h2,h3 stats >"$WORK/all.stats" 2>"$WORK/fleet.err" ||
	fail "-H h1,h2,h3 stats: $(cat "$WORK/fleet.err")"
fleet h1,h2,h3 -j stats >"$WORK/all.json" 2>"$WORK/fleet.err" ||
	fail "-H h1,h2,h3 -j stats: $(cat "$WORK/fleet.err")"
sed -n '/^== sum/,$p' "$WORK/all.stats" | grep -E '^(==|name|kind|hosts|messages_)' |
	sed 's/^/    /'
check "the sum of -H stats" sum --counters "$TESTS_SRCDIR/../src/counters.h" \
	--text "$WORK/all.stats" --json "$WORK/all.json" "${hostjson[@]}"

# (b) the dashboard's totals, once Prometheus has the final counts.  Each
# host's is exact at its last scrape (its series began at 0, so increase()
# counts it whole); the sum of all at one time extrapolates the series
# whose last scrape came earlier by that much of its life: at most 0.5 s
# of some 30 here, under 2%.
wait_until 15 '[ "$(prom "sum(wsbench_messages_received_total)")" = " $((got2 + got3))" ] &&
	[ "$(prom "sum(wsbench_messages_sent_total)")" = " $sent" ]' ||
	fail "Prometheus's last counts: received $(prom "sum(wsbench_messages_received_total)"), sent $(prom "sum(wsbench_messages_sent_total)")"
sleep 1
check "the dashboard's totals" dashboard --prometheus "$PROM" \
	--dashboard "$DASHBOARD" totals --title 'Total received' --start "$t0" \
	--expect h1=0 --expect h2="$got2" --expect h3="$got3"

# --- stop: one host failing does not hide the others -------------------------------
out=$(fleet h1,h2,h3 stop p 2>"$WORK/fleet.err")
rc=$?
note "-H h1,h2,h3 stop p: exit $rc, '$out', stderr '$(tr '\n' ';' <"$WORK/fleet.err")'"
[ "$rc" -ne 0 ] || defect "-H h1,h2,h3 stop p exited 0, though h2 and h3 have no p"
[ "$out" = "h1: stopping p" ] || defect "-H h1,h2,h3 stop p said '$out'"
{ grep -q '^wsbenchctl: h2: ' "$WORK/fleet.err" && grep -q '^wsbenchctl: h3: ' "$WORK/fleet.err"; } ||
	defect "-H h1,h2,h3 stop p: no error for h2 and h3 on stderr"
fleet_is h2,h3 $'h2: stopping r\nh3: stopping r' stop r
printf '# the fleet\nh1\n\nh2\nh3\n' >"$WORK/hosts"
fleet_is "@$WORK/hosts" $'h1: []\nh2: []\nh3: []' -j list

kill_pid "$PROM_PID"
for h in "${HOSTS[@]}"; do
	kill_pid "${SSHD_PID[$h]}"
	stop_daemon "$h"
done
finish
