#!/bin/bash
# SPDX-License-Identifier: ISC
# The Debian package (debian/), on this machine: built from a copy of the
# source tree with `dpkg-buildpackage -us -uc -b` (DEB_BUILD_OPTIONS=nocheck:
# make check runs the tests), lintian silent on errors and warnings, then
# installed with dpkg -i: the shipped config passes `wsbenchd -n`,
# `systemd-analyze verify` accepts the installed unit with its manual
# pages, the wsbench user and group exist, wsbenchctl -V and man -w work;
# then `dpkg --purge` leaves none of the package's files, its conffile and
# its unit's enablement included.
#
# The system is left as found, also on failure: the package is purged if
# this test installed it, and the wsbench user and group removed if the
# package made them (Debian's purge keeps them, debian/rules says why).
# The test refuses to run where a wsbench package is installed already.
#
# Once per CI run: skipped (77) in the sanitized build (the same package
# would be built again) and in distcheck (a dist tarball has no debian/),
# and without root.  Build tools missing are installed if apt can.
#
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
TEST_TIMEOUT=${TEST_TIMEOUT:-900}
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

SRCDIR=$(cd "$TESTS_SRCDIR/.." && pwd)
BUILD_TIMEOUT=600
BUILD_TOOLS=(debhelper dpkg-dev fakeroot lintian build-essential)

skip() {
	echo "SKIP: $TEST_NAME: $*"
	exit 77
}

[ -d "$SRCDIR/debian" ] ||
	skip "no debian/ in $SRCDIR (a dist tarball carries none)"
[ -z "${SANITIZE_CFLAGS:-}" ] ||
	skip "sanitized build: the package is built and checked in the plain build"
[ "$(id -u)" -eq 0 ] || skip "needs root to install and purge the package"

installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}
missing=()
for p in "${BUILD_TOOLS[@]}"; do
	installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	note "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive run_bounded 300 apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >"$WORK/apt.out" 2>&1 ||
		skip "${missing[*]} missing and not installable: $(tail -n 3 "$WORK/apt.out")"
fi

# Anything but "not installed" (config-files too) is someone else's.
status=$(dpkg-query -W -f='${db:Status-Status}' wsbench 2>/dev/null)
case $status in
'' | not-installed) ;;
*) fail "a wsbench package is on this machine already ($status): not touching it" ;;
esac

# --- cleanup ---------------------------------------------------------------

OURS=			# set once dpkg -i has run: the package is ours to purge
had_user=no had_group=no
getent passwd wsbench >/dev/null && had_user=yes
getent group wsbench >/dev/null && had_group=yes
# shellcheck disable=SC2317 # run by the EXIT trap
package_cleanup() {
	local rc=$?
	if [ -n "$OURS" ] && [ "$(dpkg-query -W -f='${db:Status-Status}' wsbench 2>/dev/null)" != not-installed ]; then
		run_bounded 120 dpkg --purge wsbench >/dev/null 2>&1 ||
			echo "$TEST_NAME: dpkg --purge wsbench failed in cleanup" >&2
	fi
	if [ -n "$OURS" ]; then
		[ "$had_user" = no ] && getent passwd wsbench >/dev/null &&
			userdel wsbench
		[ "$had_group" = no ] && getent group wsbench >/dev/null &&
			groupdel wsbench
	fi
	(exit "$rc")
	_cleanup
}
trap package_cleanup EXIT

# --- build -------------------------------------------------------------------

# The source as git has it (tracked and untracked files, nothing ignored:
# no build outputs), or without git, the tree less what builds make.
mkdir "$WORK/b" "$WORK/b/wsbench"
if git -C "$SRCDIR" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git -C "$SRCDIR" ls-files -z -co --exclude-standard |
		tar -C "$SRCDIR" --null -T - -cf - |
		tar -C "$WORK/b/wsbench" -xf - || fail "cannot copy the source (git)"
else
	tar -C "$SRCDIR" --exclude=./_build --exclude=.git \
		--exclude=autom4te.cache --exclude='*.o' --exclude='*.a' \
		--exclude=config.status --exclude=config.log --exclude=Makefile \
		-cf - . | tar -C "$WORK/b/wsbench" -xf - ||
		fail "cannot copy the source"
fi

# Apart from make check's: its flags and jobserver are not the build's.
# At nice 10: the tests running beside it measure rates and time-outs.
t0=$(_now_ms)
(cd "$WORK/b/wsbench" &&
	run_bounded "$BUILD_TIMEOUT" env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		DEB_BUILD_OPTIONS="nocheck parallel=2" \
		nice -n 10 dpkg-buildpackage -us -uc -b) >"$WORK/build.log" 2>&1 ||
	fail "dpkg-buildpackage: $(tail -n 30 "$WORK/build.log")"
note "dpkg-buildpackage: $((($(_now_ms) - t0) / 1000)) s"
deb=$(echo "$WORK"/b/wsbench_*_*.deb)
changes=$(echo "$WORK"/b/wsbench_*.changes)
{ [ -f "$deb" ] && [ -f "$changes" ]; } || fail "no .deb or .changes: $(ls "$WORK/b")"

# --- lintian -----------------------------------------------------------------

# The .changes brings in the .deb, the -dbgsym and the .buildinfo.
# Exit status 1 is for tags, which are judged by their letter; over 1,
# lintian itself failed.  Every tag is printed, overridden ones with the
# override's comment; info (I:), pedantic (P:) and experimental (X:)
# ones do not fail.
run_bounded 300 lintian -L '>=pedantic' -E --show-overrides "$changes" \
	>"$WORK/lintian.out" 2>&1
rc=$?
sed 's/^/lintian: /' "$WORK/lintian.out"
[ "$rc" -le 1 ] || fail "lintian exited $rc"
grep -E '^[EW]: ' "$WORK/lintian.out" >"$WORK/lintian.bad" &&
	defect "lintian errors or warnings: $(cat "$WORK/lintian.bad")"

# --- install -----------------------------------------------------------------

dpkg -c "$deb" | sed 's/^/dpkg -c: /'
dpkg-deb --fsys-tarfile "$deb" | tar -tf - | sed 's#^\./#/#' |
	grep -v '/$' >"$WORK/files"
[ -s "$WORK/files" ] || fail "no files in $deb"

OURS=yes
if ! run_bounded 300 dpkg -i "$deb" >"$WORK/dpkg.out" 2>&1; then
	note "dpkg -i: $(tail -n 5 "$WORK/dpkg.out"); apt-get install -f"
	DEBIAN_FRONTEND=noninteractive run_bounded 300 apt-get install -f -y -qq \
		>>"$WORK/dpkg.out" 2>&1 || fail "dpkg -i $deb: $(cat "$WORK/dpkg.out")"
fi
installed wsbench || fail "wsbench not installed: $(cat "$WORK/dpkg.out")"

# Without systemd running, the postinst enables the unit and starts
# nothing.  Other tests run the build's wsbenchd, never /usr/sbin's.
if [ ! -d /run/systemd/system ]; then
	for exe in /proc/[0-9]*/exe; do
		[ "$(readlink "$exe" 2>/dev/null)" = /usr/sbin/wsbenchd ] &&
			defect "the postinst started wsbenchd (${exe%/exe}) without systemd"
	done
fi
[ -L /etc/systemd/system/multi-user.target.wants/wsbenchd.service ] ||
	defect "the unit is not enabled"

for f in /usr/sbin/wsbenchd /usr/bin/wsbenchctl /etc/wsbenchd.conf \
	/lib/systemd/system/wsbenchd.service /usr/lib/sysusers.d/wsbench.conf \
	/usr/share/bash-completion/completions/wsbenchctl \
	/usr/share/wsbench/grafana/wsbench.json \
	/usr/share/wsbench/prometheus/prometheus.example.yml \
	/usr/share/man/man8/wsbenchd.8.gz /usr/share/man/man8/wsbenchctl.8.gz \
	/usr/share/man/man5/wsbenchd.conf.5.gz; do
	[ -f "$f" ] || defect "$f not installed"
done
grep -qx /etc/wsbenchd.conf /var/lib/dpkg/info/wsbench.conffiles ||
	defect "/etc/wsbenchd.conf is not a conffile"

out=$(run_bounded 20 /usr/sbin/wsbenchd -n -f /etc/wsbenchd.conf 2>&1)
[ "$out" = "configuration OK" ] || defect "wsbenchd -n on /etc/wsbenchd.conf: '$out'"

# Any output is a complaint (unknown keys are only warnings); the manual
# pages Documentation= names are installed now.
run_bounded 60 systemd-analyze verify /lib/systemd/system/wsbenchd.service \
	>"$WORK/verify.out" 2>&1
rc=$?
{ [ "$rc" -eq 0 ] && [ ! -s "$WORK/verify.out" ]; } ||
	defect "systemd-analyze verify exited $rc: $(cat "$WORK/verify.out")"

getent passwd wsbench >/dev/null || defect "no user wsbench"
getent group wsbench >/dev/null || defect "no group wsbench"
out=$(run_bounded 20 /usr/bin/wsbenchctl -V 2>&1) ||
	defect "wsbenchctl -V: $out"
note "wsbenchctl -V: $out"
out=$(man -w wsbenchctl 2>&1)
[ "$out" = /usr/share/man/man8/wsbenchctl.8.gz ] || defect "man -w wsbenchctl: '$out'"

# --- purge -------------------------------------------------------------------

run_bounded 120 dpkg --purge wsbench >"$WORK/purge.out" 2>&1 ||
	defect "dpkg --purge wsbench: $(cat "$WORK/purge.out")"
while read -r f; do
	[ -e "$f" ] || [ -L "$f" ] && defect "$f left after purge"
done <"$WORK/files"
[ -e /etc/wsbenchd.conf ] && defect "/etc/wsbenchd.conf left after purge"
# The unit's enablement: its links and deb-systemd-helper's records.
left=$(find /etc/systemd /var/lib/systemd -name 'wsbenchd*' 2>/dev/null)
[ -n "$left" ] && defect "left after purge: $left"
status=$(dpkg-query -W -f='${db:Status-Status}' wsbench 2>/dev/null)
case $status in
'' | not-installed) ;;
*) defect "wsbench is '$status' after purge" ;;
esac

finish
