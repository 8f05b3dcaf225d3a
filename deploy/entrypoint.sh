#!/bin/sh
# The image's entrypoint: one image, one process kind per container.
#
#   web                      uvicorn serving the API, /healthz and the built web app
#   worker QUEUES            a Celery worker on comma-separated queues (default, sync, embed, agent)
#   beat                     Celery beat (run exactly one)
#   migrate                  apply database migrations, then exit
#   healthcheck              exit 0 when this container's web server answers /healthz
#   worker-healthcheck QUEUES  exit 0 when this container's worker answers a ping
#   manage ARGS...           any manage.py command (seed_demo, ask, ...)
#   anything else            run as given
set -eu

command="${1:-web}"
[ "$#" -gt 0 ] && shift

worker_name() {
  # worker-<first queue>@<container hostname>; Celery's %h would expand to the same host.
  echo "worker-$(echo "$1" | cut -d, -f1)@$(hostname)"
}

case "$command" in
  web)
    # --proxy-headers: client address and scheme come from X-Forwarded-For/-Proto, but only
    # when the connection comes from FORWARDED_ALLOW_IPS (the reverse proxy or ingress).
    # --http h11: h11 refuses a request line and headers it cannot complete within 16 KiB of
    # buffer; httptools, uvicorn's default when installed, buffers any size (a header flood
    # costs memory on every request).
    exec uvicorn config.asgi:application \
      --host "${HOST:-0.0.0.0}" --port "${PORT:-8000}" --http h11 \
      --workers "${WEB_CONCURRENCY:-1}" \
      --proxy-headers --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
      --timeout-graceful-shutdown 20 --no-access-log
    ;;
  worker)
    queues="${1:-default,sync,embed,agent}"
    exec celery -A config worker -Q "$queues" -n "$(worker_name "$queues")" \
      --concurrency "${WORKER_CONCURRENCY:-2}" --loglevel "${LOG_LEVEL:-INFO}"
    ;;
  beat)
    exec celery -A config beat --loglevel "${LOG_LEVEL:-INFO}" \
      --schedule "${DATA_DIR:-/data}/celerybeat-schedule"
    ;;
  migrate)
    exec python manage.py migrate --noinput
    ;;
  healthcheck)
    # Host: localhost, which ALLOWED_HOSTS must keep for the probes.
    exec python -c "
import sys, urllib.request
request = urllib.request.Request('http://127.0.0.1:${PORT:-8000}/healthz', headers={'Host': 'localhost'})
try:
    sys.exit(0 if urllib.request.urlopen(request, timeout=4).status == 200 else 1)
except Exception as error:
    print(error, file=sys.stderr)
    sys.exit(1)
"
    ;;
  worker-healthcheck)
    queues="${1:-default,sync,embed,agent}"
    exec celery -A config inspect ping --timeout 10 -d "$(worker_name "$queues")"
    ;;
  manage)
    exec python manage.py "$@"
    ;;
  *)
    exec "$command" "$@"
    ;;
esac
