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

# reader ARGS...: cchc as an account that may not write the folders the
# test makes. Root may write anything, so as root that is nobody, with a
# copy of the binary and a configuration it can read ($T/rconf, made by
# reader_setup; a test may edit it before use).
reader() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u nobody -- env XDG_CACHE_HOME="$T/rcache" "$T/rbin/cchc" --config "$T/rconf/cchc.yaml" "$@"
    else
        "$T/rbin/cchc" --config "$T/rconf/cchc.yaml" "$@"
    fi
}
reader_setup() {
    mkdir -p "$T/rbin" "$T/rcache" && cp "$CCHC_BIN" "$T/rbin/" && cp -r "$CCHC_SRC/config" "$T/rconf" ||
        fail "cannot copy cchc for the reader"
}
reader_open() { # after editing $T/rconf: let the reader reach its files
    chmod 711 "$T" && chmod 777 "$T/rcache" && chmod -R a+rX "$T/rbin" "$T/rconf"
}
