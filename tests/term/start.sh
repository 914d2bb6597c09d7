#!/usr/bin/env bash
# start.sh — cchc opens on the Units screen, with the frame of every screen:
# the header (program · province · screen, count, login) and the key line.
# shellcheck source=tests/term/lib.sh
. "$(dirname "$0")/lib.sh"
setup
start
wait_for "cchc · "
wait_for "Đơn vị"
wait_for "Sở Tư pháp"      # the province starts expanded
wait_for "? Trợ giúp"      # the bottom key line
header=$(screen | head -n 1)
case $header in
*"đơn vị"*"$(id -un)"*) ;;
*) fail "header without the unit count and the login: $header" ;;
esac
keys Q
wait_exit 0
echo "ok"
