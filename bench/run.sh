#!/usr/bin/env bash
# Benchmarks on synthetic corpora: check, build (site; site + index), cold search.
# Usage: bench/run.sh [N ...]   (default: 1000 10000)
# Prints a Markdown table of wall time (median of 3 runs), CPU time (user +
# system, median of 3: the figure to compare on a shared machine) and peak RSS.
# BENCH_RUNS=1 runs each step once (for 100,000 cases); the default is 3.
# Needs GNU time (/usr/bin/time, Debian package `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

cargo build --release --quiet --bin jirei --example gen_corpus
jirei=target/release/jirei
gen=target/release/examples/gen_corpus
out=bench/out
mkdir -p "$out"

runs=${BENCH_RUNS:-3}
mid=$(( (runs + 1) / 2 ))

# median_of_3 CMD...: prints "seconds cpu_seconds peak_kb" (median wall
# time, median user + system time, max RSS).
median_of_3() {
  local times=() cpus=() rss=0
  for _ in $(seq "$runs"); do
    local stats e u s kb
    stats=$(mktemp)
    /usr/bin/time -f "%e %U %S %M" -o "$stats" "$@" >/dev/null 2>&1 || true
    read -r e u s kb < <(tail -1 "$stats")
    rm -f "$stats"
    times+=("$e")
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')")
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  printf '%s %s %s\n' "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "${mid}p")" \
    "$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "${mid}p")" "$rss"
}

cleanup() { for n in "${sizes[@]}"; do rm -rf "$out/corpus-$n"/cold-*; done; }
trap cleanup EXIT

row() { # label N seconds cpu kb
  printf '| %s | %s | %s s | %s s | %s MB |\n' "$1" "$2" "$3" "$4" "$(( $5 / 1024 ))"
}

echo "| step | cases | wall (median) | CPU user+sys (median) | peak RSS |"
echo "|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  dir="$out/corpus-$n"
  [ -d "$dir/cases" ] || "$gen" --n "$n" --seed 1 --out "$dir" >/dev/null
  read -r s cpu kb < <(median_of_3 "$jirei" --root "$dir" check)
  row "jirei check" "$n" "$s" "$cpu" "$kb"
  # A full build of a fresh collection (no search index: the site and its
  # search data), into a new folder each run (removed only at the end:
  # ext4 allocates inodes slowly for a while after many were freed, which
  # would slow the next run).
  read -r s cpu kb < <(median_of_3 sh -c "rm -rf '$dir/.jirei-cache' && exec '$jirei' --root '$dir' build --out \$(mktemp -d -u '$dir/cold-XXXXXX')")
  row "jirei build (site + search data, from scratch, new output folder)" "$n" "$s" "$cpu" "$kb"
  # The same with the search index of jirei search built beside the site
  # (--index, or a collection that has a stale index).
  read -r s cpu kb < <(median_of_3 sh -c "rm -rf '$dir/.jirei-cache' && exec '$jirei' --root '$dir' build --index --out \$(mktemp -d -u '$dir/cold-XXXXXX')")
  row "jirei build --index (site + search data + search index, from scratch, new output folder)" "$n" "$s" "$cpu" "$kb"
  # The same over the previous output, as a second `jirei build` runs:
  # unchanged files are linked, not written again.
  "$jirei" --root "$dir" build --out "$dir/public" >/dev/null 2>&1
  read -r s cpu kb < <(median_of_3 sh -c "rm -rf '$dir/.jirei-cache' && exec '$jirei' --root '$dir' build --out '$dir/public'")
  row "jirei build (site + search data, from scratch, over the previous output)" "$n" "$s" "$cpu" "$kb"
  read -r s cpu kb < <(median_of_3 sh -c "rm -rf '$dir/.jirei-cache' && exec '$jirei' --root '$dir' index")
  row "jirei index (from scratch)" "$n" "$s" "$cpu" "$kb"
  bytes=$(find "$dir/cases" -name '*.md' -print0 | xargs -0 cat | wc -c)
  awk -v b="$bytes" -v s="$s" -v n="$n" 'BEGIN { printf "| index throughput | %d | %.1f MB/s, %.0f cases/s (%.1f MB of Markdown) | | |\n", n, b/1e6/s, n/s, b/1e6 }' 
  for q in 書かない窓口 "RPA 削減" かかないまどぐち; do
    read -r s cpu kb < <(median_of_3 "$jirei" --root "$dir" search "$q" --json)
    row "jirei search \"$q\" (cold process)" "$n" "$s" "$cpu" "$kb"
  done
  read -r s cpu kb < <(median_of_3 "$jirei" --root "$dir" search "" --band 10k-50k --sort population --json)
  row "jirei search (browse a band, sorted)" "$n" "$s" "$cpu" "$kb"
done
