# common.sh - what the benchmark scripts share: their command line and the packages they
# install. Sourced (`. "$here/common.sh"`), never run.

# usage SCRIPT: prints SCRIPT's header comment (after the #! line, up to the first line that is
# not a comment), which is its --help.
usage() {
    sed -n '2,/^[^#]/p' "$1" | sed '$d' | sed 's/^# \{0,1\}//'
}

# parse_options SCRIPT SPEC... -- ARGUMENT...: reads the script's command line.
#   SPEC --name=VARIABLE          --name VALUE stores VALUE in VARIABLE
#   SPEC --name:VARIABLE=VALUE    --name alone stores VALUE in VARIABLE
# -h and --help print the usage and exit 0; an unknown argument, or an option without its value,
# is an error (exit 2).
parse_options() {
    local _script=$1 _spec _argument _assignment _known
    local -a _specs=()
    shift
    while [ $# -gt 0 ] && [ "$1" != -- ]; do _specs+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    while [ $# -gt 0 ]; do
        _argument=$1 _known=0
        case $_argument in -h | --help) usage "$_script"; exit 0 ;; esac
        for _spec in "${_specs[@]}"; do
            if [[ $_spec == "$_argument="* ]]; then
                [ $# -ge 2 ] || { echo "$(basename "$_script"): $_argument needs a value" >&2; exit 2; }
                printf -v "${_spec#*=}" '%s' "$2"
                shift
                _known=1
                break
            elif [[ $_spec == "$_argument:"* ]]; then
                _assignment=${_spec#*:}
                printf -v "${_assignment%%=*}" '%s' "${_assignment#*=}"
                _known=1
                break
            fi
        done
        [ $_known = 1 ] || { echo "$(basename "$_script"): unknown argument: $_argument (see --help)" >&2; exit 2; }
        shift
    done
}

# need_pkg COMMAND-OR-FILE PACKAGE: installs PACKAGE with apt-get when neither a command nor a file
# of that name exists.
need_pkg() {
    if ! { command -v "$1" >/dev/null 2>&1 || [ -e "$1" ]; }; then
        echo "# installing $2" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null
    fi
}
