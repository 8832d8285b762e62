#!/bin/bash
# SPDX-License-Identifier: ISC
# The views of a job's latency agree: once a send -> echo job's counts are
# frozen (its echo job stopped), the life percentiles of `stats -j`, of
# `wsbenchctl latency NAME --life` (and its --hdr table, between its
# rows), and of /metrics as
# a real Prometheus reads them (histogram_quantile over
# wsbench_latency_seconds_bucket, through its HTTP API) are the same:
# `latency` equal to `stats -j` within 1%, Prometheus within 10% (its
# buckets are 10^(1/25) apart and it interpolates within one).
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
# shellcheck source=helpers/latency.sh
. "$HELPERS/latency.sh"

command -v prometheus >/dev/null ||
	fail "prometheus not found (Debian package prometheus)"
command -v curl >/dev/null || fail "curl not found"

# near A B PERCENT: true if A is within PERCENT % of B.
near() {
	holds "$1 - $2 <= $2 * $3 / 100 && $2 - $1 <= $2 * $3 / 100"
}

# promql QUERY: the value of an instant query, or nothing.
promql() {
	curl -sS --max-time 5 --data-urlencode "query=$1" "$PROM/api/v1/query" 2>/dev/null |
		json_get 'j["data"]["result"][0]["value"][1] if j["data"]["result"] else ""' 2>/dev/null
}

start_daemon a
start_prometheus <<EOF2
  - job_name: wsbench
    static_configs:
      - targets: ['127.0.0.1:${DAEMON_MPORT[a]}']
EOF2

# A spread of round trips: two connections at 2500 a second each, then the
# echo job stops and the counts freeze.  Many samples, so that the tail
# past p99 is dense: with a few, the next sample past the rank may lie
# far off, and Prometheus's rank (q x count) and HdrHistogram's (rounded)
# would fall on either side of a gap.
start_echo a e
start_send a s "ws://127.0.0.1:$ECHO_PORT/" --rate 2500 --connections 2
wait_until 30 '[ "$(num_of a s messages_received)" -ge 20000 ]' ||
	fail "s: $(num_of a s messages_received) echoes in 30 s, expected 20000"
stop_job a e
wait_until 10 '[ "$(num_of a s connections)" -eq 0 ]' ||
	fail "s still connected without its echo job"
snap a s
count=$(lat s 'l["life"]["count"]') || fail "s: no latency in -j stats"
[ "$count" = "$(lat s 'j["messages_received"]')" ] ||
	fail "s: $count timed of $(lat s 'j["messages_received"]') echoes"

# Prometheus has the frozen histogram once its _count is the job's.
wait_until 30 '[ "$(promql "wsbench_latency_seconds_count{name=\"s\"}")" = "$count" ]' ||
	fail "Prometheus reads wsbench_latency_seconds_count '$(promql "wsbench_latency_seconds_count{name=\"s\"}")', expected $count: $(tail -n 5 "$WORK/prometheus.log")"

ctl_ok a latency s --life >"$WORK/latency.txt"
ctl_ok a latency s --life --hdr >"$WORK/latency.hdr"
sed 's/^/    [latency --life] /' "$WORK/latency.txt"

# latency_text KEY: the value of line KEY of `latency --life`, in us.
latency_text() {
	awk -v k="$1" '$1 == k || $1 == k ":" { v = $2; u = $3 }
		END { if (u == "ms") v *= 1000; else if (u == "s") v *= 1e6;
		else if (u == "ns") v /= 1000;
		if (v != "") printf "%.3f\n", v }' "$WORK/latency.txt"
}

# hdr_bracket Q: the values of the --hdr table's rows (ms) on either side
# of percentile Q, in us: the last row under Q and the first at or past
# it.  Its rows stand at fixed ticks of percentile, so Q's own value lies
# between those two.
hdr_bracket() {
	awk -v q="$1" '$1 ~ /^[0-9.]+$/ && $2 ~ /^[0-9.]+$/ {
		if ($2 + 0 < q - 1e-9) lo = $1
		else { printf "%.3f %.3f\n", lo * 1000, $1 * 1000; exit } }' \
		"$WORK/latency.hdr"
}

for p in 50 99; do
	q=$(awk -v p="$p" 'BEGIN { print p / 100 }')
	st=$(lat s "l[\"life\"][\"p${p}_us\"]")
	lt=$(latency_text "p$p")
	read -r hlo hhi <<<"$(hdr_bracket "$q")"
	pr=$(promql "histogram_quantile($q, wsbench_latency_seconds_bucket{name=\"s\"})")
	pr_us=$(awk -v s="$pr" 'BEGIN { printf "%.3f", s * 1e6 }')
	note "p$p: stats -j $st us, latency --life ${lt:-?} us, --hdr rows ${hlo:-?} to ${hhi:-?} us, Prometheus $pr_us us"
	[ -n "$lt" ] && near "$lt" "$st" 1 ||
		defect "p$p: latency --life shows '${lt:-nothing}' us, stats -j $st us"
	[ -n "$hhi" ] && holds "$hlo * 0.99 <= $st && $st <= $hhi * 1.01" ||
		defect "p$p: latency --hdr rows around it show ${hlo:-nothing} to ${hhi:-nothing} us, stats -j $st us"
	[ -n "$pr" ] && near "$pr_us" "$st" 10 ||
		defect "p$p: Prometheus computes '$pr_us' us, stats -j $st us"
done

kill_pid "$PROM_PID"
stop_job a s
stop_daemon a
finish
