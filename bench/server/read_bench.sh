#!/usr/bin/env bash
# Read bench: the list endpoints at 8 connections beside /api/health (the ceiling), after storing
# VERSIONS versions (each later import is a change control with its build) and as many workspaces.
# Issue 11 asks for 1,000 req/s or more with a p99 under 50 ms.
# Usage: bench/server/read_bench.sh   (needs wrk, jq, curl; builds the jar on first run)
set -euo pipefail
source "$(dirname "$0")/common.sh"
start_server
machine
versions="${VERSIONS:-20}"
duration="${DURATION:-15}"
tok=$(token)
auth=(-H "Authorization: Bearer $tok" -H 'Content-Type: application/json')

seed=$(cd "$root/examples/seed-lab" && jq -n --arg m "seed" '{message: $m, files: {}}' \
  | jq --rawfile i inventory.yaml --rawfile o objects.yaml --rawfile p policies.yaml \
       '.files = {"inventory.yaml": $i, "objects.yaml": $o, "policies.yaml": $p}')
curl -sf "${auth[@]}" -d "$seed" "$base/api/versions" >/dev/null
for i in $(seq 2 "$versions"); do
  body=$(echo "$seed" | jq --arg n "$i" '.message = "import \($n)" | .files["policies.yaml"] |= sub("description: drop HTTP"; "description: drop HTTP \($n)")')
  curl -sf "${auth[@]}" -d "$body" "$base/api/versions" >/dev/null
done
echo "stored: $(curl -sf "${auth[@]}" "$base/api/versions?limit=1000" | jq '.versions | length') versions, $(curl -sf "${auth[@]}" "$base/api/change-controls?limit=1000" | jq '.changeControls | length') change controls, $(curl -sf "${auth[@]}" "$base/api/workspaces?limit=1000" | jq '.workspaces | length') workspaces"

echo "route: req/s p50 p99 (wrk -t2 -c8 -d${duration}s)"
for route in /api/health /api/versions /api/workspaces /api/change-controls; do
  printf '%s ' "$route"
  wrk -t2 -c8 -d"${duration}s" --latency -H "Authorization: Bearer $tok" "$base$route" | wrk_summary
done
