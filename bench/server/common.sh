# Shared by the server benches: start `bin/septum serve` on a fresh data directory on loopback and
# stop it on exit. Sourced, not run.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
port="${PORT:-18480}"
base="http://127.0.0.1:$port"
admin_password="bench-admin-password-1"
data="$(mktemp -d /tmp/septum-bench-XXXXXX)"

command -v wrk >/dev/null || { echo "needs wrk (apt-get install -y wrk)" >&2; exit 2; }
command -v jq >/dev/null || { echo "needs jq (apt-get install -y jq)" >&2; exit 2; }

stop_server() {
  if [ -n "${server_pid:-}" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  rm -rf "$data"
}
trap stop_server EXIT

start_server() {
  SEPTUM_ADMIN_PASSWORD="$admin_password" "$root/bin/septum" serve --data-dir "$data" --port "$port" \
    --counter-interval 0 >"$data/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do # bounded: 60 s for the JVM and the migrations
    curl -sf "$base/api/health" >/dev/null && return 0
    sleep 0.5
  done
  echo "the server did not start:" >&2; cat "$data/server.log" >&2; exit 1
}

# wrk's summary of one run as "req/s p50 p99"
wrk_summary() {
  awk '/Requests\/sec/ {rps=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2} END {print rps, p50, p99}'
}

token() {
  curl -sf -u "admin:$admin_password" -H 'Content-Type: application/json' -d '{"label":"bench"}' "$base/api/tokens" | jq -r .token
}

machine() {
  local jvm; jvm=$(tr '\0' ' ' </proc/"$server_pid"/cmdline 2>/dev/null | cut -d' ' -f1)
  echo "machine: $(nproc) cores, $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $("${jvm:-java}" -version 2>&1 | head -1); load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
}
