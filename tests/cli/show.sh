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
# a concluded visit of the sample: the days of its statuses (visits.yaml)
# and the results its team recorded (findings.yaml)
expect_status 0 cchc --db "$T/db" show visit KT-2022-05
expect_grep "^concluded_on *2022-04-24" "$T/out"
expect_grep "^checklist *MC.5 .* | chua_dat | not passed | " "$T/out"
# the district offices' commitments, signed to the district's chairman
expect_status 0 cchc --db "$T/db" show commitment CK-CHOLACH-PNV-2022
expect_grep "^counter_unit *UBND huyện Chợ Lách (CHOLACH)" "$T/out"

expect_status 1 cchc --db "$T/db" show visit 999999
expect_status 1 cchc --db "$T/db" show unit NO-SUCH-UNIT
expect_status 2 cchc --db "$T/db" show village 1
finish
