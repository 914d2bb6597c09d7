#!/usr/bin/env bash
# draft.sh — a SIGHUP while a note is being typed (what a dropped SSH link
# sends) keeps the text: the next start offers the draft back, with the
# text, and saving it makes it a note of the visit.
# shellcheck source=tests/term/lib.sh
. "$(dirname "$0")/lib.sh"
setup
start
wait_for "Tổng quan"
open_note                         # on the last visit of the year: KT-2022-26, planned
text="Bộ phận một cửa niêm yết đủ thủ tục; phỏng vấn 3 người dân"
type_text "$text"
wait_for "phỏng vấn 3 người dân"  # on the screen, so cchc has read it
pid=$(cchc_pid)
[ -n "$pid" ] || fail "cannot find the cchc process"
kill -HUP "$pid"
wait_exit 0
stop

start
wait_for "bản nháp chưa lưu"      # offered back before anything else
wait_for "phỏng vấn 3 người dân"
keys o                            # open it in the editor
wait_for "Ghi chú mới"
keys C-s
wait_for "Đã lưu"
open_last_visit
keys G                            # the notes are near the end of the visit
wait_for "Bộ phận một cửa niêm yết"
keys Q
wait_exit 0
stop

start                             # nothing is offered any more
wait_for "Tổng quan"
screen | grep -qF "bản nháp" && fail "the draft is still offered after it was saved"

# Killed outright (no signal to catch): what was typed up to the last
# draft, kept while typing, is offered back.
open_note
type_text "Sổ theo dõi hồ sơ ghi chép đầy đủ"
wait_for "Đã lưu bản nháp"        # kept at the first pause
pid=$(cchc_pid)
[ -n "$pid" ] || fail "cannot find the cchc process"
kill -KILL "$pid"
wait_exit 137
stop
start
wait_for "bản nháp chưa lưu"
wait_for "ghi chép đầy đủ"        # (the box wraps the line)
keys l                            # later: it stays
wait_gone "bản nháp chưa lưu"
keys Q
wait_exit 0
echo "ok"
