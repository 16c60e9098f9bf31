#!/usr/bin/env bash
# Starts the MariaDB and Redis servers the state-backend integration tests use, on loopback and
# on non-default ports so they never collide with a system service. Idempotent: a server that
# already answers is left alone. Run as root on Debian; installs the packages when missing.
#
# Prints the variables to export on stdout (everything else goes to stderr):
#   VENOMQA_TEST_MYSQL_URL=mysql://venomqa:venomqa@127.0.0.1:3390/venomqa_test
#   VENOMQA_TEST_REDIS_URL=redis://127.0.0.1:6390/0
#
# Stop them with:  kill "$(cat /tmp/venomqa-redis.pid)" "$(cat /tmp/venomqa-mariadb.pid)"
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

REDIS_PORT="${VENOMQA_SERVICES_REDIS_PORT:-6390}"
MYSQL_PORT="${VENOMQA_SERVICES_MYSQL_PORT:-3390}"
REDIS_PIDFILE=/tmp/venomqa-redis.pid
REDIS_LOG=/tmp/venomqa-redis.log
MARIADB_ROOT=/tmp/venomqa-mariadb
MARIADB_DATADIR="$MARIADB_ROOT/data"
MARIADB_SOCKET=/tmp/venomqa-mariadb.sock
MARIADB_PIDFILE=/tmp/venomqa-mariadb.pid
MARIADB_LOG=/tmp/venomqa-mariadb.log

log() { printf '[services] %s\n' "$*" >&2; }
fail() { printf '[services] error: %s\n' "$*" >&2; exit 1; }

# --- packages --------------------------------------------------------------------------
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
if ((${#need[@]})); then
  log "installing ${need[*]}"
  # Only refresh the package lists when apt has none (a fresh machine or a slimmed image).
  if ! apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  # Debian's postinst may start the distribution's own services; ours use other ports, so
  # they are left running rather than stopped behind the user's back.
fi
MARIADBD=$(command -v mariadbd || echo /usr/sbin/mariadbd)

# --- redis -----------------------------------------------------------------------------
if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
  log "redis already answers on 127.0.0.1:$REDIS_PORT"
else
  log "starting redis-server on 127.0.0.1:$REDIS_PORT"
  # No persistence: test data is throwaway, and a dump file would outlive the run.
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --daemonize yes --pidfile "$REDIS_PIDFILE" --logfile "$REDIS_LOG" --dir /tmp
  for _ in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
    sleep 0.1
  done
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG \
    || { tail -20 "$REDIS_LOG" >&2; fail "redis did not answer on port $REDIS_PORT"; }
fi

# --- mariadb ---------------------------------------------------------------------------
mariadb_root() { mariadb --no-defaults --socket="$MARIADB_SOCKET" -uroot "$@"; }

if mariadb_root -e 'select 1' >/dev/null 2>&1; then
  log "mariadb already answers on $MARIADB_SOCKET"
else
  if [ ! -d "$MARIADB_DATADIR/mysql" ]; then
    log "initialising a MariaDB data directory in $MARIADB_DATADIR"
    rm -rf "$MARIADB_DATADIR"
    mkdir -p "$MARIADB_DATADIR"
    chown -R mysql:mysql "$MARIADB_ROOT"
    # root@localhost authenticates by unix socket (the OS user), so no password is stored.
    mariadb-install-db --no-defaults --user=mysql --datadir="$MARIADB_DATADIR" \
      --auth-root-authentication-method=socket --skip-test-db >"$MARIADB_ROOT/install.log" 2>&1 \
      || { tail -20 "$MARIADB_ROOT/install.log" >&2; fail "mariadb-install-db failed"; }
  fi
  log "starting mariadbd on 127.0.0.1:$MYSQL_PORT"
  # --no-defaults: /etc/mysql settings (another port, another datadir) must not leak in.
  nohup "$MARIADBD" --no-defaults --user=mysql --datadir="$MARIADB_DATADIR" \
    --bind-address=127.0.0.1 --port="$MYSQL_PORT" --socket="$MARIADB_SOCKET" \
    --skip-networking=0 --pid-file="$MARIADB_PIDFILE" --log-error="$MARIADB_LOG" \
    --innodb-flush-log-at-trx-commit=0 --skip-log-bin >/dev/null 2>&1 &
  for _ in $(seq 1 120); do
    mariadb_root -e 'select 1' >/dev/null 2>&1 && break
    sleep 0.25
  done
  mariadb_root -e 'select 1' >/dev/null 2>&1 \
    || { tail -20 "$MARIADB_LOG" >&2; fail "mariadb did not answer on $MARIADB_SOCKET"; }
fi

mariadb_root <<'SQL'
CREATE DATABASE IF NOT EXISTS venomqa_test CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS 'venomqa'@'127.0.0.1' IDENTIFIED BY 'venomqa';
CREATE USER IF NOT EXISTS 'venomqa'@'localhost' IDENTIFIED BY 'venomqa';
GRANT ALL PRIVILEGES ON venomqa_test.* TO 'venomqa'@'127.0.0.1';
GRANT ALL PRIVILEGES ON venomqa_test.* TO 'venomqa'@'localhost';
FLUSH PRIVILEGES;
SQL

# Over TCP as the test user, the way the tests connect.
for _ in $(seq 1 40); do
  mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$MYSQL_PORT" -uvenomqa -pvenomqa \
    venomqa_test -e 'select 1' >/dev/null 2>&1 && break
  sleep 0.25
done
mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$MYSQL_PORT" -uvenomqa -pvenomqa \
  venomqa_test -e 'select 1' >/dev/null || fail "mariadb does not accept venomqa over TCP"

log "ready"
echo "VENOMQA_TEST_MYSQL_URL=mysql://venomqa:venomqa@127.0.0.1:$MYSQL_PORT/venomqa_test"
echo "VENOMQA_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
