#!/usr/bin/env bash
# Captures the v1 fixtures: what a host of one release writes to Kafka, one order of each outcome,
# every record of every topic (topic, partition, offset, timestamp, key, headers, body) as kcat -C -J
# prints it. The schema specs replay these onto the current release.
#
#   capture.sh [<git revision of the release>]   (default: the revision the v1 fixtures were taken from)
#
# Needs the .NET SDK, curl, jq, python3 and kcat (Debian: apt-get install -y kcat). Builds the release from git
# into a temporary directory, runs it twice as a process of its own (the embedded broker inside it),
# and writes here:
#   run-flow.jsonl                 every record of the first run: one order of each outcome but inventory-timeout
#   run-inventory-timeout.jsonl    the records of one order of the second run that ended inventory-timeout
#   orders.json                    which order (record key) is which scenario, and how it ended
set -euo pipefail

revision=${1:-d20ee14}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for tool in dotnet curl jq kcat python3; do
  command -v "$tool" >/dev/null || { echo "capture.sh needs $tool" >&2; exit 1; }
done

echo "Building the release $revision"
mkdir -p "$work/src"
git -C "$repo" archive "$revision" | tar -x -C "$work/src"
dotnet publish "$work/src/SagaEngine.csproj" -c Release -o "$work/app" --nologo -v quiet >/dev/null
commit=$(git -C "$repo" rev-parse "$revision")

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts the release with the given settings (NAME=value ...) and waits until it serves.
start_host() {
  local port db
  port=$(free_port)
  db="$work/run-$port.db"
  base="http://127.0.0.1:$port"
  (cd "$work/app" && exec env Urls="$base" Database__SqlitePath="$db" Serilog__MinimumLevel__Default=Warning "$@" \
    dotnet SagaEngine.dll >"$work/host-$port.log" 2>&1) &
  pid=$!
  for _ in $(seq 1 600); do
    curl -sf "$base/outbox" >/dev/null && return 0
    sleep 0.1
  done
  echo "The release did not start:" >&2
  cat "$work/host-$port.log" >&2
  exit 1
}

stop_host() {
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
}

# submit <sku> <quantity> <unit price> <token>: prints the order id
submit() {
  curl -sf -X POST "$base/orders" -H 'Content-Type: application/json' \
    -d "{\"customerId\":\"cust-fixture\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"$1\",\"quantity\":$2,\"unitPrice\":$3}],\"paymentToken\":\"$4\"}" |
    jq -r .orderId
}

state_of() { curl -sf "$base/orders/$1" | jq -r .state; }

wait_until_ended() {
  for _ in $(seq 1 600); do
    case $(state_of "$1") in Confirmed | Cancelled) return 0 ;; esac
    sleep 0.1
  done
  echo "Order $1 did not end" >&2
  exit 1
}

# Every consumer group has read everything: nothing more is on its way (scheduled rows aside).
wait_until_quiet() {
  for _ in $(seq 1 600); do
    if [ "$(curl -sf "$base/kafka/consumer-groups" | jq '[.groups[].lag] | add')" = "0" ] &&
       [ "$(curl -sf "$base/outbox" | jq '.pending + .scheduled')" = "0" ]; then
      return 0
    fi
    sleep 0.2
  done
  echo "The release did not become quiet" >&2
  exit 1
}

# Prints every record of every topic of the running host's broker, one kcat -J object a line.
dump_topics() {
  local bootstrap
  bootstrap=$(curl -sf "$base/kafka" | jq -r .bootstrapServers)
  for topic in $(curl -sf "$base/kafka" | jq -r '.topics[].name' | sort); do
    kcat -C -J -b "$bootstrap" -t "$topic" -o beginning -e -q
  done
}

outcome() { curl -sf "$base/orders/$2" | jq -c --arg s "$1" '{scenario: $s, orderId, state, failureReason}'; }

echo "Run 1: one order of each outcome (payment timeout 2 s, so tok_slow answers after 4 s and is refunded)"
start_host Saga__PaymentTimeout=00:00:02
declare -A orders=(
  [confirmed]=$(submit SKU-1 2 12.50 tok_ok)
  [payment-declined]=$(submit SKU-1 1 5 tok_decline)
  [amount-over-limit]=$(submit SKU-2 1000 11 tok_ok)
  [out-of-stock]=$(submit SKU-LOW 6 10 tok_ok)
  [unknown-sku]=$(submit SKU-NOPE 1 10 tok_ok)
  [payment-timeout]=$(submit SKU-1 1 7 tok_timeout)
  [late-charge-refunded]=$(submit SKU-1 1 9 tok_slow)
)
for id in "${orders[@]}"; do wait_until_ended "$id"; done
# The slow charge answers after the order was cancelled; its refund comes after that.
for _ in $(seq 1 600); do
  [ "$(curl -sf "$base/payments?orderId=${orders[late-charge-refunded]}" | jq '[.[] | select(.kind == "Refund")] | length')" = "1" ] && break
  sleep 0.1
done
wait_until_quiet
dump_topics >"$here/run-flow.jsonl"
{
  for scenario in "${!orders[@]}"; do outcome "$scenario" "${orders[$scenario]}"; done
} >"$work/outcomes.jsonl"
stop_host

echo "Run 2: inventory timeout of 100 ms and a burst of orders, so that some time out waiting for inventory"
start_host Saga__InventoryTimeout=00:00:00.1
submitting=()
for _ in $(seq 1 40); do
  submit SKU-1 1 3 tok_ok >/dev/null &
  submitting+=($!)
done
wait "${submitting[@]}"
burst=()
for id in $(curl -sf "$base/orders?limit=500" | jq -r '.items[].orderId'); do burst+=("$id"); done
for id in "${burst[@]}"; do wait_until_ended "$id"; done
wait_until_quiet
timedOut=$(curl -sf "$base/orders?state=Cancelled&limit=500" | jq -r '[.items[] | select(.failureReason == "inventory-timeout")][0].orderId')
[ "$timedOut" != "null" ] || { echo "No order of the burst timed out waiting for inventory; run again" >&2; exit 1; }
dump_topics | jq -c --arg id "$timedOut" 'select(.key == $id)' >"$here/run-inventory-timeout.jsonl"
outcome inventory-timeout "$timedOut" >>"$work/outcomes.jsonl"
stop_host

jq -s --arg commit "$commit" --arg tool "$(kcat -V 2>&1 | head -1)" \
  '{release: $commit, capturedWith: ("kcat -C -J (" + $tool + "), by capture.sh beside this file"), orders: (sort_by(.scenario))}' \
  "$work/outcomes.jsonl" >"$here/orders.json"
echo "Wrote $(wc -l <"$here/run-flow.jsonl") + $(wc -l <"$here/run-inventory-timeout.jsonl") records to $here"
