#!/usr/bin/env bash
# Writes a Septum policy directory with N unidirectional drop rules (default 10000), each from
# its own /32 in 198.18.0.0/15 (the RFC 2544 benchmarking range) to the bench server on its own
# TCP port, none of which matches the benchmark flow: every packet that walks the rules walks
# all of them. Devices: bench-router (inet, stateful) and bench-bridge (bridge, stateless).
# Usage: gen-policy.sh DIR [N]
set -euo pipefail
dir=$1; n=${2:-10000}
mkdir -p "$dir"
cat > "$dir/inventory.yaml" <<YAML
domains:
  - {name: bench, devices: [bench-router, bench-bridge], vrfs: [ALL]}
devices:
  - {name: bench-router, platform: nftables, tags: [inet]}
  - {name: bench-bridge, platform: nftables, tags: [bridge]}
YAML
awk -v n="$n" 'BEGIN {
  print "groups:"
  print "  - {name: bench_server, prefixes: [10.200.2.20]}"
  for (i = 0; i < n; i++) printf "  - {name: src%05d, prefixes: [198.%d.%d.%d]}\n", i, 18 + int(i / 65536), int(i / 256) % 256, i % 256
  print "services:"
  for (i = 0; i < n; i++) printf "  - {name: port%05d, protocol: tcp, destination: %d}\n", i, 10000 + i
}' > "$dir/objects.yaml"
awk -v n="$n" 'BEGIN {
  print "policies:"
  print "  - name: bench"
  print "    domain: bench"
  print "    rules:"
  for (i = 0; i < n; i++) printf "      - {name: r%05d, sources: [src%05d], destinations: [bench_server], services: [port%05d], action: drop}\n", i, i, i
}' > "$dir/policies.yaml"
