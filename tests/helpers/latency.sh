# SPDX-License-Identifier: ISC
# shellcheck shell=bash
#
# Sourced by the latency tests, after lib.sh:
#
#	. "$HELPERS/latency.sh"
#
# Reading a timed job's numbers from `stats -j`, and starting the jobs
# and helpers those tests share.

# snap ID JOB: saves `-j stats JOB` of daemon ID as $WORK/JOB.json, for lat.
snap() {
	ctl "$1" -j stats "$2" >"$WORK/$2.json" || fail "-j stats $2 on $1 failed"
}

# lat JOB 'python expression on j, l': a value from the last snap of JOB,
# where j is the job's object and l its "latency" object; e.g.
# lat s 'l["life"]["p50_us"]'.  Prints nothing and returns 1 if the job
# has no latency object.
lat() {
	"$PYTHON3" -c '
import json, sys
j = json.load(open(sys.argv[1]))[0]
l = j.get("latency")
if l is None:
    sys.exit(1)
print(eval(sys.argv[2]))' "$WORK/$1.json" "$2"
}

# ms US: microseconds (a number with decimals) as milliseconds, 3 decimals.
ms() {
	awk -v us="$1" 'BEGIN { printf "%.3f", us / 1000 }'
}

# holds 'awk condition': true if the condition on numbers holds.
holds() {
	awk "BEGIN { exit !($1) }"
}

# start_helper TAG CMD [ARG...]: a helper that prints its port on its first
# line of stdout ($WORK/TAG.out); sets HELPER_PID and HELPER_PORT.
HELPER_PID=
HELPER_PORT=
start_helper() {
	local tag=$1
	shift
	spawn "$@" >"$WORK/$tag.out" 2>"$WORK/$tag.err"
	HELPER_PID=$LAST_PID
	# shellcheck disable=SC2016 # evaluated by wait_until
	wait_until 15 '[ -s "$WORK/$tag.out" ] || ! alive $HELPER_PID'
	HELPER_PORT=$(head -n 1 "$WORK/$tag.out")
	is_uint "$HELPER_PORT" ||
		fail "$tag: $* did not print its port: $(cat "$WORK/$tag.err")"
}

# stop_helper TAG PID: SIGTERM; the helper must exit 0; prints its last
# line of stdout (its summary) into HELPER_SUMMARY.
HELPER_SUMMARY=
stop_helper() {
	local tag=$1 pid=$2
	kill -TERM "$pid"
	wait_pid "$pid" 10 || fail "$tag does not exit on SIGTERM"
	[ "$WAIT_RC" -eq 0 ] || fail "$tag exited $WAIT_RC: $(cat "$WORK/$tag.err")"
	HELPER_SUMMARY=$(tail -n 1 "$WORK/$tag.out")
}
