#!/usr/bin/env bash
# external_newline.sh — C-x C-e hands the note to $VISUAL in a file that
# ends with a newline, so that a line the inspector adds at the end is a
# line of its own (regression: it was glued to the last one,
# "…công chứcThêm…"); the newline is taken off again when the text comes
# back. Here the editor is a script that appends a line, as `echo >>` or an
# editor's "add a line at the end" does.
# shellcheck source=tests/term/lib.sh
. "$(dirname "$0")/lib.sh"
setup
printf '#!/bin/sh\nprintf '"'"'Thêm một dòng\\n'"'"' >> "$1"\n' >"$tmp/ed.sh"
chmod +x "$tmp/ed.sh"
start_cmd "env LC_ALL=C.UTF-8 TERM=tmux-256color NO_COLOR= VISUAL='$tmp/ed.sh' '$CCHC_BIN' --config '$CFG' --db '$tmp/db'"
wait_for "Tổng quan"
open_note
type_text "Thiếu công chức"
wait_for "Thiếu công chức"
keys C-x C-e # the script runs, the text comes back and is saved
wait_for "Đã lưu"
screen | grep -qF "chứcThêm" && fail "the added line is glued to the last one"
keys G k Enter # the note, from the end of the visit
wait_for "Người viết"
wait_for "Thêm một dòng"
screen | grep -qF "chứcThêm" && fail "the added line is glued to the last one"
screen | grep -qE '^ +Thiếu công chức *$' || fail "the first line is not alone on its line"
screen | grep -qE '^ +Thêm một dòng *$' || fail "the added line is not on a line of its own"
keys Q
wait_exit 0
echo "ok"
