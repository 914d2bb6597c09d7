#!/usr/bin/env bash
# Roles with real login accounts on a group-shared database folder: a viewer
# is refused (exit 1, one clear line, nothing written), an inspector who is
# not on the visit's team is refused, an inspector on the team adds a note
# that the others then see, a rule naming a login beats its group's rule,
# and an account with no role may not even read. The folder is shared the
# way the README says (a group, setgid 2770); the files cchc creates there
# stay group-writable whatever the umask. Needs root (useradd, runuser): CI
# runs as root; elsewhere the test says it is skipped.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v useradd >/dev/null || ! command -v runuser >/dev/null; then
    echo "skipped: needs root (useradd, runuser)"
    exit 0
fi

GRP=cchct-grp # owns the database folder: every account that may open it
RGRP=cchct-rd # a role group: "@cchct-rd" reads
USERS="cchct-vw cchct-in1 cchct-in2 cchct-no"
remove_accounts() {
    for u in $USERS; do userdel "$u" >/dev/null 2>&1; done
    groupdel "$GRP" >/dev/null 2>&1
    groupdel "$RGRP" >/dev/null 2>&1
}
S=$(mktemp -d /tmp/cchct.XXXXXX)
trap 'remove_accounts; rm -rf "$S"; chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
remove_accounts # left over from an interrupted run
groupadd "$GRP" && groupadd "$RGRP" || { fail "groupadd"; finish; }
for u in $USERS; do
    groups="$GRP,$RGRP"
    [ "$u" = cchct-no ] && groups=$GRP # may open the folder, but no rule names it
    useradd -M -N -s /bin/sh -d /nonexistent -G "$groups" "$u" || fail "useradd $u"
done

# Everything the accounts read must be reachable by them.
chmod 755 "$S"
cp -r "$CCHC_SRC/config" "$S/config"
cp -r "$CCHC_SRC/data" "$S/data"
# cchct-in1 takes minh's place on the teams (KT-2022-02, -03, -04)
sed -i 's/login: minh,/login: cchct-in1,/' "$S/data/visits.yaml"
# roles: the role group reads; two logins inspect (a rule naming the login
# beats the group's); cchct-no is named nowhere and default_role is none
sed -i '/^roles:/,/^default_role:/d' "$S/config/cchc.yaml"
cat >>"$S/config/cchc.yaml" <<'EOF'
roles:
  admin: [root]
  inspector: [cchct-in1, cchct-in2]
  viewer: ["@cchct-rd"]
default_role: none
EOF
chmod -R a+rX "$S/config" "$S/data"

# The shared folder: group cchct-grp, setgid, 2770; init under a hostile umask.
install -d -o root -g "$GRP" -m 2770 "$S/db"
(umask 077 && "$CCHC_BIN" --config "$S/config/cchc.yaml" --db "$S/db" init >/dev/null) ||
    fail "init in the shared folder"

# The other accounts may not reach the build folder (a checkout under a 0700
# folder): they run a copy of the binary kept in the shared folder.
cp "$CCHC_BIN" "$S/cchc" && chmod 0755 "$S/cchc" || fail "cannot copy the binary"
as() { # USER CMD...: run cchc as USER under umask 077
    local u=$1
    shift
    runuser -u "$u" -- sh -c 'umask 077; exec "$@"' sh "$S/cchc" --config "$S/config/cchc.yaml" \
        --db "$S/db" "$@"
}
snapshot() { "$CCHC_BIN" --config "$S/config/cchc.yaml" --db "$S/db" log | md5sum; }

# A viewer (through the group rule) may read but not write.
expect_status 0 as cchct-vw notes --visit KT-2022-03
before=$(snapshot)
expect_status 1 as cchct-vw note add --visit KT-2022-03 --text "viewer writes"
expect_grep "viewer cchct-vw may not add notes" "$T/err"
[ "$(wc -l <"$T/err")" = 1 ] || fail "refusal is not one line"
[ -s "$T/out" ] && fail "a refusal printed an id"
[ "$(snapshot)" = "$before" ] || fail "the viewer's refusal changed the database"

# An inspector not on the team (the login rule beats the group's viewer).
expect_status 1 as cchct-in2 note add --visit KT-2022-03 --text "outsider writes"
expect_grep "cchct-in2 is not on the team of KT-2022-03" "$T/err"
[ "$(snapshot)" = "$before" ] || fail "the outsider's refusal changed the database"

# An inspector on the team may, and everyone with a role sees the note.
expect_status 0 as cchct-in1 note add --visit KT-2022-03 --text "ghi chú của thành viên"
id=$(cat "$T/out")
[[ "$id" =~ ^[0-9]+$ ]] || fail "no id from the team member"
expect_status 0 as cchct-vw notes --visit KT-2022-03
grep -q "^$id"$'\t'".*"$'\t'"cchct-in1"$'\t\t'"ghi chú của thành viên$" "$T/out" || fail "the viewer does not see the note"
expect_status 0 as cchct-in2 log
expect_grep $'\tcchct-in1\tnote add\tvisit' "$T/out"
# the same inspector on a visit it is not on
expect_status 1 as cchct-in1 note add --visit KT-2022-05 --text "not my visit"
expect_grep "not on the team of KT-2022-05" "$T/err"

# No role at all (default_role: none): not even reading.
expect_status 1 as cchct-no notes --visit KT-2022-03
expect_grep "cchct-no has no role" "$T/err"

# init --force over the database is the admin's (root, its creator), not an inspector's.
expect_status 1 as cchct-in1 init --force --from "$S/data"
expect_grep "may not replace" "$T/err"

# The files stay the group's and group-writable, whoever wrote last.
for f in data.mdb lock.mdb; do
    [ -e "$S/db/$f" ] || { fail "no $f"; continue; }
    [ "$(stat -c %G "$S/db/$f")" = "$GRP" ] || fail "$f belongs to group $(stat -c %G "$S/db/$f")"
    perm=$(stat -c %a "$S/db/$f")
    [ $((0$perm & 060)) = $((060)) ] || fail "$f is mode $perm, not group read-write"
done
[ "$(stat -c %a "$S/db")" = 2770 ] || fail "the folder is mode $(stat -c %a "$S/db")"
expect_status 0 "$CCHC_BIN" --config "$S/config/cchc.yaml" --db "$S/db" check
finish
