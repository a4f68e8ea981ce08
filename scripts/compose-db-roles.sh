#!/usr/bin/env bash
# The database container's first start (docker-entrypoint-initdb.d): the owner role and its
# database, the application role that the site runs as (README, "Database roles"), and the
# replication role the replica container streams with (docs/scaling.md).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
  -v owner_password="$FOOTING_OWNER_DB_PASSWORD" -v app_password="$FOOTING_APP_DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE footing LOGIN PASSWORD %L CREATEDB', :'owner_password') \gexec
SELECT format('CREATE ROLE footing_app LOGIN PASSWORD %L NOSUPERUSER NOCREATEDB NOCREATEROLE',
              :'app_password') \gexec
CREATE DATABASE footing OWNER footing;
SQL
if [[ -n "${REPLICATION_PASSWORD:-}" ]]; then
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" -v password="$REPLICATION_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE replicator LOGIN REPLICATION PASSWORD %L', :'password') \gexec
SQL
  echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
fi
