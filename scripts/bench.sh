#!/usr/bin/env bash
# gongkai side by side with Hugo + Pagefind on the same synthetic corpus.
# Usage: scripts/bench.sh [TASKS] [ROUNDS] [SHAPE]
#   defaults: 50000 tasks, 3 rounds, shape mixed (`gongkai corpus --shape`: mixed or districts)
# Needs Debian's hugo and time (apt-get install hugo time) and npm (for pagefind).
# Prints a Markdown table of medians for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
tasks=${1:-50000}
rounds=${2:-3}
shape=${3:-mixed}
work=${BENCH_DIR:-target/bench-hugo-$shape-$tasks}
mkdir -p "$work"
command -v hugo >/dev/null || { echo "hugo is not installed (apt-get install hugo)" >&2; exit 1; }
if [ ! -x "$work/tools/node_modules/.bin/pagefind" ]; then
  npm install --prefix "$work/tools" --no-audit --no-fund --loglevel=error pagefind@1.6.0 >/dev/null
fi
pagefind="$work/tools/node_modules/.bin/pagefind"
cargo build --release --quiet
gk=target/release/gongkai
if [ ! -d "$work/site/content" ]; then
  $gk corpus --tasks "$tasks" --shape "$shape" --out "$work/site" 2>/dev/null
fi
$gk --root "$work/site" build --output "$work/gk-ref" 2>/dev/null
rm -rf "$work/hugo"
python3 scripts/hugo_site.py "$work/gk-ref/data/tasks.json" "$work/hugo" >/dev/null

# measure NAME COMMAND...: appends "wall cpu rss_kb" to $work/NAME.times
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/.t" "$@" >/dev/null 2>&1
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$work/.t" >> "$work/$name.times"
}
rm -f "$work"/*.times
for r in $(seq "$rounds"); do
  rm -rf "$work/gk-out"
  measure gk_cold $gk --root "$work/site" build --output "$work/gk-out"
  measure gk_warm $gk --root "$work/site" build --output "$work/gk-out"
  rm -rf "$work/hugo/public" "$work/hugo/resources"
  measure hugo hugo --source "$work/hugo" --quiet
  measure pagefind "$pagefind" --site "$work/hugo/public"
done

median() { sort -n -k"$2" "$work/$1.times" | awk -v c="$2" '{a[NR]=$c} END {print a[int((NR+1)/2)]}'; }
count() { find "$1" -type f | wc -l; }
size() { du -sm "$1" | cut -f1; }
gk_files=$(count "$work/gk-out"); hugo_files=$(count "$work/hugo/public")
gk_index=$(size "$work/gk-out/search"); pf_index=$(size "$work/hugo/public/pagefind")
hw=$(median hugo 1); pw=$(median pagefind 1); gw=$(median gk_cold 1); gww=$(median gk_warm 1)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; $tasks tasks, shape $shape; medians of $rounds rounds"
echo
echo "| run | wall | CPU | peak RSS | files | output | search index |"
echo "|---|---|---|---|---|---|---|"
echo "| gongkai build (cold: pages + index) | ${gw} s | $(median gk_cold 2) s | $(( $(median gk_cold 3) / 1024 )) MB | $gk_files | $(size "$work/gk-out") MB | $gk_index MB |"
echo "| gongkai build (warm) | ${gww} s | $(median gk_warm 2) s | $(( $(median gk_warm 3) / 1024 )) MB | $gk_files | | |"
echo "| hugo | ${hw} s | $(median hugo 2) s | $(( $(median hugo 3) / 1024 )) MB | | | |"
echo "| pagefind (over Hugo's output) | ${pw} s | $(median pagefind 2) s | $(( $(median pagefind 3) / 1024 )) MB | | | $pf_index MB |"
echo "| hugo + pagefind | $(echo "$hw + $pw" | bc) s | | | $hugo_files | $(size "$work/hugo/public") MB | |"
echo
echo "ratio gongkai cold / (hugo + pagefind): $(echo "scale=2; $gw / ($hw + $pw)" | bc)"
