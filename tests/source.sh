#!/bin/bash
# SPDX-License-Identifier: ISC
# --source: a recv job with --source 127.0.0.2,127.0.0.3 and 20
# connections to an echo job on 127.0.0.1 (loopback takes any 127/8
# address) has 10 established from each address to the echo port, as ss
# sees them; without --source they come from 127.0.0.1.  stats shows the
# setting.  Refused, each with a message naming --source: a name, an IPv6
# address for an IPv4 URL, 17 addresses, an empty item.
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

command -v ss >/dev/null || fail "ss (iproute2) is missing"

start_daemon a
start_echo a e
url=ws://127.0.0.1:$ECHO_PORT/

# from_counts: "ADDR COUNT" per local address of the established
# connections to the echo port, sorted.
from_counts() {
	ss -Htn state established "( dport = :$ECHO_PORT )" |
		awk '{ sub(/:[0-9]+$/, "", $3); print $3 }' | sort | uniq -c |
		awk '{ printf "%s %s;", $2, $1 }'
}

start_recv a r "$url" --source 127.0.0.2,127.0.0.3 --connections 20
want="127.0.0.2 10;127.0.0.3 10;"
wait_until 8 '[ "$(from_counts)" = "$want" ]' ||
	defect "with --source: connections from '$(from_counts)', expected '$want'"
note "with --source: $(from_counts)"
got=$(ctl a stats r | sed -n 's/^source  *//p')
[ "$got" = "127.0.0.2,127.0.0.3" ] || defect "stats r: source is '$got'"
expect_stat a r connection_errors == 0
stop_job a r

start_recv a r0 "$url" --connections 4
want="127.0.0.1 4;"
wait_until 8 '[ "$(from_counts)" = "$want" ]' ||
	defect "without --source: connections from '$(from_counts)', expected '$want'"
note "without --source: $(from_counts)"
got=$(ctl a stats -j r0 | jq -r '.[0] | has("source")')
[ "$got" = false ] || defect "stats -j r0 shows a source"
stop_job a r0

many=$(seq -s, -f '127.0.0.%g' 1 17)
for bad in localhost ::1 "$many" 127.0.0.2,,127.0.0.3; do
	if out=$(ctl a start recv "$url" --name bad --source "$bad" 2>&1); then
		defect "--source '$bad' accepted: $out"
	elif [[ $out != *--source* ]]; then
		defect "--source '$bad' refused without naming it: $out"
	else
		note "refused: $out"
	fi
done
finish
