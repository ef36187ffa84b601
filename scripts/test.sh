#!/usr/bin/env bash
# Runs every test of Kanbu Backup: ./scripts/test.sh [extra Maven arguments]
#
# The integration tests need PostgreSQL and RabbitMQ. By default they use the ones on this machine
# (KANBU_TEST_POSTGRES_URL, KANBU_TEST_RABBITMQ_URL; defaults below). With
# KANBU_TEST_SERVICES=testcontainers they start their own in Docker instead.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$ROOT/scripts/lib/common.sh"

if [[ "${KANBU_TEST_SERVICES:-local}" == testcontainers ]]; then
  unset KANBU_TEST_POSTGRES_URL KANBU_TEST_RABBITMQ_URL
else
  export KANBU_TEST_POSTGRES_URL=${KANBU_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
  export KANBU_TEST_RABBITMQ_URL=${KANBU_TEST_RABBITMQ_URL:-amqp://guest:guest@127.0.0.1:5672/}
  kanbu_prepare_password_auth "$KANBU_TEST_POSTGRES_URL"
fi
kanbu_pick_java_home

cd "$ROOT"
exec ./mvnw -B verify "$@"
