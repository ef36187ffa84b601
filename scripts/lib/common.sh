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
