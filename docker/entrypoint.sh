#!/bin/sh
# The container's entrypoint (docs/container.md). It checks what would otherwise fail in a way that
# is hard to read from `docker logs`, then replaces itself with node (`exec`), so node is the
# process Docker signals: SIGTERM from `docker stop` reaches the bot, which stops its adapters, lets
# accepted writes commit and exits 0. Migrations are the app's: it applies pending ones at start, in
# one transaction (on Postgres under kysely's migration lock, so replicas starting together are
# fine). Exit code 2, like the app's own, means a setup to fix.
set -eu

fail() {
  echo "guildkeeper: $*" >&2
  exit 2
}

# A bot that runs as root can write anything a mounted volume holds; the image runs as `node`.
if [ "$(id -u)" = "0" ]; then
  fail "refusing to run as root. The image runs as the user 'node' (uid 1000); drop '--user root' / 'user: root', or give another uid with --user."
fi

# The HTTP server (GET /healthz, the HEALTHCHECK's target) listens on HTTP_PORT; the image sets 8080.
: "${HTTP_PORT:=8080}"
export HTTP_PORT
case "$HTTP_PORT" in
  '' | *[!0-9]*) fail "HTTP_PORT must be a port number, not '$HTTP_PORT'." ;;
esac

# With no platform token the app opens the console, which reads the terminal: without one (no -it)
# it would read end-of-input at once and exit, and a restart policy would start it again and again.
if [ -z "${DISCORD_TOKEN:-}" ] && [ -z "${SLACK_BOT_TOKEN:-}" ] || [ "${CONSOLE:-}" = "1" ] || [ "${CONSOLE:-}" = "true" ]; then
  if [ ! -t 0 ]; then
    fail "no platform token is set (DISCORD_TOKEN, SLACK_BOT_TOKEN) or CONSOLE is on, so the bot would open the console, and this container has no terminal. Set a token in the environment (env_file: .env, see .env.example), or run the console with 'docker run -it'."
  fi
fi

# No command: the bot, with the V8 flags `npm start` uses (README, Running it as a service).
if [ "$#" -eq 0 ]; then
  set -- node --max-semi-space-size=4 --heap-growing-percent=50 --enable-source-maps dist/main.mjs
fi
if [ "$1" = "node" ]; then
  for arg in "$@"; do
    case "$arg" in
      *.mjs | *.js) [ -f "$arg" ] || fail "$arg is missing: the image's build stage writes it with 'node scripts/build.mjs main'." ;;
    esac
  done
fi

exec "$@"
