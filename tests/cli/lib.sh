# tests/cli/lib.sh — shared by the command-line tests: a private temp folder,
# a sample database, and checks that print what they expected on failure.
set -u
: "${CCHC_BIN:?run through tests/run or set CCHC_BIN}"
: "${CCHC_SRC:?set CCHC_SRC to the source tree}"
CONFIG="$CCHC_SRC/config/cchc.yaml"
T=$(mktemp -d "${TMPDIR:-/tmp}/cchc-cli.XXXXXX")
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
failures=0

cchc() { "$CCHC_BIN" --config "$CONFIG" "$@"; }

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# expect_status WANT CMD...: run CMD, keep stdout in $T/out and stderr in $T/err.
expect_status() {
    local want=$1 got
    shift
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" != "$want" ]; then
        fail "exit $got, wanted $want: $*"
        sed 's/^/  stderr: /' "$T/err" | head -n 5
    fi
}

expect_grep() { # PATTERN FILE
    grep -q -- "$1" "$2" || { fail "no '$1' in $(basename "$2")"; head -n 5 "$2" | sed 's/^/  /'; }
}

sample_db() { # DIR: create the sample database there
    cchc --db "$1" init >/dev/null || { echo "cannot create the sample database"; exit 1; }
}

finish() {
    if [ "$failures" -gt 0 ]; then
        echo "$failures check(s) failed"
        exit 1
    fi
    echo "all checks passed"
}
