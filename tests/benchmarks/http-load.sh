#!/usr/bin/env bash
# HTTP load benchmark of the single-node host through the real stack (Kestrel, JWT, SQLite), with wrk.
#   bash tests/benchmarks/http-load.sh [seconds] [connections]
# Installs wrk from Debian's packages if missing. Not part of the unit run. Prints wrk's figures for
#   GET  /api/v1/requests/{id}   and   POST /api/v1/requests   at 64 concurrent connections (default).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
DURATION="${1:-15}"
CONNECTIONS="${2:-64}"
PORT="${BENCH_PORT:-7181}"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
dotnet build -c Release functions/ApartmentManager.SingleNode -v q -nologo >/dev/null
DATA="$(mktemp -d)"
HOST_DLL=functions/ApartmentManager.SingleNode/bin/Release/net10.0/ApartmentManager.SingleNode.dll
ARGS=(--Storage:DataDirectory "$DATA" --Logging:LogLevel:Default Warning --Limits:Enabled false)  # one subject, one address: measure the API, not the rate limiter
# Pipeline work (classification, simulation, ...) would compete with the HTTP stack for the two cores; the
# benchmark measures the API itself, so the workflow engine is switched off unless BENCH_WORKFLOW=1.
[[ "${BENCH_WORKFLOW:-0}" == 1 ]] || ARGS+=(--Workflow:Engine none)
dotnet "$HOST_DLL" --urls "http://127.0.0.1:$PORT" "${ARGS[@]}" >"$DATA/host.log" 2>&1 &
HOST_PID=$!
trap 'kill $HOST_PID 2>/dev/null; wait $HOST_PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.2; done

TOKEN="$(dotnet "$HOST_DLL" token --sub bench-resident --role resident "${ARGS[@]}")"
ID="$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/requests" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d '{"building":"maple-court","unit":"4B","message":"The kitchen sink is leaking under the cabinet"}' \
  | sed -E 's/.*"id":"([^"]+)".*/\1/')"

# wrk's --latency table has no p95; a done() hook prints the figures the README reports.
REPORT='function done(summary, latency, requests)
  io.write(string.format("RESULT requests/s=%.0f p50=%.2fms p95=%.2fms p99=%.2fms errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end'
GET_LUA="$DATA/get.lua"
printf 'wrk.headers["Authorization"] = "Bearer %s"\n%s\n' "$TOKEN" "$REPORT" >"$GET_LUA"
LUA="$DATA/post.lua"
cat >"$LUA" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.body = '{"building":"maple-court","unit":"4B","message":"The hallway light flickers on the third floor"}'
$REPORT
LUA

echo "== warm-up"
wrk -t2 -c"$CONNECTIONS" -d3s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/requests/$ID" >/dev/null
echo "== GET /api/v1/requests/{id}  (${CONNECTIONS} connections, ${DURATION}s)"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$GET_LUA" "http://127.0.0.1:$PORT/api/v1/requests/$ID"
echo "== POST /api/v1/requests  (${CONNECTIONS} connections, ${DURATION}s)"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$LUA" "http://127.0.0.1:$PORT/api/v1/requests"
