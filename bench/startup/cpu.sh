#!/usr/bin/env bash
# CPU time (perf's task-clock) and wall time (perf's duration_time) of whole commands, run
# round-robin so each sees the same minutes of a shared machine's load: median and minimum in ms
# per command, and each median as a ratio to the first command's. Used to weigh a start-up lever (a
# JVM flag, another cache, another class path) against the same command without it, and for the
# start-up target's ratio to a bare `java -version` where hyperfine (bench/startup/run.sh), which
# runs one command's runs back to back, sees the load change between commands.
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
cpu=() wall=()
for ((i = 0; i < $#; i++)); do cpu+=(""); wall+=(""); done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 0; r < rounds; r++)); do
  i=0
  for c in "$@"; do
    # shellcheck disable=SC2086
    stat=$(perf stat -x, -e task-clock,duration_time $c 2>&1 >/dev/null)
    ms=$(grep ',task-clock' <<<"$stat" | cut -d, -f1)
    ns=$(grep ',duration_time' <<<"$stat" | cut -d, -f1)
    [ -n "$ms" ] && [ -n "$ns" ] || { echo "cpu.sh: no task-clock or duration_time for: $c" >&2; exit 1; }
    cpu[i]+=" $ms"
    wall[i]+=" $((ns / 1000))"
    i=$((i + 1))
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
median() { printf '%s\n' $1 | sort -n | awk -v scale="$2" '{a[NR] = $1} END {printf "%.1f %.1f", a[int((NR + 1) / 2)] / scale, a[1] / scale}'; }
read -r cpu0 _ <<<"$(median "${cpu[0]}" 1)"
read -r wall0 _ <<<"$(median "${wall[0]}" 1000)"
i=0
for c in "$@"; do
  read -r cm cmin <<<"$(median "${cpu[i]}" 1)"
  read -r wm wmin <<<"$(median "${wall[i]}" 1000)"
  awk -v cm="$cm" -v cmin="$cmin" -v wm="$wm" -v wmin="$wmin" -v c0="$cpu0" -v w0="$wall0" -v n="$rounds" -v c="$c" 'BEGIN {
    printf "cpu median %4.0f ms  min %4.0f (%.2fx)   wall median %4.0f ms  min %4.0f (%.2fx)  n %d  %s\n",
      cm, cmin, cm / c0, wm, wmin, wm / w0, n, c}'
  i=$((i + 1))
done
