#!/usr/bin/env bash
# signal.sh — SIGTERM ends the UI cleanly: the terminal is restored and the
# program exits 0.
# shellcheck source=tests/term/lib.sh
. "$(dirname "$0")/lib.sh"
setup
start
wait_for "Tổng quan"
pid=$(cchc_pid)
[ -n "$pid" ] || fail "cannot find the cchc process"
kill -TERM "$pid"
wait_exit 0
wait_gone "Tổng quan"              # the normal screen is back
echo "ok"
