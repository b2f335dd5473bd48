#!/usr/bin/env bash
# README's test command: everything CI checks, from a fresh clone.
source "$(dirname "$0")/env.sh"
started=$SECONDS
step() { echo; echo "== $1 ($((SECONDS - started))s)"; }
step "node $(node --version)"
step "build"; npm run build
step "lint (n8n community-node rules)"; npm run lint
step "typecheck (sources and tests)"; npm run typecheck
step "tests (units, and workflows through n8n's engine)"; npm test -- --ci
step "provision real n8n 2.x and 1.x, Chromium, Redis and PostgreSQL (cached after the first run)"; bash scripts/provision-e2e.sh
step "end-to-end (real n8n CLI on 2.x and 1.x, examples, editor in Chromium, queue mode)"; UCONTACT_SKIP_BUILD=1 npm run test:e2e -- --ci
echo; echo "All checks passed in $((SECONDS - started))s"
