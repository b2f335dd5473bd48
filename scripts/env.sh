# Sourced by the scripts: puts Node >= 24 first on PATH (from the npm registry when the machine's
# node is older) and installs the locked dev dependencies when they are missing or stale.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
node_bin="$(bash scripts/node24.sh)"
export PATH="$node_bin:$PATH"
# Native addons must build against this Node's headers, not the system Node's.
source scripts/node-headers.sh
use_node_headers "$node_bin"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing dev dependencies (npm ci, about 2 minutes the first time)..." >&2
  npm ci --no-audit --no-fund >&2
fi
