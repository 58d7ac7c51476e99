#!/usr/bin/env bash
# Web UI page bench: each page of the seed lab rendered RUNS times over one browser session, beside
# /api/health (the server's floor in the same run); then a policy of 10,000 more rules in a
# workspace, its rule list's last page: the first request (parses the policy) and the next ones
# (the parsed rules kept for the revision). Issue 14 asks for a seed-lab page under 200 ms.
# Usage: bench/ui/pages.sh   (needs curl, jq, python3; builds the jar on first run)
set -euo pipefail
source "$(dirname "$0")/../server/common.sh"
runs="${RUNS:-30}"
rules="${RULES:-10000}"
start_server
machine
tok=$(token)
auth=(-H "Authorization: Bearer $tok" -H 'Content-Type: application/json')
seed=$(cd "$root/examples/seed-lab" && jq -n '{message: "seed", files: {}}' \
  | jq --rawfile i inventory.yaml --rawfile o objects.yaml --rawfile p policies.yaml \
       '.files = {"inventory.yaml": $i, "objects.yaml": $o, "policies.yaml": $p}')
curl -sf "${auth[@]}" -d "$seed" "$base/api/versions" >/dev/null
ws=$(curl -sf "${auth[@]}" -d '{"name": "bench"}' "$base/api/workspaces" | jq -r '.workspace.id // .id')

# a browser session: the pages take its cookies, as a browser sends them
jar="$data/cookies"
curl -sf -c "$jar" -H 'Content-Type: application/json' -d "{\"name\": \"admin\", \"password\": \"$admin_password\"}" \
  "$base/api/session" >/dev/null

# "median p90 max" in ms of RUNS requests of one path (after one warm-up request)
timed() {
  local path="$1" code
  code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$base$path")
  [ "$code" = 200 ] || { echo "$path answered $code" >&2; exit 1; }
  for _ in $(seq 1 "$runs"); do
    curl -s -o /dev/null -w '%{time_total}\n' -b "$jar" "$base$path"
  done | sort -n | awk '{t[NR]=$1*1000} END {printf "%.1f %.1f %.1f\n", t[int((NR+1)/2)], t[int(NR*0.9)], t[NR]}'
}

echo "page: median p90 max (ms, $runs requests each, curl over loopback)"
for path in /api/health / "/workspaces/$ws/objects/groups" "/workspaces/$ws/policies/vrf_all_home/rules" \
    "/workspaces/$ws/review" /change-controls /monitor /verify /versions/1/verify/check /versions/1/verify/reach \
    "/versions/1/verify/trace?src=172.18.6.20&dst=10.100.99.51&proto=tcp&dport=80" /flows /flows/sessions; do
  if [ "$path" = "/workspaces/$ws/review" ]; then
    curl -sf "${auth[@]}" -X POST "$base/api/workspaces/$ws/build" >/dev/null
  fi
  printf '%s %s\n' "$path" "$(timed "$path")"
done

python3 "$(dirname "$0")/gen_rules.py" "$rules" "$root/examples/seed-lab/policies.yaml" >"$data/policies.yaml"
etag=$(curl -sf -D - -o /dev/null "${auth[@]}" "$base/api/workspaces/$ws/files/policies.yaml" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r')
code=$(curl -s -o "$data/put.json" -w '%{http_code}' -H "Authorization: Bearer $tok" -X PUT -H 'Content-Type: application/yaml' -H "If-Match: $etag" \
  --data-binary @"$data/policies.yaml" "$base/api/workspaces/$ws/files/policies.yaml")
[ "$code" = 200 ] || { echo "storing the policy of $rules more rules answered $code: $(head -c 600 "$data/put.json")" >&2; exit 1; }
total=$((rules + 7))
last=$(( (total + 99) / 100 ))
path="/workspaces/$ws/policies/vrf_all_home/rules?page=$last"
first=$(curl -s -o "$data/last.html" -w '%{time_total}' -b "$jar" "$base$path" | awk '{printf "%.1f", $1*1000}')
grep -q "rules $(( (last - 1) * 100 + 1 ))–$total of $total" "$data/last.html" || { echo "the last page does not list rules up to $total" >&2; exit 1; }
echo "policy of $total rules, last page ($last): first request ${first} ms (parses the policy)"
printf '%s %s\n' "$path" "$(timed "$path")"
printf 'page 1 %s\n' "$(timed "/workspaces/$ws/policies/vrf_all_home/rules")"
