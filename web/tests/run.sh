#!/usr/bin/env bash
# The web app's checks, run by tests/run-tests.sh after the .NET tests (which build the single-node host):
#  1. installs what they need: Debian's chromium (apt, when missing and we are root) and the pinned npm packages;
#  2. type-checks the sources and fails when the committed web/dist differs from a fresh build;
#  3. drives the real host in real Chromium (playwright-core, no browser download): node's test runner.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root/web"

if [[ -z "${CHROMIUM_PATH:-}" ]] && ! command -v chromium >/dev/null 2>&1; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "web-tests: installing Debian's chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "web-tests: Chromium is missing: run 'sudo apt-get install -y chromium' (or set CHROMIUM_PATH) and try again" >&2
    exit 1
  fi
fi

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npx --no-install tsc --noEmit -p .
node build.mjs --check

# The host the browser talks to (already built by `dotnet test`; this is a no-op then).
if [[ -z "${HOST_DLL:-}" ]]; then
  dotnet build "$root/functions/ApartmentManager.SingleNode/ApartmentManager.SingleNode.csproj" -nologo -v q -clp:ErrorsOnly
fi
node --test --test-reporter=spec tests/browser.test.mjs
