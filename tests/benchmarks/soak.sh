#!/usr/bin/env bash
# Soak benchmark of the single-node host in webhook mode (not part of the unit run):
#   bash tests/benchmarks/soak.sh [messages=1000] [kills=20] [failureRate=0.3]
# Receivers in the benchmark process answer 503 to failureRate of the calls; every message is posted to the intake
# queue twice; the host is SIGKILLed and restarted `kills` times. Prints lost, duplicated, unsettled and
# double-executed (see tests/ApartmentManager.Benchmarks/Soak/SoakRun.cs). SOAK_SETTLE_MINUTES (15) bounds the drain.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
dotnet build -c Release tests/ApartmentManager.Benchmarks -v q -nologo >/dev/null
dotnet tests/ApartmentManager.Benchmarks/bin/Release/net10.0/ApartmentManager.Benchmarks.dll soak "${1:-1000}" "${2:-20}" "${3:-0.3}"
