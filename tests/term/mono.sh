#!/usr/bin/env bash
# mono.sh — a terminal without colours (TERM=vt100) and NO_COLOR: the UI
# still works (attribute-only styles) and quits with status 0.
# shellcheck source=tests/term/lib.sh
. "$(dirname "$0")/lib.sh"
setup
NO_COLOR=1 start vt100
wait_for "Tổng quan"
keys 3
wait_for "lọc: tất cả"
keys j j Enter
wait_for "Danh mục kiểm tra"
keys Q
wait_exit 0
echo "ok"
