#!/usr/bin/env bash
# Prints a directory holding a Node >= 24 `node` binary, installing one from the npm
# registry's `node` package into a cache outside the repo when the machine's node is older.
# n8n 2.x and its packages (n8n-workflow, n8n-core) require Node 24; the system node is
# never touched.
set -euo pipefail
want=24
cache="${UCONTACT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-ucontact}"

# The folder of the real binary behind <node> (a link in a .bin folder or a version manager's
# shim may pick another Node when run from another folder, such as the runtimes' cache).
real_node_dir() {
  local dir
  dir="$(dirname "$("$1" -p 'require("fs").realpathSync(process.execPath)')")"
  if [ -x "$dir/node" ]; then echo "$dir"; else dirname "$(command -v "$1")"; fi
}

sys_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$sys_major" -ge "$want" ]; then
  real_node_dir node
  exit 0
fi
dir="$cache/node$want"
node="$dir/node_modules/.bin/node"
if [ ! -x "$node" ] || [ "$("$node" -p 'process.versions.node.split(".")[0]')" != "$want" ]; then
  echo "Installing Node $want from the npm registry into $dir (once)..." >&2
  mkdir -p "$dir"
  # The package fetches its platform build in a preinstall script: run it even when called from
  # an npm script in this repo, whose environment carries .npmrc's ignore-scripts.
  npm install --prefix "$dir" --no-save --no-audit --no-fund --ignore-scripts=false "node@$want" >&2
fi
real_node_dir "$node"
