#!/bin/bash
# SPDX-License-Identifier: ISC
# The manual pages lint clean and say what the programs do: every command
# of the table (from `help`), every job kind and each of its options (from
# the daemon's own error messages), every option of wsbenchd (from its
# usage) and every metric family (from a live /metrics) is in them; and
# `help` shows every option of every kind.
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

start_daemon a
ctl a help >"$WORK/help" || fail "help"
commands=$(awk '{ print $1 }' "$WORK/help")
[ "$(echo "$commands" | wc -l)" -ge 7 ] || fail "help lists: $commands"
for c in $commands; do
	in_page wsbenchctl.8 "Cm $c" "the command $c"
done

kinds=$(ctl a start nosuchkind 2>&1 | sed -n 's/.*(valid: \(.*\))$/\1/p')
[ -n "$kinds" ] || fail "no kinds in the error of 'start nosuchkind'"
for k in $kinds; do
	in_page wsbenchctl.8 ".Cm start $k" "start $k"
	grep -q "\\b$k\\b" "$WORK/help" || defect "help does not show start $k"
	opts=$(ctl a start "$k" --zzz 2>&1 | sed -n 's/.*(valid: \(.*\))$/\1/p')
	[ -n "$opts" ] || defect "no options in the error of 'start $k --zzz'"
	for o in $opts; do
		in_page wsbenchctl.8 "Fl \\${o#-}" "the option $o of $k"
		usage=$(grep "$k" "$WORK/help" | head -n 1)
		[[ $usage == *"$o"* ]] || defect "help does not show $o of $k"
	done
done

# Each letter of "[-dhnV]" and "[-f config]" in wsbenchd's usage.
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
