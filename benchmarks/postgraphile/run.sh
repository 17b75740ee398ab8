#!/usr/bin/env bash
# Kartla and PostGraphile 4 side by side on one PostgreSQL database that `kartla seed synthetic` loaded:
# the standard nested page and a flat page of 100 activities, each under wrk, with requests per second
# and the CPU per request of each server and of PostgreSQL's processes (from /proc).
#
#   benchmarks/postgraphile/run.sh DATABASE_URL [CLIENTS] [SECONDS]
#
# DATABASE_URL is the seeded database, e.g. postgres://postgres@127.0.0.1:5432/kb. Both servers get the
# same URL with `sslmode=disable`, so neither pays for TLS to the database (node-postgres uses none unless
# asked). Needs wrk (apt), node and npm; PostGraphile 4 is installed under target/postgraphile.
set -euo pipefail
cd "$(dirname "$0")/../.."
url=${1:?usage: run.sh DATABASE_URL [CLIENTS] [SECONDS]}
clients=${2:-8}
seconds=${3:-10}
case $url in *\?*) plain="$url&sslmode=disable" ;; *) plain="$url?sslmode=disable" ;; esac
here=benchmarks/postgraphile
tools=target/postgraphile
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
if [ ! -x "$tools/node_modules/.bin/postgraphile" ]; then
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error postgraphile@4 >/dev/null
fi
[ -x target/release/kartla ] || cargo build --release
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

for f in kartla-standard-page kartla-flat-page postgraphile-standard-page postgraphile-flat-page; do
    python3 -c 'import json, sys; print(json.dumps({"query": open(sys.argv[1]).read()}))' "$here/$f.graphql" > "$work/$f.json"
done
cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open(os.getenv("BODY")); wrk.body = f:read("*a"); f:close()
LUA

RUST_LOG=warn target/release/kartla serve --database-url "$plain" --listen 127.0.0.1:8390 \
    --rate-limit-anonymous 0 > "$work/kartla.log" 2>&1 &
pids+=($!); kartla=$!
"$tools/node_modules/.bin/postgraphile" -c "$plain" --host 127.0.0.1 --port 8391 --disable-query-log \
    --schema public > "$work/postgraphile.log" 2>&1 &
pids+=($!); postgraphile=$!
up() { curl -sf -o /dev/null -XPOST -H 'content-type: application/json' --data '{"query":"{__typename}"}' "http://127.0.0.1:$1/graphql"; }
for port in 8390 8391; do
    for _ in $(seq 1 100); do up "$port" && break; sleep 0.2; done
    up "$port" || { echo "the server on port $port did not answer:" >&2; cat "$work"/*.log >&2; exit 1; }
done

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# PostgreSQL's CPU: every process under the postmaster, and what those that ended left in its cutime and
# cstime, so a backend that a pool closes during a run still counts.
postmaster=$(pgrep -o -x postgres)
pg_ticks() {
    local s v p
    s=$(awk '{ print $16 + $17 }' "/proc/$postmaster/stat")
    for p in $(pgrep -P "$postmaster"); do v=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0); s=$((s + v)); done
    echo "$s"
}
hz=$(getconf CLK_TCK)

measure() { # name pid port body
    local name=$1 pid=$2 port=$3 body=$4 a b out n rps
    BODY=$body wrk -t2 -c"$clients" -d2s -s "$work/post.lua" "http://127.0.0.1:$port/graphql" >/dev/null
    a=$(ticks "$pid"); b=$(pg_ticks)
    out=$(BODY=$body wrk -t2 -c"$clients" -d"${seconds}s" -s "$work/post.lua" "http://127.0.0.1:$port/graphql")
    n=$(awk '/requests in/ { print $1 }' <<<"$out")
    rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
    if grep -q 'Non-2xx' <<<"$out"; then echo "$name: some answers were not 200" >&2; exit 1; fi
    awk -v name="$name" -v rps="$rps" -v n="$n" -v s=$(( $(ticks "$pid") - a )) -v p=$(( $(pg_ticks) - b )) -v hz="$hz" \
        'BEGIN { printf "| %s | %.0f | %.2f | %.2f |\n", name, rps, s * 1000 / hz / n, p * 1000 / hz / n }'
}

for page in standard-page flat-page; do
    answer() { curl -s -XPOST -H 'content-type: application/json' --data @"$work/$1-$page.json" "http://127.0.0.1:$2/graphql" > "$work/$1.answer"; }
    answer kartla 8390
    answer postgraphile 8391
    # A GraphQL error is answered with 200 too: only pages that answer with data are measured.
    for server in kartla postgraphile; do
        if grep -q '"errors"' "$work/$server.answer"; then echo "$server's $page answered an error:" >&2; head -c 600 "$work/$server.answer" >&2; exit 1; fi
    done
    bytes_k=$(wc -c < "$work/kartla.answer")
    bytes_p=$(wc -c < "$work/postgraphile.answer")
    echo "$page ($clients clients, $seconds s; answers of $bytes_k and $bytes_p bytes)"
    echo "| server | req/s | server CPU ms/req | PostgreSQL CPU ms/req |"
    echo "| --- | ---: | ---: | ---: |"
    measure Kartla "$kartla" 8390 "$work/kartla-$page.json"
    measure "PostGraphile 4" "$postgraphile" 8391 "$work/postgraphile-$page.json"
    echo
done
