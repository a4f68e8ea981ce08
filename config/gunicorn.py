"""gunicorn's settings for `make run` and the Docker image: threaded workers sized by config.sizing.

Used as `gunicorn -c config/gunicorn.py config.wsgi:application`. Each thread keeps one
persistent, health-checked database connection (CONN_MAX_AGE, CONN_HEALTH_CHECKS), so the site
never holds more than workers × threads of them, however many clients connect: connections beyond
the threads wait in each worker's queue instead of being refused.
"""

import os

from config.sizing import web_threads, web_workers

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = web_workers()
threads = web_threads()
# Clients each worker keeps open (idle keep-alive ones included) while its threads are busy.
worker_connections = 1000
backlog = 2048
# How long an idle keep-alive connection stays open. Generous on purpose: under a deadline rush a
# worker may take seconds to come back to a connection whose client has already sent its next
# request, and closing it then (with that request unread) resets the client's connection.
keepalive = 75
timeout = 60
graceful_timeout = 30
# Recycle a worker now and then (at a random point, so never all at once) to bound its memory.
max_requests = 5000
max_requests_jitter = 500
preload_app = True
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
proc_name = "footing-web"
# No runtime control socket: its default path is one per user, which two sites (or a site and its
# tests) on one machine would share.
control_socket_disable = True
