#!/bin/bash
# Sessions per second end to end, in one run on one machine, two ways on the same IPFIX stream:
#   kafka:  3 x 'septum collect --kafka' (one per ipfixgen.py stream of SESSIONS distinct sessions)
#           -> a local KRaft Kafka broker (topic of 6 partitions) -> 'septum flows-ingest' -> PostgreSQL
#   duckdb: 1 x 'septum collect --data-dir' receiving one stream of 3 x SESSIONS distinct sessions at
#           3 x the rate -> its DuckDB file
# Timed from the first datagram until every session is in the store and readable: for kafka, the
# store's row count reaching 3 x SESSIONS; for duckdb, the collector's exit after its final flush
# (both collectors are stopped with SIGTERM once their counters show every record, which ends and
# exports every session). Zero loss is checked: the store holds exactly 3 x SESSIONS sessions.
# Loopback only; every loop bounded in count and time.
# usage: PG_URL=jdbc:postgresql://... bench_scaleout.sh SESSIONS_PER_COLLECTOR [RATE_MSGS_PER_S_PER_STREAM]
#   ipfixgen.py makes at most 100,000 distinct sessions a stream, so SESSIONS_PER_COLLECTOR <= 33,333
set -eu
N=$1; RATE=${2:-20000}; RECS=20
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
JAR=${JAR:-$ROOT/septum-cli/target/septum.jar}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
PG_URL=${PG_URL:?set PG_URL to a PostgreSQL JDBC URL}
[ -f "$JAR" ] || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 2; }
D=$(mktemp -d /tmp/septum-scaleout.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; [ -n "${KEEP:-}" ] || rm -rf "$D"; }
trap cleanup EXIT
now() { date +%s.%N; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
free_udp() { python3 -c 'import socket; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
await() { # await FILE PATTERN SECONDS
  for _ in $(seq 1 $(($3 * 10))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1" >&2; tail -20 "$1" >&2; exit 1; }
SEPTUM=("$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR")   # an array, not a function: $! is then the JVM's pid

# --- the broker: KRaft, broker and controller in one process, random ports, temporary log dir
( cd "$ROOT" && ./mvnw -B -q -f bench/kafka/broker-pom.xml dependency:build-classpath -Dmdep.outputFile="$D/broker.cp" >/dev/null )
KP=$(free_port); CP=$(free_port)
cat > "$D/server.properties" <<P
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CP
listeners=PLAINTEXT://127.0.0.1:$KP,CONTROLLER://127.0.0.1:$CP
advertised.listeners=PLAINTEXT://127.0.0.1:$KP
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$D/kafka-data
num.partitions=6
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
P
"$JAVA" -cp "$(cat "$D/broker.cp")" kafka.tools.StorageTool format -t "$("$JAVA" -cp "$(cat "$D/broker.cp")" kafka.tools.StorageTool random-uuid)" -c "$D/server.properties" > "$D/format.log" 2>&1
"$JAVA" -Xmx1g -cp "$(cat "$D/broker.cp")" kafka.Kafka "$D/server.properties" > "$D/broker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 1200); do (exec 3<>/dev/tcp/127.0.0.1/$KP) 2>/dev/null && break; sleep 0.1; done
(exec 3<>/dev/tcp/127.0.0.1/$KP) 2>/dev/null || { echo "the Kafka broker did not listen within 120 s" >&2; tail -20 "$D/broker.log" >&2; exit 1; }
BROKER=127.0.0.1:$KP; TOPIC=bench-$$
# the topic, made by the broker on first metadata request (num.partitions=6): a collector asks at start
SCHEMA=bench_$$; psql "$(echo "$PG_URL" | sed 's/^jdbc://')" -qc "CREATE SCHEMA $SCHEMA" 2>/dev/null || true
STORE="$PG_URL&currentSchema=$SCHEMA"

gen() { # gen PORT ODID SESSIONS RATE: each of SESSIONS distinct sessions in one record
  python3 "$HERE/../flows/ipfixgen.py" --port "$1" --odid "$2" --msgs $(($3 / RECS)) --flows "$3" --recs $RECS --rate "$4" > /dev/null; }

# --- kafka path
"${SEPTUM[@]}" flows-ingest --kafka $BROKER --topic $TOPIC --group bench --member bench-1 --store "$STORE" > "$D/ingest.json" 2> "$D/ingest.log" &
INGEST=$!; PIDS+=($INGEST)
PORTS=()
for n in 1 2 3; do
  p=$(free_udp); PORTS+=($p)
  "${SEPTUM[@]}" collect --listen 127.0.0.1:$p --kafka $BROKER --topic $TOPIC --node node-$n --idle-timeout 60000 --stats 1 \
    > "$D/c$n.json" 2> "$D/c$n.log" &
  PIDS+=($!); eval "C$n=$!"
done
for n in 1 2 3; do await "$D/c$n.log" "receiving on" 120; done
await "$D/ingest.log" "consuming" 120
t0=$(now)
GENS=()
for n in 1 2 3; do gen ${PORTS[$((n-1))]} $n $N $RATE & GENS+=($!); done
wait "${GENS[@]}"
for n in 1 2 3; do await "$D/c$n.log" " records=$N " 120; done
kill -TERM $C1 $C2 $C3
for n in 1 2 3; do await "$D/c$n.json" "kafka_dropped" 120; done
PSQL="psql $(echo "$PG_URL" | sed 's/^jdbc://') -tAc"
for _ in $(seq 1 1200); do
  got=$($PSQL "SELECT count(*) FROM $SCHEMA.flow_sessions" 2>/dev/null || echo 0)
  [ "$got" = $((3 * N)) ] && break; sleep 0.1
done
t1=$(now)
kill -TERM $INGEST; await "$D/ingest.json" "store_failures" 60
KAFKA_S=$(echo "$t1 - $t0" | bc -l)
KAFKA_ROWS=$got
DROPPED=$(cat "$D"/c?.json | grep -o '"kafka_dropped" : [0-9]*' | awk '{s+=$3} END {print s}')

# --- duckdb path: one collector, the same three streams
p=$(free_udp)
"${SEPTUM[@]}" collect --listen 127.0.0.1:$p --data-dir "$D/duck" --idle-timeout 60000 --stats 1 > "$D/duck.json" 2> "$D/duck.log" &
DUCK=$!; PIDS+=($DUCK)
await "$D/duck.log" "receiving on" 120
t0=$(now)
gen $p 11 $((3 * N)) $((3 * RATE))
await "$D/duck.log" " records=$((3 * N)) " 120
kill -TERM $DUCK; wait $DUCK || true
t1=$(now)
DUCK_S=$(echo "$t1 - $t0" | bc -l)
DUCK_ROWS=$("${SEPTUM[@]}" sessions --data-dir "$D/duck" --raw --output csv --limit 10000000 | tail -n +2 | wc -l)
$PSQL "DROP SCHEMA $SCHEMA CASCADE" > /dev/null
printf 'sessions=%d kafka_path_s=%.2f kafka_sessions_per_s=%.0f kafka_rows=%d kafka_dropped=%d duckdb_path_s=%.2f duckdb_sessions_per_s=%.0f duckdb_rows=%d ratio_kafka_over_duckdb=%.2f\n' \
  $((3 * N)) "$KAFKA_S" "$(echo "3 * $N / $KAFKA_S" | bc -l)" "$KAFKA_ROWS" "$DROPPED" "$DUCK_S" "$(echo "3 * $N / $DUCK_S" | bc -l)" "$DUCK_ROWS" \
  "$(echo "$DUCK_S / $KAFKA_S" | bc -l)"
