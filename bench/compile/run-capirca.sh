#!/usr/bin/env bash
# Compile benchmark, Septum vs Capirca (issue 3): the same N-rule policy (bench/compile/gen.py)
# compiled to Arista EOS traffic-policy config by `bin/septum compile` and by Capirca's `aclgen`
# (arista_tp generator, Debian package python3-capirca), RUNS times each, alternating the two
# tools. Every run is a fresh process (a new JVM, a new Python interpreter) writing into an
# empty output directory; the file cache is warm from the untimed validation runs before.
# Timing: /usr/bin/time (wall seconds, peak RSS of the largest process, user+sys CPU seconds);
# hyperfine is not used because it does not report memory.
#
# Usage: bench/compile/run-capirca.sh [N] [RUNS]      (defaults 10000 and 3)
# Env:   SEPTUM=/path/to/launcher times another launcher than bin/septum (an earlier build, for
#        before/after); KEEP=1 keeps the work directory; CAPIRCA_RENDERERS (default 1) is aclgen's
#        --max_renderers (one policy file, so 1 renders it in aclgen's own process instead
#        of a pool of 10 forked workers that would sit idle).
# Needs: python3, python3-capirca (aclgen), GNU time (/usr/bin/time), JDK 25 and the built
#        jar septum-cli/target/septum.jar. No network.
set -euo pipefail

n=${1:-10000}
runs=${2:-3}
renderers=${CAPIRCA_RENDERERS:-1}
case "$n$runs" in *[!0-9]*|'') echo "usage: $0 [N] [RUNS]" >&2; exit 2 ;; esac
[ "$runs" -ge 1 ] && [ "$runs" -le 50 ] || { echo "RUNS must be 1..50" >&2; exit 2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
septum="${SEPTUM:-$root/bin/septum}"
jar="$root/septum-cli/target/septum.jar"

need() { command -v "$1" >/dev/null 2>&1 || { echo "run-capirca.sh: missing $1 ($2)" >&2; exit 2; }; }
need python3 "apt-get install -y python3"
need aclgen "apt-get install -y python3-capirca"
[ -x /usr/bin/time ] || { echo "run-capirca.sh: missing /usr/bin/time (apt-get install -y time)" >&2; exit 2; }
[ -f "$jar" ] || { echo "run-capirca.sh: $jar is missing; build it first: ./mvnw -q -B -DskipTests package" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/septum-bench-compile.XXXXXX")
cleanup() { if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

echo "## versions"
dpkg -s python3-capirca 2>/dev/null | grep '^Version' | sed 's/^/python3-capirca /' || echo "python3-capirca: not a dpkg package here"
python3 --version
echo "java -version (default java on PATH):"
java -version 2>&1 | sed 's/^/  /' || true
# the JDK bin/septum picks (same search order as bin/septum)
for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
  if [ -n "$d" ] && [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
    echo "java -version (the JDK bin/septum runs, $d):"; "$d/bin/java" -version 2>&1 | sed 's/^/  /'; break
  fi
done
echo "septum $("$septum" --version 2>&1 | head -1)"
echo "machine: nproc $(nproc), kernel $(uname -r), CPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "load before: $(uptime)"
echo

echo "## generate and validate (untimed)"
python3 "$root/bench/compile/gen.py" "$n" "$work/policy"
"$septum" validate "$work/policy/septum" | tail -1
"$septum" compile "$work/policy/septum" --out-dir "$work/check-septum" >/dev/null
aclgen --base_directory "$work/policy/capirca" --definitions_directory "$work/policy/capirca/def" \
  --output_directory "$work/check-capirca" --max_renderers "$renderers" >"$work/check-capirca.log" 2>&1 \
  || { echo "aclgen failed:" >&2; cat "$work/check-capirca.log" >&2; exit 1; }
if grep -E '^[EF][0-9]{4} |Traceback|error' "$work/check-capirca.log" >&2; then
  echo "aclgen reported errors (above)" >&2; exit 1
fi
[ -s "$work/check-capirca/bench.atp" ] || { echo "aclgen wrote no bench.atp" >&2; cat "$work/check-capirca.log" >&2; exit 1; }
s_match=$(grep -c '^ *match ' "$work/check-septum/sw1.eos")
c_match=$(grep -c '^ *match ' "$work/check-capirca/bench.atp")
echo "septum: ok, $s_match matches in sw1.eos (incl. the ipv4/ipv6 default matches)"
echo "capirca: ok, $c_match matches in bench.atp"
echo

echo "## timed runs ($runs each, alternating)"
: >"$work/times"
for i in $(seq 1 "$runs"); do
  out="$work/out-septum-$i"
  /usr/bin/time -f '%e %M %U %S' -o "$work/t" "$septum" compile "$work/policy/septum" --out-dir "$out" >/dev/null
  echo "septum $i $(cat "$work/t") $(wc -l <"$out/sw1.eos")" | tee -a "$work/times"
  out="$work/out-capirca-$i"
  /usr/bin/time -f '%e %M %U %S' -o "$work/t" aclgen --base_directory "$work/policy/capirca" \
    --definitions_directory "$work/policy/capirca/def" --output_directory "$out" \
    --max_renderers "$renderers" >/dev/null 2>&1
  echo "capirca $i $(cat "$work/t") $(wc -l <"$out/bench.atp")" | tee -a "$work/times"
done
echo "load after: $(uptime)"
echo

python3 - "$work/times" "$n" "$runs" "$renderers" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
n, runs, renderers = sys.argv[2], sys.argv[3], sys.argv[4]
res = {}
for tool, _, e, rss, u, s, lines in rows:
    r = res.setdefault(tool, {"e": [], "rss": [], "cpu": [], "lines": set()})
    r["e"].append(float(e)); r["rss"].append(int(rss)); r["cpu"].append(float(u) + float(s))
    r["lines"].add(int(lines))
cmd = {"septum": "bin/septum compile DIR/septum --out-dir OUT",
       "capirca": "aclgen --base_directory DIR/capirca --definitions_directory DIR/capirca/def "
                  "--output_directory OUT --max_renderers %s" % renderers}
print("## result: %s rules, median of %s runs" % (n, runs))
print()
print("| tool | median s | runs s | peak RSS MB (median) | CPU s user+sys (median) | output lines |")
print("|---|---|---|---|---|---|")
med = {}
for tool in ("septum", "capirca"):
    r = res[tool]
    med[tool] = statistics.median(r["e"])
    print("| %s | %.2f | %s | %.0f | %.2f | %s |" % (
        tool, med[tool], " ".join("%.2f" % x for x in r["e"]),
        statistics.median(r["rss"]) / 1024, statistics.median(r["cpu"]),
        " ".join(str(x) for x in sorted(r["lines"]))))
print()
print("ratio capirca/septum (median wall time): %.2f" % (med["capirca"] / med["septum"]))
for tool in ("septum", "capirca"):
    print("  %s: %s" % (tool, cmd[tool]))
PY
