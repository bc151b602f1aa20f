# Redis and PostgreSQL for the tests (sourced by .ci/run; bash).
#
#   source scripts/ci-services.sh
#   ci_services_start      # uses the services at 127.0.0.1:6379 / :5432 when they answer,
#                          # otherwise installs Debian's redis-server / postgresql and starts
#                          # private ones on loopback; exports LUDUS_TEST_REDIS_URL and LUDUS_PG_URL
#   trap ci_services_stop EXIT   # stops only what ci_services_start started
#
# Nothing here needs systemd: the servers run in a scratch folder and stop by their pid files.

CI_SERVICES_DIR=""
CI_SERVICES_REDIS_STARTED=""
CI_SERVICES_PG_STARTED=""

ci_services_port_answers() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

ci_services_install() { # debian packages...
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ci_services_free_port() { # first port from $1 nothing answers on
  local port=$1
  while ci_services_port_answers 127.0.0.1 "$port"; do port=$((port + 1)); done
  echo "$port"
}

ci_services_start_redis() {
  if ci_services_port_answers 127.0.0.1 6379 && redis_ping 6379; then
    export LUDUS_TEST_REDIS_URL="redis://127.0.0.1:6379"
    return
  fi
  command -v redis-server >/dev/null 2>&1 || ci_services_install redis-server
  local port
  port=$(ci_services_free_port 6379)
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$CI_SERVICES_DIR/redis.pid" --logfile "$CI_SERVICES_DIR/redis.log" --dir "$CI_SERVICES_DIR"
  for _ in $(seq 50); do redis_ping "$port" && break; sleep 0.1; done
  redis_ping "$port" || { echo "ci-services: redis-server did not start" >&2; cat "$CI_SERVICES_DIR/redis.log" >&2; return 1; }
  CI_SERVICES_REDIS_STARTED=1
  export LUDUS_TEST_REDIS_URL="redis://127.0.0.1:$port"
}

redis_ping() { # port
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = "PONG" ]
  else
    ci_services_port_answers 127.0.0.1 "$1"
  fi
}

ci_services_pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

ci_services_start_postgres() {
  if ci_services_port_answers 127.0.0.1 5432 && psql "postgres://postgres@127.0.0.1:5432/postgres" -tAc 'select 1' >/dev/null 2>&1; then
    export LUDUS_PG_URL="postgres://postgres@127.0.0.1:5432/postgres"
    return
  fi
  [ -n "$(ci_services_pg_bin)" ] || ci_services_install postgresql
  local bin port
  bin=$(ci_services_pg_bin)
  port=$(ci_services_free_port 5432)
  mkdir -p "$CI_SERVICES_DIR/pg"
  chown postgres:postgres "$CI_SERVICES_DIR/pg"
  # initdb refuses to run as root: as the postgres user, trust auth on loopback only.
  runuser -u postgres -- "$bin/initdb" -D "$CI_SERVICES_DIR/pg/data" -U postgres --auth=trust --no-sync -E UTF8 >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$CI_SERVICES_DIR/pg/data" -l "$CI_SERVICES_DIR/pg/server.log" -w \
    -o "-p $port -k $CI_SERVICES_DIR/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  CI_SERVICES_PG_STARTED="$bin"
  export LUDUS_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

ci_services_start() {
  CI_SERVICES_DIR=$(mktemp -d)
  chmod 755 "$CI_SERVICES_DIR" # the postgres user must reach its data folder
  ci_services_start_redis
  ci_services_start_postgres
  echo "ci-services: Redis $LUDUS_TEST_REDIS_URL, PostgreSQL $LUDUS_PG_URL"
}

ci_services_stop() {
  if [ -n "$CI_SERVICES_REDIS_STARTED" ] && [ -f "$CI_SERVICES_DIR/redis.pid" ]; then
    kill "$(cat "$CI_SERVICES_DIR/redis.pid")" 2>/dev/null || true
  fi
  if [ -n "$CI_SERVICES_PG_STARTED" ]; then
    runuser -u postgres -- "$CI_SERVICES_PG_STARTED/pg_ctl" -D "$CI_SERVICES_DIR/pg/data" -m fast stop >/dev/null 2>&1 || true
  fi
  [ -n "$CI_SERVICES_DIR" ] && rm -rf "$CI_SERVICES_DIR"
  CI_SERVICES_DIR=""
}
