#!/usr/bin/env bash
# Load test of `jirei serve`'s search API, on loopback only.
#
#   bench/serve_load.sh [CASES] [DURATION] [CONNECTIONS]   (defaults: 10000 60s 200)
#
# 1. builds the release binary and a synthetic corpus (bench/gen_corpus.rs,
#    seed 1) under bench/out/, unless it is there already;
# 2. starts `jirei serve` on 127.0.0.1 (a free port) and waits for it;
# 3. measures the rebuild after one edited case: a body edit (the case's
#    page), a title edit (the pages showing the case), a body edit while
#    the title edit's search data is computed (from save to rebuilt) and a
#    tag edit (the model from every case, the pages that changed);
# 4. runs wrk with CONNECTIONS connections for DURATION against /api/search,
#    rotating realistic queries (bench/search.lua), and prints errors and
#    latency percentiles; then once more with the response cache off;
# 5. stops the server. Needs `wrk` (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."

CASES="${1:-10000}"
DURATION="${2:-60s}"
CONNECTIONS="${3:-200}"
OUT="bench/out/${CASES}"
# JIREI_BIN: use this binary instead of building one.
BIN="${JIREI_BIN:-${CARGO_TARGET_DIR:-target}/release/jirei}"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
if [ -z "${JIREI_BIN:-}" ]; then cargo build --release --quiet --bin jirei --example gen_corpus; fi
if [ ! -d "$OUT/cases" ]; then
  "${CARGO_TARGET_DIR:-target}/release/examples/gen_corpus" --n "$CASES" --seed 1 --out "$OUT"
fi

LOG="$(mktemp)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -f "$LOG"
}
trap cleanup EXIT

# Wait (up to $3 seconds) until more than $2 lines of the server's output match $1.
wait_for_lines() {
  local pattern="$1" count="$2" limit="$3" waited=0
  until [ "$(grep -c -- "$pattern" "$LOG" || true)" -gt "$count" ]; do
    sleep 0.1; waited=$((waited + 1))
    if [ "$waited" -gt $((limit * 10)) ]; then echo "timed out waiting for: $pattern" >&2; cat "$LOG" >&2; exit 1; fi
  done
}

serve() {
  : > "$LOG"
  "$BIN" serve --root "$OUT" --bind 127.0.0.1 --port 0 "$@" > "$LOG" 2>&1 &
  SERVER_PID=$!
  wait_for_lines "^serving http://" 0 900
  URL="$(grep -o 'http://[^ ]*' "$LOG" | head -1)"
}

start=$(date +%s.%N)
serve
echo "== jirei serve, ${CASES} cases: ready in $(echo "$(date +%s.%N) - $start" | bc) s at $URL"

# Rebuild after one edited case.
# The 4,321st case (the middle one in smaller collections).
COUNT="$(ls "$OUT/cases" | wc -l)"
LINE=$(( COUNT >= 4321 ? 4321 : (COUNT + 1) / 2 ))
CASE="$(ls "$OUT/cases" | sed -n "${LINE}p")"
CASE_FILE="$OUT/cases/$CASE"
cp "$CASE_FILE" "$LOG.orig"
edit() {  # edit SED-OR-APPEND-TEXT LABEL LIMIT
  local before; before="$(grep -c '^rebuilt ' "$LOG" || true)"
  "$1"
  wait_for_lines '^rebuilt ' "$before" "$3"
  echo "$2: $(grep '^rebuilt ' "$LOG" | tail -1)"
}
append_line() { printf '\n追記: 効果の測定を継続している。\n' >> "$CASE_FILE"; }
retitle() { sed -i '0,/^title: /s/^title: /title: 改題 /' "$CASE_FILE"; }
retag() { sed -i '0,/^tags: \[/s/^tags: \[/tags: [計測用タグ, /' "$CASE_FILE"; }
restore() { cp "$LOG.orig" "$CASE_FILE"; }
for round in 1 2 3; do edit append_line "body edit $round" 120; done
edit retitle "title edit" 600
# A save while the search data of the title edit is being computed (it is
# stopped for the save): the time from the save to its "rebuilt" line.
sleep 3
started=$(date +%s.%N)
edit append_line "body edit 3 s after the title edit" 600 > /dev/null
echo "body edit 3 s after the title edit: shown $(echo "$(date +%s.%N) - $started" | bc) s after the save"
# Let the search data and exports of the previous edits be written first.
sleep 30
edit retag "tag edit" 600
sleep 30
edit restore "restored" 600
rm -f "$LOG.orig"

echo "== wrk: ${CONNECTIONS} connections, ${DURATION}, /api/search (cached answers allowed)"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s bench/search.lua "$URL"

kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
serve --search-cache 0
echo "== wrk: ${CONNECTIONS} connections, ${DURATION}, /api/search with the response cache off"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s bench/search.lua "$URL"
