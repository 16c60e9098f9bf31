#!/usr/bin/env bash
# Measures what the venomqa/postgres image is tuned for: cloning a database with
# CREATE DATABASE ... TEMPLATE (STRATEGY FILE_COPY vs WAL_LOG) and dropping it.
#
#   bench/image/measure-clone.sh                 # build the image, run every variant
#   SKIP_BUILD=1 VARIANTS="tmpfs overlay" RUNS=9 bench/image/measure-clone.sh
#
# Environment:
#   IMAGE        image to build and run          (default venomqa/postgres:17)
#   BASE_IMAGE   build argument BASE_IMAGE       (default venomqa/base:trixie)
#   PORT         free loopback port to listen on (default 55433)
#   RUNS         repetitions per measurement     (default 5; medians are printed)
#   SCALE        pgbench scale of the template   (default 10, about 150 MB)
#   DIRTY_ROWS   rows updated in another database before each "dirty" clone (default 200000)
#   SKIP_BUILD   1 = use the image as it is
#   VARIANTS     which variants to run (names below; default: all)
#   SAMPLES      a file to append every raw sample to ("variant strategy what ms")
#
# Each variant runs one container (host networking, listening on 127.0.0.1:PORT only),
# loads `pgbench -i -s SCALE` into database `src`, then per run and per strategy:
#   clean: CHECKPOINT (untimed); CREATE DATABASE c TEMPLATE src STRATEGY s; DROP DATABASE c
#   dirty: UPDATE DIRTY_ROWS rows in database `busy` (untimed), then the same CREATE/DROP,
#          so the checkpoint that FILE_COPY and DROP force has real work to do.
# Times come from psql's \timing inside the container (no `docker exec` overhead). The
# WAL column is the WAL one clean CREATE writes. `ready` is seconds from `docker run` to the
# first successful TCP query with a fresh data directory.
#
# Containers are named vqa-bench-clone-<pid>-<variant> and removed on exit, whatever happens.
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
IMAGE="${IMAGE:-venomqa/postgres:17}"
BASE_IMAGE="${BASE_IMAGE:-venomqa/base:trixie}"
PORT="${PORT:-55433}"
RUNS="${RUNS:-5}"
SCALE="${SCALE:-10}"
DIRTY_ROWS="${DIRTY_ROWS:-200000}"
SKIP_BUILD="${SKIP_BUILD:-0}"
SAMPLES="${SAMPLES:-}"
PASSWORD=bench
PGDATA_DIR=/var/lib/postgresql/data

# name | storage (tmpfs or overlay) | extra postgres arguments
ALL_VARIANTS=(
  "tmpfs|tmpfs|"
  "overlay|overlay|"
  "tmpfs-wal-replica|tmpfs|-c wal_level=replica -c max_wal_senders=10"
  "tmpfs-shared-1GB|tmpfs|-c shared_buffers=1GB"
  "tmpfs-ckpt-target-0.1|tmpfs|-c checkpoint_completion_target=0.1"
  "overlay-stock|overlay|-c fsync=on -c synchronous_commit=on -c full_page_writes=on -c wal_level=replica -c max_wal_senders=10 -c wal_init_zero=on"
)

log() { printf '%s\n' "$*" >&2; }
die() { log "measure-clone: $*"; exit 1; }

containers=()
cleanup() {
  local c
  for c in "${containers[@]+"${containers[@]}"}"; do
    docker rm -f "$c" > /dev/null 2>&1 || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v docker > /dev/null || die "docker is not installed"
docker info > /dev/null 2>&1 || die "the Docker daemon is not reachable"
if (exec 3<> "/dev/tcp/127.0.0.1/$PORT") 2> /dev/null; then
  die "port $PORT on 127.0.0.1 is in use; set PORT to a free one"
fi

if [ "$SKIP_BUILD" != 1 ]; then
  log "building $IMAGE from images/postgres (BASE_IMAGE=$BASE_IMAGE)"
  t0=$(date +%s.%N)
  docker build -q --network host --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$IMAGE" \
    "$ROOT/images/postgres" > /dev/null
  t1=$(date +%s.%N)
  printf 'build: %.1f s\n' "$(echo "$t1 - $t0" | bc)"
fi

# The SQL that one variant runs, in one psql session inside the container.
# shellcheck disable=SC2028 # the backslashes are psql meta-commands, printed as they are
clone_script() {
  local i s
  echo '\set ON_ERROR_STOP 1'
  echo '\timing on'
  # Run 0 warms up and is not reported: its statements carry no TAG line.
  tag() { [ "$i" = 0 ] || echo "\\echo $*"; }
  for ((i = 0; i <= RUNS; i++)); do
    for s in FILE_COPY WAL_LOG; do
      echo 'CHECKPOINT;'
      echo 'SELECT pg_current_wal_insert_lsn() AS l0 \gset'
      tag TAG "$s" clean_create
      echo "CREATE DATABASE c TEMPLATE src STRATEGY $s;"
      echo "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), :'l0') AS wal \\gset"
      tag WAL "$s" :wal
      tag TAG "$s" clean_drop
      echo 'DROP DATABASE c;'
      echo '\c busy'
      echo "UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid <= $DIRTY_ROWS;"
      echo '\c postgres'
      tag TAG "$s" dirty_create
      echo "CREATE DATABASE c TEMPLATE src STRATEGY $s;"
      tag TAG "$s" dirty_drop
      echo 'DROP DATABASE c;'
    done
  done
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "-" } else if (NR % 2) { print v[(NR + 1) / 2] } else { print (v[NR / 2] + v[NR / 2 + 1]) / 2 } }'; }

results=()

run_variant() {
  local name="$1" storage="$2" extra="$3"
  local cname="vqa-bench-clone-$$-$name"
  local -a run_args=(--name "$cname" --network host -e "PGPORT=$PORT" -e "POSTGRES_PASSWORD=$PASSWORD"
    -e VENOMQA_LISTEN=127.0.0.1)
  [ "$storage" = tmpfs ] && run_args+=(--tmpfs "$PGDATA_DIR")
  local -a pg_args=()
  # shellcheck disable=SC2206
  [ -n "$extra" ] && pg_args=($extra)

  log ""
  log "== $name ($storage) ${extra:-image defaults}"
  local t0 t1 ready
  t0=$(date +%s.%N)
  containers+=("$cname")
  docker run -d "${run_args[@]}" "$IMAGE" postgres "${pg_args[@]+"${pg_args[@]}"}" > /dev/null
  local tries=0
  until docker exec -e "PGPASSWORD=$PASSWORD" "$cname" \
    psql -X -w -q -h 127.0.0.1 -U postgres -d postgres -c 'select 1' > /dev/null 2>&1; do
    tries=$((tries + 1))
    [ "$tries" -lt 600 ] || { docker logs "$cname" >&2; die "$name did not become ready"; }
    [ "$(docker inspect -f '{{.State.Running}}' "$cname")" = true ] || {
      docker logs "$cname" >&2
      die "$name exited"
    }
    sleep 0.05
  done
  t1=$(date +%s.%N)
  ready=$(printf '%.2f' "$(echo "$t1 - $t0" | bc)")

  local pg=(docker exec -i -u postgres "$cname")
  log "loading pgbench -i -s $SCALE into src"
  "${pg[@]}" psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE DATABASE src' > /dev/null
  "${pg[@]}" pgbench -i -q -s "$SCALE" src > /dev/null 2>&1
  "${pg[@]}" psql -X -q -v ON_ERROR_STOP=1 -d src -c 'VACUUM ANALYZE' > /dev/null
  "${pg[@]}" psql -X -q -v ON_ERROR_STOP=1 \
    -c 'CREATE DATABASE busy TEMPLATE src STRATEGY FILE_COPY' -c 'CHECKPOINT' > /dev/null
  local size
  size=$("${pg[@]}" psql -X -A -t -c "SELECT pg_size_pretty(pg_database_size('src'))")
  log "src is $size; $RUNS runs per measurement"

  local out
  out=$(clone_script | "${pg[@]}" psql -X -q -d postgres 2>&1) || {
    printf '%s\n' "$out" >&2
    die "$name: the clone script failed"
  }
  # "TAG <strategy> <what>" then "Time: <ms> ms" -> "<strategy> <what> <ms>"
  local samples
  samples=$(printf '%s\n' "$out" | awk '
    $1 == "TAG" { tag = $2 " " $3; next }
    $1 == "Time:" && tag != "" { print tag, $2; tag = ""; next }
    $1 == "WAL" { print $2, "wal", $3 }')
  if [ -n "$SAMPLES" ]; then
    printf '%s\n' "$samples" | sed "s/^/$name /" >> "$SAMPLES"
  fi

  local s what row
  for s in FILE_COPY WAL_LOG; do
    row="$name|$storage|$ready|$s"
    for what in clean_create clean_drop dirty_create dirty_drop; do
      row+="|$(printf '%s\n' "$samples" | awk -v s="$s" -v w="$what" '$1 == s && $2 == w { print $3 }' |
        median | xargs printf '%.0f')"
    done
    row+="|$(printf '%s\n' "$samples" | awk -v s="$s" '$1 == s && $2 == "wal" { print $3 / 1048576 }' |
      median | xargs printf '%.1f')"
    results+=("$row")
  done

  docker rm -f "$cname" > /dev/null
}

wanted="${VARIANTS:-}"
for v in "${ALL_VARIANTS[@]}"; do
  IFS='|' read -r name storage extra <<< "$v"
  if [ -n "$wanted" ] && [[ " $wanted " != *" $name "* ]]; then
    continue
  fi
  run_variant "$name" "$storage" "$extra"
done
[ "${#results[@]}" -gt 0 ] || die "no variant matched VARIANTS='$wanted'"

echo
echo "medians of $RUNS runs, milliseconds (pgbench scale $SCALE; dirty = $DIRTY_ROWS rows updated elsewhere first)"
{
  echo "variant|storage|ready_s|strategy|create|drop|create_dirty|drop_dirty|wal_MB"
  printf '%s\n' "${results[@]}"
} | column -t -s '|'
