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
"$PYTHON3" - "$WORK" <<'PY' || defect "the sums differ"
import json, sys
work = sys.argv[1]
hosts = {h: json.load(open(f"{work}/{h}.json")) for h in "abc"}
want = {}
for h, jobs in hosts.items():
    for j in jobs:
        s = want.setdefault(j["name"], {"kind": j["kind"], "hosts": 0, "rate": {}})
        s["hosts"] += 1
        for k, v in j.items():
            if isinstance(v, int) and not isinstance(v, bool):
                s[k] = s.get(k, 0) + v
        for k, v in j["per_second"].items():
            s["rate"][k] = s["rate"].get(k, 0) + v
bad = []
def same(what, got, exp):
    if got != exp:
        bad.append(f"{what}: {got} != {exp}")
# -j: each host's stats as is, and the sum.
j = json.load(open(f"{work}/stats.json"))
same("hosts", [x["host"] for x in j["hosts"]], list("abc"))
for x in j["hosts"]:
    same(x["host"] + " status", x["status"], 0)
    same(x["host"] + " jobs", [y["name"] for y in x["stats"]],
         [y["name"] for y in hosts[x["host"]]])
same("-j sum jobs", sorted(s["name"] for s in j["sum"]), sorted(want))
for s in j["sum"]:
    w = want[s["name"]]
    for k, v in s.items():
        if k == "per_second":
            same(s["name"] + " per_second", v, w["rate"])
        elif k != "name":
            same(f"-j {s['name']} {k}", v, w.get(k))
# text: the block of each job after "== sum of 3 hosts".
text = open(f"{work}/stats").read()
head, _, tail = text.partition("== sum of 3 hosts\n")
for h in "abc":
    if f"== {h}\n" not in head:
        bad.append(f"no '== {h}'")
blocks = [b for b in tail.split("\n\n") if b.strip()]
same("text sum jobs", sorted(b.split()[1] for b in blocks), sorted(want))
for b in blocks:
    kv = dict(line.split(None, 1) for line in b.splitlines())
    w = want[kv["name"]]
    same("kind", kv["kind"], w["kind"])
    for k, v in kv.items():
        if k in ("name", "kind"):
            continue
        exp = w["rate"].get(k[:-11]) if k.endswith("_per_second") else w.get(k)
        same(f"text {kv['name']} {k}", int(v), exp)
    for k in w["rate"]:
        if k + "_per_second" not in kv:
            bad.append(f"text {kv['name']}: no {k}_per_second")
if want["r"]["messages_received"] == 0:
    bad.append("r received nothing: the sums prove little")
print("\n".join(bad), file=sys.stderr)
sys.exit(1 if bad else 0)
PY

note "one host: the local command's output, byte for byte"
for cmd in "list" "stats r" "-j stats" "stats"; do
	# shellcheck disable=SC2086
	ctl b $cmd >"$WORK/local" 2>&1
	# shellcheck disable=SC2086
	hctl -H b $cmd >"$WORK/remote" 2>&1
	cmp -s "$WORK/local" "$WORK/remote" ||
		defect "-H b $cmd differs from the local: $(diff "$WORK/local" "$WORK/remote")"
done
ctl b stop nosuch >"$WORK/local" 2>&1
lrc=$?
hctl -H b stop nosuch >"$WORK/remote" 2>&1
rrc=$?
[ "$lrc" -eq "$rrc" ] && cmp -s "$WORK/local" "$WORK/remote" ||
	defect "-H b stop nosuch: exit $rrc '$(cat "$WORK/remote")', local $lrc '$(cat "$WORK/local")'"

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
for bad in "a,,b" "-oProxyCommand=x" "@$WORK/nofile"; do
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
