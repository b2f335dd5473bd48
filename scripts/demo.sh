#!/usr/bin/env bash
# README's demo command: examples/finished-calls.json (Manual Trigger -> Finished calls ->
# uContact Disposition) run by a real n8n 2.x from its CLI, with this package packed and
# installed as a community node, against the bundled uContact simulator; then a summary of what
# n8n output per item and what reached the wire. No uContact account needed.
# UCONTACT_INSTANCE or UCONTACT_BASE_URL with UCONTACT_TOKEN (or UCONTACT_USER and
# UCONTACT_PASSWORD) target a real uContact instead: a dry run unless --really-send is given.
# The logic is in scripts/demo.ts.
source "$(dirname "$0")/env.sh"
# tsx: the demo is TypeScript, and so are the simulator and e2e support it loads from test/.
exec node --import tsx scripts/demo.ts "$@"
