#!/usr/bin/env bash
# Everything the end-to-end tests need beyond the dev dependencies: the two real n8n runtimes
# (installed once into the cache, in parallel) and Debian's Chromium for the editor test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
started=$SECONDS

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's chromium for the editor test..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 &
    chromium_job=$!
  else
    echo "The editor test needs Debian's chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi

bash "$root/scripts/n8n-runtime.sh" n8n-2 >/dev/null &
n8n2=$!
bash "$root/scripts/n8n-runtime.sh" n8n-1 >/dev/null &
n8n1=$!
status=0
wait "$n8n2" || status=1
wait "$n8n1" || status=1
if [ -n "${chromium_job:-}" ]; then wait "$chromium_job" || status=1; fi
command -v chromium >/dev/null 2>&1 || status=1
echo "End-to-end provisioning finished in $((SECONDS - started))s (status $status)" >&2
exit $status
