#!/bin/bash
# SPDX-License-Identifier: ISC
# `wsbenchd -n -f FILE` against golden files: good.conf passes, bad.conf
# gives exactly the errors of bad.out; the shipped config passes; a line
# that is not text is refused; a daemon on a config with an error exits 1;
# a good config runs at start, however long its lines.
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

golden=$TESTS_SRCDIR/golden
for f in good.conf bad.conf bad.out; do
	[ -s "$golden/$f" ] || fail "missing golden file $golden/$f"
done
[ -f "$ETC_SRCDIR/wsbenchd.conf" ] || fail "missing $ETC_SRCDIR/wsbenchd.conf"

# check FILE: runs `wsbenchd -n -f FILE` into $WORK/check.{out,err};
# sets RC.
RC=
check() {
	run_bounded 20 "$WSBENCHD" -n -f "$1" >"$WORK/check.out" 2>"$WORK/check.err"
	RC=$?
	check_log "$WORK/check.err" "wsbenchd -n -f $1"
}

# expect_ok FILE
expect_ok() {
	check "$1"
	[ "$RC" -eq 0 ] ||
		fail "wsbenchd -n -f $1: exit $RC, expected 0; stderr: $(cat "$WORK/check.err")"
	[ "$(cat "$WORK/check.out")" = "configuration OK" ] ||
		fail "wsbenchd -n -f $1: stdout '$(cat "$WORK/check.out")', expected 'configuration OK'"
	[ ! -s "$WORK/check.err" ] ||
		fail "wsbenchd -n -f $1: stderr not empty: $(cat "$WORK/check.err")"
	note "ok: $1: configuration OK"
}

# placeholder FILE < text: FILE's path, wherever it occurs, as @FILE@.
placeholder() {
	local re
	re=$(printf '%s' "$1" | sed 's/[][\.*^$|/]/\\&/g')
	sed "s|$re|@FILE@|g"
}

# expect_errors FILE EXPECTED: exit 1, nothing on stdout, and stderr equal
# to the file EXPECTED once FILE's path is @FILE@.
expect_errors() {
	check "$1"
	[ "$RC" -eq 1 ] ||
		fail "wsbenchd -n -f $1: exit $RC, expected 1; stderr: $(cat "$WORK/check.err")"
	[ ! -s "$WORK/check.out" ] ||
		fail "wsbenchd -n -f $1: wrote to stdout: $(cat "$WORK/check.out")"
	placeholder "$1" <"$WORK/check.err" >"$WORK/check.got"
	diff -u "$2" "$WORK/check.got" >"$WORK/check.diff" ||
		fail "wsbenchd -n -f $1: stderr differs from $2 (- expected, + got):
$(cat "$WORK/check.diff")"
	note "ok: $1: $(wc -l <"$WORK/check.got") errors as expected"
}

# --- the golden files --------------------------------------------------------

expect_ok "$golden/good.conf"
expect_errors "$golden/bad.conf" "$golden/bad.out"
# bad.out is no empty promise: one line for each kind of error the brief
# names, at least.
for re in "unknown command" "unknown option" "bad URL" "unterminated quote" \
	"watch: only for wsbenchctl" "bad job name"; do
	grep -q "^wsbenchd: @FILE@:[0-9]*: .*$re" "$golden/bad.out" ||
		fail "bad.out has no '$re' line"
done
# The same errors when the file is named by a relative path.
(cd "$golden" && run_bounded 20 "$WSBENCHD" -n -f bad.conf) >/dev/null 2>"$WORK/rel.err"
rc=$?
[ "$rc" -eq 1 ] || fail "wsbenchd -n -f bad.conf (relative): exit $rc"
sed 's|^wsbenchd: bad\.conf:|wsbenchd: @FILE@:|' "$WORK/rel.err" | diff -u "$golden/bad.out" - ||
	fail "wsbenchd -n -f bad.conf (relative path): errors differ"

# --- the shipped config, and generated ones ------------------------------------

expect_ok "$ETC_SRCDIR/wsbenchd.conf"

# CRLF line ends: a carriage return before the newline is ignored.
printf 'start push --name a --port 1\r\n# comment\r\n\r\nstart recv ws://127.0.0.1:1/ --name b\r\n' \
	>"$WORK/crlf.conf"
expect_ok "$WORK/crlf.conf"
printf 'start push --name a\r\nbogus\r\nstart push --msg "x\r\n' >"$WORK/crlf_bad.conf"
cat >"$WORK/crlf_bad.out" <<'EOF'
wsbenchd: @FILE@:2: unknown command 'bogus' (valid: start stop list stats watch version help reload set latency wait run)
wsbenchd: @FILE@:3: unterminated quote
EOF
expect_errors "$WORK/crlf_bad.conf" "$WORK/crlf_bad.out"

# No newline at the end of the last line.
printf 'start push --name a\nbogus' >"$WORK/nonl.conf"
echo "wsbenchd: @FILE@:2: unknown command 'bogus' (valid: start stop list stats watch version help reload set latency wait run)" \
	>"$WORK/nonl.out"
expect_errors "$WORK/nonl.conf" "$WORK/nonl.out"

# At most 64 words a line.
line="start push"
for _ in $(seq 31); do line="$line --port 1"; done
echo "$line" >"$WORK/w64.conf"
expect_ok "$WORK/w64.conf"
echo "$line --binary" >"$WORK/w65.conf"
echo "wsbenchd: @FILE@:1: too many words" >"$WORK/w65.out"
expect_errors "$WORK/w65.conf" "$WORK/w65.out"

# A NUL is no end of line, and a control character no text: both are
# refused, as on the control socket.
printf 'start push --name a --port 1\0 --bogus\nstart push --name b --msg "a\033b"\n' \
	>"$WORK/nul.conf"
cat >"$WORK/nul.out" <<'EOF'
wsbenchd: @FILE@:1: line is not text (a NUL or a control character)
wsbenchd: @FILE@:2: line is not text (a NUL or a control character)
EOF
expect_errors "$WORK/nul.conf" "$WORK/nul.out"

# An empty file is a good one; a missing one is an error.
expect_ok "$WORK/empty.conf"
check "$WORK/missing.conf"
[ "$RC" -eq 1 ] || fail "wsbenchd -n -f (missing file): exit $RC, expected 1"
grep -q "$WORK/missing.conf: No such file or directory" "$WORK/check.err" ||
	fail "wsbenchd -n -f (missing file): stderr: $(cat "$WORK/check.err")"

# --- daemons on these configs --------------------------------------------------

# A config with an error: the daemon exits 1, reporting it, and removes
# its socket.  (config_start.sh checks what it may start before that.)
printf 'start push --name early --port 0\nbogus\nstart push --name late --port 0\n' \
	>"$WORK/bad_run.conf"
port=$(free_port) || fail "free_port"
run_bounded 20 "$WSBENCHD" -f "$WORK/bad_run.conf" -s "$WORK/bad.sock" \
	-m "127.0.0.1:$port" >"$WORK/bad.log" 2>&1
rc=$?
check_log "$WORK/bad.log" "wsbenchd -f bad_run.conf"
[ "$rc" -eq 1 ] || fail "wsbenchd -f bad_run.conf: exit $rc, expected 1: $(cat "$WORK/bad.log")"
grep -q "^wsbenchd: $WORK/bad_run\.conf:2: unknown command 'bogus'" "$WORK/bad.log" ||
	fail "wsbenchd -f bad_run.conf does not report line 2: $(cat "$WORK/bad.log")"
[ ! -e "$WORK/bad.sock" ] || fail "wsbenchd -f bad_run.conf left its socket behind"
note "ok: wsbenchd on a config with an error exits 1"

# A good config runs at start: a push and a recv connected to it.
pport=$(free_port) || fail "free_port"
cat >"$WORK/run.conf" <<EOF
# generated by config.sh
start push --name cpush --port $pport --msg "from the config"
start recv ws://127.0.0.1:$pport/ --name crecv --connections 3
EOF
start_daemon c -f "$WORK/run.conf"
wait_until 15 '[ "$(num_of c crecv connections)" -eq 3 ] && [ "$(num_of c crecv messages_received)" -gt 0 ]' ||
	fail "jobs of the config: crecv $(num_of c crecv connections) connections, $(num_of c crecv messages_received) messages"
[ "$(job_names c | tr '\n' ' ')" = "cpush crecv " ] ||
	fail "jobs of the config: $(job_names c | tr '\n' ' ')"
stop_daemon c

# A line that quoting makes 4 times longer, 2,100 single quotes in a
# message: what passes -n starts, and a reload keeps it.
q=$(printf '%2100s' '' | tr ' ' "'")
printf 'start push --name q --port 0 --msg "%s"\n' "$q" >"$WORK/long.conf"
expect_ok "$WORK/long.conf"
start_daemon l -f "$WORK/long.conf"
out=$(ctl l reload 2>&1) || fail "reload of long.conf: $out"
[ "$out" = "reloaded $WORK/long.conf: 1 kept, 0 stopped, 0 started" ] ||
	fail "reload of long.conf said '$out'"
[ "$(job_names l)" = q ] || fail "jobs of long.conf: $(job_names l | xargs)"
stop_daemon l
note "pass"
