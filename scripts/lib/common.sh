# shellcheck shell=bash
# Sourced by the scripts in scripts/ and bench/: small helpers they share.

# The major version of the JDK at $1 ("1" for Java 8), empty if it does not run.
kanbu_java_major() {
  local version
  version=$("$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = //p') || true
  printf '%s\n' "${version%%.*}"
}

# Exports JAVA_HOME pointing at a JDK 21 or newer: $JAVA_HOME if it is one, else the Temurin 25
# install of the build machines; fails with a message saying what to set.
kanbu_pick_java_home() {
  local fallback=/usr/lib/jvm/temurin-25-jdk-amd64 major
  if [[ -n "${JAVA_HOME:-}" ]]; then
    if [[ -x "$JAVA_HOME/bin/javac" ]]; then
      major=$(kanbu_java_major "$JAVA_HOME")
      if [[ "$major" =~ ^[0-9]+$ ]] && ((major >= 21)); then
        export JAVA_HOME
        return 0
      fi
      echo "note: JAVA_HOME=$JAVA_HOME is Java ${major:-unknown}; Kanbu Backup needs 21 or newer" >&2
    else
      echo "note: JAVA_HOME=$JAVA_HOME is not a JDK (no bin/javac)" >&2
    fi
  fi
  if [[ -x "$fallback/bin/javac" ]]; then
    export JAVA_HOME=$fallback
    return 0
  fi
  echo "error: no JDK 21 or newer found; install one and point JAVA_HOME at it," \
    "for example: export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64" >&2
  return 1
}

# Succeeds if something accepts TCP connections on host $1, port $2 (within 3 seconds).
kanbu_port_open() {
  # shellcheck disable=SC2016 # expanded by the inner bash, from its arguments
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# The wrong-password tests need a PostgreSQL that checks passwords for at least one group of roles;
# a local server that trusts 127.0.0.1 (as on the build machines) accepts any password. This adds,
# once, a scram-sha-256 rule for the group role kanbu_password_auth before the server's first rule,
# and reloads it. It changes nothing else and does nothing where it lacks the rights or the rule
# is already there. $1 = a psql connection URL for a superuser.
kanbu_prepare_password_auth() {
  local url=$1 hba
  hba=$(psql -X -At -d "$url" -c 'SHOW hba_file' 2>/dev/null) || return 0
  [[ -n "$hba" && -f "$hba" ]] || return 0
  grep -q '+kanbu_password_auth' "$hba" && return 0
  if [[ ! -w "$hba" ]]; then
    echo "note: the wrong-password tests need this line before the other rules of $hba:" \
      "host all +kanbu_password_auth 127.0.0.1/32 scram-sha-256 (then reload PostgreSQL)" >&2
    return 0
  fi
  psql -X -q -d "$url" -c "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kanbu_password_auth') THEN CREATE ROLE kanbu_password_auth NOLOGIN; END IF; END\$\$" >/dev/null
  awk 'BEGIN { done = 0 }
       !done && /^[[:space:]]*(local|host)/ {
         print "# Kanbu Backup tests: roles in this group must give their password."
         print "host all +kanbu_password_auth 127.0.0.1/32 scram-sha-256"
         done = 1
       }
       { print }' "$hba" >"$hba.kanbu-tmp" && cat "$hba.kanbu-tmp" >"$hba" && rm -f "$hba.kanbu-tmp"
  psql -X -q -d "$url" -c 'SELECT pg_reload_conf()' >/dev/null
  echo "note: added a scram-sha-256 rule for role group kanbu_password_auth to $hba" >&2
}

# Makes sure RabbitMQ virtual host $1 exists (rabbitmqctl, on this machine) and that user $2 may
# use it; "/" is left alone. Benchmarks run in a virtual host of their own, so that no other
# consumer of the same broker (tests, another local run) takes their commands.
kanbu_ensure_vhost() {
  local vhost=$1 user=$2
  [[ "$vhost" == / ]] && return 0
  command -v rabbitmqctl >/dev/null ||
    { echo "error: rabbitmqctl is missing; create vhost '$vhost' by hand or use '/'" >&2; return 1; }
  if ! rabbitmqctl -q list_vhosts name 2>/dev/null | grep -qx -- "$vhost"; then
    echo "creating RabbitMQ virtual host '$vhost'"
    rabbitmqctl -q add_vhost "$vhost" >/dev/null
  fi
  rabbitmqctl -q set_permissions -p "$vhost" "$user" '.*' '.*' '.*' >/dev/null
}
