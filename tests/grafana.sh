#!/bin/bash
# SPDX-License-Identifier: ISC
# The Grafana dashboard (etc/grafana/wsbench.json) against a real
# Prometheus scraping two daemons every second: every query of every panel
# parses and returns data (the latency panels' from a send job timing round
# trips through an echo job), and the receive and send rates it shows agree
# with `wsbenchctl stats` of the two daemons over the same window.
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

TEST_TIMEOUT=90
DASHBOARD=$ETC_SRCDIR/grafana/wsbench.json
WINDOW=12	# seconds between the two readings of the counters

command -v prometheus >/dev/null ||
	fail "prometheus not found (Debian package prometheus)"
command -v promtool >/dev/null || fail "promtool not found"
command -v curl >/dev/null || fail "curl not found"

# now: Unix time with microseconds.
now() {
	local t=$EPOCHREALTIME
	printf '%s\n' "${t/,/.}"
}

# check COMMAND ARG...: grafana_check.py on this Prometheus and dashboard.
check() {
	"$PYTHON3" "$HELPERS/grafana_check.py" --prometheus "$PROM" \
		--dashboard "$DASHBOARD" "$@" ||
		defect "grafana_check.py $1: the dashboard does not hold, see above"
}

# targets_up: true once Prometheus has scraped both daemons successfully.
# shellcheck disable=SC2317 # called by wait_until
targets_up() {
	curl -sS --max-time 5 "$PROM/api/v1/targets?state=active" 2>/dev/null |
		json_get 'sum(t["health"] == "up" for t in j["data"]["activeTargets"])' \
		2>/dev/null | grep -qx 2
}

start_daemon a
start_daemon b
start_push a p
pport=$PUSH_PORT
inst_a=127.0.0.1:${DAEMON_MPORT[a]}
inst_b=127.0.0.1:${DAEMON_MPORT[b]}

start=$(now)
start_prometheus <<EOF
  - job_name: wsbench
    static_configs:
      - targets: ['$inst_a', '$inst_b']
EOF
if ! wait_until 20 'targets_up || ! alive $PROM_PID' || ! alive "$PROM_PID"; then
	fail "Prometheus does not scrape both daemons: $(tail -n 20 "$WORK/prometheus.log")"
fi
note "prometheus: pid $PROM_PID on $PROM, both targets up"

# The receivers start while Prometheus watches, so that their handshakes
# are in its data.  Both jobs are named r: the dashboard adds them up.
start_recv a r "ws://127.0.0.1:$pport/" --connections 2
start_recv b r "ws://127.0.0.1:$pport/" --connections 2
# A job that times messages, for the latency panels: it runs to the end.
out=$(ctl b start echo --name e --port 0) || fail "start echo: $out"
ctl_ok b start send "ws://127.0.0.1:${out##*:}/" --name s --rate 100 >/dev/null
wait_until 15 '[ "$(num_of a r connections)" -eq 2 ] && [ "$(num_of b r connections)" -eq 2 ]' ||
	fail "r: $(num_of a r connections) connections in a, $(num_of b r connections) in b"
sleep 3

# The rates the dashboard shows against those of `wsbenchctl stats`.
check agree --wsbenchctl "$WSBENCHCTL" --window "$WINDOW" \
	--daemon "$inst_a" "${DAEMON_SOCK[a]}" \
	--daemon "$inst_b" "${DAEMON_SOCK[b]}" \
	--agree 'Messages received/s=messages_received' \
	--agree 'Messages sent/s=messages_sent' \
	--agree 'Bytes received/s=bytes_received' \
	--agree 'Bytes sent/s=bytes_sent'
at=$(now)

# Stopping the push server closes its connections (1001) and makes the
# receivers fail to reconnect: closes, errors and reconnects for the
# panels that show them.
stop_job a p
wait_until 15 '[ "$(num_of a r connections)" -eq 0 ] && [ "$(num_of b r connections)" -eq 0 ]' ||
	fail "r still connected after p stopped"
sleep 3

# Every query, at a time the traffic ran and over the whole run.
check panels --start "$start" --at "$at" \
	--instance "$inst_a" --instance "$inst_b"

kill_pid "$PROM_PID"
rm -rf "$WORK/prom-data"
stop_daemon a
stop_daemon b
finish
