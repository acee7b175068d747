#!/usr/bin/env bash
# How a cold `gongkai build` scales with the number of tasks, for both corpus
# shapes: wall time, CPU, peak RSS, files and the phases of `--timings`.
# Usage: scripts/scale.sh [TASKS...]   (default: 10000 50000 200000)
# BENCH_DIR=DIR puts the corpora and outputs there (default target/; a new file
# system measures no inode allocator aged by earlier runs). Needs GNU time
# (apt-get install time). Prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 50000 200000)
cargo build --release --quiet
gk=target/release/gongkai
echo "| shape | tasks | wall | CPU | peak RSS | files | output | load + model | pages + data | index (beside) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for shape in mixed districts; do
  for n in "${sizes[@]}"; do
    site=${BENCH_DIR:-target}/bench-scale-$shape-$n
    [ -d "$site/content" ] || $gk corpus --tasks "$n" --shape "$shape" --out "$site" 2>/dev/null
    rm -rf "$site/output"
    /usr/bin/time -f "%e %U %S %M" -o "$site/.time" $gk --root "$site" build --timings 2>"$site/.log" >/dev/null
    read -r wall user sys rss < "$site/.time"
    phase() { grep -E " ms  $1" "$site/.log" | awk '{printf "%.1f s", $1 / 1000}'; }
    files=$(find "$site/output" -type f | wc -l)
    size=$(du -sm "$site/output" | cut -f1)
    echo "| $shape | $n | ${wall} s | $(echo "$user + $sys" | bc) s | $((rss / 1024)) MB | $files | $size MB | $(phase load) | $(phase render) | $(phase 'search index') |"
  done
done
