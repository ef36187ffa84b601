#!/usr/bin/env bash
# Benchmark of the database backup pipeline, end to end, on this machine.
#
# Builds (once; reused while its scale matches) a pgbench database of BENCH_SCALE (default 100,
# about 1.5 GB), then, in one run, for every worker variant of BENCH_VARIANTS, starts the apps
# with scripts/run-local.sh against it and for BENCH_ROUNDS rounds (default 3) with the order
# rotated each round, times:
#   (a) ours:  POST /api/backup/trigger?wait=3600 {"type":"database"} until the job has SUCCEEDED,
#              in the variant's compression (gzip level 6, zstd level 3, or none)
#   (b) pg_dump <db> | gzip -6 > file
#   (c) pg_dump <db> > /dev/null
#   (d) pg_dump <db> | zstd -3 -T0 > file   (zstd variants only: the size to compare with)
#   (e) pg_dump <db> | pigz -6 -p <cores> > file   (gzip variants, when pigz is installed: the
#       fastest gzip an operator could script by hand, measured beside ours)
# and prints per variant the medians, the ratios ours/(b) and ours/(c) with the target that applies
# (gzip: ours <= 0.75 x (b) and size within 2% of (b)'s; zstd: ours <= 1.35 x (c)) and for gzip
# (c)/(b), the floor no backup can beat (flagged when it is above 0.75: the machine cannot show the
# gzip target then, as on machine E of the README for pgbench's data), the output
# sizes, the CPU time the whole machine spent on each (every process: pg_dump, the server, the
# compressor; /proc/stat) and the worker's peak resident memory (VmHWM); then what each variant costs against its
# unencrypted base ('plain' or 'zstd'), normalised by the baseline measured beside it ((b) for
# gzip, (c) for zstd) so a machine that drifts between variants does not count. Takes about 5
# minutes per variant at scale 100; a smoke test:
#   BENCH_SCALE=5 BENCH_ROUNDS=1 BENCH_VARIANTS=plain ./bench/pipeline.sh
#
# Variants (BENCH_VARIANTS, space-separated, default "plain encrypted zstd zstd-encrypted"):
#   plain           the worker's defaults (gzip level 6 through libdeflate where it is built, no
#                   encryption, exact row counts)
#   zlib            BACKUP_NATIVE_GZIP=off: gzip level 6 through the JDK's zlib (one gzip member)
#   encrypted       BACKUP_ENCRYPTION_KEY set (a random 64-hex key): streaming AES-256-GCM
#   rows-off        BACKUP_ROW_COUNTS=off: no row counts in the manifest (exact counting reads
#                   every table once more after the dump, which the shell baselines do not do)
#   zstd            BACKUP_COMPRESSION=zstd (level 3, the library's worker threads)
#   zstd-encrypted  both
#   none            BACKUP_COMPRESSION=none: the plain SQL (the pipeline's cost without compression)
#
# BENCH_MODE=restore benchmarks the restore instead: one backup of the database through the apps,
# then for BENCH_ROUNDS rounds, order rotated, into a database that does not exist yet:
#   (r) ours:  POST /api/v1/backups/{id}/restore {"database":…} until the job has SUCCEEDED (no
#              safety backup: the database is new); its apply phase (psql start to exit, from the
#              worker's log) and the whole job (request to SUCCEEDED, verification pass included)
#   (g) gunzip -c file | psql -X -1 -v ON_ERROR_STOP=1 into an empty database (created untimed);
#       zstd -dc for a zstd backup, cat for an uncompressed one
# and prints the medians and the ratios apply/(g) (target <= 1.10) and job/(g) (target <= 1.25),
# for every format of BENCH_RESTORE_FORMATS (default "gzip zstd"), each with the apps restarted in
# that BACKUP_COMPRESSION.
#
# Options (environment):
#   BENCH_MODE=backup         backup (above) or restore
#   BENCH_ROUNDS=3            rounds of (a), (b), (c) per variant, or of (r) and (g)
#   BENCH_RESTORE_FORMATS="gzip zstd"   the formats BENCH_MODE=restore measures (also: none)
#   BENCH_DATA=pgbench        what the database holds: pgbench (pgbench -i: blank-padded rows that
#                             compress 35x, so pg_dump dominates and the compressor barely counts)
#                             or text (bench/text-data.sql: application-like text that gzip -6
#                             shrinks about 8x, so the compressor dominates as in real databases)
#   BENCH_SCALE=100           pgbench scale factor (100 = 10 million accounts, about 1.5 GB), or
#                             for text 33,000 tasks per unit (100 = 3.3 million, about 1.2 GB)
#   BENCH_DB=kanbu_bench      database to build and back up (kanbu_bench_text for text data;
#                             with _s<scale> appended when the scale is not 100, so a smoke test
#                             never replaces the big one)
#   BENCH_WORKER_XMX=         worker JVM heap option, e.g. -Xmx64m, to show the pipeline streams
#   BENCH_WARMUP=1            one unmeasured pg_dump > /dev/null first, so no contender pays for
#                             a cold page cache, and one unmeasured backup job after each start
#                             of the apps, so ours is not timed with cold JVMs (0 for neither)
#   BENCH_PG_HOST=127.0.0.1 BENCH_PG_PORT=5432 BENCH_PG_USER=postgres   the server to use
#   BENCH_RABBITMQ_VHOST=kanbu_bench   RabbitMQ virtual host of the run, created with rabbitmqctl
#                             when missing; keeps the bench's commands away from other consumers
#                             of the same broker (tests, another local run), which would otherwise
#                             take them or hand the bench worker their jobs
# Results (outputs, app logs, summary.txt) go to bench/results/<UTC timestamp>/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source-path=SCRIPTDIR/.. source=scripts/lib/common.sh
source "$ROOT/scripts/lib/common.sh"

ROUNDS=${BENCH_ROUNDS:-3}
SCALE=${BENCH_SCALE:-100}
DATA=${BENCH_DATA:-pgbench}
[[ "$DATA" =~ ^(pgbench|text)$ ]] || { echo "error: BENCH_DATA='$DATA'; use pgbench or text" >&2; exit 1; }
DB_BASE=kanbu_bench
[[ "$DATA" == text ]] && DB_BASE=kanbu_bench_text
if [[ "$SCALE" == 100 ]]; then
  DB=${BENCH_DB:-$DB_BASE}
else
  DB=${BENCH_DB:-${DB_BASE}_s$SCALE}
fi
PG_HOST=${BENCH_PG_HOST:-127.0.0.1}
PG_PORT=${BENCH_PG_PORT:-5432}
PG_USER=${BENCH_PG_USER:-postgres}
WARMUP=${BENCH_WARMUP:-1}
read -r -a VARIANTS <<<"${BENCH_VARIANTS:-plain encrypted zstd zstd-encrypted}"
for variant in "${VARIANTS[@]}"; do
  [[ "$variant" =~ ^(plain|zlib|encrypted|rows-off|zstd|zstd-encrypted|none)$ ]] ||
    { echo "error: BENCH_VARIANTS names '$variant'; use plain, zlib, encrypted, rows-off, zstd, zstd-encrypted or none" >&2; exit 1; }
done
read -r -a RESTORE_FORMATS <<<"${BENCH_RESTORE_FORMATS:-gzip zstd}"
for format in "${RESTORE_FORMATS[@]}"; do
  [[ "$format" =~ ^(gzip|zstd|none)$ ]] ||
    { echo "error: BENCH_RESTORE_FORMATS names '$format'; use gzip, zstd or none" >&2; exit 1; }
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "error: BENCH_ROUNDS='$ROUNDS' is not a positive number" >&2; exit 1; }
[[ "$SCALE" =~ ^[1-9][0-9]*$ ]] || { echo "error: BENCH_SCALE='$SCALE' is not a positive number" >&2; exit 1; }
[[ "$DB" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "error: BENCH_DB='$DB' is not a plain database name" >&2; exit 1; }

RESULTS=$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)
RUN_DIR=$RESULTS/run
mkdir -p "$RESULTS"

say() { echo "bench: $*"; }

# The newest installed client, so that (b) and (c) use a pg_dump as recent as the worker's choice.
PG_BIN=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -printf '%h\n' 2>/dev/null |
  sort -V | tail -n 1)/bin
[[ -x "$PG_BIN/pg_dump" ]] || PG_BIN=$(dirname "$(command -v pg_dump)")
export PGHOST=$PG_HOST PGPORT=$PG_PORT PGUSER=$PG_USER

psql_admin() {
  "$PG_BIN/psql" -X -w -q -d postgres -tAc "$1"
}

ensure_database() {
  if [[ "$DATA" == text ]]; then
    ensure_text_database
    return
  fi
  local branches
  branches=$("$PG_BIN/psql" -X -w -q -d "$DB" -tAc 'SELECT count(*) FROM pgbench_branches' 2>/dev/null || true)
  if [[ "$branches" == "$SCALE" ]]; then
    say "reusing database '$DB' (scale $SCALE)"
    return
  fi
  say "building database '$DB' with pgbench -i -s $SCALE (minutes at scale 100)..."
  rebuild_database pgbench-init.log "$PG_BIN/pgbench" -i -q -s "$SCALE" "$DB"
}

# BENCH_DATA=text: bench/text-data.sql at 33,000 rows per scale unit (reused while that matches).
ensure_text_database() {
  local rows=$((SCALE * 33000)) built
  built=$("$PG_BIN/psql" -X -w -q -d "$DB" -tAc 'SELECT rows FROM bench_data' 2>/dev/null || true)
  if [[ "$built" == "$rows" ]]; then
    say "reusing database '$DB' (text, $rows tasks)"
    return
  fi
  say "building database '$DB' from bench/text-data.sql with $rows tasks (minutes at scale 100)..."
  rebuild_database text-data.log "$PG_BIN/psql" -X -w -q -v ON_ERROR_STOP=1 -v rows="$rows" \
    -d "$DB" -f "$ROOT/bench/text-data.sql"
  "$PG_BIN/psql" -X -w -q -d "$DB" -c 'VACUUM ANALYZE' >/dev/null
}

# rebuild_database LOG COMMAND...: drops and creates $DB, then fills it with COMMAND, its output
# in $RESULTS/LOG (the last lines shown, and the bench ended, if it fails).
rebuild_database() {
  local log=$RESULTS/$1
  shift
  psql_admin "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
  psql_admin "CREATE DATABASE $DB" >/dev/null
  "$@" >"$log" 2>&1 || {
    tail -n 20 "$log" >&2
    exit 1
  }
}

now() { echo "$EPOCHREALTIME"; }
# The machine's busy CPU time so far, in clock ticks (user, nice, system, irq, softirq of all CPUs).
cpu_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
CLOCK_TICKS=$(getconf CLK_TCK)
# start_clock / stop_clock: set LAST_SECONDS (wall) and LAST_CPU (machine CPU seconds) between them.
start_clock() {
  CLOCK_WALL=$(now)
  CLOCK_CPU=$(cpu_ticks)
}
stop_clock() {
  local end cpu
  end=$(now)
  cpu=$(cpu_ticks)
  LAST_SECONDS=$(elapsed "$CLOCK_WALL" "$end")
  LAST_CPU=$(awk -v t=$((cpu - CLOCK_CPU)) -v hz="$CLOCK_TICKS" 'BEGIN { printf "%.1f", t / hz }')
}
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

# A virtual host of its own, so that only the bench worker takes the bench's commands.
ensure_vhost() {
  VHOST=${BENCH_RABBITMQ_VHOST:-kanbu_bench}
  kanbu_ensure_vhost "$VHOST" "${RABBITMQ_USER:-guest}" || exit 1
}

TRIGGER_KEY=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
API=http://127.0.0.1:${GATEWAY_PORT:-8080}

random_key() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# The worker's environment for a variant, as NAME=value words.
variant_env() {
  case $1 in
    plain) ;;
    zlib) echo "BACKUP_NATIVE_GZIP=off" ;;
    encrypted) echo "BACKUP_ENCRYPTION_KEY=$(random_key)" ;;
    rows-off) echo "BACKUP_ROW_COUNTS=off" ;;
    zstd) echo "BACKUP_COMPRESSION=zstd" ;;
    zstd-encrypted) echo "BACKUP_COMPRESSION=zstd BACKUP_ENCRYPTION_KEY=$(random_key)" ;;
    none) echo "BACKUP_COMPRESSION=none" ;;
    # BENCH_MODE=restore: one app start per format
    restore-*) echo "BACKUP_COMPRESSION=${1#restore-}" ;;
  esac
}

# The compression a variant backs up in.
variant_compression() {
  case $1 in
    zstd | zstd-encrypted) echo zstd ;;
    none) echo none ;;
    *) echo gzip ;;
  esac
}

# start_apps VARIANT
start_apps() {
  local extra
  read -r -a extra <<<"$(variant_env "$1")"
  # The worker keeps run-local.sh's default JVM options unless told otherwise.
  local worker_opts=${WORKER_JAVA_OPTS:-}
  if [[ -n "${BENCH_WORKER_XMX:-}" ]]; then
    worker_opts="-XX:+UseSerialGC -Xms16m $BENCH_WORKER_XMX $worker_opts"
  fi
  say "variant '$1': starting the apps (logs: $RUN_DIR/logs, RabbitMQ virtual host '$VHOST')"
  # Its own RabbitMQ virtual host, so that nothing else on the broker takes its commands.
  # Each format at its default level (gzip 6 as gzip -6, zstd 3 as zstd -3): the variant's
  # BACKUP_COMPRESSION comes after these and wins; an empty level is the format's default.
  KANBU_RUN_DIR=$RUN_DIR \
    KANBU_CATALOG_URL=${BENCH_CATALOG_URL:-jdbc:postgresql://$PG_HOST:$PG_PORT/kanbu_bench_catalog} \
    DATABASE_URL=postgresql://$PG_USER@$PG_HOST:$PG_PORT/$DB \
    BACKUP_COMPRESSION=gzip \
    BACKUP_COMPRESSION_LEVEL='' \
    BACKUP_ROW_COUNTS=exact \
    RABBITMQ_VHOST=$VHOST \
    KANBU_START_TIMEOUT=${KANBU_START_TIMEOUT:-300} \
    BACKUP_TRIGGER_API_KEY=$TRIGGER_KEY \
    env ${worker_opts:+"WORKER_JAVA_OPTS=$worker_opts"} ${extra[@]+"${extra[@]}"} \
    "$ROOT/scripts/run-local.sh" start >"$RESULTS/run-local.log" 2>&1 || {
    cat "$RESULTS/run-local.log" >&2
    exit 1
  }
}

stop_apps() {
  KANBU_RUN_DIR=$RUN_DIR "$ROOT/scripts/run-local.sh" stop >/dev/null 2>&1 || true
}

# (a) Sets LAST_SECONDS and LAST_BYTES, or exits if the job did not succeed.
run_ours() {
  local response file
  start_clock
  response=$(curl --fail -sS -X POST "$API/api/backup/trigger?wait=3600" \
    -H "X-Backup-Key: $TRIGGER_KEY" -H 'Content-Type: application/json' -d '{"type":"database"}') || {
    echo "error: the backup job request failed" >&2
    exit 1
  }
  stop_clock
  if [[ "$response" != *'"SUCCEEDED"'* ]]; then
    echo "error: the backup job did not succeed: $response" >&2
    exit 1
  fi
  file=$(find "$RUN_DIR/backups" -type f -name 'kanbu_backup_*' ! -name '*.manifest.json' -printf '%T@ %p\n' |
    sort -g | tail -n 1 | cut -d' ' -f2-)
  [[ -n "$file" ]] || { echo "error: the job succeeded but no backup file is in $RUN_DIR/backups" >&2; exit 1; }
  LAST_BYTES=$(stat -c %s "$file")
}

# (b) and (c) dump with the same options the worker uses.
run_dump_gzip() {
  local out=$RESULTS/pg_dump-gzip6.sql.gz
  start_clock
  "$PG_BIN/pg_dump" -w --clean --if-exists "$DB" | gzip -6 >"$out"
  stop_clock
  LAST_BYTES=$(stat -c %s "$out")
}

run_dump_pigz() {
  local out=$RESULTS/pg_dump-pigz6.sql.gz
  start_clock
  "$PG_BIN/pg_dump" -w --clean --if-exists "$DB" | pigz -6 -p "$(nproc)" >"$out"
  stop_clock
  LAST_BYTES=$(stat -c %s "$out")
}

run_dump_zstd() {
  local out=$RESULTS/pg_dump-zstd3.sql.zst
  start_clock
  "$PG_BIN/pg_dump" -w --clean --if-exists "$DB" | zstd -q -3 -T0 >"$out"
  stop_clock
  LAST_BYTES=$(stat -c %s "$out")
}

run_dump_null() {
  start_clock
  "$PG_BIN/pg_dump" -w --clean --if-exists "$DB" >/dev/null
  stop_clock
  LAST_BYTES=0
}

worker_peak_rss_kib() {
  local pid
  pid=$(<"$RUN_DIR/pids/backup-worker.pid")
  awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status"
}

# The JVM options the worker really runs with.
worker_jvm_options() {
  local pid
  pid=$(<"$RUN_DIR/pids/backup-worker.pid")
  tr '\0' ' ' <"/proc/$pid/cmdline" | sed 's/ -jar .*//; s/^[^ ]* //'
}

RESTORED_DB=${DB}_restored

# (r) Sets LAST_SECONDS (whole job) and LAST_APPLY (apply phase), or exits if it did not succeed.
run_our_restore() {
  local backup_id=$1 start end response job_id status apply_ms
  psql_admin "DROP DATABASE IF EXISTS $RESTORED_DB WITH (FORCE)" >/dev/null
  start=$(now)
  response=$(curl --fail -sS -X POST "$API/api/v1/backups/$backup_id/restore" \
    -H "X-Backup-Key: $TRIGGER_KEY" -H 'X-Requested-By: bench' -H 'Content-Type: application/json' \
    -d "{\"database\":\"$RESTORED_DB\",\"confirm\":\"$RESTORED_DB\"}") || {
    echo "error: the restore request failed" >&2
    exit 1
  }
  job_id=$(grep -o '"jobId":"[^"]*"' <<<"$response" | cut -d'"' -f4)
  while :; do
    status=$(curl --fail -sS "$API/api/v1/jobs/$job_id" -H "X-Backup-Key: $TRIGGER_KEY" |
      grep -o '"status":"[A-Z]*"' | head -n 1 | cut -d'"' -f4)
    [[ "$status" == QUEUED || "$status" == RUNNING ]] || break
    sleep 0.1
  done
  end=$(now)
  [[ "$status" == SUCCEEDED ]] || {
    echo "error: restore job $job_id ended $status: $(curl -sS "$API/api/v1/jobs/$job_id" -H "X-Backup-Key: $TRIGGER_KEY")" >&2
    exit 1
  }
  LAST_SECONDS=$(elapsed "$start" "$end")
  apply_ms=$(grep -ho "job $job_id: backup [0-9a-f-]* restored into database '[^']*' in [0-9]* ms" \
    "$RUN_DIR"/logs/backup-worker*.log | tail -n 1 | sed 's/.* in \([0-9]*\) ms/\1/')
  [[ -n "$apply_ms" ]] || { echo "error: no apply time for job $job_id in the worker's log" >&2; exit 1; }
  LAST_APPLY=$(awk -v ms="$apply_ms" 'BEGIN { printf "%.2f", ms / 1000 }')
}

# The stock command that decompresses a backup of FORMAT to standard output.
hand_reader() {
  case $1 in
    gzip) echo "gunzip -c" ;;
    zstd) echo "zstd -q -dc" ;;
    none) echo "cat" ;;
  esac
}

# (g) The by-hand restore into an empty database: hand_reader file | psql.
run_hand_restore() {
  local format=$1 file=$2 start end reader
  read -r -a reader <<<"$(hand_reader "$format")"
  psql_admin "DROP DATABASE IF EXISTS $RESTORED_DB WITH (FORCE)" >/dev/null
  psql_admin "CREATE DATABASE $RESTORED_DB" >/dev/null
  start=$(now)
  "${reader[@]}" "$file" | "$PG_BIN/psql" -X -1 -v ON_ERROR_STOP=1 -q -w -d "$RESTORED_DB" >/dev/null
  end=$(now)
  LAST_SECONDS=$(elapsed "$start" "$end")
}

main_restore() {
  command -v curl >/dev/null || { echo "error: curl is missing" >&2; exit 1; }
  ensure_database
  say "database '$DB': $(psql_admin "SELECT pg_size_pretty(pg_database_size('$DB'))"), psql: $("$PG_BIN/psql" --version)"
  ensure_vhost
  trap 'stop_apps; psql_admin "DROP DATABASE IF EXISTS $RESTORED_DB WITH (FORCE)" >/dev/null || true' EXIT
  {
    echo "Kanbu Backup restore benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs"
    echo "database '$DB': $DATA data, scale $SCALE, $(psql_admin "SELECT pg_size_pretty(pg_database_size('$DB'))"); $ROUNDS round(s) per format; restored into a new database '$RESTORED_DB'"
  } | tee "$RESULTS/summary.txt"
  local format
  for format in "${RESTORE_FORMATS[@]}"; do
    measure_restore "$format"
  done
}

# measure_restore FORMAT: one backup in FORMAT, then the alternating restore rounds.
measure_restore() {
  local format=$1
  start_apps "restore-$format"
  say "taking the $format backup to restore"
  local response backup_id file
  response=$(curl --fail -sS -X POST "$API/api/backup/trigger?wait=3600" \
    -H "X-Backup-Key: $TRIGGER_KEY" -H 'Content-Type: application/json' -d '{"type":"database"}')
  [[ "$response" == *'"SUCCEEDED"'* ]] || { echo "error: the backup did not succeed: $response" >&2; exit 1; }
  backup_id=$(grep -o '"backupId":"[^"]*"' <<<"$response" | head -n 1 | cut -d'"' -f4)
  file=$(find "$RUN_DIR/backups" -type f -name "*_${backup_id:0:8}.sql*" ! -name '*.manifest.json')
  [[ -f "$file" ]] || { echo "error: no backup file for backup $backup_id in $RUN_DIR/backups" >&2; exit 1; }

  local jobs=() applies=() hand=() round i order reader
  reader=$(hand_reader "$format")
  local kinds=(ours hand)
  for ((round = 1; round <= ROUNDS; round++)); do
    for ((i = 0; i < 2; i++)); do
      order=${kinds[$(((round - 1 + i) % 2))]}
      case $order in
        ours)
          run_our_restore "$backup_id"
          jobs+=("$LAST_SECONDS")
          applies+=("$LAST_APPLY")
          say "$format, round $round/$ROUNDS: ours job ${LAST_SECONDS} s, apply ${LAST_APPLY} s"
          ;;
        hand)
          run_hand_restore "$format" "$file"
          hand+=("$LAST_SECONDS")
          say "$format, round $round/$ROUNDS: $reader | psql ${LAST_SECONDS} s"
          ;;
      esac
    done
  done

  local m_job m_apply m_hand
  m_job=$(median "${jobs[@]}")
  m_apply=$(median "${applies[@]}")
  m_hand=$(median "${hand[@]}")
  {
    echo
    echo "format $format: backup $(basename "$file"), $(mib "$(stat -c %s "$file")"); worker JVM options: $(worker_jvm_options)"
    printf '%-44s %10s %s\n' "" "median s" "runs (s)"
    printf '%-44s %10s %s\n' "(r) ours, apply phase (psql start to exit)" "$m_apply" "${applies[*]}"
    printf '%-44s %10s %s\n' "(r) ours, whole job (request to SUCCEEDED)" "$m_job" "${jobs[*]}"
    printf '%-44s %10s %s\n' "(g) $reader | psql -X -1 -v ON_ERROR_STOP=1" "$m_hand" "${hand[*]}"
    echo "ratio apply/(g): $(ratio "$m_apply" "$m_hand")   (target <= 1.10)"
    echo "ratio job/(g):   $(ratio "$m_job" "$m_hand")   (target <= 1.25; verification pass included, no safety backup)"
    echo "worker peak RSS (VmHWM): $(mib $(($(worker_peak_rss_kib) * 1024)))   (target <= 300 MiB)"
  } | tee -a "$RESULTS/summary.txt"
  stop_apps
}

# measure_variant VARIANT: runs the rounds and appends its lines to the summary; sets
# VARIANT_RATIO (ours/(b)) for the comparison at the end.
measure_variant() {
  local variant=$1
  start_apps "$variant"
  if [[ "$WARMUP" == 1 ]]; then
    # a worker runs for weeks: its first job after start (class loading, JIT) is not the one to time
    say "variant '$variant': warm-up: one unmeasured backup job"
    run_ours
  fi
  local compression
  compression=$(variant_compression "$variant")
  local ours=() gzip6=() null=() zstd3=() pigz6=() ours_bytes=0 gzip_bytes=0 zstd_bytes=0 pigz_bytes=0
  local -A cpu=()
  local round i order
  local kinds=(ours gzip6 null)
  [[ "$compression" == zstd ]] && kinds+=(zstd3)
  [[ "$compression" == gzip ]] && command -v pigz >/dev/null && kinds+=(pigz6)
  for ((round = 1; round <= ROUNDS; round++)); do
    for ((i = 0; i < ${#kinds[@]}; i++)); do
      order=${kinds[$(((round - 1 + i) % ${#kinds[@]}))]}
      case $order in
        ours)
          run_ours
          ours+=("$LAST_SECONDS")
          ours_bytes=$LAST_BYTES
          ;;
        gzip6)
          run_dump_gzip
          gzip6+=("$LAST_SECONDS")
          gzip_bytes=$LAST_BYTES
          ;;
        null)
          run_dump_null
          null+=("$LAST_SECONDS")
          ;;
        zstd3)
          run_dump_zstd
          zstd3+=("$LAST_SECONDS")
          zstd_bytes=$LAST_BYTES
          ;;
        pigz6)
          run_dump_pigz
          pigz6+=("$LAST_SECONDS")
          pigz_bytes=$LAST_BYTES
          ;;
      esac
      cpu[$order]+="$LAST_CPU "
      say "variant '$variant', round $round/$ROUNDS: $order ${LAST_SECONDS} s, machine CPU ${LAST_CPU} s"
    done
  done

  local m_ours m_gzip m_null peak
  m_ours=$(median "${ours[@]}")
  m_gzip=$(median "${gzip6[@]}")
  m_null=$(median "${null[@]}")
  peak=$(worker_peak_rss_kib)
  RATIO_TO_GZIP=$(ratio "$m_ours" "$m_gzip")
  RATIO_TO_NULL=$(ratio "$m_ours" "$m_null")
  # row LABEL KIND RUNS...: the medians of wall and machine CPU time, and the wall times
  row() {
    local label=$1 kind=$2
    shift 2
    local cpus
    read -r -a cpus <<<"${cpu[$kind]}"
    printf '%-34s %10s %10s %s\n' "$label" "$(median "$@")" "$(median "${cpus[@]}")" "$*"
  }
  local described
  described=$(variant_env "$variant" | sed 's/=[0-9a-f]\{64\}$/=<random 64-hex key>/')
  {
    echo
    echo "variant '$variant': ${described:-worker defaults}; worker JVM options: $(worker_jvm_options)"
    printf '%-34s %10s %10s %s\n' "" "median s" "CPU s" "runs (s); CPU s: the whole machine's"
    row "(a) ours, trigger to SUCCEEDED" ours "${ours[@]}"
    row "(b) pg_dump | gzip -6 > file" gzip6 "${gzip6[@]}"
    row "(c) pg_dump > /dev/null" null "${null[@]}"
    if [[ "$compression" == zstd ]]; then
      row "(d) pg_dump | zstd -3 -T0 > file" zstd3 "${zstd3[@]}"
    fi
    if ((${#pigz6[@]} > 0)); then
      row "(e) pg_dump | pigz -6 -p $(nproc) > file" pigz6 "${pigz6[@]}"
    fi
    case $compression in
      gzip)
        echo "ratio ours/(b): $RATIO_TO_GZIP   (target <= 0.75)"
        echo "ratio ours/(c): $RATIO_TO_NULL"
        local floor
        floor=$(ratio "$m_null" "$m_gzip")
        # a backup runs the same pg_dump: where the dump alone takes 0.75 of (b), none can show 0.75
        echo "ratio (c)/(b): $floor (the bare dump: no backup can be faster)$(awk -v f="$floor" \
          'BEGIN { if (f > 0.75) printf "; above 0.75: this machine cannot show the target" }')"
        if ((${#pigz6[@]} > 0)); then
          echo "ratio (e)/(b): $(ratio "$(median "${pigz6[@]}")" "$m_gzip") (pigz)"
        fi
        echo "output size: ours $(mib "$ours_bytes") ($ours_bytes bytes), pg_dump | gzip -6 $(mib "$gzip_bytes") ($gzip_bytes bytes): ours/(b) $(ratio "$ours_bytes" "$gzip_bytes")   (target within 2%)"
        ;;
      zstd)
        echo "ratio ours/(c): $RATIO_TO_NULL   (target <= 1.35)"
        echo "ratio ours/(b): $RATIO_TO_GZIP"
        echo "output size: ours $(mib "$ours_bytes") ($ours_bytes bytes), pg_dump | zstd -3 $(mib "$zstd_bytes") ($zstd_bytes bytes), pg_dump | gzip -6 $(mib "$gzip_bytes") ($gzip_bytes bytes)"
        ;;
      none)
        echo "ratio ours/(c): $RATIO_TO_NULL"
        echo "output size: ours $(mib "$ours_bytes") ($ours_bytes bytes)"
        ;;
    esac
    echo "worker peak RSS (VmHWM): $(mib $((peak * 1024)))   (target <= 300 MiB)"
  } | tee -a "$RESULTS/summary.txt"
  stop_apps
}

main() {
  command -v curl >/dev/null || { echo "error: curl is missing" >&2; exit 1; }
  ensure_database
  say "database '$DB': $(psql_admin "SELECT pg_size_pretty(pg_database_size('$DB'))"), pg_dump: $("$PG_BIN/pg_dump" --version)"
  ensure_vhost
  trap stop_apps EXIT
  if [[ "$WARMUP" == 1 ]]; then
    say "warm-up: one unmeasured pg_dump > /dev/null"
    run_dump_null
  fi
  {
    echo "Kanbu Backup pipeline benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs"
    echo "database '$DB': $DATA data, scale $SCALE, $(psql_admin "SELECT pg_size_pretty(pg_database_size('$DB'))"); $ROUNDS round(s) per variant"
  } | tee "$RESULTS/summary.txt"
  # a variant's cost against its base, each normalised by the baseline measured beside it
  local variant plain_ratio="" zstd_ratio="" base base_ratio ratio_now
  for variant in "${VARIANTS[@]}"; do
    measure_variant "$variant"
    case $variant in
      plain) plain_ratio=$RATIO_TO_GZIP ;;
      zstd) zstd_ratio=$RATIO_TO_NULL ;;
    esac
    case $variant in
      zlib | encrypted | rows-off) base=plain base_ratio=$plain_ratio ratio_now=$RATIO_TO_GZIP ;;
      zstd-encrypted) base=zstd base_ratio=$zstd_ratio ratio_now=$RATIO_TO_NULL ;;
      *) base="" ;;
    esac
    if [[ -n "$base" && -n "$base_ratio" ]]; then
      echo "variant '$variant' costs $(awk -v a="$ratio_now" -v b="$base_ratio" 'BEGIN { printf "%+.1f%%", (a / b - 1) * 100 }') against '$base'$([[ "$variant" == *encrypted ]] && echo '   (target <= +5%)')" |
        tee -a "$RESULTS/summary.txt"
    fi
  done
}

case ${BENCH_MODE:-backup} in
  backup) main ;;
  restore) main_restore ;;
  *) echo "error: BENCH_MODE='${BENCH_MODE}' is neither backup nor restore" >&2; exit 1 ;;
esac
