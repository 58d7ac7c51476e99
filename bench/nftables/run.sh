#!/usr/bin/env bash
# iperf3 throughput through an enforcing namespace, with no policy, the seed's policy, and a
# 10,000-rule policy rendered by Septum (since issue 17 a run that long renders as first-match
# region maps: one verdict-map lookup per packet, counters on its elements) against the same rules as one
# concatenated set with a single counter (the hand-written peer). Two enforcement points:
#   router: client -> router namespace (inet table, stateful: only a flow's first packet walks
#           the rules, later ones match "ct state established") -> server
#   bridge: client -> hypervisor namespace with a Linux bridge (bridge table, stateless like EOS:
#           every packet walks the rules) -> server
# Everything lives in network namespaces named sxb<pid>-*, removed on exit. Needs root, iperf3,
# nftables, iproute2, and bin/septum (builds itself on first use).
# Usage: bench/nftables/run.sh [seconds per run, default 4] [repetitions, default 3] [rules, default 10000]
set -euo pipefail
secs=${1:-4}; reps=${2:-3}; rules=${3:-10000}
root="$(cd "$(dirname "$0")/../.." && pwd)"
p="sxb$$-"
work="$(mktemp -d /tmp/septum-bench.XXXXXX)"
cleanup() {
  for ns in $(ip netns list | awk '{print $1}' | grep "^$p" || true); do
    [ -f "$work/$ns.iperf.pid" ] && kill "$(cat "$work/$ns.iperf.pid")" 2>/dev/null || true
    ip netns del "$ns"
  done
  rm -rf "$work"
}
trap cleanup EXIT

x() { ip netns exec "$@"; }
ns() { ip netns add "$p$1"; ip -n "$p$1" link set lo up; }

# --- topology: router path and bridge path, all inside namespaces ---
for n in client router server bclient hv bserver; do ns $n; done
ip link add name eth0 netns ${p}client type veth peer name r0 netns ${p}router
ip link add name eth0 netns ${p}server type veth peer name r1 netns ${p}router
ip -n ${p}client addr add 10.200.1.10/24 dev eth0; ip -n ${p}client link set eth0 up
ip -n ${p}server addr add 10.200.2.20/24 dev eth0; ip -n ${p}server link set eth0 up
ip -n ${p}router addr add 10.200.1.1/24 dev r0; ip -n ${p}router addr add 10.200.2.1/24 dev r1
ip -n ${p}router link set r0 up; ip -n ${p}router link set r1 up
ip -n ${p}client route add default via 10.200.1.1; ip -n ${p}server route add default via 10.200.2.1
x ${p}router sysctl -q -w net.ipv4.ip_forward=1
ip -n ${p}hv link add br0 type bridge; ip -n ${p}hv link set br0 up
ip link add name eth0 netns ${p}bclient type veth peer name p0 netns ${p}hv
ip link add name eth0 netns ${p}bserver type veth peer name p1 netns ${p}hv
for port in p0 p1; do ip -n ${p}hv link set $port master br0 up; done
ip -n ${p}bclient addr add 10.200.2.10/24 dev eth0; ip -n ${p}bclient link set eth0 up
ip -n ${p}bserver addr add 10.200.2.20/24 dev eth0; ip -n ${p}bserver link set eth0 up
for s in server bserver; do x $p$s iperf3 -s -D -p 5201 --pidfile "$work/$p$s.iperf.pid"; done
sleep 0.5

# --- rulesets ---
"$root/bench/nftables/gen-policy.sh" "$work/policy" "$rules"
compile_start=$(date +%s.%N)
"$root/bin/septum" compile "$work/policy" --device bench-router > "$work/router-septum.nft"
compile_secs=$(echo "$(date +%s.%N) - $compile_start" | bc)
"$root/bin/septum" compile "$work/policy" --device bench-bridge > "$work/bridge-septum.nft"
"$root/bench/nftables/sets-variant.sh" inet "$rules" > "$work/router-sets.nft"
"$root/bench/nftables/sets-variant.sh" bridge "$rules" > "$work/bridge-sets.nft"
"$root/bin/septum" lab config "$root/examples/seed-lab" > "$work/router-seed.nft"
"$root/bin/septum" lab config "$root/examples/seed-lab" --bridge proxmox-02 > "$work/bridge-seed.nft"

declare -A load_secs
apply() { # path-kind case
  local enforcer=$1 family=$2 case=$3
  x $p$enforcer nft delete table $family septum 2>/dev/null || true
  if [ "$case" != none ]; then
    local start; start=$(date +%s.%N)
    x $p$enforcer nft -f "$work/$4-$case.nft"
    load_secs[$4-$case]=$(echo "$(date +%s.%N) - $start" | bc)
  fi
}
measure() { # client-ns server-ip -> Mbit/s at the receiver
  x $p$1 iperf3 -c "$2" -p 5201 -t "$secs" -f m | awk '/receiver/ {for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i-1)}'
}

cases=(none seed septum sets)
declare -A results
# each ruleset loads once (a 10,000-rule linear chain took tens of seconds to load), then the
# two paths alternate, so a burst of load on the machine hits both alike
for c in "${cases[@]}"; do
  apply router inet "$c" router
  apply hv bridge "$c" bridge
  for rep in $(seq 1 "$reps"); do
    results[router-$c]+="$(measure client 10.200.2.20) "
    results[bridge-$c]+="$(measure bclient 10.200.2.20) "
  done
done
x ${p}router nft delete table inet septum 2>/dev/null || true
x ${p}hv nft delete table bridge septum 2>/dev/null || true

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
echo "| path | policy | Mbit/s (median of $reps x ${secs} s) | runs | ratio to no policy | nft -f load |"
echo "|---|---|---|---|---|---|"
for path in router bridge; do
  base=$(echo "${results[$path-none]}" | median)
  for c in "${cases[@]}"; do
    m=$(echo "${results[$path-$c]}" | median)
    label=$c; [ "$c" = septum ] && label="$rules rules, Septum output (region maps)"; [ "$c" = sets ] && label="$rules rules, one concatenated set"
    [ "$c" = none ] && label="no policy"; [ "$c" = seed ] && label="seed policy"
    printf "| %s | %s | %.0f | %s| %.2f | %s |\n" "$path" "$label" "$m" "${results[$path-$c]}" "$(echo "$m / $base" | bc -l)" \
      "$( [ "$c" = none ] && echo - || printf '%.2f s' "${load_secs[$path-$c]:-0}")"
  done
done
echo
echo "septum compile of the $rules-rule policy (bench-router): ${compile_secs} s"
