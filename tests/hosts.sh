#!/bin/bash
# SPDX-License-Identifier: ISC
# wsbenchctl -H and -R, without ssh: WSBENCH_SSH is tests/helpers/fake_ssh.sh,
# which runs the command as if on host X, whose daemon's socket is
# $WORK/X.sock; the host `down` fails as an unreachable one does.  Three
# daemons a, b, c: start on two hosts reports per host; once the jobs are
# finished the sum of stats (text and -j) equals the hosts' own numbers
# exactly; one host is byte for byte the local command; a host down is
# reported and hides none of the others; wait gives the worst status;
# watch --plain shows sum rows; -o with two hosts is refused; Ctrl-C of
# wait reaches the daemons through the relay.
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

# The relay on the "hosts" is this build's, not an installed one.
PATH=$(dirname "$WSBENCHCTL"):$PATH
# Through the shell, as a WSBENCH_SSH with options would be.
export WSBENCH_SSH="sh $HELPERS/fake_ssh.sh"

# hctl ARG...: wsbenchctl (with -H among ARG), bounded.
hctl() {
	timeout -k 2 "$CTL_TIMEOUT" "$WSBENCHCTL" "$@"
}

# expect_rc WANT WHAT RC: a check of an exit status.
expect_rc() {
	[ "$3" -eq "$1" ] || defect "$2: exit $3, not $1: $(cat "$WORK/err")"
}

start_daemon a
start_daemon b
start_daemon c

note "-R: the control protocol over standard input and output"
printf 'version\n' | WSBENCH_SOCKET=${DAEMON_SOCK[a]} "$WSBENCHCTL" -R >"$WORK/out" 2>"$WORK/err"
expect_rc 0 "-R version" $?
grep -qx '>wsbench .*' "$WORK/out" || defect "-R version replied: $(cat "$WORK/out")"
WSBENCH_SOCKET=$WORK/none.sock "$WSBENCHCTL" -R </dev/null >"$WORK/out" 2>"$WORK/err"
expect_rc 1 "-R without a daemon" $?
grep -q 'cannot connect' "$WORK/err" || defect "-R without a daemon: $(cat "$WORK/err")"

note "-s names the remote socket, quoted for the remote shell"
ln -s "${DAEMON_SOCK[a]}" "$WORK/it's a \$HOME.sock"
hctl -H a -s "$WORK/it's a \$HOME.sock" version >"$WORK/out" 2>"$WORK/err"
expect_rc 0 "-H a -s with a quote, a space and a \$" $?
grep -qx 'wsbench .*' "$WORK/out" || defect "-H a -s ... version printed: $(cat "$WORK/out")"

start_push a p --rate 20
url=ws://127.0.0.1:$PUSH_PORT/
refused=ws://127.0.0.1:$(free_port)/

note "start on two hosts: a line each, under its host's name"
hctl -H b,you@c start recv "$url" --name r --connections 2 --duration 5s >"$WORK/out" 2>"$WORK/err"
expect_rc 0 "start on b,c" $?
printf 'b: started r: recv %s\nyou@c: started r: recv %s\n' "$url" "$url" |
	cmp -s - "$WORK/out" || defect "start on b,c printed: $(cat "$WORK/out")"
ctl_ok b start recv "$url" --name x --duration 5s
ctl_ok c start recv "$refused" --name x --duration 5s

note "watch --plain on two hosts: a row per host and job, a sum row per job"
spawn "$WSBENCHCTL" -H b,c watch --plain >"$WORK/watch" 2>"$WORK/err"
wpid=$LAST_PID
wait_until 15 'grep -Eq "^sum +r +recv +4 " "$WORK/watch"' ||
	defect "watch --plain -H b,c: no sum row of r's 4 connections: $(cat "$WORK/watch" "$WORK/err")"
kill_pid "$wpid"
grep -Eq '^HOST +JOB +KIND' "$WORK/watch" || defect "watch -H: no HOST column"
grep -Eq '^b +r +recv +2 ' "$WORK/watch" || defect "watch -H: no row of b's r"
grep -Eq '^sum +x +recv ' "$WORK/watch" || defect "watch -H: no sum row of x"

note "wait on two hosts: the worst status"
hctl -H b,c wait x --require errors==0 >"$WORK/out" 2>"$WORK/err"
expect_rc 1 "wait x errors==0 on b (none) and c (refused)" $?
grep -q '^b: verdict pass$' "$WORK/out" || defect "wait -H: no b: verdict pass: $(cat "$WORK/out")"
grep -q '^c: verdict fail$' "$WORK/out" || defect "wait -H: no c: verdict fail"
grep -qx 'wsbenchctl: c: 1 of 1 requirements failed' "$WORK/err" ||
	defect "wait -H: c's failure: $(cat "$WORK/err")"
hctl -H b,c wait r >/dev/null 2>"$WORK/err"
expect_rc 0 "wait r on b,c" $?
ctl_ok a stop --keep p

note "stats: each host's, then the sum, equal to the hosts' own numbers"
for h in a b c; do
	ctl "$h" -j stats >"$WORK/$h.json" || fail "stats -j on $h"
done
hctl -H a,b,c stats >"$WORK/stats" 2>"$WORK/err"
expect_rc 0 "stats on a,b,c" $?
hctl -H a,b,c -j stats >"$WORK/stats.json" 2>"$WORK/err"
expect_rc 0 "stats -j on a,b,c" $?
"$PYTHON3" -m json.tool "$WORK/stats.json" >/dev/null || defect "stats -j -H: not JSON"
# The rates of a finished job still move: they are checked against the
# hosts' replies in the same output, the totals against each host's own.
"$PYTHON3" - "$WORK" <<'PY' || defect "the sums differ"
import json, re, sys
work = sys.argv[1]
bad = []
def same(what, got, exp):
    if got != exp:
        bad.append(f"{what}: {got} != {exp}")
def total(hosts):
    """Per job name: hosts, kind, each integer summed, per_second summed."""
    want = {}
    for jobs in hosts.values():
        for j in jobs:
            s = want.setdefault(j["name"], {"kind": j["kind"], "hosts": 0, "rate": {}})
            s["hosts"] += 1
            for k, v in j.items():
                if isinstance(v, int) and not isinstance(v, bool):
                    s[k] = s.get(k, 0) + v
            for k, v in j.get("per_second", {}).items():
                s["rate"][k] = s["rate"].get(k, 0) + v
    return want
own = total({h: json.load(open(f"{work}/{h}.json")) for h in "abc"})
counters = [k for k in own["r"] if k not in ("kind", "hosts", "rate")]
def check(what, sums, want):
    same(what + " jobs", sorted(sums), sorted(own))
    for name, s in sums.items():
        w = want[name]
        same(f"{what} {name} rates", s["rate"], w["rate"])
        for k in ["kind", "hosts"] + counters:
            same(f"{what} {name} {k}", s.get(k), own[name].get(k))
# -j: each host's stats as is, and the sum.
j = json.load(open(f"{work}/stats.json"))
same("-j hosts", [x["host"] for x in j["hosts"]], list("abc"))
for x in j["hosts"]:
    same(x["host"] + " status", x["status"], 0)
sums = {}
for s in j["sum"]:
    s = dict(s)
    s["rate"] = s.pop("per_second")
    sums[s["name"]] = s
check("-j", sums, total({x["host"]: x["stats"] for x in j["hosts"]}))
# text: "== HOST" sections, then "== sum of 3 hosts"; blocks of key value.
def blocks(text):
    jobs = []
    for b in text.split("\n\n"):
        kv = dict(l.split(None, 1) for l in b.splitlines() if l.strip())
        if "name" not in kv:
            continue
        job = {"name": kv["name"], "kind": kv["kind"], "per_second": {}}
        for k, v in kv.items():
            if not re.fullmatch(r"[0-9]+", v):
                continue
            if k.endswith("_per_second") and k[:-11] in counters:
                job["per_second"][k[:-11]] = int(v)
            else:
                job[k] = int(v)
        jobs.append(job)
    return jobs
parts = re.split(r"^== (.*)\n", open(f"{work}/stats").read(), flags=re.M)
same("text sections", parts[1::2], ["a", "b", "c", "sum of 3 hosts"])
hosts = {h: blocks(t) for h, t in zip(parts[1:-2:2], parts[2:-2:2])}
sums = {}
for s in blocks(parts[-1]):
    s["rate"] = s.pop("per_second")
    sums[s["name"]] = s
check("text", sums, total(hosts))
if own["r"]["messages_received"] == 0:
    bad.append("r received nothing: the sums prove little")
print("\n".join(bad), file=sys.stderr)
sys.exit(1 if bad else 0)
PY

note "one host: the local command's output, byte for byte"
# same_as_local CMD...: -H b CMD prints what CMD on b prints, and exits
# the same.  The rates of stats are cut: even a finished job's move.
same_as_local() {
	local lrc rrc
	ctl b "$@" 2>&1 | sed 's/^\([a-z_]*_per_second\) .*/\1/' >"$WORK/local"
	lrc=${PIPESTATUS[0]}
	hctl -H b "$@" 2>&1 | sed 's/^\([a-z_]*_per_second\) .*/\1/' >"$WORK/remote"
	rrc=${PIPESTATUS[0]}
	if [ "$lrc" -ne "$rrc" ] || ! cmp -s "$WORK/local" "$WORK/remote"; then
		defect "-H b $*: exit $rrc, local $lrc: $(diff "$WORK/local" "$WORK/remote")"
	fi
}
same_as_local list
same_as_local -j list
same_as_local help wait
same_as_local stats r
same_as_local stats
same_as_local stop nosuch

note "a host down: reported, the others answered, exit 1"
hctl -H a,down,c version >"$WORK/out" 2>"$WORK/err"
expect_rc 1 "version on a,down,c" $?
printf 'a: %s\nc: %s\n' "$("$WSBENCHCTL" -V)" "$("$WSBENCHCTL" -V)" |
	cmp -s - "$WORK/out" || defect "version on a,down,c printed: $(cat "$WORK/out")"
grep -q '^wsbenchctl: down: ssh exited with status 255$' "$WORK/err" ||
	defect "down is not reported: $(cat "$WORK/err")"
grep -q '^ssh: connect to host down' "$WORK/err" || defect "ssh's own message is lost"
hctl -H down,b stats r >"$WORK/out" 2>"$WORK/err"
expect_rc 1 "stats on down,b" $?
grep -qx '== sum of 1 hosts' "$WORK/out" || defect "stats on down,b: no sum of b alone"
hctl -H down version >"$WORK/out" 2>"$WORK/err"
expect_rc 1 "version on down" $?
grep -qx 'wsbenchctl: down: ssh exited with status 255' "$WORK/err" ||
	defect "version on down: $(cat "$WORK/err")"

note "hosts from a file; bad lists and -o with two hosts refused"
printf '# the recv hosts\n\n  b \nc\n' >"$WORK/hosts"
hctl -H "@$WORK/hosts" version >"$WORK/out" 2>"$WORK/err"
expect_rc 0 "-H @file" $?
[ "$(cut -d: -f1 "$WORK/out" | xargs)" = "b c" ] || defect "-H @file: $(cat "$WORK/out")"
for bad in "a,,b" "-oProxyCommand=x" "@$WORK/nofile" "a b" "$(printf 'a\033[2Jb')"; do
	hctl -H "$bad" version >/dev/null 2>"$WORK/err"
	expect_rc 2 "-H $bad" $?
done
hctl -H b,c -o "$WORK/series.csv" wait r >/dev/null 2>"$WORK/err"
expect_rc 2 "-o with two hosts" $?
grep -q -- '-o' "$WORK/err" || defect "-o with two hosts: $(cat "$WORK/err")"

note "Ctrl-C of wait half-closes through the relay: the daemons answer"
ctl_ok a start recv "$refused" --name long --duration 60s
ctl_ok b start recv "$refused" --name long --duration 60s
for hs in a a,b; do
	spawn "$WSBENCHCTL" -H "$hs" wait long >"$WORK/int.out" 2>"$WORK/int.err"
	pid=$LAST_PID
	# The signal once the request is out: the handler is set then.
	wait_until 10 "pgrep -P $pid >/dev/null" || true
	sleep 2
	kill -INT "$pid"
	wait_pid "$pid" 20 || fail "wait -H $hs did not end within 20 s of SIGINT"
	[ "$WAIT_RC" -eq 3 ] || defect "an interrupted wait -H $hs exited $WAIT_RC: $(cat "$WORK/int.err")"
	grep -q 'interrupted' "$WORK/int.err" ||
		defect "interrupted wait -H $hs: $(cat "$WORK/int.err")"
done
grep -qx 'wsbenchctl: b: interrupted' "$WORK/int.err" ||
	defect "b's interrupted wait is not under its name: $(cat "$WORK/int.err")"

finish
