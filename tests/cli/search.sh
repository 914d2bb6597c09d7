#!/usr/bin/env bash
# `cchc search`: TSV with a header, a word without diacritics finds an
# accented note (and NFD, capitals), --kind narrows, JSON has one object per
# hit with the same fields, an escape sequence in a note never reaches the
# output, an edited note is found by its new words only, usage errors exit 2.
. "$(dirname "$0")/lib.sh"

sample_db "$T/db"
db() { cchc --db "$T/db" "$@"; }

expect_status 0 db note add --visit KT-2022-05 --text "Bộ phận một cửa chưa niêm yết đủ quy trình nội bộ"
nid=$(cat "$T/out")

# TSV: header, then the note, by an unaccented word, in any case or form
expect_status 0 db search niem yet quy trinh
head -n 1 "$T/out" | grep -q $'^kind\tid\ttitle\ttext\topen\topen_id$' || fail "search header: $(head -n 1 "$T/out")"
grep -q $'^note\t'"$nid"$'\tKT-2022-05' "$T/out" || fail "unaccented words did not find note $nid"
for q in "NIÊM YẾT QUY TRÌNH" "Nie$(printf '\xcc\x82\xcc\x80')m yết" "quy TRINH noi bo"; do
    db search "$q" --kind notes >"$T/q" || fail "search '$q'"
    grep -q $'^note\t'"$nid"$'\t' "$T/q" || fail "'$q' did not find note $nid"
done
# the hit opens the visit that holds it
line=$(grep $'^note\t'"$nid"$'\t' "$T/out")
[ "$(cut -f5 <<<"$line")" = visit ] || fail "open column: $line"
[ "$(cut -f6 <<<"$line")" = 5 ] || fail "open_id column: $line"

# --kind: units only; names without diacritics; several kinds with commas
expect_status 0 db search cho lach --kind units
[ "$(tail -n +2 "$T/out" | cut -f1 | sort -u)" = unit ] || fail "--kind units gave: $(cut -f1 "$T/out" | sort -u | tr '\n' ' ')"
grep -q "UBND huyện Chợ Lách" "$T/out" || fail "cho lach did not find UBND huyện Chợ Lách"
expect_status 0 db search cho lach --kind units,visits
tail -n +2 "$T/out" | cut -f1 | sort -u | tr '\n' ' ' | grep -q "^unit visit $" || fail "--kind units,visits"

# JSON: an array of objects with the same fields, numbers bare
expect_status 0 db search niem yet quy trinh --format json
python3 - "$T/out" "$nid" <<'PY' || fail "search JSON"
import json, sys
hits = json.load(open(sys.argv[1]))
assert isinstance(hits, list) and hits, hits
for h in hits:
    assert sorted(h) == sorted(["kind", "id", "title", "text", "open", "open_id"]), h
    assert isinstance(h["id"], int) and isinstance(h["open_id"], int), h
assert any(h["kind"] == "note" and h["id"] == int(sys.argv[2]) for h in hits), hits
PY
expect_status 0 db search khongcogica --format json
[ "$(tr -d ' \n' <"$T/out")" = "[]" ] || fail "no hits in JSON: $(cat "$T/out")"
expect_status 0 db search khongcogica
[ "$(wc -l <"$T/out")" = 1 ] || fail "no hits in TSV: only the header expected"

# a note full of escape sequences: found, and printed without a control byte
expect_status 0 db note add --visit KT-2022-05 --text $'c\xc3\xb4ng v\xc4\x83n \e[31mkh\xe1\xba\xa9n\e[0m \e]0;pwned\a h\xe1\xbb\x8fa t\xe1\xbb\x91c'
expect_status 0 db search cong van hoa toc
grep -q $'^note\t' "$T/out" || fail "the note with escapes was not found"
LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$T/out" && fail "a control byte in search output"
expect_status 0 db search cong van hoa toc --format json
LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$T/out" && fail "a control byte in search JSON"

# the database agrees with its word index
expect_status 0 db check

# usage errors
expect_status 2 db search
expect_status 2 db search x --kind planets
expect_grep "unknown kind 'planets'" "$T/err"
expect_status 2 db search x --format xml
expect_status 2 db search x --kind
finish
