# Services the tests use, for .ci/run (sourced, not run). Each `*_up` function uses the service
# already answering on loopback, or installs Debian's package and starts a private instance on
# loopback; `ci_services_down` stops only what this shell started (call it from an EXIT trap, so
# a failed run stops them too).
#
#   source scripts/ci-services.sh
#   trap ci_services_down EXIT
#   ci_postgres_up   # exports LUDUS_PG_URL
#   (ci_redis_up: Redis for the cluster tests goes here, started and stopped the same way)

CI_SERVICE_STOPS=()

# True when something accepts TCP connections on 127.0.0.1:$1.
ci_port_answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Runs a command as the postgres user when root (initdb refuses root), as is otherwise.
ci_as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# PostgreSQL with trust auth for user postgres on 127.0.0.1:${LUDUS_CI_PG_PORT:-5432}; exports LUDUS_PG_URL.
ci_postgres_up() {
  local port="${LUDUS_CI_PG_PORT:-5432}"
  export LUDUS_PG_URL="postgres://postgres@127.0.0.1:${port}/postgres"
  if ci_port_answers "$port"; then
    echo "ci-services: using the PostgreSQL on 127.0.0.1:${port}"
    return 0
  fi
  if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
  fi
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  local dir
  dir="$(mktemp -d /tmp/ludus-ci-pg.XXXXXX)"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  ci_as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust >/dev/null
  ci_as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off" start >/dev/null
  CI_SERVICE_STOPS+=("ci_as_postgres $bin/pg_ctl -D $dir/data -m fast -w stop >/dev/null; rm -rf $dir")
  echo "ci-services: started PostgreSQL on 127.0.0.1:${port} (data in ${dir}, stopped on exit)"
}

# Stops what the *_up functions started, newest first.
ci_services_down() {
  local i
  for ((i = ${#CI_SERVICE_STOPS[@]} - 1; i >= 0; i--)); do
    eval "${CI_SERVICE_STOPS[$i]}" || echo "ci-services: could not stop: ${CI_SERVICE_STOPS[$i]}" >&2
  done
  CI_SERVICE_STOPS=()
}
