#!/bin/bash
# Septum collector ingest of the same deterministic IPFIX stream bench_nfcapd.sh feeds nfcapd
# (flow-monitoring.md §6). Loopback only; every run bounded in count and time.
# usage: [JAVA_OPTS=-XX:+UseZGC] [JAR=other/septum.jar] [COLLECT_OPTS="--receive-with channel"] \
#        bench_collector.sh MODE MSGS RATE_MSGS_PER_S RECS_PER_MSG [SO_RCVBUF_BYTES]
#   the collector's default socket path is recvmmsg (Linux); COLLECT_OPTS passes extra collect options
#   MODE A: decode + session table + counters (--no-store)
#   MODE B: A + DuckDB store (exported session rows + live snapshot every 2 s)
#   GEN_OPTS passes options to the measured stream only, e.g. GEN_OPTS="--flows 10000": the warm-up
#   makes 100,000 sessions, the stream then updates the first 10,000 of them (the rest stay live, idle)
# prints one line: records decoded vs sent, collector CPU (s and µs/record), kernel drops, VmHWM, gaps,
# and the measured stream's CPU per thread name (threads=[...], seconds; JIT compilers, GC, receive loop, store)
set -u
MODE=$1; MSGS=$2; RATE=$3; RECS=$4; BUF=${5:-16777216}
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
JAR=${JAR:-$ROOT/septum-cli/target/septum.jar}   # JAR=... compares two builds
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
PORT=${PORT:-9995}
[ -f "$JAR" ] || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 2; }
D=$(mktemp -d /tmp/septum-bench.XXXXXX)
STORE="--no-store"; [ "$MODE" = B ] && STORE="--data-dir $D/data"
"$JAVA" ${JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -jar "$JAR" collect --listen 127.0.0.1:$PORT $STORE --rcvbuf $BUF \
  --duration 120 --stats 1 ${COLLECT_OPTS:-} > $D/out.json 2> $D/err.log &
PID=$!
cleanup() { kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$D"; }
trap cleanup EXIT
hex=$(printf ':%04X ' $PORT)
for i in $(seq 1 100); do grep -q "$hex" /proc/net/udp && break; sleep 0.1; done
rcvbuf() { awk '/^Udp:/{n++; if(n==2) print $6}' /proc/net/snmp; }
# JVM warm-up on another observation domain; its records are subtracted below.
WARM_MSGS=200000; WARM_RATE=50000   # 4 s: long enough for C2 to compile the decode path
python3 "$HERE/ipfixgen.py" --port $PORT --msgs $WARM_MSGS --rate $WARM_RATE --recs $RECS --odid 2 > /dev/null
sleep 1.2
WARM_RECS=$(grep -o ' records=[0-9]*' $D/err.log | tail -1 | cut -d= -f2)
WARM_GAPS=$(grep -o 'sequence_gap_records=[0-9]*' $D/err.log | tail -1 | cut -d= -f2)
# this socket's drops (13th column of /proc/net/udp), unlike RcvbufErrors not shared with other programs
sockdrops() { awk -v p=":$(printf %04X $PORT)" '$2 ~ p"$" {d+=$13} END {print d+0}' /proc/net/udp; }
s0=$(sockdrops)
# CPU ticks per thread (tid, name cut at 15 characters by the kernel, ticks) at both ends of the measured stream
# (a thread that ends in between, such as a DuckDB worker, is left out)
threads() { for t in /proc/$PID/task/*; do echo "${t##*/} $({ tr ' ' _ < $t/comm; } 2>/dev/null) $(awk '{print $14+$15}' $t/stat 2>/dev/null)"; done; }
t0=$(threads)
r0=$(rcvbuf); c0=$(awk '{print $14+$15}' /proc/$PID/stat)
GEN=$(python3 "$HERE/ipfixgen.py" --port $PORT --msgs $MSGS --rate $RATE --recs $RECS ${GEN_OPTS:-})
sleep 1.5
c1=$(awk '{print $14+$15}' /proc/$PID/stat); r1=$(rcvbuf)
hwm=$(awk '/VmHWM/{print $2}' /proc/$PID/status); s1=$(sockdrops)
t1=$(threads)
export THREAD_CPU=$( { echo "$t0" | sed 's/^/0 /'; echo "$t1" | sed 's/^/1 /'; } | awk -v tck=$(getconf CLK_TCK) '
  NF==4 { if ($1==0) a[$2]=$4; else { b[$2]=$4; n[$2]=$3 } }
  END { for (t in b) s[n[t]]+=b[t]-a[t]; for (k in s) if (s[k]>0) printf "%s:%.2f\n", k, s[k]/tck }' | sort -t: -k2 -nr | paste -sd' ')
kill -TERM $PID; wait $PID 2>/dev/null
# which socket path the collector used, from its start-up line (older builds name none)
export RECV_PATH=$(grep -m1 -o 'recvmmsg, up to\|DatagramChannel' $D/err.log | sed 's/recvmmsg, up to/path=recvmmsg/; s/DatagramChannel/path=channel/')
python3 - "$D/out.json" "$MSGS" "$RECS" "$WARM_RECS" "$c0" "$c1" "$(getconf CLK_TCK)" "$r0" "$r1" "$hwm" "$MODE" "$RATE" "$GEN" "$s0" "$s1" "$WARM_GAPS" <<'PY'
import json, os, sys
out, msgs, recs, warm, c0, c1, tck, r0, r1, hwm, mode, rate, gen, s0, s1, wgaps = sys.argv[1:]
m = json.load(open(out))
path = os.environ.get("RECV_PATH", "")
sent = int(msgs) * int(recs)
got = m["data_records"] - int(warm)  # warm = records decoded before the measured stream
cpu = (int(c1) - int(c0)) / int(tck)
print(f"mode={mode} {path or 'path=channel'} rate_msgs={rate} sent={sent} decoded={got} ({100.0*got/sent:.3f}%) cpu_s={cpu:.2f} "
      f"cpu_us_per_rec={1e6*cpu/max(got,1):.3f} sock_drops={int(s1)-int(s0)} udp_rcvbuf_errors={int(r1)-int(r0)} "
      f"vmhwm_mb={int(hwm)//1024} seq_gap_records={m['sequence_gap_records'] - int(wgaps)} sessions_created={m['sessions_created']} "
      f"store_rows={m.get('store_rows_written','-')} threads=[{os.environ.get('THREAD_CPU', '')}] gen=[{gen}]")
PY
