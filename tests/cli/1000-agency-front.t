#!/bin/sh
# The front: agency X runs agency-X, git-style; help, version, usage.
. "${0%/*}/../lib.sh"
plan 16

mkdir plugins
cat >plugins/agency-hello <<'SH'
#!/bin/sh
# A plugin: prints its arguments, its stdin and the context it was given.
printf 'args:%s\n' "$*"
printf 'log:%s\n' "$AGENCY_LOG"
cat
exit "${HELLO_EXIT:-0}"
SH
chmod +x plugins/agency-hello
export PATH="$T/plugins:$PATH"

check 'agency --help exits 0' 'agency --help'
grep_out 'it lists the built-in config command' '^  config '
grep_out 'and the tools it finds, plugins included' '^  hello +plugin'
check 'agency --version' 'agency --version'
grep_out 'prints name and version' '^agency \(AgencyOS\) [0-9]+\.[0-9]+'
expect_code 'an unknown option is a usage error' 64 'agency --bogus'
grep_err 'naming the option' "^agency: unknown option '--bogus'$"
grep_err 'followed by the usage line' '^usage: agency '
expect_code 'no command is a usage error' 64 'agency'
expect_code 'an unknown command is a usage error' 64 'agency frobnicate'
grep_err 'naming it' "^agency: 'frobnicate' is not a command"
check 'agency hello runs agency-hello' \
    'echo from-stdin | agency hello a "b c"'
grep_out 'with its arguments' '^args:a b c$'
grep_out 'and stdin' '^from-stdin$'
check 'agency -v hello passes the log level on' 'agency -v hello </dev/null'
HELLO_EXIT=75 expect_code "the tool's exit status is passed through" 75 \
    'agency hello </dev/null'
done_testing
