#!/usr/bin/env bash
# Everything the end-to-end tests need beyond the dev dependencies: the two real n8n runtimes and
# the local npm registry (installed once into the cache, in parallel), Debian's Chromium for the
# editor test, Debian's redis-server and postgresql for the queue-mode test, and openssl for the
# install test's certificates.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
started=$SECONDS

# Debian packages: Chromium for the editor test; Redis and PostgreSQL for the queue-mode test
# (it starts its own throwaway instances on 127.0.0.1; nothing is started here).
has_postgres() { compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; }
debs=()
command -v chromium >/dev/null 2>&1 || debs+=(chromium)
command -v redis-server >/dev/null 2>&1 || debs+=(redis-server)
has_postgres || debs+=(postgresql)
command -v openssl >/dev/null 2>&1 || debs+=(openssl)
if [ "${#debs[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's ${debs[*]} for the end-to-end tests..." >&2
    # Where systemd runs, Debian also starts redis-server and a PostgreSQL cluster as services on
    # their default ports; the tests leave those alone and start their own on free ports.
    apt_log="$(mktemp)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debs[@]}") >"$apt_log" 2>&1 &
    debs_job=$!
  else
    echo "The end-to-end tests need Debian's ${debs[*]}: sudo apt-get install ${debs[*]}" >&2
    exit 1
  fi
fi

bash "$root/scripts/n8n-runtime.sh" n8n-2 >/dev/null &
n8n2=$!
bash "$root/scripts/n8n-runtime.sh" n8n-1 >/dev/null &
n8n1=$!
bash "$root/scripts/n8n-runtime.sh" registry >/dev/null &
registry=$!
status=0
wait "$n8n2" || status=1
wait "$n8n1" || status=1
wait "$registry" || status=1
[ "$status" = 0 ] || echo "Installing n8n or the local registry failed (see the messages above)" >&2
if [ -n "${debs_job:-}" ]; then
  if ! wait "$debs_job"; then
    status=1
    echo "apt-get install ${debs[*]} failed:" >&2
    tail -n 30 "$apt_log" >&2
  fi
  rm -f "$apt_log"
fi
command -v chromium >/dev/null 2>&1 || { status=1; echo "chromium is missing" >&2; }
command -v redis-server >/dev/null 2>&1 || { status=1; echo "redis-server is missing" >&2; }
has_postgres || { status=1; echo "PostgreSQL is missing" >&2; }
command -v openssl >/dev/null 2>&1 || { status=1; echo "openssl is missing" >&2; }
echo "End-to-end provisioning finished in $((SECONDS - started))s (status $status)" >&2
exit $status
