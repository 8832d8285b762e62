#!/bin/bash
# SPDX-License-Identifier: ISC
# `make install DESTDIR=...` of this build tree: every file lands in the
# directory configure chose for it (the daemon, wsbenchctl, the three
# manual pages, the config, the systemd unit, the sysusers file, the bash
# completion), the installed unit names the installed daemon and config,
# passes `systemd-analyze verify` with its manual pages found, the
# installed programs run, and `make uninstall` takes every file away.
#
# Then the installed bash completion of wsbenchctl, sourced in a bash of
# its own and called as bash calls it: commands, global options, job
# kinds, options per kind, and job names from a running daemon; and its
# lists, which make wrote in from `wsbenchd -W`, against what the running
# daemon says (`help`, and the kinds and options an unknown one makes
# `start` list), so that they cannot drift apart.
#
# Why a whole `make install` in a test, with other tests running: make
# check has built everything before any test starts, so this make finds
# every target up to date and writes only under DESTDIR.  It runs with
# none of the outer make's flags or jobserver (MAKEFLAGS unset).
#
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

TOP_BUILDDIR=$(cd "$(dirname "$WSBENCHD")/.." && pwd)
ROOT=$WORK/root
SRCDIR=$TESTS_SRCDIR/..

# bmake ARG...: make in the build tree, on its own.
bmake() {
	run_bounded 120 env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make -C "$TOP_BUILDDIR" --no-print-directory "$@"
}

# The build's own directories, as make expands them.
# shellcheck disable=SC2016 # make's $, not the shell's
printf 'print-%%:\n\t@echo $($*)\n' >"$WORK/print.mk"
makevar() {
	bmake -s -f Makefile -f "$WORK/print.mk" "print-$1"
}
for v in sbindir bindir sysconfdir mandir systemdsystemunitdir sysusersdir \
	bashcompletiondir pkgdatadir; do
	val=$(makevar "$v") || fail "cannot read $v from $TOP_BUILDDIR/Makefile"
	case $val in /*) ;; *) fail "$v is '$val', not an absolute path" ;; esac
	printf -v "dir_$v" '%s' "$val"
done

bmake install DESTDIR="$ROOT" >"$WORK/install.log" 2>&1 ||
	fail "make install DESTDIR=$ROOT: $(tail -n 20 "$WORK/install.log")"
note "installed in $ROOT"

# expect_file PATH [SOURCE]: PATH (under ROOT) is a file, the same as SOURCE.
expect_file() {
	local path=$1 src=${2:-}
	if [ ! -f "$ROOT$path" ]; then
		defect "$path was not installed"
	elif [ -n "$src" ] && ! cmp -s "$src" "$ROOT$path"; then
		defect "$path differs from $src"
	fi
}

# shellcheck disable=SC2154 # dir_* come from printf -v above
{
	expect_file "$dir_sbindir/wsbenchd"
	expect_file "$dir_bindir/wsbenchctl"
	expect_file "$dir_mandir/man8/wsbenchd.8" "$SRCDIR/man/wsbenchd.8"
	expect_file "$dir_mandir/man8/wsbenchctl.8" "$SRCDIR/man/wsbenchctl.8"
	expect_file "$dir_mandir/man5/wsbenchd.conf.5" "$SRCDIR/man/wsbenchd.conf.5"
	expect_file "$dir_sysconfdir/wsbenchd.conf" "$ETC_SRCDIR/wsbenchd.conf"
	expect_file "$dir_systemdsystemunitdir/wsbenchd.service" \
		"$TOP_BUILDDIR/systemd/wsbenchd.service"
	expect_file "$dir_sysusersdir/wsbench.conf" "$SRCDIR/systemd/wsbench.sysusers"
	expect_file "$dir_bashcompletiondir/wsbenchctl" \
		"$TOP_BUILDDIR/completion/wsbenchctl.bash"
	expect_file "$dir_pkgdatadir/grafana/wsbench.json" \
		"$ETC_SRCDIR/grafana/wsbench.json"
	for f in file_sd prometheus; do
		expect_file "$dir_pkgdatadir/prometheus/$f.example.yml" \
			"$ETC_SRCDIR/prometheus/$f.example.yml"
	done
	SBIN=$ROOT$dir_sbindir
	BIN=$ROOT$dir_bindir
	UNIT=$ROOT$dir_systemdsystemunitdir/wsbenchd.service
	COMPLETION=$ROOT$dir_bashcompletiondir/wsbenchctl
	want_start="$dir_sbindir/wsbenchd -f $dir_sysconfdir/wsbenchd.conf -s /run/wsbenchd/control.sock"
}
nfiles=$(find "$ROOT" -type f | wc -l)
[ "$nfiles" -eq 12 ] ||
	defect "$nfiles files installed, expected 12: $(find "$ROOT" -type f)"

for p in "$SBIN/wsbenchd" "$BIN/wsbenchctl"; do
	[ -x "$p" ] || defect "$p is not executable"
	v=$(run_bounded 10 "$p" -V 2>&1)
	[[ $v =~ ^wsbench\ [0-9] ]] || defect "$p -V: '$v'"
done

# The unit runs what was installed, where it was installed.
grep -qxF "ExecStart=$want_start" "$UNIT" ||
	defect "the installed unit's ExecStart is not '$want_start': $(grep '^ExecStart=' "$UNIT")"
grep -qxF "ExecReload=$dir_sbindir/wsbenchd -n -f $dir_sysconfdir/wsbenchd.conf" "$UNIT" ||
	defect "the installed unit's ExecReload: $(grep '^ExecReload=' "$UNIT")"

# verify wants the commands to exist: a copy runs those under ROOT.  Its
# Documentation= pages are looked up with man(1) in the installed manual.
mkdir "$WORK/unit"
sed "s#^\\(Exec[A-Za-z]*=\\)$dir_sbindir/#\\1$SBIN/#" "$UNIT" \
	>"$WORK/unit/wsbenchd.service"
MANPATH=$ROOT$dir_mandir run_bounded 60 systemd-analyze verify \
	"$WORK/unit/wsbenchd.service" >"$WORK/verify.out" 2>&1
rc=$?
{ [ "$rc" -eq 0 ] && [ ! -s "$WORK/verify.out" ]; } ||
	defect "systemd-analyze verify of the installed unit exited $rc: $(cat "$WORK/verify.out")"

# --- bash completion ---------------------------------------------------------

# complete_words WORD...: what completing the last WORD offers, sorted, on
# one line.  The completion runs in a bash of its own, with -u on to catch
# unset variables, PATH leading to the installed wsbenchctl.
# shellcheck disable=SC2016 # the script is the inner bash's
complete_words() {
	PATH=$BIN:$PATH run_bounded 20 bash --norc --noprofile -c '
		set -u
		. "$1" || exit 1
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		COMPREPLY=()
		spec=$(complete -p wsbenchctl) || exit 1
		[ "$spec" = "complete -F _wsbenchctl wsbenchctl" ] || exit 1
		# bash ignores its status (but for 124), so does this.
		_wsbenchctl wsbenchctl "${COMP_WORDS[COMP_CWORD]}" \
			"${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" ${COMPREPLY[@]+"${COMPREPLY[@]}"} | sort | xargs
	' complete_words "$COMPLETION" "$@" 2>&1
}

# expect_completion 'WANT' WORD...: completing WORD... offers WANT (words
# sorted, space separated).
expect_completion() {
	local want=$1 got
	shift
	got=$(complete_words "$@") || {
		defect "completing '$*' failed: $got"
		return
	}
	[ "$got" = "$want" ] ||
		defect "completing '$*': got '$got', expected '$want'"
}

start_daemon a
sock=${DAEMON_SOCK[a]}
cmds=$(ctl a help | awk '{ print $1 }' | sort | xargs) ||
	fail "help failed"
expect_completion "$cmds" wsbenchctl ''
expect_completion "start stats stop" wsbenchctl st
expect_completion "-H -R -V -h -j -o -s" wsbenchctl -
expect_completion "start stats stop" wsbenchctl -H h1,h2 st
expect_completion "start stats stop" wsbenchctl -j -s "$sock" st
kinds=$(ctl a start nosuchkind 2>&1 | sed -n 's/.*(valid: \(.*\))$/\1/p')
[ -n "$kinds" ] || fail "start nosuchkind lists no kinds"
expect_completion "$(echo "$kinds" | tr ' ' '\n' | sort | xargs)" wsbenchctl start ''
expect_completion "$sock" wsbenchctl -s "${sock%ck}"
expect_completion "push" wsbenchctl -s "$sock" start p
expect_completion "echo" wsbenchctl help e
expect_completion "start stats stop" wsbenchctl help st
for kind in $kinds; do
	opts=$(ctl a start "$kind" --bogus 2>&1 |
		sed -n 's/.*unknown option --bogus (valid: \(.*\)).*/\1/p' |
		tr ' ' '\n' | sort | xargs)
	[ -n "$opts" ] || defect "start $kind --bogus lists no options"
	expect_completion "$opts" wsbenchctl start "$kind" --
done
expect_completion "--binary --bind --deflate --max-message --name --port --rate --tls-cert --tls-key" \
	wsbenchctl start push --msg yo --
expect_completion "--bind --deflate --max-message --msg --name --port --rate --size --tls-cert --tls-key" \
	wsbenchctl start push --binary --
expect_completion "--binary --bind --deflate --max-message --name --port --rate --tls-cert --tls-key" \
	wsbenchctl start push --size 10 --
expect_completion "" wsbenchctl start push --port ''
expect_completion "--ca --connect-rate --connections --deflate --deflate-offer --duration --header --hold --insecure --latency --max-message --name --protocol --source" \
	wsbenchctl start recv ws://127.0.0.1:1/ --origin x --header 'A: b' --
expect_completion "--connect-rate --connections --duration --header --hold --latency --max-message --name --origin --protocol --source" \
	wsbenchctl start recv wss://127.0.0.1:1/ --insecure --deflate-offer x --
expect_completion "" wsbenchctl start recv --ca ''
expect_completion "max-message" wsbenchctl set m
expect_completion "debug" wsbenchctl set log-level d
expect_completion "--plain --table -p" wsbenchctl watch -
expect_completion "" wsbenchctl start recv --connections ''

# -H: the hosts of ~/.ssh/config and known_hosts, the last of a list, a
# user kept, a file after '@'.
mkdir -p "$WORK/home/.ssh"
printf 'Host load1 load2\n  User x\nHost *.example\nhost load3\n' \
	>"$WORK/home/.ssh/config"
printf '%s\n' 'loadx,192.0.2.1 ssh-ed25519 AAAA' '[loady]:2222 ssh-rsa AAAA' \
	'|1|hashed= ssh-rsa AAAA' '@cert-authority loadz ssh-rsa AAAA' \
	'# a comment' >"$WORK/home/.ssh/known_hosts"
: >"$WORK/home/load.hosts"
HOME=$WORK/home expect_completion "load1 load2 load3 loadx loady loadz" wsbenchctl -H load
HOME=$WORK/home expect_completion "a,load1 a,load2 a,load3 a,loadx a,loady a,loadz" wsbenchctl -H a,load
HOME=$WORK/home expect_completion "a,you@loadx" wsbenchctl -H a,you@loadx
HOME=$WORK/home expect_completion "@$WORK/home/load.hosts" wsbenchctl -H "@$WORK/home/load."

# Job names, from the daemon named with -s.
start_push a p1
start_push a p2
ctl_ok a start echo --name e1 --port 0
expect_completion "e1 p1 p2" wsbenchctl -s "$sock" stop ''
expect_completion "p1 p2" wsbenchctl -s "$sock" stats p
expect_completion "p1 p2" wsbenchctl -s"$sock" watch p
expect_completion "p1 p2" wsbenchctl -j -s "$sock" stats -j p
expect_completion "-j" wsbenchctl -s "$sock" stats -
expect_completion "" wsbenchctl -s "$sock" stop p1 ''
expect_completion "-j" wsbenchctl -s "$sock" list -
expect_completion "e1 p1 p2" wsbenchctl -s "$sock" -o x.csv wait p1 ''
# No daemon there: nothing, and no error.
expect_completion "" wsbenchctl -s "$WORK/none.sock" stop ''
stop_daemon a

# --- uninstall -----------------------------------------------------------------

bmake uninstall DESTDIR="$ROOT" >"$WORK/uninstall.log" 2>&1 ||
	defect "make uninstall: $(tail -n 20 "$WORK/uninstall.log")"
left=$(find "$ROOT" -type f)
[ -z "$left" ] || defect "make uninstall left: $left"

finish
