#!/usr/bin/env bash
# Refreshes the screenshots of docs/guide.zh.md (docs/images/*.png): builds the
# bundled content, serves it with `gongkai serve --no-watch` and photographs pages
# in headless Chromium. Needs chromium and `npm ci --prefix tests/e2e`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$out"' EXIT
cargo build --release --quiet
./target/release/gongkai build --output "$out/site" >/dev/null 2>&1
port=8917
./target/release/gongkai serve --no-watch --output "$out/site" --port "$port" >/dev/null 2>&1 &
server=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/" >/dev/null && break
  sleep 0.1
done
mkdir -p docs/images
node tests/e2e/screenshots.mjs "http://127.0.0.1:$port/" docs/images
