#!/bin/bash
# Runs the comparison ladder: nfcapd, Septum mode A and mode B on the same ipfixgen.py stream.
# usage: ladder.sh "RATES" RUNS SECONDS      e.g. ladder.sh "25000 50000 100000" 3 4
# Raises net.core.rmem_max to 32 MiB for the run (both collectors request 16 MiB) and restores it.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
RATES=${1:-"25000 50000 100000"}; RUNS=${2:-3}; SECS=${3:-4}
OLD=$(cat /proc/sys/net/core/rmem_max)
trap 'sysctl -qw net.core.rmem_max=$OLD' EXIT
sysctl -qw net.core.rmem_max=33554432
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $RATES; do
  for i in $(seq 1 $RUNS); do
    echo "nfcapd rate_msgs=$r run=$i $(GEN=$HERE/ipfixgen.py PORT=${PORT:-9995} timeout 120 "$HERE/bench_nfcapd.sh" $((r*SECS)) $r 20 16777216 | tail -1) load=$(cut -d' ' -f1 /proc/loadavg)"
    for m in A B; do
      echo "septum $(PORT=${PORT:-9995} timeout 180 "$HERE/bench_collector.sh" $m $((r*SECS)) $r 20 | tail -1 | sed 's/ gen=\[.*//') run=$i load=$(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
