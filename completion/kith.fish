# fish completion for kith: commands (from `kith help`), options, and WHO
# names and addresses (from the hidden `kith complete-who`).  fish escapes
# what it inserts, so a name with spaces stays one argument.

# The command word, skipping global options and their values; none: status 1.
function __kith_command
	set -l args (commandline -opc)
	set -e args[1]
	set -l skip 0
	for w in $args
		if test $skip = 1
			set skip 0
			continue
		end
		switch $w
			case -c --config -d --database
				set skip 1
			case '-*'
			case '*'
				echo $w
				return 0
		end
	end
	return 1
end

function __kith_using
	set -l cmd (__kith_command); or return 1
	contains -- $cmd $argv
end

# -c/-d given before the command, so completion reads the same database.
function __kith_global
	set -l args (commandline -opc)
	set -e args[1]
	set -l i 1
	while test $i -le (count $args)
		switch $args[$i]
			case -c --config -d --database
				echo $args[$i]
				set i (math $i + 1)
				test $i -le (count $args); and echo $args[$i]
			case '-*'
			case '*'
				return
		end
		set i (math $i + 1)
	end
end

function __kith_commands
	kith help 2>/dev/null | sed -n '/^commands:/,/^$/s/^  \([a-z-]*\)  *\(.*\)$/\1\t\2/p'
end

function __kith_who
	kith (__kith_global) complete-who (commandline -ct) 2>/dev/null
end

complete -c kith -f
complete -c kith -n 'not __kith_command' -a '(__kith_commands)'
complete -c kith -n 'not __kith_command' -s c -l config -r -F -d 'configuration file'
complete -c kith -n 'not __kith_command' -s d -l database -r -F -d 'database file'
complete -c kith -l json -d 'machine-readable output'
complete -c kith -l no-color -d 'no colour even on a terminal'
complete -c kith -s v -l verbose -d 'rule names and scores in the text output'
complete -c kith -s h -l help -d 'help'
complete -c kith -n 'not __kith_command' -l version -d 'the version'

complete -c kith -n '__kith_using show related log unsnooze ignore unignore note merge snooze cadence brief' -a '(__kith_who)'
complete -c kith -n '__kith_using event' -a 'add'
complete -c kith -n '__kith_using snooze' -a 'tomorrow "next week" monday tuesday wednesday thursday friday saturday sunday 1w 2w 1m 3m'
complete -c kith -n '__kith_using cadence' -a 'auto never 2w 1m 3m 6m 1y'
complete -c kith -n '__kith_using circle' -a 'add rm accept'
complete -c kith -n '__kith_using config' -a 'init check'
complete -c kith -n '__kith_using help' -a '(__kith_commands)'
complete -c kith -n '__kith_using import' -F -r

complete -c kith -n '__kith_using due show related circles' -s n -l limit -r -d 'at most N'
complete -c kith -n '__kith_using due list' -l circle -r -d 'only people of circle C'
complete -c kith -n '__kith_using due' -l all -d 'every relationship with its status'
complete -c kith -n '__kith_using list' -l sort -r -a 'due strength recent name'
complete -c kith -n '__kith_using list' -l acquaintances -d 'include acquaintances'
complete -c kith -n '__kith_using circles merge' -l suggest -d 'suggestions'
complete -c kith -n '__kith_using circles export' -l format -r -a 'json csv vcard dot'
complete -c kith -n '__kith_using log' -l when -r -a 'today yesterday'
complete -c kith -n '__kith_using log' -l kind -r -a 'meeting call event message'
complete -c kith -n '__kith_using log add' -l note -r
complete -c kith -n '__kith_using add' -l email -r
complete -c kith -n '__kith_using add' -l circle -r
complete -c kith -n '__kith_using add' -l follow-up -r
complete -c kith -n '__kith_using sync' -l wait -d 'wait for the round'
complete -c kith -n '__kith_using sync' -l timeout -r
complete -c kith -n '__kith_using config' -l connect -d 'also log in to each account'
complete -c kith -n '__kith_using config' -l provider -r -a 'gmail fastmail icloud outlook yahoo generic'
complete -c kith -n '__kith_using config' -l address -r -d 'your address'
complete -c kith -n '__kith_using log add brief' -l event -r -d 'an event (kith event add)'
complete -c kith -n '__kith_using seeds' -l days -r -d 'first met in the last N days'
complete -c kith -n '__kith_using event' -l date -r -d 'the date of the event'
complete -c kith -n '__kith_using event brief' -l circle -r -d 'a circle'
complete -c kith -n '__kith_using brief' -l ics -r -F -d 'an invitation (.ics)'
