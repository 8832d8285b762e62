#!/bin/bash
# SPDX-License-Identifier: ISC
# Reloading the config (`wsbenchctl reload` and SIGHUP): unchanged lines
# keep their jobs running, connections and counters intact; removed lines
# stop theirs; new lines start jobs; a changed line restarts its job under
# the same name; jobs started with `wsbenchctl start` survive; a config
# with an error is refused whole, with FILE:LINE, and changes nothing; a
# job's name is read from its line as start reads it; a new line whose job
# cannot start fails the reload, with FILE:LINE and why; a file that cannot
# be read is refused with why.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

pa=$(free_port) && pb=$(free_port) && pc=$(free_port) || fail "free_port"
conf=$WORK/wsbenchd.conf
cat >"$conf" <<EOF2
# a push server, a client of it, and a push server to be removed
start push --name a --port $pa
start recv ws://127.0.0.1:$pa/ --name ra --connections 2
start push --name b --port $pb
start recv ws://127.0.0.1:$pa/ --name rc
EOF2
start_daemon d -f "$conf"
ctl_ok d start recv "ws://127.0.0.1:$pa/" --name adhoc
wait_until 10 '[ "$(num_of d ra connections)" -eq 2 ] && [ "$(num_of d rc connections)" -eq 1 ]' ||
	fail "ra/rc did not connect"
before=$(stat_of d ra messages_received) || fail "stats ra"

# b goes, c comes, rc changes (2 connections now), a and ra stay.
cat >"$conf" <<EOF2
start push --name a --port $pa
start recv ws://127.0.0.1:$pa/ --name ra --connections 2
start push --name c --port $pc
start recv ws://127.0.0.1:$pa/ --name rc --connections 2
EOF2
out=$(ctl d reload 2>&1) || fail "reload: $out"
note "reload: $out"
[[ $out == *"2 kept, 2 stopped, 2 started" ]] || defect "reload said '$out'"
wait_until 10 '[ "$(num_of d rc connections)" -eq 2 ]' ||
	defect "rc was not restarted with 2 connections"
wait_until 10 '! ctl d stats b >/dev/null 2>&1' || defect "b still runs"
expect_stat d c connections == 0
expect_stat d adhoc connections == 1
expect_stat d ra reconnects == 0
expect_stat d ra connection_errors == 0
expect_stat d ra connections == 2
after=$(stat_of d ra messages_received) || fail "stats ra"
((after > before)) || defect "ra's count went from $before to $after"

# A new line whose job cannot start, on a's port, starts nothing: the
# reload says so and fails; the rest of the file is applied.
echo "start push --name z --port $pa" >>"$conf"
if out=$(ctl d reload 2>&1); then
	defect "a line that started no job was reloaded: $out"
fi
[ "$out" = "wsbenchctl: reloaded $conf: 4 kept, 0 stopped, 0 started, 1 failed: $conf:5: start: cannot listen on 127.0.0.1:$pa: Address already in use" ] ||
	defect "reload of a line that cannot start said '$out'"
ctl d stats z >/dev/null 2>&1 && defect "z is listed, though it did not start"
sed -i '$d' "$conf"

# A path that cannot be read is refused, with why.
mv "$conf" "$conf.keep" || fail "mv $conf"
mkdir "$conf" || fail "mkdir $conf"
out=$(ctl d reload 2>&1) && defect "a directory was reloaded: $out"
[ "$out" = "wsbenchctl: reload refused: cannot read $conf: Is a directory" ] ||
	defect "reload of a directory said '$out'"
rmdir "$conf" || fail "rmdir $conf"
mv "$conf.keep" "$conf" || fail "mv $conf.keep"
expect_stat d c connections == 0

# A broken file is refused whole: nothing changes.
printf 'start push --name e --port %s\nstart bogus\n' "$pc" >"$conf"
if out=$(ctl d reload 2>&1); then
	defect "a broken config was reloaded: $out"
else
	[[ $out == *"reload refused: $conf:2: start: unknown job kind 'bogus'"* ]] ||
		defect "refusal says '$out'"
fi
expect_stat d a connections '>=' 1
ctl d stats e >/dev/null 2>&1 && defect "e started from a refused config"
expect_stat d c connections == 0

# Names that would clash are refused too: one given twice, and one a job
# started with wsbenchctl holds.
printf 'start push --name x --port %s\nstart push --name x --port %s\n' "$pc" "$pb" >"$conf"
out=$(ctl d reload 2>&1) && defect "a name given twice was reloaded: $out"
[[ $out == *"two jobs named 'x'"* ]] || defect "refusal says '$out'"
printf 'start push --name adhoc --port %s\n' "$pc" >"$conf"
out=$(ctl d reload 2>&1) && defect "adhoc's name was reloaded: $out"
[[ $out == *"job 'adhoc' exists and is not the file's"* ]] || defect "refusal says '$out'"

# SIGHUP reloads too: an empty file stops the file's jobs only.
: >"$conf"
kill -HUP "${DAEMON_PID[d]}"
wait_until 10 '! ctl d stats ra >/dev/null 2>&1 && ! ctl d stats a >/dev/null 2>&1' ||
	defect "SIGHUP did not stop the file's jobs"
ctl d stats adhoc >/dev/null || defect "adhoc did not survive"
grep -q "reloaded" "${DAEMON_LOG[d]}" || defect "no reload in the log"

# A job's name is read as start reads it: after --msg, "--name" is the
# message, and the name is the word after the next --name.  Two lines that
# differ there are two jobs, and two that agree there clash.
pd=$(free_port) && pe=$(free_port) || fail "free_port"
printf 'start push --msg --name --name x --port %s\nstart push --msg --name --name y --port %s\n' \
	"$pd" "$pe" >"$conf"
out=$(ctl d reload 2>&1) || defect "x and y were refused: $out"
[[ $out == *"0 kept, 0 stopped, 2 started" ]] || defect "reload said '$out'"
wait_until 10 'ctl d stats x >/dev/null 2>&1 && ctl d stats y >/dev/null 2>&1' ||
	defect "x and y did not start: $(ctl d list 2>&1)"
printf 'start push --msg --name --name x --port %s\nstart push --name x --port %s\n' \
	"$pd" "$pe" >"$conf"
out=$(ctl d reload 2>&1) && defect "a name given twice was reloaded: $out"
[[ $out == *"two jobs named 'x'"* ]] || defect "refusal says '$out'"
finish
