#!/bin/bash
# SPDX-License-Identifier: ISC
# `stats`, `list`, `-j stats`, `-j list` and /metrics show the same jobs
# and, once the traffic stops, the same counts; promtool accepts /metrics.
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

command -v promtool >/dev/null ||
	fail "promtool not found (Debian package prometheus)"
command -v curl >/dev/null || fail "curl not found"

N=500	# messages the reference server sends each connection

# sample ID TAG: the five views, in this order, into $WORK/TAG.*
sample() {
	local id=$1 tag=$2
	ctl "$id" stats >"$WORK/$tag.stats" || fail "stats failed"
	ctl "$id" -j stats >"$WORK/$tag.stats.json" || fail "-j stats failed"
	ctl "$id" -j list >"$WORK/$tag.list.json" || fail "-j list failed"
	ctl "$id" list >"$WORK/$tag.list" || fail "list failed"
	metrics "$id" >"$WORK/$tag.metrics" || fail "GET /metrics failed"
}

# agree TAG [agree_check.py option...]
agree() {
	local tag=$1
	shift
	"$PYTHON3" "$HELPERS/agree_check.py" "$WORK/$tag.stats" \
		"$WORK/$tag.stats.json" "$WORK/$tag.list.json" "$WORK/$tag.list" \
		"$WORK/$tag.metrics" "$@" ||
		fail "the views disagree ($tag), see above; metrics: $(cat "$WORK/$tag.metrics")"
}

# promtool_ok TAG
promtool_ok() {
	promtool check metrics <"$WORK/$1.metrics" >"$WORK/$1.promtool" 2>&1 ||
		fail "promtool check metrics ($1): $(cat "$WORK/$1.promtool")"
}

start_daemon a

# No jobs: the page still has every HELP and TYPE, and promtool takes it.
sample a empty
agree empty --jobs ''
promtool_ok empty
code=$(curl -sS --max-time 10 -o "$WORK/404" -w '%{http_code}' \
	"$(metrics_url a /nope)") || fail "GET /nope failed"
[ "$code" = 404 ] || fail "GET /nope: status $code, expected 404"
ctype=$(curl -sS --max-time 10 -o /dev/null -w '%{content_type}' \
	"$(metrics_url a)") || fail "GET /metrics failed"
case $ctype in
text/plain*) ;;
*) fail "/metrics content type '$ctype', expected text/plain" ;;
esac
# HEAD is answered too; other methods are not.
code=$(curl -sS --max-time 10 -I -o /dev/null -w '%{http_code}' "$(metrics_url a)") ||
	fail "HEAD /metrics failed"
[ "$code" = 200 ] || fail "HEAD /metrics: status $code, expected 200"
code=$(curl -sS --max-time 10 -X POST -o /dev/null -w '%{http_code}' "$(metrics_url a)") ||
	fail "POST /metrics failed"
[ "$code" = 405 ] || fail "POST /metrics: status $code, expected 405"

# A reference server that sends exactly N messages then idles: the counts
# of a recv job on it freeze while its connections stay open.
# (No pings from it while we sample: they would move the byte counts.)
start_peer_server idle --messages "$N" --ping-interval 3600
sport=$SERVER_PORT

start_push a p
pport=$PUSH_PORT
start_recv a r "ws://127.0.0.1:$pport/" --connections 2
start_recv a idle "ws://127.0.0.1:$sport/" --connections 2
wait_until 15 '[ "$(num_of a r connections)" -eq 2 ] && [ "$(num_of a idle messages_received)" -eq $((2 * N)) ]' ||
	fail "r: $(num_of a r connections) connections; idle: $(num_of a idle messages_received) messages, expected $((2 * N))"

wait_until 10 '[ "$(num_of a r messages_received_per_second)" -gt 0 ]' ||
	fail "r messages_received_per_second stays 0"

# Live: the counts move, but the jobs and the formats must agree.
sample a live
agree live --jobs p:push,r:recv,idle:recv
promtool_ok live
# The same page gzipped to a scraper that asks for it, plain otherwise.
curl -sS --max-time 10 -H 'Accept-Encoding: gzip' -D "$WORK/gz.head" \
	-o "$WORK/page.gz" "$(metrics_url a)" || fail "gzip fetch"
grep -qi '^content-encoding: gzip' "$WORK/gz.head" || fail "no gzip: $(cat "$WORK/gz.head")"
[ "$(gzip -dc "$WORK/page.gz" | grep -c '^# TYPE')" -eq "$(grep -c '^# TYPE' "$WORK/live.metrics")" ] ||
	fail "the gzipped page differs from the plain one"
head -n 1 "$WORK/live.metrics" | grep -q '^# HELP ' ||
	fail "the page asked for plain is not plain text"

# Freeze: without its push, r counts no more messages (its reconnects and
# connection errors go on, refused, so these only must not fall).
stop_job a p
wait_until 10 '[ "$(num_of a r connections)" -eq 0 ]' ||
	fail "r still has $(num_of a r connections) connections after p stopped"
wait_until 10 '[ "$(num_of a r messages_received_per_second)" -eq 0 ] && [ "$(num_of a idle messages_received_per_second)" -eq 0 ]' ||
	fail "rates do not fall to 0 once nothing arrives"
sample a frozen
note "frozen: r at $(num_of a r messages_received) messages"
agree frozen --counters --jobs r:recv,idle:recv \
	--rising r.connection_errors --rising r.errors_refused \
	--rising r.reconnects \
	--expect "idle.messages_received=$((2 * N))" \
	--expect idle.connections=2 --expect idle.connection_errors=0 \
	--expect idle.reconnects=0 --expect r.connections=0 \
	--expect r.messages_sent=0
promtool_ok frozen
grep -q "^wsbench_messages_received_total{name=\"idle\",kind=\"recv\"} $((2 * N))\$" \
	"$WORK/frozen.metrics" || fail "no idle sample of $((2 * N)) in: $(cat "$WORK/frozen.metrics")"
r_msgs=$(stat_of a r messages_received) || fail "stats r"
# Refused reconnects are counted by reason, and the last one is shown.
expect_stat a r errors_refused '>' 0
expect_stat a r errors_lost == 0
ctl a stats r | grep -Eq '^last_error +cannot connect: Connection refused$' ||
	fail "stats r: $(ctl a stats r | grep last_error)"
[ "$r_msgs" -gt 0 ] || fail "r received nothing before p stopped"

# The checker must catch a disagreement: feed it doctored pages (a
# counter, a handshake count, a missing close code).
doctored=0
for edit in \
	"s/^\\(wsbench_messages_received_total{name=\"idle\",kind=\"recv\"}\\) .*/\\1 $((2 * N + 1))/" \
	's/^\(wsbench_handshake_duration_seconds_count{name="idle",kind="recv"}\) .*/\1 3/' \
	'/^wsbench_closes_total{name="idle",kind="recv",code="1011"}/d'; do
	doctored=$((doctored + 1))
	sed "$edit" "$WORK/frozen.metrics" >"$WORK/doctored.metrics"
	cmp -s "$WORK/frozen.metrics" "$WORK/doctored.metrics" &&
		fail "doctored page $doctored: the edit changes nothing"
	if "$PYTHON3" "$HELPERS/agree_check.py" "$WORK/frozen.stats" \
		"$WORK/frozen.stats.json" "$WORK/frozen.list.json" \
		"$WORK/frozen.list" "$WORK/doctored.metrics" --counters \
		--rising r.connection_errors --rising r.errors_refused \
		--rising r.reconnects 2>/dev/null; then
		fail "agree_check.py accepts doctored page $doctored"
	fi
done
# And promtool must refuse a bad page (a value that is no number).
printf '# TYPE x counter\nx{a="1"} 1\nx{a="2"} notanumber\n' >"$WORK/bad.metrics"
promtool check metrics <"$WORK/bad.metrics" >/dev/null 2>&1 &&
	fail "promtool accepts a malformed page: it cannot be trusted here"

stop_job a idle
stop_job a r
sample a end
agree end --jobs ''
stop_daemon a
kill_pid "$SERVER_PID"
note "pass"
