#!/usr/bin/env bash
# Load test of the production server (`gongkai serve --no-watch`) with wrk, on
# loopback only: a plan page and /api/search. Results go in docs/benchmarks.md.
# Usage: scripts/load.sh [DURATION]   (needs Debian's wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15s}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
cargo build --release --quiet
work=$(mktemp -d)
./target/release/gongkai build --output "$work/output" 2>/dev/null
./target/release/gongkai serve --no-watch --output "$work/output" --port 0 >"$work/url" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q http "$work/url" 2>/dev/null && break; sleep 0.1; done
base=$(grep -o 'http://[^ ]*' "$work/url")
echo "server: $base   machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB"
run() {
  echo; echo "== $1"
  wrk -t2 -c64 -d"$duration" --latency "$2" | grep -E "Requests/sec|Latency |50%|90%|99%|requests in|Non-2xx|Socket errors"
}
run "plan page" "${base}plans/2021-zhongshan/"
run "search: 疫苗" "${base}api/search?q=%E7%96%AB%E8%8B%97"
run "search: 信息公开 (matches 113 of 184 tasks)" "${base}api/search?q=%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80"
