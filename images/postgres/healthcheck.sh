#!/bin/sh
# HEALTHCHECK of venomqa/postgres: a real query over TCP, as POSTGRES_USER, with its
# password, against POSTGRES_DB, on PGPORT. Healthy means a client configured like the
# container can connect and run SQL (the temporary init server listens on the Unix socket
# only, so the container is never healthy before initialisation has finished).
set -eu

user="${POSTGRES_USER:-}"
if [ -z "$user" ] && [ -n "${POSTGRES_USER_FILE:-}" ]; then user="$(cat "$POSTGRES_USER_FILE")"; fi
user="${user:-postgres}"
db="${POSTGRES_DB:-}"
if [ -z "$db" ] && [ -n "${POSTGRES_DB_FILE:-}" ]; then db="$(cat "$POSTGRES_DB_FILE")"; fi
db="${db:-$user}"
password="${POSTGRES_PASSWORD:-}"
if [ -z "$password" ] && [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
  password="$(cat "$POSTGRES_PASSWORD_FILE")"
fi

# Connect to the first address postgres listens on; the wildcards mean loopback.
host="${VENOMQA_LISTEN:-*}"
host="${host%%,*}"
host="$(printf '%s' "$host" | tr -d ' ')"
case "$host" in
  '' | '*' | 0.0.0.0 | localhost) host=127.0.0.1 ;;
  '::') host=::1 ;;
esac

# The password goes through the environment, never the command line.
PGPASSWORD="$password" PGCONNECT_TIMEOUT=3 exec psql -X -w -q -A -t -v ON_ERROR_STOP=1 \
  -h "$host" -p "${PGPORT:-5432}" -U "$user" -d "$db" -c 'select 1' > /dev/null
