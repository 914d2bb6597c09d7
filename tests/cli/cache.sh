#!/usr/bin/env bash
# The configuration snapshot in the user's cache folder (config_cache.h), as
# a province's IT staff meet it: the second start reads the snapshot; an
# edited file is read again at once, and a broken one is reported with its
# line every time, never hidden by an older snapshot; no cache folder at
# all (no HOME) still works.
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME="$T/cache"
cp -r "$CCHC_SRC/config" "$T/config"
sample_db "$T/db"
CONFIG="$T/config/cchc.yaml"
rm -rf "$T/cache" # what init left: the tests start from no snapshot

snapshot() { find "$T/cache/cchc" -name 'config-*' -type f 2>/dev/null | head -n 1; }

# A start writes the snapshot once the files have settled: one changed in
# the last moments (here: just copied) is not trusted to a snapshot, so
# start again, a little later each time, until one is written.
for i in $(seq 50); do
    expect_status 0 cchc --db "$T/db" list units --format tsv
    [ -n "$(snapshot)" ] && break
    sleep "0.0$((i < 9 ? i : 9))"
done
cp "$T/out" "$T/first"
snap=$(snapshot)
[ -n "$snap" ] || fail "no snapshot in $T/cache/cchc after a start"
[ "$(stat -c %a "$T/cache/cchc")" = 700 ] || fail "the cache folder is not private"
[ -n "$snap" ] && [ "$(stat -c %a "$snap")" = 600 ] || fail "the snapshot is not private"

# From the snapshot: the same answer.
before=$(stat -c %Y.%i "$snap")
expect_status 0 cchc --db "$T/db" list units --format tsv
cmp -s "$T/out" "$T/first" || fail "the second start answers differently"
[ "$(stat -c %Y.%i "$(snapshot)")" = "$before" ] || fail "the snapshot was written again"

# An edit takes effect on the next start: the province's name changes.
sed -i 's/^  name: .*/  name: "Thử Nghiệm"/' "$T/config/cchc.yaml"
expect_status 0 cchc --db "$T/db" report year 2022 --format text
expect_grep "TỈNH THỬ NGHIỆM" "$T/out"

# A broken indicators.yaml is reported, line and column, however often.
cp "$T/config/indicators.yaml" "$T/indicators.good"
printf 'indices:\n  - code: PCI\n    weight: [\n' >"$T/config/indicators.yaml"
for _ in 1 2; do
    expect_status 2 cchc --db "$T/db" list units
    expect_grep "indicators.yaml:[0-9]*:[0-9]*" "$T/err"
done
cp "$T/indicators.good" "$T/config/indicators.yaml"
expect_status 0 cchc --db "$T/db" list units --format tsv
cmp -s "$T/out" "$T/first" || fail "after the repair the answer differs"

# A damaged snapshot is ignored, not believed.
snap=$(snapshot)
printf 'garbage' | dd of="$snap" bs=1 seek=40 conv=notrunc 2>/dev/null
expect_status 0 cchc --db "$T/db" list units --format tsv
cmp -s "$T/out" "$T/first" || fail "a damaged snapshot changed the answer"

# No cache folder at all.
expect_status 0 env -u HOME -u XDG_CACHE_HOME "$CCHC_BIN" --config "$CONFIG" --db "$T/db" \
    list units --format tsv
cmp -s "$T/out" "$T/first" || fail "without a cache folder the answer differs"
finish
