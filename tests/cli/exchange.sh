#!/usr/bin/env bash
# tests/cli/exchange.sh — cchc export, import, backup and the restore
# procedure of the README: export -> import into an empty database -> export
# gives the same bytes (YAML and JSON); CSV; bad files change nothing and
# name file:line:column, every problem of the file; init names every
# problem of a data folder and reads its findings.yaml; a backup taken while writers keep adding notes
# opens and passes `cchc check`; restoring it by hand gives a working
# database.
. "$(dirname "$0")/lib.sh"
BAD="$CCHC_SRC/tests/data/exchange"

sample_db "$T/db"
cchc --db "$T/db" note add --visit KT-2022-01 --text 'Ghi chú "có ngoặc", hai
dòng' >/dev/null || fail "note add"

# ---- round trip ----
for fmt in yaml json; do
    expect_status 0 cchc --db "$T/db" export --format "$fmt" --out "$T/a.$fmt"
    expect_grep "exported to" "$T/err"
    expect_status 0 cchc --db "$T/new-$fmt" import "$T/a.$fmt"
    expect_grep "created $T/new-$fmt: 79 units" "$T/out"
    expect_status 0 cchc --db "$T/new-$fmt" export --format "$fmt"
    cmp -s "$T/out" "$T/a.$fmt" || fail "$fmt: export -> import -> export differs"
    expect_status 0 cchc --db "$T/new-$fmt" check
done
# the JSON export is JSON
if command -v python3 >/dev/null; then
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/a.json" || fail "not JSON"
fi
# and the YAML export on stdout is the same as with --out
expect_status 0 cchc --db "$T/db" export
cmp -s "$T/out" "$T/a.yaml" || fail "export to stdout differs from --out"

# ---- one kind; CSV ----
expect_status 0 cchc --db "$T/db" export --kind results
expect_grep '^results:' "$T/out"
grep -q '^units:' "$T/out" && fail "--kind results exported units"
expect_status 0 cchc --db "$T/db" export --format csv --kind units --out "$T/units.csv"
head -n 1 "$T/units.csv" | grep -q $'^code,name,short,kind,form,parent,head_name,head_title,valid_from,valid_to,successor,note\r$' ||
    fail "CSV header"
[ "$(wc -l <"$T/units.csv")" = 80 ] || fail "CSV units: $(wc -l <"$T/units.csv") lines, wanted 80"
expect_status 0 cchc --db "$T/db" export --format csv --kind notes
expect_grep '"Ghi chú ""có ngoặc"", hai' "$T/out"
expect_status 2 cchc --db "$T/db" export --format csv
expect_grep "one kind" "$T/err"
expect_status 2 cchc --db "$T/db" export --format xml
expect_status 2 cchc --db "$T/db" export --kind people

# ---- bad files change nothing and name the line ----
cchc --db "$T/db" export >"$T/before.yaml"
cchc --db "$T/db" log --format tsv >"$T/log-before" 2>/dev/null
while read -r file where; do
    expect_status 2 cchc --db "$T/db" import "$BAD/$file"
    expect_grep "$file:$where" "$T/err"
done <<'EOF'
bad-yaml.yaml 4:3:
bad-unknown-unit.yaml 8:11: unknown unit NOWHERE
bad-duplicate.yaml 11:11: duplicate unit code X1
bad-exists.yaml 3:11: unit SNV is already in the database
bad-score.yaml 6:12: score 99.5 is above the maximum
bad-key.yaml 6:5: unknown key 'colour'
bad-version.yaml 1:10:
bad-note-db-visit.yaml 5:12:
bad-check-value.yaml 14:12: unknown result tot_lam
bad-two-leads.yaml 11:48: a team has one lead
bad-three-results.yaml 6:12: score 14 is above the maximum 11
EOF
# every problem of a file, each with its line and caret, in file order
expect_status 2 cchc --db "$T/db" import "$BAD/bad-three-results.yaml"
grep '^cchc: ' "$T/err" | sed 's/: [^:]*$//; s/^cchc: .*\///' >"$T/where"
printf '%s\n' bad-three-results.yaml:6:12 bad-three-results.yaml:14:11 \
    bad-three-results.yaml:18:11 | cmp -s - "$T/where" || {
    fail "bad-three-results.yaml: not the three problems"
    sed 's/^/  /' "$T/err"
}
expect_grep "rank 64 is not between 1 and 63" "$T/err"
expect_grep "unknown unit NOWHERE" "$T/err"
[ "$(grep -c '^ *\^$' "$T/err")" = 3 ] || fail "bad-three-results.yaml: not three carets"
# over 50 problems: the first 50, and how many more
{
    echo "version: 1"
    echo "results:"
    for i in $(seq 1 60); do echo "  - {index: PCI, year: $((2100 + i)), rank: 70, of: 63}"; done
} >"$T/many.yaml"
expect_status 2 cchc --db "$T/db" import "$T/many.yaml"
[ "$(grep -c '^cchc: ' "$T/err")" = 51 ] || fail "many.yaml: not 50 problems and a last line"
expect_grep "^cchc: $T/many.yaml:52:36: rank 70" "$T/err"
expect_grep "^cchc: … and 10 more problems$" "$T/err"
cchc --db "$T/db" export | cmp -s - "$T/before.yaml" || fail "a bad import changed the records"
cchc --db "$T/db" log --format tsv 2>/dev/null | cmp -s - "$T/log-before" ||
    fail "a bad import wrote to the audit trail"
# a bad file into a new database leaves no database behind
expect_status 2 cchc --db "$T/never" import "$BAD/bad-key.yaml"
[ -e "$T/never/data.mdb" ] && fail "a failed import left a database"
expect_status 2 cchc --db "$T/db" import "$T/no-such-file.yaml"

# ---- init: every problem of the data folder; findings.yaml ----
DATA="$CCHC_SRC/tests/data/import"
expect_status 2 cchc --db "$T/init-bad" init --from "$DATA/bad-three-results"
[ "$(grep -c '^cchc: .*/results.yaml:[0-9]*:[0-9]*: ' "$T/err")" = 3 ] ||
    fail "init: not the three problems of results.yaml"
[ -e "$T/init-bad" ] && fail "a refused init left a database folder"
expect_status 0 cchc --db "$T/init-f" init --from "$DATA/findings"
expect_grep "4 visits, 4 results, 4 notes, 4 checklist results, 2 recommendations$" "$T/out"
expect_status 0 cchc --db "$T/init-f" export --kind checks
expect_grep "criterion: CD.3" "$T/out"
# a bad findings.yaml: each problem named, nothing created, and an existing
# database (here the one just made) left as it was
cchc --db "$T/init-f" export >"$T/init-before.yaml"
expect_status 2 cchc --db "$T/init-f" init --force --from "$DATA/bad-findings"
for where in 8:13 9:49 12:51 15:42; do
    expect_grep "^cchc: $DATA/bad-findings/findings.yaml:$where: " "$T/err"
done
[ "$(grep -c '^cchc: ' "$T/err")" = 4 ] || fail "bad findings.yaml: not four problems"
cchc --db "$T/init-f" export | cmp -s - "$T/init-before.yaml" || fail "a refused init changed the database"
expect_status 2 cchc --db "$T/init-g" init --from "$DATA/bad-findings"
[ -e "$T/init-g/data.mdb" ] && fail "a refused init created a database"

# ---- import adds to a database ----
cat >"$T/add.yaml" <<'EOF'
version: 1
results:
  - {index: PCI, year: 2024, score: 65.5, rank: 40, of: 63, source: "Minh họa"}
EOF
expect_status 0 cchc --db "$T/db" import "$T/add.yaml"
expect_grep "imported into $T/db: 0 units, 0 commitments (0 items), 0 visits, 1 results" "$T/out"
expect_status 2 cchc --db "$T/db" import "$T/add.yaml"
expect_grep "add.yaml:3:5: the database already has this result" "$T/err"

# ---- backup while writers keep adding notes ----
writer() {
    local i=0
    while :; do
        cchc --db "$T/db" note add --visit KT-2022-0$((i % 5 + 1)) --text "đồng thời $i" \
            >/dev/null 2>&1 || exit 1
        i=$((i + 1))
    done
}
writer &
w1=$!
writer &
w2=$!
sleep 0.5
expect_status 0 cchc --db "$T/db" backup "$T/backup"
expect_grep "ok" "$T/out"
sleep 0.3
kill -0 "$w1" 2>/dev/null || fail "writer 1 stopped before the backup ended"
kill "$w1" "$w2" 2>/dev/null
wait "$w1" "$w2" 2>/dev/null
[ -e "$T/backup/lock.mdb" ] && fail "the backup left its lock file"
expect_status 0 cchc --db "$T/backup" check
expect_grep "database $T/backup: ok" "$T/out"
expect_status 0 cchc --db "$T/backup" export --kind notes
n_backup=$(grep -c '^  - target:' "$T/out")
[ "$n_backup" -ge 1 ] || fail "the backup has no notes"
expect_status 1 cchc --db "$T/db" backup "$T/backup"
expect_grep "already holds a database" "$T/err"
expect_status 2 cchc --db "$T/db" backup

# ---- restore, as the README says ----
# 1. stop the sessions (the writers above are stopped); 2. move the folder
# aside; 3. copy the backup's data.mdb in, group and mode 0660; 4. check.
cchc --db "$T/backup" export >"$T/backup.yaml"
mv "$T/db" "$T/db.old"
install -d -m 2770 "$T/db"
cp "$T/backup/data.mdb" "$T/db/data.mdb"
chgrp "$(stat -c %g "$T/db")" "$T/db/data.mdb"
chmod 0660 "$T/db/data.mdb"
expect_status 0 cchc --db "$T/db" check
cchc --db "$T/db" export | cmp -s - "$T/backup.yaml" || fail "the restored database differs"
[ "$(stat -c %a "$T/db/data.mdb")" = 660 ] || fail "restored data.mdb is not 0660"
# and it takes writes again
expect_status 0 cchc --db "$T/db" note add --visit KT-2022-01 --text "sau khi khôi phục"

finish
