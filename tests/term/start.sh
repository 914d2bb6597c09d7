#!/usr/bin/env bash
# start.sh — cchc opens on the Dashboard, with the frame of every screen:
# the header (program · province · screen, year, login) and the key line;
# key 1 goes to the Units screen.
# shellcheck source=tests/term/lib.sh
. "$(dirname "$0")/lib.sh"
setup
start
wait_for "cchc · "
wait_for "Tổng quan"
wait_for "PARINDEX"        # the indices, with their ranks
wait_for "? Trợ giúp"      # the bottom key line
header=$(screen | head -n 1)
case $header in
*"Tổng quan"*"Đợt kiểm tra 20"*"$(id -un)"*) ;;
*) fail "dashboard header without the year and the login: $header" ;;
esac
keys 1
wait_for "Sở Tư pháp"      # the province starts expanded
header=$(screen | head -n 1)
case $header in
*"đơn vị"*"$(id -un)"*) ;;
*) fail "header without the unit count and the login: $header" ;;
esac
keys Q
wait_exit 0
echo "ok"
