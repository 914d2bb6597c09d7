#!/usr/bin/env bash
# navigate.sh — keys 1-4 switch screens from anywhere; Enter opens a record,
# Esc goes back; q on a main screen quits with status 0.
# shellcheck source=tests/term/lib.sh
. "$(dirname "$0")/lib.sh"
setup
start
wait_for "Tổng quan"              # the dashboard is the first screen
keys 1
wait_for "Sở Tư pháp"
keys 2
wait_for "cam kết"
keys 3
wait_for "Đợt kiểm tra 20"
wait_for "lọc: tất cả"
keys Enter
wait_for "Danh mục kiểm tra"     # a visit with its checklist
keys Escape
wait_for "lọc: tất cả"
keys f
wait_for "lọc: sở"
keys 4
wait_for "PARINDEX"
keys Enter
wait_for "Tên (en)"
keys 1                          # from a detail screen straight to Units
wait_for "Sở Tư pháp"
keys '?'
wait_for "Mọi nơi"
keys q                          # back from help
wait_gone "Mọi nơi"
keys q                          # quits from a main screen
wait_exit 0
echo "ok"
