# SPDX-License-Identifier: ISC
# shellcheck shell=bash
#
# Helpers for the integration tests, sourced by every tests/*.sh:
#
#	. "$TESTS_SRCDIR/lib.sh"
#
# A test gets a private workspace ($WORK), removed on exit, and every
# process it starts with `spawn` or `start_daemon` is killed by its PID on
# exit (never by name).  Every wait is bounded.  Every address is
# 127.0.0.1.
#
# The environment comes from `make check` (Makefile.am): WSBENCHD,
# WSBENCHCTL, PYTHON3, TESTS_SRCDIR, ETC_SRCDIR.  Exit status: 0 pass,
# 1 fail (77, skip, is never used: a missing tool is a failure).

set -u

# --- environment -----------------------------------------------------------

_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${TESTS_SRCDIR:=$_lib_dir}"
: "${ETC_SRCDIR:=$_lib_dir/../etc}"
: "${WSBENCHD:=$PWD/src/wsbenchd}"
: "${WSBENCHCTL:=$PWD/src/wsbenchctl}"
: "${PYTHON3:=/usr/bin/python3}"
# Peer programs and helpers the tests run.
HELPERS=$TESTS_SRCDIR/helpers
export TESTS_SRCDIR ETC_SRCDIR WSBENCHD WSBENCHCTL PYTHON3 HELPERS
# Tests always name their socket; an inherited default must not leak in.
unset WSBENCH_SOCKET

# Seconds a single wsbenchctl command may take before it counts as hung.
CTL_TIMEOUT=${CTL_TIMEOUT:-20}
# Seconds the whole test may take before the watchdog stops it.
TEST_TIMEOUT=${TEST_TIMEOUT:-170}

TEST_NAME=$(basename "$0" .sh)

# --- reporting ---------------------------------------------------------------

# Time since the test started, for the log.
_t0=${EPOCHREALTIME//[!0-9]/}
_elapsed() {
	local now=${EPOCHREALTIME//[!0-9]/}
	local ms=$(((now - _t0) / 1000))
	printf '%d.%03d' $((ms / 1000)) $((ms % 1000))
}

note() {
	printf '[%ss] %s\n' "$(_elapsed)" "$*"
}

# Fails the test.  From a subshell ($(...)) it only prints and exits that
# subshell with 1: callers there must propagate with `|| fail ...`.
fail() {
	printf '[%ss] FAIL: %s: %s\n' "$(_elapsed)" "$TEST_NAME" "$*" >&2
	if [ "${BASHPID:-$$}" = "$$" ]; then
		dump_logs >&2
	fi
	exit 1
}

# For tests that check many independent points: `defect MSG` records a
# failure and goes on; `finish` then fails the test if any was recorded.
DEFECTS=()
defect() {
	printf '[%ss] FAIL: %s\n' "$(_elapsed)" "$*" >&2
	DEFECTS+=("$*")
}

finish() {
	if [ "${#DEFECTS[@]}" -gt 0 ]; then
		fail "${#DEFECTS[@]} check(s) failed:$(printf '\n  - %s' "${DEFECTS[@]}")"
	fi
	note "pass"
	exit 0
}

# --- workspace and process bookkeeping ---------------------------------------

# Unix socket paths are limited to 107 bytes: a long TMPDIR is not used.
_tmp=${TMPDIR:-/tmp}
[ "${#_tmp}" -le 60 ] && [ -d "$_tmp" ] && [ -w "$_tmp" ] || _tmp=/tmp
WORK=$(mktemp -d "$_tmp/wsbench-$TEST_NAME.XXXXXX") ||
	{ echo "FAIL: cannot create a workspace" >&2; exit 1; }
export WORK
: >"$WORK/empty.conf"

PIDS=()			# every background process started
LAST_PID=
declare -A DAEMON_PID=() DAEMON_SOCK=() DAEMON_LOG=() DAEMON_MPORT=()
_watchdog=

# True while PID is a live (not zombie) child of this shell.  The parent
# check guards against killing an unrelated process that reused the PID.
alive() {
	local pid=$1 stat rest state ppid
	[ -r "/proc/$pid/stat" ] || return 1
	{ read -r stat <"/proc/$pid/stat"; } 2>/dev/null || return 1
	rest=${stat##*) }
	state=${rest%% *}
	rest=${rest#* }
	ppid=${rest%% *}
	[ "$state" != Z ] && [ "$state" != X ] && [ "$ppid" = "$$" ]
}

_forget_pid() {
	local pid=$1 i
	for i in "${!PIDS[@]}"; do
		[ "${PIDS[$i]}" = "$pid" ] && unset 'PIDS[i]'
	done
}

# spawn CMD [ARG...]: runs CMD in the background and records its PID in
# LAST_PID (and for the cleanup).  Redirections go on the spawn call.
# Call it directly, never inside $(...).
spawn() {
	"$@" &
	LAST_PID=$!
	PIDS+=("$LAST_PID")
}

# wait_pid PID TIMEOUT_S: waits for a spawned process to exit; sets
# WAIT_RC to its exit status.  Returns 1 (and leaves it running) on
# timeout.
WAIT_RC=
wait_pid() {
	local pid=$1 timeout=$2 deadline
	deadline=$(($(_now_ms) + timeout * 1000))
	while alive "$pid"; do
		[ "$(_now_ms)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
	wait "$pid" 2>/dev/null
	WAIT_RC=$?
	_forget_pid "$pid"
	return 0
}

# kill_pid PID: SIGTERM, then SIGKILL after 5 s; reaps it.
kill_pid() {
	local pid=$1
	if alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null
		if ! wait_pid "$pid" 5; then
			kill -KILL "$pid" 2>/dev/null
			wait_pid "$pid" 5 || true
		fi
	fi
	wait "$pid" 2>/dev/null
	_forget_pid "$pid"
}

_cleanup() {
	local rc=$? pid ns
	trap - EXIT INT TERM
	if [ -n "$_watchdog" ]; then
		kill -TERM "$_watchdog" 2>/dev/null
		wait "$_watchdog" 2>/dev/null
	fi
	for pid in "${PIDS[@]}"; do
		alive "$pid" && kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${PIDS[@]}"; do
		kill_pid "$pid"
	done
	# After the processes: a namespace lives on while one is in it.
	for ns in "${NETNS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	for ns in "${NETLINKS[@]}"; do
		ip link del "$ns" 2>/dev/null
	done
	rm -rf "$WORK"
	exit "$rc"
}
trap _cleanup EXIT
trap 'echo "FAIL: $TEST_NAME: interrupted" >&2; exit 1' INT
trap 'echo "FAIL: $TEST_NAME: terminated (over ${TEST_TIMEOUT}s?)" >&2; dump_logs >&2; exit 1' TERM

# The watchdog: one process, which kills its own sleep when it is stopped.
(
	sleep "$TEST_TIMEOUT" &
	s=$!
	trap 'kill $s 2>/dev/null; exit 0' TERM
	wait "$s" && kill -TERM $$ 2>/dev/null
) &
_watchdog=$!

# --- waiting -----------------------------------------------------------------

_now_ms() {
	local t=${EPOCHREALTIME//[!0-9]/}
	echo $((10#$t / 1000))
}

# wait_until TIMEOUT_S 'shell condition': evaluates the condition every
# 0.2 s until it holds (return 0) or the time is up (return 1).
wait_until() {
	local timeout=$1 cond=$2 deadline
	deadline=$(($(_now_ms) + timeout * 1000))
	while :; do
		eval "$cond" && return 0
		[ "$(_now_ms)" -ge "$deadline" ] && return 1
		sleep 0.2
	done
}

# --- small tools ---------------------------------------------------------------

# free_port: prints a TCP port that was free on 127.0.0.1 a moment ago.
free_port() {
	"$PYTHON3" -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# is_uint VALUE
is_uint() {
	case $1 in
	'' | *[!0-9]*) return 1 ;;
	*) return 0 ;;
	esac
}

# json_get 'python expression on j' < JSON: prints the expression's value.
json_get() {
	"$PYTHON3" -c '
import json, sys
j = json.load(sys.stdin)
v = eval(sys.argv[1])
print(json.dumps(v) if isinstance(v, (list, dict)) else v)' "$1"
}

# --- logs and sanitizers -------------------------------------------------------

SANITIZER_RE='AddressSanitizer|LeakSanitizer|ThreadSanitizer|runtime error|MemorySanitizer'

# check_log FILE WHAT: fails the test if FILE holds a sanitizer report.
check_log() {
	local file=$1 what=$2
	if [ -f "$file" ] && grep -Eq "$SANITIZER_RE" "$file"; then
		echo "--- $what: $file" >&2
		cat "$file" >&2
		fail "$what: sanitizer report in its log"
	fi
}

dump_logs() {
	local id
	for id in "${!DAEMON_LOG[@]}"; do
		[ -s "${DAEMON_LOG[$id]}" ] || continue
		echo "--- log of wsbenchd $id (${DAEMON_LOG[$id]})"
		tail -n 60 "${DAEMON_LOG[$id]}"
	done
}

# --- the daemon ----------------------------------------------------------------

_has_config_arg() {
	local a
	for a in "$@"; do
		case $a in -f*) return 0 ;; esac
	done
	return 1
}

# start_daemon ID [WSBENCHD ARG...]: starts wsbenchd with its socket in the
# workspace and metrics on a free port (METRICS_ID=PORT, DAEMON_MPORT[ID]),
# logging to $WORK/ID.log; returns once `wsbenchctl version` answers
# (at most 10 s).  Without -f it reads an empty config, never the
# system's.  ID must be a valid shell name part ([A-Za-z0-9_]).
start_daemon() {
	local id=$1 sock log port attempt pid
	shift
	sock=$WORK/$id.sock
	log=$WORK/$id.log
	local conf=()
	_has_config_arg "$@" || conf=(-f "$WORK/empty.conf")
	for attempt in 1 2 3; do
		port=$(free_port) || fail "free_port failed"
		spawn "$WSBENCHD" -s "$sock" -m "127.0.0.1:$port" "${conf[@]}" \
			"$@" >>"$log" 2>&1
		pid=$LAST_PID
		DAEMON_PID[$id]=$pid
		DAEMON_SOCK[$id]=$sock
		DAEMON_LOG[$id]=$log
		DAEMON_MPORT[$id]=$port
		printf -v "METRICS_$id" '%s' "$port"
		export "METRICS_${id}"
		if wait_until 10 "! alive $pid || ctl $id version >/dev/null 2>&1" &&
			alive "$pid"; then
			note "wsbenchd $id: pid $pid, socket $sock, metrics 127.0.0.1:$port"
			return 0
		fi
		if ! alive "$pid"; then
			wait_pid "$pid" 5
			# Another test may have taken the port in between.
			if grep -q 'cannot serve metrics' "$log" && [ "$attempt" -lt 3 ]; then
				note "wsbenchd $id: metrics port $port taken, retrying"
				continue
			fi
			fail "wsbenchd $id exited with $WAIT_RC at start"
		fi
		fail "wsbenchd $id does not answer 'version' within 10 s"
	done
}

# ctl ID ARG...: runs wsbenchctl on daemon ID's socket (bounded).
ctl() {
	local id=$1
	shift
	timeout -k 2 "$CTL_TIMEOUT" "$WSBENCHCTL" -s "${DAEMON_SOCK[$id]}" "$@"
}

# ctl_ok ID ARG...: like ctl, but fails the test unless it exits 0.
ctl_ok() {
	local id=$1 rc
	shift
	ctl "$id" "$@" 2>"$WORK/ctl.err"
	rc=$?
	[ "$rc" -eq 0 ] ||
		fail "wsbenchctl $* (daemon $id) exited $rc: $(cat "$WORK/ctl.err")"
}

# stat_of ID JOB KEY: prints counter KEY of JOB from `stats JOB`.
# Returns 1 (with a message on stderr) if there is no such job or key.
stat_of() {
	local id=$1 job=$2 key=$3 out v
	out=$(ctl "$id" stats "$job" 2>&1) || {
		echo "stat_of: stats $job on $id: $out" >&2
		return 1
	}
	v=$(printf '%s\n' "$out" | awk -v k="$key" '$1 == k { print $2; exit }')
	[ -n "$v" ] || {
		echo "stat_of: no '$key' in stats $job on $id" >&2
		return 1
	}
	printf '%s\n' "$v"
}

# expect_stat ID JOB KEY OP VALUE: one counter, compared with OP, one of
# the arithmetic comparisons (== > >= ...).
expect_stat() {
	local v
	v=$(stat_of "$1" "$2" "$3") || fail "cannot read $3 of $2 on $1"
	is_uint "$v" || fail "$2 $3 on $1 is '$v', not a number"
	(("v $4 $5")) || fail "$2 $3 on $1 is $v, expected $4 $5"
}

# num_of ID JOB KEY: like stat_of, but prints -1 on any error, so that it
# can be compared numerically in a wait_until condition.
num_of() {
	local v
	v=$(stat_of "$@" 2>/dev/null) && is_uint "$v" || v=-1
	printf '%s\n' "$v"
}

# job_names ID: the job names from `-j list`, one a line, sorted.
job_names() {
	ctl "$1" -j list | json_get '"\n".join(sorted(x["name"] for x in j))'
}

# metrics_url ID [PATH]: the URL of daemon ID's metrics server.
metrics_url() {
	printf 'http://127.0.0.1:%s%s\n' "${DAEMON_MPORT[$1]}" "${2:-/metrics}"
}

# metrics ID: the /metrics page of daemon ID.
metrics() {
	curl -sS --max-time 10 "$(metrics_url "$1")"
}

# stop_daemon ID [SIGNAL]: SIGTERM (or SIGNAL), then waits (15 s) for the
# exit; fails the test if the status is not 0, the socket is left behind,
# or the log has a sanitizer report.
stop_daemon() {
	local id=$1 sig=${2:-TERM} pid=${DAEMON_PID[$1]}
	alive "$pid" || {
		wait_pid "$pid" 1
		fail "wsbenchd $id was already gone (exit status $WAIT_RC)"
	}
	kill -"$sig" "$pid"
	wait_pid "$pid" 15 || fail "wsbenchd $id did not exit within 15 s of SIG$sig"
	check_log "${DAEMON_LOG[$id]}" "wsbenchd $id"
	if [ "$WAIT_RC" -ne 0 ]; then
		cat "${DAEMON_LOG[$id]}" >&2
		fail "wsbenchd $id exited with $WAIT_RC on SIG$sig, expected 0"
	fi
	[ ! -e "${DAEMON_SOCK[$id]}" ] ||
		fail "wsbenchd $id left its socket ${DAEMON_SOCK[$id]} behind"
	note "wsbenchd $id: exited 0 on SIG$sig"
}

# --- network namespaces ------------------------------------------------------

NETNS=()		# made by netns_add, deleted at exit
NETLINKS=()		# links of this namespace made by the test, deleted at exit

# netns_add NAME: a network namespace with lo up, deleted at exit after the
# test's processes.  Where none can be made (no root, no netns), the
# test's first one skips it (77).
netns_add() {
	if ! ip netns add "$1" 2>"$WORK/netns.err"; then
		[ ${#NETNS[@]} -eq 0 ] ||
			fail "ip netns add $1: $(cat "$WORK/netns.err")"
		echo "SKIP: ip netns add: $(cat "$WORK/netns.err")"
		exit 77
	fi
	NETNS+=("$1")
	ip -n "$1" link set lo up || fail "lo up in $1"
}

# netns_link NAME TYPE [ARG...]: ip link add NAME type TYPE ARG... here,
# deleted at exit.
netns_link() {
	local name=$1 type=$2
	shift 2
	ip link add "$name" type "$type" "$@" || fail "ip link add $name type $type"
	NETLINKS+=("$name")
}

# start_prometheus: a Prometheus of the test's own on a free loopback
# port, scraping every second what the scrape_configs on stdin name (YAML,
# as under scrape_configs:), its config checked by promtool first.  Sets
# PROM, its URL, and PROM_PID.
start_prometheus() {
	local port
	port=$(free_port) || fail "free_port failed"
	# shellcheck disable=SC2034 # the tests read it
	PROM=http://127.0.0.1:$port
	{
		printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n'
		printf '  evaluation_interval: 1s\nscrape_configs:\n'
		cat
	} >"$WORK/prometheus.yml"
	promtool check config "$WORK/prometheus.yml" >"$WORK/promtool.out" 2>&1 ||
		fail "promtool check config: $(cat "$WORK/promtool.out")"
	spawn prometheus --config.file="$WORK/prometheus.yml" \
		--storage.tsdb.path="$WORK/prom-data" \
		--web.listen-address="127.0.0.1:$port" \
		--log.level=warn >"$WORK/prometheus.log" 2>&1
	# shellcheck disable=SC2034 # the tests read it
	PROM_PID=$LAST_PID
}

# run_bounded TIMEOUT_S CMD [ARG...]: runs CMD in the foreground, killed
# after TIMEOUT_S; returns its exit status (124 on timeout).
run_bounded() {
	local t=$1
	shift
	timeout -k 2 "$t" "$@"
}

# start_server KIND ID NAME [ARG...]: starts a server job (push, echo) on
# a port the system picks (unless ARG has --port) and sets JOB_PORT to
# the port the reply shows.  start_push sets PUSH_PORT, start_echo
# ECHO_PORT.
JOB_PORT=
start_server() {
	local kind=$1 id=$2 name=$3 out port_arg=(--port 0)
	shift 3
	case " $* " in *" --port "*) port_arg=() ;; esac
	out=$(ctl "$id" start "$kind" --name "$name" "${port_arg[@]}" "$@" 2>&1) ||
		fail "start $kind $name $* on $id failed: $out"
	[[ $out =~ ^started\ $name:\ $kind\ 127\.0\.0\.1:([0-9]+)$ ]] ||
		fail "start $kind reply: got '$out', expected 'started $name: $kind 127.0.0.1:PORT'"
	JOB_PORT=${BASH_REMATCH[1]}
	[ "$JOB_PORT" -gt 0 ] || fail "start $kind reply shows port $JOB_PORT"
}
# shellcheck disable=SC2034 # the tests read them
PUSH_PORT='' ECHO_PORT=''
# shellcheck disable=SC2034
start_push() { start_server push "$@"; PUSH_PORT=$JOB_PORT; }
# shellcheck disable=SC2034
start_echo() { start_server echo "$@"; ECHO_PORT=$JOB_PORT; }

# start_client KIND ID NAME URL [ARG...]: starts a client job (recv,
# send); checks the reply.  start_recv and start_send name the kind.
start_client() {
	local kind=$1 id=$2 name=$3 url=$4 out
	shift 4
	out=$(ctl "$id" start "$kind" "$url" --name "$name" "$@" 2>&1) ||
		fail "start $kind $name $url $* on $id failed: $out"
	[ "$out" = "started $name: $kind $url" ] ||
		fail "start $kind reply: got '$out', expected 'started $name: $kind $url'"
}
start_recv() { start_client recv "$@"; }
start_send() { start_client send "$@"; }

# stop_job ID NAME: `stop NAME`, then waits (15 s) until it leaves `list`.
stop_job() {
	local id=$1 name=$2 out
	out=$(ctl "$id" stop "$name" 2>&1) || fail "stop $name on $id failed: $out"
	[ "$out" = "stopping $name" ] ||
		fail "stop reply: got '$out', expected 'stopping $name'"
	wait_until 15 "! job_names $id | grep -x '$name' >/dev/null" ||
		fail "job $name still listed on $id 15 s after stop"
}

# trace_start ID SECONDS SERIES: samples a series of daemon ID's /metrics
# every 0.1 s for SECONDS in the background ($WORK/trace: lines of the
# wall-clock time and the value, metric_trace.py); trace_wait SECONDS
# waits for it to end.
TRACE_PID=
trace_start() {
	spawn "$PYTHON3" "$HELPERS/metric_trace.py" "$(metrics_url "$1")" "$2" \
		0.1 "$3" >"$WORK/trace" 2>"$WORK/trace.err"
	TRACE_PID=$LAST_PID
}
trace_wait() {
	wait_pid "$TRACE_PID" "$1" || fail "metric_trace.py does not finish"
	[ "$WAIT_RC" -eq 0 ] || fail "metric_trace.py: $(cat "$WORK/trace.err")"
}

# --- the Python reference server (peer_server.py) ----------------------------------

# start_peer_server TAG ARG...: starts peer_server.py; sets SERVER_PID, SERVER_PORT.
SERVER_PID=
SERVER_PORT=
start_peer_server() {
	local tag=$1
	shift
	spawn "$PYTHON3" "$HELPERS/peer_server.py" "$@" \
		>"$WORK/server.$tag.out" 2>"$WORK/server.$tag.err"
	SERVER_PID=$LAST_PID
	# shellcheck disable=SC2016 # evaluated by wait_until
	wait_until 15 '[ -s "$WORK/server.$tag.out" ] || ! alive $SERVER_PID'
	SERVER_PORT=$(head -n 1 "$WORK/server.$tag.out")
	is_uint "$SERVER_PORT" ||
		fail "peer_server.py $* did not print its port: $(cat "$WORK/server.$tag.err")"
}

# peer_server_verdict TAG: SIGTERM; peer_server.py must exit 0 (its checks hold).
peer_server_verdict() {
	local tag=$1
	kill -TERM "$SERVER_PID"
	wait_pid "$SERVER_PID" 15 || fail "peer_server.py ($tag) does not exit on SIGTERM"
	sed "s/^/    [server $tag] /" "$WORK/server.$tag.err"
	[ "$WAIT_RC" -eq 0 ] ||
		fail "peer_server.py ($tag) exited $WAIT_RC: $(cat "$WORK/server.$tag.err")"
}
