#!/usr/bin/env bash
# paste.sh — long pastes into the note editor, in a real terminal: with
# bracketed paste (tmux paste-buffer -p) and without it (paste-buffer
# without -p, and send-keys -l in pieces: keys as if typed). The text is on
# screen as soon as the paste ends (regression: it used to be drawn once
# per character, 2-3 s for 27 KB, and the counter stayed at 0 meanwhile);
# over the 16384-byte limit its beginning goes in and the status line says
# at once how many bytes were not added, counted over the whole paste.
# shellcheck source=tests/term/lib.sh
. "$(dirname "$0")/lib.sh"

LIMIT=16384
QUICK_MS=${CCHC_PASTE_MS:-1500} # "at once": the old way took 2-3 s here

# make_text FILE BYTES UNIT [END]: UNIT repeated to BYTES bytes, then END;
# a character cut at the end is dropped (so the file may be 1-2 bytes
# short: its size is what counts).
make_text() {
    local file=$1 bytes=$2 unit=$3 end=${4:-} s=""
    while [ "${#s}" -lt "$bytes" ]; do s="$s$unit"; done # characters >= bytes
    printf '%s' "$s" | head -c "$((bytes - ${#end}))" | iconv -f UTF-8 -t UTF-8 -c >"$file" 2>/dev/null
    printf '%s' "$end" >>"$file"
}
size() { wc -c <"$1" | tr -d ' '; }

# The editor's status line (above the key bar) and its counter.
status() { screen | tail -n 2 | head -n 1; }
count() { status | grep -o "[0-9]*/$LIMIT" | cut -d/ -f1; }
# The bytes the status line says were not added (empty when it says nothing).
not_added() { status | sed -n 's/.*quá dài: \([0-9]*\) byte cuối không thêm được.*/\1/p'; }

# wait_quick WHAT CMD...: poll until CMD succeeds, failing when it takes
# more than QUICK_MS (or never happens): the paste must show at once.
wait_quick() {
    local what=$1 t0 ms
    shift
    t0=$(date +%s%N)
    while :; do
        if "$@"; then
            ms=$((($(date +%s%N) - t0) / 1000000))
            [ "$ms" -le "$QUICK_MS" ] || fail "$what took $ms ms (more than $QUICK_MS ms)"
            return 0
        fi
        ms=$((($(date +%s%N) - t0) / 1000000))
        [ "$ms" -le $((DEADLINE * 1000)) ] || fail "timed out waiting for: $what"
        sleep 0.05
    done
}
count_is() { [ "$(count)" = "$1" ]; }
# added_plus_not_added_is BEFORE N: the note grew from BEFORE bytes, and
# with the bytes said not added that makes the N pasted (the whole paste
# has arrived: a paste without brackets comes in several reads).
added_plus_not_added_is() {
    local c d
    c=$(count)
    d=$(not_added)
    [ -n "$c" ] && [ -n "$d" ] && [ $((c - $1 + d)) -eq "$2" ]
}

# open_empty_note: a new note on the last visit, its editor empty.
open_empty_note() {
    open_note
    wait_for "0/$LIMIT"
}

setup
start
wait_for "Tổng quan"
open_empty_note

# 1. Bracketed, under the limit, with line breaks: all of it, at once.
make_text "$tmp/a.txt" 10000 "Hồ sơ tiếp nhận đúng hạn; " " ĐOẠN-CUỐI"
# line breaks in it: tmux sends them as CR, the editor makes them newlines
sed -i 's/; Hồ sơ/;\nHồ sơ/g' "$tmp/a.txt" 2>/dev/null || true
a=$(size "$tmp/a.txt")
T load-buffer -b a "$tmp/a.txt"
T paste-buffer -p -b a -t "$S"
wait_quick "the 10 KB paste to show" count_is "$a"
wait_for "ĐOẠN-CUỐI"
[ -z "$(not_added)" ] || fail "a paste under the limit reported bytes not added"

# 2. Bracketed, 27 KB of Vietnamese on top: what fits goes in (never half
# a character), and the status line says how much did not, at once.
make_text "$tmp/b.txt" 27200 "Bộ phận một cửa niêm yết đủ thủ tục hành chính. "
b=$(size "$tmp/b.txt")
T load-buffer -b b "$tmp/b.txt"
T paste-buffer -p -b b -t "$S"
wait_quick "the message about the 27 KB paste" added_plus_not_added_is "$a" "$b"
c=$(count)
if [ "$c" -gt "$LIMIT" ] || [ "$c" -lt $((LIMIT - 3)) ]; then fail "after the paste the note has $c bytes"; fi
keys C-s # a note of 16 KB is allowed
wait_for "Đã lưu"

# 3. Without bracketed paste (paste-buffer without -p: keys as if typed),
# over the limit: the same, counted over every read the keys came in.
open_empty_note
make_text "$tmp/c.txt" 20000 "Tỷ lệ hồ sơ giải quyết đúng hạn đạt yêu cầu. "
n=$(size "$tmp/c.txt")
T load-buffer -b c "$tmp/c.txt"
T paste-buffer -b c -t "$S"
wait_quick "the message about the unbracketed paste" added_plus_not_added_is 0 "$n"
c=$(count)
if [ "$c" -gt "$LIMIT" ] || [ "$c" -lt $((LIMIT - 3)) ]; then fail "after the paste the note has $c bytes"; fi
keys Escape
wait_for "chưa được lưu"
keys b # discard
wait_for "KT-2022-26"

# 4. Typed keys in pieces (send-keys -l), under the limit: every piece in.
open_empty_note
make_text "$tmp/d.txt" 12000 "Sổ theo dõi hồ sơ đầy đủ. " " HẾT"
n=$(size "$tmp/d.txt")
text=$(cat "$tmp/d.txt")
i=0
while [ "$i" -lt "${#text}" ]; do
    type_text "${text:$i:2500}"
    i=$((i + 2500))
done
wait_quick "the typed pieces to show" count_is "$n"
wait_for "HẾT"
[ -z "$(not_added)" ] || fail "keys under the limit reported bytes not added"
keys C-s
wait_for "Đã lưu"
keys Q
wait_exit 0
echo "ok"
