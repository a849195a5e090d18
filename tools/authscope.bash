# bash completion for authscope(1); installed to
# $(PREFIX)/share/bash-completion/completions/authscope
_authscope()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -n = || return
    else
        COMPREPLY=()
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi

    local commands="analyze decode events timeline live check rules"
    local common="--format --output --rules --no-default-rules --secret --secrets-file
        --ike-keys --user --since --until --tz --year --fail-on --severity --redact
        --quiet --verbose --help -f -o -d -q -v"

    if [[ $cword -eq 1 ]]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    local cmd=${words[1]}

    case $prev in
        -f|--format)
            case $cmd in
                events) COMPREPLY=($(compgen -W "json ndjson" -- "$cur")) ;;
                check) COMPREPLY=($(compgen -W "text junit" -- "$cur")) ;;
                decode) ;;
                *) COMPREPLY=($(compgen -W "text json ndjson html junit sarif" -- "$cur")) ;;
            esac
            return ;;
        --fail-on)
            COMPREPLY=($(compgen -W "info warning error none" -- "$cur")); return ;;
        -T)
            COMPREPLY=($(compgen -W "fields" -- "$cur")); return ;;
        -d)
            COMPREPLY=($(compgen -W "udp.port==1812,radius udp.port==500,isakmp" -- "$cur")); return ;;
        -o|--output|--rules|--secrets-file|--ike-keys|--expect|--follow|--replay)
            COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
        --interface)
            COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null)" -- "$cur")); return ;;
        --user|--since|--until|--tz|--year|--secret|--severity|--bpf|--syslog|--speed|-e|-E|-Z)
            return ;;
    esac

    if [[ $cmd == rules && $cword -eq 2 ]]; then
        COMPREPLY=($(compgen -W "list lint explain" -- "$cur")); return
    fi

    if [[ $cur == -* ]]; then
        local extra=""
        case $cmd in
            check) extra="--expect --update" ;;
            decode) extra="-T -e -E -V -x" ;;
            live) extra="--follow --interface --bpf --syslog --replay --speed --headless --on-change -Z" ;;
        esac
        COMPREPLY=($(compgen -W "$common $extra" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
    compopt -o filenames 2>/dev/null
}
complete -F _authscope authscope
