#!/usr/bin/env bash
# Webhook throughput benchmark: a worker fans BENCH_EVENTS (default 10,000) job events out to
# three local HTTP endpoints that answer 200 at once, through its real fan-out queue, catalog
# rows, delivery queue and HTTP client; prints deliveries per second and the delay from an
# event's occurredAt to its arrival (p50, p95, p99, max), and checks that every event reached
# every endpoint exactly once. The worker runs inside the benchmark's JVM
# (backup-worker/src/test/java/.../webhook/WebhookThroughputBench.java); the catalog is a
# database of its own (kanbu_bench_webhook_catalog) on the local PostgreSQL.
#
# Options (environment):
#   BENCH_EVENTS=10000              events to publish (each goes to 3 endpoints)
#   BENCH_DELIVERY_CONCURRENCY=     attempts the worker makes at once (kanbu.webhook.delivery-
#                                   concurrency, BACKUP_WEBHOOK_DELIVERY_CONCURRENCY); default: the
#                                   worker's default
#   BENCH_RABBITMQ_VHOST=kanbu_bench_webhooks   RabbitMQ virtual host of the run (created with
#                                   rabbitmqctl when missing), so no other consumer takes its events
# The figures go to bench/results/<UTC timestamp>/webhooks.txt and to the console.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EVENTS=${BENCH_EVENTS:-10000}
VHOST=${BENCH_RABBITMQ_VHOST:-kanbu_bench_webhooks}
OUT="$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"

if ! rabbitmqctl list_vhosts 2>/dev/null | grep -qx "$VHOST"; then
  rabbitmqctl add_vhost "$VHOST" >/dev/null
  rabbitmqctl set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null
fi
export KANBU_TEST_RABBITMQ_URL=${KANBU_TEST_RABBITMQ_URL:-amqp://guest:guest@127.0.0.1:5672/$VHOST}

args=(-q -pl backup-worker -am
  -Dtest=WebhookThroughputBench -Dit.test=none
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
  -Dbench.webhook.events="$EVENTS" -Dbench.webhook.report="$OUT/webhooks.txt")
if [[ -n "${BENCH_DELIVERY_CONCURRENCY:-}" ]]; then
  args+=(-Dbench.webhook.concurrency="$BENCH_DELIVERY_CONCURRENCY")
fi
"$ROOT/scripts/test.sh" "${args[@]}" >"$OUT/build.log" 2>&1 || {
  tail -50 "$OUT/build.log"
  echo "benchmark failed; full log: $OUT/build.log" >&2
  exit 1
}
cat "$OUT/webhooks.txt"
echo "(results in $OUT)"
