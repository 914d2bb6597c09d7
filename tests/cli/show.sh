#!/usr/bin/env bash
# cchc show: a unit by code with its commitments and visits, a commitment by
# id with its items, a visit with team and checklist; unknown ids exit 1.
. "$(dirname "$0")/lib.sh"
sample_db "$T/db"

expect_status 0 cchc --db "$T/db" show unit CHOLACH
expect_grep "^name *UBND huyện Chợ Lách" "$T/out"
expect_grep "^kind *district" "$T/out"
expect_grep "^valid_to *2025-06-30" "$T/out"
expect_grep "^commitment " "$T/out"
expect_grep "^visit " "$T/out"

id=$(cchc --db "$T/db" list commitments | awk -F'\t' 'NR == 2 {print $1}')
expect_status 0 cchc --db "$T/db" show commitment "$id"
expect_grep "^signed_on *2022-06-17" "$T/out"
expect_grep "^item " "$T/out"

code=$(cchc --db "$T/db" list visits --year 2022 | awk -F'\t' 'NR == 2 {print $2}')
expect_status 0 cchc --db "$T/db" show visit "$code"
expect_grep "^lead " "$T/out"
expect_grep "^checklist " "$T/out"

expect_status 1 cchc --db "$T/db" show visit 999999
expect_status 1 cchc --db "$T/db" show unit NO-SUCH-UNIT
expect_status 2 cchc --db "$T/db" show village 1
finish
