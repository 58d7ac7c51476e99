#!/usr/bin/env python3
"""The Policy Builder's benchmark estate: Online Boutique on an EOS switch, as IPFIX.

  boutique.py gen  WORK            the policy directory (WORK/policy) and the ground truth (WORK/gt.json)
  boutique.py send WORK PORT       the estate's sessions as IPFIX biflow records to 127.0.0.1:PORT
  boutique.py eval WORK SEPTUM     scores the proposals in WORK/rec-*.json against the ground truth,
                                   beside two baselines built from the same stored sessions

Services, ports and calls are Online Boutique's (microservices-demo release manifests): frontend
8080, productcatalog 3550, currency 7000, cart 7070, recommendation 8080, shipping 50051, checkout
5050, ad 9555, payment 50051, email 8080, redis-cart 6379, loadgenerator; plus internet -> frontend
and DNS (udp 53) from every workload. Traps: 8080 is frontend's, recommendation's and email's; 50051
is shipping's and payment's. Noise: a SYN scanner (no replies), refused connections (SYN, RST) to
ports nobody serves. Client ports are ephemeral (Linux 32768-60999, Windows 49152-65535). Seeded,
deterministic, bounded: a few thousand records at a bounded rate, to loopback only.
"""
import ipaddress
import json
import os
import random
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "flows"))
import ipfixgen  # noqa: E402  the repository's IPFIX template (biflow, RFC 5103 reverse counters)

SERVICES = {  # name: (replicas, port, tier)
    "frontend": (3, 8080, "web"), "productcatalog": (2, 3550, "app"), "currency": (2, 7000, "app"),
    "cart": (2, 7070, "app"), "recommendation": (2, 8080, "app"), "shipping": (2, 50051, "app"),
    "checkout": (2, 5050, "app"), "ad": (1, 9555, "app"), "payment": (2, 50051, "app"), "email": (1, 8080, "app"),
    "redis-cart": (1, 6379, "data"), "loadgenerator": (1, None, "web"), "dns": (2, 53, "infra"),
}
CALLS = [("loadgenerator", "frontend"), ("internet", "frontend")] + [("frontend", s) for s in (
    "productcatalog", "currency", "cart", "recommendation", "shipping", "checkout", "ad")] + [
    ("recommendation", "productcatalog")] + [("checkout", s) for s in (
        "productcatalog", "shipping", "payment", "email", "currency", "cart")] + [("cart", "redis-cart")]
INTERNET = ["203.0.113.0/24", "198.51.100.0/24"]
SCANNER = "10.10.250.66"


def addresses():
    out = {}
    for k, (name, (replicas, _, _)) in enumerate(SERVICES.items()):
        out[name] = ["10.10.%d.%d" % (k + 1, r + 10) for r in range(replicas)]
    return out


def internet_clients(rnd):
    nets = [list(ipaddress.ip_network(n).hosts()) for n in INTERNET]
    return sorted({str(rnd.choice(rnd.choice(nets))) for _ in range(40)})


def gen(work):
    os.makedirs(os.path.join(work, "policy"), exist_ok=True)
    addr = addresses()
    with open(os.path.join(work, "policy", "inventory.yaml"), "w") as f:
        f.write("domains:\n  - name: boutique\n    devices: [boutique-tor]\n    vrfs: [ALL]\n\n"
                "devices:\n  - name: boutique-tor\n    platform: eos\n    role: switch\n    loopback: 10.255.0.1\n")
    with open(os.path.join(work, "policy", "objects.yaml"), "w") as f:
        f.write("groups:\n")
        for name, (_, _, tier) in SERVICES.items():
            f.write("  - name: %s\n    prefixes: [%s]\n    categories: {app: %s, tier: %s}\n"
                    % (name, ", ".join(addr[name]), name, tier))
        f.write("  - name: internet\n    prefixes: [%s]\n    categories: {app: internet, tier: outside}\n" % ", ".join(INTERNET))
        f.write("  - name: boutique\n    prefixes: [10.10.0.0/16]\n")
    with open(os.path.join(work, "policy", "policies.yaml"), "w") as f:
        f.write("policies:\n  - name: boutique\n    domain: boutique\n    vrf: ALL\n    rules:\n"
                "      - name: drop_all_else_boutique\n        sources: any\n        destinations: [boutique]\n"
                "        services: any\n        direction: bi\n        action: drop\n")
    rnd = random.Random(12)
    gt = set()
    inet = [str(a) for n in INTERNET for a in ipaddress.ip_network(n)]
    for c, s in CALLS + [(w, "dns") for w in SERVICES if w != "dns"]:
        clients = inet if c == "internet" else addr[c]
        proto = 17 if s == "dns" else 6
        for ca in clients:
            for sa in addr[s]:
                gt.add((ca, sa, proto, SERVICES[s][1]))
    with open(os.path.join(work, "gt.json"), "w") as f:
        json.dump({"gt": sorted(gt), "internet": internet_clients(rnd)}, f)


def sessions(work):
    """(client, client port, server, server port, proto, flags, reverse packets) of every session, seeded."""
    rnd = random.Random(7)
    addr = addresses()
    with open(os.path.join(work, "gt.json")) as f:
        inet = json.load(f)["internet"]
    used = set()

    def eph():
        while True:
            p = rnd.randint(32768, 60999) if rnd.random() < 0.7 else rnd.randint(49152, 65535)
            if p not in used:
                used.add(p)
                return p
    out = []
    for c, s in CALLS + [(w, "dns") for w in SERVICES if w != "dns"]:
        clients = inet if c == "internet" else addr[c]
        proto = 17 if s == "dns" else 6
        for ca in clients:
            for sa in addr[s]:
                for _ in range(rnd.randint(2, 12) if c != "internet" else 1):
                    out.append((ca, eph(), sa, SERVICES[s][1], proto, 0 if proto == 17 else 0x1B, 1))
    for target in ["frontend", "payment", "redis-cart"]:  # a SYN scan with no replies
        for port in range(1, 201):
            out.append((SCANNER, 40000, addr[target][0], port, 6, 0x02, 0))
    for k in range(20):  # refused connections to a port nobody serves
        out.append((addr["frontend"][k % 3], eph(), addr["cart"][k % 2], 7071, 6, 0x06, 1))
    return out + seed_sessions(eph)


def seed_sessions(eph):
    """The seed lab's two builder stages: wifi clients' DNS and NTP; the web-app's HTTP, SSH and appserver1 calls."""
    out = []
    for c in range(20, 40):
        for server in ("10.100.1.6", "10.100.1.7"):
            out += [("172.18.6.%d" % c, eph(), server, port, 17, 0, 1) for port in (53, 123)]
        for web in ("10.100.99.51", "10.100.99.52"):
            out += [("172.18.6.%d" % c, eph(), web, port, 6, 0x1B, 1) for port in (80, 22)]
    out += [(web, eph(), "10.100.99.50", 4567, 6, 0x1B, 1) for web in ("10.100.99.51", "10.100.99.52") for _ in range(10)]
    out += [("172.18.6.66", 40001, "10.100.99.50", port, 6, 0x02, 0) for port in range(1, 101)]  # a scan of appserver1
    return out


def send(work, port):
    rows = sessions(work)
    now = int(time.time() * 1000)
    tset = ipfixgen.template_set(False)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect(("127.0.0.1", port))
    seq = 0
    for i in range(0, len(rows), 20):
        body = b""
        for (ca, cp, sa, sp, proto, flags, rev) in rows[i:i + 20]:
            start = now - 60000 + (seq % 30000)
            body += socket.inet_aton(ca) + socket.inet_aton(sa) + struct.pack(
                "!HHBBBIQQQQQQ", cp, sp, proto, flags, 3 if proto == 6 else 1, 0, 200, 2, start, start + 100, 300 * rev, 2 * rev)
        data = struct.pack("!HH", 256, 4 + len(body)) + body
        payload = tset + data
        s.send(struct.pack("!HHIII", 10, 16 + len(payload), int(time.time()), seq, 1) + payload)
        seq += len(rows[i:i + 20])
        time.sleep(0.002)  # bounded rate: about 10 000 records/s
    print("sent %d records" % seq)


# ---------------------------------------------------------------- evaluation

def load_yaml(path):
    import yaml
    with open(path) as f:
        return yaml.safe_load(f) or {}


def port_set(entry):
    d = entry.get("destination", "all")
    if isinstance(d, int):
        return {d}
    d = str(d)
    names = {"domain": 53, "ntp": 123, "www": 80, "ssh": 22}
    if d in names:
        return {names[d]}
    out = set()
    for part in d.replace(" ", "").split(","):
        if "-" in part:
            a, b = part.split("-")
            out |= set(range(int(a), int(b) + 1))
        else:
            out.add(int(part))
    return out


def expand(prefixes):
    out = set()
    for p in prefixes:
        n = ipaddress.ip_network(str(p), strict=False)
        out |= {str(a) for a in n} if n.num_addresses > 1 else {str(n.network_address)}
    return out


def allowed(policy_dir, policy_name):
    """(src, dst, proto, port) the named policy's forward rules allow, from the YAML files."""
    groups, services, rules = {}, {}, []
    for f in sorted(os.listdir(policy_dir)):
        doc = load_yaml(os.path.join(policy_dir, f))
        for g in doc.get("groups", []) or []:
            groups[g["name"]] = expand(g.get("prefixes", []))
        for s in doc.get("services", []) or []:
            entries = s.get("entries") or [s]
            services[s["name"]] = [({"tcp": 6, "udp": 17}[str(e["protocol"])], port_set(e)) for e in entries]
        for p in doc.get("policies", []) or []:
            if p["name"] == policy_name:
                rules += [r for r in p.get("rules", []) if r.get("action") == "forward"]
    out = set()
    for r in rules:
        for sg in r["sources"]:
            for dg in r["destinations"]:
                for sv in r["services"]:
                    for proto, ports in services[sv]:
                        for a in groups[sg]:
                            for b in groups[dg]:
                                for port in ports:
                                    out.add((a, b, proto, port))
    return out, len(rules)


def eos_lines(septum, policy_dir, extra, work, tag):
    """EOS lines the extra files add to the switch's config, compiled by septum."""
    import shutil
    d = os.path.join(work, "compile-" + tag)
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(policy_dir, d)
    out = {}
    for name, text in extra.items():
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
    for which, directory in (("base", policy_dir), ("with", d)):
        o = os.path.join(work, "eos-%s-%s" % (tag, which))
        r = subprocess.run([septum, "compile", directory, "--out-dir", o], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("compile %s failed: %s" % (directory, r.stderr))
        out[which] = sum(1 for _ in open(os.path.join(o, "boutique-tor.eos")))
    return out["with"] - out["base"]


def baseline_yaml(rules, groups):
    """A policy 'baseline' before the drop-else: rules as (name, [groups], [groups], proto, port)."""
    services = sorted({(p, port) for (_, _, _, p, port) in rules})
    y = ("groups:\n" if groups else "") + "".join("  - name: %s\n    prefixes: [%s]\n" % (g, ", ".join(sorted(a))) for g, a in sorted(groups.items()))
    y += "services:\n" + "".join("  - name: %s-%d\n    protocol: %s\n    destination: %d\n"
                                 % ({6: "tcp", 17: "udp"}[p], port, {6: "tcp", 17: "udp"}[p], port) for p, port in services)
    y += "policies:\n  - name: baseline\n    domain: boutique\n    vrf: ALL\n    priority: 10\n    rules:\n"
    for name, src, dst, p, port in rules:
        y += ("      - name: %s\n        sources: [%s]\n        destinations: [%s]\n        services: [%s-%d]\n"
              "        direction: bi\n        action: forward\n") % (name, ", ".join(src), ", ".join(dst), {6: "tcp", 17: "udp"}[p], port)
    return y


def evaluate(work, septum):
    with open(os.path.join(work, "gt.json")) as f:
        gt = {tuple(x) for x in json.load(f)["gt"]}
    policy = os.path.join(work, "policy")
    objects = load_yaml(os.path.join(policy, "objects.yaml"))
    member = {}
    for g in objects["groups"]:
        if "categories" in g:
            for a in expand(g["prefixes"]):
                member.setdefault(a, g["name"])
    with open(os.path.join(work, "sessions.json")) as f:
        stored = json.load(f)
    stored = stored.get("sessions", stored) if isinstance(stored, dict) else stored
    boutique = [ipaddress.ip_network("10.10.0.0/16")]
    legit = [s for s in stored if s["state"] == "complete" and any(ipaddress.ip_address(s["server"]) in n for n in boutique)]
    observed = {(s["client"], s["server"], {"tcp": 6, "udp": 17}[s["proto"]], s["server_port"]) for s in legit}
    rows = []

    def score(name, allow, nrules, lines, note=""):
        recall_s = sum(1 for s in legit if (s["client"], s["server"], {"tcp": 6, "udp": 17}[s["proto"]], s["server_port"]) in allow) / len(legit)
        recall_gt = len(gt & allow) / len(gt)
        over = len(allow - gt)
        svc_over = len({(member.get(a, a), member.get(b, b), p, port) for (a, b, p, port) in allow - gt})
        rows.append((name, nrules, lines, recall_s, recall_gt, over, over / len(gt), svc_over, note))

    for beta in ("0", "0.25"):
        with open(os.path.join(work, "rec-%s.json" % beta)) as f:
            rec = json.load(f)
        out = os.path.join(work, "out-" + beta)
        d = os.path.join(work, "eval-" + beta)
        import shutil
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(policy, d)
        for f in os.listdir(out):
            shutil.copy(os.path.join(out, f), d)
        allow, n = allowed(d, rec["placement"]["policy"])
        extra = {f: open(os.path.join(out, f)).read() for f in os.listdir(out)}
        score("septum β=%s" % beta, allow, n, eos_lines(septum, policy, extra, work, "septum-" + beta),
              "claimed over-permission %.3f, guarantees %s" % (rec["totals"]["overPermissionRatio"], rec["guarantees"]["hold"]))

    # exact: one rule per client /32, server /32, protocol and port (what Theia emits)
    hosts, exact = {}, []
    for k, (a, b, p, port) in enumerate(sorted(observed)):
        for x in (a, b):
            hosts["h-" + x.replace(".", "-")] = {x}
        exact.append(("exact-%d" % k, ["h-" + a.replace(".", "-")], ["h-" + b.replace(".", "-")], p, port))
    allow = {(a, b, p, port) for (a, b, p, port) in observed}
    score("exact", allow, len(exact), eos_lines(septum, policy, {"baseline.yaml": baseline_yaml(exact, hosts)}, work, "exact"))

    # group-per-port: one rule per protocol and port, from every client group to every server group using it
    groups = {g["name"]: expand(g["prefixes"]) for g in objects["groups"] if "categories" in g}
    per_port = {}
    for (a, b, p, port) in observed:
        src, dst = per_port.setdefault((p, port), (set(), set()))
        src.add(member.get(a, "h-" + a.replace(".", "-")))
        dst.add(member.get(b, "h-" + b.replace(".", "-")))
    gp_groups = dict(groups)
    gp_rules, allow = [], set()
    for (p, port), (src, dst) in sorted(per_port.items()):
        for g in src | dst:
            if g.startswith("h-"):
                gp_groups[g] = {g[2:].replace("-", ".")}
        gp_rules.append(("port-%s-%d" % ({6: "tcp", 17: "udp"}[p], port), sorted(src), sorted(dst), p, port))
        allow |= {(a, b, p, port) for sg in src for dg in dst for a in gp_groups[sg] for b in gp_groups[dg]}
    gp_yaml = baseline_yaml(gp_rules, {g: a for g, a in gp_groups.items() if g.startswith("h-")})
    score("group-per-port", allow, len(gp_rules), eos_lines(septum, policy, {"baseline.yaml": gp_yaml}, work, "per-port"))

    print("| run | rules | EOS lines added | recall (sessions) | recall (ground truth) | over-permission (tuples) "
          "| over-permission / ground truth | service-level tuples beyond | note |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| %s | %d | %d | %.4f | %.4f | %d | %.3f | %d | %s |" % r)
    print("\nground truth %d tuples; stored sessions %d (with the seed stages and the noise), complete in the estate %d, observed tuples %d" % (len(gt), len(stored), len(legit), len(observed)))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "gen":
        gen(sys.argv[2])
    elif cmd == "send":
        send(sys.argv[2], int(sys.argv[3]))
    elif cmd == "eval":
        evaluate(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
