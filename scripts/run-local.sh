#!/usr/bin/env bash
# Runs Kanbu Backup on this machine: the API gateway, the scheduler and one worker, against the
# PostgreSQL and RabbitMQ that already run here (every address can be changed by environment).
#
#   ./scripts/run-local.sh          build if needed, start, wait until healthy, print how to use it
#   ./scripts/run-local.sh stop     stop what this script started
#   ./scripts/run-local.sh status   show what runs and whether it is healthy
#
# Logs go to ./run/logs/, pid files to ./run/pids/ (KANBU_RUN_DIR moves both). The apps are
# rebuilt when a jar is missing or older than a source; KANBU_SKIP_BUILD=1 uses the jars as they are.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$ROOT/scripts/lib/common.sh"

# Paths are made absolute: the apps run from the repository root, not from the caller's directory.
RUN_DIR=$(realpath -m "${KANBU_RUN_DIR:-$ROOT/run}")
LOG_DIR=$RUN_DIR/logs
PID_DIR=$RUN_DIR/pids
START_TIMEOUT=${KANBU_START_TIMEOUT:-120}

GATEWAY_PORT=${GATEWAY_PORT:-8080}
WORKER_PORT=${WORKER_PORT:-8081}
SCHEDULER_PORT=${SCHEDULER_PORT:-8082}
APPS=(api-gateway scheduler backup-worker)

# Settings the three apps read; exported so that every app sees the same ones.
export KANBU_CATALOG_URL=${KANBU_CATALOG_URL:-jdbc:postgresql://127.0.0.1:5432/kanbu_backup}
export KANBU_CATALOG_USER=${KANBU_CATALOG_USER:-postgres}
export KANBU_CATALOG_PASSWORD=${KANBU_CATALOG_PASSWORD:-}
export RABBITMQ_HOST=${RABBITMQ_HOST:-127.0.0.1}
export RABBITMQ_PORT=${RABBITMQ_PORT:-5672}
export RABBITMQ_USER=${RABBITMQ_USER:-guest}
export RABBITMQ_PASSWORD=${RABBITMQ_PASSWORD:-guest}
export RABBITMQ_VHOST=${RABBITMQ_VHOST:-/}
# The demo backs up the catalog database itself (wherever KANBU_CATALOG_URL points), and this
# source tree.
if [[ -z "${DATABASE_URL:-}" ]]; then
  DATABASE_URL="postgresql://$KANBU_CATALOG_USER${KANBU_CATALOG_PASSWORD:+:$KANBU_CATALOG_PASSWORD}@${KANBU_CATALOG_URL#jdbc:postgresql://}"
fi
export DATABASE_URL
KANBU_SOURCE_PATH=$(realpath -m "${KANBU_SOURCE_PATH:-$ROOT}")
export KANBU_SOURCE_PATH
export BACKUP_STORAGE=${BACKUP_STORAGE:-local}
BACKUP_LOCAL_PATH=$(realpath -m "${BACKUP_LOCAL_PATH:-$RUN_DIR/backups}")
export BACKUP_LOCAL_PATH
export BACKUP_WORKER_CONCURRENCY=${BACKUP_WORKER_CONCURRENCY:-1}

die() {
  echo "error: $*" >&2
  exit 1
}

declare -A PORT=([api-gateway]=$GATEWAY_PORT [scheduler]=$SCHEDULER_PORT [backup-worker]=$WORKER_PORT)
declare -A PORT_VARIABLE=([api-gateway]=GATEWAY_PORT [scheduler]=SCHEDULER_PORT [backup-worker]=WORKER_PORT)
# JVM options per app, split on spaces. The defaults keep each app small: the pipeline streams,
# so a worker needs little heap whatever the database size; most of its memory is class metadata
# and JIT. The worker runs C1 only (TieredStopAtLevel=1): its hot work is zlib and intrinsics, so
# C2 buys it nothing but about 45 MiB of code cache and compiler arenas (bench/pipeline.sh).
# The worker's heap: its live set is about 48 MiB after start (Spring, Hibernate, the clients) and
# a job adds its buffers (about 12 MiB: compression blocks, stage buffers), so 80 MiB for one slot
# and 16 MiB per further slot (BACKUP_WORKER_CONCURRENCY). Every MiB of -Xmx ends up resident: the
# start-up's garbage fills the heap to its maximum before the first full collection.
SMALL_JVM='-XX:+UseSerialGC -Xms16m -XX:+ExitOnOutOfMemoryError'
WORKER_SLOTS=${BACKUP_WORKER_CONCURRENCY:-1}
[[ "$WORKER_SLOTS" =~ ^[1-9][0-9]*$ ]] ||
  die "BACKUP_WORKER_CONCURRENCY='$WORKER_SLOTS' is not a positive number"
WORKER_HEAP_MIB=$((80 + 16 * (WORKER_SLOTS - 1)))
declare -A JAVA_OPTS_OF=(
  [api-gateway]=${GATEWAY_JAVA_OPTS:-$SMALL_JVM -Xmx192m}
  [scheduler]=${SCHEDULER_JAVA_OPTS:-$SMALL_JVM -Xmx128m}
  [backup-worker]=${WORKER_JAVA_OPTS:-$SMALL_JVM -Xmx${WORKER_HEAP_MIB}m -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m}
)
# glibc gives every thread that mallocs its own 64 MiB arena; zlib's per-thread state would spread
# over several of them.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}

jar_of() {
  local jars=("$ROOT/$1/target/$1"-*-exec.jar)
  [[ -f "${jars[0]}" ]] && echo "${jars[0]}"
}

# The pid of a running app started by this script, or nothing. A pid file whose process is gone
# (or is now some other program) is stale and removed.
pid_of() {
  local file=$PID_DIR/$1.pid pid
  [[ -f "$file" ]] || return 0
  pid=$(<"$file")
  if [[ "$pid" =~ ^[0-9]+$ ]] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- "$1-.*-exec\.jar"; then
    echo "$pid"
  else
    rm -f "$file"
  fi
}

health_of() {
  curl -fsS --max-time 3 "http://127.0.0.1:${PORT[$1]}/actuator/health" 2>/dev/null || true
}

is_up() {
  [[ "$(health_of "$1")" == *'"status":"UP"'* ]]
}

needs_build() {
  local app jar oldest=""
  for app in "${APPS[@]}"; do
    jar=$(jar_of "$app") || return 0
    if [[ -z "$oldest" || "$jar" -ot "$oldest" ]]; then
      oldest=$jar
    fi
  done
  # Any pom or main source newer than the oldest jar means the jars are out of date.
  [[ -n "$(find "$ROOT" -maxdepth 1 -name pom.xml -newer "$oldest" -print -quit)" ]] && return 0
  [[ -n "$(find "$ROOT"/*/pom.xml "$ROOT"/*/src/main -newer "$oldest" -type f -print -quit 2>/dev/null)" ]]
}

build() {
  echo "building the apps (./mvnw package, tests skipped; a few minutes the first time)..."
  (cd "$ROOT" && ./mvnw -B -q -DskipTests -pl api-gateway,scheduler,backup-worker -am package) ||
    die "the build failed; see the output above"
  local app
  for app in "${APPS[@]}"; do
    jar_of "$app" >/dev/null || die "the build did not produce $app/target/$app-*-exec.jar"
  done
}

# Creates the catalog database named in KANBU_CATALOG_URL if it does not exist.
ensure_catalog() {
  local url=$KANBU_CATALOG_URL
  [[ "$url" =~ ^jdbc:postgresql://([^/:?]+)(:([0-9]+))?/([A-Za-z0-9_]+)([?].*)?$ ]] ||
    die "KANBU_CATALOG_URL='$url' is not a JDBC URL like jdbc:postgresql://127.0.0.1:5432/kanbu_backup"
  local host=${BASH_REMATCH[1]} port=${BASH_REMATCH[3]:-5432} db=${BASH_REMATCH[4]}
  command -v psql >/dev/null || die "psql is missing; install the PostgreSQL client (apt-get install postgresql-client)"
  local exists
  exists=$(PGPASSWORD=$KANBU_CATALOG_PASSWORD PGCONNECT_TIMEOUT=5 psql -X -w -q -h "$host" -p "$port" \
    -U "$KANBU_CATALOG_USER" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'") ||
    die "cannot reach PostgreSQL at $host:$port as '$KANBU_CATALOG_USER' (KANBU_CATALOG_URL, KANBU_CATALOG_USER, KANBU_CATALOG_PASSWORD); is it running?"
  if [[ "$exists" != 1 ]]; then
    echo "creating catalog database '$db' on $host:$port"
    PGPASSWORD=$KANBU_CATALOG_PASSWORD psql -X -w -q -h "$host" -p "$port" -U "$KANBU_CATALOG_USER" \
      -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null ||
      die "cannot create database '$db'; create it by hand or give KANBU_CATALOG_USER the CREATEDB right"
  fi
}

ensure_rabbitmq() {
  kanbu_port_open "$RABBITMQ_HOST" "$RABBITMQ_PORT" ||
    die "RabbitMQ does not answer on $RABBITMQ_HOST:$RABBITMQ_PORT (RABBITMQ_HOST, RABBITMQ_PORT); start it, e.g. 'rabbitmq-server -detached'"
}

# Sets TRIGGER_KEY: BACKUP_TRIGGER_API_KEY if set, else the key kept in the run directory,
# generated on first use (readable by this user only).
ensure_trigger_key() {
  local file=$RUN_DIR/trigger-key
  if [[ -n "${BACKUP_TRIGGER_API_KEY:-}" ]]; then
    TRIGGER_KEY=$BACKUP_TRIGGER_API_KEY
    TRIGGER_KEY_SOURCE="BACKUP_TRIGGER_API_KEY"
    return
  fi
  if [[ ! -s "$file" ]]; then
    (umask 077 && head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$file")
  fi
  chmod 600 "$file"
  TRIGGER_KEY=$(<"$file")
  TRIGGER_KEY_SOURCE=$file
}

# Sets ADMIN_PASSWORD like TRIGGER_KEY: BACKUP_ADMIN_PASSWORD if set, else one kept in the run
# directory. The gateway uses it only when the catalog has no user yet (its first start).
ensure_admin_password() {
  local file=$RUN_DIR/admin-password
  if [[ -n "${BACKUP_ADMIN_PASSWORD:-}" ]]; then
    ADMIN_PASSWORD=$BACKUP_ADMIN_PASSWORD
    ADMIN_PASSWORD_SOURCE="BACKUP_ADMIN_PASSWORD"
    return
  fi
  if [[ ! -s "$file" ]]; then
    (umask 077 && head -c 18 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$file")
  fi
  chmod 600 "$file"
  ADMIN_PASSWORD=$(<"$file")
  ADMIN_PASSWORD_SOURCE=$file
}

start_app() {
  local app=$1 jar opts pid i
  jar=$(jar_of "$app")
  read -r -a opts <<<"${JAVA_OPTS_OF[$app]}"
  if kanbu_port_open 127.0.0.1 "${PORT[$app]}"; then
    die "port ${PORT[$app]} for $app is taken by another program; free it or set ${PORT_VARIABLE[$app]}"
  fi
  echo "starting $app on port ${PORT[$app]} (log: $LOG_DIR/$app.log)"
  (
    cd "$ROOT"
    export SERVER_PORT=${PORT[$app]}
    if [[ $app == api-gateway ]]; then
      export BACKUP_TRIGGER_API_KEY=$TRIGGER_KEY
      export BACKUP_ADMIN_PASSWORD=$ADMIN_PASSWORD
    fi
    exec nohup "$JAVA_HOME/bin/java" "${opts[@]}" -jar "$jar" >"$LOG_DIR/$app.log" 2>&1 </dev/null
  ) &
  pid=$!
  echo "$pid" >"$PID_DIR/$app.pid"
  # The pid file is trusted only while that pid runs our jar; wait for the exec to happen.
  for ((i = 0; i < 50; i++)); do
    [[ -n "$(pid_of "$app")" ]] && return 0
    kill -0 "$pid" 2>/dev/null || break
    echo "$pid" >"$PID_DIR/$app.pid"
    sleep 0.1
  done
  fail_start "$app did not start" "$app"
}

stop_app() {
  local app=$1 pid i
  pid=$(pid_of "$app")
  [[ -n "$pid" ]] || return 0
  echo "stopping $app (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$app did not stop within 30 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_DIR/$app.pid"
}

# Waits until every app reports UP; on a crash or a timeout prints the log tail and stops them all.
await_healthy() {
  local deadline=$((SECONDS + START_TIMEOUT)) app pending
  while :; do
    pending=()
    for app in "${APPS[@]}"; do
      if [[ -z "$(pid_of "$app")" ]]; then
        fail_start "$app exited during start-up" "$app"
      fi
      is_up "$app" || pending+=("$app")
    done
    ((${#pending[@]} == 0)) && return 0
    if ((SECONDS >= deadline)); then
      fail_start "${pending[*]} not healthy after ${START_TIMEOUT} s (KANBU_START_TIMEOUT)" "${pending[@]}"
    fi
    sleep 1
  done
}

fail_start() {
  local message=$1 app
  shift
  local show=("$@")
  ((${#show[@]} > 0)) || show=("${APPS[@]}")
  echo "error: $message" >&2
  for app in "${show[@]}"; do
    if [[ -f "$LOG_DIR/$app.log" ]]; then
      # Stack frames crowd out the messages that say what went wrong; leave them to the log.
      echo "---- end of $LOG_DIR/$app.log (stack frames left out) ----" >&2
      grep -v -E '^[[:space:]]+(at |\.\.\. [0-9]+ more)' "$LOG_DIR/$app.log" | tail -n 40 >&2
    fi
  done
  for app in "${APPS[@]}"; do
    stop_app "$app"
  done
  exit 1
}

cmd_start() {
  mkdir -p "$LOG_DIR" "$PID_DIR" "$BACKUP_LOCAL_PATH"
  local app running=()
  for app in "${APPS[@]}"; do
    [[ -n "$(pid_of "$app")" ]] && running+=("$app")
  done
  if ((${#running[@]} > 0)); then
    die "already running: ${running[*]}; see './scripts/run-local.sh status', or stop it first"
  fi
  kanbu_pick_java_home
  if [[ "${KANBU_SKIP_BUILD:-0}" == 1 ]]; then
    for app in "${APPS[@]}"; do
      jar_of "$app" >/dev/null || die "KANBU_SKIP_BUILD=1 but $app/target/$app-*-exec.jar is missing"
    done
  elif needs_build; then
    build
  fi
  ensure_catalog
  ensure_rabbitmq
  ensure_trigger_key
  ensure_admin_password
  for app in "${APPS[@]}"; do
    start_app "$app"
  done
  echo "waiting until all three report healthy (at most ${START_TIMEOUT} s)..."
  await_healthy
  local api="http://127.0.0.1:$GATEWAY_PORT"
  cat <<EOF

Kanbu Backup is running.
  Dashboard:    $api/   (user ${BACKUP_ADMIN_USERNAME:-admin}, password $ADMIN_PASSWORD from $ADMIN_PASSWORD_SOURCE;
                used only when the catalog had no user yet)
  API:          $api   (OpenAPI: $api/v3/api-docs)
  Trigger key:  $TRIGGER_KEY   (from $TRIGGER_KEY_SOURCE)
  Backs up:     $(redact_url "$DATABASE_URL") -> $BACKUP_LOCAL_PATH
  Logs:         $LOG_DIR/
  Stop:         ./scripts/run-local.sh stop

Back up the database and wait for the result (at most 10 minutes):
  curl --fail -X POST '$api/api/backup/trigger?wait=600' \\
       -H 'X-Backup-Key: $TRIGGER_KEY' -H 'Content-Type: application/json' \\
       -d '{"type":"database"}'
EOF
}

# A postgresql:// URL without its password, for printing.
redact_url() {
  sed -E 's#(://[^:/@]+):[^@/]*@#\1:***@#' <<<"$1"
}

cmd_stop() {
  local app
  for app in "${APPS[@]}"; do
    stop_app "$app"
  done
}

cmd_status() {
  local app pid state
  for app in "${APPS[@]}"; do
    pid=$(pid_of "$app")
    if [[ -z "$pid" ]]; then
      state="not running"
    elif is_up "$app"; then
      state="running, healthy (pid $pid)"
    else
      state="running, NOT healthy (pid $pid; see $LOG_DIR/$app.log)"
    fi
    printf '%-14s port %-5s %s\n' "$app" "${PORT[$app]}" "$state"
  done
}

case ${1:-start} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  -h | --help | help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" ;;
  *) die "unknown command '$1'; use start (default), stop or status" ;;
esac
