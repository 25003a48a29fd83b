#!/bin/sh
# Writes the dashboard's run-time settings when the container starts (nginx runs /docker-entrypoint.d/*.sh first):
#   $RUNTIME_CONFIG_DIR/config.js             served as /config.js, read by src/config.ts
#   $RUNTIME_CONFIG_DIR/security-headers.conf included by nginx.conf (the CSP must allow the API's origin)
# Environment:
#   API_BASE_URL          '' (same origin, default), an absolute http(s) URL, or a path starting with '/'
#   POLL_MS               polling interval in milliseconds (default 5000, at least 250)
#   CSP_CONNECT_SRC_EXTRA more origins the page may call, space separated (e.g. an OpenID Connect provider)
#   RUNTIME_CONFIG_DIR    where to write (default /tmp/runtime-config; /tmp is the container's writable place)
# Every value is checked against a strict pattern and refused otherwise, so nothing can break out of the
# JavaScript string or the header; a refusal stops the container with a message naming the variable.
set -eu

dir="${RUNTIME_CONFIG_DIR:-/tmp/runtime-config}"
api="${API_BASE_URL:-}"
poll="${POLL_MS:-5000}"
extra="${CSP_CONNECT_SRC_EXTRA:-}"

fail() { echo "write-runtime-config: $*" >&2; exit 1; }

origin_re='^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$'
path_re='^(/[A-Za-z0-9._~-]+)*/?$'

api="${api%/}"
api_origin=""
if [ -n "$api" ]; then
  case "$api" in
    http://*|https://*)
      api_origin="$(printf '%s' "$api" | sed -E 's#^(https?://[^/]+).*$#\1#')"
      api_path="${api#"$api_origin"}"
      printf '%s' "$api_origin" | grep -Eq "$origin_re" && printf '%s' "$api_path" | grep -Eq "$path_re" ||
        fail "API_BASE_URL='$api' is not an http(s) URL of letters, digits, '.', '-', ':port' and a plain path"
      ;;
    /*)
      printf '%s' "$api" | grep -Eq "$path_re" || fail "API_BASE_URL='$api' is not a plain path (letters, digits, . _ ~ - /)"
      ;;
    *) fail "API_BASE_URL='$api' must be empty, an http(s) URL or a path starting with '/'" ;;
  esac
fi

printf '%s' "$poll" | grep -Eq '^[0-9]{3,7}$' && [ "$poll" -ge 250 ] ||
  fail "POLL_MS='$poll' must be a whole number of milliseconds, at least 250"

for o in $extra; do
  printf '%s' "$o" | grep -Eq "$origin_re" || fail "CSP_CONNECT_SRC_EXTRA entry '$o' is not an http(s) origin"
done

mkdir -p "$dir"
cat > "$dir/config.js.tmp" <<JS
// Written by write-runtime-config.sh when the container started.
window.__DASHBOARD_CONFIG__ = { "apiBase": "$api", "pollMs": $poll };
JS
mv "$dir/config.js.tmp" "$dir/config.js"

connect="'self'${api_origin:+ $api_origin}${extra:+ $extra}"
cat > "$dir/security-headers.conf.tmp" <<CONF
# Written by write-runtime-config.sh when the container started.
add_header Content-Security-Policy "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src $connect; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'" always;
add_header X-Content-Type-Options "nosniff" always;
add_header X-Frame-Options "DENY" always;
add_header Referrer-Policy "no-referrer" always;
add_header Permissions-Policy "camera=(), microphone=(), geolocation=()" always;
CONF
mv "$dir/security-headers.conf.tmp" "$dir/security-headers.conf"
echo "write-runtime-config: apiBase='${api}' pollMs=${poll} connect-src ${connect}"
