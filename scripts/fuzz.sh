#!/usr/bin/env bash
# A long fuzz run of the plan parser, the importer and the query parser
# (tests/fuzz.rs): CASES mutated inputs per target for each of SEEDS seeds.
# Failing inputs are written to target/fuzz-failures/.
#   scripts/fuzz.sh [CASES] [SEEDS]
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-20000}
seeds=${2:-3}
for seed in $(seq 1 "$seeds"); do
  GONGKAI_FUZZ_CASES=$cases GONGKAI_FUZZ_SEED=$seed \
    cargo test --release --test fuzz -- --nocapture 2>&1 | grep -E '^fuzz |panicked|FAILED|target/fuzz-failures' || true
done
