#!/usr/bin/env bash
# Make PostgreSQL and Redis reachable for Footing (installing and starting them where they are
# missing), create the two database roles and the database, and — with --browser — what the tests
# need beyond them: the system Chromium, PgBouncer and HAProxy.
set -euo pipefail

want_browser=0
[[ "${1:-}" == "--browser" ]] && want_browser=1

say() { printf '\033[1m[provision]\033[0m %s\n' "$*"; }
fail() {
  printf '\033[1;31m[provision]\033[0m %s\n' "$*" >&2
  cat >&2 <<'MSG'
Footing needs PostgreSQL (15 or newer) and Redis. Install and start both, or point Footing at
running servers with the environment variables
  DATABASE_URL=postgres://APP_USER:PASSWORD@HOST:5432/DBNAME          (the role the site runs as)
  DATABASE_OWNER_URL=postgres://OWNER:PASSWORD@HOST:5432/DBNAME       (owns the tables, migrates;
                                                                       needs CREATEDB for the tests)
  REDIS_URL=redis://HOST:6379/0   CACHE_URL=redis://HOST:6379/1
MSG
  exit 1
}

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1
  fi
}

apt_install() {
  command -v apt-get >/dev/null || return 1
  say "Installing $* with apt-get…"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1 || {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1 &&
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
  }
}

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

redis_pong() {
  local reply=""
  exec 3<>"/dev/tcp/$1/$2" 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  read -r -t 2 reply <&3 || true
  exec 3>&- 3<&-
  [[ "$reply" == +PONG* ]]
}

wait_for() {  # wait_for <seconds> <command…>
  local limit=$1; shift
  for _ in $(seq "$limit"); do "$@" && return 0; sleep 1; done
  return 1
}

# Python 3.11+ with venv, for the project's virtualenv.
python_ok() { python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
if ! python_ok; then
  apt_install python3 python3-venv python3-dev || true
  python_ok || fail "Python 3.11 or newer with the venv module is required (Debian: python3-venv)."
fi
command -v msgfmt >/dev/null || apt_install gettext || say "gettext is missing: the interface stays in English."

# PostgreSQL: the database, the owner role that migrates it and the application role the site
# runs as (README, "Database roles"). Both come from DATABASE_URL and DATABASE_OWNER_URL.
parse_url() {  # parse_url <url> <prefix>: sets <prefix>_user, _password, _host, _port, _name
  local re='^postgres(ql)?://([^:@/]*)(:([^@/]*))?@([^:/]*)(:([0-9]+))?/([^?]*)'
  [[ "$1" =~ $re ]] || fail "Cannot read the database address '$1' (postgres://USER:PASSWORD@HOST:PORT/NAME)."
  printf -v "$2_user" '%s' "${BASH_REMATCH[2]}"
  printf -v "$2_password" '%s' "${BASH_REMATCH[4]}"
  printf -v "$2_host" '%s' "${BASH_REMATCH[5]:-127.0.0.1}"
  printf -v "$2_port" '%s' "${BASH_REMATCH[7]:-5432}"
  printf -v "$2_name" '%s' "${BASH_REMATCH[8]}"
}
parse_url "${DATABASE_URL:-postgres://footing_app:footing_app@127.0.0.1:5432/footing}" app
if [[ -n "${DATABASE_OWNER_URL:-}" ]]; then
  parse_url "$DATABASE_OWNER_URL" owner
else
  owner_user=footing owner_password=footing owner_host=$app_host owner_port=$app_port owner_name=$app_name
fi
db_local=0
[[ "$app_host" == 127.0.0.1 || "$app_host" == localhost ]] && db_local=1

if [[ $db_local -eq 1 ]] && ! tcp_open "$app_host" "$app_port"; then
  if [[ "$app_port" != 5432 ]]; then
    fail "PostgreSQL is not running on $app_host:$app_port."
  fi
  if ! command -v pg_ctlcluster >/dev/null; then
    apt_install postgresql || fail "PostgreSQL is not running on 127.0.0.1:5432 and cannot be installed here."
  fi
  say "Starting PostgreSQL…"
  if [[ -z "$(ls /etc/postgresql 2>/dev/null)" ]]; then
    as_root pg_createcluster "$(ls /usr/lib/postgresql | sort -n | tail -1)" main >/dev/null || true
  fi
  for version in $(ls /etc/postgresql 2>/dev/null); do
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null ||
      as_root service postgresql start >/dev/null 2>&1 || true
  done
  wait_for 30 tcp_open 127.0.0.1 5432 || fail "PostgreSQL did not start on 127.0.0.1:5432."
fi

psql_admin() {
  if PGCONNECT_TIMEOUT=3 psql -h "$app_host" -p "$app_port" -U postgres -w -tAc 'SELECT 1' >/dev/null 2>&1; then
    psql -h "$app_host" -p "$app_port" -U postgres -w -v ON_ERROR_STOP=1 -qtA "$@"
  elif [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- psql -p "$app_port" -v ON_ERROR_STOP=1 -qtA "$@"
  else
    sudo -n -u postgres psql -p "$app_port" -v ON_ERROR_STOP=1 -qtA "$@"
  fi
}
connects() {  # connects <user> <password>: the role reaches the database
  PGPASSWORD="$2" PGCONNECT_TIMEOUT=3 psql -h "$app_host" -p "$app_port" -U "$1" -d "$app_name" -w -tAc 'SELECT 1' >/dev/null 2>&1
}
if connects "$owner_user" "$owner_password" && connects "$app_user" "$app_password"; then
  :
elif [[ $db_local -eq 1 ]]; then
  say "Creating the roles '$owner_user' (owner) and '$app_user' (application) and the database '$app_name'…"
  psql_admin -v owner="$owner_user" -v owner_password="$owner_password" \
    -v app="$app_user" -v app_password="$app_password" -v db="$app_name" <<'SQL' ||
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L CREATEDB', :'owner', :'owner_password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L NOSUPERUSER NOCREATEDB NOCREATEROLE', :'app', :'app_password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
    fail "Could not create the database roles (no administrative access to PostgreSQL)."
  connects "$owner_user" "$owner_password" && connects "$app_user" "$app_password" ||
    fail "The roles '$owner_user' and '$app_user' exist but cannot sign in to '$app_name' with the passwords given."
else
  fail "The roles '$owner_user' and '$app_user' cannot reach the database '$app_name' on $app_host:$app_port."
fi
if [[ "$owner_user" == "$app_user" ]]; then
  say "Warning: the site connects as the owner role '$app_user', so it could rewrite the public record; give DATABASE_URL the application role (README, \"Database roles\")."
fi

# Redis on 127.0.0.1:6379, unless REDIS_URL points elsewhere.
if [[ -z "${REDIS_URL:-}" ]] && ! redis_pong 127.0.0.1 6379; then
  command -v redis-server >/dev/null || apt_install redis-server ||
    fail "Redis is not running on 127.0.0.1:6379 and cannot be installed here."
  say "Starting Redis…"
  redis_dir=/var/lib/redis; [[ -w $redis_dir ]] || redis_dir=${TMPDIR:-/tmp}
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --dir "$redis_dir" \
    --logfile "$redis_dir/footing-redis.log" >/dev/null
  wait_for 15 redis_pong 127.0.0.1 6379 || fail "Redis did not start on 127.0.0.1:6379."
fi

if [[ $want_browser -eq 1 ]] && [[ ! -x /usr/bin/chromium ]]; then
  apt_install chromium fonts-dejavu-core || fail "The browser tests need Debian's 'chromium' package."
fi
# The multi-node test (tests/reliability/test_multinode.py) puts PgBouncer and HAProxy in front.
if [[ $want_browser -eq 1 ]]; then
  missing=()
  [[ -x /usr/sbin/pgbouncer ]] || command -v pgbouncer >/dev/null || missing+=(pgbouncer)
  [[ -x /usr/sbin/haproxy ]] || command -v haproxy >/dev/null || missing+=(haproxy)
  if [[ ${#missing[@]} -gt 0 ]]; then
    apt_install "${missing[@]}" || fail "The multi-node test needs Debian's ${missing[*]} package(s)."
  fi
fi
say "PostgreSQL and Redis are ready."
