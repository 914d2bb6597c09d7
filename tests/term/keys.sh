#!/usr/bin/env bash
# keys.sh — keys as terminals really send them over SSH: Home and End in
# forms the terminfo entry does not name (PuTTY's ESC [ 1 ~ / ESC [ 4 ~
# under TERM=vt100), a key whose bytes arrive apart on a slow link, and a
# sequence cchc does not know, which is dropped instead of reading as Esc
# (back) and letters (4 would open the Indicators).
# shellcheck source=tests/term/lib.sh
. "$(dirname "$0")/lib.sh"
setup
start vt100
wait_for "Tổng quan"
keys 3
wait_for "lọc: tất cả"
keys Escape '[4~'                 # End, as PuTTY sends it
wait_for "UBND thị trấn Mỏ Cày"  # the last visit of the year
screen | grep -qF "chỉ số · năm" && fail "End read as Esc [ 4 ~: the Indicators opened"
keys Escape '[1~'                 # Home
wait_for "Sở Tư pháp"
keys Escape '[24;5~'              # a key nobody defined (Ctrl-F12)
keys Enter                        # and the screen still takes keys
wait_for "Danh mục kiểm tra"
screen | grep -qF "PARINDEX" && fail "an unknown key read as letters"
keys Escape
wait_for "lọc: tất cả"
# End with its bytes 80 ms apart, as a mobile link may deliver them (the
# gap is the stimulus, not a wait for a result)
keys Escape
sleep 0.08
keys '[4~'
wait_for "UBND thị trấn Mỏ Cày"
screen | grep -qF "Đợt kiểm tra 20" || fail "a slow End left the Visits screen"
keys Q
wait_exit 0
echo "ok"
