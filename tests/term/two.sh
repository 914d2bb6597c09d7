#!/usr/bin/env bash
# two.sh — two inspectors at once: what one saves appears on the other's
# screen within a couple of seconds, without a key pressed there.
#
# As root, the two are real, different login accounts (cchct-a, cchct-b,
# created here with useradd and removed at exit) in a Unix group that
# shares the database folder (setgid 2770, files 0660), mapped to the
# inspector role by the configuration and put on a visit's team in a copy
# of the sample data. Not as root, both sessions run as the same user (the
# test says so): the live refresh is still what is checked.
# shellcheck source=tests/term/lib.sh
. "$(dirname "$0")/lib.sh"

ua=cchct-a$$ ub=cchct-b$$ grp=cchct-g$$
ua=${ua:0:30} ub=${ub:0:30} grp=${grp:0:30}

if [ "$(id -u)" = 0 ]; then
    groupadd "$grp" || fail "groupadd failed"
    CLEANUP_EXTRA+=("groupdel '$grp'")
    for u in "$ua" "$ub"; do
        useradd -M -N -g "$grp" -s /bin/sh "$u" || fail "useradd $u failed"
        CLEANUP_EXTRA=("userdel '$u'" "${CLEANUP_EXTRA[@]}")
    done
    # The configuration: the two logins are inspectors.
    mkdir -p "$tmp/config" "$tmp/data"
    cp "$CCHC_SRC"/config/*.yaml "$tmp/config/"
    sed -i -E 's/^language:.*/language: vi/' "$tmp/config/cchc.yaml"
    sed -i -E "s/^  inspector: \\[/  inspector: [$ua, $ub, /" "$tmp/config/cchc.yaml"
    grep -q "$ua" "$tmp/config/cchc.yaml" || fail "cannot add the logins to the configuration"
    CFG="$tmp/config/cchc.yaml"
    # The data: both on the team of KT-2022-26 (the last visit of 2022).
    cp "$CCHC_SRC"/data/*.yaml "$tmp/data/"
    awk -v a="$ua" -v b="$ub" '
        { print }
        /- code: KT-2022-26/ { v = 1 }
        v && /^    team:/ {
            print "      - {login: " a ", name: Kiểm tra A, org: Sở Nội vụ}"
            print "      - {login: " b ", name: Kiểm tra B, org: Sở Nội vụ}"
            v = 0
        }' "$CCHC_SRC/data/visits.yaml" >"$tmp/data/visits.yaml"
    grep -q "$ub" "$tmp/data/visits.yaml" || fail "cannot add the logins to the team"
    "$CCHC_BIN" --config "$CFG" --db "$tmp/db" init --from "$tmp/data" >"$tmp/init.log" 2>&1 ||
        fail "cchc init failed: $(cat "$tmp/init.log")"
    # The shared-server set-up: a group, a setgid folder, group-writable files.
    chgrp -R "$grp" "$tmp/db" && chmod 2770 "$tmp/db" && chmod 0660 "$tmp/db"/* ||
        fail "cannot share the database folder"
    chmod 0755 "$tmp" "$tmp/config" && chmod 0644 "$tmp/config"/*
    # The program must be reachable by the two accounts.
    cp "$CCHC_BIN" "$tmp/cchc" && chmod 0755 "$tmp/cchc"
    S=a start_as "$ua" "$tmp/cchc"
    S=b start_as "$ub" "$tmp/cchc"
    who_a=$ua who_b=$ub
else
    echo "not root: both sessions run as $(id -un)"
    setup
    S=a start
    S=b start
    who_a=$(id -un) who_b=$who_a
fi

for S in a b; do
    wait_for "Tổng quan"
    keys 3
    wait_for "Đợt kiểm tra 2022"
    keys G Enter
    wait_for "KT-2022-26"
    keys G                        # the end: notes and recommendations
    wait_for "Ghi chú (0)"
done
S=a wait_for "$who_a"             # the header says who is who
S=b wait_for "$who_b"

S=a
keys a
wait_for "Ghi chú mới"
type_text "Người dân chờ quá 30 phút ở bộ phận một cửa"
wait_for "quá 30 phút"
keys C-s
wait_for "Ghi chú (1)"
t0=$(date +%s%N)                  # saved: the note is in the database

S=b                               # no key pressed in b
wait_for "Ghi chú (1)"
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
echo "the note appeared on the other screen after $ms ms"
[ "$ms" -le 2000 ] || fail "the note took $ms ms to appear on the other screen (at most 2 s)"
wait_for "Người dân chờ quá 30 phút"
wait_for "${who_a:0:7}"           # the author is the other login (its column may cut it)

for S in a b; do
    keys Q
    wait_exit 0
done
echo "ok"
