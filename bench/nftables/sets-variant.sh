#!/usr/bin/env bash
# The same N drop rules as gen-policy.sh, as nftables can hold them when adjacent rules share a
# verdict: one concatenated interval set (source . destination . protocol . port) and one rule.
# Same first-match result (all N rules drop, and nothing sits between them), one lookup per packet.
# Usage: sets-variant.sh inet|bridge [N]
set -euo pipefail
family=$1; n=${2:-10000}
hooks="chain forward {
        type filter hook forward priority filter; policy accept;"
stateful=""
[ "$family" = inet ] && stateful="        ct state established,related accept"
echo "table $family septum"
echo "delete table $family septum"
echo "table $family septum {"
echo "    counter c_deny { comment \"bench/$n rules as one set\" }"
echo "    set deny {"
echo "        type ipv4_addr . ipv4_addr . inet_proto . inet_service"
echo "        flags interval"
awk -v n="$n" 'BEGIN {
  printf "        elements = { "
  for (i = 0; i < n; i++) printf "%s198.%d.%d.%d . 10.200.2.20 . tcp . %d", (i ? ", " : ""), 18 + int(i / 65536), int(i / 256) % 256, i % 256, 10000 + i
  print " }"
}'
echo "    }"
echo "    $hooks"
[ -n "$stateful" ] && echo "$stateful"
echo "        ip saddr . ip daddr . meta l4proto . th dport @deny counter name c_deny drop"
echo "    }"
echo "}"
