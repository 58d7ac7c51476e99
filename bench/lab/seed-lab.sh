#!/usr/bin/env bash
# Wall time of the seed's lab (`septum lab run examples/seed-lab`: 21 probes in 3 scenarios with
# real namespaces, nftables and traffic). The budget used to be an assertion in SeedLabTest; a
# test on a shared machine cannot own a stopwatch, so the figure lives here and in RESULTS.md.
# Needs root, iproute2, nftables, nc, ping, and bin/septum (builds itself on first use).
# Usage: bench/lab/seed-lab.sh [runs, default 3] [budget in seconds, default 60]
# Exit 1 when a run fails its probes or exceeds the budget.
set -euo pipefail
runs=${1:-3}; budget=${2:-60}
root="$(cd "$(dirname "$0")/../.." && pwd)"
status=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s.%N)
  if ! out=$("$root/bin/septum" lab run "$root/examples/seed-lab" 2>&1); then
    echo "run $i: the lab failed"; echo "$out" | tail -20; status=1; continue
  fi
  end=$(date +%s.%N)
  summary=$(echo "$out" | tail -1)
  wall=$(echo "$end - $start" | bc)
  echo "run $i: wall ${wall} s; lab says: $summary"
  if (( $(echo "$wall > $budget" | bc) )); then
    echo "run $i: over the ${budget} s budget"; status=1
  fi
done
exit $status
