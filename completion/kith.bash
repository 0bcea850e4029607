# bash completion for kith: commands, options, and WHO names and addresses.

_kith_who() {
	# Names and addresses from the database, through the hidden complete-who command.
	local IFS=$'\n'
	COMPREPLY=($(compgen -W "$(kith "${_kith_global[@]}" complete-who "$cur" 2>/dev/null)" -- "$cur"))
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
			COMPREPLY=($(compgen -W "-c --config -d --database --json --no-color -h --help --version" -- "$cur"))
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
		COMPREPLY=($(compgen -W "json csv vcard" -- "$cur"))
		return
		;;
	--when)
		COMPREPLY=($(compgen -W "today yesterday" -- "$cur"))
		return
		;;
	-n | --limit | --circle | --note | --email | --follow-up | --timeout | --days | --date | --event)
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
	circles) opts="--suggest -n --limit" ;;
	list) opts="--circle --sort --acquaintances" ;;
	log) opts="--when --kind --note --event" ;;
	add) opts="--email --circle --note --follow-up --event" ;;
	sync) opts="--wait --timeout" ;;
	export) opts="--format" ;;
	config) opts="--connect" ;;
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
			COMPREPLY=($(compgen -W "1w 2w 1m 3m" -- "$cur"))
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
		((argn == 1)) && COMPREPLY=($(compgen -W "check" -- "$cur"))
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
