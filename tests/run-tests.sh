#!/usr/bin/env bash
# The repository's test command: every test project in Functions.sln, on any machine, without edits.
#
# The Azure Functions app (functions/ApartmentManager.Functions) and its tests need the Microsoft.Azure.Functions.Worker*
# and Microsoft.DurableTask.* packages. Where the package source serves them (nuget.org) they are used. Where it does
# not (an offline mirror), the build passes the MSBuild property UseFunctionsApiStubs=true, which compiles those two
# projects against the signature-only stubs in build/functions-api-stubs/ (compile and unit-test only; never shipped).
# The choice is made by restoring a throwaway project with the app's Functions package references.
# Force a mode with USE_FUNCTIONS_API_STUBS=true|false; extra arguments go to `dotnet test`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ -f tests/local-servers/install.sh ]]; then
  bash tests/local-servers/install.sh
fi

# True when the package source restores every Functions package the app references, at the pinned versions.
functions_packages_restore() {
  local dir refs
  dir="$(mktemp -d)"
  refs="$(grep -o '<PackageReference Include="Microsoft\.\(Azure\.Functions\|DurableTask\)[^"]*"' \
    functions/ApartmentManager.Functions/ApartmentManager.Functions.csproj | sed 's|$| />|' | tr '\n' ' ')"
  cp NuGet.config "$dir/"
  printf '<Project><Import Project="%s/Directory.Packages.props" /></Project>\n' "$root" > "$dir/Directory.Packages.props"
  printf '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework><NoWarn>NU1603</NoWarn></PropertyGroup><ItemGroup>%s</ItemGroup></Project>\n' \
    "$refs" > "$dir/probe.csproj"
  local status=0
  timeout 300 dotnet restore "$dir/probe.csproj" -nologo -v q > "$dir/restore.log" 2>&1 || status=$?
  rm -rf "$dir"
  return "$status"
}

stubs="${USE_FUNCTIONS_API_STUBS:-}"
if [[ -z "$stubs" ]]; then
  if functions_packages_restore; then stubs=false; else stubs=true; fi
fi

args=()
if [[ "$stubs" == true ]]; then
  echo "run-tests: the package source does not serve the Azure Functions packages: building the Functions app against build/functions-api-stubs (-p:UseFunctionsApiStubs=true)"
  args+=(-p:UseFunctionsApiStubs=true)
else
  echo "run-tests: the Azure Functions packages restore: building the Functions app against the real packages"
fi
exec dotnet test Functions.sln "${args[@]}" "$@"
