#!/usr/bin/env bash
# Bad input is a user story: a broken config names file:line:column and exits
# 2; a missing database, a corrupt record, a read-only folder and an existing
# database under init each give one clear line and change nothing.
. "$(dirname "$0")/lib.sh"

# A broken configuration: file:line:column, exit 2.
cp -r "$CCHC_SRC/config" "$T/config"
printf 'province: {code: BENTRE, name: Bến Tre}\nlanguage: [vi\n' >"$T/config/cchc.yaml"
expect_status 2 "$CCHC_BIN" --config "$T/config/cchc.yaml" --db "$T/none" list units
expect_grep "cchc.yaml:[0-9]*:[0-9]*: " "$T/err"
expect_status 2 "$CCHC_BIN" --config "$T/missing.yaml" --db "$T/none" list units

# No database.
expect_status 1 cchc --db "$T/none" list units
expect_grep "cchc init" "$T/err"
[ ! -e "$T/none/data.mdb" ] || fail "listing created a database"

# init refuses to replace a database, and a failed init changes nothing.
sample_db "$T/db"
before=$(cchc --db "$T/db" list units | md5sum)
expect_status 1 cchc --db "$T/db" init
expect_grep "already exists" "$T/err"
cp -r "$CCHC_SRC/data" "$T/baddata"
sed -i '0,/kind: department/s//kind: ministry/' "$T/baddata/units.yaml"
expect_status 2 cchc --db "$T/db" init --force --from "$T/baddata"
expect_grep "units.yaml:[0-9]*:[0-9]*: " "$T/err"
# regression: the quoted line and the caret under the column stay on their own lines
grep -q '^ *\^$' "$T/err" || fail "no caret line under the quoted source line"
[ "$(cchc --db "$T/db" list units | md5sum)" = "$before" ] || fail "a failed init changed the database"
expect_status 0 cchc --db "$T/db" init --force
ls "$T" | grep -q '\.init\.' && fail "init left a temporary folder"

# A corrupt record is reported, not followed into a crash.
mdb_dump -s visits "$T/db" >"$T/visits.dump" || fail "mdb_dump"
awk 'BEGIN {done = 0} /^ 0000000000000001$/ && !done {print; getline; print " deadbeef"; done = 1; next} {print}' \
    "$T/visits.dump" >"$T/visits.bad"
mdb_load -s visits -f "$T/visits.bad" "$T/db" || fail "mdb_load"
expect_status 1 cchc --db "$T/db" show visit 1
expect_grep "corrupt" "$T/err"
expect_status 1 cchc --db "$T/db" check
expect_grep "visits" "$T/err"
expect_status 0 cchc --db "$T/db" show visit 2
# a list goes on past the damaged row: the other 25 visits, the damage
# reported, status 1
expect_status 1 cchc --db "$T/db" list visits --year 2022
expect_grep "corrupt" "$T/err"
[ "$(tail -n +2 "$T/out" | wc -l)" = 25 ] || fail "list visits stopped at the damaged record: $(wc -l <"$T/out") lines"
# a visit whose unit is damaged is listed without its unit's name
uid=$(cchc --db "$T/db" list units 2>/dev/null | awk -F'\t' '$2 == "CHOLACH" {print $1}')
key=$(printf ' %016x' "$uid")
mdb_dump -s units "$T/db" >"$T/units.dump" || fail "mdb_dump units"
awk -v key="$key" 'BEGIN {done = 0} $0 == key && !done {print; getline; print " deadbeef"; done = 1; next} {print}' \
    "$T/units.dump" >"$T/units.bad"
mdb_load -s units -f "$T/units.bad" "$T/db" || fail "mdb_load units"
expect_status 1 cchc --db "$T/db" list visits --year 2022
[ "$(tail -n +2 "$T/out" | wc -l)" = 25 ] || fail "list visits lost visits of a damaged unit"
grep -q "?$uid" "$T/out" || fail "the visit of the damaged unit does not name it"
expect_status 1 cchc --db "$T/db" list units
[ "$(tail -n +2 "$T/out" | wc -l)" = 78 ] || fail "list units stopped at the damaged record"

# A read-only database folder can still be read, by an account that may not
# write it: root may write anything, so as root the reader is nobody, with a
# binary and configuration of its own it can read. As a copy kept for
# auditors is: folder 555, data.mdb 444, no lock.mdb, or one it cannot write.
reader_setup
reader_open
sample_db "$T/ro"
rm -f "$T/ro/lock.mdb"
chmod 444 "$T/ro/data.mdb" && chmod 555 "$T/ro"
expect_status 0 reader --db "$T/ro" list visits --year 2022
[ "$(tail -n +2 "$T/out" | wc -l)" = 26 ] || fail "the read-only folder listed $(wc -l <"$T/out") lines"
[ ! -e "$T/ro/lock.mdb" ] || fail "reading made a lock file in a read-only folder"
chmod 755 "$T/ro" && cchc --db "$T/ro" list units >/dev/null && chmod 444 "$T/ro/lock.mdb" && chmod 555 "$T/ro"
[ -e "$T/ro/lock.mdb" ] || fail "no lock file to make read-only"
expect_status 0 reader --db "$T/ro" list visits --year 2022
[ "$(tail -n +2 "$T/out" | wc -l)" = 26 ] || fail "a read-only lock file stopped the listing"
chmod 755 "$T/ro"

# Text from the data never reaches the terminal as an escape sequence.
cp -r "$CCHC_SRC/data" "$T/evil"
sed -i '0,/name: Sở Nội vụ/s//name: "Sở Nội vụ\\e[2J\\e]0;owned\\a\\u202e"/' "$T/evil/units.yaml"
grep -q 'owned' "$T/evil/units.yaml" || fail "could not plant the escape sequence"
cchc --db "$T/evildb" init --from "$T/evil" >/dev/null || fail "init with escapes"
for cmd in "list units" "list units --format json" "show unit SNV"; do
    cchc --db "$T/evildb" $cmd >"$T/out" 2>&1
    if LC_ALL=C grep -q $'\x1b\|\x07' "$T/out"; then fail "escape reached the output of: $cmd"; fi
    if grep -q $'\u202e' "$T/out"; then fail "bidi override reached the output of: $cmd"; fi
done
finish
