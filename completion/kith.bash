# bash completion for kith: commands, options, and WHO names and addresses.

_kith_who() {
	# Names and addresses from the database, through the hidden complete-who
	# command.  Names have spaces: each completion is quoted for the shell, so
	# `kith show Pi<TAB>` gives `kith show Pieter\ de\ Vries`, one argument.
	local IFS=$'\n' w prefix=$cur
	prefix=${prefix#[\"\']}
	prefix=${prefix//\\/}
	local -a all exact=()
	all=($(kith "${_kith_global[@]}" complete-who "$prefix" 2>/dev/null))
	# complete-who ignores case; bash completes only a common prefix, so the
	# names typed with the same case, if any, go first ("Pi" → the name, not
	# "pieter@...").
	for w in "${all[@]}"; do
		[[ $w == "$prefix"* ]] && exact+=("$w")
	done
	((${#exact[@]})) && all=("${exact[@]}")
	COMPREPLY=()
	for w in "${all[@]}"; do
		COMPREPLY+=("$(printf '%q' "$w")")
	done
}

_kith() {
	local cur prev words cword
	_init_completion || return

	local commands="due replies show list search related log add snooze unsnooze ignore unignore cadence
		circle circles goals merge split note status sync export import config rebuild help
		seeds event events brief"
	local i cmd="" cmdpos=0
	_kith_global=()
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-c | --config | -d | --database)
			_kith_global+=("${words[i]}" "${words[i + 1]}")
			((i++))
			;;
		-*) ;;
		*)
			cmd=${words[i]}
			cmdpos=$i
			break
			;;
		esac
	done

	if [[ -z $cmd ]]; then
		case $prev in
		-c | --config | -d | --database)
			_filedir
			return
			;;
		esac
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-c --config -d --database --json --no-color -v --verbose -h --help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi

	local argn=$((cword - cmdpos))
	case $prev in
	--sort)
		COMPREPLY=($(compgen -W "due strength recent name" -- "$cur"))
		return
		;;
	--kind)
		COMPREPLY=($(compgen -W "meeting call event message" -- "$cur"))
		return
		;;
	--format)
		COMPREPLY=($(compgen -W "json csv vcard dot" -- "$cur"))
		return
		;;
	--provider)
		COMPREPLY=($(compgen -W "gmail fastmail icloud outlook yahoo generic" -- "$cur"))
		return
		;;
	--when)
		COMPREPLY=($(compgen -W "today yesterday" -- "$cur"))
		return
		;;
	-n | --limit | --circle | --note | --email | --follow-up | --timeout | --days | --date | --event | --address)
		return
		;;
	--ics)
		_filedir ics
		return
		;;
	esac

	local opts=""
	case $cmd in
	due) opts="-n --limit --circle --all" ;;
	show | related) opts="-n --limit" ;;
	circles) opts="--suggest -n --limit --format" ;;
	list) opts="--circle --sort --acquaintances" ;;
	log) opts="--when --kind --note --event" ;;
	add) opts="--email --circle --note --follow-up --event" ;;
	sync) opts="--wait --timeout" ;;
	export) opts="--format" ;;
	config) opts="--connect --provider --address" ;;
	merge) opts="--suggest" ;;
	seeds) opts="--days" ;;
	event) opts="--date --circle" ;;
	brief) opts="--circle --event --ics" ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts --help" -- "$cur"))
		return
	fi

	case $cmd in
	show | related | log | unsnooze | ignore | unignore | note | merge | brief)
		_kith_who
		;;
	event)
		((argn == 1)) && COMPREPLY=($(compgen -W "add" -- "$cur"))
		;;
	snooze | cadence)
		if ((argn == 1)); then
			_kith_who
		elif [[ $cmd == cadence ]]; then
			COMPREPLY=($(compgen -W "auto never 2w 1m 3m 6m 1y" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "tomorrow monday tuesday wednesday thursday friday saturday sunday 1w 2w 1m 3m" -- "$cur"))
		fi
		;;
	circle)
		if ((argn == 1)); then
			COMPREPLY=($(compgen -W "add rm accept" -- "$cur"))
		elif ((argn >= 3)) && [[ ${words[cmdpos + 1]} != accept ]]; then
			_kith_who
		fi
		;;
	config)
		((argn == 1)) && COMPREPLY=($(compgen -W "init check" -- "$cur"))
		;;
	import)
		_filedir vcf
		;;
	help)
		((argn == 1)) && COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		;;
	esac
} &&
	complete -F _kith kith
