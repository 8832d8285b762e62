#!/bin/bash
# SPDX-License-Identifier: ISC
# The manual pages lint clean and say what the programs do, all read from
# the programs' own tables: every command (from `help`), every option of
# each (from `help COMMAND`), every job kind and each of its options (from
# `help start`, checked against the daemon's error messages and against
# `wsbenchd -W`, which the bash completion is made from), every setting
# wsbenchctl may change, every option of wsbenchd (from its usage) and
# every metric family (from a live /metrics).
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

man=$TESTS_SRCDIR/../man
command -v mandoc >/dev/null || fail "mandoc is missing (Debian package mandoc)"
lint=$(mandoc -Tlint -Wwarning "$man"/wsbenchd.8 "$man"/wsbenchctl.8 \
	"$man"/wsbenchd.conf.5 2>&1)
[ -z "$lint" ] || defect "mandoc -Tlint: $lint"

# in_page PAGE TEXT WHAT: the page's source holds TEXT.
in_page() {
	grep -qF -- "$2" "$man/$1" || defect "$1 does not document $3"
}

# The mdoc of an option: "-j" is "Fl j", "--port" is "Fl \-port".
fl() {
	local o=${1#-}
	printf 'Fl %s' "${o/#-/\\-}"
}

# help_opts WORD: the options `help WORD` lists, one a line.
help_opts() {
	ctl a help "$1" | awk '/^  -/ { print $1 }'
}

start_daemon a
ctl a help >"$WORK/help" || fail "help"
commands=$(awk '{ print $1 }' "$WORK/help")
[ "$(echo "$commands" | wc -l)" -ge 7 ] || fail "help lists: $commands"
for c in $commands; do
	in_page wsbenchctl.8 "Cm $c" "the command $c"
	ctl a help "$c" >"$WORK/help_$c" || defect "help $c failed"
	for o in $(help_opts "$c"); do
		in_page wsbenchctl.8 "$(fl "$o")" "the option $o of $c"
	done
done

# The kinds: those help start shows are those the error lists.
kinds=$(awk '$1 == "start" { print $2 }' "$WORK/help_start" | xargs)
[ -n "$kinds" ] || fail "help start shows no kind: $(cat "$WORK/help_start")"
valid=$(ctl a start nosuchkind 2>&1 | sed -n 's/.*(valid: \(.*\))$/\1/p')
[ "$kinds" = "$valid" ] ||
	defect "help start shows kinds '$kinds', start nosuchkind lists '$valid'"
for k in $kinds; do
	in_page wsbenchctl.8 ".Cm start $k" "start $k"
	opts=$(ctl a start "$k" --zzz 2>&1 | sed -n 's/.*(valid: \(.*\))$/\1/p')
	[ -n "$opts" ] || defect "no options in the error of 'start $k --zzz'"
	[ "$(help_opts "$k" | xargs)" = "$opts" ] ||
		defect "help $k shows '$(help_opts "$k" | xargs)', the error lists '$opts'"
	usage=$(ctl a help "$k" | head -n 1)
	for o in $opts; do
		in_page wsbenchctl.8 "$(fl "$o")" "the option $o of $k"
		[[ $usage == *"[$o"* ]] || defect "help $k does not show $o in '$usage'"
	done
done

# What the completion is made of names nothing the manual does not.
"$WSBENCHD" -W >"$WORK/words" || fail "wsbenchd -W"
for o in $(sed -n "s/^_wsbenchctl_c\{0,1\}opts_[a-z]*='\(.*\)'$/\1/p" "$WORK/words"); do
	in_page wsbenchctl.8 "$(fl "$o")" "the option $o (wsbenchd -W)"
done
for k in $(sed -n "s/^_wsbenchctl_kinds_start='\(.*\)'$/\1/p" "$WORK/words"); do
	[[ " $kinds " == *" $k "* ]] || defect "wsbenchd -W has kind $k, help start has not"
done
settings=$(sed -n "s/^_wsbenchctl_settings='\(.*\)'$/\1/p" "$WORK/words")
[ -n "$settings" ] || defect "wsbenchd -W names no setting"
for s in $settings; do
	in_page wsbenchd.conf.5 "It Cm $s" "the setting $s"
done

# Each letter of "[-dhnVW]" and "[-f config]" in wsbenchd's usage.
usage=$("$WSBENCHD" -h 2>&1)
for o in $(echo "$usage" | grep -oE '\[-[a-zA-Z]+' | cut -c3- | grep -o .); do
	in_page wsbenchd.8 "Fl $o" "wsbenchd -$o"
done

metrics a | sed -n 's/^# TYPE \([a-z_]*\) .*/\1/p' >"$WORK/families"
[ "$(wc -l <"$WORK/families")" -ge 10 ] || fail "few metric families: $(cat "$WORK/families")"
while read -r f; do
	in_page wsbenchd.8 "$f" "the metric $f"
done <"$WORK/families"
finish
