#!/usr/bin/env bash
# The repository's test command: every test project in Functions.sln, on any machine, without edits.
#
# The Azure Functions app (functions/ApartmentManager.Functions) always builds on the real worker, worker SDK, HTTP and
# Durable Task packages. One package, Microsoft.Azure.Functions.Worker.Extensions.ServiceBus, is not served by every
# package source (an offline mirror): where it does not restore, the build passes UseServiceBusExtensionStub=true and
# uses the attribute-only stub in build/functions-api-stubs/ (the published bundle then lacks the Service Bus
# extension; everything else is real). The choice is made by restoring a throwaway project that references it.
# Force a mode with USE_SERVICE_BUS_EXTENSION_STUB=true|false; extra arguments go to `dotnet test`.
# Then the web app's browser tests (web/tests/run.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ -f tests/local-servers/install.sh ]]; then
  bash tests/local-servers/install.sh
fi

# True when the package source restores the Service Bus worker extension at its pinned version.
service_bus_extension_restores() {
  local dir
  dir="$(mktemp -d)"
  cp NuGet.config "$dir/"
  printf '<Project><Import Project="%s/Directory.Packages.props" /></Project>\n' "$root" > "$dir/Directory.Packages.props"
  printf '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework><NoWarn>NU1603</NoWarn></PropertyGroup><ItemGroup><PackageReference Include="Microsoft.Azure.Functions.Worker.Extensions.ServiceBus" /></ItemGroup></Project>\n' \
    > "$dir/probe.csproj"
  local status=0
  timeout 300 dotnet restore "$dir/probe.csproj" -nologo -v q > "$dir/restore.log" 2>&1 || status=$?
  rm -rf "$dir"
  return "$status"
}

stub="${USE_SERVICE_BUS_EXTENSION_STUB:-}"
if [[ -z "$stub" ]]; then
  if service_bus_extension_restores; then stub=false; else stub=true; fi
fi

args=()
if [[ "$stub" == true ]]; then
  echo "run-tests: the package source does not serve Microsoft.Azure.Functions.Worker.Extensions.ServiceBus: using its attribute-only stub (-p:UseServiceBusExtensionStub=true); every other Functions package is real"
  args+=(-p:UseServiceBusExtensionStub=true)
else
  echo "run-tests: every Azure Functions package restores: building the Functions app entirely on the real packages"
fi
status=0
dotnet test Functions.sln "${args[@]}" "$@" || status=$?

# The web app in a real browser against the real single-node host (installs Chromium and its npm packages itself).
# SKIP_WEB_TESTS=1 skips it (e.g. while iterating on .NET code only).
if [[ "${SKIP_WEB_TESTS:-}" != 1 ]]; then
  bash web/tests/run.sh || status=$?
fi
exit "$status"
