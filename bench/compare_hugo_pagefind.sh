#!/usr/bin/env bash
# Side by side: the same synthetic corpus built by `jirei build` and by Hugo + Pagefind.
#
# Usage: bench/compare_hugo_pagefind.sh [N ...]   (default: 1000 10000)
#
# Prerequisites (Debian):
#   apt-get install -y hugo time       # Hugo from Debian (0.111 on bookworm), GNU /usr/bin/time
#   npm install --prefix bench         # Pagefind from npm into bench/node_modules (pinned by
#                                      # bench/package-lock.json; run automatically if missing)
#   Rust toolchain (cargo)             # for target/release/jirei and the corpus generator
# Environment:
#   JIREI=/path/to/jirei   the binary to time (default: target/release/jirei, built here with
#                          `cargo build --release` when JIREI is not set)
#
# For each N it generates (or reuses) bench/out/corpus-N with bench/gen_corpus.rs (seed 1), sets
# up bench/out/hugo-N from bench/hugo-site/ with content/cases linked to the corpus's cases/ (the
# case files are used as they are: Hugo reads the YAML front matter, nested maps included, as page
# params), then times, median of 3 runs each, each run from scratch (caches removed) into a new
# output folder. The outputs are removed only when the script ends (the last Hugo + Pagefind
# output is kept in bench/out/hugo-N/public): ext4 mounted with `discard` creates files slowly
# for a while after many were deleted, which would charge one tool for the deletion of the
# other's output (at 10,000 cases jirei writes about 110,000 files, Hugo + Pagefind about
# 30,000):
#   (a) jirei build --out DIR            site with its search data, from scratch (a fresh
#                                        collection: no index for `jirei search`, as Hugo +
#                                        Pagefind make none either)
#   (b) hugo, then pagefind --site public   (Pagefind's npm launcher, which runs its extended
#       binary with Japanese segmentation; the pages say <html lang="ja">)
# End to end for (b) is Hugo's wall time plus Pagefind's, from the same run. Peak RSS is the
# largest single process (GNU time's %M). Prints a Markdown table and, per N, the ratio
# (Hugo + Pagefind wall time) / (jirei build wall time), and the same for CPU time (user + sys),
# which is steadier when other work shares the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

command -v hugo >/dev/null || { echo "hugo not found: apt-get install -y hugo" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time not found: apt-get install -y time" >&2; exit 2; }
if [ -z "${JIREI:-}" ]; then
  cargo build --release --quiet --bin jirei
  JIREI=$root/target/release/jirei
fi
[ -x "$JIREI" ] || { echo "not executable: JIREI=$JIREI" >&2; exit 2; }
pagefind=$root/bench/node_modules/.bin/pagefind
[ -x "$pagefind" ] || npm install --prefix bench --no-audit --no-fund >&2
out=$root/bench/out
mkdir -p "$out"

# corpus N: makes sure bench/out/corpus-N/cases exists; prints its directory.
corpus() {
  local dir=$out/corpus-$1
  if [ ! -d "$dir/cases" ]; then
    cargo build --release --quiet --example gen_corpus
    "${CARGO_TARGET_DIR:-$root/target}/release/examples/gen_corpus" \
      --n "$1" --seed 1 --out "$dir" >/dev/null
  fi
  echo "$dir"
}

# hugo_site N CORPUS: a fresh Hugo site whose content/cases is the corpus's cases/.
hugo_site() {
  local site=$out/hugo-$1
  rm -rf "$site"
  mkdir -p "$site/content"
  cp -r "$root/bench/hugo-site/." "$site/"
  ln -s "$2/cases" "$site/content/cases"
  echo "$site"
}

# timed FILE CMD...: runs CMD under GNU time; FILE gets "wall user+sys peak_kb".
# A failing command aborts the benchmark with its output.
timed() {
  local file=$1 log
  shift
  log=$(mktemp)
  if ! /usr/bin/time -f "%e %U %S %M" -o "$file.raw" "$@" >"$log" 2>&1; then
    echo "failed: $*" >&2
    tail -20 "$log" >&2
    exit 1
  fi
  rm -f "$log"
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$file.raw" >"$file"
  rm -f "$file.raw"
}

# column K FILE...: the median of column K over the FILEs (one line each).
column_median() {
  local k=$1
  shift
  awk -v k="$k" '{ print $k }' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# median FILE...: each FILE holds "wall cpu kb"; prints "median_wall median_cpu max_kb".
median() {
  echo "$(column_median 1 "$@") $(column_median 2 "$@") $(awk '$3 > kb { kb = $3 } END { print kb + 0 }' "$@")"
}

row() { # label N "wall cpu kb"
  local wall cpu kb
  read -r wall cpu kb <<<"$3"
  printf '| %s | %s | %s s | %s s | %s MB |\n' "$1" "$2" "$wall" "$cpu" "$((kb / 1024))"
}

tmp=$(mktemp -d)
runs=$(mktemp -d "$out/runs-XXXXXX")
trap 'rm -rf "$tmp" "$runs"' EXIT
ratios=()

echo "| pipeline | cases | wall (median of 3) | CPU user+sys (median) | peak RSS |"
echo "|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  dir=$(corpus "$n")
  site=$(hugo_site "$n" "$dir")
  for i in 1 2 3; do
    rm -rf "$dir/.jirei-cache"
    timed "$tmp/jirei-$n-$i" "$JIREI" --root "$dir" build --out "$runs/jirei-$n-$i"

    rm -rf "$dir/.jirei-cache" "$site/resources" "$site/.hugo_build.lock"
    timed "$tmp/hugo-$n-$i" hugo --quiet --source "$site" --destination "$runs/hugo-$n-$i"
    timed "$tmp/pagefind-$n-$i" "$pagefind" --site "$runs/hugo-$n-$i"
    paste -d' ' "$tmp/hugo-$n-$i" "$tmp/pagefind-$n-$i" |
      awk '{ printf "%.2f %.2f %d\n", $1 + $4, $2 + $5, ($3 > $6 ? $3 : $6) }' >"$tmp/both-$n-$i"
  done
  rm -rf "$site/public"
  mv "$runs/hugo-$n-3" "$site/public"
  jirei=$(median "$tmp"/jirei-"$n"-*)
  both=$(median "$tmp"/both-"$n"-*)
  row "jirei build (site + search data, from scratch)" "$n" "$jirei"
  row "Hugo build" "$n" "$(median "$tmp"/hugo-"$n"-*)"
  row "Pagefind index" "$n" "$(median "$tmp"/pagefind-"$n"-*)"
  row "Hugo + Pagefind (end to end)" "$n" "$both"
  ratios+=("$(echo "$both $jirei" | awk -v n="$n" '{
    printf "%d cases: (Hugo + Pagefind) / jirei build = %.2f s / %.2f s = %.1f× wall (CPU: %.1f×)",
      n, $1, $4, $1 / $4, $2 / $5 }')")
done
echo
printf '%s\n' "${ratios[@]}"
