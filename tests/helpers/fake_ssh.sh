#!/bin/sh
# SPDX-License-Identifier: ISC
# ssh for tests/hosts.sh, as WSBENCH_SSH: `fake_ssh.sh [user@]HOST CMD...`
# runs CMD here as if on HOST, whose wsbenchd listens on $WORK/HOST.sock:
# as ssh does, its words joined by spaces, for the shell to read.
# The host `down` fails as an unreachable one does, with ssh's status.
host=${1#*@}
shift
if [ "$host" = down ]; then
	echo "ssh: connect to host down port 22: Connection refused" >&2
	exit 255
fi
WSBENCH_SOCKET=$WORK/$host.sock exec sh -c "$*"
