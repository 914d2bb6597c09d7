#!/usr/bin/env bash
# exit.sh — the test library itself: wait_exit finds the exit status even
# when the shell's "Killed ..." line before it fills the pane's width and
# wraps (a long checkout path once split "EXIT" from "=137" and made
# term/draft time out on a clean clone).
# shellcheck source=tests/term/lib.sh
. "$(dirname "$0")/lib.sh"
for width in 74 75 76 77 78 79 80 81; do
    S="w$width"
    line=$(printf '%*s' "$width" '' | tr ' ' x)
    start_cmd "(printf %s '$line'; exit 137)"
    wait_exit 137
    stop
done
S=ok
start_cmd "true"
wait_exit 0
echo "ok"
