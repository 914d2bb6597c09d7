#!/usr/bin/env bash
# tests/fuzz/run.sh — run the libFuzzer targets of cchc: replay every saved
# regression input, then fuzz each target for a while. Builds nothing: the
# binaries come from `make fuzz` (clang, -fsanitize=fuzzer,address,undefined).
#
# Usage (from anywhere; it works from the top of the source tree):
#   tests/fuzz/run.sh [-t SECONDS] [-T TIMEOUT] [-j JOBS] [TARGET...]
#   tests/fuzz/run.sh seeds
#
#   TARGET      yaml (yaml.h: the tree builder, typed readers, mapper, messages),
#               config (config_load: cchc.yaml + indicators.yaml + checklist.yaml),
#               import (import_dir: units/commitments/visits/results.yaml),
#               cache (config_decode: the body of a configuration snapshot),
#               exchange (exchange_import_text: an export file, as `cchc
#               import` and init's findings.yaml read it);
#               all of them when none is named
#   -t SECONDS  how long to fuzz each target (default 60); 0 only replays the
#               regressions. `make test` runs 15 s per target.
#   -T TIMEOUT  seconds one input may take before it counts as a hang (default 1)
#   -j JOBS     fuzz in JOBS processes at once (libFuzzer -fork; default 1)
#   seeds       remake tests/fuzz/seeds/TARGET/ from config/, data/ and
#               tests/data/ (after the formats or the samples change)
#
# Longer runs by hand, e.g. an hour of each on 2 cores:
#   make fuzz && tests/fuzz/run.sh -t 3600 -j 2
# Environment: FUZZ_BUILD (default build-fuzz) holds the binaries, the corpus
# each target grows (FUZZ_BUILD/corpus/TARGET, kept between runs) and what it
# finds (FUZZ_BUILD/artifacts/TARGET/). FUZZ_ARGS adds libFuzzer options.
# The targets' scratch files go to TMPDIR (default /dev/shm when there is one).
#
# Inputs of the multi-file targets: the files one after another, each ended
# by a line "#%%" (see fuzz_common.h), in the order listed above. An input
# of exchange is one file whose first line chooses the database (see
# fuzz_exchange.c): "# fuzz: empty", "# fuzz: findings", or the sample.
#
# A finding (crash, leak, hang, sanitizer report, or a broken promise that a
# target checks and reports as "fuzz: finding: ...") stops that target and
# fails the run; the input is in FUZZ_BUILD/artifacts/TARGET/. Reproduce it
# with `FUZZ_BUILD/fuzz_TARGET FILE`; once understood, minimise it
# (`FUZZ_BUILD/fuzz_TARGET -minimize_crash=1 -runs=10000 FILE`) and copy it
# to tests/fuzz/regressions/TARGET/ under a name saying what it is: every run
# replays those, so a fixed bug stays fixed.
#
# Ends with the line "N passed, N failed" that tests/run counts.
set -u
cd "$(dirname "$0")/../.." || exit 2
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
FUZZ_ARGS=${FUZZ_ARGS:-}
TARGETS=(yaml config import cache exchange)
SEP='#%%'

seconds=60
timeout=1
jobs=1

die() {
    echo "run.sh: $*" >&2
    exit 2
}

# Files in a folder.
nfiles() {
    find "$1" -maxdepth 1 -type f | wc -l
}

# ---- seeds ----

# seed_name PATH: a file name for a seed taken from PATH.
seed_name() {
    echo "$1" | sed 's|^\./||; s|/|-|g'
}

# The file that KEY of folder DIR's cchc.yaml names, if it exists.
named_file() {
    local dir=$1 key=$2 v
    v=$(sed -n "s/^$key:[[:space:]]*//p" "$dir/cchc.yaml" | head -n 1)
    [ -n "$v" ] && [ -f "$dir/$v" ] && echo "$dir/$v"
}

make_seeds() {
    local out=tests/fuzz/seeds f d
    rm -rf "$out"
    mkdir -p "$out/yaml" "$out/config" "$out/import"
    # yaml: every YAML file on its own.
    for f in config/*.yaml data/*.yaml $(find tests/data -name '*.yaml' | sort); do
        cp "$f" "$out/yaml/$(seed_name "$f")"
    done
    # config: cchc.yaml, then the two files it names. The fuzz target keeps
    # to its own folder, so the names are cut to their last part.
    for d in config $(find tests/data -name cchc.yaml -printf '%h\n' | sort); do
        local ind chk
        ind=$(named_file "$d" indicators)
        chk=$(named_file "$d" checklist)
        {
            sed -E 's#^(indicators|checklist):([[:space:]]*)(.*/)?#\1:\2#' "$d/cchc.yaml"
            echo "$SEP"
            [ -n "$ind" ] && cat "$ind"
            echo "$SEP"
            [ -n "$chk" ] && cat "$chk"
        } >"$out/config/$(seed_name "$d")"
    done
    # import: the four data files of each data folder; and the sample's
    # units alone, and units with visits, for shorter seeds.
    for d in data $(find tests/data -name units.yaml -printf '%h\n' | sort); do
        {
            local first=1 name
            for name in units commitments visits results; do
                [ $first = 1 ] || echo "$SEP"
                first=0
                [ -f "$d/$name.yaml" ] && cat "$d/$name.yaml"
            done
        } >"$out/import/$(seed_name "$d")"
    done
    cp data/units.yaml "$out/import/data-units-only"
    # small fixtures: units with one other file each, to reach every checker
    # with little input
    d=tests/data/import/good
    if [ -f "$d/units.yaml" ]; then
        local k name
        for k in 1 2 3; do
            name=(units commitments visits results)
            {
                cat "$d/units.yaml"
                for ((i = 1; i <= k; i++)); do
                    echo "$SEP"
                    [ $i = "$k" ] && [ -f "$d/${name[$k]}.yaml" ] && cat "$d/${name[$k]}.yaml"
                done
            } >"$out/import/$(seed_name "$d")-units-${name[$k]}"
        done
    fi
    # cache: the snapshot body of config/, written by the target itself
    mkdir -p "$out/cache"
    if [ -x "$FUZZ_BUILD/fuzz_cache" ]; then
        CCHC_FUZZ_WRITE_SEED="$out/cache/config-snapshot" "$FUZZ_BUILD/fuzz_cache" ||
            die "fuzz_cache could not write its seed"
    else
        echo "run.sh: no $FUZZ_BUILD/fuzz_cache (make fuzz): cache seed not written" >&2
    fi
    # exchange: the export files of tests/data/exchange into the sample; the
    # small findings.yaml files as findings (data/'s is too long: an input
    # that takes a second slows the whole run); the export of a small data
    # folder, written by the target itself, into an empty database
    mkdir -p "$out/exchange"
    for f in $(find tests/data/exchange -name '*.yaml' | sort); do
        cp "$f" "$out/exchange/$(seed_name "$f")"
    done
    for f in $(find tests/data/import -name findings.yaml | sort); do
        { echo "# fuzz: findings"; cat "$f"; } >"$out/exchange/$(seed_name "$f")"
    done
    if [ -x "$FUZZ_BUILD/fuzz_exchange" ]; then
        CCHC_FUZZ_DATA=tests/data/import/findings \
            CCHC_FUZZ_WRITE_SEED="$out/exchange/tests-data-import-findings-export" \
            "$FUZZ_BUILD/fuzz_exchange" || die "fuzz_exchange could not write its seeds"
    else
        echo "run.sh: no $FUZZ_BUILD/fuzz_exchange (make fuzz): export seed not written" >&2
    fi
    echo "run.sh: seeds written to $out/: $(nfiles "$out/yaml") yaml," \
        "$(nfiles "$out/config") config, $(nfiles "$out/import") import," \
        "$(nfiles "$out/cache") cache, $(nfiles "$out/exchange") exchange"
}

# ---- running ----

pass=0
fail=0
failed=()

ok() {
    pass=$((pass + 1))
    echo "ok   $1"
}

bad() {
    fail=$((fail + 1))
    failed+=("$1")
    echo "FAIL $1"
}

# replay TARGET BIN: run every saved regression input once.
replay() {
    local t=$1 bin=$2 files=()
    local f
    for f in tests/fuzz/regressions/"$t"/*; do
        [ -f "$f" ] && files+=("$f")
    done
    [ ${#files[@]} -gt 0 ] || return 0
    # shellcheck disable=SC2086
    if "$bin" -timeout="$timeout" -rss_limit_mb=2048 $FUZZ_ARGS "${files[@]}" </dev/null \
        >"$log" 2>&1; then
        ok "$t/regressions (${#files[@]} inputs)"
    else
        cat "$log"
        bad "$t/regressions"
    fi
}

# fuzz TARGET BIN: fuzz for $seconds, growing FUZZ_BUILD/corpus/TARGET.
fuzz() {
    local t=$1 bin=$2
    local corpus=$FUZZ_BUILD/corpus/$t art=$FUZZ_BUILD/artifacts/$t/ mode=()
    mkdir -p "$corpus" "$art"
    [ "$jobs" -gt 1 ] && mode=(-fork="$jobs" -ignore_crashes=0 -ignore_timeouts=0 -ignore_ooms=0)
    local before
    before=$(nfiles "$art")
    touch "$stamp"
    # shellcheck disable=SC2086
    "$bin" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 \
        -dict=tests/fuzz/cchc.dict -artifact_prefix="$art" -print_final_stats=1 \
        "${mode[@]}" $FUZZ_ARGS "$corpus" "tests/fuzz/seeds/$t" </dev/null >"$log" 2>&1
    local status=$?
    local stats
    stats=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    [ -n "$stats" ] || stats=$(sed -En 's/^#([0-9]+).*/\1/p' "$log" | tail -n 1)
    if [ $status = 0 ] && [ "$(nfiles "$art")" = "$before" ]; then
        ok "$t/fuzz (${seconds} s, ${stats:-?} inputs, corpus $(nfiles "$corpus"))"
        return
    fi
    grep -v '^#[0-9]' "$log" | tail -n 60
    echo "---- new in $art:"
    find "$art" -maxdepth 1 -type f -newer "$stamp" | sed 's/^/  /'
    echo "reproduce: $bin FILE; keep: copy it to tests/fuzz/regressions/$t/"
    bad "$t/fuzz (exit $status)"
}

targets=()
while [ $# -gt 0 ]; do
    case $1 in
    -t) seconds=${2:?}; shift 2 ;;
    -T) timeout=${2:?}; shift 2 ;;
    -j) jobs=${2:?}; shift 2 ;;
    seeds) make_seeds; exit 0 ;;
    -h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) targets+=("$1"); shift ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${TARGETS[@]}")
case "$seconds$timeout$jobs" in *[!0-9]*) die "-t, -T and -j take whole numbers" ;; esac

# The targets write their files and database under TMPDIR: a private folder
# of this run, removed at the end even when a target crashed and left its
# files behind. On tmpfs an import's fsync costs nothing, which keeps inputs
# well under the hang limit.
base=${TMPDIR:-}
if [ -z "$base" ]; then
    base=/tmp
    [ -d /dev/shm ] && [ -w /dev/shm ] && base=/dev/shm
fi
scratch=$(mktemp -d "$base/cchc-fuzz-run.XXXXXX") || die "cannot make a folder in $base"
trap 'rm -rf "$scratch"' EXIT
export TMPDIR=$scratch
log=$scratch/log
stamp=$scratch/stamp
for t in "${targets[@]}"; do
    case " ${TARGETS[*]} " in *" $t "*) ;; *) die "unknown target $t (${TARGETS[*]})" ;; esac
    bin=$FUZZ_BUILD/fuzz_$t
    if [ ! -x "$bin" ]; then
        bad "$t: $bin is missing (make fuzz)"
        continue
    fi
    replay "$t" "$bin"
    [ "$seconds" -gt 0 ] && fuzz "$t" "$bin"
done

echo
[ ${#failed[@]} -gt 0 ] && echo "failed: ${failed[*]}"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
