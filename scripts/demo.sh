#!/usr/bin/env bash
# README's demo command. Until the real-n8n demo lands, it runs the example workflow
# (Manual Trigger -> uContact Disposition) through n8n's own execution engine against the
# bundled uContact simulator, and shows each item's result and what reached the wire.
source "$(dirname "$0")/env.sh"
npm run build >/dev/null
npx jest test/workflow/example.test.ts --verbose
