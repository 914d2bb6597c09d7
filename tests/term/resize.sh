#!/usr/bin/env bash
# resize.sh — the screen follows the terminal: bigger, smaller than the
# minimum (a notice), and back.
# shellcheck source=tests/term/lib.sh
. "$(dirname "$0")/lib.sh"
setup
start
wait_for "Tổng quan"
keys 1                            # the Units screen: its columns grow
wait_for "Sở Tư pháp"
T resize-window -t cchc -x 120 -y 40
wait_for "Người đứng đầu"
# The column heads show at 80 columns too: poll until the header has grown.
end=$((SECONDS + DEADLINE))
while header=$(screen | head -n 1 | sed 's/ *$//'); [ "${#header}" -le 80 ]; do
    [ "$SECONDS" -le "$end" ] || fail "the header did not grow to 120 columns: $header"
    sleep 0.1
done
T resize-window -t cchc -x 50 -y 12
wait_for "quá nhỏ"
T resize-window -t cchc -x 80 -y 24
wait_for "Sở Tư pháp"
wait_gone "quá nhỏ"
keys Q
wait_exit 0
echo "ok"
