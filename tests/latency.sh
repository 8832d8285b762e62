#!/bin/bash
# SPDX-License-Identifier: ISC
# The latency of a send job timing its echoes, in every view: `stats`
# and `stats -j` agree with each other and with /metrics (promtool clean)
# while it runs; once it is idle, the `latency` tables and the --hdr
# distribution show what stats shows, and wsbench_latency_seconds has its
# count; --reset empties the window but not the life nor /metrics; a job
# that times nothing gets an error; the read group may run `latency` but
# not `latency --reset`.
# shellcheck disable=SC2016 # conditions run by wait_until
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

command -v promtool >/dev/null ||
	fail "promtool not found (Debian package prometheus)"
command -v curl >/dev/null || fail "curl not found"
command -v setpriv >/dev/null || fail "setpriv is missing (util-linux)"
# A group every Debian system has, that nobody (65534) is not in.
rgroup=users
rgid=$(getent group "$rgroup" | cut -d: -f3) || fail "no group $rgroup"

# as_reader REQUEST: REQUEST on daemon a's socket as uid 65534 in the read
# group; prints the raw reply.
as_reader() {
	run_bounded 20 setpriv --reuid=65534 --regid="$rgid" --clear-groups \
		"$PYTHON3" - "${DAEMON_SOCK[a]}" line "$1" <"$HELPERS/ctl_raw.py"
}

# key_of FILE KEY: the value of KEY in a file of 'key value' lines.
key_of() {
	awk -v k="$2" '$1 == k { $1 = ""; sub(/^ +/, ""); print; exit }' "$1"
}

# promtool_ok FILE
promtool_ok() {
	promtool check metrics <"$1" >"$1.promtool" 2>&1 ||
		defect "promtool check metrics: $(cat "$1.promtool")"
}

chmod 0711 "$WORK"
printf 'set control-read-group %s\n' "$rgroup" >"$WORK/a.conf"
start_daemon a -f "$WORK/a.conf"

out=$(ctl a start echo --name e --port 0 2>&1) || fail "start echo: $out"
[[ $out =~ 127\.0\.0\.1:([0-9]+)$ ]] || fail "start echo reply: '$out'"
out=$(ctl a start send "ws://127.0.0.1:${BASH_REMATCH[1]}/" --name s \
	--connections 2 --rate 200 2>&1) || fail "start send: $out"
wait_until 20 '[ "$(num_of a s latency_life_count)" -ge 300 ]' ||
	fail "s timed $(num_of a s latency_life_count) messages in 20 s"

# --- a job that times nothing, and no job ------------------------------------
for job in e nosuch; do
	if out=$(ctl a latency "$job" 2>&1); then
		defect "latency $job exited 0: $out"
	fi
	[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || defect "latency $job said: $out"
done
[[ $(ctl a latency e 2>&1) == *"latency: job 'e' times nothing" ]] ||
	defect "latency e: $(ctl a latency e 2>&1)"

# --- running: the views agree, promtool takes the page -------------------------
ctl a stats >"$WORK/run.stats" || fail "stats"
ctl a -j stats >"$WORK/run.stats.json" || fail "-j stats"
ctl a -j list >"$WORK/run.list.json" || fail "-j list"
ctl a list >"$WORK/run.list" || fail "list"
metrics a >"$WORK/run.metrics" || fail "GET /metrics"
"$PYTHON3" "$HELPERS/agree_check.py" "$WORK/run.stats" "$WORK/run.stats.json" \
	"$WORK/run.list.json" "$WORK/run.list" "$WORK/run.metrics" \
	--rising s.latency --jobs e:echo,s:send >"$WORK/run.check" 2>&1 ||
	defect "the views disagree while s runs: $(cat "$WORK/run.check")"
promtool_ok "$WORK/run.metrics"

# --- the read group: latency, not latency --reset ------------------------------
before=$(ctl a latency s | awk '$1 == "count" { print $2 }')
out=$(as_reader 'latency s') || fail "reader's latency: exit $?"
[[ $out == *$'\n.' && $out == *$'\n>count '* ]] ||
	defect "the read group's 'latency s' got '$out'"
out=$(as_reader 'latency s --reset') || fail "reader's latency --reset: exit $?"
[ "$out" = "!latency: permission denied: the read group may not give --reset" ] ||
	defect "the read group's 'latency s --reset' got '$out'"
after=$(ctl a latency s | awk '$1 == "count" { print $2 }')
[ "$after" -ge "$before" ] || defect "a reader reset the window: count $before, then $after"

# --- idle: every view of the same histogram --------------------------------------
# Without its echo server, s times nothing more; the last second's
# percentiles go to none.
stop_job a e
wait_until 15 '[ "$(stat_of a s latency_p50_1s)" = none ]' ||
	fail "s still times messages: $(ctl a stats s)"
ctl a stats s >"$WORK/stats" || fail "stats s"
ctl a -j stats s >"$WORK/stats.json" || fail "-j stats s"
ctl a latency s >"$WORK/table" || fail "latency s"
ctl a latency s --life >"$WORK/life" || fail "latency s --life"
ctl a latency s --life --hdr >"$WORK/hdr" || fail "latency s --life --hdr"
metrics a >"$WORK/metrics" || fail "GET /metrics"
"$PYTHON3" "$HELPERS/latency_check.py" s "$WORK/stats" "$WORK/stats.json" \
	"$WORK/table" "$WORK/life" "$WORK/hdr" "$WORK/metrics" \
	>"$WORK/check" 2>&1 || defect "the latency views differ: $(cat "$WORK/check")"
promtool_ok "$WORK/metrics"
note "s: $(grep -E '^(count|p50|p99|max) ' "$WORK/life" | tr -s ' ' | tr '\n' ';')"
cmp -s "$WORK/hdr" <(ctl a latency s --hdr) ||
	defect "before a reset, the window's --hdr is not the life's"

# --- --reset: a new window; the life and /metrics keep their counts ---------------
life=$(key_of "$WORK/stats" latency_life_count)
ctl a latency s --reset >"$WORK/reset" || fail "latency s --reset"
cmp -s "$WORK/reset" "$WORK/table" || defect "--reset printed another window: $(cat "$WORK/reset")"
ctl a stats s >"$WORK/stats2" || fail "stats s"
[ "$(key_of "$WORK/stats2" latency_window_count)" = 0 ] &&
	[ "$(key_of "$WORK/stats2" latency_window_p99)" = none ] ||
	defect "the window after --reset: $(grep window "$WORK/stats2")"
[ "$(key_of "$WORK/stats2" latency_life_count)" = "$life" ] ||
	defect "--reset changed the life: $(grep life_count "$WORK/stats2"), was $life"
ctl a latency s >"$WORK/table2" || fail "latency s"
[ "$(key_of "$WORK/table2" count)" = 0 ] && [ "$(key_of "$WORK/table2" max)" = none ] ||
	defect "latency s after --reset: $(cat "$WORK/table2")"
[ -z "$(ctl a latency s --hdr)" ] || defect "--hdr of an empty window: $(ctl a latency s --hdr)"
ctl a -j stats s | json_get 'j[0]["latency"]["window"]' >"$WORK/window.json"
[ "$(json_get 'j["count"], j["p50_us"]' <"$WORK/window.json")" = "(0, None)" ] ||
	defect "-j window after --reset: $(cat "$WORK/window.json")"
metrics a >"$WORK/metrics2" || fail "GET /metrics"
grep -qx "wsbench_latency_seconds_count{name=\"s\",kind=\"send\",type=\"rtt\"} $life" "$WORK/metrics2" ||
	defect "/metrics after --reset: $(grep latency_seconds_count "$WORK/metrics2")"

stop_daemon a
finish
