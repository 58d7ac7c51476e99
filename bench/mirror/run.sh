#!/bin/bash
# The mirror intake (septum collect --mirror) against softflowd metering the same packets, same run.
# Two namespaces of this run's own (unique names, deleted on exit): a sender replays gre.pcap (each
# frame GRE-mirrored to 10.77.0.2, as a switch's monitor session sends it) on one veth and inner.pcap
# (the same frames bare) on another, both with tcpreplay at RATE packets/s at the same time; in the
# monitor namespace `septum collect --mirror 10.77.0.2 --no-store` meters the first and softflowd
# (libpcap on the other veth) the second. Prints one line per meter: packets metered of those sent,
# drops, and CPU-µs per packet (utime + stime of the process over the measured replay).
# usage (root): [JAR=other/septum.jar] [COLLECT_OPTS="--receive-with recvmmsg"] run.sh RATE_PPS SESSIONS
#   (8 packets per TCP session; mkpcaps.py writes the pcaps; COLLECT_OPTS picks the raw socket over the ring)
set -euo pipefail
RATE=$1; SESSIONS=$2
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
JAR=${JAR:-$ROOT/septum-cli/target/septum.jar}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
for t in tcpreplay softflowd softflowctl; do
  command -v $t > /dev/null || { echo "missing $t (apt-get install tcpreplay softflowd)" >&2; exit 2; }
done
[ -f "$JAR" ] || { echo "build first: ./mvnw -B -q package -DskipTests -Dseptum.aot.skip=true" >&2; exit 2; }
D=$(mktemp -d /tmp/septum-mirror-bench.XXXXXX)
A=smb$$a; B=smb$$b; CPID=; SPID=
cleanup() {
  if [ -n "$SPID" ]; then kill $SPID 2>/dev/null || true; fi
  if [ -n "$CPID" ]; then kill $CPID 2>/dev/null || true; fi
  wait 2>/dev/null || true
  ip netns del $A 2>/dev/null || true; ip netns del $B 2>/dev/null || true
  rm -rf "$D"
}
trap cleanup EXIT
/usr/bin/python3 "$HERE/mkpcaps.py" "$SESSIONS" "$D"
SENT=$((SESSIONS * 8))
ip netns add $A; ip netns add $B
for ns in $A $B; do ip -n $ns link set lo up; done
ip link add g$$a netns $A type veth peer name g$$b netns $B
ip link add p$$a netns $A type veth peer name p$$b netns $B
ip -n $B link set g$$b address 02:00:00:00:00:b2
ip -n $A addr add 10.77.0.1/24 dev g$$a; ip -n $B addr add 10.77.0.2/24 dev g$$b
for l in g p; do ip -n $A link set $l$$a up; ip -n $B link set $l$$b up; done
ip netns exec $B "$JAVA" ${JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -jar "$JAR" collect --mirror 10.77.0.2 \
  --no-store --rcvbuf 16777216 --duration 300 ${COLLECT_OPTS:-} > $D/collect.json 2> $D/collect.err &
CPID=$!
for i in $(seq 1 300); do grep -q "receiving GRE" $D/collect.err 2>/dev/null && break; sleep 0.1; done
grep -q "receiving GRE" $D/collect.err || { cat $D/collect.err >&2; exit 1; }
ip netns exec $B softflowd -i p$$b -d -c $D/sf.sock -v 10 -n 127.0.0.1:9 -m 1000000 > $D/sf.log 2>&1 &
SPID=$!
for i in $(seq 1 100); do [ -S $D/sf.sock ] && break; sleep 0.1; done
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
TCK=$(getconf CLK_TCK)
# JVM warm-up: the same pcap on the GRE veth only; subtracted below
ip netns exec $A tcpreplay -q --pps 50000 -i g$$a $D/gre.pcap > /dev/null 2>&1
sleep 1
c0=$(cpu $CPID); s0=$(cpu $SPID)
ip netns exec $A tcpreplay -q --pps $RATE -i g$$a $D/gre.pcap > $D/replay-gre.txt 2>&1 &
R1=$!
ip netns exec $A tcpreplay -q --pps $RATE -i p$$a $D/inner.pcap > $D/replay-inner.txt 2>&1 &
R2=$!
wait $R1 $R2
sleep 2
c1=$(cpu $CPID); s1=$(cpu $SPID)
ip netns exec $B softflowctl -c $D/sf.sock statistics > $D/sf.stats
kill -TERM $CPID; wait $CPID 2>/dev/null || true; CPID=
SF_DONE=$(awk -F': ' '/^Packets processed/{print $2}' $D/sf.stats)
SF_DROP=$(awk -F': ' '/dropped by libpcap/{d+=$2} /dropped by interface/{d+=$2} END {print d+0}' $D/sf.stats)
METERED=$(grep -o '"mirrored_packets_metered" : [0-9]*' $D/collect.json | grep -o '[0-9]*$')
KDROPS=$(grep -o '"kernel_drops" : [0-9]*' $D/collect.json | grep -o '[0-9]*$')
awk -v r=$RATE -v n=$SENT -v m=$((METERED - SENT)) -v k=$KDROPS -v c=$((c1 - c0)) -v t=$TCK \
  'BEGIN {printf "rate %d pps  septum collect --mirror: %d of %d packets (%.3f %%), kernel drops %d, %.2f CPU-us/packet\n", r, m, n, 100*m/n, k, c/t*1e6/n}'
awk -v r=$RATE -v n=$SENT -v m=$SF_DONE -v k=$SF_DROP -v c=$((s1 - s0)) -v t=$TCK \
  'BEGIN {printf "rate %d pps  softflowd:               %d of %d packets (%.3f %%), pcap drops %d, %.2f CPU-us/packet\n", r, m, n, 100*m/n, k, c/t*1e6/n}'
grep -h "Actual" $D/replay-gre.txt $D/replay-inner.txt | sed 's/^/  tcpreplay: /'
grep -o 'receiving GRE.*' $D/collect.err | sed 's/^/  septum: /'
