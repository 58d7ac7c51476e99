#!/usr/bin/env bash
# Start-up benchmark (issue 17): `bin/septum compile examples/seed-lab` against a bare `java -version`
# of the same JDK, in one hyperfine run. BASE=/path/to/another/launcher adds that launcher's compile
# to the same run (e.g. a copy of bin/septum pointing at the jar of an earlier build), so before and
# after are measured side by side. CPU time (user+sys) is printed too: on a shared machine it moves
# much less than wall time.
#
# The last lines give each command's median wall time and its ratio to the bare `java -version`'s
# median (medians: on a shared machine a few runs stall behind other work and pull the mean).
#
# Usage: bench/startup/run.sh [RUNS]      (default 20)
# Needs: hyperfine (apt-get install -y hyperfine), jq, a JDK 25, the built jars and the AOT cache
#        (./mvnw -B -q package -DskipTests).
set -euo pipefail
runs=${1:-20}
case "$runs" in *[!0-9]*|'') echo "usage: $0 [RUNS]" >&2; exit 2 ;; esac
[ "$runs" -ge 2 ] && [ "$runs" -le 200 ] || { echo "RUNS must be 2..200" >&2; exit 2; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
command -v hyperfine >/dev/null || { echo "run.sh: missing hyperfine (apt-get install -y hyperfine)" >&2; exit 2; }
command -v jq >/dev/null || { echo "run.sh: missing jq (apt-get install -y jq)" >&2; exit 2; }
[ -f "$root/septum-cli/target/septum-cli.jar" ] || { echo "run.sh: build the jars first: ./mvnw -B -q package -DskipTests" >&2; exit 2; }
[ -f "$root/septum-cli/target/septum.aot" ] || echo "run.sh: note: no AOT cache beside the jar (built with -Dseptum.aot.skip?)" >&2
java=""
for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
  if [ -n "$d" ] && [ -x "$d/bin/java" ] && grep -qE '^JAVA_VERSION="(2[5-9]|[3-9][0-9])' "$d/release" 2>/dev/null; then
    java="$d/bin/java"; break
  fi
done
[ -n "$java" ] || { echo "run.sh: needs a JDK 25 (JAVA_HOME)" >&2; exit 2; }
echo "machine: nproc $(nproc), kernel $(uname -r), CPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $("$java" -version 2>&1 | head -1), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$root"
commands=("$java -version" "bin/septum compile examples/seed-lab")
if [ -n "${BASE:-}" ]; then
  commands+=("$BASE compile examples/seed-lab")
fi
table=$(mktemp)
json=$(mktemp)
trap 'rm -f "$table" "$json"' EXIT
hyperfine -N --style basic -w 3 -r "$runs" --export-markdown "$table" --export-json "$json" "${commands[@]}" 2>&1 | grep -v '^ *Warning\|^$'
cat "$table"
jq -r '.results[0].median as $base | .results[]
  | "median \(.median * 1000 | round) ms  (min \(.min * 1000 | round), max \(.max * 1000 | round))  \(.median / $base * 100 | round / 100)x  \(.command)"' "$json"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
