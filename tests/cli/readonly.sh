#!/usr/bin/env bash
# A folder one may not write, and a database an older cchc left: a reader
# reads without LMDB's lock file when none can be made or written (a copy
# for auditors), writes are refused with the read-only message, and any
# command run by someone who may write the folder upgrades an old schema,
# while a reader is told who must run what.
. "$(dirname "$0")/lib.sh"

# The reader (lib.sh) is admin in its configuration, so that the role lets
# it try to write and only the files stop it.
reader_setup
sed -i "s/^  admin: \[/  admin: [$(id -u -n | sed 's/^root$/nobody/'), /" "$T/rconf/cchc.yaml"
grep -q '^  admin: \[\(nobody\|'"$(id -u -n)"'\),' "$T/rconf/cchc.yaml" || fail "could not make the reader admin"
reader_open

# A copy for auditors: folder 555, data.mdb 444, no lock.mdb.
sample_db "$T/copy"
rm -f "$T/copy/lock.mdb"
chmod 444 "$T/copy/data.mdb" && chmod 555 "$T/copy"
expect_status 0 reader --db "$T/copy" show visit KT-2022-01
expect_grep "KT-2022-01" "$T/out"
expect_status 0 reader --db "$T/copy" check
expect_grep "database $T/copy: ok" "$T/out"
# Writes are refused by the files, not by the role (the reader is admin).
expect_status 1 reader --db "$T/copy" note add --visit 1 --text "không được ghi"
expect_grep "open read-only: cannot write" "$T/err"
[ ! -e "$T/copy/lock.mdb" ] || fail "reading made a lock file in a read-only folder"
chmod 755 "$T/copy" && chmod 644 "$T/copy/data.mdb"
expect_status 0 cchc --db "$T/copy" notes --visit 1
grep -q "không được ghi" "$T/out" && fail "a refused note was written"

# A database at schema 4, as cchc 4 left it: results keyed by the index code
# alone ((be16 year, be64 id) values), no index of items by component.
sample_db "$T/new"
mdb_dump -a "$T/new" >"$T/new.dump" || fail "mdb_dump"
awk '
/^VERSION=/ { db = ""; data = 0; n = 0; head = $0; next }
/^database=/ { db = substr($0, 10); if (db != "ix_component_items") print head }
db == "ix_component_items" { next }
/^HEADER=END/ { print; data = 1; next }
/^DATA=END/ { print; data = 0; next }
!data { print; next }
{ n++ }
db == "meta" && n % 2 == 0 && prev == " 736368656d61" { print " 00000004"; next }
db == "meta" { prev = $0 }
db == "ix_index_results" && n % 2 == 1 { print substr($0, 1, length($0) - 18); next }
db == "ix_index_results" { print " " substr($0, 4, 4) substr($0, 10); next }
{ print }' "$T/new.dump" >"$T/old.dump"
grep -q '^ 00000004$' "$T/old.dump" || fail "could not stamp schema 4"
mkdir -p "$T/old"
mdb_load -f "$T/old.dump" "$T/old" 2>/dev/null || fail "mdb_load"
schema() { mdb_dump -s meta "$1" | grep -A1 '^ 736368656d61$' | tail -n 1 | tr -d ' '; }
[ "$(schema "$T/old")" = 00000004 ] || fail "the old database is not at schema 4"
chmod 644 "$T/old/data.mdb" "$T/old/lock.mdb"

# A reader who may not write the folder is told which folder, and that
# someone with write access must run a command; nothing changes.
chmod 555 "$T/old"
expect_status 1 reader --db "$T/old" list visits
expect_grep "database schema 4 in $T/old is older than this cchc (5)" "$T/err"
expect_grep "someone with write access to $T/old must run any cchc command" "$T/err"
chmod 755 "$T/old"
[ "$(schema "$T/old")" = 00000004 ] || fail "a reader changed the schema"

# Someone who may write it: a listing upgrades it (one transaction) and works.
expect_status 0 cchc --db "$T/old" list visits
[ "$(tail -n +2 "$T/out" | wc -l)" = 26 ] || fail "list visits after the upgrade: $(wc -l <"$T/out") lines"
[ "$(schema "$T/old")" = 00000005 ] || fail "list visits did not upgrade the schema"
# ... rebuilding the derived indexes as the new schema shapes them
expect_status 0 cchc --db "$T/old" check
expect_grep "database $T/old: ok" "$T/out"
for table in ix_index_results ix_component_items; do
    [ "$(mdb_dump -s "$table" "$T/old" | sed -n '/^HEADER=END/,$p' | md5sum)" = \
        "$(mdb_dump -s "$table" "$T/new" | sed -n '/^HEADER=END/,$p' | md5sum)" ] ||
        fail "$table after the upgrade differs from a new database's"
done
# and the reader now reads it
chmod 555 "$T/old"
expect_status 0 reader --db "$T/old" list visits
chmod 755 "$T/old"
finish
