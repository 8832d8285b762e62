#!/bin/bash
# SPDX-License-Identifier: ISC
# `stats` and `stats -j` come from one walk over a job's numbers: for every
# kind (push and echo, with --deflate and over TLS; recv plain, offering
# deflate, and over wss with --insecure; a recv that saw closes and an
# error; a send timing its echoes), the text keys and the JSON members are
# the same fields, with the same settings, and ratios and times of the
# same form.  A text key is a JSON member, or for the groups of JSON:
# KEY_per_second is per_second.KEY, handshake_KEY is handshake.KEY,
# closes_CODE is closes.CODE, latency_GROUP_KEY is latency.GROUP.KEY_us
# (latency_GROUP_count latency.GROUP.count, latency_type latency.type),
# a time of the run KEY is run.KEY_ms, DIRECTION_per_second_STAT is
# run.DIRECTION_per_second.STAT, another member of run a key of its own.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
# shellcheck disable=SC2016 # conditions run by wait_until
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

command -v jq >/dev/null || fail "jq is missing (Debian package jq)"
command -v openssl >/dev/null || fail "openssl is not installed (Debian package openssl)"

# A self-signed certificate is enough: the recv job does not verify it.
run_bounded 30 openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	-nodes -days 1 -subj /CN=127.0.0.1 -keyout "$WORK/key.pem" \
	-out "$WORK/cert.pem" >"$WORK/openssl.log" 2>&1 ||
	fail "openssl: $(tail -n 5 "$WORK/openssl.log")"

start_daemon a
start_push a p --deflate
push_port=$PUSH_PORT
start_recv a r "ws://127.0.0.1:$push_port/" --deflate
out=$(ctl a start echo --name e --port 0 --tls-cert "$WORK/cert.pem" \
	--tls-key "$WORK/key.pem" 2>&1) || fail "start echo: $out"
[[ $out =~ 127\.0\.0\.1:([0-9]+)$ ]] || fail "start echo reply: '$out'"
start_recv a ri "wss://127.0.0.1:${BASH_REMATCH[1]}/" --insecure
# A server that goes away: its client counts the close, then errors.
out=$(ctl a start echo --name gone --port 0 2>&1) || fail "start echo: $out"
[[ $out =~ 127\.0\.0\.1:([0-9]+)$ ]] || fail "start echo reply: '$out'"
start_recv a rc "ws://127.0.0.1:${BASH_REMATCH[1]}/"
wait_until 10 '[ "$(num_of a r connections)" -eq 1 ] &&
	[ "$(num_of a ri connections)" -eq 1 ] &&
	[ "$(num_of a rc connections)" -eq 1 ]' ||
	fail "the recv jobs do not connect: $(ctl a stats)"
stop_job a gone
wait_until 10 '[ "$(stat_of a rc last_error)" != none ]' ||
	fail "rc has no error after its server went: $(ctl a stats rc)"
# A job that times messages: a send against a plain echo.
out=$(ctl a start echo --name ee --port 0 2>&1) || fail "start echo: $out"
[[ $out =~ 127\.0\.0\.1:([0-9]+)$ ]] || fail "start echo reply: '$out'"
out=$(ctl a start send "ws://127.0.0.1:${BASH_REMATCH[1]}/" --name s \
	--rate 100 2>&1) || fail "start send: $out"
wait_until 15 '[ "$(num_of a s latency_life_count)" -gt 0 ]' ||
	fail "s times nothing: $(ctl a stats s)"

ctl a stats >"$WORK/stats" || fail "stats: $(cat "$WORK/stats")"
ctl a stats -j >"$WORK/stats.json" || fail "stats -j: $(cat "$WORK/stats.json")"

"$PYTHON3" - "$WORK/stats" "$WORK/stats.json" >"$WORK/check" 2>&1 <<'EOF'
import json, re, sys

GROUPS = {"per_second": "{}_per_second", "handshake": "handshake_{}",
          "closes": "closes_{}"}
# A ratio: "none" or two decimals in text, null or a number in JSON.
RATIOS = {"compression_received", "compression_sent"}
# A time: "none" or a number and its unit in text, null or a number in
# JSON.
TIME = r"none|[0-9]+ ns|[0-9]+\.[0-9]{3} (us|ms|s)"


def text_jobs(path):
    jobs, cur = [], None
    for line in open(path, encoding="utf-8").read().splitlines():
        if line == "":
            cur = None
            continue
        k, v = re.fullmatch(r"(\S+) +(.*)", line).groups()
        if cur is None:
            cur = {}
            jobs.append(cur)
        cur[k] = v
    return jobs


def flat_latency(lat):
    out = {}
    for k, v in lat.items():
        if isinstance(v, dict):
            for m, w in v.items():
                out[f"latency_{k}_{m.removesuffix('_us')}"] = w
        else:
            out["latency_" + k.removesuffix("_us")] = v
    return out


RUN_RATES = ("mean", "min", "max")
RUN_RATE_KEYS = tuple(f"_per_second_{m}" for m in RUN_RATES)
# A time of the run: "none" (null in JSON) until the job reaches it.
RUN_TIMES = {"duration", "ramp", "full_load"}


def flat_run(run):
    out = {}
    for k, v in run.items():
        if k.endswith("_per_second"):
            for m in RUN_RATES:
                out[f"{k}_{m}"] = None if v is None else v[m]
        else:
            out[k.removesuffix("_ms")] = v
    return out


def flat(obj):
    out = {}
    for k, v in obj.items():
        if k == "latency":
            out.update(flat_latency(v))
        elif k == "run":
            out.update(flat_run(v))
        elif k in GROUPS:
            for m, w in v.items():
                out[GROUPS[k].format(m)] = w
        else:
            out[k] = v
    return out


bad = []
tj = text_jobs(sys.argv[1])
jj = [flat(o) for o in json.load(open(sys.argv[2], encoding="utf-8"))]
if [t["name"] for t in tj] != [j["name"] for j in jj]:
    bad.append(f"jobs: text {[t['name'] for t in tj]}, "
               f"JSON {[j['name'] for j in jj]}")
for t, j in zip(tj, jj):
    name = t["name"]
    if set(t) != set(j):
        bad.append(f"{name}: only in text {sorted(set(t) - set(j))}, "
                   f"only in JSON {sorted(set(j) - set(t))}")
    for k in set(t) & set(j):
        v = j[k]
        if k in RATIOS:
            # Its value may move between the two views, not its form.
            if (t[k] == "none") != (v is None) or not re.fullmatch(
                    r"none|[0-9]+\.[0-9]{2}", t[k]) or not isinstance(
                    v, (float, type(None))):
                bad.append(f"{name}: {k} is {t[k]!r} in text, {v!r} in "
                           f"JSON")
        elif k.startswith("latency_") and not k.endswith(("_count",
                                                         "_type")):
            # The last second's may be sampled between the two views:
            # only its form must agree.
            moves = k.endswith("_1s")
            if (not moves and (t[k] == "none") != (v is None)) or \
                    not re.fullmatch(TIME, t[k]) or \
                    not isinstance(v, (float, type(None))):
                bad.append(f"{name}: {k} is {t[k]!r} in text, {v!r} in "
                           f"JSON")
        elif k in RUN_TIMES or k.endswith(RUN_RATE_KEYS):
            # Both are taken at their view's moment: only their form
            # (and whether there is one) must agree.
            form = TIME if k in RUN_TIMES else r"none|[0-9]+(\.[0-9])?"
            if (t[k] == "none") != (v is None) or \
                    not re.fullmatch(form, t[k]) or \
                    not isinstance(v, (int, float, type(None))):
                bad.append(f"{name}: {k} is {t[k]!r} in text, {v!r} in "
                           f"JSON")
        elif isinstance(v, str) and k != "last_close" and t[k] != v:
            bad.append(f"{name}: {k} is {t[k]!r} in text, {v!r} in JSON")
    print(name, t["kind"], *[k for k in t if k.startswith(
        ("tls_", "deflate", "closes_", "latency_type"))])
for b in bad:
    print("mismatch:", b)
sys.exit(1 if bad else 0)
EOF
rc=$?
note "jobs and their settings or closes: $(grep -v '^mismatch' "$WORK/check" | tr '\n' ';')"
[ $rc -eq 0 ] || defect "text and JSON stats differ: $(grep '^mismatch' "$WORK/check")"

# Each setting shows where it applies, in both views.
want=(
	"p deflate agreed when offered"
	"r deflate_offer permessage-deflate; client_max_window_bits"
	"ri tls_verify OFF (--insecure)"
)
for w in "${want[@]}"; do
	read -r job key value <<<"$w"
	got=$(ctl a stats "$job" | sed -n "s/^$key  *//p")
	[ "$got" = "$value" ] || defect "stats $job: $key is '$got', expected '$value'"
	got=$(ctl a stats -j "$job" | jq -r --arg k "$key" '.[0][$k]')
	[ "$got" = "$value" ] || defect "stats -j $job: $key is '$got', expected '$value'"
done
for job in e rc; do
	got=$(ctl a stats -j "$job" | jq -r '.[0] | [has("tls_verify"),
		has("deflate"), has("deflate_offer")] | join(" ")')
	[ "$got" = "false false false" ] || defect "stats -j $job shows settings: $got"
done
[ "$(stat_of a s latency_type)" = rtt ] || defect "s: latency_type '$(stat_of a s latency_type)'"
for job in p r ri e rc ee; do
	ctl a stats "$job" | grep -q '^latency' && defect "$job shows a latency: $(ctl a stats "$job")"
done
ctl a stats rc | grep -Eq '^closes_1001 +1$' ||
	defect "rc: no closes_1001 line: $(ctl a stats rc | grep closes_)"

stop_daemon a
finish
