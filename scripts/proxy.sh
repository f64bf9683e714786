#!/usr/bin/env bash
# nginx in front of a local gunicorn, with the same configuration as docker compose
# (deploy/nginx/tracker.conf.template), using the system's nginx (Debian: apt-get install nginx):
#   LISTEN=127.0.0.1:8080 UPSTREAM=127.0.0.1:8000 bash scripts/proxy.sh
# Start the app behind it with TRUSTED_PROXIES=127.0.0.1 (so it believes nginx's
# X-Forwarded-For), e.g.  TRUSTED_PROXIES=127.0.0.1 bash scripts/serve.sh
# Runs in the foreground (Ctrl-C or SIGTERM stops it); its files live in a temporary directory
# that is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
export LISTEN=${LISTEN:-127.0.0.1:8080} UPSTREAM=${UPSTREAM:-127.0.0.1:8000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tracker-nginx.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/conf.d"
# Only our two variables are substituted; nginx's own ($host, $scheme...) are left alone.
envsubst '${LISTEN} ${UPSTREAM}' <deploy/nginx/tracker.conf.template >"$dir/conf.d/tracker.conf"
mime=/etc/nginx/mime.types
cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log stderr warn;
events { worker_connections 4096; }
http {
    $( [ -f "$mime" ] && echo "include $mime;" )
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path $dir/client_body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    include $dir/conf.d/*.conf;
}
CONF
"$NGINX" -t -q -p "$dir" -c "$dir/nginx.conf"
echo "nginx on http://$LISTEN/ -> gunicorn at $UPSTREAM"
"$NGINX" -g 'daemon off;' -p "$dir" -c "$dir/nginx.conf" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; rm -rf "$dir"' EXIT INT TERM
wait "$child"
