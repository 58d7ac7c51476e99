#!/bin/bash
# perf profile of the collector (mode A or B) under a bounded ipfixgen.py stream: RATE msg/s for SECS s
# (plus a 4 s warm-up on another domain). Loopback only. Frame pointers and the JIT's perf map name
# the Java frames. Writes the self-time table to OUT and the inclusive one to OUT.children.
# usage: profile_collector.sh JAR A|B RATE_MSGS_PER_S SECONDS OUT     e.g. ... septum.jar A 75000 6 /tmp/prof.txt
set -u
JAR=$1; MODE=$2; RATE=$3; SECS=$4; OUT=$5
B=$(cd "$(dirname "$0")" && pwd); PORT=${PORT:-47451}
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
D=$(mktemp -d /tmp/septum-prof.XXXX)
STORE="--no-store"; [ "$MODE" = B ] && STORE="--data-dir $D/data"
OLD=$(cat /proc/sys/net/core/rmem_max); sysctl -qw net.core.rmem_max=33554432
PID=; trap 'sysctl -qw net.core.rmem_max=$OLD; kill $PID 2>/dev/null; rm -rf "$D"' EXIT
$J -XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit --enable-native-access=ALL-UNNAMED \
  -jar $JAR collect --listen 127.0.0.1:$PORT $STORE --duration 60 > $D/out.json 2> $D/err.log &
PID=$!
sleep 2
python3 $B/ipfixgen.py --port $PORT --msgs 200000 --rate 50000 --recs 20 --odid 2 > /dev/null   # warm-up (JIT)
python3 $B/ipfixgen.py --port $PORT --msgs $((RATE*SECS)) --rate $RATE --recs 20 > $D/gen.txt &
G=$!
sleep 0.5
timeout 30 perf record -F 999 -g -p $PID -o $D/perf.data -- sleep $((SECS-1)) 2> /dev/null
wait $G
sleep 1
kill -TERM $PID; wait $PID
head -2 $D/err.log
grep -E '"data_records|kernel_drops' $D/out.json
perf report -i $D/perf.data --no-children --sort symbol --percent-limit 0.7 --stdio 2>/dev/null | grep -v '^$' | grep -E '^ +[0-9]' | head -45 > $OUT
perf report -i $D/perf.data --children --sort symbol --percent-limit 3 --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -40 > $OUT.children
cat $OUT
