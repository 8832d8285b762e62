#!/bin/bash
# SPDX-License-Identifier: ISC
# The daemon's own settings (`set NAME VALUE`): read from the config file
# whatever their place in it, held over by command-line options, changed
# by a reload or by `wsbenchctl set`, refused whole with a bad file; the
# socket's mode and group; and the read group, which may look but not
# touch.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

command -v setpriv >/dev/null || fail "setpriv is missing (util-linux)"
# A group every Debian system has, that nobody (65534) is not in.
rgroup=users
rgid=$(getent group "$rgroup" | cut -d: -f3) || fail "no group $rgroup"

# setting_of ID NAME: the value `set` shows for setting NAME.
setting_of() {
	ctl "$1" set | awk -v n="$2" '$1 == n { print $2; exit }'
}
# from_of ID NAME: where that value comes from.
from_of() {
	ctl "$1" set | awk -v n="$2" '$1 == n { $1 = ""; $2 = ""; sub(/^ +/, ""); print; exit }'
}
# as_user GID REQUEST: sends REQUEST to daemon d's socket as uid 65534
# with primary group GID, and prints the raw reply.
as_user() {
	run_bounded 20 setpriv --reuid=65534 --regid="$1" --clear-groups \
		"$PYTHON3" - "$sock" line "$2" <"$HELPERS/ctl_raw.py"
}

# --- settings from the file, wherever they stand; options win -----------------

mport=$(free_port) && pport=$(free_port) || fail "free_port"
conf=$WORK/wsbenchd.conf
cat >"$conf" <<EOF2
start push --name p --port $pport --size 200 --binary
# settings may follow the jobs: the whole file is read first
set max-message 100
set control-mode 0640
set log-level warning
set metrics-listen 127.0.0.1:$mport
set control-socket $WORK/not-this.sock
set threads 1
EOF2
"$WSBENCHD" -n -f "$conf" >"$WORK/n.out" 2>&1 || fail "-n refused: $(cat "$WORK/n.out")"

# Options are checked as the set lines they stand for: -n refuses them.
: >"$WORK/empty.conf"
for opt in "-m garbage" "-m 127.0.0.1" "-s relative.sock" "-t 0"; do
	# shellcheck disable=SC2086
	run_bounded 10 "$WSBENCHD" -n -f "$WORK/empty.conf" $opt >"$WORK/opt.out" 2>&1 &&
		defect "wsbenchd -n $opt was accepted: $(cat "$WORK/opt.out")"
	if [ "$(wc -l <"$WORK/opt.out")" != 1 ] || ! grep -q '^wsbenchd: ' "$WORK/opt.out"; then
		defect "wsbenchd -n $opt said: $(cat "$WORK/opt.out")"
	fi
done
start_daemon d -f "$conf"
sock=${DAEMON_SOCK[d]}
[ -S "$WORK/not-this.sock" ] && defect "the file's control-socket held over -s"
[ "$(stat -c %a "$sock")" = 640 ] || defect "socket mode $(stat -c %a "$sock"), not 640"
[ "$(setting_of d control-socket)" = "$sock" ] || defect "control-socket: $(setting_of d control-socket)"
[ "$(from_of d control-socket)" = "command line" ] || defect "control-socket from '$(from_of d control-socket)'"
[ "$(setting_of d metrics-listen)" = "127.0.0.1:${DAEMON_MPORT[d]}" ] ||
	defect "metrics-listen: $(setting_of d metrics-listen)"
[ "$(setting_of d threads)" = 1 ] || defect "threads: $(setting_of d threads)"
[ "$(from_of d threads)" = file ] || defect "threads from '$(from_of d threads)'"
[ "$(setting_of d control-read-group)" = none ] || defect "read group: $(setting_of d control-read-group)"
[ "$(from_of d control-read-group)" = default ] || defect "read group from '$(from_of d control-read-group)'"
# log-level warning: not even the "ready" line.
grep -q 'ready: control socket' "${DAEMON_LOG[d]}" && defect "log-level warning still logs information"

# max-message 100 from the file: a recv with no --max-message of its own
# fails on p's 200-byte messages; one started after `set` takes them.
ctl_ok d start recv "ws://127.0.0.1:$pport/" --name small
wait_until 10 '[ "$(num_of d small errors_protocol)" -ge 1 ]' ||
	defect "a 200-byte message passed max-message 100"
ctl_ok d set max-message 1000
[ "$(from_of d max-message)" = wsbenchctl ] || defect "max-message from '$(from_of d max-message)'"
ctl_ok d start recv "ws://127.0.0.1:$pport/" --name big
wait_until 10 '[ "$(num_of d big messages_received)" -gt 1000 ]' ||
	defect "max-message 1000 did not take"
expect_stat d big errors_protocol == 0

# Read once, at start: wsbenchctl may not change them; options are fixed.
out=$(ctl d set threads 4 2>&1) && defect "set threads at run time: '$out'"
[[ $out == *"threads is read at start only"* ]] || defect "set threads said '$out'"
out=$(ctl d set control-socket /tmp/x.sock 2>&1) && defect "set control-socket at run time"
out=$(ctl d set colour blue 2>&1) && defect "set colour: '$out'"
[[ $out == *"unknown setting 'colour' (valid: control-socket "* ]] || defect "set colour said '$out'"
# set takes no options: a value that looks like one is still the value,
# and refused for what it is.
out=$(ctl d set max-message -1 2>&1) && defect "set max-message -1: '$out'"
[[ $out == "wsbenchctl: set: '-1' is not a number of bytes from 1 to "* ]] ||
	defect "set max-message -1 said '$out'"

# --- reload: the file's settings come back, start-only ones wait --------------

sed -i -e 's/^set control-mode 0640/set control-mode 0600/' \
	-e 's/^set threads 1/set threads 2/' \
	-e '/^set max-message/d' "$conf"
out=$(ctl d reload 2>&1) || fail "reload: $out"
[ "$(stat -c %a "$sock")" = 600 ] || defect "after reload, mode $(stat -c %a "$sock")"
[ "$(setting_of d threads)" = 1 ] || defect "threads changed at a reload"
grep -q 'reload: threads 2 takes effect at the next start' "${DAEMON_LOG[d]}" ||
	defect "no word that threads waits for a restart"
[ "$(setting_of d max-message)" = 16777216 ] ||
	defect "max-message left out of the file is $(setting_of d max-message), not the default"

# A file with a bad setting is refused whole: the mode stays.
printf 'set control-mode 0666\nset threads zero\n' >"$conf"
if out=$(ctl d reload 2>&1); then
	defect "a bad setting was reloaded: $out"
else
	[[ $out == *"$conf:2: set: 'zero' is not a number from 1 to 256"* ]] ||
		defect "refusal says '$out'"
fi
[ "$(stat -c %a "$sock")" = 600 ] || defect "a refused reload changed the mode"

# --- groups: the socket's group has it all, the read group may look ----------

chmod 0711 "$WORK"
cat >"$conf" <<EOF2
set control-read-group $rgroup
start push --name p --port $pport --size 200 --binary
EOF2
out=$(ctl d reload 2>&1) || fail "reload: $out"
[ "$(stat -c %a "$sock")" = 666 ] || defect "with a read group, mode $(stat -c %a "$sock"), not 666"
for req in version list stats 'stats p' help; do
	out=$(as_user "$rgid" "$req") || fail "reader's $req: exit $?"
	[[ $out == *$'\n.' || $out == "." ]] || defect "the read group's '$req' got '$out'"
done
for req in 'stop p' 'start push --name q --port 0' reload 'set log-level debug' set; do
	out=$(as_user "$rgid" "$req") || fail "reader's $req: exit $?"
	[[ $out == "!${req%% *}: permission denied: the read group may run only list stats watch version help latency wait" ]] ||
		defect "the read group's '$req' got '$out'"
done
out=$(as_user 65534 version) || fail "nobody's version: exit $?"
[[ $out == "!permission denied: uid 65534 is not root"* ]] || defect "nobody got '$out'"
ctl d stats p >/dev/null 2>&1 || defect "p was stopped by a reader"

# The socket's group: its members may do anything.
printf 'set control-group %s\nset control-mode 0660\n' "$rgroup" >"$conf"
out=$(ctl d reload 2>&1) || fail "reload: $out"
[ "$(stat -c %G "$sock")" = "$rgroup" ] || defect "socket group $(stat -c %G "$sock")"
[ "$(stat -c %a "$sock")" = 660 ] || defect "mode $(stat -c %a "$sock"), not 660"
out=$(as_user "$rgid" 'start push --name q --port 0') || fail "member's start: exit $?"
[[ $out == *$'\n.' ]] || defect "a member of the socket's group got '$out'"

check_log "${DAEMON_LOG[d]}" "wsbenchd d"
finish
