#!/usr/bin/env bash
# draft_two.sh — two sessions of the same login (an SSH reconnect while the
# old session still hangs) each typing a note at the same place, both
# killed outright: the next start offers both drafts back (regression: the
# draft key was login + place, so one overwrote the other and its text was
# lost); opening them gives two editors, and saving both makes two notes;
# nothing is offered afterwards.
# shellcheck source=tests/term/lib.sh
. "$(dirname "$0")/lib.sh"


# kill_now: SIGKILL the cchc of session $S (no draft saved on the way out).
kill_now() {
    local pid
    pid=$(cchc_pid)
    [ -n "$pid" ] || fail "cannot find the cchc process of session $S"
    kill -KILL "$pid"
    wait_exit 137
    stop
}

setup
# Both editors are open before either has a draft.
S=a
start
wait_for "Tổng quan"
open_note
S=b
start
wait_for "Tổng quan"
open_note

S=a
type_text "Phiên một: sổ đủ"
wait_for "Đã lưu bản nháp" # kept at the first pause
S=b
type_text "Phiên hai: thiếu"
wait_for "Đã lưu bản nháp"
S=a
kill_now
S=b
kill_now

S=c
start
wait_for "Bạn có 2 bản nháp chưa lưu"
wait_for "Phiên một: sổ đủ"
wait_for "Phiên hai: thiếu"
keys o # both open, each in its own editor
wait_for "Ghi chú mới"
keys C-s
wait_for "Đã lưu"
wait_for "Ghi chú mới" # the second one is still open
keys C-s
wait_gone "Ghi chú mới"
keys 3
wait_for "lọc: tất cả"
keys G Enter
wait_for "KT-2022-26"
keys G # the notes are near the end of the visit
wait_for "Phiên một: sổ đủ"
wait_for "Phiên hai: thiếu"
keys Q
wait_exit 0
stop

S=d
start # nothing is offered any more
wait_for "Tổng quan"
screen | grep -qF "bản nháp" && fail "a draft is still offered after both were saved"
keys Q
wait_exit 0
echo "ok"
