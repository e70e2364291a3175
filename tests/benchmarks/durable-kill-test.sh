#!/usr/bin/env bash
# The Azure Storage crash test at a larger size than the unit run's (12 requests, 3 kills): the Functions app's
# orchestrator in a worker process on AzureStorageOrchestrationService over Azurite, killed mid-pipeline and restarted.
#   bash tests/benchmarks/durable-kill-test.sh [requests] [kills] [seed]
# Prints the figures line (requests, kills, resolved, lost, actions lost / carried out twice / re-sent, repeated
# activity executions, seconds). Where the package source lacks the Service Bus worker extension (tests/run-tests.sh
# says so), run with USE_SERVICE_BUS_EXTENSION_STUB=true.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export KILL_TEST_REQUESTS="${1:-40}" KILL_TEST_KILLS="${2:-6}"
[[ -n "${3:-}" ]] && export KILL_TEST_SEED="$3"
bash tests/local-servers/install.sh >/dev/null
dotnet test tests/ApartmentManager.Functions.Tests -nologo -p:UseServiceBusExtensionStub="${USE_SERVICE_BUS_EXTENSION_STUB:-false}" \
  --filter "FullyQualifiedName~AzureStorageKillTests" --logger "console;verbosity=detailed" \
  | grep -E -A3 "Azure Storage kill test|Passed |Failed |Error Message"
