#!/usr/bin/env bash
# usage: scripts/n8n-runtime.sh n8n-2|n8n-1|registry
#        scripts/n8n-runtime.sh --lock n8n-2|n8n-1|registry
# Prints the folder of an installed real n8n (its node_modules/.bin/n8n), installing it once
# from the committed lockfile in test/e2e/runtimes/<name>/ into a cache outside the repo:
# n8n is over a GiB and takes minutes to install, so it is reused across runs.
#   n8n-2: n8n 2.x on Node 24 (from scripts/node24.sh)
#   n8n-1: n8n 1.123.x on the machine's Node 20 or 22
#   registry: verdaccio, the local npm registry n8n installs the package from in the install test
# Prints "NODE_BIN<TAB>RUNTIME_DIR".
#
# --lock: rewrites test/e2e/runtimes/<name>/package-lock.json from its package.json, resolved by
# that runtime's Node with the flags the install uses, and installs nothing. Moving the tests to
# another n8n is: set the version in test/e2e/runtimes/n8n-2/package.json, run
# `bash scripts/n8n-runtime.sh --lock n8n-2`, commit both files (the tests read the version from
# there). If npm cannot resolve that n8n, it says why and the committed lockfile is left as it was.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lock=""
if [ "${1:-}" = "--lock" ]; then lock=1; shift; fi
name="${1:?usage: n8n-runtime.sh [--lock] n8n-2|n8n-1|registry}"
src="$root/test/e2e/runtimes/$name"
[ -f "$src/package.json" ] || { echo "no runtime $name" >&2; exit 2; }
[ -n "$lock" ] || [ -f "$src/package-lock.json" ] || { echo "no lockfile for runtime $name: run $0 --lock $name" >&2; exit 2; }
cache="${UCONTACT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-ucontact}"

case "$name" in
  n8n-2)
    node_bin="$(bash "$root/scripts/node24.sh")"
    natives="sqlite3 isolated-vm @parcel/watcher cpu-features msgpackr-extract ssh2 protobufjs"
    ;;
  n8n-1)
    # The first Node 20 or 22 on PATH, skipping newer ones: scripts/env.sh puts Node 24 first
    # for jest, and the tests then start n8n 1.x with this one.
    node_bin=""
    IFS=: read -ra path_dirs <<< "$PATH"
    for dir in "${path_dirs[@]}" /usr/local/bin /usr/bin; do
      [ -x "$dir/node" ] || continue
      major="$("$dir/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null || true)"
      if [ "$major" = 20 ] || [ "$major" = 22 ]; then node_bin="$dir"; break; fi
    done
    if [ -z "$node_bin" ]; then
      echo "n8n 1.x needs Node 20 or 22 on PATH (found $(node -v 2>/dev/null || echo none))" >&2; exit 2
    fi
    # isolated-vm only serves n8n 1.x's optional vm expression engine; the tests use the legacy one.
    natives="sqlite3"
    ;;
  registry)
    node_bin="$(bash "$root/scripts/node24.sh")"
    natives=""
    ;;
  *) echo "unknown runtime $name" >&2; exit 2 ;;
esac

if [ -n "$lock" ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cp "$src/package.json" "$work/"
  (
    cd "$work"
    export PATH="$node_bin:$PATH"
    # No `resolved` URLs: the lockfile names no registry (npm ci takes the configured one).
    npm install --package-lock-only --omit-lockfile-registry-resolved --ignore-scripts --no-audit --no-fund --loglevel=error >&2
  ) || { echo "npm could not resolve $src/package.json (see above); $src/package-lock.json is unchanged" >&2; exit 1; }
  cp "$work/package-lock.json" "$src/package-lock.json"
  echo "Wrote $src/package-lock.json: $(cd "$work" && "$node_bin/node" -p 'Object.entries(require("./package.json").dependencies).map(([n, v]) => n + " " + v).join(", ")')" >&2
  exit 0
fi

stamp="$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -c1-12)"
dest="$cache/runtimes/$name-$stamp"
if [ ! -f "$dest/.installed" ]; then
  echo "Installing $name into $dest (once; n8n takes several minutes and over a GiB)..." >&2
  rm -rf "$dest.partial"
  mkdir -p "$dest.partial"
  cp "$src/package.json" "$src/package-lock.json" "$dest.partial/"
  started=$SECONDS
  # A heartbeat: npm prints nothing for minutes without a TTY.
  ( while sleep 20; do
      echo "  ... $name: $((SECONDS - started))s, $(du -sh "$dest.partial" 2>/dev/null | cut -f1) so far" >&2
    done ) &
  beat=$!
  trap 'kill $beat 2>/dev/null || true' EXIT
  (
    cd "$dest.partial"
    export PATH="$node_bin:$PATH"
    source "$root/scripts/node-headers.sh"
    use_node_headers "$node_bin"
    # Install scripts are skipped (some download from outside the npm registry); the native
    # modules n8n needs are then built here against this Node.
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
    [ -z "$natives" ] || npm rebuild $natives --loglevel=error >&2
  )
  kill $beat 2>/dev/null || true
  touch "$dest.partial/.installed"
  rm -rf "$dest"
  mv "$dest.partial" "$dest"
  echo "Installed $name in $((SECONDS - started))s" >&2
fi
printf '%s\t%s\n' "$node_bin" "$dest"
