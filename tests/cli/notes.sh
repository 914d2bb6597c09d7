#!/usr/bin/env bash
# Notes from the command line: `note add` (text from --text or stdin), `notes`
# newest first in TSV and JSON, `log` with --since; NFD input stored as NFC;
# a note full of escape sequences printed without a single control byte; an
# oversize or empty note refused with nothing written; usage errors exit 2.
. "$(dirname "$0")/lib.sh"

sample_db "$T/db"
db() { cchc --db "$T/db" "$@"; }

# count of notes on visit 5 (header line excluded)
count_notes() { db notes --visit KT-2022-05 | tail -n +2 | wc -l; }

# --text, by code and by id; prints the new id
expect_status 0 db note add --visit KT-2022-05 --text "Niêm yết TTHC đầy đủ"
id1=$(cat "$T/out")
[[ "$id1" =~ ^[0-9]+$ ]] || fail "note add printed '$id1', not an id"
expect_status 0 db note add --visit 5 --criterion TTHC.3 --text "tiêu chí 3"
id2=$(cat "$T/out")
[ "$id2" -gt "$id1" ] 2>/dev/null || fail "ids not increasing: $id1 then $id2"

# stdin, with the final newline dropped
printf 'từ stdin\n' | db note add --visit KT-2022-05 >"$T/out" 2>"$T/err" || fail "stdin note"
id3=$(cat "$T/out")

# newest first: id3, id2, id1; columns id created author criterion text
db notes --visit KT-2022-05 >"$T/list" || fail "notes"
head -n 1 "$T/list" | grep -q $'^id\tcreated\tauthor\tcriterion\ttext$' || fail "notes header"
[ "$(sed -n 2p "$T/list" | cut -f1)" = "$id3" ] || fail "newest note not first"
[ "$(sed -n 4p "$T/list" | cut -f1)" = "$id1" ] || fail "oldest note not last"
[ "$(sed -n 2p "$T/list" | cut -f5)" = "từ stdin" ] || fail "stdin text: $(sed -n 2p "$T/list")"
[ "$(sed -n 3p "$T/list" | cut -f4)" = "TTHC.3" ] || fail "criterion column"
me=$(id -un)
[ "$(sed -n 2p "$T/list" | cut -f3)" = "$me" ] || fail "author is not the login ($me)"
sed -n 2p "$T/list" | cut -f2 | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$' ||
    fail "created column: $(sed -n 2p "$T/list" | cut -f2)"
# by id the same list
[ "$(db notes --visit 5 | md5sum)" = "$(md5sum <"$T/list")" ] || fail "notes by id and by code differ"

expect_status 0 db notes --visit KT-2022-05 --format json
expect_grep "\"id\": $id3, " "$T/out"
expect_grep '"criterion": null' "$T/out"
expect_grep '"criterion": "TTHC.3"' "$T/out"
head -c 1 "$T/out" | grep -q '\[' || fail "json is not an array"

# NFD in, NFC stored
printf 'Tha\xcc\x80nh\n' | db note add --visit KT-2022-05 >/dev/null || fail "NFD note"
db notes --visit KT-2022-05 >"$T/list"
LC_ALL=C grep -q $'Th\xc3\xa0nh' "$T/list" || fail "NFD note not stored as NFC"
LC_ALL=C grep -q $'a\xcc\x80' "$T/list" && fail "NFD bytes survived"

# A hostile note: clear screen, window title, bidi override, C1 CSI (UTF-8
# and raw byte), BEL, DEL; listed and logged without any of them.
printf 'a\033[2Jb\033]0;pwned\007c\xe2\x80\xaed\xc2\x9b31me\x9bf\x7fg\r\n' >"$T/evil"
db note add --visit KT-2022-05 <"$T/evil" >"$T/out" 2>"$T/err" || fail "hostile note refused: $(cat "$T/err")"
for fmt in tsv json; do
    db notes --visit KT-2022-05 --format $fmt >"$T/evil.out" || fail "notes $fmt"
    grep -q 'pwned' "$T/evil.out" || fail "$fmt: the hostile note's text is missing"
    LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$T/evil.out" && fail "$fmt: a control byte got out"
    LC_ALL=C grep -q $'\xc2[\x80-\x9f]' "$T/evil.out" && fail "$fmt: a C1 control got out"
    LC_ALL=C grep -q $'\xe2\x80[\xaa-\xae]' "$T/evil.out" && fail "$fmt: a bidi override got out"
done

# The audit trail: newest first, who and what; --since filters by day.
expect_status 0 db log
head -n 1 "$T/out" | grep -q $'^seq\ttime\tlogin\twhat\tdetail$' || fail "log header"
sed -n 2p "$T/out" | grep -q $'\tnote add\tvisit 5 · KT-2022-05 · note ' || fail "log: $(sed -n 2p "$T/out")"
grep -q $'\tinit\t' "$T/out" || fail "log lacks the init"
[ "$(tail -n 1 "$T/out" | cut -f1)" = 1 ] || fail "log does not end with the first entry"
grep -q $'\tTTHC.3 · note '"$id2" "$T/out" || grep -q "TTHC.3 · note $id2" "$T/out" || fail "log lacks the criterion note"
expect_status 0 db log --since 2000-01-01
n_all=$(wc -l <"$T/out")
tomorrow=$(date -d tomorrow +%F)
expect_status 0 db log --since "$tomorrow"
[ "$(wc -l <"$T/out")" = 1 ] || fail "log --since tomorrow shows entries"
expect_status 0 db log --since "$(date +%F)" --format json
expect_grep '"what": "note add"' "$T/out"
[ "$n_all" -ge 8 ] || fail "log has only $n_all lines"

# Refused input: nothing written (same number of notes, same log).
before=$(count_notes)
log_before=$(db log | wc -l)
head -c 16385 /dev/zero | tr '\0' a | db note add --visit KT-2022-05 >"$T/out" 2>"$T/err"
[ $? = 2 ] || fail "oversize note: exit $?"
expect_grep "limit" "$T/err"
[ "$(wc -l <"$T/err")" = 1 ] || fail "more than one line on stderr"
expect_status 0 db note add --visit KT-2022-05 --text "$(head -c 16384 /dev/zero | tr '\0' b)"
before=$((before + 1))
expect_status 2 db note add --visit KT-2022-05 --text "   "
expect_grep "empty" "$T/err"
expect_status 2 db note add --visit KT-2022-05 </dev/null
[ "$(count_notes)" = "$before" ] || fail "a refused note was written"
[ "$(db log | wc -l)" = $((log_before + 1)) ] || fail "a refused note was logged"

# Usage and lookup errors.
expect_status 2 db note add --text x
expect_grep "visit" "$T/err"
expect_status 2 db note
expect_status 2 db note add --visit 5 --criterion NO.SUCH --text x
expect_status 2 db note add --visit 5 --colour red
expect_status 1 db note add --visit KT-1999-99 --text x
expect_grep "no visit" "$T/err"
expect_status 2 db notes
expect_status 2 db notes --visit 5 --format xml
expect_status 2 db log --since yesterday
expect_status 2 db log --since 2022-02-30
expect_status 1 db notes --visit 999999
cchc --help | grep -q 'note add --visit ID' || fail "--help lacks note add"

expect_status 0 db check
finish
