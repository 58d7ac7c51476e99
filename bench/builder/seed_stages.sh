#!/usr/bin/env bash
# The seed's two Policy Builder stages on the store bench/builder/run.sh filled (its WORK directory):
# DNS/NTP (sessions under the monitor rule, categories zone and role, into dns_ntp_services) and the
# web-app (sessions the web-app's drop-else decided, as a new policy before it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
septum="$root/bin/septum"
work="$1"
seed="$root/examples/seed-lab-dns-ntp"
for stage in dns-ntp web-app; do
  mkdir -p "$work/seed-$stage"
  cp "$seed/inventory.yaml" "$seed/objects.yaml" "$work/seed-$stage/"
done
cp "$seed/monitor-stage/policies.yaml" "$work/seed-dns-ntp/policies.yaml"
# the web-app stage: the seed's DNS/NTP rules, and the web-app's drop-else with nothing before it yet
cp "$seed/policies.yaml" "$work/seed-web-app/policies.yaml"
cat >>"$work/seed-web-app/policies.yaml" <<'YAML'
  - name: vrf_all_home
    domain: andreas-lab-domain
    vrf: ALL
    priority: 900
    rules:
      - name: drop_all_else_web-app
        sources: [web-appserver1]
        destinations: any
        services: any
        direction: bi
        action: drop
YAML
"$septum" recommend --data-dir "$work/data" --policy "$work/seed-dns-ntp" --monitor andreas-vztx --categories zone,role \
    --into dns_ntp_services -o json >"$work/seed-dns-ntp.json"
"$septum" recommend --data-dir "$work/data" --policy "$work/seed-web-app" --rule drop_all_else_web-app --categories zone,role \
    --into vrf_all_home -o json >"$work/seed-web-app.json"
python3 - "$work" "$seed" <<'PY'
import json, sys
work, seed = sys.argv[1], sys.argv[2]
lines = open(seed + "/expected/andreasm-720xp-home.eos").read().split("\n")
first = next(i for i, l in enumerate(lines) if l.strip().startswith("match rule72"))
last = next(i for i, l in enumerate(lines) if l.strip().startswith("match ipv4-all-default"))
block = lines[first:last]
print("seed's own two DNS/NTP rules as Septum renders them: %d EOS lines (4 match blocks), %d without the '!' separators"
      % (len(block), sum(1 for l in block if l.strip() != "!")))
for stage in ("dns-ntp", "web-app"):
    r = json.load(open("%s/seed-%s.json" % (work, stage)))
    t = r["totals"]
    print("%s: %d rules %s; evidence %d sessions, %d failed attempts left out; over-permission %.3f; EOS lines added %d (%d without '!' separators); guarantees hold %s"
          % (stage, t["rules"], [(x["name"], x["sources"], x["destinations"], x["services"]) for x in r["rules"]],
             t["evidence"], t["failedAttempts"], t["overPermissionRatio"], t["configLinesAdded"], t["commandLinesAdded"], r["guarantees"]["hold"]))
PY
