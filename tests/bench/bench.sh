#!/bin/bash
# bench.sh — cchc at national scale, against the floor (a trivial curses
# program) and the peer (VisiData on a CSV export). Run by `make bench`
# after the programs of tests/bench are built in $BUILD/bench:
#   gen      the synthetic national data set (build/bench/national)
#   tmuxrun  starts a program in a new tmux window (80x24): time to the first screen
#   ptyrun   runs a program on a bare pty: the same without a terminal emulator,
#            bytes per key, peak RSS
#   trivial  the floor: a curses program that prints one line
#   inproc   CPU per key in the UI (scripted run), durable note saves
# Every figure is the median of $RUNS runs (default 5; inproc: of 200 keys).
# Prints one table and writes it, with the date and the machine, to
# tests/bench/RESULTS.md (README quotes it). Generated data stays in
# $BUILD/bench (git-ignored): the national database is made once and made
# again only when gen changes (it is relinked whenever the model changes).
set -u
cd "$(dirname "$0")/../.." || exit 1

BUILD=${BUILD:-build}
BB=$BUILD/bench
CCHC=$BUILD/cchc
CFG=config/cchc.yaml
RUNS=${RUNS:-5}
NAT=$BB/national
RESULTS=${RESULTS:-tests/bench/RESULTS.md}
WORD_ASCII="khieu nai"  # what the user types
WORD_VI="khiếu nại"     # what grep has to be given to find the same notes
export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8
export HOME="$PWD/$BB/home" # VisiData keeps its history in $HOME
mkdir -p "$BB" "$HOME"

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
for p in "$CCHC" "$BB/gen" "$BB/ptyrun" "$BB/tmuxrun" "$BB/trivial" "$BB/inproc"; do
    [ -x "$p" ] || die "$p is missing: run make bench"
done

# median of the numbers on stdin ("-" when there are none)
median() { sort -g | awk '{v[NR]=$1} END {if (!NR) print "-"; else if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }
# the value of FIELD in ptyrun/inproc output on stdin
field() { awk -v f="$1" '$1 == f {print $2; exit}'; }
# wall time of a command in ms (output to a file: GNU grep stops at the
# first match when its output is /dev/null)
ms() { local t0 t1; t0=$(date +%s%N); "$@" >"$BB/ms.out" 2>&1; t1=$(date +%s%N); echo "scale=3; ($t1-$t0)/1000000" | bc; }

# ---- VisiData, the peer (installed as the Makefile installs other packages)
if ! command -v vd >/dev/null 2>&1; then
    say "installing visidata (the peer of the benchmark)"
    if [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq visidata >/dev/null 2>&1
    elif command -v sudo >/dev/null 2>&1; then
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq visidata >/dev/null 2>&1
    fi
    command -v vd >/dev/null 2>&1 || say "visidata could not be installed: its rows show n/a"
fi

# ---- the databases
rm -rf "$BB/sample"
"$CCHC" --config "$CFG" --db "$BB/sample" init >/dev/null || die "cchc init failed"
if [ ! -e "$NAT/stamp" ] || [ "$BB/gen" -nt "$NAT/stamp" ]; then
    say "generating the national data set in $NAT (once)"
    rm -rf "$NAT" "$BB/notes.csv" "$BB/notes100k.csv"
    "$BB/gen" "$NAT" >"$BB/gen.txt" || die "gen failed: $(cat "$BB/gen.txt")"
    touch "$NAT/stamp"
fi
GEN_S=$(awk '$2 == "units" && $NF ~ /^[0-9.]+$/ && /seconds/ {print $NF}' "$BB/gen.txt")
NAT_MB=$(du -k "$NAT/data.mdb" | awk '{printf "%.0f", $1/1024}')
N_MATCH=$(awk '$2 == "khieu-nai" {print $3}' "$BB/gen.txt")

if [ ! -s "$BB/notes.csv" ] || [ "$NAT/stamp" -nt "$BB/notes.csv" ]; then
    say "exporting the 1,000,000 notes to CSV (once)"
    EXPORT_MS=$(ms "$CCHC" --config "$CFG" --db "$NAT" export --kind notes --format csv \
        --out "$BB/notes.csv.tmp")
    mv "$BB/notes.csv.tmp" "$BB/notes.csv"
    echo "$EXPORT_MS" >"$BB/export_ms"
    head -n 100001 "$BB/notes.csv" >"$BB/notes100k.csv"
fi
EXPORT_MS=$(cat "$BB/export_ms" 2>/dev/null || echo -)

# ---- first screen in tmux (a real terminal, as the target is set): trivial, sample,
# national, interleaved: $RUNS rounds of 3 runs each, one median of all
say "first screen in tmux ($RUNS rounds of 3 runs each)"
: >"$BB/tmux.trivial"; : >"$BB/tmux.sample"; : >"$BB/tmux.national"
runs_of() { awk '$1 == "run_ms" && $2 != "timeout" {print $2}'; }
for _ in $(seq "$RUNS"); do
    "$BB/tmuxrun" -n 3 -m ready -- "$BB/trivial" | runs_of >>"$BB/tmux.trivial"
    "$BB/tmuxrun" -n 3 -m "Thoát" -- "$CCHC" --config "$CFG" --db "$BB/sample" |
        runs_of >>"$BB/tmux.sample"
    "$BB/tmuxrun" -n 3 -m "Thoát" -- "$CCHC" --config "$CFG" --db "$NAT" |
        runs_of >>"$BB/tmux.national"
done
X_TRIV=$(median <"$BB/tmux.trivial")
X_SAMPLE=$(median <"$BB/tmux.sample")
X_NAT=$(median <"$BB/tmux.national")

# ---- first screen on a bare pty: trivial, sample, national, interleaved
say "first screen on a pty ($RUNS runs each)"
: >"$BB/first.trivial"; : >"$BB/first.sample"; : >"$BB/first.national"; : >"$BB/rss.first"
for _ in $(seq "$RUNS"); do
    "$BB/ptyrun" -m ready -- "$BB/trivial" | field first_ms >>"$BB/first.trivial"
    "$BB/ptyrun" -m "Thoát" -- "$CCHC" --config "$CFG" --db "$BB/sample" |
        field first_ms >>"$BB/first.sample"
    "$BB/ptyrun" -m "Thoát" -- "$CCHC" --config "$CFG" --db "$NAT" >"$BB/pty.out"
    field first_ms <"$BB/pty.out" >>"$BB/first.national"
    field maxrss_kib <"$BB/pty.out" >>"$BB/rss.first"
done
T_TRIV=$(median <"$BB/first.trivial")
T_SAMPLE=$(median <"$BB/first.sample")
T_NAT=$(median <"$BB/first.national")
RSS_FIRST=$(median <"$BB/rss.first")

# ---- bytes per key, and peak memory moving through the national database
say "bytes per key and peak memory"
"$BB/ptyrun" -m "Thoát" -k 3 -k '<down>' -k '<pgdn>' -- "$CCHC" --config "$CFG" --db "$NAT" \
    >"$BB/keys.out"
B_MOVE=$(awk '$1 == "key" && $2 == "<down>" {print $4}' "$BB/keys.out")
B_PGDN=$(awk '$1 == "key" && $2 == "<pgdn>" {print $4}' "$BB/keys.out")
B_FIRST=$(field first_bytes <"$BB/keys.out")
walk=(-k 3)
for _ in $(seq 40); do walk+=(-k '<pgdn>'); done
walk+=(-k '<end>' -k '<enter>' -k '<esc>' -k ']' -k '[' -k f -k 1 -k j -k '<enter>' -k '<esc>'
    -k 4 -k 5 -k 2)
"$BB/ptyrun" -q 100 -m "Thoát" "${walk[@]}" -- "$CCHC" --config "$CFG" --db "$NAT" >"$BB/walk.out"
RSS_WALK=$(field maxrss_kib <"$BB/walk.out")

# ---- CPU per key in the UI (medians of 200 keys)
say "CPU per key (in process)"
"$BB/inproc" ui "$CFG" "$NAT" 200 >"$BB/inproc.out" || die "inproc ui failed"
C_MOVE=$(field move_us <"$BB/inproc.out")
C_MOVE_END=$(field move_end_us <"$BB/inproc.out")
C_OPEN=$(field open_us <"$BB/inproc.out")
C_PGDN=$(field pgdn_us <"$BB/inproc.out")
C_FILTER=$(field filter_us <"$BB/inproc.out")

# ---- global search against grep -i
say "search for '$WORD_ASCII' over 1,000,000 notes"
if "$CCHC" --help | grep -q 'cchc search'; then
    SEARCH_HOW="\`cchc search '$WORD_ASCII'\`"
    search() { "$CCHC" --config "$CFG" --db "$NAT" search "$WORD_ASCII" >"$BB/search.out"; }
else
    # no search command yet: a folded scan of an export, as a user could do today
    SEARCH_HOW="no \`cchc search\` yet: \`cchc export --kind notes --format csv | iconv -t ASCII//TRANSLIT | grep -ic '$WORD_ASCII'\`"
    search() {
        "$CCHC" --config "$CFG" --db "$NAT" export --kind notes --format csv --out /dev/stdout \
            2>/dev/null | iconv -f UTF-8 -t ASCII//TRANSLIT | grep -ic "$WORD_ASCII" >"$BB/search.out"
    }
fi
: >"$BB/search.t"; : >"$BB/grep.t"
grep -ic "$WORD_VI" "$BB/notes.csv" >/dev/null # the dump in the page cache, as the database is
SEARCH_RUNS=$RUNS
case $SEARCH_HOW in no*) SEARCH_RUNS=3 ;; esac
for _ in $(seq "$SEARCH_RUNS"); do
    ms search >>"$BB/search.t"
done
for _ in $(seq "$RUNS"); do
    ms grep -ic "$WORD_VI" "$BB/notes.csv" >>"$BB/grep.t"
done
T_SEARCH=$(median <"$BB/search.t")
T_GREP=$(median <"$BB/grep.t")
GREP_N=$(grep -ic "$WORD_VI" "$BB/notes.csv")

# ---- durable saves, on a copy of the national database
say "durable saves (on a backup copy)"
rm -rf "$BB/scratch" && mkdir -p "$BB/scratch"
BACKUP_MS=$(ms "$CCHC" --config "$CFG" --db "$NAT" backup "$BB/scratch")
COMPACT_MB=$(du -k "$BB/scratch/data.mdb" | awk '{printf "%.0f", $1/1024}')
VISIT=$("$CCHC" --config "$CFG" --db "$BB/scratch" list visits --year 2022 | awk 'NR == 2 {print $1}')
: >"$BB/noteadd.t"
for i in $(seq "$RUNS"); do
    ms "$CCHC" --config "$CFG" --db "$BB/scratch" note add --visit "$VISIT" \
        --text "Ghi chú đo thời gian số $i: bộ phận một cửa niêm yết đủ thủ tục." >>"$BB/noteadd.t"
done
T_NOTEADD=$(median <"$BB/noteadd.t")
"$BB/inproc" save "$BB/scratch" "$VISIT" 1000 >"$BB/save.out" || die "inproc save failed"
T_SAVE=$(field save_ms <"$BB/save.out")
T_SAVE1000=$(awk '{for (i = 1; i < NF; i++) if ($i == "total_ms") print $(i+1)}' "$BB/save.out")
rm -rf "$BB/scratch"

# ---- VisiData on the CSV export: first rows shown, and every row loaded
VD_RUNS=5
vd_time() { # FILE MARKER -> median ms
    local f=$1 mk=$2
    for _ in $(seq "$VD_RUNS"); do
        "$BB/ptyrun" -t 120000 -q 300 -x gq -m "$mk" -- vd -N "$f" | field first_ms
    done | grep -v timeout | median
}
if command -v vd >/dev/null 2>&1; then
    say "VisiData ($VD_RUNS runs each)"
    first_code=$(awk -F, 'NR == 2 {print $2}' "$BB/notes.csv")
    # one run first, not counted: Python and VisiData's modules in the page
    # cache, as cchc's binary and the notes are
    "$BB/ptyrun" -t 120000 -q 300 -x gq -m "$first_code" -- vd -N "$BB/notes100k.csv" >/dev/null
    VD100_FIRST=$(vd_time "$BB/notes100k.csv" "$first_code")
    VD100_ALL=$(vd_time "$BB/notes100k.csv" " 100000 rows")
    VD1M_FIRST=$(vd_time "$BB/notes.csv" "$first_code")
    VD1M_ALL=$(vd_time "$BB/notes.csv" " 1000000 rows")
    VD_VERSION=$(vd --version 2>/dev/null | head -1)
else
    VD100_FIRST=- VD100_ALL=- VD1M_FIRST=- VD1M_ALL=- VD_VERSION="not installed"
fi

# ---- the table
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f×\n", a / b}'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "-" || b == "-") print "n/a"; else print (a + 0 < b + 0 ? "yes" : "**no**")}'; }
fmt() { awk -v a="$1" -v d="${2:-1}" 'BEGIN {if (a == "-" || a == "") print "-"; else printf "%.*f\n", d, a}'; }
kib_mib() { awk -v a="$1" 'BEGIN {if (a == "" || a == "-") print "-"; else printf "%.1f\n", a / 1024}'; }

TRIV15=$(awk -v t="$T_TRIV" 'BEGIN {print 1.5 * t}')
XTRIV15=$(awk -v t="$X_TRIV" 'BEGIN {print 1.5 * t}')
rows=(
"First screen in tmux, trivial curses program (floor)|$(fmt "$X_TRIV" 2) ms|—|1.00×|—|—"
"First screen in tmux, sample database (Bến Tre)|$(fmt "$X_SAMPLE" 2) ms|trivial|$(ratio "$X_SAMPLE" "$X_TRIV")|≤ 1.5× trivial|$(lt "$X_SAMPLE" "$XTRIV15")"
"First screen in tmux, national database|$(fmt "$X_NAT" 2) ms|trivial|$(ratio "$X_NAT" "$X_TRIV")|≤ 1.5× trivial|$(lt "$X_NAT" "$XTRIV15")"
"First screen on a bare pty, trivial program (stricter floor)|$(fmt "$T_TRIV" 2) ms|—|1.00×|—|—"
"First screen on a bare pty, sample database|$(fmt "$T_SAMPLE" 2) ms|trivial|$(ratio "$T_SAMPLE" "$T_TRIV")|(≤ 1.5× trivial)|$(lt "$T_SAMPLE" "$TRIV15")"
"First screen on a bare pty, national database|$(fmt "$T_NAT" 2) ms|trivial|$(ratio "$T_NAT" "$T_TRIV")|(≤ 1.5× trivial)|$(lt "$T_NAT" "$TRIV15")"
"First rows, VisiData, 100,000 notes CSV (peer)|$(fmt "$VD100_FIRST" 0) ms|cchc national|$(ratio "$VD100_FIRST" "$T_NAT")|—|—"
"All rows loaded, VisiData, 100,000 notes|$(fmt "$VD100_ALL" 0) ms|cchc national|$(ratio "$VD100_ALL" "$T_NAT")|—|—"
"First rows, VisiData, 1,000,000 notes CSV|$(fmt "$VD1M_FIRST" 0) ms|cchc national|$(ratio "$VD1M_FIRST" "$T_NAT")|—|—"
"All rows loaded, VisiData, 1,000,000 notes|$(fmt "$VD1M_ALL" 0) ms|cchc national|$(ratio "$VD1M_ALL" "$T_NAT")|—|—"
"Cursor move, visits of one year (10,000), CPU|$(fmt "$C_MOVE" 0) µs|1 ms|$(ratio "$C_MOVE" 1000)|< 1 ms|$(lt "$C_MOVE" 1000)"
"Cursor move at the end of that list, CPU|$(fmt "$C_MOVE_END" 0) µs|1 ms|$(ratio "$C_MOVE_END" 1000)|< 1 ms|$(lt "$C_MOVE_END" 1000)"
"Page down in that list, CPU|$(fmt "$C_PGDN" 0) µs|1 ms|$(ratio "$C_PGDN" 1000)|—|—"
"Open a visit from that list (Enter), CPU|$(fmt "$C_OPEN" 0) µs|1 ms|$(ratio "$C_OPEN" 1000)|< 1 ms|$(lt "$C_OPEN" 1000)"
"Filter that list by words (\`/\` noi vu), one pass, CPU|$(fmt "$C_FILTER" 0) µs|100 ms|$(ratio "$C_FILTER" 100000)|—|—"
"Bytes to the terminal, one cursor move|$B_MOVE B|100 B|$(ratio "$B_MOVE" 100)|< 100 B|$(lt "$B_MOVE" 100)"
"Bytes to the terminal, one page down|$B_PGDN B|first screen $B_FIRST B|$(ratio "$B_PGDN" "$B_FIRST")|—|—"
"Search '$WORD_ASCII' in 1,000,000 notes ($N_MATCH hits)|$(fmt "$T_SEARCH" 0) ms|grep -i $(fmt "$T_GREP" 0) ms|$(ratio "$T_SEARCH" "$T_GREP")|< grep -i|$(lt "$T_SEARCH" "$T_GREP")"
"Save one note durably, in process (median of 1,000)|$(fmt "$T_SAVE" 2) ms|10 ms|$(ratio "$T_SAVE" 10)|< 10 ms|$(lt "$T_SAVE" 10)"
"Save one note, \`cchc note add\` end to end|$(fmt "$T_NOTEADD" 1) ms|10 ms|$(ratio "$T_NOTEADD" 10)|< 10 ms|$(lt "$T_NOTEADD" 10)"
"Save 1,000 notes in a row, in process|$(fmt "$T_SAVE1000" 0) ms|—|—|—|—"
"Peak RSS, first screen, national|$(kib_mib "$RSS_FIRST") MiB|32 MiB|$(ratio "$RSS_FIRST" 32768)|< 32 MiB|$(lt "$RSS_FIRST" 32768)"
"Peak RSS, moving through the national database|$(kib_mib "$RSS_WALK") MiB|32 MiB|$(ratio "$RSS_WALK" 32768)|< 32 MiB|$(lt "$RSS_WALK" 32768)"
"Database size on disk, national|$NAT_MB MiB|CSV of the notes $(du -k "$BB/notes.csv" | awk '{printf "%.0f", $1/1024}') MiB|$(ratio "$NAT_MB" "$(du -k "$BB/notes.csv" | awk '{print $1/1024}')")|—|—"
"Database size, compacted copy (\`cchc backup\`)|$COMPACT_MB MiB|—|—|—|—"
"Generating the national data set|$(fmt "$GEN_S" 1) s|—|—|—|—"
"Backup (compacted copy) of the national database|$(fmt "$BACKUP_MS" 0) ms|—|—|—|—"
"Export of the 1,000,000 notes to CSV|$(fmt "$EXPORT_MS" 0) ms|—|—|—|—"
)

table() {
    echo "| Measure | cchc | Against | Ratio | Target | Met |"
    echo "|---|---:|---|---:|---|---|"
    for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
}

CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
MEM=$(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
{
    echo "# cchc benchmark results"
    echo
    echo "Written by \`make bench\` (tests/bench/bench.sh); do not edit by hand."
    echo
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- Machine: $(nproc) CPUs, $CPU, $MEM, Linux $(uname -r)"
    echo "- cchc $("$CCHC" --version | awk '{print $2}'), commit $(git rev-parse --short HEAD 2>/dev/null || echo ?)$(git diff --quiet HEAD -- src include 2>/dev/null || echo ' (with uncommitted changes)'); VisiData: $VD_VERSION"
    echo "- Data: 34 provinces (4,114 units), 100,000 visits over 2016–2025, 1,000,000 notes, 8,510 index results (tests/bench/gen.c, fixed seed)"
    echo
    table
    echo
    echo "How it is measured. Times to the first screen in tmux (tests/bench/tmuxrun.c): one private"
    echo "tmux server, driven through a control-mode client; the clock runs from sending"
    echo "\"new-window PROGRAM\" (80×24, TERM=tmux-256color) until tmux reports having received from the"
    echo "pane a word of the program's last line (cchc: the key bar's \"Thoát\"; trivial.c: its one"
    echo "line); $RUNS rounds of 3 runs of each program in turn, the median of each program's runs."
    echo "On a bare pty (tests/bench/ptyrun.c, 80×24, TERM=$TERM), from just before fork until the bytes"
    echo "written contain that word, with no terminal emulator to parse them: a stricter floor, shown"
    echo "for reference (VisiData: the first note's visit code, then the final row count): median of"
    echo "$RUNS runs (VisiData: $VD_RUNS, after one uncounted run). Bytes per key: everything written after the key until the output is quiet"
    echo "for 250 ms, on the Visits screen of 2022. CPU per key: tests/bench/inproc.c drives the UI"
    echo "through ui_run_script() and takes the process CPU time from handing a key over to the UI's"
    echo "next wait (key handling, model reads, drawing): median of 200 keys (50 for open and page"
    echo "down). Search: $SEARCH_HOW, against \`grep -ic '$WORD_VI'\` on the CSV export (grep"
    echo "cannot fold accents: it is given the accented word), both with the files in the page cache;"
    echo "grep finds $GREP_N lines. Saves: model_note_add() (one LMDB transaction, synced) and"
    echo "\`cchc note add\`, on a backup copy of the national database. Peak RSS: the kernel's"
    echo "ru_maxrss of the cchc process (wait4), after the first screen, and after a walk of 56 keys"
    echo "through the Visits screen (40 page downs, the end of the list, a visit, years, filter),"
    echo "the Units, Indicators, History and Commitments screens."
} >"$RESULTS"

echo
table
echo
say "written to $RESULTS"
