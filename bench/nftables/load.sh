#!/usr/bin/env bash
# nft -f load time of Septum's output for the N-rule bench policy (gen-policy.sh) against the same
# rules as one concatenated set (sets-variant.sh), alternating, R rounds, medians; plus `nft -c -f`
# of Septum's output (the deploy driver's check: the kernel builds the whole transaction, then
# aborts it, so it costs about as much as the load). One bridge
# table in a namespace sxl<pid> of its own, removed on exit. Needs root, nftables, bin/septum.
# Usage: bench/nftables/load.sh [rules, default 10000] [rounds, default 5]
set -euo pipefail
rules=${1:-10000}; rounds=${2:-5}
root="$(cd "$(dirname "$0")/../.." && pwd)"
ns="sxl$$"
work="$(mktemp -d /tmp/septum-load.XXXXXX)"
cleanup() { ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ip netns add "$ns"
"$root/bench/nftables/gen-policy.sh" "$work/policy" "$rules"
"$root/bin/septum" compile "$work/policy" --device bench-bridge > "$work/septum.nft"
"$root/bench/nftables/sets-variant.sh" bridge "$rules" > "$work/sets.nft"
secs() { local start; start=$(date +%s.%N); "$@" > /dev/null; echo "$(date +%s.%N) - $start" | bc; }
declare -A times
for r in $(seq 1 "$rounds"); do
  for c in septum sets; do
    ip netns exec "$ns" nft delete table bridge septum 2>/dev/null || true
    times[$c]+="$(secs ip netns exec "$ns" nft -f "$work/$c.nft") "
  done
  ip netns exec "$ns" nft delete table bridge septum 2>/dev/null || true
  times[check]+="$(secs ip netns exec "$ns" nft -c -f "$work/septum.nft") "
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
echo "| ruleset | median s | runs |"
echo "|---|---|---|"
for c in septum sets check; do
  label=$c; [ "$c" = septum ] && label="$rules rules, Septum output, nft -f"
  [ "$c" = sets ] && label="$rules rules, one concatenated set, nft -f"; [ "$c" = check ] && label="$rules rules, Septum output, nft -c -f"
  printf "| %s | %.2f | %s|\n" "$label" "$(echo "${times[$c]}" | median)" "${times[$c]}"
done
echo
echo "elements per map: $(grep -c ' : drop' "$work/septum.nft" || true)"
