#!/bin/bash
# SPDX-License-Identifier: ISC
# The families of /metrics beyond the plain counters: closes by code from
# peers that close with 1000, 4000, 1008 and no code, on both sides; the
# handshake histogram, whose count is the connections opened; job_info's
# url and listen labels; the daemon's start time; `stats` and `-j stats`
# showing the same; promtool accepting the page, plain and gzipped;
# Accept-Encoding read with its q values.
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

command -v promtool >/dev/null ||
	fail "promtool not found (Debian package prometheus)"
command -v curl >/dev/null || fail "curl not found"

t0=$(date +%s)
start_daemon a

# A server closing a recv job's first three connections with 1000, 4000
# and 1008; r reconnects after each and keeps the fourth.
spawn "$PYTHON3" "$HELPERS/close_peer.py" server 1000 4000 1008 \
	>"$WORK/peer.out" 2>"$WORK/peer.err"
peer=$LAST_PID
wait_until 15 '[ -s "$WORK/peer.out" ] || ! alive $peer' ||
	fail "close_peer.py server does not start"
sport=$(head -n 1 "$WORK/peer.out")
is_uint "$sport" || fail "close_peer.py server: $(cat "$WORK/peer.err")"
start_recv a r "ws://127.0.0.1:$sport/" --connections 1
wait_until 15 '[ "$(num_of a r connections_opened)" -eq 4 ] && [ "$(num_of a r connections)" -eq 1 ]' ||
	fail "r opened $(num_of a r connections_opened) connections, expected 4: $(cat "$WORK/peer.err")"

# A client closing its connections to an echo job with 1000, 4000, 1008
# and a close frame without a code.
start_echo a e
eport=$ECHO_PORT
run_bounded 30 "$PYTHON3" "$HELPERS/close_peer.py" client \
	"ws://127.0.0.1:$eport/" 1000 4000 1008 none 2>"$WORK/client.err" ||
	fail "close_peer.py client: $(cat "$WORK/client.err")"
wait_until 10 '[ "$(num_of a e connections)" -eq 0 ]' ||
	fail "e still has $(num_of a e connections) connections"

# A push job read by a recv job: handshakes on both sides, and 1001 (going
# away) from each connection of q when it stops.
start_push a p
start_recv a q "ws://127.0.0.1:$PUSH_PORT/" --connections 3
wait_until 15 '[ "$(num_of a q connections)" -eq 3 ]' ||
	fail "q: $(num_of a q connections) connections, expected 3"

# Stop the traffic and wait for the rates to fall to 0, then take every
# view of the frozen counters.
stop_job a q
wait_until 10 '[ "$(ctl a -j stats | json_get "sum(sum(x[\"per_second\"].values()) for x in j)")" = 0 ]' ||
	fail "the rates do not fall to 0: $(ctl a -j stats)"
ctl a stats >"$WORK/s.stats" || fail "stats"
ctl a -j stats >"$WORK/s.stats.json" || fail "-j stats"
ctl a -j list >"$WORK/s.list.json" || fail "-j list"
ctl a list >"$WORK/s.list" || fail "list"
metrics a >"$WORK/s.metrics" || fail "GET /metrics"
page=$WORK/s.metrics
"$PYTHON3" "$HELPERS/agree_check.py" "$WORK/s.stats" \
	"$WORK/s.stats.json" "$WORK/s.list.json" "$WORK/s.list" "$page" \
	--counters --jobs r:recv,e:echo,p:push \
	--expect r.closes_1000=1 --expect r.closes_other=1 \
	--expect r.closes_1008=1 --expect r.connections_opened=4 \
	--expect e.closes_1000=1 --expect e.closes_other=1 \
	--expect e.closes_1008=1 --expect e.closes_none=1 \
	--expect e.connections_opened=4 --expect p.connections_opened=3 \
	--expect p.closes_1001=3 ||
	fail "the views disagree, see above"
promtool check metrics <"$page" >"$WORK/promtool" 2>&1 ||
	fail "promtool check metrics: $(cat "$WORK/promtool")"

# has LINE: the page holds that exact line.
has() {
	grep -qxF -- "$1" "$page" || defect "no line '$1' on /metrics"
}
for c in 1000 other 1008; do
	has "wsbench_closes_total{name=\"r\",kind=\"recv\",code=\"$c\"} 1"
done
has 'wsbench_closes_total{name="r",kind="recv",code="none"} 0'
for c in 1000 other 1008 none; do
	has "wsbench_closes_total{name=\"e\",kind=\"echo\",code=\"$c\"} 1"
done
has 'wsbench_closes_total{name="e",kind="echo",code="1001"} 0'
has 'wsbench_closes_total{name="p",kind="push",code="1000"} 0'
has '# TYPE wsbench_closes_total counter'
has '# TYPE wsbench_handshake_duration_seconds histogram'
has 'wsbench_handshake_duration_seconds_count{name="r",kind="recv"} 4'
has 'wsbench_handshake_duration_seconds_bucket{name="r",kind="recv",le="+Inf"} 4'
has 'wsbench_handshake_duration_seconds_count{name="e",kind="echo"} 4'
has 'wsbench_handshake_duration_seconds_count{name="p",kind="push"} 3'
has "wsbench_job_info{name=\"r\",kind=\"recv\",url=\"ws://127.0.0.1:$sport/\"} 1"
has "wsbench_job_info{name=\"e\",kind=\"echo\",listen=\"127.0.0.1:$eport\"} 1"
has '# TYPE wsbench_start_time_seconds gauge'
# Loopback handshakes take well under a second each.
sum=$(sed -n 's/^wsbench_handshake_duration_seconds_sum{name="r",kind="recv"} //p' "$page")
{ [[ $sum =~ ^0\.[0-9]{6}$ ]] && [ "${sum#0.}" != 000000 ]; } ||
	defect "r's handshake _sum is '$sum', expected 0.NNNNNN above 0"
start=$(sed -n 's/^wsbench_start_time_seconds \([0-9]*\)\.[0-9]*$/\1/p' "$page")
{ is_uint "$start" && [ "$start" -ge $((t0 - 1)) ] &&
	[ "$start" -le "$(date +%s)" ]; } ||
	defect "wsbench_start_time_seconds is '$start', expected about $t0"

# stats: the handshake lines, a line for each code received, none for the
# others.
ctl a stats r >"$WORK/stats_r" || fail "stats r"
grep -Eq '^handshake_count +4$' "$WORK/stats_r" ||
	defect "stats r: $(grep handshake_count "$WORK/stats_r")"
for k in handshake_mean_us handshake_p50_us handshake_p90_us handshake_p99_us; do
	{ v=$(stat_of a r "$k") && is_uint "$v" && [ "$v" -gt 0 ]; } ||
		defect "stats r: $k is '$v', expected microseconds"
done
[ "$(grep -c '^closes_' "$WORK/stats_r")" -eq 3 ] ||
	defect "stats r shows closes: $(grep '^closes_' "$WORK/stats_r")"
v=$(ctl a -j stats e | json_get 'j[0]["closes"]') || fail "-j stats e"
[ "$v" = '{"1000": 1, "1008": 1, "other": 1, "none": 1}' ] ||
	defect "-j stats e: closes $v"

# gzip, asked for: the same page, compressed.
curl -sS --max-time 10 -H 'Accept-Encoding: gzip' -D "$WORK/gz.head" \
	-o "$WORK/page.gz" "$(metrics_url a)" || fail "gzip fetch"
grep -qi '^content-encoding: gzip' "$WORK/gz.head" ||
	defect "no gzip: $(cat "$WORK/gz.head")"
gzip -dc "$WORK/page.gz" >"$WORK/gunzipped" || defect "not gzip data"
promtool check metrics <"$WORK/gunzipped" >/dev/null 2>&1 ||
	defect "promtool refuses the gunzipped page"
diff <(grep -v '^process_\|_requests_total' "$page") \
	<(grep -v '^process_\|_requests_total' "$WORK/gunzipped") >"$WORK/gz.diff" ||
	defect "the gzipped page differs: $(cat "$WORK/gz.diff")"

# encoding AE: the Content-Encoding a fetch with Accept-Encoding: AE gets
# ("" for none), checking that a plain page is one.
encoding() {
	curl -sS --max-time 10 -H "Accept-Encoding: $1" -D "$WORK/ae.head" \
		-o "$WORK/ae.page" "$(metrics_url a)" || fail "fetch with '$1'"
	sed -n 's/^content-encoding: *\([^[:space:]]*\).*/\1/Ip' "$WORK/ae.head"
}
# Refused with a q of 0, or not asked for: the plain page.
for ae in 'gzip; q=0' 'gzip;q=0.000, deflate' 'deflate, *;q=0' 'br' \
	'*;q=1, gzip;q=0' 'x-gzip-not'; do
	e=$(encoding "$ae")
	[ -z "$e" ] || defect "Accept-Encoding: $ae got Content-Encoding: $e"
	promtool check metrics <"$WORK/ae.page" >/dev/null 2>&1 ||
		defect "Accept-Encoding: $ae: promtool refuses the plain page"
done
# Taken with a q above 0, in any case, or through "*".
for ae in 'GZIP;q=0.5' 'br, gzip ;Q=1' 'deflate, *' 'x-gzip'; do
	e=$(encoding "$ae")
	[ "$e" = gzip ] || defect "Accept-Encoding: $ae got '$e', not gzip"
done

stop_daemon a
kill_pid "$peer"
finish
