#!/usr/bin/env bash
# Benchmark of worker scaling: jobs per second with 1, 2 and 3 worker processes for the same batch
# of small database backups, on this machine's PostgreSQL and RabbitMQ.
#
#   ./bench/workers.sh                         # 150 jobs per batch over 6 targets
#   BENCH_JOBS=300 BENCH_TARGETS=10 ./bench/workers.sh
#
# It runs system-tests' WorkerThroughputBench through Maven (building what is out of date): the
# gateway, one scheduler and three workers start as processes from their jars, a warm-up batch
# runs on all three, then the batch runs on 3 workers, one stops, on 2, another stops, on 1. A
# batch's rate is its job count over the time from its first claim to its last end, read from the
# catalog. Every job must succeed or the run fails. The jobs back up one tiny database named by
# BENCH_TARGETS targets: the catalog runs one job per target at a time, so there must be more
# targets than workers for the workers to run side by side.
#
# Options (environment):
#   BENCH_JOBS=150      jobs per measured batch
#   BENCH_TARGETS=6     targets the jobs are spread over (round-robin)
#   BENCH_WARMUP=30     jobs of the unmeasured warm-up batch
#   BENCH_OFFLINE=0     1 passes -o to Maven (no repository look-ups)
#   BENCH_RABBITMQ_VHOST=kanbu_bench   the run's RabbitMQ virtual host, created with rabbitmqctl
#                       when missing, so that no other consumer of the broker takes its commands
#   KANBU_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres   a superuser URL: the
#                       run creates kanbu_bench_workers_catalog and kanbu_bench_workers_source
# Results (the table and Maven's log) go to bench/results/<UTC timestamp>-workers/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source-path=SCRIPTDIR/.. source=scripts/lib/common.sh
source "$ROOT/scripts/lib/common.sh"

JOBS=${BENCH_JOBS:-150}
TARGETS=${BENCH_TARGETS:-6}
WARMUP=${BENCH_WARMUP:-30}
VHOST=${BENCH_RABBITMQ_VHOST:-kanbu_bench}
for setting in "BENCH_JOBS=$JOBS" "BENCH_TARGETS=$TARGETS" "BENCH_WARMUP=$WARMUP"; do
  [[ "${setting#*=}" =~ ^[1-9][0-9]*$ ]] ||
    { echo "error: ${setting%%=*}='${setting#*=}' is not a positive number" >&2; exit 1; }
done
((TARGETS <= 99)) || { echo "error: BENCH_TARGETS=$TARGETS; use at most 99" >&2; exit 1; }
[[ "$VHOST" =~ ^[A-Za-z0-9_.-]+$ ]] ||
  { echo "error: BENCH_RABBITMQ_VHOST='$VHOST' is not a plain virtual host name" >&2; exit 1; }

RESULTS=$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)-workers
mkdir -p "$RESULTS"
kanbu_ensure_vhost "$VHOST" guest

echo "bench: ${JOBS} jobs per batch over ${TARGETS} targets, with 3, 2 and 1 workers (log: $RESULTS/maven.log)"
offline=()
[[ "${BENCH_OFFLINE:-0}" == 1 ]] && offline=(-o)
if ! KANBU_TEST_RABBITMQ_URL=amqp://guest:guest@127.0.0.1:5672/$VHOST \
  "$ROOT/scripts/test.sh" "${offline[@]}" -pl system-tests -am \
  -Dit.test=WorkerThroughputBench -Dtest=NoUnitTests \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dspotless.check.skip=true \
  -Dbench.jobs="$JOBS" -Dbench.targets="$TARGETS" -Dbench.warmup="$WARMUP" \
  -Dbench.summary="$RESULTS/summary.txt" >"$RESULTS/maven.log" 2>&1; then
  grep -E '^\[ERROR\]|FAIL' "$RESULTS/maven.log" | head -n 30 >&2
  echo "error: the benchmark failed; see $RESULTS/maven.log and system-tests/target/system-test-logs/" >&2
  exit 1
fi
cat "$RESULTS/summary.txt"
