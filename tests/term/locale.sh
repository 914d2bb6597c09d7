#!/usr/bin/env bash
# locale.sh — a server whose only locale is C.UTF-8 often starts programs with
# no LANG or LC_* at all (the "C" locale): cchc must still draw Vietnamese,
# falling back to C.UTF-8 itself, not print "T?ng quan" or octal escapes.
# shellcheck source=tests/term/lib.sh
. "$(dirname "$0")/lib.sh"
setup
start_cmd "env -i PATH=/usr/bin:/bin HOME=/ TERM=tmux-256color '$CCHC_BIN' --config '$CFG' --db '$tmp/db'"
wait_for "? Trợ giúp"
wait_for "Tổng quan"
keys 1
wait_for "Sở Tư pháp"
keys Q
wait_exit 0
echo "ok"
