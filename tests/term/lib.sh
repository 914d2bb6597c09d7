# shellcheck shell=bash
# lib.sh — sourced by the real-terminal tests (tests/term/*.sh): a private
# tmux server, a sample database, and polling of the screen.
#
# Each test runs cchc in an 80x24 tmux pane on its own socket, sends keys
# with send-keys and waits for text with wait_for, which polls capture-pane
# until the text appears or ~10 s pass (never a bare sleep as the
# synchronisation). The pane stays after cchc ends and shows
# "EXIT=<status>" (wait_exit). Everything is removed on exit.
#
# Environment (from tests/run): CCHC_BIN, the program; CCHC_SRC, the source
# tree. The configuration is copied with the UI language forced to
# Vietnamese so that the texts waited for do not depend on the locale.
#
# Several sessions at once: every function works on the tmux session named
# by $S (default "cchc"); set S=a, S=b... to talk to another one. start_as
# runs cchc as another login (root only), for the tests of two inspectors.

set -u
: "${CCHC_BIN:?CCHC_BIN must name the cchc program}"
: "${CCHC_SRC:?CCHC_SRC must name the source tree}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cchc-term.XXXXXX")
sock="cchc-test-$$"
DEADLINE=${CCHC_TERM_DEADLINE:-10}

# The server's settings, read before any pane starts: panes stay after
# their program ends (a program that ends at once would otherwise take its
# session with it), and the server stays when its last session is stopped
# (else the next start could reach a server on its way out). cleanup()
# ends it.
printf '%s\n' 'set-option -g remain-on-exit on' 'set-option -s exit-empty off' >"$tmp/tmux.conf"
T() { tmux -u -L "$sock" -f "$tmp/tmux.conf" "$@"; }

S=cchc
CLEANUP_EXTRA=() # commands run at exit, before the folder goes (e.g. userdel)

cleanup() {
    local c
    T kill-server >/dev/null 2>&1
    for c in "${CLEANUP_EXTRA[@]}"; do
        eval "$c" >/dev/null 2>&1
    done
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock" # tmux leaves its socket behind
    rm -rf "$tmp"
}
trap cleanup EXIT

screen() { T capture-pane -p -t "$S" 2>/dev/null; }

# fail MESSAGE: say what went wrong, show the last screen, exit 1.
fail() {
    echo "FAIL: $*"
    echo "---- last screen ----"
    screen
    echo "---------------------"
    exit 1
}

# setup: the configuration (language forced to vi) and a fresh database.
setup() {
    mkdir -p "$tmp/config"
    cp "$CCHC_SRC"/config/*.yaml "$tmp/config/" || fail "cannot copy the configuration"
    if grep -qE '^language:' "$tmp/config/cchc.yaml"; then
        sed -i -E 's/^language:.*/language: vi/' "$tmp/config/cchc.yaml"
    else
        echo 'language: vi' >>"$tmp/config/cchc.yaml"
    fi
    CFG="$tmp/config/cchc.yaml"
    "$CCHC_BIN" --config "$CFG" --db "$tmp/db" init --from "$CCHC_SRC/data" >"$tmp/init.log" 2>&1 ||
        fail "cchc init failed: $(cat "$tmp/init.log")"
}

# start_cmd COMMAND: run the shell COMMAND in a new 80x24 pane; when it
# ends the pane shows "EXIT=<status>" on a line of its own. The pane's
# shell then waits (sleep, until the session is stopped) instead of
# exiting: tmux may drop the last output of a program that ends at once,
# and the exit line must always be read.
start_cmd() {
    T new-session -d -s "$S" -x 80 -y 24 "$1; st=\$?; echo; echo EXIT=\$st; exec sleep 86400" ||
        fail "cannot start tmux"
}

# start [TERM]: run cchc in a new pane.
start() {
    local term=${1:-tmux-256color}
    start_cmd "env LC_ALL=C.UTF-8 TERM=$term NO_COLOR=${NO_COLOR:-} '$CCHC_BIN' --config '$CFG' --db '$tmp/db'"
}

# start_as LOGIN [BIN]: as start, but cchc runs as LOGIN (needs root).
start_as() {
    local login=$1 bin=${2:-$CCHC_BIN}
    start_cmd "runuser -u '$login' -- env HOME=/ LC_ALL=C.UTF-8 TERM=tmux-256color NO_COLOR= '$bin' --config '$CFG' --db '$tmp/db'"
}

# stop: end the session $S (its pane and whatever still runs in it).
stop() { T kill-session -t "$S" >/dev/null 2>&1; }

# wait_for TEXT: poll the screen until it shows TEXT (fixed string).
wait_for() {
    local text=$1 end=$((SECONDS + DEADLINE))
    while [ "$SECONDS" -le "$end" ]; do
        if screen | grep -qF -- "$text"; then
            return 0
        fi
        sleep 0.1
    done
    fail "timed out waiting for '$text'"
}

# wait_gone TEXT: poll until the screen no longer shows TEXT.
wait_gone() {
    local text=$1 end=$((SECONDS + DEADLINE))
    while [ "$SECONDS" -le "$end" ]; do
        if ! screen | grep -qF -- "$text"; then
            return 0
        fi
        sleep 0.1
    done
    fail "timed out waiting for '$text' to go away"
}

# wait_exit STATUS: poll until cchc has ended with STATUS ("EXIT=<status>",
# which may have scrolled into the pane's history when the pane died).
wait_exit() {
    local want="EXIT=$1" end=$((SECONDS + DEADLINE)) got
    while [ "$SECONDS" -le "$end" ]; do
        # -J joins lines the terminal wrapped: the shell's "Killed ..."
        # message before it can push "EXIT=" across the right margin.
        got=$(T capture-pane -p -J -t "$S" -S - 2>/dev/null | grep -o 'EXIT=[0-9]*' | tail -n 1)
        if [ -n "$got" ]; then
            [ "$got" = "$want" ] && return 0
            fail "cchc ended with $got, expected $want"
        fi
        sleep 0.1
    done
    fail "timed out waiting for cchc to end"
}

keys() { T send-keys -t "$S" "$@"; }

# type_text TEXT: send TEXT literally (UTF-8), as typed.
type_text() { T send-keys -t "$S" -l -- "$1"; }

# The pid of cchc itself (the child of the pane's shell), for signals.
cchc_pid() {
    local pane pid
    pane=$(T display-message -p -t "$S" '#{pane_pid}')
    pid=$(pgrep -P "$pane" | head -n 1)
    # Through runuser, cchc is one level further down.
    if [ -n "$pid" ] && [ "$(ps -o comm= -p "$pid")" = runuser ]; then
        pid=$(pgrep -P "$pid" | head -n 1)
    fi
    echo "$pid"
}

# open_last_visit: from any main screen, the last visit of the year
# (KT-2022-26, planned; the sample's inspectors are on its team).
open_last_visit() {
    keys 3
    wait_for "lọc: tất cả"
    keys G Enter
    wait_for "KT-2022-26"
}

# open_note: a new note on that visit, the editor open.
open_note() {
    open_last_visit
    keys a
    wait_for "Ghi chú mới"
}
