#!/usr/bin/env bash
# cchc list: the 26 visits of 2022 (7 departments, 7 districts, 12 communes),
# TSV header, JSON shape, filters, and usage errors exiting 2.
. "$(dirname "$0")/lib.sh"
sample_db "$T/db"

expect_status 0 cchc --db "$T/db" list visits --year 2022 --format tsv
head -n 1 "$T/out" | grep -q $'^id\tcode\tstart\tend\tunit\tunit_name\tunit_kind\tscope\tstatus\tlead$' ||
    fail "TSV header: $(head -n 1 "$T/out")"
rows=$(($(wc -l <"$T/out") - 1))
[ "$rows" = 26 ] || fail "2022 has $rows visits, wanted 26"
for kv in department:7 district:7 commune:12; do
    k=${kv%:*} n=${kv#*:}
    got=$(awk -F'\t' -v k="$k" 'NR > 1 && $7 == k' "$T/out" | wc -l)
    [ "$got" = "$n" ] || fail "$k visits: $got, wanted $n"
done
# every row has as many fields as the header
awk -F'\t' 'NR == 1 {n = NF} NF != n {exit 1}' "$T/out" || fail "ragged TSV rows"

expect_status 0 cchc --db "$T/db" list visits --year 2022 --kind commune
[ $(($(wc -l <"$T/out") - 1)) = 12 ] || fail "--kind commune gave $(($(wc -l <"$T/out") - 1)) rows"

expect_status 0 cchc --db "$T/db" list visits --year 2019
[ "$(wc -l <"$T/out")" = 1 ] || fail "2019 should have no visits, only the header"

expect_status 0 cchc --db "$T/db" list visits --year 2022 --format json
head -c 1 "$T/out" | grep -q '\[' || fail "JSON does not start with ["
n=$(grep -c '"unit_kind": ' "$T/out")
[ "$n" = 26 ] || fail "JSON has $n objects, wanted 26"
grep -q '"id": [0-9]' "$T/out" || fail "JSON ids should be numbers"

expect_status 0 cchc --db "$T/db" list units --kind district
[ $(($(wc -l <"$T/out") - 1)) = 9 ] || fail "Bến Tre had 9 district-level units"
expect_grep $'\tUBND huyện Chợ Lách\t' "$T/out"

expect_status 0 cchc --db "$T/db" list commitments
[ "$(wc -l <"$T/out")" -gt 20 ] || fail "too few commitments"
expect_grep $'\t2022-06-17\t' "$T/out"

expect_status 2 cchc --db "$T/db" list visits --kind village
expect_grep "unknown kind 'village'" "$T/err"
expect_status 2 cchc --db "$T/db" list visits --year twenty
expect_status 2 cchc --db "$T/db" list visits --format xml
expect_status 2 cchc --db "$T/db" list visits --year
expect_grep "^cchc: list: --year needs a value" "$T/err"
expect_status 2 cchc --db "$T/db" list notes
expect_status 2 cchc --db "$T/db" frobnicate
expect_status 2 cchc --db "$T/db" --bogus list units
expect_status 0 cchc --help
expect_grep "list units|commitments|visits" "$T/out"
finish
