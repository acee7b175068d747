#!/usr/bin/env bash
# Static search on a plain static host (python3 -m http.server, no /api): bytes
# fetched and time to the first result in headless Chromium, cache empty, network
# throttled to Chrome's Fast 3G and Fast 4G presets. Bundled site, then a
# 50,000-task corpus (made once into target/bench-corpus-50k, built every time).
# Needs chromium and `npm ci --prefix tests/e2e`. Results: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=./target/release/gongkai
queries=("疫苗 接种" "政府信息公开" "市財政局" "预算公开" "\"基层政务公开\"" "12345 热线")

serve_and_measure() {
  local dir=$1 port=$2
  python3 -m http.server "$port" --bind 127.0.0.1 --directory "$dir" >/dev/null 2>&1 &
  local server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
  node tests/e2e/static-search-bench.mjs "http://127.0.0.1:$port/" "${queries[@]}"
  kill "$server"
}

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
$bin build --output "$out/site" >/dev/null 2>&1
echo "# bundled site ($(du -sh "$out/site/search/static" | cut -f1) static index)"
serve_and_measure "$out/site" 8931

corpus=target/bench-corpus-50k
if [ ! -d "$corpus/content" ]; then
  rm -rf "$corpus"
  $bin corpus --tasks 50000 --out "$corpus" >/dev/null
fi
# Built every time, from nothing: an earlier output would measure that version
# (a build keeps the previous static index when the content and format match,
# whatever its shard size or compression).
rm -rf "$corpus/output"
$bin --root "$corpus" build >/dev/null 2>&1
echo "# 50,000 tasks ($(du -sh "$corpus/output/search/static" | cut -f1) static index)"
serve_and_measure "$corpus/output" 8932
