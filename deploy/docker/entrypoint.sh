#!/bin/sh
# Starts one service: the first argument, else $SERVICE. exec: node replaces the shell, so
# SIGTERM reaches the service itself and it stops gracefully (consumers commit, the relay stops).
set -eu
service="${1:-${SERVICE:-}}"
# The repository root: /app in the image.
root="$(cd "$(dirname "$0")/../.." && pwd)"
main="$root/services/${service}/dist/src/main.js"
if [ -z "$service" ] || [ ! -f "$main" ]; then
  echo "usage: pass the service as the argument or SERVICE; one of: $(ls "$root/services" | tr '\n' ' ')" >&2
  exit 64
fi
# A 4 MB semi-space keeps an idle service's young generation small (see BENCHMARKS.md).
exec node --enable-source-maps --max-semi-space-size=4 "$main"
