#!/bin/bash
# How late the mirror agent forwards a logged packet: in one namespace of this run's own (deleted on
# exit), an nftables output rule logs UDP to 127.0.0.1:9999 to NFLOG group 4343, `septum mirror-agent`
# sends each logged packet as GRE to 127.0.0.1, and tshark captures both on lo. COUNT packets are sent
# GAP_MS apart (sparse traffic, as a lab's probes or a quiet monitored rule make); the latency of each
# is the capture time of its GRE copy minus that of the packet itself. Prints count, median, p90, max.
# usage (root): nflog_latency.sh COUNT GAP_MS [mirror-agent options...]   (JAR=... for another build)
set -euo pipefail
COUNT=$1; GAP=$2; shift 2
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
JAR=${JAR:-$ROOT/septum-cli/target/septum.jar}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
[ "$COUNT" -le 1000 ] || { echo "COUNT is at most 1000" >&2; exit 2; }
command -v tshark > /dev/null || { echo "missing tshark (apt-get install tshark)" >&2; exit 2; }
[ -f "$JAR" ] || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 2; }
D=$(mktemp -d /tmp/septum-nflog-bench.XXXXXX)
N=snl$$; APID=; TPID=
cleanup() {
  if [ -n "$APID" ]; then kill $APID 2>/dev/null || true; fi
  if [ -n "$TPID" ]; then kill $TPID 2>/dev/null || true; fi
  wait 2>/dev/null || true
  ip netns del $N 2>/dev/null || true
  rm -rf "$D"
}
trap cleanup EXIT
await() { # file pattern: up to 20 s for a readiness line
  for _ in $(seq 200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "not ready: $1" >&2; cat "$1" >&2; exit 1
}
ip netns add $N
ip -n $N link set lo up
ip netns exec $N nft -f - <<NFT
table inet snl {
  chain out {
    type filter hook output priority 0;
    udp dport 9999 log group 4343
  }
}
NFT
ip netns exec $N "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" mirror-agent --nflog-group 4343 --to 127.0.0.1 \
  --key 0 --duration 300 "$@" > $D/agent.json 2> $D/agent.err &
APID=$!
await $D/agent.err "NFLOG group 4343"
ip netns exec $N tshark -q -i lo -F pcap -w $D/lo.pcap -f "udp port 9999 or ip proto 47" 2> $D/tshark.err &
TPID=$!
await $D/tshark.err "Capturing on"
ip netns exec $N /usr/bin/python3 - "$COUNT" "$GAP" <<'PY'
import socket, sys, time
count, gap = int(sys.argv[1]), int(sys.argv[2]) / 1000
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(count):
    s.sendto(b"septum-nflog-%06d" % i, ("127.0.0.1", 9999))
    time.sleep(gap)
PY
sleep 2 # the kernel hands over what NFLOG holds after its flush timeout (1 s); the last copies must be captured
kill $TPID; wait $TPID 2>/dev/null || true; TPID=
/usr/bin/python3 - $D/lo.pcap "$COUNT" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
count = int(sys.argv[2])
at, orig, gre = 24, {}, {}
while at + 16 <= len(data):
    sec, usec, incl, _ = struct.unpack_from("<IIII", data, at)
    frame = data[at + 16: at + 16 + incl]
    at += 16 + incl
    t = sec + usec / 1e6
    i = frame.find(b"septum-nflog-")
    if i < 0:
        continue
    seq = int(frame[i + 13: i + 19])
    proto = frame[14 + 9]  # the outer IPv4 header after the Ethernet header lo carries
    (gre if proto == 47 else orig).setdefault(seq, t)
lat = sorted((gre[s] - orig[s]) * 1000 for s in orig if s in gre)
if not lat:
    sys.exit("no GRE copy captured")
pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
print("sent %d, captured %d, mirrored %d; latency ms: median %.2f, p90 %.2f, max %.2f"
      % (count, len(orig), len(lat), pick(0.5), pick(0.9), lat[-1]))
PY
