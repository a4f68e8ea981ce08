#!/usr/bin/env bash
# The database container's first start (docker-entrypoint-initdb.d): the owner role and its
# database, and the application role that the site runs as (README, "Database roles").
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
  -v owner_password="$FOOTING_OWNER_DB_PASSWORD" -v app_password="$FOOTING_APP_DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE footing LOGIN PASSWORD %L CREATEDB', :'owner_password') \gexec
SELECT format('CREATE ROLE footing_app LOGIN PASSWORD %L NOSUPERUSER NOCREATEDB NOCREATEROLE',
              :'app_password') \gexec
CREATE DATABASE footing OWNER footing;
SQL
