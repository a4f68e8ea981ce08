#!/usr/bin/env bash
# The replica container (docker-compose.yml): on its first start, copy the primary with
# pg_basebackup -R (which writes the standby settings), then run as a hot standby that streams
# the primary's WAL. Later starts just run it.
set -euo pipefail
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  until pg_isready -h db -U postgres -q; do sleep 1; done
  PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h db -U replicator -D "$PGDATA" -R -X stream -c fast
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on -c hot_standby_feedback=on
