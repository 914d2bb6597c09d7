#!/usr/bin/env bash
# Many `cchc note add` processes at once, and writers killed with SIGKILL at
# random moments: every note is there exactly once, every acknowledged note
# survives, and the database opens and checks clean afterwards. (The 8 x 500
# run is build/tests/test_concurrent, through the model API; here the same
# guarantees through the command line, sized to run in seconds even in the
# sanitizer build.)
. "$(dirname "$0")/lib.sh"

WRITERS=8
EACH=${CCHC_CONCURRENT_EACH:-40}
KILLS=20

sample_db "$T/db"
db() { cchc --db "$T/db" "$@"; }
# the visit's notes before (the sample's findings), counted apart
before=$(db notes --visit KT-2022-05 | tail -n +2 | wc -l)

# ---- 8 writers at once ----
for w in $(seq 1 $WRITERS); do
    (
        for i in $(seq 1 "$EACH"); do
            db note add --visit KT-2022-05 --text "w$w-$i" >>"$T/ids.$w" 2>>"$T/errs" ||
                echo "w$w-$i failed" >>"$T/errs"
        done
    ) &
done
wait
[ -s "$T/errs" ] && { fail "writers failed:"; head -n 5 "$T/errs"; }
db notes --visit KT-2022-05 >"$T/all" || fail "notes"
want=$((WRITERS * EACH))
got=$(($(tail -n +2 "$T/all" | wc -l) - before))
[ "$got" = "$want" ] || fail "$got notes, wanted $want"
uniq_texts=$(tail -n +2 "$T/all" | cut -f5 | grep -c '^w[0-9]*-[0-9]*$')
[ "$uniq_texts" = "$want" ] || fail "$uniq_texts notes of the writers, wanted $want"
[ "$(tail -n +2 "$T/all" | cut -f5 | grep '^w[0-9]*-[0-9]*$' | sort -u | wc -l)" = "$want" ] ||
    fail "the writers' notes are not all different"
for w in 1 $WRITERS; do
    for i in 1 "$EACH"; do
        grep -q $'\t'"w$w-$i"'$' "$T/all" || fail "note w$w-$i missing"
    done
done
cat "$T"/ids.* | sort -n | uniq -d | grep -q . && fail "an id was given twice"
[ "$(cat "$T"/ids.* | wc -l)" = "$want" ] || fail "not every writer was told its note id"

# ---- writers killed at random moments ----
: >"$T/acked"
for r in $(seq 1 $KILLS); do
    # each note is acknowledged (id and text written down) only once cchc
    # has printed the id, i.e. after its commit
    setsid bash -c '
        for i in $(seq 1 1000); do
            id=$("$0" --config "$1" --db "$2" note add --visit 1 --text "k'"$r"'-$i") || exit 1
            echo "$id k'"$r"'-$i" >>"$3"
        done' "$CCHC_BIN" "$CONFIG" "$T/db" "$T/acked" 2>>"$T/kill.errs" &
    pid=$!
    sleep "0.$(printf '%03d' $((RANDOM % 350 + 30)))"
    kill -9 -- -"$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
done
n_acked=$(grep -c . "$T/acked")
[ "$n_acked" -gt 0 ] || fail "no note was acknowledged in $KILLS rounds"
db notes --visit 1 >"$T/after" 2>"$T/err" || fail "the database does not open after the kills: $(cat "$T/err")"
lost=0
while read -r id text; do
    grep -q "^$id"$'\t'".*"$'\t'"$text\$" "$T/after" || { lost=$((lost + 1)); echo "  lost: $id $text"; }
done <"$T/acked"
[ "$lost" = 0 ] || fail "$lost of $n_acked acknowledged notes are lost"
expect_status 0 db check
expect_status 0 db note add --visit 1 --text "after the kills"
echo "$n_acked notes acknowledged over $KILLS kills"
finish
