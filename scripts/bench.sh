#!/usr/bin/env bash
# `npm run bench`: throughput, CPU and memory of the uContact Disposition node in a real n8n 2.x
# against the bundled simulator, as ratios to baselines measured in the same run.
# Flags: --items N (1000) --latency MS (20) --concurrency C (10) --quick --repeat R (1)
#        --markdown FILE (also write the results as markdown) --profile DIR (CPU profile instead of the table)
#        --scenario KEY (what --profile runs; webhook:KEY for one webhook burst)
#        --memory-items M (the 10x rows) --posts P (2000) --clients K (20) --webhook-ceiling
#        --report-from FILE.json (redraw a saved run) --help
# The logic is in scripts/bench/ (main.ts; scenarios.ts holds the scenario table), run by tsx.
source "$(dirname "$0")/env.sh"
exec node --import tsx scripts/bench/main.ts "$@"
