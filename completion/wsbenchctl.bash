# SPDX-License-Identifier: ISC
# bash completion for wsbenchctl(8)
#
# The commands, job kinds and options are listed here rather than asked
# of the daemon: `help` runs in wsbenchd, and completion must work with
# none running.  tests/install.sh checks these lists against the daemon's
# own (`help`, and the options an unknown one makes it list).  Job names
# do come from the daemon, from `wsbenchctl list` on the socket given
# with -s, if any.  Only bash builtins: no bash-completion helper needed.

_wsbenchctl_commands='start stop list stats watch version help reload set'
_wsbenchctl_kinds='push recv echo'
_wsbenchctl_settings='control-mode control-group control-read-group log-level max-message'
_wsbenchctl_opts_push='--name --max-message --port --bind --tls-cert --tls-key --deflate --msg --size --binary'
_wsbenchctl_opts_recv='--name --max-message --connections --header --protocol --origin --ca --insecure --deflate --deflate-offer'
_wsbenchctl_opts_echo='--name --max-message --port --bind --tls-cert --tls-key --deflate'
# Options that take no value; the rest take one (the next word).
_wsbenchctl_flags='--binary --insecure --deflate'
# Options that may be given more than once.
_wsbenchctl_repeatable='--header --protocol'

# _wsbenchctl_reply COMPGEN-ARG...: COMPREPLY, one word a line of compgen
# (a file name may hold spaces).
_wsbenchctl_reply()
{
	mapfile -t COMPREPLY < <(compgen "$@")
}

# _wsbenchctl_jobs CTL [-s SOCKET]: the job names, one a line.
_wsbenchctl_jobs()
{
	local ctl=$1 name _
	shift
	"$ctl" "$@" list 2>/dev/null | {
		read -r _	# the header
		while read -r name _; do
			printf '%s\n' "$name"
		done
	}
}

# _wsbenchctl_start CUR WORD...: completes `start`; the words are those
# after it, before the one being completed.
_wsbenchctl_start()
{
	local cur=$1 kind=${2:-} prev opts o w skip='' left=''
	shift
	if [ $# -eq 0 ]; then
		_wsbenchctl_reply -W "$_wsbenchctl_kinds" -- "$cur"
		return
	fi
	prev=${!#}
	# The value of an option (--port N, or --port=N, which bash splits
	# at the '='): nothing to offer.
	case " $_wsbenchctl_flags " in
	*" $prev "*) ;;
	*) [[ $prev == --* || $prev == = || $cur == = ]] && return ;;
	esac
	case $kind in
	push) opts=$_wsbenchctl_opts_push ;;
	recv) opts=$_wsbenchctl_opts_recv ;;
	echo) opts=$_wsbenchctl_opts_echo ;;
	*) return ;;
	esac
	# Options already given go, but for the repeatable ones; --msg and
	# --size, --ca and --insecure, --deflate and --deflate-offer exclude
	# each other.
	for w in "$@"; do
		case " $_wsbenchctl_repeatable " in *" $w "*) continue ;; esac
		case $w in
		--msg) skip+=" --size" ;;
		--size) skip+=" --msg" ;;
		--ca) skip+=" --insecure" ;;
		--insecure) skip+=" --ca" ;;
		--deflate) skip+=" --deflate-offer" ;;
		--deflate-offer) skip+=" --deflate" ;;
		esac
		skip+=" $w"
	done
	for o in $opts; do
		case "$skip " in *" $o "*) ;; *) left+=" $o" ;; esac
	done
	_wsbenchctl_reply -W "$left" -- "$cur"
}

_wsbenchctl()
{
	local ctl=$1 cur=${COMP_WORDS[COMP_CWORD]} i=1 cmd='' w
	local sock=()

	COMPREPLY=()
	# wsbenchctl's own options come before the command (getopt "+hjs:V").
	while [ "$i" -lt "$COMP_CWORD" ]; do
		w=${COMP_WORDS[i]}
		case $w in
		-s) sock=(-s "${COMP_WORDS[i + 1]}"); i=$((i + 1)) ;;
		-s?*) sock=(-s "${w#-s}") ;;
		-*) ;;
		*) cmd=$w; break ;;
		esac
		i=$((i + 1))
	done
	if [ -z "$cmd" ]; then
		if [ "${COMP_WORDS[COMP_CWORD - 1]}" = -s ]; then
			_wsbenchctl_reply -f -- "$cur"
		elif [[ $cur == -* ]]; then
			_wsbenchctl_reply -W '-h -j -s -V' -- "$cur"
		else
			_wsbenchctl_reply -W "$_wsbenchctl_commands" -- "$cur"
		fi
		return
	fi
	# The command's own words, before the one being completed.
	local args=("${COMP_WORDS[@]:i + 1:COMP_CWORD - i - 1}") n
	n=${#args[@]}
	case $cmd in
	start)
		_wsbenchctl_start "$cur" "${args[@]}"
		;;
	stop | stats | watch)
		# -j of stats (and list), -p, --plain and --table of watch are
		# options; the job name comes once.
		for w in "${args[@]}"; do
			[[ $w == -* ]] && n=$((n - 1))
		done
		if [[ $cur == -* ]]; then
			case $cmd in
			stats) _wsbenchctl_reply -W '-j' -- "$cur" ;;
			watch) _wsbenchctl_reply -W '-p --plain --table' -- "$cur" ;;
			esac
		elif [ "$n" -eq 0 ]; then
			_wsbenchctl_reply -W "$(_wsbenchctl_jobs "$ctl" \
			    "${sock[@]}")" -- "$cur"
		fi
		;;
	list)
		[ "$n" -eq 0 ] && _wsbenchctl_reply -W '-j' -- "$cur"
		;;
	set)
		# The settings wsbenchctl may change; the rest are read at start.
		if [ "$n" -eq 0 ]; then
			_wsbenchctl_reply -W "$_wsbenchctl_settings" -- "$cur"
		elif [ "$n" -eq 1 ] && [ "${args[0]}" = log-level ]; then
			_wsbenchctl_reply -W 'warning info debug' -- "$cur"
		elif [ "$n" -eq 1 ] && [[ ${args[0]} == control-*group ]]; then
			_wsbenchctl_reply -g -- "$cur"
		fi
		;;
	esac
}

complete -F _wsbenchctl wsbenchctl
