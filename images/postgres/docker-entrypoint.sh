#!/usr/bin/env bash
# Entrypoint of venomqa/postgres. Compatible with the official postgres image's variables:
#
#   POSTGRES_USER              bootstrap superuser (default: postgres)
#   POSTGRES_PASSWORD          its password; required unless POSTGRES_HOST_AUTH_METHOD=trust
#   POSTGRES_DB                database created on first start (default: $POSTGRES_USER)
#   POSTGRES_INITDB_ARGS       extra initdb arguments (shell-quoted, appended last so they win)
#   POSTGRES_HOST_AUTH_METHOD  pg_hba method for TCP connections (default: scram-sha-256)
#   PGDATA                     data directory (default: /var/lib/postgresql/data)
#   *_FILE                     POSTGRES_PASSWORD_FILE etc. read the value from a file
# and venomqa's own:
#   PGPORT                     port to listen on (default: 5432), so host networking can pick one
#   VENOMQA_LISTEN             listen_addresses (default: *)
#
# The password reaches initdb through a private temporary file that is deleted right after;
# it is never put on a command line and never printed. /docker-entrypoint-initdb.d/*.sql,
# *.sql.gz and *.sh run once on first start, as with the official image.
set -Eeuo pipefail

log() { printf 'venomqa-entrypoint: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# file_env VAR [default]: VAR, or the contents of the file named by VAR_FILE, or default.
file_env() {
  local var="$1" fvar="${1}_FILE" def="${2:-}" val
  if [ -n "${!var:-}" ] && [ -n "${!fvar:-}" ]; then
    die "both $var and $fvar are set; set only one"
  fi
  val="$def"
  if [ -n "${!var:-}" ]; then
    val="${!var}"
  elif [ -n "${!fvar:-}" ]; then
    [ -r "${!fvar}" ] || die "$fvar names ${!fvar}, which is not readable"
    val="$(< "${!fvar}")"
  fi
  export "$var"="$val"
  unset "$fvar"
}

setup_env() {
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  : "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"
  : "${PGDATA:=/var/lib/postgresql/data}"
  : "${PGPORT:=5432}"
  : "${VENOMQA_LISTEN:=*}"
  export POSTGRES_HOST_AUTH_METHOD PGDATA PGPORT VENOMQA_LISTEN
  case "$PGPORT" in
    '' | *[!0-9]*) die "PGPORT must be a port number, got '$PGPORT'" ;;
  esac
}

# Runs as root: make PGDATA (possibly an empty tmpfs or volume owned by root) and the socket
# directory usable by the postgres user.
prepare_dirs_as_root() {
  mkdir -p "$PGDATA" /var/run/postgresql
  if [ "$(stat -c %u "$PGDATA")" != "$(id -u postgres)" ]; then
    chown postgres:postgres "$PGDATA"
  fi
  chmod 0700 "$PGDATA"
  chown postgres:postgres /var/run/postgresql
  chmod 3777 /var/run/postgresql
}

temp_server_start() {
  # Unix socket only, so nothing (health check included) can reach it over TCP before the
  # real server is up. Its "ready to accept connections" line is the first of the two a
  # fresh container prints, exactly like the official image.
  pg_ctl -D "$PGDATA" -w -t 60 -o "-c listen_addresses='' -p $PGPORT" start
}

temp_server_stop() {
  pg_ctl -D "$PGDATA" -m fast -w -t 60 stop
}

run_initdb_scripts() {
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    [ -e "$f" ] || continue
    case "$f" in
      *.sh)
        if [ -x "$f" ]; then
          log "running $f"
          "$f"
        else
          log "sourcing $f"
          # shellcheck disable=SC1090
          . "$f"
        fi
        ;;
      *.sql)
        log "running $f"
        psql_init -f "$f"
        ;;
      *.sql.gz)
        log "running $f"
        gzip -dc "$f" | psql_init
        ;;
      *) log "ignoring $f" ;;
    esac
  done
}

psql_init() {
  psql -X -q -v ON_ERROR_STOP=1 --no-password --username "$POSTGRES_USER" \
    --dbname "$POSTGRES_DB" -h /var/run/postgresql -p "$PGPORT" "$@"
}

init_cluster() {
  if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
    die "POSTGRES_PASSWORD is not set. Set a password (-e POSTGRES_PASSWORD=...), or accept \
unauthenticated TCP connections with -e POSTGRES_HOST_AUTH_METHOD=trust."
  fi
  if [ ! -w "$PGDATA" ] || [ "$(stat -c %u "$PGDATA")" != "$(id -u)" ]; then
    die "PGDATA $PGDATA is not owned by uid $(id -u) or not writable. Start the container as \
root (the default; the entrypoint chowns it), chown it, or for a tmpfs as a non-root user use \
--tmpfs $PGDATA:uid=$(id -u),gid=$(id -g),mode=0700"
  fi
  if [ -n "$(ls -A "$PGDATA" 2> /dev/null)" ]; then
    die "PGDATA $PGDATA is not empty but holds no PG_VERSION; refusing to initdb over it"
  fi

  # As PID 1 the shell would ignore `docker stop` until initialisation is over; stop instead
  # (after the command that is running), leaving no half-initialised server behind.
  pwfile=""
  trap 'log "interrupted during initialisation"; [ -z "$pwfile" ] || rm -f "$pwfile"
    temp_server_stop > /dev/null 2>&1 || true; exit 130' INT TERM
  log "initialising $PGDATA (user '$POSTGRES_USER', database '$POSTGRES_DB')"
  if [ -n "$POSTGRES_PASSWORD" ]; then
    pwfile="$(mktemp)" # mode 0600, owned by the postgres user
    printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  fi
  # --no-sync: fsync is off anyway. Defaults first, POSTGRES_INITDB_ARGS last so it can
  # override them (eval keeps its shell quoting, as the official image does).
  local rc=0
  eval 'initdb --username="$POSTGRES_USER" ${pwfile:+--pwfile="$pwfile"} \
    --auth-local=trust --auth-host="$POSTGRES_HOST_AUTH_METHOD" \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync --no-instructions '"$POSTGRES_INITDB_ARGS" \
    > /dev/null || rc=$?
  [ -z "$pwfile" ] || rm -f "$pwfile"
  pwfile=""
  [ "$rc" = 0 ] || die "initdb failed (exit $rc)"

  {
    printf '\n# venomqa: every host may connect, with %s (a disposable test database).\n' \
      "$POSTGRES_HOST_AUTH_METHOD"
    printf 'host all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD"
  } >> "$PGDATA/pg_hba.conf"
  include_tuning

  temp_server_start
  if [ "$POSTGRES_DB" != postgres ]; then
    psql -X -q -v ON_ERROR_STOP=1 --no-password --username "$POSTGRES_USER" --dbname postgres \
      -h /var/run/postgresql -p "$PGPORT" --set db="$POSTGRES_DB" <<< 'CREATE DATABASE :"db";'
  fi
  run_initdb_scripts
  temp_server_stop
  trap - INT TERM
  log "initialisation done"
}

# The tuned settings live in the image (/etc/postgresql/venomqa.conf) and are included at
# the end of the cluster's postgresql.conf, so they win over initdb's values; command-line
# -c options and ALTER SYSTEM still win over them.
include_tuning() {
  local line="include_if_exists = '/etc/postgresql/venomqa.conf'"
  if ! grep -qxF "$line" "$PGDATA/postgresql.conf"; then
    printf '\n# venomqa tuning (see the image README)\n%s\n' "$line" >> "$PGDATA/postgresql.conf"
  fi
}

main() {
  # `docker run IMAGE -c foo=bar` means `postgres -c foo=bar`.
  if [ "$#" -eq 0 ] || [ "${1:0:1}" = '-' ]; then
    set -- postgres "$@"
  fi
  if [ "$1" != postgres ]; then
    exec "$@"
  fi

  setup_env
  if [ "$(id -u)" = 0 ]; then
    prepare_dirs_as_root
    export HOME=/var/lib/postgresql
    exec setpriv --reuid=postgres --regid=postgres --init-groups -- "${BASH_SOURCE[0]}" "$@"
  fi

  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    init_cluster
  else
    include_tuning
  fi

  shift # "postgres"
  exec postgres -p "$PGPORT" -c "listen_addresses=$VENOMQA_LISTEN" "$@"
}

main "$@"
