#!/usr/bin/env bash
# Runs the client examples (examples/typescript, examples/python, the Python webhook receiver built on the
# standardwebhooks reference package) against a live Kartla on the demo data:
# a fresh SQLite registry in a temporary folder, an admin token, `kartla serve` on a free port. Installs
# the examples' packages first (npm ci; pip into target/examples-venv). Exits non-zero if either fails.
set -euo pipefail
cd "$(dirname "$0")/.."

# KARTLA_BIN runs another build (target/release/kartla, say); by default the test build is used.
if [ -z "${KARTLA_BIN:-}" ]; then cargo build --quiet --bin kartla; fi
kartla="${KARTLA_BIN:-${CARGO_TARGET_DIR:-target}/debug/kartla}"
work=$(mktemp -d)
server=""
trap 'if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
export DATABASE_URL="sqlite://$work/kartla.db?mode=rwc"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export RUST_LOG="${RUST_LOG:-warn}"

"$kartla" migrate up >/dev/null
token=$("$kartla" token create --name examples --role admin 2>/dev/null)

# An empty registry: serve loads the demo data before it answers /readyz.
# Webhook receivers of the examples listen on 127.0.0.1, which only an operator's flag allows.
"$kartla" serve --listen "127.0.0.1:$port" --webhook-allow-insecure-targets >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$server" 2>/dev/null; then cat "$work/serve.log" >&2; exit 1; fi
    sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { echo "kartla serve did not become ready" >&2; exit 1; }

export KARTLA_URL="http://127.0.0.1:$port/graphql" KARTLA_TOKEN="$token"

echo "== examples/typescript"
npm ci --prefix examples/typescript --no-audit --no-fund --loglevel=error
# The schema served is the one checked in, descriptions and directives included.
(cd examples/typescript && node ../../scripts/introspection.mjs "$KARTLA_URL" ../../schema.graphql)
npm run --prefix examples/typescript --silent example
echo "== examples/typescript webhook receiver (Standard Webhooks reference package)"
(cd examples/typescript && node dist/webhook-receiver.js --check)

echo "== examples/python"
venv="${CARGO_TARGET_DIR:-target}/examples-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r examples/python/requirements.txt
"$venv/bin/python" examples/python/main.py
echo "== examples/python/webhook_receiver.py (Standard Webhooks reference package)"
"$venv/bin/python" examples/python/webhook_receiver.py --check
