#!/usr/bin/env bash
# README's test command: everything CI checks, from a fresh clone.
source "$(dirname "$0")/env.sh"
started=$SECONDS
step() { echo; echo "== $1 ($((SECONDS - started))s)"; }
step "node $(node --version)"
step "build"; npm run build
step "lint (n8n community-node rules)"; npm run lint
step "typecheck (sources and tests)"; npm run typecheck
step "tests"; npm test -- --ci
echo; echo "All checks passed in $((SECONDS - started))s"
