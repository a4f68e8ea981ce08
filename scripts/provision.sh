#!/usr/bin/env bash
# Make PostgreSQL and Redis reachable for Footing (installing and starting them where they are
# missing), create the role and database, and — with --browser — the system Chromium for tests.
set -euo pipefail

want_browser=0
[[ "${1:-}" == "--browser" ]] && want_browser=1

say() { printf '\033[1m[provision]\033[0m %s\n' "$*"; }
fail() {
  printf '\033[1;31m[provision]\033[0m %s\n' "$*" >&2
  cat >&2 <<'MSG'
Footing needs PostgreSQL (15 or newer) and Redis. Install and start both, or point Footing at
running servers with the environment variables
  DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DBNAME   (the role needs CREATEDB for the tests)
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

# PostgreSQL on 127.0.0.1:5432, unless DATABASE_URL points elsewhere.
if [[ -z "${DATABASE_URL:-}" ]]; then
  if ! tcp_open 127.0.0.1 5432; then
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
    if PGCONNECT_TIMEOUT=3 psql -h 127.0.0.1 -U postgres -w -tAc 'SELECT 1' >/dev/null 2>&1; then
      psql -h 127.0.0.1 -U postgres -w -v ON_ERROR_STOP=1 -qtA "$@"
    elif [[ $(id -u) -eq 0 ]]; then
      runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA "$@"
    else
      sudo -n -u postgres psql -v ON_ERROR_STOP=1 -qtA "$@"
    fi
  }
  if PGPASSWORD=footing PGCONNECT_TIMEOUT=3 psql -h 127.0.0.1 -U footing -d footing -w -tAc 'SELECT 1' >/dev/null 2>&1; then
    :
  else
    say "Creating the PostgreSQL role and database 'footing'…"
    psql_admin -c "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'footing') THEN CREATE ROLE footing LOGIN PASSWORD 'footing' CREATEDB; END IF; END\$\$;" ||
      fail "Could not create the role 'footing' (no administrative access to PostgreSQL)."
    if [[ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'footing'")" ]]; then
      psql_admin -c "CREATE DATABASE footing OWNER footing"
    fi
  fi
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
say "PostgreSQL and Redis are ready."
