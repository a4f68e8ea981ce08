#!/usr/bin/env bash
# Serve Footing as `make run` does: gunicorn (config/gunicorn.py), a Celery worker for each queue
# (`interactive` and `heavy`, config/queues.py) and beat under honcho (Procfile), with production settings made for one machine: plain HTTP on 127.0.0.1 and
# e-mail printed to the console. The environment wins over .env, and .env over these defaults.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -f .env ]]; then  # what .env sets and the environment does not
  eval "$(.venv/bin/python - <<'PY'
import os, shlex, environ
before = set(os.environ)
environ.Env.read_env(".env", overwrite=False)
for name in sorted(set(os.environ) - before):
    print(f"export {name}={shlex.quote(os.environ[name])}")
PY
)"
fi
mkdir -p var
if [[ ! -s var/secret-key ]]; then
  (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret-key)
fi
export DJANGO_DEBUG=${DJANGO_DEBUG:-false}
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-$(cat var/secret-key)}
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-localhost,127.0.0.1,[::1]}
export DJANGO_SECURE_SSL_REDIRECT=${DJANGO_SECURE_SSL_REDIRECT:-false}
export DJANGO_SECURE_COOKIES=${DJANGO_SECURE_COOKIES:-false}
export EMAIL_URL=${EMAIL_URL:-consolemail://}
export REQUIRE_STAFF_MFA=${REQUIRE_STAFF_MFA:-false}
export WEB_BIND=${WEB_BIND:-127.0.0.1:8000}

# The heavy queue's worker runs as many processes as the budget counts (bounded there).
HEAVY_WORKER_CONCURRENCY=$(.venv/bin/python -c 'from config import sizing; print(sizing.heavy_worker_concurrency())')
export HEAVY_WORKER_CONCURRENCY
.venv/bin/python - <<'PY'
from config import sizing
print(
    f"[serve] {sizing.web_workers()} web workers × {sizing.web_threads()} threads, "
    f"{sizing.worker_concurrency()} interactive and {sizing.heavy_worker_concurrency()} heavy "
    f"task processes and beat: at most {sizing.connection_budget()} PostgreSQL connections.",
    flush=True,
)
PY
# -e /dev/null: .env was read above, with the environment taking precedence.
exec .venv/bin/honcho --no-prefix --no-colour -e /dev/null -f Procfile start
