#!/bin/sh
# Installs the PostgreSQL client programs (pg_dump, psql) of every major version given, side by
# side from the PostgreSQL project's Debian repository (PGDG), each in /usr/lib/postgresql/<major>/bin:
# the directories the worker's PgToolLocator searches, so that a dump is always taken with a
# pg_dump of the server's own major (a newer one when the exact major is missing).
#
#   install-pg-clients.sh 13 14 15 16 17
#
# Used by the Dockerfiles of the worker (backups, restores) and the gateway (its status report
# shows the pg_dump it finds). WorkerImageTest checks the list and the layout against the locator.
set -eu

[ "$#" -gt 0 ] || { echo "usage: $0 MAJOR..." >&2; exit 2; }
packages=""
for major in "$@"; do
  case $major in
    *[!0-9]* | '') echo "error: '$major' is not a PostgreSQL major version number" >&2; exit 2 ;;
  esac
  packages="$packages postgresql-client-$major"
done

apt-get update
apt-get install -y --no-install-recommends ca-certificates curl
install -d /usr/share/postgresql-common/pgdg
curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
  https://www.postgresql.org/media/keys/ACCC4CF8.asc
# shellcheck disable=SC1091 # the base image's
. /etc/os-release
echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt ${VERSION_CODENAME}-pgdg main" \
  >/etc/apt/sources.list.d/pgdg.list
apt-get update
# shellcheck disable=SC2086 # one word per package
apt-get install -y --no-install-recommends $packages
rm -rf /var/lib/apt/lists/*

# Each major where the locator looks for it, answering with its own version.
for major in "$@"; do
  for tool in pg_dump psql; do
    "/usr/lib/postgresql/$major/bin/$tool" --version | grep -q "(PostgreSQL) $major\." ||
      { echo "error: /usr/lib/postgresql/$major/bin/$tool is not version $major" >&2; exit 1; }
  done
done
