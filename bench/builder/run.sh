#!/usr/bin/env bash
# The Policy Builder's benchmark (bench/RESULTS.md): Online Boutique as IPFIX -> septum collect ->
# flow store -> septum recommend at β = 0 and 0.25, scored against the ground truth beside the
# exact and group-per-port baselines built from the same stored sessions.
# Usage: bench/builder/run.sh [WORK]   (loopback only; bounded: a few thousand records, 40 s of collection)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
septum="$root/bin/septum"
work="${1:-$(mktemp -d /tmp/septum-builder-bench.XXXXXX)}"
mkdir -p "$work"
python3 "$here/boutique.py" gen "$work"
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$septum" collect --listen "127.0.0.1:$port" --data-dir "$work/data" --duration 25 --flush-interval 500 >"$work/collect.log" 2>&1 &
collector=$!
trap 'kill "$collector" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q "receiving\|listening" "$work/collect.log" 2>/dev/null && break; sleep 0.1; done
python3 "$here/boutique.py" send "$work" "$port"
wait "$collector"
trap - EXIT
"$septum" sessions --data-dir "$work/data" --raw -o json --limit 1000000 >"$work/sessions.json"
for beta in 0 0.25; do
  start=$(date +%s.%N)
  "$septum" recommend --data-dir "$work/data" --policy "$work/policy" --categories app --budget "$beta" \
      --rule drop_all_else_boutique --out "$work/out-$beta" -o json >"$work/rec-$beta.json"
  echo "recommend β=$beta: $(echo "$(date +%s.%N) - $start" | bc) s wall (JVM start included)"
done
python3 "$here/boutique.py" eval "$work" "$septum"
"$here/seed_stages.sh" "$work"
echo "work directory: $work"
