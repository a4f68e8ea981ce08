# Footing: one image for the web server, the Celery worker and the beat scheduler.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY config config
COPY web web
COPY record record
COPY stakeholders stakeholders
COPY deliberation deliberation
COPY consensus consensus
COPY trust trust
COPY templates templates
COPY static static
COPY locale locale
COPY manage.py ./
RUN pip install . \
    && DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-only python manage.py compilemessages -v 0 \
    && DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput -v 0 \
    && useradd --system --home /app footing && mkdir -p /app/var && chown footing /app/var

USER footing
EXPOSE 8000
ENV WEB_BIND=0.0.0.0:8000
# The same server as `make run`: threaded workers sized from the cores (config/gunicorn.py).
CMD ["gunicorn", "-c", "python:config.gunicorn", "config.wsgi:application"]
