#!/usr/bin/env bash
# Failover time of the controller over ten leader kills (issue 18): runs HighAvailabilityTest with
# -Dseptum.ha.kills=10 (two server JVMs on one PostgreSQL schema, nftables in network namespaces
# the test creates; each round SIGKILLs the leader mid change control) and summarises the per-kill
# times it writes. The peer in the same run: the killed server's own restart (a new JVM until it
# answers /api/health), i.e. the least a lone server without a standby is down for.
# Needs root (namespaces), nft, and PostgreSQL at SEPTUM_TEST_PG_URL, as .ci/run provides.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kills="${KILLS:-10}"
: "${SEPTUM_TEST_PG_URL:?set SEPTUM_TEST_PG_URL (jdbc:postgresql://127.0.0.1:5432/septum_test?user=...&password=...)}"
export SEPTUM_TEST_PG_URL
cd "$root"
out="septum-server/target/ha-failover.txt"
rm -f "$out"
./mvnw -B -q -o -pl septum-server -am test -Dtest=HighAvailabilityTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dseptum.ha.kills="$kills" >/tmp/septum-failover-bench.log 2>&1 \
  || { echo "HighAvailabilityTest failed; see /tmp/septum-failover-bench.log" >&2; exit 1; }
[ -s "$out" ] || { echo "no timings in $out (was the test skipped? root and SEPTUM_TEST_PG_URL are needed)" >&2; exit 1; }
echo "kills: $kills"
echo "per kill (failover_ms restart_ms):"
grep -v '^#' "$out" | tr '\n' ';'; echo
summary() { # column -> "median N max M"
  grep -v '^#' "$out" | awk -v c="$1" '{print $c}' | sort -n | awk '{v[NR]=$1} END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "median %d ms, max %d ms\n", m, v[NR] }'
}
echo "failover (SIGKILL -> the other server leads): $(summary 1)"
echo "lone server restart (new JVM -> serving):    $(summary 2)"
