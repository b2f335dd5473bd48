#!/usr/bin/env bash
# README's test command: everything CI checks, from a fresh clone.
source "$(dirname "$0")/env.sh"
started=$SECONDS
step() { echo; echo "== $1 ($((SECONDS - started))s)"; }
step "node $(node --version)"
step "build"; npm run build
step "lint (n8n community-node rules)"; npm run lint
step "typecheck (sources and tests)"; npm run typecheck
step "formatting (prettier --check)"; npm run format:check
step "tests (units, and workflows through n8n's engine)"; npm test -- --ci
# n8n's quickjs expression engine loads through dynamic imports, which jest runs only with
# Node's VM modules on; the rest of the suite runs without them, as n8n does.
step "the native-path differential test under n8n's quickjs engine"; NODE_OPTIONS=--experimental-vm-modules npm test -- --ci test/workflow/nativeExpressions.workflow.test.ts -t quickjs
step "provision real n8n 2.x and 1.x, Chromium, Redis and PostgreSQL (cached after the first run)"; bash scripts/provision-e2e.sh
step "end-to-end (real n8n 2.x and 1.x: CLI, run contexts, AI Agent and MCP tools, examples, editor in Chromium, install, queue mode, proxies, answers of any size)"; UCONTACT_SKIP_BUILD=1 npm run test:e2e -- --ci
echo; echo "All checks passed in $((SECONDS - started))s"
