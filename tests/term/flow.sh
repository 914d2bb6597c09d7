#!/usr/bin/env bash
# flow.sh — C-s saves in every form, also after the note editor has been
# used: leaving the editor's raw mode must not give C-s back to the
# terminal as XOFF (which would freeze the screen until C-q, and lose the
# recommendation to the next blind Esc).
# shellcheck source=tests/term/lib.sh
. "$(dirname "$0")/lib.sh"
setup
start
wait_for "Tổng quan"
open_note
type_text "Ghi chú trước"
wait_for "Ghi chú trước"
keys C-s                          # the editor (raw mode) saves
wait_for "Đã lưu"
keys r                            # then a form (cbreak mode)
wait_for "Kiến nghị mới"
type_text "Cập nhật sổ theo dõi hồ sơ"
keys Tab Tab
type_text "30/12/2022"
wait_for "30/12/2022"
keys C-s
wait_gone "Kiến nghị mới"         # saved: the form is gone, not frozen
keys G                            # the recommendations end the visit
wait_for "Cập nhật sổ theo dõi"
keys Q
wait_exit 0
stop
"$CCHC_BIN" --config "$CFG" --db "$tmp/db" log | grep -q "rec add" ||
    fail "the recommendation is not in the audit trail"
echo "ok"
