#!/bin/bash
# SPDX-License-Identifier: ISC
# run_chromium.sh DIR URL [ARG...]: runs headless Chromium on URL (with the
# ARGs, Chromium options, before it), with its profile,
# HOME and XDG directories under DIR (created), until Chromium exits or
# this script gets SIGTERM or SIGINT.  It prints Chromium's PID on stdout
# first.  Chromium runs in a session of its own (setsid), whose ID is that
# PID.  On the way out Chromium gets SIGTERM; then whatever still runs of
# that session, and the crash handlers Chromium starts in sessions of their
# own (found by their --database=DIR/... argument), get SIGTERM after
# 2.5 s, and SIGKILL 1 s later, each by its PID.  Chromium's output goes to stderr.  CHROMIUM names the browser
# (default /usr/bin/chromium, the Debian package chromium).
#
# Nothing leaves 127.0.0.1: background services are off, no proxy is used
# and every host name but 127.0.0.1 fails to resolve.
set -u

dir=$1
url=$2
shift 2
browser=${CHROMIUM:-/usr/bin/chromium}
mkdir -p "$dir/home/.config" "$dir/home/.cache" "$dir/profile" || exit 2

# The PIDs of what Chromium left running: its session, and its crash
# handlers.
leftovers() {
	local p stat rest state sid a args
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$p" = "$$" ] || [ "$p" = "$BASHPID" ] && continue
		{ read -r stat <"/proc/$p/stat"; } 2>/dev/null || continue
		rest=${stat##*) }
		# state ppid pgrp session; a zombie (Z) runs no more.
		read -r state _ _ sid _ <<<"$rest"
		case $state in Z | X) continue ;; esac
		if [ "$sid" = "$pid" ]; then
			echo "$p"
			continue
		fi
		mapfile -d '' -t args <"/proc/$p/cmdline" 2>/dev/null || continue
		for a in "${args[@]}"; do
			case $a in
			"--database=$dir/"*)
				echo "$p"
				break
				;;
			esac
		done
	done
}

# wait_gone TENTHS: waits until nothing is left, at most TENTHS x 0.1 s.
wait_gone() {
	local _
	for _ in $(seq "$1"); do
		[ -z "$(leftovers)" ] && return 0
		sleep 0.1
	done
	return 1
}

# Chromium first, which stops its own children; then the rest of its
# session and its crash handlers; SIGKILL for what still runs.  In all
# under 5 s (lib.sh's kill_pid waits as long before its SIGKILL).
pid=
stop() {
	local rc=${1:-0} p
	trap - TERM INT EXIT
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null
		if ! wait_gone 25; then
			for p in $(leftovers); do
				kill -TERM "$p" 2>/dev/null
			done
			if ! wait_gone 10; then
				for p in $(leftovers); do
					echo "run_chromium.sh: SIGKILL to $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-100)" >&2
					kill -KILL "$p" 2>/dev/null
				done
			fi
		fi
		wait "$pid" 2>/dev/null
	fi
	exit "$rc"
}
trap 'stop 0' TERM INT
trap 'stop $?' EXIT

# In a script, a background job shares the script's process group, so
# setsid does not fork: $! is Chromium's PID and its session's ID.
HOME=$dir/home XDG_CONFIG_HOME=$dir/home/.config XDG_CACHE_HOME=$dir/home/.cache \
	DBUS_SESSION_BUS_ADDRESS=disabled: \
	setsid "$browser" --headless=new --no-sandbox --disable-gpu \
	--disable-dev-shm-usage --user-data-dir="$dir/profile" \
	--no-first-run --no-default-browser-check --disable-extensions \
	--disable-background-networking --disable-component-update \
	--disable-sync --disable-default-apps --no-pings \
	--disable-domain-reliability --disable-client-side-phishing-detection \
	--disable-features=Translate,OptimizationHints,MediaRouter \
	--no-proxy-server --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1' \
	--password-store=basic --mute-audio \
	"$@" "$url" </dev/null >&2 &
pid=$!
echo "$pid"
wait "$pid"
stop $?
