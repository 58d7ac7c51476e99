#!/usr/bin/env bash
# CPU time (perf's task-clock) of whole commands, run round-robin so each sees the same minutes of a
# shared machine's load: median and minimum in ms per command. Used to weigh a start-up lever (a
# JVM flag, another cache, another class path) against the same command without it.
#
# Usage: bench/startup/cpu.sh ROUNDS 'command one' 'command two' ...    (ROUNDS 1..100)
#   e.g. bench/startup/cpu.sh 12 'bin/septum --version' 'env SEPTUM_JAVA_OPTS=-XX:TieredStopAtLevel=1 bin/septum --version'
# Each command is split on spaces (no quoting inside it); its output is discarded.
# Needs: perf (apt-get install -y linux-perf).
set -euo pipefail
rounds=${1:-}
case "$rounds" in *[!0-9]*|'') echo "usage: $0 ROUNDS 'command' ..." >&2; exit 2 ;; esac
[ "$rounds" -ge 1 ] && [ "$rounds" -le 100 ] || { echo "ROUNDS must be 1..100" >&2; exit 2; }
shift
[ $# -ge 1 ] || { echo "usage: $0 ROUNDS 'command' ..." >&2; exit 2; }
command -v perf >/dev/null || { echo "cpu.sh: missing perf (apt-get install -y linux-perf)" >&2; exit 2; }
samples=()
for ((i = 0; i < $#; i++)); do samples+=(""); done
for ((r = 0; r < rounds; r++)); do
  i=0
  for c in "$@"; do
    # shellcheck disable=SC2086
    ms=$(perf stat -x, -e task-clock $c 2>&1 >/dev/null | grep ',task-clock' | cut -d, -f1)
    [ -n "$ms" ] || { echo "cpu.sh: no task-clock for: $c" >&2; exit 1; }
    samples[i]+=" $ms"
    i=$((i + 1))
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
i=0
for c in "$@"; do
  printf '%s\n' ${samples[i]} | sort -n | awk -v c="$c" '{a[NR] = $1}
    END {printf "median %4.0f ms  min %4.0f ms  n %d  %s\n", a[int((NR + 1) / 2)], a[1], NR, c}'
  i=$((i + 1))
done
