#!/usr/bin/env bash
# Installs the pinned loopback test servers (the Cosmos-protocol server and Azurite) from the lockfile.
# .ci/run calls this before `dotnet test`; the Cosmos test fixture calls it too when node_modules is missing,
# so a plain `dotnet test` works on a fresh clone. Safe to run concurrently (one install at a time).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

installed() {
  # npm writes node_modules/.package-lock.json last; older than the lockfile means the pins changed since.
  [[ -f node_modules/.package-lock.json && -f node_modules/@vercel/cosmosdb-server/package.json \
     && ! package-lock.json -nt node_modules/.package-lock.json ]]
}

if command -v flock >/dev/null 2>&1; then
  exec 9>"${TMPDIR:-/tmp}/apartment-manager-local-servers.lock"
  flock 9
fi
if [[ "${1:-}" != "--force" ]] && installed; then
  echo "local-servers: already installed"
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "local-servers: installed"
