#!/bin/bash
# One bench_collector.sh mode B run at 2.0 M records/s for 8 s (its usual line), plus the collector's
# CPU per thread name over its whole run (warm-up included), in ticks of 10 ms: /proc/PID/task sampled
# every 0.2 s, the highest value seen per thread, summed by name (comm, cut at 15 characters).
# usage: store_thread_cpu.sh JAR PORT
JAR=$1; PORT=$2
HERE=$(cd "$(dirname "$0")" && pwd)
S=$(mktemp); OUT=$(mktemp)
JAR=$JAR PORT=$PORT timeout 180 "$HERE/bench_collector.sh" B 800000 100000 20 > $OUT 2>&1 &
B=$!
while kill -0 $B 2>/dev/null; do
  P=$(pgrep -f "collect --listen 127.0.0.1:$PORT" | head -1)
  [ -n "$P" ] && for t in /proc/$P/task/*; do echo "${t##*/} $(tr ' ' _ < $t/comm 2>/dev/null) $(awk '{print $14+$15}' $t/stat 2>/dev/null)"; done >> $S 2>/dev/null
  sleep 0.2
done
tail -1 $OUT | sed 's/ gen=\[.*//'
echo "threads: $(awk 'NF==3 {if ($3>m[$1]) m[$1]=$3; n[$1]=$2} END {for (t in m) s[n[t]]+=m[t]; for (k in s) if (s[k]>5) print k, s[k]}' $S | sort -k2 -nr | tr '\n' ';')"
rm -f $OUT $S
